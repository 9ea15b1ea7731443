import MailModel

extension EncodeBuffer {
    mutating func writeCommand(_ command: Command) throws(CommandEncodingError) {
        switch command {
        case .capability: writeRaw("CAPABILITY")
        case .noop: writeRaw("NOOP")
        case .logout: writeRaw("LOGOUT")
        case .startTLS: writeRaw("STARTTLS")
        case .namespace: writeRaw("NAMESPACE")
        case .close: writeRaw("CLOSE")
        case .unselect: writeRaw("UNSELECT")
        case .login(let username, let password):
            // login = "LOGIN" SP userid SP password
            writeRaw("LOGIN ")
            try writeAString(Array(username.utf8), field: "LOGIN user name")
            writeRaw(" ")
            try writeAString(Array(password.revealed.utf8), redacted: true, field: "LOGIN password")
        case .authenticate(let mechanism, let initialResponse):
            // authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]
            writeRaw("AUTHENTICATE \(mechanism)")
            if let initialResponse {
                writeRaw(" ")
                let value = initialResponse.revealed.isEmpty ? "=" : initialResponse.revealed
                writeRedacted(Array(value.utf8), as: "[redacted]")
            }
        case .enable(let capabilities):
            // enable = "ENABLE" 1*(SP capability)
            writeRaw("ENABLE")
            for capability in capabilities { writeRaw(" \(capability.rawValue)") }
        case .id(let parameters):
            // id = "ID" SP id-params-list ; id-params-list = "(" *(string SP nstring) ")" / nil
            guard !parameters.isEmpty else {
                writeRaw("ID NIL")
                return
            }
            writeRaw("ID (")
            for (index, parameter) in parameters.enumerated() {
                if index > 0 { writeRaw(" ") }
                try writeString(Array(parameter.key.utf8), field: "ID key")
                writeRaw(" ")
                if let value = parameter.value { try writeString(Array(value.utf8), field: "ID value") } else { writeRaw("NIL") }
            }
            writeRaw(")")
        case .list(let reference, let pattern, let returnSpecialUse):
            // list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
            writeRaw("LIST ")
            try writeMailbox(reference)
            writeRaw(" ")
            try writeListPattern(pattern)
            if returnSpecialUse { writeRaw(" RETURN (SPECIAL-USE)") }
        case .lsub(let reference, let pattern):
            writeRaw("LSUB ")
            try writeMailbox(reference)
            writeRaw(" ")
            try writeListPattern(pattern)
        case .status(let mailbox, let attributes):
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
            guard !attributes.isEmpty else { throw CommandEncodingError(.invalidArgument("no attributes"), field: "STATUS") }
            writeRaw("STATUS ")
            try writeMailbox(mailbox)
            writeRaw(" (" + attributes.map(\.rawValue).joined(separator: " ") + ")")
        case .select(let mailbox, let condStore):
            // select = "SELECT" SP mailbox [select-params]
            writeRaw("SELECT ")
            try writeMailbox(mailbox)
            if condStore { writeRaw(" (CONDSTORE)") }
        case .examine(let mailbox, let condStore):
            writeRaw("EXAMINE ")
            try writeMailbox(mailbox)
            if condStore { writeRaw(" (CONDSTORE)") }
        case .create(let mailbox, let specialUse):
            // create = "CREATE" SP mailbox [create-params] ; create-param =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"
            writeRaw("CREATE ")
            try writeMailbox(mailbox)
            if !specialUse.isEmpty { writeRaw(" (USE (" + specialUse.map(\.rawValue).joined(separator: " ") + "))") }
        case .delete(let mailbox):
            writeRaw("DELETE ")
            try writeMailbox(mailbox)
        case .rename(let from, let to):
            writeRaw("RENAME ")
            try writeMailbox(from)
            writeRaw(" ")
            try writeMailbox(to)
        case .subscribe(let mailbox):
            writeRaw("SUBSCRIBE ")
            try writeMailbox(mailbox)
        case .unsubscribe(let mailbox):
            writeRaw("UNSUBSCRIBE ")
            try writeMailbox(mailbox)
        case .uidFetch(let set, let items, let changedSince):
            // fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
            guard !items.isEmpty else { throw CommandEncodingError(.invalidArgument("no data items"), field: "UID FETCH") }
            writeRaw("UID FETCH ")
            try writeUIDSet(set, field: "UID FETCH")
            writeRaw(" (" + items.map(EncodeBuffer.fetchItem).joined(separator: " ") + ")")
            if let changedSince { writeRaw(" (CHANGEDSINCE \(changedSince.rawValue))") }
        case .uidStore(let set, let operation, let unchangedSince):
            // store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
            writeRaw("UID STORE ")
            try writeUIDSet(set, field: "UID STORE")
            if let unchangedSince { writeRaw(" (UNCHANGEDSINCE \(unchangedSince.rawValue))") }
            let sign = operation.kind == .add ? "+" : operation.kind == .remove ? "-" : ""
            writeRaw(" \(sign)FLAGS\(operation.silent ? ".SILENT" : "") ")
            try writeFlagList(operation.flags)
        case .uidSearch(let key):
            // search = "SEARCH" [SP "CHARSET" SP charset] 1*(SP search-key)
            writeRaw("UID SEARCH ")
            if key.needsUTF8Charset && !options.utf8Accepted { writeRaw("CHARSET UTF-8 ") }
            try writeSearchKey(key)
        case .uidExpunge(let set):
            writeRaw("UID EXPUNGE ")
            try writeUIDSet(set, field: "UID EXPUNGE")
        case .uidCopy(let set, let mailbox):
            writeRaw("UID COPY ")
            try writeUIDSet(set, field: "UID COPY")
            writeRaw(" ")
            try writeMailbox(mailbox)
        }
    }

    // mailbox = "INBOX" / astring
    @discardableResult
    public mutating func writeMailbox(_ mailbox: MailboxPath) throws(CommandEncodingError) -> Int {
        try writeAString(mailbox.wire, field: "mailbox name")
    }

    // list-mailbox = 1*list-char / string ; list-char = ATOM-CHAR / list-wildcards / resp-specials
    mutating func writeListPattern(_ pattern: [UInt8]) throws(CommandEncodingError) {
        let listChars: (UInt8) -> Bool = { EncodeBuffer.isAtomChar($0) || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "]") }
        if !pattern.isEmpty, pattern.allSatisfy(listChars) {
            writeRaw(String(decoding: pattern, as: UTF8.self))
        } else {
            try writeString(pattern, field: "LIST pattern")
        }
    }

    // flag-list = "(" [flag *(SP flag)] ")"
    @discardableResult
    public mutating func writeFlagList(_ flags: [Flag]) throws(CommandEncodingError) -> Int {
        // flag = "\Answered" / ... / flag-keyword / flag-extension ; flag-extension = "\" atom
        for flag in flags {
            let bytes = Array(flag.stringValue.utf8)
            let atom = flag.isSystemFlag ? bytes.dropFirst() : bytes[...]
            guard !atom.isEmpty, atom.allSatisfy(EncodeBuffer.isAtomChar) else { throw CommandEncodingError(.invalidFlag, field: "flag") }
        }
        return writeRaw("(" + flags.map(\.stringValue).joined(separator: " ") + ")")
    }

    // sequence-set = (seq-number / seq-range) ["," sequence-set]
    @discardableResult
    public mutating func writeUIDSet(_ set: UIDSet, field: String) throws(CommandEncodingError) -> Int {
        guard !set.isEmpty else { throw CommandEncodingError(.emptySet, field: field) }
        return writeRaw(set.description)
    }

    // fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822.SIZE" / "BODYSTRUCTURE" / "UID" /
    //     "BODY" [".PEEK"] section ["<" number "." nz-number ">"] / "MODSEQ"
    static func fetchItem(_ item: FetchItem) -> String {
        switch item {
        case .uid: return "UID"
        case .flags: return "FLAGS"
        case .internalDate: return "INTERNALDATE"
        case .rfc822Size: return "RFC822.SIZE"
        case .modSeq: return "MODSEQ"
        case .envelope: return "ENVELOPE"
        case .bodyStructure: return "BODYSTRUCTURE"
        case .body(let section, let peek, let partial):
            let range = partial.map { "<\($0.lowerBound).\($0.count)>" } ?? ""
            return "BODY\(peek ? ".PEEK" : "")[\(section)]\(range)"
        }
    }
}
