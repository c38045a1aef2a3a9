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
        guard let thread = startThread(stackSize: 64 << 20, { markLargeStackThread(); box.value = body() }) else { return body() }
        pthread_join(thread, nil)
        if let value = box.value { return value }
        return body()
        #else
        return body()
        #endif
    }

    #if os(Linux)
    /// Starts `body` on a new joinable thread with the given stack; nil when none can start.
    static func startThread(stackSize: Int, _ body: @escaping () -> Void) -> pthread_t? {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Job(body)).toOpaque()
        let rc = pthread_create(&thread, &attr, { raw in
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
    #endif
}

/// Runs `side` on a second thread while the caller runs `main`, and returns when both are
/// done (`side` runs on the calling thread after `main` when no thread can be started). The
/// two must share nothing mutable; `side` hands its result over through what it captures.
enum SideBySide {
    /// Holds what `side` computed, for the caller to read once `run` has returned.
    final class Result<T>: @unchecked Sendable {
        var value: T?
        init() {}
    }

    static func run(_ main: () -> Void, beside side: @escaping () -> Void) {
        #if os(Linux)
        let thread = LargeStack.startThread(stackSize: 16 << 20, side)
        main()
        if let thread { pthread_join(thread, nil) } else { side() }
        #else
        main()
        side()
        #endif
    }
}
