import Foundation
import ProsodyConfig
import Yams

/// `.prosody-doctor.yml`: per-project policy, found upward from the checked file.
///
///     select: [JWT, CFG]          # only these rules (ids, prefixes, names)
///     ignore: [SEC305]
///     severity: { JWT502: error } # per-rule severity overrides
///     hosts:                      # per-host ignores
///       guest.meet.example.com: { ignore: [JWT501] }
///     prosody_version: "0.12"
///     jitsi: true                 # force Jitsi rules on/off
///     fail_on: warning
///     format: text
public struct ProjectConfiguration: Sendable, Equatable {
    public var select: [String] = []
    public var ignore: [String] = []
    public var severityOverrides: [String: Severity] = [:]
    public var hostIgnores: [String: [String]] = [:]
    public var prosodyVersion: String?
    public var jitsi: Bool?
    public var failOn: String?
    public var format: String?

    public init() {}

    public static let fileName = ".prosody-doctor.yml"

    public struct InvalidFile: Error, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var message: String
        public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
    }

    static let allowedKeys: Set<String> = ["select", "ignore", "severity", "hosts", "prosody_version", "jitsi", "fail_on", "format"]
    static let failLevels: Set<String> = ["error", "warning", "info", "hint", "never"]

    /// Parses the file's text; every problem names the line.
    public static func parse(_ text: String, path: String, knownRule: (String) -> Bool) throws -> ProjectConfiguration {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw InvalidFile(path: path, line: Self.line(of: error), message: "not valid YAML: \(error)")
        }
        var result = ProjectConfiguration()
        guard let node else { return result }
        guard let mapping = node.mapping else {
            throw InvalidFile(path: path, line: node.mark?.line, message: "expected a mapping of settings")
        }
        func fail(_ node: Node, _ message: String) -> InvalidFile { InvalidFile(path: path, line: node.mark?.line, message: message) }
        func strings(_ node: Node, _ key: String) throws -> [String] {
            if let s = node.string, node.scalar != nil { return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            guard let seq = node.sequence else { throw fail(node, "'\(key)' must be a list of rule ids") }
            return try seq.map { item in
                guard let s = item.string, item.scalar != nil else { throw fail(item, "'\(key)' must be a list of rule ids") }
                return s
            }
        }
        func rules(_ node: Node, _ key: String) throws -> [String] {
            let list = try strings(node, key)
            if let unknown = list.first(where: { !knownRule($0) }) { throw fail(node, "'\(unknown)' in '\(key)' is not a rule id, prefix or name") }
            return list
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail(keyNode, "setting names must be strings") }
            guard allowedKeys.contains(key) else {
                throw fail(keyNode, "unknown setting '\(key)'; known: \(allowedKeys.sorted().joined(separator: ", "))")
            }
            switch key {
            case "select": result.select = try rules(value, key)
            case "ignore": result.ignore = try rules(value, key)
            case "severity":
                guard let map = value.mapping else { throw fail(value, "'severity' must map rule ids to error/warning/info/hint") }
                for (ruleNode, levelNode) in map {
                    guard let rule = ruleNode.string, knownRule(rule) else { throw fail(ruleNode, "'\(ruleNode.string ?? "?")' is not a rule id") }
                    guard let level = levelNode.string.flatMap(Severity.init(rawValue:)) else {
                        throw fail(levelNode, "severity of \(rule) must be error, warning, info or hint")
                    }
                    result.severityOverrides[rule.uppercased()] = level
                }
            case "hosts":
                guard let map = value.mapping else { throw fail(value, "'hosts' must map host names to { ignore: [...] }") }
                for (hostNode, settings) in map {
                    guard let host = hostNode.string, let inner = settings.mapping, let ignoreNode = inner["ignore"], inner.count == 1 else {
                        throw fail(hostNode, "each host takes { ignore: [rule ids] }")
                    }
                    result.hostIgnores[host.lowercased()] = try rules(ignoreNode, "hosts.\(host).ignore")
                }
            case "prosody_version":
                guard let v = value.string, ["0.11", "0.12", "13"].contains(v) else { throw fail(value, "prosody_version must be \"0.11\", \"0.12\" or \"13\"") }
                result.prosodyVersion = v
            case "jitsi":
                guard let b = value.bool else { throw fail(value, "'jitsi' must be true or false") }
                result.jitsi = b
            case "fail_on":
                guard let v = value.string, failLevels.contains(v) else { throw fail(value, "fail_on must be one of \(failLevels.sorted().joined(separator: ", "))") }
                result.failOn = v
            case "format":
                guard let v = value.string else { throw fail(value, "'format' must be a format name") }
                result.format = v
            default: break
            }
        }
        return result
    }

    /// The nearest `.prosody-doctor.yml` in `directory` or its parents.
    public static func find(from directory: String) -> String? {
        if let found = findFromPlainAbsolutePath(directory) { return found }
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// `find` for an absolute path of plain names (no `.`, `..`, `//`, trailing `/` or unusual
    /// characters): what standardising its file URL and walking up gives, without URL.
    /// nil when the path is not of that form (`find` then walks with URL).
    private static func findFromPlainAbsolutePath(_ directory: String) -> String?? {
        let plain = directory.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
        guard plain, directory.hasPrefix("/") else { return nil }
        if directory == "/" {
            return .some(PosixFiles.kind(of: "/" + fileName).exists ? "/" + fileName : nil)
        }
        // Every component after the leading "/" is a plain name: not empty, ".", or "..".
        let bytes = Array(directory.utf8)
        var componentStart = 1
        for end in 1...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
            let component = bytes[componentStart..<end]
            if component.isEmpty || component.allSatisfy({ $0 == UInt8(ascii: ".") }) && component.count <= 2 { return nil }
            componentStart = end + 1
        }
        // The directory, then each parent up to "/": cut at the last "/" each time.
        var directoryBytes = bytes
        while true {
            let candidate = String(decoding: directoryBytes, as: UTF8.self) + "/" + fileName
            if PosixFiles.kind(of: candidate).exists { return .some(candidate) }
            if directoryBytes.isEmpty { return .some(nil) }
            directoryBytes.removeSubrange((directoryBytes.lastIndex(of: UInt8(ascii: "/")) ?? 0)...)
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
}
