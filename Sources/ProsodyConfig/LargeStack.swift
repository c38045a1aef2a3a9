import Foundation
import LuaSyntax
#if canImport(Glibc)
import Glibc
#endif

/// The evaluator recurses with the Lua source's nesting (up to luac's ~200 levels, times a
/// few frames each). Loads run on a dedicated thread with a 64 MiB stack (reserved lazily)
/// so callers on small stacks (Swift concurrency's threads, debug builds) are safe.
enum LargeStack {
    private final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    static func run<T>(_ body: @escaping () -> T) -> T {
        #if os(Linux)
        // Loads nest (a caller already on a large stack): no second thread.
        if isLargeStackThread() { return body() }
        let box = Box<T>()
        let job = Job { box.value = body() }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, 64 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let rc = pthread_create(&thread, &attr, { raw in
            markLargeStackThread()
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        if rc == 0 {
            pthread_join(thread, nil)
            if let value = box.value { return value }
            return body()
        }
        Unmanaged<Job>.fromOpaque(context).release()
        return body()
        #else
        return body()
        #endif
    }
}

/// Runs `side` on a second thread while the caller runs `main`, and returns when both are
/// done (`side` runs on the calling thread after `main` when no thread can be started). The
/// two must share nothing mutable; `side` hands its result over through what it captures.
enum SideBySide {
    private final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Holds what `side` computed, for the caller to read once `run` has returned.
    final class Result<T>: @unchecked Sendable {
        var value: T?
        init() {}
    }

    static func run(_ main: () -> Void, beside side: @escaping () -> Void) {
        #if os(Linux)
        let job = Job(side)
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, 16 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let rc = pthread_create(&thread, &attr, { raw in
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        main()
        if rc == 0 {
            pthread_join(thread, nil)
        } else {
            Unmanaged<Job>.fromOpaque(context).release()
            side()
        }
        #else
        main()
        side()
        #endif
    }
}
