import XCTest
@testable import ProsodyConfig

final class SectionTests: XCTestCase {
    /// §1.3: the section is runtime state; table forms go back to global.
    func testSectionsAreRuntimeStateAndTableFormsEndThem() {
        let c = load("""
        admins = { "a@example.com" }          -- global ("*")
        VirtualHost "Example.COM"             -- section example.com (nameprep)
            admins = { "b@example.com" }      -- example.com
        Component "conference.example.com" "muc"
            restrict_room_creation = true     -- conference.example.com
        c2s_require_encryption = true         -- STILL conference.example.com
        VirtualHost "example.com"             -- same section again: merged, no warning
            another = 1
        VirtualHost "x.example.com" { inline = "yes" }   -- table form ...
        after_table_form = "global"           -- ... switches back to global
        Component "ext.example.com" { component_secret = "s" }
        Component "up.example.com" "http_file_share" { http_file_share_size_limit = 10 }
        Component "plain.example.com"         -- external, current section = plain.example.com
        plain_opt = 3                         -- plain.example.com
        """)
        XCTAssertEqual(strings(c.value("*", "admins")), ["a@example.com"])
        XCTAssertEqual(strings(c.value("example.com", "admins")), ["b@example.com"])
        XCTAssertEqual(c.value("conference.example.com", "restrict_room_creation"), .boolean(true))
        XCTAssertEqual(c.value("conference.example.com", "c2s_require_encryption"), .boolean(true))
        XCTAssertNil(c.value("*", "c2s_require_encryption"))
        XCTAssertEqual(c.value("example.com", "another"), .integer(1))
        XCTAssertEqual(c.value("x.example.com", "inline"), .string("yes"))
        XCTAssertEqual(c.value("*", "after_table_form"), .string("global"))
        XCTAssertEqual(c.value("ext.example.com", "component_secret"), .string("s"))
        XCTAssertEqual(c.section(named: "ext.example.com")?.componentModule, "component")
        XCTAssertEqual(c.section(named: "up.example.com")?.componentModule, "http_file_share")
        XCTAssertEqual(c.value("up.example.com", "http_file_share_size_limit"), .integer(10))
        XCTAssertEqual(c.value("plain.example.com", "plain_opt"), .integer(3))
        XCTAssertEqual(c.section(named: "conference.example.com")?.componentModule, "muc")
        XCTAssertTrue(c.section(named: "example.com")?.isVirtualHost ?? false)
        XCTAssertEqual(c.section(named: "example.com")?.declarations.count, 2)
        XCTAssertTrue(c.warnings.isEmpty, "\(c.warnings)")
        XCTAssertFalse(c.prosodyWouldFail, "\(c.problems.map(\.message))")
        // provenance of the table form
        let inline = c.section(named: "x.example.com")!.option("inline")!
        XCTAssertTrue(inline.viaTableForm)
        XCTAssertEqual(inline.location.line, 9)
        XCTAssertTrue(c.assignments.first { $0.name == "inline" }!.viaTableForm)
        XCTAssertFalse(c.assignments.first { $0.name == "plain_opt" }!.viaTableForm)
    }

    func testBareCallFormReturnsToGlobal() {
        let c = load("""
        Component "y.example" ("muc")({ a = 1 })
        b = 2
        """)
        XCTAssertEqual(c.value("y.example", "a"), .integer(1))
        XCTAssertEqual(c.value("*", "b"), .integer(2))
    }

    func testLoopsAndHelperFunctionsOpenSections() {
        let c = load("""
        for _, d in ipairs { "a.example", "b.example" } do
            VirtualHost (d); enabled = true
            Component ("muc." .. d) "muc"; restrict_room_creation = "local"
        end
        after_loop = "?"
        local function comp(n, m, o) Component(n)(m)(o or {}) end
        comp("up.a.example", "http_file_share", { size = 10 })
        after_helper = 1
        """)
        XCTAssertEqual(c.sectionNames, ["a.example", "muc.a.example", "b.example", "muc.b.example", "up.a.example"])
        XCTAssertEqual(c.value("muc.b.example", "after_loop"), .string("?"))
        XCTAssertEqual(c.value("a.example", "enabled"), .boolean(true))
        XCTAssertEqual(c.value("muc.a.example", "restrict_room_creation"), .string("local"))
        XCTAssertEqual(c.value("up.a.example", "size"), .integer(10))
        XCTAssertEqual(c.value("*", "after_helper"), .integer(1))
        // the loop runs the same assignment twice, but in different sections: no warning
        XCTAssertTrue(c.warnings.isEmpty)
    }

    func testVirtualHostWithModuleNameIsAnError() {
        let c = load("""
        VirtualHost "x.example" "muc"
        a = 1
        """)
        let errors = c.problems("runtimeError")
        XCTAssertEqual(errors.first?.message, "VirtualHost entries do not accept a module name (module 'muc' provided for host 'x.example')")
        XCTAssertTrue(c.prosodyWouldFail)
        XCTAssertEqual(c.value("*", "a"), .integer(1), "the section was reset before the error")
        let c2 = load("VirtualHost \"x\" (42)")
        XCTAssertEqual(c2.problems("runtimeError").first?.message,
                       "Invalid syntax following VirtualHost, expected options but received a number")
    }

    func testMissingNames() {
        let c = load("""
        VirtualHost()
        Component(ENV_UNSET_FOR_TEST) "muc"
        """)
        XCTAssertEqual(c.problems("runtimeError").map(\.message), ["Host must have a name", "Component must have a name"])
    }

    func testDuplicateVirtualHostMergesAndComponentKeepsLastModule() {
        let c = load("""
        VirtualHost "a.example"
            x = 1
        Component "c.example" "muc"
        VirtualHost "a.example"
            y = 2
        Component "c.example" "http_file_share"
        """)
        XCTAssertEqual(c.value("a.example", "x"), .integer(1))
        XCTAssertEqual(c.value("a.example", "y"), .integer(2))
        XCTAssertEqual(c.sections.filter { $0.name == "a.example" }.count, 1)
        XCTAssertEqual(c.section(named: "c.example")?.componentModule, "http_file_share")
        XCTAssertEqual(c.section(named: "c.example")?.declaredModules, ["muc", "http_file_share"])
        let dup = c.problems("duplicateComponent")
        XCTAssertEqual(dup.count, 1)
        XCTAssertEqual(dup.first?.location?.line, 6)
        XCTAssertEqual(dup.first?.related.first?.line, 3)
        XCTAssertFalse(c.prosodyWouldFail)
    }

    func testHostComponentClashBothOrders() {
        let c = load("""
        Component "c.example" "muc"
        VirtualHost "c.example"
        """)
        XCTAssertEqual(c.problems("hostComponentClash").first?.message,
                       "Host \"c.example\" clashes with previously defined MUC Component \"c.example\", for services use a sub-domain like conference.c.example")
        XCTAssertTrue(c.prosodyWouldFail)
        let c2 = load("""
        VirtualHost "c.example"
        Component "c.example" "http_file_share"
        """)
        XCTAssertEqual(c2.problems("hostComponentClash").first?.message,
                       "Component \"c.example\" clashes with previously defined VirtualHost \"c.example\", for services use a sub-domain like conference.c.example")
        let c3 = load("""
        Component "e.example"
        Component "f.example" "http_file_share"
        VirtualHost "e.example"
        VirtualHost "f.example"
        """)
        XCTAssertEqual(c3.problems("hostComponentClash").map(\.message), [
            "Host \"e.example\" clashes with previously defined external Component \"e.example\", for services use a sub-domain like conference.e.example",
            "Host \"f.example\" clashes with previously defined http_file_share Component \"f.example\", for services use a sub-domain like conference.f.example",
        ])
    }

    func testNameprep() {
        let c = load("""
        VirtualHost "Example.COM"
        VirtualHost "ÄÖÜ.example"
        VirtualHost "xn--4ca.example"
        VirtualHost "user@example.com"
        VirtualHost "ｅｘａｍｐｌｅ.org"
        """)
        XCTAssertEqual(c.sectionNames, ["example.com", "äöü.example", "xn--4ca.example", "user@example.com", "example.org"])
        let bad = load("VirtualHost \"exa\u{2028}mple\"\nx = 1")
        XCTAssertEqual(bad.problems("invalidHostName").first?.message, "Name of Host \"exa\u{2028}mple\" contains forbidden characters")
        XCTAssertTrue(bad.prosodyWouldFail)
        XCTAssertEqual(bad.value("*", "x"), .integer(1))
    }

    func testVisualSectionOfCommentedOutHeader() {
        let c = load("""
        VirtualHost "example.com"
            authentication = "internal_hashed"

        Component "conference.example.com" "muc"
            restrict_room_creation = true

        --VirtualHost "guest.example.com"
            authentication = "anonymous"
            -- a remark
            allow_anonymous_s2s = false
        top = 1
        """)
        let auth = c.assignments.filter { $0.name == "authentication" }
        XCTAssertEqual(auth.map(\.section), ["example.com", "conference.example.com"])
        XCTAssertEqual(auth.map(\.visualSection), ["example.com", "guest.example.com"])
        let s2s = c.assignments.first { $0.name == "allow_anonymous_s2s" }!
        XCTAssertEqual(s2s.section, "conference.example.com")
        XCTAssertEqual(s2s.visualSection, "guest.example.com")
        XCTAssertEqual(c.assignments.first { $0.name == "restrict_room_creation" }?.visualSection, "conference.example.com")
        XCTAssertNil(c.assignments.first { $0.name == "top" }!.visualSection)
        XCTAssertEqual(c.value("conference.example.com", "authentication"), .string("anonymous"))
    }

    func testCurrentHostRawField() {
        let c = load("""
        VirtualHost "a.example"
        x = __currenthost
        """)
        XCTAssertEqual(c.value("a.example", "x"), .string("a.example"))
    }
}
