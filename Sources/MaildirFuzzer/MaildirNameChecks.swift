import Maildir

/// Message file names and folder names as found in a directory listing.
enum MaildirNameChecks {
    @Sendable static func fileName(_ bytes: UnsafeBufferPointer<UInt8>) {
        let name = MaildirFilename(String(decoding: bytes, as: UTF8.self))
        require(!name.base.contains(":"), "base \(name.base.debugDescription) contains ':'")
        _ = (name.sizeField, name.virtualSizeField, MaildirFilename.isValid(name.rawValue))
        // Changing the flags keeps the base (the UID lists' key) and the extra fields.
        let flags = name.flags
        let reflagged = name.with(flags: flags)
        require(reflagged.base == name.base, "with(flags:) changed the base: \(name) -> \(reflagged)")
        require(reflagged.flags == flags, "with(flags:) changed the flags: \(name) -> \(reflagged)")
        require((reflagged.extraInfo ?? "") == (name.extraInfo ?? ""), "with(flags:) changed the extra fields: \(name) -> \(reflagged)")
        let resized = MaildirFilename(MaildirFilename.base(name.base, replacingSize: 4242))
        require(resized.sizeField == 4242, "base(_:replacingSize:) is not read back: \(name) -> \(resized)")
    }

    @Sendable static func folderName(_ bytes: UnsafeBufferPointer<UInt8>) {
        let raw = String(decoding: bytes, as: UTF8.self)
        guard let decoded = try? MaildirFolderName.decode(name: raw, decoding: .detect, path: "fuzz") else { return }
        require(!decoded.levels.isEmpty, "no levels for \(raw.debugDescription)")
        for encoding in [FolderNameEncoding.utf8, .modifiedUTF7] {
            // A name that cannot be written in an encoding is refused there, never altered.
            guard let written = try? MaildirFolderName.name(levels: decoded.levels, encoding: encoding) else { continue }
            let decoding: FolderNameDecoding = encoding == .utf8 ? .utf8 : .modifiedUTF7
            guard let again = try? MaildirFolderName.decode(name: written, decoding: decoding, path: "fuzz") else {
                fatalError("\(encoding) name \(written.debugDescription) of \(decoded.levels) does not decode")
            }
            require(again.levels == decoded.levels, "\(encoding) round trip changed \(decoded.levels) -> \(again.levels)")
        }
    }
}
