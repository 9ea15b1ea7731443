import MailferryCLI

#if os(Linux)
// glibc gives each thread that allocates its own malloc arena (up to 8 per core); with NIO's
// event loops, the cooperative pool and the I/O pools that is a dozen arenas, each keeping
// freed memory the others cannot reuse. Two arenas keep the peak RSS down.
// mallopt(3) is declared in <malloc.h>, which the Glibc module does not export.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let mArenaMax: Int32 = -8  // M_ARENA_MAX
_ = mallopt(mArenaMax, 2)
#endif
await MailferryCommand.runFromCommandLine()
