import Doctor
import Foundation

/// Masks secrets and, with pseudonyms on, replaces domains, JIDs, IP addresses and
/// room names by consistent placeholders (`meet.example.com` → `domain1.example`),
/// the same across every text given to one `Redactor`, so a redacted config and
/// log still fit together and give the same findings.
public final class Redactor {
    public var pseudonymize: Bool
    private var domainBases: [String: String] = [:]
    private var users: [String: String] = [:]
    private var rooms: [String: String] = [:]
    private var addresses: [String: String] = [:]
    /// Hosts known to be domains (VirtualHost/Component names), seeded by the caller.
    private var knownHosts: Set<String> = []

    public init(pseudonymize: Bool) { self.pseudonymize = pseudonymize }

    /// Service labels that carry meaning for the rules (`guest.`, `conference.`...) and stay.
    static let servicePrefixes: [String] = [
        "internal.auth", "internal-muc", "conference", "muc", "auth", "focus", "guest", "internal", "lobby",
        "breakout", "speakerstats", "avmoderation", "endconference", "polls", "metadata", "filesharing",
        "visitors", "recorder", "hidden", "jigasi", "jibri", "upload", "share", "proxy", "pubsub",
        "conferenceduration", "room-metadata", "file-sharing",
    ]
    /// Accounts whose names matter to the rules (the focus user must stay `focus@auth.…`).
    static let serviceUsers: Set<String> = ["focus", "jvb", "jibri", "jigasi", "recorder", "transcriber", "admin", "jicofo"]
    /// Last labels that mark file names and Lua modules, not domains.
    static let notTopLevel: Set<String> = [
        "lua", "js", "conf", "cfg", "log", "crt", "key", "pem", "json", "yml", "yaml", "txt", "sh", "properties",
        "md", "html", "so", "gz", "example", "d", "avail", "enabled", "xml", "csr", "der", "p12", "cnf", "dist",
        "err", "pid", "sock", "service", "lib", "old", "bak", "tpl", "j2", "erb", "swift", "py", "c", "h",
        "jid", "http", "server", "new", "format", "set", "array", "error", "events", "stanza", "st", "id", "uuid",
        "configmanager", "modulemanager", "portmanager", "certmanager", "loggingmanager", "hostmanager",
        "sessionmanager", "usermanager", "storagemanager", "startup", "jwt", "hashes", "encodings", "ip",
    ]
    /// Domains that name public projects, never the user's own.
    static let publicDomains: Set<String> = [
        "prosody.im", "modules.prosody.im", "jitsi.org", "meet.jit.si", "github.com", "lua.org", "www.lua.org",
        "json.org", "jabber.org", "xmpp.org", "example.com", "example.org", "example.net", "letsencrypt.org",
        "community.jitsi.org", "jitsi.github.io", "hg.prosody.im", "issues.prosody.im", "observe.jabber.network",
    ]

    /// Hosts that are certainly domains (config section names), so names with unusual
    /// top-level labels (`meet.jitsi`) are pseudonymised too.
    public func seed(hosts: [String]) {
        for host in hosts where !host.isEmpty { knownHosts.insert(host.lowercased()) }
    }

    public func redact(_ text: String) -> String {
        var result = SecretMasking.maskText(text)
        guard pseudonymize else { return result }
        result = replaceJIDs(in: result)
        result = replaceDomains(in: result)
        result = replaceAddresses(in: result)
        return result
    }

    // MARK: Domains

    private static let domainPattern = try! NSRegularExpression(
        pattern: #"(?<![A-Za-z0-9_-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62})(?![A-Za-z0-9_-])"#)

    func isDomain(_ candidate: String) -> Bool {
        let lower = candidate.lowercased()
        if knownHosts.contains(lower) { return true }
        if Self.publicDomains.contains(lower) { return false }
        guard let last = lower.split(separator: ".").last.map(String.init) else { return false }
        if Self.notTopLevel.contains(last) { return false }
        if knownHosts.contains(where: { lower.hasSuffix("." + $0) }) { return true }
        return last.count >= 2 && last.count <= 6 && last.allSatisfy(\.isLetter) && TopLevelDomains.common.contains(last)
    }

    /// `conference.meet.example.com` → (`conference.`, `meet.example.com`)
    static func split(_ domain: String) -> (prefix: String, base: String) {
        var prefix = ""
        var rest = domain.lowercased()
        var changed = true
        while changed {
            changed = false
            for label in servicePrefixes where rest.hasPrefix(label + ".") && rest.split(separator: ".").count > 2 {
                prefix += label + "."
                rest = String(rest.dropFirst(label.count + 1))
                changed = true
                break
            }
        }
        return (prefix, rest)
    }

    public func pseudonym(forDomain domain: String) -> String {
        let (prefix, base) = Self.split(domain)
        if Self.publicDomains.contains(base) { return prefix + base }
        if let mapped = domainBases[base] { return prefix + mapped }
        let mapped = "domain\(domainBases.count + 1).example"
        domainBases[base] = mapped
        return prefix + mapped
    }

    private func replaceDomains(in text: String) -> String {
        SecretMasking.replace(Self.domainPattern, in: text) { groups in
            // `meet.example.com.crt`, `meet.example.com.cfg.lua`: a domain inside a file name.
            var labels = groups[1].split(separator: ".").map(String.init)
            var suffix = ""
            while labels.count >= 2 {
                let candidate = labels.joined(separator: ".")
                if candidate.hasPrefix("domain"), candidate.hasSuffix(".example") { return groups[0] }
                if isDomain(candidate) { return pseudonym(forDomain: candidate) + suffix }
                // Debian names Jitsi files `<domain>-config.js`: a dash glued to the last label.
                if let last = labels.last, let dash = last.firstIndex(of: "-"), labels.count >= 2 {
                    let head = String(last[..<dash])
                    let glued = (labels.dropLast() + [head]).joined(separator: ".")
                    if !head.isEmpty, isDomain(glued) { return pseudonym(forDomain: glued) + String(last[dash...]) + suffix }
                }
                guard let last = labels.last, Self.notTopLevel.contains(last.lowercased()), labels.count > 2 else { break }
                suffix = "." + last + suffix
                labels.removeLast()
            }
            return groups[0]
        }
    }

    // MARK: JIDs and rooms

    private static let jidPattern = try! NSRegularExpression(
        pattern: #"(?<![A-Za-z0-9_.%+-])([A-Za-z0-9_.%+-]{1,64})@((?:[A-Za-z0-9-]+\.)+[A-Za-z0-9-]+)"#)

    private func replaceJIDs(in text: String) -> String {
        SecretMasking.replace(Self.jidPattern, in: text) { groups in
            let local = groups[1], domain = groups[2]
            let lowerDomain = domain.lowercased()
            guard isDomain(lowerDomain) || knownHosts.contains(lowerDomain) || lowerDomain.split(separator: ".").count >= 2 else { return groups[0] }
            knownHosts.insert(lowerDomain)
            let mappedDomain = pseudonym(forDomain: lowerDomain)
            let isRoom = ["conference", "muc", "lobby", "breakout", "internal", "internal-muc"].contains { lowerDomain.hasPrefix($0 + ".") }
            let mappedLocal: String
            if Self.serviceUsers.contains(local.lowercased()) {
                mappedLocal = local
            } else if isRoom {
                mappedLocal = pseudonym(forRoom: local)
            } else {
                if let existing = users[local] { mappedLocal = existing } else {
                    mappedLocal = "user\(users.count + 1)"
                    users[local] = mappedLocal
                }
            }
            return "\(mappedLocal)@\(mappedDomain)"
        }
    }

    public func pseudonym(forRoom room: String) -> String {
        if let existing = rooms[room] { return existing }
        let mapped = "room\(rooms.count + 1)"
        rooms[room] = mapped
        return mapped
    }

    // MARK: Addresses

    private static let ipv4Pattern = try! NSRegularExpression(
        pattern: #"(?<![0-9.])((?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3})(?![0-9.])"#)
    private static let ipv6Pattern = try! NSRegularExpression(
        pattern: #"(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{1,4}:){1,7}:?(?:[0-9A-Fa-f]{1,4})?)(?![0-9A-Fa-f:])"#)

    private func replaceAddresses(in text: String) -> String {
        var result = SecretMasking.replace(Self.ipv4Pattern, in: text) { groups in
            let ip = groups[1]
            if ip.hasPrefix("127.") || ip == "0.0.0.0" { return ip }
            return mapped(address: ip) { "192.0.2.\($0)" }
        }
        result = SecretMasking.replace(Self.ipv6Pattern, in: result) { groups in
            let ip = groups[1]
            // Times (10:17:54) and MACs stay; an IPv6 address has a hex letter or '::'.
            guard ip.contains("::") || ip.contains(where: { "abcdefABCDEF".contains($0) }),
                  ip.filter({ $0 == ":" }).count >= 2, ip != "::1", ip != "::" else { return ip }
            return mapped(address: ip) { "2001:db8::\($0)" }
        }
        return result
    }

    private func mapped(address: String, _ make: (Int) -> String) -> String {
        if let existing = addresses[address] { return existing }
        let value = make(addresses.count + 1)
        addresses[address] = value
        return value
    }
}

enum TopLevelDomains {
    /// Common generic and country TLDs; hosts with other endings are caught when the
    /// config declares them (seeded hosts) or when they appear in a JID.
    static let common: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "io", "co", "me", "tv", "cc",
        "dev", "app", "cloud", "online", "site", "tech", "xyz", "club", "space", "live", "chat", "social", "im",
        "eu", "de", "fr", "uk", "nl", "be", "at", "ch", "it", "es", "pt", "pl", "cz", "sk", "se", "no", "dk", "fi",
        "is", "ie", "ru", "ua", "by", "tr", "gr", "ro", "bg", "hu", "hr", "si", "rs", "lt", "lv", "ee", "lu",
        "us", "ca", "mx", "br", "ar", "cl", "pe", "uy", "ve", "au", "nz", "jp", "cn", "kr", "in", "id", "my",
        "sg", "th", "vn", "ph", "pk", "bd", "ir", "il", "sa", "ae", "eg", "ma", "za", "ng", "ke", "tk", "ml",
        "ga", "cf", "gq", "ovh", "network", "systems", "services", "school", "academy", "onion", "local", "lan",
        "internal", "test", "invalid", "localdomain", "jitsi", "meet", "social", "work", "solutions", "digital",
    ]
}
