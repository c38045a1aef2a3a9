import Doctor
import ProsodyConfig

/// Stable identities for findings that survive line shifts: the rule, the file
/// (as reported), and the whitespace-normalised text of the primary line
/// (secrets masked), plus an occurrence index for identical lines.
public enum Fingerprint {
    public static func of(_ findings: [Finding], sources: SourceFiles) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            let base = baseKey(finding, sources: sources)
            let occurrence = seen[base, default: 0]
            seen[base] = occurrence + 1
            return hex(fnv1a64("\(base)|\(occurrence)"))
        }
    }

    static func baseKey(_ finding: Finding, sources: SourceFiles) -> String {
        guard let location = finding.location else { return "\(finding.ruleID)||\(finding.message)" }
        let line = sources.line(location.line, in: location.file).map(SecretMasking.maskLine) ?? finding.message
        let normalised = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        return "\(finding.ruleID)|\(location.file)|\(normalised)"
    }

    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
