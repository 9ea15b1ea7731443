/// A value handed between threads that never use it at the same time (see ``MaildirIO``).
struct Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
