import Foundation
import LuaSyntax
import ProsodyConfig
import ProsodyLog

/// LOG7xx: problems Prosody reports in its own log (facts from rules/log-signatures.yml).
enum ProsodyLogRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("LOG701", check: unsupportedBuild),
        RuleImplementation("LOG702", check: moduleLoadFailed),
        RuleImplementation("LOG703", check: luaLibraryMissing),
        RuleImplementation("LOG704", check: certificateProblem),
        RuleImplementation("LOG705", check: componentNotConnected),
        RuleImplementation("LOG706", check: authenticationFailures),
        RuleImplementation("LOG707", check: s2sFailures),
        RuleImplementation("LOG708", check: traceback),
        RuleImplementation("LOG709", check: storageErrors),
        RuleImplementation("LOG710", check: startupConfigWarnings),
        RuleImplementation("LOG711", check: startupFailures),
    ]

    /// True for versions before 0.12 (end of life).
    static func isEndOfLife(_ version: String) -> Bool {
        let parts = version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return false }
        return major == 0 && minor < 12
    }

    static func unsupportedBuild(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for g in logs.groups("prosody-version") {
            let v = g.key
            let message: String
            if v.hasPrefix("trunk") {
                var m = "The log comes from Prosody \(v), a development snapshot, not a supported release"
                let date = logs.groups("prosody-trunk-nightly").first?.captures["date"]
                    ?? v.range(of: #"\((20\d\d)-"#, options: .regularExpression).map { String(v[$0].dropFirst()) } ?? ""
                if date.hasPrefix("2020") || date.hasPrefix("2021") || date.hasPrefix("2022") {
                    m += "; trunk builds of \(date.prefix(4)) with the jitsi-meet-tokens package of that time never hand the token to the session (research F1)"
                }
                message = m + "."
            } else if isEndOfLife(v) {
                message = "The log comes from Prosody \(v), which is end of life (no security fixes; Jitsi's current modules need 0.12 or later)."
            } else { continue }
            if let f = LogRuleSupport.finding(factory, [g], message) { out.append(f) }
        }
        return out
    }

    static func moduleLoadFailed(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var byModule: [String: [LogFactGroup]] = [:]
        for g in logs.groups("module-load-failed") { byModule[g.key, default: []].append(g) }
        for g in logs.groups("module-init-failed") {
            // A missing Lua library is LOG703's.
            if (g.captures["error"] ?? "").contains("' not found") { continue }
            byModule[g.key, default: []].append(g)
        }
        return byModule.sorted { $0.key < $1.key }.compactMap { module, groups in
            let hosts = groups.compactMap { $0.captures["host"] }
            let error = groups.compactMap { $0.captures["error"] }.first { !$0.isEmpty } ?? ""
            var message = "Module '\(module)' could not be loaded \(LogRuleSupport.span(groups))"
            if !hosts.isEmpty { message += " on \(LogRuleSupport.list(Array(Set(hosts)).sorted()))" }
            if !error.isEmpty { message += ": \(error.prefix(200))" }
            return LogRuleSupport.finding(factory, groups, message, related: modulesEnabledLines(context, module))
        }
    }

    static func modulesEnabledLines(_ context: AnalysisContext, _ module: String) -> [RelatedLocation] {
        guard let configuration = context.configuration else { return [] }
        return ConfigLookup.modulesEnabled(configuration, naming: module).prefix(3).map {
            RelatedLocation($0.location, note: "'\(module)' is enabled here (\($0.section == "*" ? "global" : $0.section))")
        }
    }

    static func luaLibraryMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        return logs.groups("lua-library-missing").compactMap { g in
            let lib = g.key
            var message = "Lua library '\(lib)' is not installed for Prosody's Lua \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime))"
            var related: [RelatedLocation] = []
            // Which module needed it: from the same line's module-init-failed fact.
            let needing = logs.groups("module-init-failed").filter { m in m.examples.contains { e in g.examples.contains { $0.line == e.line && $0.file == e.file } } }
            if let m = needing.first {
                message += "; module '\(m.key)' failed to initialise on \(m.captures["host"] ?? "a host")"
                related = modulesEnabledLines(context, m.key)
            }
            let hints: [String: String] = ["luajwtjitsi": "bundled with jitsi-meet-prosody since 2022 (use module:require)",
                                           "basexx": "Debian lua-basexx", "cjson.safe": "Debian lua-cjson", "cjson": "Debian lua-cjson",
                                           "inspect": "Debian lua-inspect", "DBI": "Debian lua-dbi-<driver>"]
            if let hint = hints[lib] ?? (lib.hasPrefix("openssl") ? "Debian lua-luaossl" : nil) { message += " (\(hint))" }
            return LogRuleSupport.finding(factory, [g], message + ".", related: related)
        }
    }

    static func certificateProblem(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for fact in ["certificate-load-failed", "certificate-directory-error", "tls-init-failed", "no-tls-context", "tls-handshake-failed"] {
            for g in logs.groups(fact) {
                var message: String
                switch fact {
                case "certificate-load-failed":
                    message = "Prosody could not load '\(g.key)'"
                    if let r = g.captures["reason"], !r.isEmpty { message += ": \(r)" }
                    if let h = g.captures["for"] { message += " (for \(h))" }
                case "certificate-directory-error": message = "The certificate directory cannot be read: \(g.captures["error"] ?? g.key)"
                case "tls-init-failed": message = "TLS could not be set up (\(g.key))"
                case "tls-handshake-failed": message = "Client connections ended because TLS could not be negotiated (\(g.captures["error"] ?? "handshake failed"); check tls_profile, ciphers and the certificate)"
                default: message = "A connection needed TLS but no TLS context was available (certificate missing or not loaded)"
                }
                message += ", \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime))."
                if let f = LogRuleSupport.finding(factory, [g], message, severity: fact == "tls-handshake-failed" ? .warning : nil) { out.append(f) }
            }
        }
        return out
    }

    static func componentNotConnected(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for g in logs.groups("component-not-connected") + logs.groups("component-auth-failed") {
            let component = g.key.isEmpty ? "an external component" : g.key
            let message = g.fact == "component-auth-failed"
                ? "Component \(component) tried to connect with a wrong secret \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime)); its component_secret does not match."
                : "Stanzas to \(component) were bounced because the component is not connected \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime))."
            var related: [RelatedLocation] = []
            if let configuration = context.configuration, let decl = ConfigLookup.declaration(configuration, component) {
                related.append(RelatedLocation(decl, note: "the Component \(component) is declared here"))
                if g.fact == "component-auth-failed", let secret = ConfigLookup.assignments(configuration, "component_secret", section: component.lowercased()).first {
                    related.append(RelatedLocation(secret.location, note: "the secret the component must use"))
                }
            }
            if let f = LogRuleSupport.finding(factory, [g], message, related: related) { out.append(f) }
        }
        return out
    }

    static func authenticationFailures(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let groups = logs.groups("authentication-failed")
        guard !groups.isEmpty else { return [] }
        let lines = groups.prefix(5).map { "\($0.key) ×\($0.count)" }
        let message = "Failed logins \(LogRuleSupport.span(groups)), by user and address: \(lines.joined(separator: ", "))"
            + (groups.count > 5 ? " and \(groups.count - 5) more" : "") + "."
        return [LogRuleSupport.finding(factory, groups, message)].compactMap { $0 }
    }

    static func s2sFailures(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var byDomain: [String: [LogFactGroup]] = [:]
        for fact in ["s2s-outgoing-failed", "s2s-stream-closed-error", "s2s-tls-failed"] {
            for g in logs.groups(fact) { byDomain[g.key, default: []].append(g) }
        }
        return byDomain.sorted { $0.key < $1.key }.compactMap { domain, groups in
            let kinds = Set(groups.map(\.fact)).sorted().map { ["s2s-outgoing-failed": "outgoing connection failed", "s2s-stream-closed-error": "stream closed with an error",
                                                                  "s2s-tls-failed": "TLS negotiation failed"][$0] ?? $0 }
            var message = "Server-to-server with \(domain.isEmpty ? "a remote domain" : domain) failed \(LogRuleSupport.span(groups)) (\(kinds.joined(separator: ", ")))"
            if let reason = groups.compactMap({ $0.captures["reason"] }).first { message += ": \(reason.prefix(160))" }
            return LogRuleSupport.finding(factory, groups, message + ".")
        }
    }

    /// The module a traceback names: the first `mod_x.lua` in the text, else the source column's module.
    static func tracebackModule(_ g: LogFactGroup) -> String? {
        let text = (g.captures["error"] ?? "") + " " + (g.examples.first?.message ?? "")
        if let r = text.range(of: #"mod_[A-Za-z0-9_]+(?=(/[A-Za-z0-9_]+)?\.lua)"#, options: .regularExpression) {
            return String(text[r].dropFirst(4))
        }
        if let r = text.range(of: #"[A-Za-z0-9_]+(?=\.lib\.lua)"#, options: .regularExpression) { return String(text[r]) + ".lib" }
        return g.examples.first?.source.flatMap { LogSource($0).module }
    }

    static func traceback(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for g in logs.groups("lua-traceback") + logs.groups("top-level-error") {
            let module = tracebackModule(g)
            var message = g.fact == "top-level-error" ? "An uncaught error in Prosody's main loop" : "A Lua error"
            if let module { message += " in module \(module)" }
            message += " \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime))"
            if let e = g.captures["error"], !e.isEmpty { message += ": \(e.prefix(200))" }
            let related = module.map { modulesEnabledLines(context, $0) } ?? []
            if let f = LogRuleSupport.finding(factory, [g], message + ".", related: related) { out.append(f) }
        }
        return out
    }

    static func storageErrors(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        return logs.groups("storage-error").compactMap { g in
            let c = g.captures
            var message: String
            if let driver = c["driver"] {
                message = "Storage driver '\(driver)' failed to load on \(c["host"] ?? "a host")"
                if let e = c["error"], !e.isEmpty { message += ": \(e)" }
                message += "; Prosody falls back to the null driver (data is not stored)"
            } else if let store = c["store"] {
                message = "Prosody uses the null driver for \(store) storage on \(c["fallback_host"] ?? "a host") (data is not stored)"
            } else if let store = c["write_store"] {
                message = "Writing to \(store) storage failed"
            } else {
                message = "The SQL storage reported: \(c["error"] ?? g.key)"
            }
            var related: [RelatedLocation] = []
            if let configuration = context.configuration {
                related = configuration.assignments.filter { $0.name == "storage" || $0.name == "default_storage" }.prefix(2)
                    .map { RelatedLocation($0.location, note: "storage is configured here") }
            }
            return LogRuleSupport.finding(factory, [g], message + ", \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime)).", related: related)
        }
    }

    static func startupConfigWarnings(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        var seenLines = Set<String>()
        for fact in ["duplicate-option", "config-warning", "option-no-effect-for-vhost", "config-option-type"] {
            for g in logs.groups(fact) {
                guard let ex = g.firstExample, seenLines.insert("\(ex.file):\(ex.line)").inserted else { continue }
                var message = "Prosody warned at start-up: \(ex.message.prefix(240))"
                if g.count > 1 { message += " (\(g.count) times)" }
                var related: [RelatedLocation] = []
                if let file = g.captures["file"], let line = g.captures["line"].flatMap(Int.init), let configuration = context.configuration {
                    let candidates = configuration.files.filter { $0 == file || $0.hasSuffix("/" + (file as NSString).lastPathComponent) }
                    if let f = candidates.first {
                        let p = LuaSyntaxPosition.make(line: line)
                        related.append(RelatedLocation(SourceLocation(file: f, range: p), note: "the config line Prosody names"))
                    }
                }
                if let f = LogRuleSupport.finding(factory, [g], message, related: related) { out.append(f) }
            }
        }
        return out
    }

    static func startupFailures(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for fact in ["config-load-failed", "no-virtualhost", "pidfile-error", "running-as-root"] {
            for g in logs.groups(fact) {
                let message: String
                switch fact {
                case "no-virtualhost": message = "Prosody found no active VirtualHost, so it loads no modules or exits"
                case "running-as-root": message = "Prosody runs as root"
                case "config-load-failed":
                    message = "Prosody could not read its config file \(g.captures["file"] ?? "")" + (g.captures["error"].map { ": \($0)" } ?? "") + "; it does not start"
                default:
                    if let pid = g.captures["pid"] { message = "Another Prosody instance (PID \(pid)) seems to be running" }
                    else { message = "Prosody could not write its pid file \(g.captures["path"] ?? ""): \(g.captures["error"] ?? "")" }
                }
                if let f = LogRuleSupport.finding(factory, [g], message + ", \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime)).") { out.append(f) }
            }
        }
        return out
    }
}

enum LuaSyntaxPosition {
    static func make(line: Int) -> SourceRange {
        let p = SourcePosition(offset: 0, line: line, column: 1)
        return SourceRange(start: p, end: p)
    }
}
