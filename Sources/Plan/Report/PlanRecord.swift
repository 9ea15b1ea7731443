/// A DNS record as the plan read it from the zone's authoritative server, for the report's
/// record table and for `mailferry cutover` (which waits out the TTLs).
public struct PlanRecord: Codable, Sendable, Equatable {
    public var name: String
    public var type: String
    public var value: String
    /// Seconds, as the zone publishes it.
    public var ttl: UInt32
    /// Why the plan looked at it: `mx`, `mx-host`, `client`, `spf`, `tlsa`, `ptr`, `mta-sts`.
    public var role: String
    /// Whether the record leads to the old server, so caches of it keep mail or clients
    /// going there until its TTL has passed after the switch.
    public var pointsToOld: Bool

    public init(name: String, type: String, value: String, ttl: UInt32, role: String, pointsToOld: Bool) {
        self.name = name
        self.type = type
        self.value = value
        self.ttl = ttl
        self.role = role
        self.pointsToOld = pointsToOld
    }
}
