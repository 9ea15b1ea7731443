import Foundation
import MailModel

/// Puts one message file into a Maildir folder on a host (local or over SSH) the way a
/// delivery agent does: written under `tmp/`, its size checked, owned like the folder's
/// `cur/`, flushed, then renamed into `new/` (no flags) or `cur/NAME:2,FLAGS`. The file's
/// modification time is the message's internal date (Courier shows it as INTERNALDATE).
/// Keywords go where Courier keeps them: a per-message update file
/// `courierimapkeywords/BASE` (one keyword a line), written under a `.tmp.` name Courier
/// ignores and renamed; Courier merges it into its `:list` at its next scan.
///
/// The caller gives each message a deterministic base name (``baseName(date:key:size:)``),
/// which is the marker that makes a second run harmless: a file with that base already in
/// `new/` or `cur/`, under any flags a user has given it since, means the message is there,
/// and nothing is written. A run killed after the write and before the rename leaves a file
/// in `tmp/` only, which the next run overwrites and renames; Courier never shows `tmp/`.
public struct MaildirDrop: Sendable {
    public let host: any Host

    public init(host: any Host) {
        self.host = host
    }

    /// What ``put(_:folder:baseName:flags:date:)`` found.
    public enum Outcome: String, Hashable, Sendable {
        case written
        case alreadyPresent = "present"
    }

    /// `folder` is the Maildir folder's directory (the Maildir itself for INBOX, or its
    /// `.Name` directory); it must exist with its `cur/`, `new/` and `tmp/`. `flags` are
    /// Maildir flag letters in ASCII order (`FS`), empty for an unflagged new message.
    /// `keywords` are IMAP keywords (atoms); the update file is written also when the message
    /// was already there (a run interrupted between the two writes), never when there are none.
    public func put(_ bytes: [UInt8], folder: String, baseName: String, flags: String, date: Int64, keywords: [String] = []) async throws -> Outcome {
        guard Self.isSafeBaseName(baseName) else {
            throw CutoverError.unsafeConfiguration("\(baseName): not a Maildir file name mailferry writes")
        }
        guard flags.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { throw CutoverError.unsafeConfiguration("\(flags): not Maildir flag letters") }
        if let bad = keywords.first(where: { Flag($0).isSystemFlag || !Flag($0).isValidKeyword || $0.hasPrefix("-") }) {
            throw CutoverError.unsafeConfiguration("\(bad): not an IMAP keyword")
        }
        let output = try await host.run(HostCommand(
            ["/bin/sh", "-c", Self.script, "sh", folder, baseName, flags, String(date), String(bytes.count)] + keywords,
            input: bytes, timeout: .seconds(300)))
        switch (output.status, output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) {
        case (0, Outcome.written.rawValue): return .written
        case (0, Outcome.alreadyPresent.rawValue): return .alreadyPresent
        // The script's text would drown the reason: name the file and what the shell said.
        default: throw CutoverError.file(host: host.name, path: "\(folder)/\(baseName)", reason: "exit \(output.status): \(output.firstLine)")
        }
    }

    /// `DATE.mailferry-KEY,S=SIZE`: the Courier/Dovecot shape `time.unique.host` with the
    /// size field Courier's quota reads; `key` is what identifies the message for good (its
    /// origin folder, UIDVALIDITY and UID), lower-case letters, digits and `-` only.
    public static func baseName(date: Int64, key: String, size: Int) -> String {
        "\(max(0, date)).mailferry-\(key).copyback,S=\(size)"
    }

    /// Letters, digits, `.`, `,`, `-`, `=`; no `/` (a path), no `:` (the info separator),
    /// not starting with a dot (hidden, or a folder).
    static func isSafeBaseName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.count <= 200 && name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", ",", "-", "=": true
            default: false
            }
        }
    }

    /// $1 folder, $2 base name, $3 flags, $4 mtime, $5 size, then the keywords; the message
    /// on standard input.
    /// `chown --reference` keeps the file the mailbox owner's: Courier's imapd runs as the
    /// user and refuses (or cannot read) a root-owned file. `sync FILE` is fsync(2); `sync
    /// DIR` makes the rename durable.
    static let script = #"""
        set -e
        dir=$1; base=$2; flags=$3; mtime=$4; size=$5; shift 5
        outcome=
        for sub in new cur; do
          for f in "$dir/$sub/$base" "$dir/$sub/$base":*; do
            if [ -e "$f" ]; then outcome=present; fi
          done
        done
        if [ -z "$outcome" ]; then
          tmp="$dir/tmp/$base"
          cat > "$tmp"
          got=$(wc -c < "$tmp")
          if [ "$got" -ne "$size" ]; then rm -f "$tmp"; echo "short write: $got of $size bytes" >&2; exit 4; fi
          chown --reference="$dir/cur" "$tmp"
          chmod 0600 "$tmp"
          touch -d "@$mtime" "$tmp"
          sync "$tmp"
          if [ -z "$flags" ]; then dest="$dir/new/$base"; else dest="$dir/cur/$base:2,$flags"; fi
          mv -f "$tmp" "$dest"
          sync "${dest%/*}"
          outcome=written
        fi
        if [ $# -gt 0 ]; then
          kw="$dir/courierimapkeywords"
          if [ ! -d "$kw" ]; then
            mkdir "$kw"
            chown --reference="$dir/cur" "$kw"
            chmod --reference="$dir/cur" "$kw"
          fi
          ktmp="$kw/.tmp.mailferry.$base"
          printf '%s\n' "$@" > "$ktmp"
          chown --reference="$dir/cur" "$ktmp"
          chmod 0600 "$ktmp"
          sync "$ktmp"
          mv -f "$ktmp" "$kw/$base"
          sync "$kw"
        fi
        echo $outcome
        """#
}
