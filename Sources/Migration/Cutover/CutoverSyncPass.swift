/// Which sync pass of a cutover runs. The two differ on a Courier Maildir source: a presync
/// runs while the old server still delivers, so it leaves the last seconds' mail that Courier
/// has not numbered yet for a later pass (`--settle`); the final delta runs with delivery
/// held and numbers everything exactly as Courier's next scan would.
public enum CutoverSyncPass: String, Hashable, Sendable {
    case presync
    case final
}
