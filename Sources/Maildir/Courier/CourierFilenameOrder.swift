/// Courier's orderings and equalities of message file names, reproduced byte for byte,
/// because they decide which UID a new message gets and which POP3 record belongs to
/// which file.
enum CourierFilenameOrder {
    /// `fnamcmp` of `imapscanclient.c`: compare the leading numbers (`atol`, the delivery
    /// timestamp) first, then the bytes, treating `:` as the end of the name.
    static func imapCompare(_ a: String, _ b: String) -> Int {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        let leftNumber = left[...].cLeadingInteger()
        let rightNumber = right[...].cLeadingInteger()
        if leftNumber != rightNumber { return leftNumber < rightNumber ? -1 : 1 }
        var index = 0
        while true {
            var ca: UInt8 = index < left.count ? left[index] : 0
            var cb: UInt8 = index < right.count ? right[index] : 0
            if ca == UInt8(ascii: ":") { ca = 0 }
            if cb == UInt8(ascii: ":") { cb = 0 }
            if ca == 0 || cb == 0 || ca != cb { return Int(ca) - Int(cb) }
            index += 1
        }
    }

    /// The delivery time Courier reads from a name: its leading decimal number (`atol`).
    static func deliveryTime(_ name: String) -> Int64 {
        Int64(Array(name.utf8)[...].cLeadingInteger())
    }

    /// True when `imapCompare` orders `a` before `b`.
    static func imapPrecedes(_ a: String, _ b: String) -> Bool { imapCompare(a, b) < 0 }

    /// The key under which `cmpmsgs` of `pop3dserver.c` considers two names equal: identical
    /// up to a `:` that both have at the same place, or identical entirely. (`f` does not
    /// match `f:2,S`; `f:2,S` matches `f:2,RS`.)
    static func pop3Key(_ name: String) -> String {
        guard let colon = name.firstIndex(of: ":") else { return name }
        return String(name[...colon])
    }
}
