/// A configuration file that cannot be used, with the reason in words an admin can act on.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }

    public static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .keyNotFound(let key, var context):
            // TOMLKit reports a value of the wrong type as a missing key, sometimes with the key
            // already at the end of the path.
            if context.codingPath.last?.stringValue == key.stringValue {
                context = .init(codingPath: context.codingPath.dropLast(), debugDescription: context.debugDescription)
            }
            let parent = path(context)
            return "setting \(parent.isEmpty ? "" : parent + ".")\(key.stringValue) is missing or of the wrong type"
        case .typeMismatch(let type, let context):
            return "setting \(path(context)) should be \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "setting \(path(context)) should be \(Self.typeName(type))"
        case .dataCorrupted(let context):
            return "setting \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "a \(type)"
        }
    }
}
