/// Splits a metadata file into `\n`-terminated lines, byte-exact (no CR stripping, no
/// Unicode normalisation), remembering whether the last line was terminated: several
/// formats must ignore a torn, unterminated last line the way their C readers do.
struct LineSplitter {
    struct Line {
        /// 1-based line number.
        let number: Int
        let bytes: ArraySlice<UInt8>
        let terminated: Bool

        var text: String? { String(validating: bytes, as: UTF8.self) }
        var isEmpty: Bool { bytes.isEmpty }
    }

    static func lines(_ bytes: [UInt8]) -> [Line] {
        var result: [Line] = []
        var start = bytes.startIndex
        var number = 1
        while start < bytes.endIndex {
            if let newline = bytes[start...].firstIndex(of: 10) {
                result.append(Line(number: number, bytes: bytes[start..<newline], terminated: true))
                start = newline + 1
            } else {
                result.append(Line(number: number, bytes: bytes[start...], terminated: false))
                start = bytes.endIndex
            }
            number += 1
        }
        return result
    }
}

extension ArraySlice where Element == UInt8 {
    /// Strict unsigned decimal: only digits, no sign, no spaces, at most `maxDigits` digits.
    func decimal(maxDigits: Int = 19) -> UInt64? {
        guard !isEmpty, count <= maxDigits else { return nil }
        var value: UInt64 = 0
        for byte in self {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(byte - 0x30))
            if overflow1 || overflow2 { return nil }
            value = added
        }
        return value
    }

    /// C `atoi`/`atol` on bytes: optional spaces, optional sign, leading digits; 0 when
    /// there are none. Saturates instead of overflowing.
    func cLeadingInteger() -> Int64 {
        var index = startIndex
        while index < endIndex, self[index] == 0x20 || (self[index] >= 0x09 && self[index] <= 0x0D) { index += 1 }
        var negative = false
        if index < endIndex, self[index] == UInt8(ascii: "-") || self[index] == UInt8(ascii: "+") {
            negative = self[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: Int64 = 0
        while index < endIndex, self[index] >= 0x30 && self[index] <= 0x39 {
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int64(self[index] - 0x30))
            if overflow1 || overflow2 { return negative ? Int64.min : Int64.max }
            value = added
            index += 1
        }
        return negative ? -value : value
    }
}
