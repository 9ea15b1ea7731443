/// The version printed by `mailferry --version` and written into reports.
public enum MailferryVersion {
    public static let string = "0.1.0"
}
