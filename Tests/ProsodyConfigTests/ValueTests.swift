import XCTest
@testable import ProsodyConfig

final class ValueTests: XCTestCase {
    func testLocalsArithmeticAndStrings() {
        let c = load("""
        local domain = "example.org"
        local size = 10 * 1024 * 1024
        muc = "conference." .. domain
        limit = size
        half = 7 / 2
        floor = 10 // 3
        fmod = -7 % 3
        big = 2^53
        e = 1e3
        len = #"héllo"
        n = #{ 1, 2, 3 }
        cmp = 1 < 2 and "yes" or "no"
        neg = not nil
        str = "port " .. 5222 .. " " .. 1.5
        coerced = "10" + 1
        esc = "\\65\\x42\\u{43}"
        long = [[line]]
        """)
        XCTAssertEqual(c.value("*", "muc"), .string("conference.example.org"))
        XCTAssertEqual(c.value("*", "limit"), .integer(10_485_760))
        XCTAssertEqual(c.value("*", "half"), .float(3.5))
        XCTAssertEqual(c.value("*", "floor"), .integer(3))
        XCTAssertEqual(c.value("*", "fmod"), .integer(2))
        XCTAssertEqual(c.value("*", "big"), .float(9007199254740992))
        XCTAssertEqual(c.value("*", "e"), .float(1000))
        XCTAssertEqual(c.value("*", "len"), .integer(6))
        XCTAssertEqual(c.value("*", "n"), .integer(3))
        XCTAssertEqual(c.value("*", "cmp"), .string("yes"))
        XCTAssertEqual(c.value("*", "neg"), .boolean(true))
        XCTAssertEqual(c.value("*", "str"), .string("port 5222 1.5"))
        XCTAssertEqual(c.value("*", "coerced"), .integer(11))
        XCTAssertEqual(c.value("*", "esc"), .string("ABC"))
        XCTAssertEqual(c.value("*", "long"), .string("line"))
        XCTAssertNil(c.value("*", "domain"), "locals are not options")
        XCTAssertNil(c.value("*", "size"))
        XCTAssertTrue(c.problems.isEmpty, "\(c.problems.map(\.message))")
    }

    func testControlFlowAndTables() {
        let c = load("""
        local mods = { "roster", "saslauth" }
        table.insert(mods, "tls")
        if #mods == 3 then modules_enabled = mods else modules_enabled = {} end
        local t = {}
        for i = 1, 3 do t[#t + 1] = i * 2 end
        evens = t
        local count = 0
        while count < 5 do count = count + 1 end
        counted = count
        local seen = {}
        for k, v in pairs({ a = 1 }) do seen[#seen + 1] = k .. "=" .. v end
        pairs_seen = seen
        holes = { "x", nil, "z" }
        mixed = { 1, 2, n = 3 }
        nested = { ssl = { key = "k" } }
        joined = table.concat({ "a", "b" }, ",")
        upper = string.upper("abc")
        fmt = string.format("%s:%d", "host", 5222)
        """)
        XCTAssertEqual(strings(c.value("*", "modules_enabled")), ["roster", "saslauth", "tls"])
        XCTAssertEqual(c.value("*", "evens")?.tableValue?.arrayValues, [.integer(2), .integer(4), .integer(6)])
        XCTAssertEqual(c.value("*", "counted"), .integer(5))
        XCTAssertEqual(strings(c.value("*", "pairs_seen")), ["a=1"])
        let holes = c.value("*", "holes")!.tableValue!
        XCTAssertFalse(holes.isList)
        XCTAssertEqual(holes[.integer(3)], .string("z"))
        XCTAssertEqual(c.value("*", "mixed")?.tableValue?["n"], .integer(3))
        XCTAssertEqual(c.value("*", "nested")?.tableValue?["ssl"]?.tableValue?["key"], .string("k"))
        XCTAssertEqual(c.value("*", "joined"), .string("a,b"))
        XCTAssertEqual(c.value("*", "upper"), .string("ABC"))
        XCTAssertEqual(c.value("*", "fmt"), .string("host:5222"))
    }

    func testTableAliasMutationIsVisible() {
        let c = load("""
        local t = {}
        list = t
        t[1] = "late"
        """)
        XCTAssertEqual(strings(c.value("*", "list")), ["late"])
    }

    func testEnvironmentVariables() {
        let c = load("""
        domain = ENV_DOMAIN
        unset = ENV_NOT_SET
        if ENV_FLAG then flagged = true end
        ENV_X = 1
        """, env: ["DOMAIN": "example.net", "FLAG": "1"])
        XCTAssertEqual(c.value("*", "domain"), .string("example.net"))
        XCTAssertNil(c.value("*", "unset"))
        XCTAssertNotNil(c.assignments.first { $0.name == "unset" }, "x = nil is still an assignment")
        XCTAssertNil(c.assignments.first { $0.name == "unset" }?.value)
        XCTAssertEqual(c.value("*", "flagged"), .boolean(true))
        XCTAssertEqual(c.value("*", "ENV_X"), .integer(1))
        XCTAssertTrue(c.problems.isEmpty, "\(c.problems.map(\.message))")
    }

    func testBareIdentifiersReadAsNil() {
        let c = load("""
        enabled = fals
        admins = { "a@x" }
        copy = admins
        ok = true
        """)
        XCTAssertNil(c.value("*", "enabled"))
        XCTAssertNil(c.value("*", "copy"))
        XCTAssertEqual(c.problems("bareIdentifierIsNil").map(\.kind), [.bareIdentifierIsNil(name: "fals")])
        XCTAssertEqual(c.problems("bareIdentifierIsNil").first?.location?.line, 1)
        XCTAssertEqual(c.problems("optionReadBeforeSet").map(\.kind), [.optionReadBeforeSet(name: "admins")])
        XCTAssertFalse(c.prosodyWouldFail)
    }

    func testNonLocalVariableIsAnOption() {
        let c = load("""
        muc = "conference.example.org"
        Component(muc) "muc"
        after = 1
        """)
        XCTAssertEqual(c.problems("optionReadBeforeSet").count, 1)
        XCTAssertEqual(c.problems("runtimeError").first?.message, "Component must have a name")
        XCTAssertEqual(c.value("*", "muc"), .string("conference.example.org"))
        XCTAssertEqual(c.value("*", "after"), .integer(1))
    }

    func testOptionReadBackInVersion13() {
        let c = load("""
        admins = { "a@x" }
        copy = admins
        """, version: .v13)
        XCTAssertEqual(strings(c.value("*", "copy")), ["a@x"])
        XCTAssertTrue(c.problems.isEmpty)
    }

    func testCallingNilKeepsEvaluating() {
        let c = load("""
        Foo "bar"
        modules_enabled { "x" }
        after = "still here"
        """)
        let errors = c.problems("runtimeError")
        XCTAssertEqual(errors.map(\.message), ["attempt to call a nil value (global 'Foo')",
                                              "attempt to call a nil value (global 'modules_enabled')"])
        XCTAssertEqual(errors.map { $0.location?.line }, [1, 2])
        XCTAssertTrue(c.prosodyWouldFail)
        XCTAssertEqual(c.fatalProblem?.location?.line, 1)
        XCTAssertEqual(c.value("*", "after"), .string("still here"))
    }

    func testDynamicValuesAreNeverGuessed() {
        let c = load("""
        a = os.getenv("HOME")
        b = io.open("/etc/passwd")
        c = require "stringy"
        d = "x" .. os.getenv("Y")
        local f = RunScript "x.lua"
        if os.getenv("Z") then skipped = 1 end
        e = 1
        """)
        XCTAssertTrue(c.value("*", "a")?.isDynamic ?? false)
        XCTAssertTrue(c.value("*", "b")?.isDynamic ?? false)
        XCTAssertTrue(c.value("*", "c")?.isDynamic ?? false)
        XCTAssertTrue(c.value("*", "d")?.isDynamic ?? false)
        XCTAssertNil(c.value("*", "skipped"))
        XCTAssertEqual(c.value("*", "e"), .integer(1))
        XCTAssertGreaterThanOrEqual(c.problems("dynamic").count, 5)
        XCTAssertFalse(c.prosodyWouldFail)
    }

    func testLuaGlobalIn012And13() {
        let old = load("a = Lua.os.getenv(\"X\")\nb = 1")
        XCTAssertEqual(old.problems("runtimeError").first?.message, "attempt to index a nil value (global 'Lua')")
        XCTAssertTrue(old.prosodyWouldFail)
        XCTAssertEqual(old.value("*", "b"), .integer(1))
        let new = load("a = Lua.os.getenv(\"X\")\nb = Lua.string.upper('x')", version: .v13)
        XCTAssertTrue(new.value("*", "a")?.isDynamic ?? false)
        XCTAssertEqual(new.value("*", "b"), .string("X"))
        XCTAssertFalse(new.prosodyWouldFail)
    }

    func testFileHelpersIn13() {
        let t = TempTree([
            "main.cfg.lua": """
            secret = FileContents "secret.txt"
            first = FileLine "secret.txt"
            all = FileLines "secret.txt"
            """,
            "secret.txt": "s3cr3t\nsecond\n",
        ])
        let c = loader(version: .v13).load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(c.value("*", "secret"), .string("s3cr3t\nsecond\n"))
        XCTAssertEqual(c.value("*", "first"), .string("s3cr3t"))
        XCTAssertEqual(strings(c.value("*", "all")), ["s3cr3t", "second"])
        let old = loader().load(path: t.path("main.cfg.lua")).configuration
        XCTAssertEqual(old.problems("runtimeError").first?.message, "attempt to call a nil value (global 'FileContents')")
    }

    func testFunctionsAreStored() {
        let c = load("""
        callback = function(x) return x end
        function named() end
        """)
        guard case .function(let where_)? = c.value("*", "callback") else { return XCTFail() }
        XCTAssertEqual(where_.line, 1)
        guard case .function? = c.value("*", "named") else { return XCTFail() }
    }

    func testBoundsStopRunawayLoops() {
        let start = Date()
        let c = load("""
        while true do end
        local s = "x"
        for i = 1, 100 do s = s .. s end
        for i = 1, 1e9 do for j = 1, 1e9 do end end
        local function f(n) return f(n + 1) end
        f(1)
        after = 1
        """)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertFalse(c.problems("evaluationLimit").isEmpty)
        XCTAssertEqual(c.value("*", "after"), .integer(1))
    }
}

final class ChainTests: XCTestCase {
    func testLongLeftAssociativeChains() {
        let sum = "s = 1" + String(repeating: " + 1", count: 900)
        let ors = "o = nil" + String(repeating: " or nil", count: 900) + " or 'last'"
        let c = load(sum + "\n" + ors + "\nd = os.getenv('X') or 'y'\ne = false and undefined_thing\n")
        XCTAssertEqual(c.value("*", "s"), .integer(901))
        XCTAssertEqual(c.value("*", "o"), .string("last"))
        XCTAssertTrue(c.value("*", "d")?.isDynamic ?? false)
        XCTAssertEqual(c.value("*", "e"), .boolean(false))
        XCTAssertTrue(c.problems("bareIdentifierIsNil").isEmpty, "short-circuit: never evaluated")
    }
}
