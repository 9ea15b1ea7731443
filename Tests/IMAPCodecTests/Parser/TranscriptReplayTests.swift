import Foundation
import IMAPCodec
import MailModel
import NIOCore
import Testing

/// Server output captured from the testbed's Courier and Dovecot (scripts/lib/imap-capture.py;
/// the login is not recorded, message bodies are the synthetic corpus), replayed through the
/// parser all at once and one byte at a time.
@Suite struct TranscriptReplayTests {
    static func load(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures/Transcripts"))
        return Array(try Data(contentsOf: url))
    }

    static func events(_ name: String) throws -> [ResponseEvent] {
        let bytes = try load(name)
        let options = ResponseParserOptions(expectGreeting: true)
        let whole = ResponseFeeder.feed(bytes, options: options)
        let single = ResponseFeeder.feed(bytes, chunkSize: 1, options: options)
        #expect(whole == single)
        guard case .complete(let events) = whole else {
            Issue.record("\(name): \(whole)")
            return []
        }
        return events
    }

    @Test func courierSession() throws {
        let events = try TranscriptReplayTests.events("courier-session")
        let lists = events.compactMap { event -> MailboxInfo? in
            if case .untagged(.list(let info)) = event { return info }
            return nil
        }
        #expect(lists.count == 16)
        let names = try lists.map { try $0.path.decoded().name }
        #expect(names.contains("INBOX.Ünïcödé.Sub Folder"))
        #expect(names.contains("INBOX.日本語"))
        #expect(names.contains("INBOX.Family & Friends"))
        #expect(lists.first { $0.path.description == "INBOX.Lists" }?.isSelectable == false)

        var sizes: [UInt32: Int] = [:]
        var bodies: [Int] = []
        var uid: UInt32 = 0
        for event in events {
            if case .fetch(.attribute(.uid(let value))) = event { uid = value.rawValue }
            if case .fetch(.attribute(.rfc822Size(let size))) = event { sizes[uid] = size }
            if case .fetch(.streamingBegin(.body(.complete, nil), let count)) = event { bodies.append(count) }
        }
        #expect(sizes.count == 28)
        #expect(bodies == [sizes[1], sizes[2], sizes[3]].compactMap { $0 })
        #expect(events.contains(.untagged(.enabled([.utf8Accept]))))
        #expect(events.contains { if case .tagged(let t) = $0 { return t.tag == "C12" && t.status == .no }; return false })
        #expect(events.contains(.untagged(.condition(.bye, ResponseText(text: "Courier-IMAP server shutting down")))))
    }

    @Test func dovecotSession() throws {
        let events = try TranscriptReplayTests.events("dovecot-session")
        #expect(events.contains(.continuation(text: "")))
        #expect(events.contains(.untagged(.namespace(NamespaceResponse(
            personal: [NamespaceDescription(prefix: MailboxPath(wire: [], separator: "/"))], otherUsers: [], shared: [])))))
        let appendUIDs = events.compactMap { event -> UIDSet? in
            if case .tagged(let t) = event, case .appendUID(_, let set)? = t.text.code { return set }
            return nil
        }
        #expect(appendUIDs == [UIDSet([UID(exactly: 1)]), UIDSet([UID(exactly: 2)])])
        #expect(events.contains { if case .tagged(let t) = $0, case .modified? = t.text.code { return true }; return false })
        #expect(events.contains { if case .tagged(let t) = $0 { return t.text.code == .tryCreate }; return false })
        #expect(events.contains(.untagged(.search([1, 2], highestModSeq: ModSeq(6)))))
        let list = events.compactMap { event -> MailboxInfo? in
            if case .untagged(.list(let info)) = event, info.path.wire != Array("INBOX".utf8) { return info }
            return nil
        }
        #expect(try list.map { try $0.path.decoded().name } == ["Entwürfe", "Entwürfe/日本語 & Co"])
        #expect(events.contains(.fetch(.attribute(.other("BODYSTRUCTURE")))))
        #expect(events.contains(.fetch(.attribute(.other("ENVELOPE")))))
    }
}
