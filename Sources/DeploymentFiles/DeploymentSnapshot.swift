import Foundation

/// config.js facts: the interesting values with their lines.
public struct ConfigJSFacts: Sendable, Hashable {
    public var path: String
    /// `hosts.domain`, `hosts.anonymousdomain`, `hosts.authdomain`, `hosts.muc`, `hosts.focus`,
    /// `bosh`, `websocket`, `tokenAuthUrl`... (the last assignment of each).
    public var values: [String: ConfigJSValue]
    public init(path: String, values: [String: ConfigJSValue]) {
        self.path = path
        self.values = values
    }
    public var domain: ConfigJSValue? { values["hosts.domain"] }
    public var anonymousDomain: ConfigJSValue? { values["hosts.anonymousdomain"] }
    public var authDomain: ConfigJSValue? { values["hosts.authdomain"] }
    public var muc: ConfigJSValue? { values["hosts.muc"] }
    public var focus: ConfigJSValue? { values["hosts.focus"] }

    public init(path: String, document: ConfigJSDocument) {
        var values: [String: ConfigJSValue] = [:]
        for (key, value) in document.assignments where ConfigJSReader.interestingPaths.contains(key) { values[key] = value }
        self.init(path: path, values: values)
    }
}

/// nginx facts: the BOSH and WebSocket locations of one site file.
public struct NginxFacts: Sendable, Hashable {
    public var path: String
    public var locations: [NginxLocation]
    public var serverNames: [String]
    public init(path: String, locations: [NginxLocation], serverNames: [String]) {
        self.path = path
        self.locations = locations
        self.serverNames = serverNames
    }
    public init(path: String, document: NginxDocument) {
        self.init(path: path, locations: document.locations.filter { $0.isBOSH || $0.isWebSocket },
                  serverNames: document.servers.flatMap(\.serverNames))
    }
}

/// A certificate file the Prosody config names, and what reading it gave.
public struct CertificateFileFacts: Sendable, Hashable {
    public var path: String
    public var facts: CertificateFacts
    public init(path: String, facts: CertificateFacts) {
        self.path = path
        self.facts = facts
    }
}

/// Everything read from the files around Prosody, as plain values; rules read only this.
public struct DeploymentSnapshot: Sendable {
    public var jicofo: JicofoSettings?
    public var configJS: [ConfigJSFacts]
    public var nginx: [NginxFacts]
    /// Keyed by the absolute path as resolved for Prosody.
    public var certificates: [String: CertificateFileFacts]
    /// Files that could not be read at all.
    public var unreadable: [ReadFailure]
    /// The moment the snapshot was taken (certificate expiry is judged against it).
    public var now: Date

    public init(jicofo: JicofoSettings? = nil, configJS: [ConfigJSFacts] = [], nginx: [NginxFacts] = [],
                certificates: [String: CertificateFileFacts] = [:], unreadable: [ReadFailure] = [], now: Date = Date()) {
        self.jicofo = jicofo
        self.configJS = configJS
        self.nginx = nginx
        self.certificates = certificates
        self.unreadable = unreadable
        self.now = now
    }

    /// Reads the discovered files and the certificate paths (already resolved against
    /// the Prosody config directory). Missing or unreadable files are recorded, never thrown.
    /// With a `root` other than "/" (`diagnose --root DIR`), absolute certificate paths
    /// the config names (`/etc/prosody/certs/x.crt`) are read under the root; the snapshot
    /// keeps them keyed by the path as written for Prosody.
    public static func load(files: DiscoveredFiles, certificatePaths: [String] = [], now: Date = Date()) -> DeploymentSnapshot {
        var snapshot = DeploymentSnapshot(now: now)
        var hocon: HOCONDocument?
        var hoconPath: String?
        var properties: PropertiesDocument?
        var propertiesPath: String?
        func text(_ path: String) -> String? {
            switch TextFile.read(path) {
            case .success(let text): return text
            case .failure(let failure): snapshot.unreadable.append(failure); return nil
            }
        }
        if let path = files.jicofoConf, let content = text(path) {
            hocon = HOCONReader.read(content)
            hoconPath = path
        }
        if let path = files.jicofoProperties, let content = text(path) {
            properties = PropertiesReader.read(content)
            propertiesPath = path
        }
        var environment: PropertiesDocument?
        if let path = files.jicofoEnvironment, let content = text(path) { environment = PropertiesReader.read(content) }
        if hocon != nil || properties != nil || environment != nil {
            snapshot.jicofo = JicofoSettings(hocon: hocon, hoconPath: hoconPath, properties: properties, propertiesPath: propertiesPath,
                                             environment: environment, environmentPath: files.jicofoEnvironment)
        }
        for path in files.configJS {
            if let content = text(path) { snapshot.configJS.append(ConfigJSFacts(path: path, document: ConfigJSReader.read(content))) }
        }
        for path in files.nginxSites {
            if let content = text(path) { snapshot.nginx.append(NginxFacts(path: path, document: NginxReader.read(content))) }
        }
        for path in certificatePaths where snapshot.certificates[path] == nil {
            snapshot.certificates[path] = CertificateFileFacts(path: path,
                                                               facts: CertificateReader.read(path: rerooted(path, under: files.root)))
        }
        return snapshot
    }
}

/// `/etc/x` under root `/srv/copy` is `/srv/copy/etc/x`; paths already under the root stay.
func rerooted(_ path: String, under root: String) -> String {
    let base = root.hasSuffix("/") ? String(root.dropLast()) : root
    guard !base.isEmpty, path.hasPrefix("/"), !path.hasPrefix(base + "/") else { return path }
    return base + path
}

extension DeploymentSnapshot {
    /// One line per file read, for `diagnose` output (no secrets: only domains and flags).
    public var summary: [String] {
        var lines: [String] = []
        if let jicofo {
            let files = [jicofo.hoconPath, jicofo.propertiesPath].compactMap { $0 }.joined(separator: ", ")
            if let auth = jicofo.authentication {
                let state = auth.enabled ? "enabled, type \(auth.typeText ?? auth.kind.rawValue), domain \(auth.loginURL ?? "unset")" : "disabled"
                lines.append("jicofo (\(files)): authentication \(state); auto-owner \(jicofo.autoOwnerEnabled ? "on" : "off")")
            } else {
                lines.append("jicofo (\(files)): no authentication settings; auto-owner \(jicofo.autoOwnerEnabled ? "on" : "off")")
            }
        }
        for js in configJS {
            let hosts = ["hosts.domain", "hosts.anonymousdomain", "hosts.authdomain", "hosts.muc"].compactMap { key in
                js.values[key].map { "\(key.replacingOccurrences(of: "hosts.", with: ""))=\($0.text)" }
            }
            lines.append("config.js (\(js.path)): \(hosts.isEmpty ? "no hosts found" : hosts.joined(separator: " "))")
        }
        for site in nginx {
            let bosh = site.locations.filter(\.isBOSH).count
            let ws = site.locations.filter(\.isWebSocket).count
            lines.append("nginx (\(site.path)): \(bosh) BOSH and \(ws) WebSocket locations")
        }
        for path in certificates.keys.sorted() {
            guard let facts = certificates[path]?.facts else { continue }
            switch facts {
            case .certificate(let info):
                lines.append("certificate \(path): \(info.names.joined(separator: ", ")), valid until \(info.notAfter)")
            case .missing: lines.append("certificate \(path): missing")
            case .unreadable(let reason): lines.append("certificate \(path): unreadable (\(reason))")
            case .invalid(let reason): lines.append("certificate \(path): invalid (\(reason))")
            }
        }
        for failure in unreadable { lines.append(failure.description) }
        return lines
    }
}
