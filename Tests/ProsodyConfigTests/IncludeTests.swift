import XCTest
@testable import ProsodyConfig

final class IncludeTests: XCTestCase {
    func testIncludedFilesStartGlobalAndIncluderSectionIsRestored() {
        let t = TempTree([
            "prosody.cfg.lua": """
            VirtualHost "example.org"
                Include "conf.d/*.cfg.lua"
                after_include = true
            """,
            "conf.d/10-a.cfg.lua": """
            from_a = 1
            Component "muc.example.org" "muc"
                in_muc = 1
            """,
            "conf.d/20-b.cfg.lua": """
            from_b = 2
            """,
            "conf.d/.hidden.cfg.lua": "hidden = true",
            "conf.d/README.txt": "not = 'lua'",
        ])
        let c = loader().load(path: t.path("prosody.cfg.lua")).configuration
        XCTAssertEqual(c.value("*", "from_a"), .integer(1))
        XCTAssertEqual(c.value("*", "from_b"), .integer(2), "a section opened in 10-a does not leak into 20-b")
        XCTAssertEqual(c.value("muc.example.org", "in_muc"), .integer(1))
        XCTAssertEqual(c.value("example.org", "after_include"), .boolean(true))
        XCTAssertNil(c.value("*", "hidden"))
        XCTAssertEqual(c.files, [t.path("conf.d/10-a.cfg.lua"), t.path("conf.d/20-b.cfg.lua"), t.path("prosody.cfg.lua")])
        XCTAssertFalse(c.prosodyWouldFail, "\(c.problems.map(\.message))")
    }

    func testDirectoryListingOrderLoadsEveryMatch() {
        let t = TempTree([
            "main.cfg.lua": "Include \"conf.d/*.cfg.lua\"",
            "conf.d/a.cfg.lua": "x = 'a'",
            "conf.d/b.cfg.lua": "x = 'b'",
            "conf.d/c.cfg.lua": "x = 'c'",
        ])
        var l = loader()
        l.includeOrder = .directoryListing
        let c = l.load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(Set(c.files), Set(["a", "b", "c"].map { t.path("conf.d/\($0).cfg.lua") } + [t.path("main.cfg.lua")]))
        XCTAssertEqual(c.files.last, t.path("main.cfg.lua"))
        // the last loaded file wins
        let last = c.files[2]
        XCTAssertEqual(c.value("*", "x"), .string(String(last.dropLast(".cfg.lua".count).suffix(1))))
    }

    func testGlobDetails() {
        XCTAssertTrue(Evaluator.globMatch(Array("10-a.cfg.lua".utf8), Array("*.cfg.lua".utf8)))
        XCTAssertFalse(Evaluator.globMatch(Array("README.txt".utf8), Array("*.cfg.lua".utf8)))
        XCTAssertTrue(Evaluator.globMatch(Array("a1.lua".utf8), Array("a?.lua".utf8)))
        XCTAssertFalse(Evaluator.globMatch(Array("a12.lua".utf8), Array("a?.lua".utf8)))
        XCTAssertTrue(Evaluator.globMatch(Array("[x].lua".utf8), Array("[x].lua".utf8)))
        XCTAssertFalse(Evaluator.globMatch(Array("x.lua".utf8), Array("[x].lua".utf8)))
        XCTAssertEqual(Evaluator.resolveRelative(parent: "/etc/prosody/", path: "./conf.d/x"), "/etc/prosody/conf.d/x")
        XCTAssertEqual(Evaluator.resolveRelative(parent: "/etc/prosody/", path: "/abs/x"), "/abs/x")
        XCTAssertEqual(Evaluator.resolveRelative(parent: "/etc/prosody/", path: "../x"), "/etc/prosody/../x")
    }

    func testGlobInSameDirectoryDoublesTheSlash() {
        let t = TempTree([
            "main.cfg.lua": "Include \"*.inc\"",
            "one.inc": "one = 1",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(c.files.first, t.root + "//one.inc")
        XCTAssertEqual(c.value("*", "one"), .integer(1))
    }

    func testMissingIncludes() {
        let t = TempTree([
            "main.cfg.lua": """
            Include "nothing/here.cfg.lua"
            Include "empty.d/*.cfg.lua"
            Include "missing.d/*.cfg.lua"
            still = "evaluated"
            """,
            "empty.d/README": "x",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        let problems = c.problems("includeNotFound")
        XCTAssertEqual(problems.count, 3)
        XCTAssertEqual(problems.map { $0.location?.line }, [1, 2, 3])
        XCTAssertEqual(problems.map(\.prosodyWouldFail), [true, false, true])
        XCTAssertEqual(problems[0].message,
                       "Error loading included \(t.path("nothing/here.cfg.lua")): \(t.path("nothing/here.cfg.lua")): No such file or directory")
        XCTAssertEqual(problems[2].message, "cannot open \(t.path("missing.d")): No such file or directory")
        XCTAssertEqual(c.fatalProblem?.location?.line, 1)
        XCTAssertEqual(c.value("*", "still"), .string("evaluated"))
    }

    func testIncludeCycleIsDetected() {
        let t = TempTree([
            "main.cfg.lua": "a = 1\nInclude \"other.cfg.lua\"",
            "other.cfg.lua": "b = 2\nInclude \"main.cfg.lua\"",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        let cycle = c.problems("includeCycle")
        XCTAssertEqual(cycle.count, 1)
        XCTAssertEqual(cycle.first?.location?.file, t.path("other.cfg.lua"))
        XCTAssertTrue(c.prosodyWouldFail)
        XCTAssertEqual(c.value("*", "b"), .integer(2))
    }

    func testIncludeOfDirectoryAndAnyExtension() {
        let t = TempTree([
            "main.cfg.lua": "Include \"extra.txt\"\nInclude \"sub\"",
            "extra.txt": "extra = true",
            "sub/x": "",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(c.value("*", "extra"), .boolean(true))
        XCTAssertEqual(c.problems("unreadableFile").first?.location?.line, 2)
    }

    func testDuplicatesAcrossFilesDoNotWarn() {
        let t = TempTree([
            "main.cfg.lua": "a = 1\nInclude \"inc.cfg.lua\"\na = 3",
            "inc.cfg.lua": "a = 2",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(c.warnings, [ProsodyWarning(file: t.path("main.cfg.lua"), line: 3, text: "Duplicate option 'a'")])
        XCTAssertEqual(c.value("*", "a"), .integer(3))
    }

    func testFilesAreListedWhenTheyFinishLoading() {
        let t = TempTree([
            "main.cfg.lua": "Include \"a.cfg.lua\"",
            "a.cfg.lua": "Include \"b.cfg.lua\"",
            "b.cfg.lua": "",
        ])
        let c = loader().load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(c.files, ["b", "a", "main"].map { t.path("\($0).cfg.lua") })
    }

    func testRelativeMainPathIsMadeAbsolute() {
        let t = TempTree(["m.cfg.lua": "x = 1"])
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(t.root)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let c = loader().load(path: "./m.cfg.lua").configuration
        XCTAssertTrue(c.mainFile.hasPrefix("/"))
        XCTAssertTrue(c.mainFile.hasSuffix("/m.cfg.lua"))
    }
}

final class IncludeRelativePathTests: XCTestCase {
    /// §0 item 5: with a relative main path, a wildcard Include doubles the directory part.
    func testRelativeMainPathDoublesWildcardDirectory() {
        let t = TempTree([
            "sub/main.cfg.lua": "Include \"conf.d/*.cfg.lua\"",
            "sub/conf.d/20-second.cfg.lua": "x = 1",
        ])
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(t.root)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        var l = loader()
        l.absolutizeMainPath = false
        let c = l.load(path: "sub/main.cfg.lua").configuration
        XCTAssertEqual(c.fatalProblem?.message,
                       "Error loading included sub/sub/conf.d/20-second.cfg.lua: sub/sub/conf.d/20-second.cfg.lua: No such file or directory")
        let abs = loader().load(path: "sub/main.cfg.lua").configuration
        XCTAssertFalse(abs.prosodyWouldFail)
        XCTAssertEqual(abs.value("*", "x"), .integer(1))
    }

    func testGotoAndCaseFolding() {
        let c = load("""
        for i = 1, 3 do
            if i == 2 then goto continue end
            VirtualHost ("h" .. i .. ".example")
            ::continue::
        end
        goto skip
        skipped = 1
        ::skip::
        VirtualHost "Straße.Example"
        VirtualHost "ς.example"
        """)
        XCTAssertEqual(c.sectionNames, ["h1.example", "h3.example", "strasse.example", "σ.example"])
        XCTAssertNil(c.value("σ.example", "skipped"))
        XCTAssertNil(c.value("h3.example", "skipped"))
    }
}
