import Cutover

/// Logs hold whatever senders put in addresses and whatever a disk or a crash left: any
/// bytes must scan to records or malformed lines, the same however they are chunked, and
/// any records must give a proof and a page, never a trap.
enum MailLogChecks {
    static let clock = LogClock(anchor: LogInstant(iso: "2026-12-06T12:00:00Z")!)

    @Sendable static func scanAndProve(_ bytes: UnsafeBufferPointer<UInt8>) {
        let whole = MailLogScan.scan(name: "fuzz", bytes: bytes, clock: clock)
        // The same bytes in chunks whose sizes come from the input itself.
        var scanner = MailLogScanner(name: "fuzz", clock: clock)
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            scanner.feed(UnsafeBufferPointer(rebasing: bytes[offset..<end]))
            step = Int(bytes[offset] % 13) + 1
            offset = end
        }
        let chunked = scanner.finish()
        guard chunked.records == whole.records, chunked.lines == whole.lines, chunked.malformed == whole.malformed,
              chunked.gaps == whole.gaps else {
            fatalError("chunked scan differs: \(chunked.lines)/\(whole.lines) lines, \(chunked.records.count)/\(whole.records.count) records")
        }
        guard whole.records.count + whole.malformed <= whole.lines else {
            fatalError("\(whole.records.count) records and \(whole.malformed) malformed from \(whole.lines) lines")
        }
        let report = CutoverProof.build(from: ProofInputs(
            oldLog: whole, newLog: whole, dovecotLog: whole, since: LogInstant(seconds: 0), until: LogInstant(seconds: 1 << 40),
            newServerRelays: ["127.0.0.1", "mx.new.test"], oldServerClients: ["127.0.0.1"]))
        let counted = report.counts.recipients + report.counts.mirrorCopies
        // Recipients qmgr counted but never logged share one entry, so entries never exceed the count.
        guard counted >= report.entries.count else { fatalError("\(report.entries.count) entries, counted \(counted)") }
        _ = CutoverProofHTMLRenderer().render(report)
        _ = try? CutoverProofJSONRenderer().render(report)
    }
}
