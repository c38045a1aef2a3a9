#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Memory set-up for checking a big config (a few MB of Lua become hundreds of MB of model).
///
/// Most of the time a 5 MB config takes is otherwise spent in page faults, one per 4 KiB of
/// heap touched for the first time. This reserves the heap in one piece and asks the kernel
/// for transparent huge pages on it (2 MiB per fault), what glibc's `glibc.malloc.hugetlb=1`
/// tunable does; large blocks stay in that heap instead of separate mappings. Nothing here
/// changes what is computed. Small configs are left alone: a huge page is cleared in full on
/// first touch, which costs more than it saves on a few MB.
enum LargeHeap {
    /// Inputs at least this big get the huge-page heap.
    static let threshold = 1 << 20

    nonisolated(unsafe) private static var grower: UnsafeMutableRawPointer?

    static func prepare(forInputOfSize size: Int) {
        #if os(Linux)
        guard size >= threshold else { return }
        // Room for the model (about 50 times the input), reserved, not yet used.
        let reserve = min(max(size * 64, 64 << 20), 1 << 30)
        guard mallopt(M_TOP_PAD, Int32(reserve)) == 1,
              mallopt(M_TRIM_THRESHOLD, Int32.max) == 1,
              mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 else { return }
        // Grow the heap once now (a block larger than what is left at its top), then mark
        // the new part.
        guard let before = sbrk(0) else { return }
        // Kept in a global so that the compiler cannot drop the malloc/free pair.
        grower = malloc(1 << 20)
        guard let after = sbrk(0), after > before else { free(grower); return }
        free(grower)
        let hugePage = 2 << 20
        let start = (Int(bitPattern: before) + hugePage - 1) & ~(hugePage - 1)
        let end = Int(bitPattern: after) & ~(4096 - 1)
        if end > start {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
            prefault(start: start, length: min(end - start, size * prefaultedBytesPerInputByte))
        }
        #endif
    }

    /// The model takes about 32 bytes of heap per byte of config.
    static let prefaultedBytesPerInputByte = 32

    #if os(Linux)
    /// Has the kernel allocate and clear the first part of the heap on the other core while this
    /// one reads and evaluates the config: clearing the pages is a fifth of a big check, and
    /// otherwise happens one page fault at a time on the thread that needs the memory.
    /// (MADV_POPULATE_WRITE, Linux 5.14; an older kernel refuses it and nothing changes.)
    private static func prefault(start: Int, length: Int) {
        guard length > 0 else { return }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let region = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        region[0] = start
        region[1] = length
        let started = pthread_create(&thread, &attr, { raw in
            let region = raw!.assumingMemoryBound(to: Int.self)
            let populateWrite: Int32 = 23
            _ = madvise(UnsafeMutableRawPointer(bitPattern: region[0]), region[1], populateWrite)
            region.deallocate()
            return nil
        }, region)
        if started != 0 { region.deallocate() }
    }
    #endif
}
