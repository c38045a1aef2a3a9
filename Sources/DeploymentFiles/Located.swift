/// A value read from a deployment file, with the 1-based line it starts on.
public struct LocatedValue: Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public var line: Int
    public init(_ value: String, line: Int) {
        self.value = value
        self.line = line
    }
    public var description: String { "\(value) (line \(line))" }
}

/// Why a file could not be used at all (readers themselves never fail: they keep what they can).
public enum ReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case notText(path: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file"
        case .unreadable(let path, let reason): "\(path): cannot be read (\(reason))"
        case .notText(let path): "\(path): not a text file"
        }
    }
}

/// Reads a text file for the tolerant readers: CRLF and invalid UTF-8 are tolerated,
/// NUL bytes mean "not text".
enum TextFile {
    static func read(_ path: String) -> Result<String, ReadFailure> {
        var isDirectory: ObjCBoolShim = false
        guard FileExists.check(path, isDirectory: &isDirectory) else { return .failure(.missing(path: path)) }
        if isDirectory { return .failure(.unreadable(path: path, reason: "is a directory")) }
        guard let data = FileManagerShim.contents(path) else {
            return .failure(.unreadable(path: path, reason: "permission denied or I/O error"))
        }
        return decode(data).map { .success($0) } ?? .failure(.notText(path: path))
    }

    /// nil when the bytes hold NUL (binary); otherwise lossy UTF-8.
    static func decode(_ bytes: [UInt8]) -> String? {
        if bytes.contains(0) { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
