/// Why the corpus could not be generated. Nothing is written when validation fails.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    case invalidProfile(String)
    case maildirNotEmpty(String)
    case io(String)
    case unknownOwner(String)

    public var description: String {
        switch self {
        case .invalidProfile(let why): return "invalid corpus profile: \(why)"
        case .maildirNotEmpty(let path):
            return "\(path) already holds mail; generating into it would mix corpora (use --replace to empty it first)"
        case .io(let what): return what
        case .unknownOwner(let user): return "no system user \(user) to own the Maildir"
        }
    }
}
