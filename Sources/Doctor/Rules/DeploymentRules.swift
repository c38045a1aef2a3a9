import DeploymentFiles
import Foundation
import LuaSyntax
import ProsodyConfig

/// A certificate path named by an `ssl` option of the Prosody config.
public struct CertificateReference: Sendable {
    /// Absolute path, resolved against the main config's directory like Prosody does.
    public var path: String
    /// The path as written.
    public var written: String
    /// The `ssl`/`<service>_ssl` option naming it.
    public var option: ConfigOption
    /// The section ("*" for global).
    public var section: String
    public var sectionKind: SectionKind
}

public enum CertificateReferences {
    /// Every `certificate` named in `ssl = { ... }` or `<service>_ssl = { ... }` options.
    public static func all(in configuration: ProsodyConfiguration) -> [CertificateReference] {
        let base = (configuration.mainFile as NSString).deletingLastPathComponent
        var result: [CertificateReference] = []
        for section in [configuration.global] + configuration.sections {
            for option in section.options where option.name == "ssl" || option.name.hasSuffix("_ssl") {
                guard let written = option.value.tableValue?["certificate"]?.stringValue, !written.isEmpty else { continue }
                let path = written.hasPrefix("/") ? written : (base.isEmpty ? written : base + "/" + written)
                result.append(CertificateReference(path: path, written: written, option: option, section: section.name,
                                                   sectionKind: section.kind))
            }
        }
        return result
    }

    /// The resolved paths, for `DeploymentSnapshot.load(files:certificatePaths:)`.
    public static func paths(in configuration: ProsodyConfiguration) -> [String] {
        var seen = Set<String>()
        return all(in: configuration).map(\.path).filter { seen.insert($0).inserted }
    }
}

/// DPL9xx: the Prosody config against the files around it (jicofo, config.js, nginx,
/// certificates). Everything comes from `context.deployment`; nil means silence.
enum DeploymentRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("DPL901", check: configJSDomainNotAHost),
        RuleImplementation("DPL902", check: anonymousDomainNotAHost),
        RuleImplementation("DPL903", check: mucNotAComponent),
        RuleImplementation("DPL904", check: jicofoAuthWithEmptyToken),
        RuleImplementation("DPL905", check: jicofoAuthDomainMismatch),
        RuleImplementation("DPL906", check: nginxDropsTokenQuery),
        RuleImplementation("DPL907", check: certificateMissing),
        RuleImplementation("DPL908", check: certificateInvalid),
        RuleImplementation("DPL909", check: certificateExpired),
        RuleImplementation("DPL910", check: certificateDoesNotCoverHost),
        RuleImplementation("DPL911", check: certificateExpiringSoon),
        RuleImplementation("DPL912", check: jicofoJWTWithoutTokenAuth),
        RuleImplementation("DPL913", check: guestDomainUsesToken),
        RuleImplementation("DPL914", check: jicofoClientDomainNotAHost),
        RuleImplementation("DPL915", check: jicofoAuthMakesTokenHoldersOwners),
        RuleImplementation("DPL916", check: focusNotAComponent),
    ]

    // MARK: - Helpers

    static func location(_ file: String, _ line: Int) -> SourceLocation {
        let position = SourcePosition(offset: 0, line: max(line, 1), column: 1)
        return SourceLocation(file: file, range: SourceRange(start: position, end: position))
    }

    static func location(_ setting: JicofoSetting) -> SourceLocation { location(setting.file, setting.line) }

    static func virtualHost(_ name: String, in configuration: ProsodyConfiguration) -> ConfigSection? {
        let key = name.lowercased()
        return configuration.virtualHosts.first { $0.name == key }
    }

    static func anySection(_ name: String, in configuration: ProsodyConfiguration) -> ConfigSection? {
        let key = name.lowercased()
        return configuration.sections.first { $0.name == key }
    }

    /// Prosody's effective `authentication` of a host (default `internal_plain`).
    static func authentication(of host: ConfigSection, in configuration: ProsodyConfiguration) -> (value: String, option: ConfigOption?) {
        let option = configuration.effectiveOption("authentication", in: host.name)
        return (option?.value.stringValue ?? "internal_plain", option)
    }

    static func allowsEmptyToken(_ host: ConfigSection, in configuration: ProsodyConfiguration) -> ConfigOption? {
        guard let option = configuration.effectiveOption("allow_empty_token", in: host.name),
              option.value.isTruthy == true, option.value.boolValue != false else { return nil }
        return option
    }

    static func declaration(_ section: ConfigSection, note: String) -> RelatedLocation? {
        section.declarations.first.map { RelatedLocation($0, note: note) }
    }

    static func hostList(_ configuration: ProsodyConfiguration) -> String {
        let names = configuration.virtualHosts.map { "\"\($0.name)\"" }
        return names.isEmpty ? "none" : names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", ..." : "")
    }

    /// A usable host name from config.js: strings only, no placeholders.
    static func hostName(_ value: ConfigJSValue?) -> String? {
        guard let value, value.isString, !value.looksLikePlaceholder else { return nil }
        let text = value.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.contains(" "), !text.contains("/") else { return nil }
        return text
    }

    static func isPlaceholder(_ text: String) -> Bool {
        text.isEmpty || text.contains("__") || text.contains("<") || text.contains("{{") || text.contains("${")
    }

    static func context(_ context: AnalysisContext) -> (ProsodyConfiguration, DeploymentSnapshot)? {
        guard let configuration = context.configuration, let deployment = context.deployment else { return nil }
        return (configuration, deployment)
    }

    // MARK: - config.js against Prosody

    static func configJSDomainNotAHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), !configuration.virtualHosts.isEmpty else { return [] }
        var findings: [Finding] = []
        for js in deployment.configJS {
            for (key, value) in [("hosts.domain", js.domain), ("hosts.authdomain", js.authDomain)] {
                guard let value, let host = hostName(value), virtualHost(host, in: configuration) == nil else { continue }
                var message = "config.js \(key) is \"\(host)\" but the Prosody config has no VirtualHost \"\(host)\" (VirtualHosts: \(hostList(configuration)))"
                var related: [RelatedLocation] = []
                if let other = anySection(host, in: configuration) {
                    message += "; \"\(host)\" is a Component there, and clients cannot log in to a component"
                    if let r = declaration(other, note: "declared as a Component here") { related.append(r) }
                }
                if let main = configuration.virtualHosts.first, let r = declaration(main, note: "VirtualHost \"\(main.name)\" declared here") {
                    related.append(r)
                }
                findings.append(factory.make(message + ".", at: location(js.path, value.line), related: related,
                                             fix: FixSuggestion("Set \(key) to the VirtualHost users connect to (e.g. '\(configuration.virtualHosts.first?.name ?? "meet.example.com")'), or declare VirtualHost \"\(host)\" in Prosody."),
                                             confidence: value.isLiteral ? .certain : .likely))
            }
        }
        return findings
    }

    static func anonymousDomainNotAHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), !configuration.virtualHosts.isEmpty else { return [] }
        return deployment.configJS.compactMap { js in
            guard let value = js.anonymousDomain, let host = hostName(value), virtualHost(host, in: configuration) == nil else { return nil }
            let related = configuration.virtualHosts.first.flatMap { declaration($0, note: "VirtualHost \"\($0.name)\" declared here") }
            return factory.make(
                "config.js hosts.anonymousdomain is \"\(host)\" but the Prosody config has no VirtualHost \"\(host)\": guests without a token or login cannot connect (VirtualHosts: \(hostList(configuration))).",
                at: location(js.path, value.line), related: related.map { [$0] } ?? [],
                fix: FixSuggestion("Declare the guest host in Prosody (VirtualHost \"\(host)\" with authentication = \"jitsi-anonymous\"), or remove hosts.anonymousdomain from config.js."),
                confidence: value.isLiteral ? .certain : .likely)
        }
    }

    static func mucNotAComponent(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context) else { return [] }
        let mucs = configuration.sections.filter { $0.componentModule == "muc" }
        guard !mucs.isEmpty || !configuration.virtualHosts.isEmpty else { return [] }
        return deployment.configJS.compactMap { js in
            guard let value = js.muc, let host = hostName(value) else { return nil }
            if mucs.contains(where: { $0.name == host.lowercased() }) { return nil }
            var message = "config.js hosts.muc is \"\(host)\"\(value.unresolved.isEmpty ? "" : " (with \(value.unresolved.joined(separator: ", ")) taken as empty)") but the Prosody config has no Component \"\(host)\" \"muc\""
            var related: [RelatedLocation] = []
            if let other = anySection(host, in: configuration) {
                message += " (\"\(host)\" is declared, but not as a \"muc\" component)"
                if let r = declaration(other, note: "declared here") { related.append(r) }
            }
            if let first = mucs.first {
                message += "; the MUC component is \"\(first.name)\""
                if let r = declaration(first, note: "MUC component declared here") { related.append(r) }
            }
            return factory.make(message + ": the client cannot join any conference room.", at: location(js.path, value.line),
                                related: related,
                                fix: FixSuggestion("Set hosts.muc to the Prosody MUC component (\(mucs.first.map { "'\($0.name)'" } ?? "Component \"conference.<domain>\" \"muc\"")), keeping any '+ subdomain +' tenant part."),
                                confidence: value.unresolved.isEmpty ? .certain : .likely)
        }
    }

    static func focusNotAComponent(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), !configuration.virtualHosts.isEmpty else { return [] }
        return deployment.configJS.compactMap { js in
            guard let value = js.focus, let host = hostName(value), anySection(host, in: configuration) == nil else { return nil }
            let focus = configuration.sections.first { $0.name.hasPrefix("focus.") && $0.componentModule != nil }
            return factory.make(
                "config.js hosts.focus is \"\(host)\" but the Prosody config declares no \"\(host)\"\(focus.map { " (the focus component is \"\($0.name)\")" } ?? ""): the client's conference requests go nowhere and the page waits for the focus.",
                at: location(js.path, value.line),
                related: focus.flatMap { declaration($0, note: "focus component declared here") }.map { [$0] } ?? [],
                fix: FixSuggestion("Set hosts.focus to the focus component (\(focus.map { "'\($0.name)'" } ?? "Component \"focus.<domain>\" \"client_proxy\"")), or remove it (the default is focus.<domain>)."),
                confidence: .likely)
        }
    }

    // MARK: - jicofo against Prosody

    /// The domain jicofo treats as "authenticated": its login-url, else config.js hosts.domain.
    static func jicofoLoginDomain(_ deployment: DeploymentSnapshot) -> (domain: String, setting: JicofoSetting?)? {
        guard let auth = deployment.jicofo?.authentication, auth.enabled else { return nil }
        if let login = auth.loginURL, !isPlaceholder(login) { return (login, auth.loginURLSetting) }
        if let domain = deployment.configJS.lazy.compactMap({ hostName($0.domain) }).first { return (domain, nil) }
        return nil
    }

    static func jicofoAuthWithEmptyToken(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), let auth = deployment.jicofo?.authentication,
              auth.enabled, let origin = auth.origin, let (domain, _) = jicofoLoginDomain(deployment),
              let host = virtualHost(domain, in: configuration) else { return [] }
        let (method, authOption) = authentication(of: host, in: configuration)
        guard method == "token", let empty = allowsEmptyToken(host, in: configuration) else { return [] }
        var related = [RelatedLocation(empty.location, note: "allow_empty_token enabled here")]
        if let authOption { related.append(RelatedLocation(authOption.location, note: "authentication = \"token\" here")) }
        return [factory.make(
            "jicofo authentication is enabled (\(auth.typeText ?? "XMPP"), domain \"\(domain)\") while VirtualHost \"\(host.name)\" accepts sessions without a token (allow_empty_token): jicofo treats every user on \"\(host.name)\" as authenticated, so anyone, with or without a token, can create rooms and becomes moderator.",
            at: location(origin), related: related,
            fix: FixSuggestion("Disable jicofo authentication (jicofo.authentication.enabled = false, or remove org.jitsi.jicofo.auth.URL) and keep guests apart (guest VirtualHost + anonymousdomain + muc_wait_for_host), or set allow_empty_token = false."),
            confidence: .certain)]
    }

    static func jicofoAuthMakesTokenHoldersOwners(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), let auth = deployment.jicofo?.authentication,
              auth.enabled, let origin = auth.origin, let (domain, _) = jicofoLoginDomain(deployment),
              let host = virtualHost(domain, in: configuration) else { return [] }
        let (method, authOption) = authentication(of: host, in: configuration)
        guard method == "token", allowsEmptyToken(host, in: configuration) == nil else { return [] }
        return [factory.make(
            "jicofo authentication is enabled (\(auth.typeText ?? "XMPP"), domain \"\(domain)\") on the token host \"\(host.name)\": jicofo makes every token holder an owner (moderator), whatever the token's moderator/affiliation claims say.",
            at: location(origin),
            related: authOption.map { [RelatedLocation($0.location, note: "authentication = \"token\" here")] } ?? [],
            fix: FixSuggestion("If tokens should decide who is moderator, disable jicofo authentication and auto-owner and load token_affiliation on the MUC; otherwise nothing to do."),
            confidence: .certain)]
    }

    static func jicofoAuthDomainMismatch(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), let auth = deployment.jicofo?.authentication,
              auth.enabled, let login = auth.loginURL, !isPlaceholder(login) else { return [] }
        let at = auth.loginURLSetting.map(location) ?? auth.origin.map(location)
        let domain = login.trimmingCharacters(in: .whitespaces)
        if !configuration.virtualHosts.isEmpty && virtualHost(domain, in: configuration) == nil {
            return [factory.make(
                "jicofo authentication login domain is \"\(domain)\" (\(auth.loginURLSetting?.key ?? "login-url")) but the Prosody config has no VirtualHost \"\(domain)\" (VirtualHosts: \(hostList(configuration))): no participant is ever authenticated, so nobody can start a conference.",
                at: at, related: configuration.virtualHosts.first.flatMap { declaration($0, note: "VirtualHost \"\($0.name)\" declared here") }.map { [$0] } ?? [],
                fix: FixSuggestion("Set the login domain to the main VirtualHost users authenticate on (\(configuration.virtualHosts.first.map { "\"\($0.name)\"" } ?? "the Jitsi domain")); it is a domain, not a URL."),
                confidence: .certain)]
        }
        var findings: [Finding] = []
        for js in deployment.configJS {
            guard let domainValue = js.domain, let jsDomain = hostName(domainValue) else { continue }
            let loginDomains = [jsDomain, hostName(js.authDomain)].compactMap { $0?.lowercased() }
            guard !loginDomains.contains(domain.lowercased()) else { continue }
            findings.append(factory.make(
                "jicofo authentication login domain is \"\(domain)\" but config.js logs users in on \"\(jsDomain)\"\(js.authDomain.flatMap(hostName).map { " (authdomain \"\($0)\")" } ?? ""): authenticated users are not recognised, so nobody becomes moderator or can start a conference.",
                at: at, related: [RelatedLocation(location(js.path, domainValue.line), note: "config.js hosts.domain")],
                fix: FixSuggestion("Make jicofo's login domain equal config.js hosts.domain (or hosts.authdomain): \"\(jsDomain)\"."),
                confidence: .likely))
        }
        return findings
    }

    static func jicofoJWTWithoutTokenAuth(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), let auth = deployment.jicofo?.authentication,
              auth.enabled, auth.kind == .jwt, let (domain, _) = jicofoLoginDomain(deployment),
              let host = virtualHost(domain, in: configuration) else { return [] }
        let (method, authOption) = authentication(of: host, in: configuration)
        guard method != "token" else { return [] }
        let at = auth.origin.map(location)
        var related: [RelatedLocation] = []
        if let authOption { related.append(RelatedLocation(authOption.location, note: "authentication = \"\(method)\" here")) }
        else if let r = declaration(host, note: "VirtualHost without authentication (internal_plain)") { related.append(r) }
        return [factory.make(
            "jicofo authentication type is \(auth.typeText ?? "JWT") but VirtualHost \"\(host.name)\" uses authentication = \"\(method)\", not \"token\": tokens are never checked by Prosody.",
            at: at, related: related,
            fix: FixSuggestion("Either set authentication = \"token\" (with app_id/app_secret) on VirtualHost \"\(host.name)\", or set jicofo's authentication type to XMPP."),
            confidence: .likely)]
    }

    static func jicofoClientDomainNotAHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context), !configuration.virtualHosts.isEmpty,
              let setting = deployment.jicofo?.clientDomain, !isPlaceholder(setting.value),
              virtualHost(setting.value, in: configuration) == nil else { return [] }
        return [factory.make(
            "jicofo logs in as focus@\(setting.value) (\(setting.key)) but the Prosody config has no VirtualHost \"\(setting.value)\" (VirtualHosts: \(hostList(configuration))): focus cannot log in and no conference starts.",
            at: location(setting), related: [],
            fix: FixSuggestion("Set \(setting.key) to the auth VirtualHost holding the focus account (usually \"auth.<domain>\")."),
            confidence: .likely)]
    }

    static func guestDomainUsesToken(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let (configuration, deployment) = Self.context(context) else { return [] }
        return deployment.configJS.compactMap { js in
            guard let value = js.anonymousDomain, let name = hostName(value), let host = virtualHost(name, in: configuration) else { return nil }
            let (method, option) = authentication(of: host, in: configuration)
            guard method == "token", allowsEmptyToken(host, in: configuration) == nil else { return nil }
            let at = option?.location ?? host.declarations.first
            return factory.make(
                "VirtualHost \"\(host.name)\" is config.js's anonymousdomain (guest domain) but uses authentication = \"token\" without allow_empty_token: guests have no token and are refused.",
                at: at, related: [RelatedLocation(location(js.path, value.line), note: "config.js hosts.anonymousdomain")],
                fix: FixSuggestion("Use authentication = \"jitsi-anonymous\" on VirtualHost \"\(host.name)\"."),
                confidence: .certain)
        }
    }

    // MARK: - nginx

    static func nginxDropsTokenQuery(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let deployment = context.deployment else { return [] }
        var findings: [Finding] = []
        for site in deployment.nginx {
            for loc in site.locations where loc.proxyPassDropsQuery {
                guard let proxy = loc.proxyPass else { continue }
                let kind = loc.isBOSH ? "BOSH" : "WebSocket"
                let separator = proxy.value.contains("?") ? "&" : "?"
                findings.append(factory.make(
                    "nginx \(kind) location \"\(loc.modifier.isEmpty ? "" : loc.modifier + " ")\(loc.path)\" proxies with variables (proxy_pass \(proxy.value)) but without $args or $request_uri: nginx then sends no query string, so ?room=...&token=... never reaches Prosody.",
                    at: location(site.path, proxy.line),
                    related: [RelatedLocation(location(site.path, loc.line), note: "location \(loc.path)")],
                    fix: FixSuggestion("Append the query string: proxy_pass \(proxy.value)\(separator)$args;"),
                    confidence: .likely))
            }
        }
        return findings
    }

    // MARK: - certificates

    static func certificates(_ context: AnalysisContext) -> [(CertificateReference, CertificateFacts)] {
        guard let (configuration, deployment) = Self.context(context) else { return [] }
        return CertificateReferences.all(in: configuration).compactMap { reference in
            deployment.certificates[reference.path].map { (reference, $0.facts) }
        }
    }

    static func describe(_ reference: CertificateReference) -> String {
        let place = reference.section == "*" ? "global" : "\"\(reference.section)\""
        return "\(reference.option.name).certificate \"\(reference.written)\" (\(place))"
    }

    static func certificateMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        certificates(context).compactMap { reference, facts in
            guard case .missing = facts else { return nil }
            return factory.make("\(describe(reference)) does not exist\(reference.written == reference.path ? "" : " (resolved to \(reference.path))"): Prosody cannot offer TLS with it.",
                                at: reference.option.location,
                                fix: FixSuggestion("Point certificate at the existing file (e.g. from `prosodyctl cert import` or /etc/prosody/certs/), or create it."))
        }
    }

    static func certificateInvalid(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        certificates(context).compactMap { reference, facts in
            switch facts {
            case .unreadable(let reason):
                return factory.make("\(describe(reference)) cannot be read: \(reason). Prosody reads it as user prosody.",
                                    at: reference.option.location,
                                    fix: FixSuggestion("Make the file readable by the prosody user (chgrp prosody, chmod 640)."))
            case .invalid(let reason):
                return factory.make("\(describe(reference)) is not a usable certificate: \(reason).", at: reference.option.location,
                                    fix: FixSuggestion("Point certificate at the PEM certificate (or full chain) and key at the private key."))
            default:
                return nil
            }
        }
    }

    static let day: TimeInterval = 86_400
    static func dateText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    static func certificateExpired(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let now = context.deployment?.now else { return [] }
        return certificates(context).compactMap { reference, facts in
            guard let info = facts.info else { return nil }
            if info.isExpired(at: now) {
                return factory.make("\(describe(reference)) expired on \(dateText(info.notAfter)) (covers \(info.names.joined(separator: ", "))): clients and servers refuse the TLS connection.",
                                    at: reference.option.location,
                                    fix: FixSuggestion("Renew the certificate (certbot renew / prosodyctl cert import) and reload Prosody."))
            }
            if info.isNotYetValid(at: now) {
                return factory.make("\(describe(reference)) is not valid before \(dateText(info.notBefore)): check the clock of this machine or the certificate.",
                                    at: reference.option.location, confidence: .likely)
            }
            return nil
        }
    }

    static func certificateExpiringSoon(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let now = context.deployment?.now else { return [] }
        return certificates(context).compactMap { reference, facts in
            guard let info = facts.info, !info.isExpired(at: now), info.notAfter.timeIntervalSince(now) < 14 * day else { return nil }
            let days = Int(info.notAfter.timeIntervalSince(now) / day)
            return factory.make("\(describe(reference)) expires on \(dateText(info.notAfter)), in \(days) day\(days == 1 ? "" : "s").",
                                at: reference.option.location,
                                fix: FixSuggestion("Renew it now and check that renewal is automated (certbot timer, deploy hook that reloads Prosody)."))
        }
    }

    static func certificateDoesNotCoverHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        certificates(context).compactMap { reference, facts in
            guard let info = facts.info, reference.sectionKind != .global, reference.option.name == "ssl",
                  !info.covers(host: reference.section) else { return nil }
            let names = info.names.isEmpty ? "no DNS name" : info.names.joined(separator: ", ")
            return factory.make("\(describe(reference)) is for \(names), not for \"\(reference.section)\": TLS clients connecting to \"\(reference.section)\" reject it.",
                                at: reference.option.location,
                                fix: FixSuggestion("Use a certificate whose subjectAltName includes \"\(reference.section)\" (or a wildcard for its parent domain)."),
                                confidence: .certain)
        }
    }
}
