/// How folder names are stored on disk.
///
/// Courier before 5.0 and Dovecot by default store IMAP's modified UTF-7 (`.R&AOk-sum&AOk-`);
/// Courier 5 (after `maildirmake --convutf8`) and Dovecot with `:UTF-8` /
/// `mailbox_list_utf8 = yes` store UTF-8 (`.Résumé`).
public enum FolderNameEncoding: String, Hashable, Sendable, CustomStringConvertible {
    case utf8 = "UTF-8"
    case modifiedUTF7 = "modified UTF-7"

    public var description: String { rawValue }
}

/// How to read folder names from a source Maildir.
public enum FolderNameDecoding: Hashable, Sendable {
    /// Decide per name: non-ASCII bytes mean UTF-8; an ASCII name that is valid modified
    /// UTF-7 with a shift sequence (`&…-`) is modified UTF-7; an ASCII name with a bare
    /// `&` (`.AT&T`) is taken literally.
    case detect
    /// Every name is UTF-8, taken literally (Courier ≥ 5 after `--convutf8`).
    case utf8
    /// Every name is modified UTF-7 and must decode strictly (Courier < 5).
    case modifiedUTF7
}
