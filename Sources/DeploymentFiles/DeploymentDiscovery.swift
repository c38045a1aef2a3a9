import Foundation

/// The files of a Jitsi deployment found on disk (absolute paths under the root).
public struct DiscoveredFiles: Sendable, Hashable {
    public var root: String
    public var prosodyConfig: String?
    public var jicofoConf: String?
    public var jicofoProperties: String?
    /// The legacy shell env file `/etc/jitsi/jicofo/config`.
    public var jicofoEnvironment: String?
    public var configJS: [String]
    public var nginxSites: [String]
    public var prosodyLogs: [String]

    public init(root: String = "/", prosodyConfig: String? = nil, jicofoConf: String? = nil, jicofoProperties: String? = nil,
                jicofoEnvironment: String? = nil, configJS: [String] = [], nginxSites: [String] = [], prosodyLogs: [String] = []) {
        self.root = root
        self.prosodyConfig = prosodyConfig
        self.jicofoConf = jicofoConf
        self.jicofoProperties = jicofoProperties
        self.jicofoEnvironment = jicofoEnvironment
        self.configJS = configJS
        self.nginxSites = nginxSites
        self.prosodyLogs = prosodyLogs
    }
}

/// Finds the Prosody, jicofo, web and nginx files of a Debian-style Jitsi install.
public enum DeploymentDiscovery {
    public static func discover(root: String = "/") -> DiscoveredFiles {
        let fm = FileManager.default
        func under(_ relative: String) -> String {
            root.hasSuffix("/") ? root + relative : root + "/" + relative
        }
        func file(_ relative: String) -> String? {
            var isDirectory: ObjCBool = false
            let path = under(relative)
            return fm.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue ? path : nil
        }
        func list(_ relativeDirectory: String) -> [String] {
            let directory = under(relativeDirectory)
            guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
            return names.sorted().compactMap { name in
                let path = directory + "/" + name
                var isDirectory: ObjCBool = false
                // Follows symlinks (sites-enabled entries are links into sites-available).
                guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
                return path
            }
        }
        var found = DiscoveredFiles(root: root)
        found.prosodyConfig = file("etc/prosody/prosody.cfg.lua")
        found.jicofoConf = file("etc/jitsi/jicofo/jicofo.conf")
        found.jicofoProperties = file("etc/jitsi/jicofo/sip-communicator.properties")
        found.jicofoEnvironment = file("etc/jitsi/jicofo/config")
        found.configJS = list("etc/jitsi/meet").filter { $0.hasSuffix("-config.js") }
        found.nginxSites = (list("etc/nginx/sites-enabled") + list("etc/nginx/conf.d")).filter(mentionsXMPPTransport)
        found.prosodyLogs = list("var/log/prosody").filter { ($0 as NSString).lastPathComponent.contains(".log") }
        return found
    }

    /// nginx files that proxy BOSH or WebSocket (reads at most the first MiB).
    static func mentionsXMPPTransport(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.contains("http-bind") || text.contains("xmpp-websocket")
    }
}
