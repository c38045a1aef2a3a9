@testable import Doctor
import XCTest

final class NameTableTests: XCTestCase {
    func testMembershipIsExactAndDuplicatesAreKeptOnce() {
        let table = NameTable([["admins", "c2s_ports", "a", ""], ["admins", "log"]])
        XCTAssertEqual(table.names, ["admins", "c2s_ports", "a", "", "log"])
        for name in ["admins", "c2s_ports", "a", "", "log"] { XCTAssertTrue(table.contains(name), name) }
        for name in ["admin", "Admins", "admins ", "c2s_port", "b", "logs", "admins\u{0}"] { XCTAssertFalse(table.contains(name), name) }
        XCTAssertTrue(table.contains("xlogx".dropFirst().dropLast()))
    }

    func testManyNamesAgreeWithASet() {
        let names = (0..<3000).map { "option_\($0 * 7919 % 10007)" }
        let table = NameTable([names])
        let set = Set(names)
        for i in 0..<12000 {
            let probe = "option_\(i)"
            XCTAssertEqual(table.contains(probe), set.contains(probe), probe)
        }
    }

    /// The knowledge lists are read through `NameTable`, which requires ASCII names.
    func testKnownOptionNamesAreASCII() {
        for name in KnownOptions.all { XCTAssertTrue(name.utf8.allSatisfy { $0 < 0x80 }, name) }
        for name in KnownOptions.prosodyModulesNames { XCTAssertTrue(name.utf8.allSatisfy { $0 < 0x80 }, name) }
        XCTAssertTrue(KnownOptions.isKnown("admins"))
        XCTAssertTrue(KnownOptions.isGlobalOnly("pidfile"))
        XCTAssertFalse(KnownOptions.isGlobalOnly("admins"))
    }

    /// `belongsToModule` looks module prefixes up by name; the plain definition scans them all.
    func testBelongsToModuleMatchesTheScan() {
        func reference(_ name: String, _ loaded: Set<String>) -> Bool {
            if KnownOptions.communityPrefixes.contains(where: { name.hasPrefix($0) }) { return true }
            if KnownOptions.prosodyModulesNames.contains(where: { $0.count >= 4 && name.hasPrefix($0 + "_") }) { return true }
            return loaded.contains { module in module.count >= 3 && (name.hasPrefix(module + "_") || name == module) }
        }
        let loaded: Set<String> = ["mam", "muc", "bosh", "http_upload", "ab", "e\u{0301}x", "csi_simple"]
        var names = ["mam_max", "mam", "muc_room_default_public", "bosh_max_wait", "http_upload_file_size_limit", "ab_x",
                     "ab", "éx_thing", "e\u{0301}x_thing", "csi_simple_x", "csi_x", "x_mam_y", "mam_", "_mam", "", "_",
                     "zzz_completely_new", "mamx_y", "muc\u{0301}_x"]
        for module in KnownOptions.prosodyModulesNames.prefix(200) {
            names += [module + "_option", module, module + "x_option", String(module.dropLast()) + "_option"]
        }
        for name in names {
            XCTAssertEqual(KnownOptions.belongsToModule(name, loadedModules: loaded), reference(name, loaded), name)
        }
    }
}
