import Glibc

/// The process's limit on open descriptors (`RLIMIT_NOFILE`).
///
/// A sync from a Courier Maildir holds each message of a batch as its open file, two batches
/// per folder, for every folder and account worked on at once: that passes the usual soft
/// limit of 1,024 long before the hard limit (524,288 under systemd). A process may raise its
/// own soft limit up to the hard one without privileges; epoll has no use for the old bound.
public enum DescriptorLimit {
    /// Raise the soft limit to the hard one; the soft limit in force afterwards (the old one
    /// if it could not be raised).
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { return Int(clamping: raised.rlim_cur) }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
