import Foundation

/// Secrets that Jitsi's debug lines print: JWT signatures and the app secret of the token verifier.
public enum LogRedaction {
    static let jwt = try! NSRegularExpression(pattern: #"(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.)[A-Za-z0-9_-]+"#)
    static let secret = try! NSRegularExpression(pattern: #"(app_secret:? ?)\S+"#)

    /// Cited lines keep the token's header and payload (useful to diagnose) but not its signature.
    public static func redact(_ text: String) -> String {
        guard mayHoldSecret(text) else { return text }
        var out = text
        let r1 = NSRange(out.startIndex..., in: out)
        out = jwt.stringByReplacingMatches(in: out, range: r1, withTemplate: "$1<signature redacted>")
        let r2 = NSRange(out.startIndex..., in: out)
        out = secret.stringByReplacingMatches(in: out, range: r2, withTemplate: "$1<redacted>")
        return out
    }

    /// A byte search first: Foundation's `contains` costs more than the facts it guards.
    static func mayHoldSecret(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { b in
            guard let base = b.baseAddress, b.count >= 3 else { return false }
            return c_memmem(base, b.count, "eyJ", 3) != nil || c_memmem(base, b.count, "app_secret", 10) != nil
        }
    }
}

/// glibc's memmem (a GNU extension the Glibc module does not export without _GNU_SOURCE).
@_silgen_name("memmem")
private func c_memmem(_ haystack: UnsafeRawPointer, _ haystackLen: Int, _ needle: UnsafeRawPointer, _ needleLen: Int) -> UnsafeMutableRawPointer?
