// libFuzzer target over the DNS codec: any octets a server could send (see FuzzerDriver
// for how it is built and replayed).
//
// Besides crashes it checks a round trip: a message that decodes must encode (names
// uncompressed) and decode again to the same value, unless decompression made it longer
// than 65535 octets, which the encoder must then refuse with a typed error.
import DNSCodec
import FuzzerSupport

let targets = [
    FuzzTarget("dns") { bytes in
        guard let message = try? DNSMessage(decoding: Array(bytes)) else { return }
        let encoded: [UInt8]
        do throws(DNSError) {
            encoded = try message.encoded()
        } catch .tooLong {
            return
        } catch {
            fatalError("a decoded message does not encode: \(error)")
        }
        guard let again = try? DNSMessage(decoding: encoded), again == message else {
            fatalError("round trip changed the message")
        }
    },
]
