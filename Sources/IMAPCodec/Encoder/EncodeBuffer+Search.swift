import MailModel

extension SearchKey {
    /// True when a string argument holds non-ASCII text (then `CHARSET UTF-8` is sent).
    var needsUTF8Charset: Bool {
        switch self {
        case .header(let field, let value): return !field.utf8.allSatisfy { $0 < 0x80 } || !value.utf8.allSatisfy { $0 < 0x80 }
        case .not(let key): return key.needsUTF8Charset
        case .or(let left, let right): return left.needsUTF8Charset || right.needsUTF8Charset
        case .and(let keys): return keys.contains(where: \.needsUTF8Charset)
        default: return false
        }
    }
}

extension EncodeBuffer {
    // search-key = "ALL" / "ANSWERED" / ... / "HEADER" SP header-fld-name SP astring / "KEYWORD" SP flag-keyword /
    //     "LARGER" SP number / "NOT" SP search-key / "OR" SP search-key SP search-key / "SINCE" SP date /
    //     "SMALLER" SP number / "UID" SP sequence-set / "(" search-key *(SP search-key) ")" / "MODSEQ" SP mod-sequence-value
    mutating func writeSearchKey(_ key: SearchKey) throws(CommandEncodingError) {
        switch key {
        case .all: writeRaw("ALL")
        case .uid(let set):
            writeRaw("UID ")
            try writeUIDSet(set, field: "SEARCH UID")
        case .seen: writeRaw("SEEN")
        case .unseen: writeRaw("UNSEEN")
        case .answered: writeRaw("ANSWERED")
        case .unanswered: writeRaw("UNANSWERED")
        case .flagged: writeRaw("FLAGGED")
        case .unflagged: writeRaw("UNFLAGGED")
        case .deleted: writeRaw("DELETED")
        case .undeleted: writeRaw("UNDELETED")
        case .draft: writeRaw("DRAFT")
        case .undraft: writeRaw("UNDRAFT")
        case .keyword(let flag), .unkeyword(let flag):
            guard flag.isValidKeyword else { throw CommandEncodingError(.invalidFlag, field: "SEARCH KEYWORD") }
            writeRaw(key == .keyword(flag) ? "KEYWORD " : "UNKEYWORD ")
            writeRaw(flag.stringValue)
        case .since(let date): writeRaw("SINCE \(date)")
        case .before(let date): writeRaw("BEFORE \(date)")
        case .on(let date): writeRaw("ON \(date)")
        case .larger(let size): writeRaw("LARGER \(size)")
        case .smaller(let size): writeRaw("SMALLER \(size)")
        case .header(let field, let value):
            writeRaw("HEADER ")
            try writeAString(Array(field.utf8), field: "SEARCH HEADER field")
            writeRaw(" ")
            try writeString(Array(value.utf8), field: "SEARCH HEADER value")
        case .modSeq(let modSeq): writeRaw("MODSEQ \(modSeq.rawValue)")
        case .not(let inner):
            writeRaw("NOT ")
            try writeSearchKey(inner)
        case .or(let left, let right):
            writeRaw("OR ")
            try writeSearchKey(left)
            writeRaw(" ")
            try writeSearchKey(right)
        case .and(let keys):
            guard !keys.isEmpty else { throw CommandEncodingError(.invalidArgument("empty criteria list"), field: "SEARCH") }
            writeRaw("(")
            for (index, inner) in keys.enumerated() {
                if index > 0 { writeRaw(" ") }
                try writeSearchKey(inner)
            }
            writeRaw(")")
        }
    }
}
