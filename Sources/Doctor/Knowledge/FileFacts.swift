import Foundation

/// What the CLI found out about a config file on disk (rules never read files).
/// Filled by the caller into `AnalysisContext.fileFacts`, keyed by the same path the
/// loader uses in `SourceLocation.file`.
public struct FileFacts: Sendable, Hashable {
    /// Permission bits (`st_mode & 0o7777`).
    public var mode: UInt16
    /// Owner and group ids, when known.
    public var ownerID: UInt32?
    public var groupID: UInt32?

    public init(mode: UInt16, ownerID: UInt32? = nil, groupID: UInt32? = nil) {
        self.mode = mode
        self.ownerID = ownerID
        self.groupID = groupID
    }

    public var isWorldReadable: Bool { mode & 0o004 != 0 }
    public var isWorldWritable: Bool { mode & 0o002 != 0 }
    public var isGroupWritable: Bool { mode & 0o020 != 0 }

    /// The mode as `0644`.
    public var octal: String {
        // Four octal digits, written out (the generic radix conversion costs more on first use).
        let bits = Int(mode & 0o7777)
        return String(decoding: [bits >> 9, (bits >> 6) & 7, (bits >> 3) & 7, bits & 7].map { UInt8(ascii: "0") + UInt8($0) },
                      as: UTF8.self)
    }

    /// For the CLI: stat every path (files that cannot be stat'ed are left out).
    public static func gather(for paths: [String]) -> [String: FileFacts] {
        var facts: [String: FileFacts] = [:]
        for path in paths {
            // Permissions of the file itself, not of a symlink to it (a link's mode is always 777):
            // stat follows the links. Only when it fails (a broken link) the link's own
            // attributes are what Foundation would give, so it answers then.
            var info = stat()
            if stat(path, &info) == 0 {
                facts[path] = FileFacts(mode: UInt16(truncatingIfNeeded: info.st_mode & 0o7777),
                                        ownerID: UInt32(info.st_uid), groupID: UInt32(info.st_gid))
                continue
            }
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: target),
                  let permissions = attributes[.posixPermissions] as? NSNumber else { continue }
            facts[path] = FileFacts(mode: UInt16(truncating: permissions),
                                    ownerID: (attributes[.ownerAccountID] as? NSNumber).map { UInt32(truncating: $0) },
                                    groupID: (attributes[.groupOwnerAccountID] as? NSNumber).map { UInt32(truncating: $0) })
        }
        return facts
    }
}
