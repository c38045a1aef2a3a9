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
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: capacity)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            if bytes.isEmpty && n < chunk.count {
                chunk.removeSubrange(n...)
                return readRest(fd, into: chunk)
            }
            bytes.append(contentsOf: chunk[..<n])
        }
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

    /// After a short first read: what is left up to end of file (usually nothing).
    private static func readRest(_ fd: Int32, into start: [UInt8]) -> [UInt8]? {
        var bytes = start
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
