import TOMLKit

extension ConfigDecoder {
    /// A decoding error in words: the setting's name, what it should be and what the file has.
    static func describe(_ error: DecodingError, in table: TOMLTable) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            // TOMLKit reports a value of the wrong type as a missing key, with the key at the
            // end of the path or not; the file tells the two apart.
            var path = context.codingPath
            if path.last?.stringValue != key.stringValue || path.last?.intValue != key.intValue { path.append(key) }
            if let found = value(at: path, in: table) {
                return "setting \(name(path)) is of the wrong type (\(article(found.type)) here)"
            }
            return "setting \(name(path)) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let found = value(at: context.codingPath, in: table).map { " (\(article($0.type)) here)" } ?? ""
            return "setting \(subject(context.codingPath)) should be \(expected(type))\(found)"
        case .dataCorrupted(let context):
            // The value types of the config (``ConfigDuration``) say what they need.
            return "setting \(subject(context.codingPath)) \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func subject(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "(the whole file)" : name(path)
    }

    /// The value at `path`, or nil when the file has none there.
    static func value(at path: [any CodingKey], in table: TOMLTable) -> (any TOMLValueConvertible)? {
        var current: any TOMLValueConvertible = table
        for key in path {
            if let index = key.intValue {
                guard let array = current.array, index >= 0, index < array.count else { return nil }
                current = array[index]
            } else {
                guard let next = current.table?[key.stringValue] else { return nil }
                current = next
            }
        }
        return current
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        case is TOMLTable.Type: return "a table"
        case is TOMLArray.Type: return "an array"
        default: return "a \(type)"
        }
    }

    private static func article(_ type: TOMLType) -> String {
        switch type {
        case .int, .array: return "an \(type)"
        case .bool: return "true or false"
        default: return "a \(type)"
        }
    }
}
