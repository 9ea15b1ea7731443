/// A mailbox's totals.
struct Census: Equatable {
    var folders = 0
    var messages = 0
    var bytes = 0

    var megabytes: Double { Double(bytes) / 1e6 }
    var description: String { "\(messages) msgs, \(BenchTable.format(megabytes)) MB, \(folders) folders" }
}
