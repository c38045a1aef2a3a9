/// A token (or the absence of one) found in a Prosody log line (research §1e, §1g).
public struct LogToken: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// mod_token_verification `Session token: %s, session room: %s`.
        case sessionToken = "session-token"
        /// `Token %s not allowed to join: %s` (… `err: %s reason: %s`).
        case notAllowed = "not-allowed"
        /// `User %s not allowed to join: %s token: %s token room: %s token sub: %s …` (2026-07+).
        case userNotAllowed = "user-not-allowed"
        /// token_moderation `presence detected with token %s`.
        case presence
        /// A JWT anywhere else on the line (access log `token=`, custom module).
        case other
    }

    public var kind: Kind
    /// The token; nil for `Session token: nil` (the session had none).
    public var token: String?
    /// 1-based line number in the input.
    public var line: Int
    /// The log source, e.g. `conference.meet.example.com:token_verification`.
    public var source: String?
    /// The host part of the source.
    public var sourceHost: String?
    /// The room JID the user joined, when the log shows it.
    public var roomJID: String?
    /// The occupant JID, when the log shows it.
    public var user: String?
    /// The room claim as logged (`session room:` / `token room:`).
    public var loggedRoomClaim: String?
}

public enum LogTokenExtractor {
    /// Every token-bearing line of `text`, in order. A `Will verify token for user: U, room: R`
    /// line right after a `Session token:` line supplies the room and user for it.
    public static func extract(from text: String) -> [LogToken] {
        var found: [LogToken] = []
        var lineNumber = 0
        var pendingIndex: Int?
        var sinceSession = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if let idx = pendingIndex {
                sinceSession += 1
                if sinceSession > 3 { pendingIndex = nil }
                else if let r = line.range(of: "Will verify token for user: ") {
                    let rest = line[r.upperBound...]
                    if let roomRange = rest.range(of: ", room: ") {
                        found[idx].user = String(rest[..<roomRange.lowerBound])
                        found[idx].roomJID = bareRoom(rest[roomRange.upperBound...])
                    }
                    pendingIndex = nil
                    continue
                }
            }
            guard var entry = parse(line: line) else { continue }
            entry.line = lineNumber
            found.append(entry)
            if entry.kind == .sessionToken { pendingIndex = found.count - 1; sinceSession = 0 }
        }
        return found
    }

    /// Whether the log shows `allow_empty_token = true` at work (`WARNING - empty tokens allowed`
    /// at startup, `Skipped room token verification - empty tokens are allowed` at joins).
    public static func showsEmptyTokensAllowed(_ text: String) -> Bool {
        text.contains("WARNING - empty tokens allowed") || text.contains("Skipped room token verification - empty tokens are allowed")
    }

    /// The token-bearing content of one line, if any.
    public static func parse(line: Substring) -> LogToken? {
        let (source, host) = sourceField(line)
        func make(_ kind: LogToken.Kind, _ token: Substring?) -> LogToken {
            let t = token.map { String($0) }
            return LogToken(kind: kind, token: t == "nil" ? nil : t, line: 1, source: source, sourceHost: host)
        }
        if let r = line.range(of: "Session token: ") {
            let rest = line[r.upperBound...]
            let end = rest.range(of: ", session room: ")
            var e = make(.sessionToken, end.map { rest[..<$0.lowerBound] } ?? firstWord(rest))
            if let end { e.loggedRoomClaim = String(firstWord(rest[end.upperBound...])) }
            return e
        }
        if let u = line.range(of: "User "), let na = line.range(of: " not allowed to join: ", range: u.upperBound..<line.endIndex),
           let t = line.range(of: " token: ", range: na.upperBound..<line.endIndex) {
            let rest = line[t.upperBound...]
            var e = make(.userNotAllowed, firstWord(rest))
            e.user = String(line[u.upperBound..<na.lowerBound])
            e.roomJID = bareRoom(line[na.upperBound..<t.lowerBound])
            if let tr = rest.range(of: " token room: ") { e.loggedRoomClaim = String(firstWord(rest[tr.upperBound...])) }
            return e
        }
        if let t = line.range(of: "Token "), let na = line.range(of: " not allowed to join: ", range: t.upperBound..<line.endIndex) {
            var e = make(.notAllowed, line[t.upperBound..<na.lowerBound])
            e.roomJID = bareRoom(line[na.upperBound...])
            return e
        }
        if let r = line.range(of: "presence detected with token ") {
            return make(.presence, firstWord(line[r.upperBound...]))
        }
        if let jwt = findJWT(line) { return make(.other, jwt) }
        return nil
    }

    static func firstWord(_ s: Substring) -> Substring {
        s.prefix { !$0.isWhitespace }
    }

    static func bareRoom(_ s: Substring) -> String {
        var w = firstWord(s)
        if let slash = w.firstIndex(of: "/") { w = w[..<slash] }
        while let last = w.last, last == "," { w = w.dropLast() }
        return String(w)
    }

    /// `host:module` — the first whitespace-separated field shaped like a Prosody source.
    static func sourceField(_ line: Substring) -> (String?, String?) {
        for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(6) {
            guard let colon = field.firstIndex(of: ":"), colon != field.startIndex else { continue }
            let host = field[..<colon]
            let module = field[field.index(after: colon)...]
            if host.contains("."), !module.isEmpty, module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
               host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
                return (String(field), String(host))
            }
        }
        return (nil, nil)
    }

    /// A JWT-looking run (`eyJ…`) anywhere on the line, e.g. `?token=eyJ…`.
    static func findJWT(_ line: Substring) -> Substring? {
        guard let r = line.range(of: "eyJ") else { return nil }
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        let run = line[r.lowerBound...].prefix(while: allowed)
        return run.contains(".") ? run : nil
    }
}
