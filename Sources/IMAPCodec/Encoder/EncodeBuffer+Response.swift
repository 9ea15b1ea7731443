import MailModel

/// Server-side syntax, used by ``ResponseEncoder``. Values that cannot fail to encode on the
/// server side (no NUL) are written with `try!`-free fallbacks: a NUL would be a test bug.
extension EncodeBuffer {
    mutating func writeResponseText(_ text: ResponseText) {
        if let code = text.code {
            writeRaw("[")
            writeResponseCode(code)
            writeRaw("] ")
        }
        writeRaw(text.text)
    }

    mutating func writeResponseCode(_ code: ResponseCode) {
        switch code {
        case .alert: writeRaw("ALERT")
        case .parse: writeRaw("PARSE")
        case .readOnly: writeRaw("READ-ONLY")
        case .readWrite: writeRaw("READ-WRITE")
        case .tryCreate: writeRaw("TRYCREATE")
        case .uidNotSticky: writeRaw("UIDNOTSTICKY")
        case .noModSeq: writeRaw("NOMODSEQ")
        case .closed: writeRaw("CLOSED")
        case .overQuota: writeRaw("OVERQUOTA")
        case .limit: writeRaw("LIMIT")
        case .alreadyExists: writeRaw("ALREADYEXISTS")
        case .nonExistent: writeRaw("NONEXISTENT")
        case .authenticationFailed: writeRaw("AUTHENTICATIONFAILED")
        case .authorizationFailed: writeRaw("AUTHORIZATIONFAILED")
        case .unavailable: writeRaw("UNAVAILABLE")
        case .inUse: writeRaw("INUSE")
        case .badCharset(let charsets): writeRaw(charsets.isEmpty ? "BADCHARSET" : "BADCHARSET (\(charsets.joined(separator: " ")))")
        case .capability(let capabilities): writeRaw((["CAPABILITY"] + capabilities.map(\.rawValue)).joined(separator: " "))
        case .permanentFlags(let flags, let allowsNewKeywords):
            writeRaw("PERMANENTFLAGS (" + (flags.map(\.stringValue) + (allowsNewKeywords ? ["\\*"] : [])).joined(separator: " ") + ")")
        case .uidNext(let uid): writeRaw("UIDNEXT \(uid)")
        case .uidValidity(let validity): writeRaw("UIDVALIDITY \(validity)")
        case .unseen(let sequence): writeRaw("UNSEEN \(sequence)")
        case .highestModSeq(let modSeq): writeRaw("HIGHESTMODSEQ \(modSeq)")
        case .appendUID(let validity, let uids): writeRaw("APPENDUID \(validity) \(uids)")
        case .copyUID(let validity, let source, let destination): writeRaw("COPYUID \(validity) \(source) \(destination)")
        case .modified(let uids): writeRaw("MODIFIED \(uids)")
        case .other(let name, let text): writeRaw(text.map { "\(name) \($0)" } ?? name)
        }
    }

    mutating func writeUntagged(_ response: UntaggedResponse) {
        switch response {
        case .condition(let status, let text):
            writeRaw("\(status.rawValue) ")
            writeResponseText(text)
        case .capability(let capabilities): writeRaw((["CAPABILITY"] + capabilities.map(\.rawValue)).joined(separator: " "))
        case .enabled(let capabilities): writeRaw((["ENABLED"] + capabilities.map(\.rawValue)).joined(separator: " "))
        case .id(let parameters):
            guard !parameters.isEmpty else {
                writeRaw("ID NIL")
                return
            }
            writeRaw("ID (")
            for (index, parameter) in parameters.enumerated() {
                if index > 0 { writeRaw(" ") }
                writeServerString(Array(parameter.key.utf8))
                writeRaw(" ")
                if let value = parameter.value { writeServerString(Array(value.utf8)) } else { writeRaw("NIL") }
            }
            writeRaw(")")
        case .namespace(let namespace):
            writeRaw("NAMESPACE ")
            for (index, group) in [namespace.personal, namespace.otherUsers, namespace.shared].enumerated() {
                if index > 0 { writeRaw(" ") }
                guard !group.isEmpty else {
                    writeRaw("NIL")
                    continue
                }
                writeRaw("(")
                for description in group {
                    writeRaw("(")
                    writeServerString(description.prefix.wire)
                    writeRaw(" ")
                    writeSeparator(description.separator)
                    writeRaw(")")
                }
                writeRaw(")")
            }
        case .list(let info), .lsub(let info):
            writeRaw(response == .list(info) ? "LIST (" : "LSUB (")
            writeRaw(info.attributes.map(\.rawValue).joined(separator: " ") + ") ")
            writeSeparator(info.path.separator)
            writeRaw(" ")
            writeServerAString(info.path.wire)
        case .status(let mailbox, let status):
            writeRaw("STATUS ")
            writeServerAString(mailbox.wire)
            var items: [String] = []
            if let value = status.messageCount { items.append("MESSAGES \(value)") }
            if let value = status.recentCount { items.append("RECENT \(value)") }
            if let value = status.uidNext { items.append("UIDNEXT \(value)") }
            if let value = status.uidValidity { items.append("UIDVALIDITY \(value)") }
            if let value = status.unseenCount { items.append("UNSEEN \(value)") }
            if let value = status.deletedCount { items.append("DELETED \(value)") }
            if let value = status.size { items.append("SIZE \(value)") }
            if let value = status.highestModSeq { items.append("HIGHESTMODSEQ \(value)") }
            if let value = status.appendLimit { items.append("APPENDLIMIT \(value)") }
            writeRaw(" (" + items.joined(separator: " ") + ")")
        case .flags(let flags): writeRaw("FLAGS (" + flags.map(\.stringValue).joined(separator: " ") + ")")
        case .exists(let count): writeRaw("\(count) EXISTS")
        case .recent(let count): writeRaw("\(count) RECENT")
        case .expunge(let sequence): writeRaw("\(sequence) EXPUNGE")
        case .search(let numbers, let modSeq):
            writeRaw((["SEARCH"] + numbers.map(String.init)).joined(separator: " "))
            if let modSeq { writeRaw(" (MODSEQ \(modSeq))") }
        case .other(let name): writeRaw(name)
        }
    }

    mutating func writeFetchAttribute(_ attribute: FetchAttribute) {
        switch attribute {
        case .uid(let uid): writeRaw("UID \(uid)")
        case .flags(let flags): writeRaw("FLAGS (" + flags.map(\.stringValue).joined(separator: " ") + ")")
        case .internalDate(let date): writeRaw("INTERNALDATE \"\(date.imapString)\"")
        case .rfc822Size(let size): writeRaw("RFC822.SIZE \(size)")
        case .modSeq(let modSeq): writeRaw("MODSEQ (\(modSeq))")
        case .nilBody(let kind): writeRaw(ResponseEncoder.name(of: kind) + " NIL")
        case .other(let name): writeRaw("\(name) NIL")
        }
    }

    private mutating func writeSeparator(_ separator: Character?) {
        guard let separator else {
            writeRaw("NIL")
            return
        }
        writeRaw(separator == "\\" || separator == "\"" ? "\"\\\(separator)\"" : "\"\(separator)\"")
    }

    private mutating func writeServerString(_ bytes: [UInt8]) {
        _ = try? writeString(bytes, field: "response string")
    }

    private mutating func writeServerAString(_ bytes: [UInt8]) {
        _ = try? writeAString(bytes, field: "response astring")
    }
}
