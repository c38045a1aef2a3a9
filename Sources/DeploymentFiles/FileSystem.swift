import Foundation

typealias ObjCBoolShim = Bool

enum FileExists {
    static func check(_ path: String, isDirectory: inout Bool) -> Bool {
        var flag: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &flag)
        isDirectory = flag.boolValue
        return exists
    }
}

enum FileManagerShim {
    static func contents(_ path: String) -> [UInt8]? {
        guard FileManager.default.isReadableFile(atPath: path),
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }
}
