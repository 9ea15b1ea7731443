public import NIOCore
import NIOPosix

/// Runs the jobs of the tasks that prefer it (`withTaskExecutorPreference`,
/// `addTask(executorPreference:)`) on one NIO event loop. A task that talks to channels of
/// that loop then resumes on the thread where their events arrive: no thread switch and no
/// wake-up of the concurrency pool per response event or write.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// One executor per event loop of `group` (by default NIO's shared group, which the
    /// connections use).
    public static func forEachLoop(of group: MultiThreadedEventLoopGroup = .singleton) -> [EventLoopTaskExecutor] {
        group.makeIterator().map { EventLoopTaskExecutor($0) }
    }
}
