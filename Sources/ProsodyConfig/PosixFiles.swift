import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file questions every load asks, answered with the POSIX calls FileManager itself
/// makes: the same answers, without FileManager's first-use set-up (generic metadata and
/// conformance scans over the whole binary, a visible part of checking a small config) and
/// without going through Data.
public enum PosixFiles {
    /// `FileManager.fileExists(atPath:isDirectory:)`: stat follows symbolic links.
    public static func kind(of path: String) -> (exists: Bool, isDirectory: Bool) {
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0 else { return (false, false) }
        return (true, (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// `FileManager.contents(atPath:)` as bytes: nil when the file cannot be opened or read.
    public static func contents(of path: String) -> [UInt8]? {
        guard !path.isEmpty else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        var capacity = 64 << 10
        if fstat(fd, &info) == 0, info.st_size > 0 { capacity = Int(info.st_size) + 1 }
        // The first read goes straight into the array, without clearing it first.
        var failed = false
        let first = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failed = true } else { count = n }
                return
            }
        }
        if failed { return nil }
        if first.isEmpty { return first }
        return readRest(fd, into: first)
    }

    /// `FileManager.contentsOfDirectory(atPath:)` for a directory of ASCII names: readdir's
    /// order, without "." and "..". nil when the directory cannot be read or a name is not
    /// ASCII (FileManager then answers, with its own decoding of names).
    public static func directoryEntries(of path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else { return errno == 0 ? names : nil }
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return String(decoding: bytes, as: UTF8.self)
            }
            guard let name else { return nil }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// The working directory (getcwd, what `FileManager.currentDirectoryPath` returns, without
    /// setting up FileManager).
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if getcwd(&buffer, buffer.count) != nil {
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return FileManager.default.currentDirectoryPath
    }

    /// `NSString.deletingLastPathComponent` for the common path (no trailing or doubled `/`):
    /// everything before the last `/` ("/" for a file at the root, "" for a bare name).
    public static func directoryPart(of path: String) -> String {
        // A plain loop over the bytes: generic helpers such as `zip` would make the runtime
        // build their type metadata on first use, which costs more than the whole scan.
        var path = path
        let lastSlash: Int?? = path.withUTF8 { bytes in
            guard let last = bytes.last, last != UInt8(ascii: "/") else { return nil }
            var found: Int?
            var previousWasSlash = false
            for index in 0..<bytes.count {
                let isSlash = bytes[index] == UInt8(ascii: "/")
                if isSlash && previousWasSlash { return nil }
                if isSlash { found = index }
                previousWasSlash = isSlash
            }
            return .some(found)
        }
        guard let lastSlash else { return (path as NSString).deletingLastPathComponent }
        guard let slash = lastSlash else { return "" }
        if slash == 0 { return "/" }
        return String(decoding: path.utf8.prefix(slash), as: UTF8.self)
    }

    /// True when the file opens and a first read succeeds (a directory, for one, fails it).
    public static func isReadable(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n >= 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// After a short first read: what is left up to end of file (usually nothing, which a
    /// small read on the stack confirms without a 64 KiB buffer).
    private static func readRest(_ fd: Int32, into start: [UInt8]) -> [UInt8]? {
        var bytes = start
        let probed: Int? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                bytes.append(contentsOf: buffer[..<n])
                return n
            }
        }
        guard let probed else { return nil }
        if probed == 0 { return bytes }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }
}
