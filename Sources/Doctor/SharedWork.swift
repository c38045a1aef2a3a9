import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs independent jobs on the calling thread and one helper thread.
///
/// The rules only read the analysis context (Swift 6 checks that they are `Sendable`; the
/// memo tables they share are locked), so they can run side by side. Each thread takes the
/// next job number until none is left, and results are kept by job number: the caller sees
/// them in job order, exactly as if the jobs had run one after the other. When the helper
/// thread cannot start, or is slow to, the calling thread simply does more of the jobs.
enum SharedWork {
    private final class State<T>: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        let count: Int
        let job: (Int) -> T
        let results: UnsafeMutablePointer<T?>

        init(count: Int, job: @escaping (Int) -> T) {
            self.count = count
            self.job = job
            results = .allocate(capacity: count)
            results.initialize(repeating: nil, count: count)
        }

        deinit {
            results.deinitialize(count: count)
            results.deallocate()
        }

        /// Takes job numbers until none is left; each result goes to its own slot.
        func work() {
            while true {
                lock.lock()
                let index = next
                next += 1
                lock.unlock()
                guard index < count else { return }
                results[index] = job(index)
            }
        }
    }

    /// `(0..<count).map(job)`, computed on two threads, or on the calling thread alone when
    /// `parallel` is false: a second thread costs about 0.2 ms to start and to feed (its own
    /// malloc arena, its stack, the wake-ups), more than it saves on a small input.
    static func map<T>(_ count: Int, parallel: Bool = true, _ job: @escaping (Int) -> T) -> [T] {
        let state = State(count: count, job: job)
        #if os(Linux)
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        // Twice the main thread's usual 8 MiB, which the rules ran on alone.
        pthread_attr_setstacksize(&attr, 16 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Helper { state.work() }).toOpaque()
        let started = parallel && count > 1 && pthread_create(&thread, &attr, { raw in
            Unmanaged<Helper>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context) == 0
        if !started { Unmanaged<Helper>.fromOpaque(context).release() }
        state.work()
        if started { pthread_join(thread, nil) }
        #else
        state.work()
        #endif
        return (0..<count).map { state.results[$0]! }
    }
}

/// What the helper thread runs.
private final class Helper: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
