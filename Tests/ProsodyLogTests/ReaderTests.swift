import Foundation
import ProsodyLog
import XCTest

let fixturesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/logs")

func fixture(_ name: String) -> String { fixturesDir.appendingPathComponent(name).path }

func readFixture(_ name: String, _ options: LogReaderOptions = LogReaderOptions()) throws -> [LogEvent] {
    var o = options
    o.inferYearFromModificationTime = false
    return try LogReader.events(atPath: fixture(name), options: o).0
}

func events(_ text: String, format: LogFormat = .auto, year: Int? = nil) -> [LogEvent] {
    LogReader.events(in: text, options: LogReaderOptions(format: format, year: year))
}

final class ReaderFormatTests: XCTestCase {
    func testRealProsodyFileSink() throws {
        let (evs, summary) = try LogReader.events(atPath: fixture("real-0.12-startup.log"))
        XCTAssertEqual(summary.lines, 130)
        XCTAssertEqual(evs.count, 89)
        XCTAssertEqual(summary.continuationLines, 41)
        XCTAssertTrue(evs.allSatisfy { $0.format == .file && $0.level != nil && $0.time != nil })
        let first = evs[0]
        XCTAssertEqual(first.source?.raw, "startup")
        XCTAssertEqual(first.level, .info)
        XCTAssertEqual(first.message, "Hello and welcome to Prosody version 0.12.3")
        XCTAssertEqual(first.time?.month, 11)
        XCTAssertEqual(first.time?.day, 29)
        XCTAssertEqual(first.time?.hour, 9)
        XCTAssertEqual(first.time?.second, 8)
        XCTAssertEqual(first.lines, 1...1)
        XCTAssertEqual(first.byteRange.lowerBound, 0)
        let broken = try XCTUnwrap(evs.first { $0.message.hasPrefix("Error initializing module 'lab_broken' on 'lab.example'") })
        XCTAssertEqual(broken.level, .error)
        XCTAssertEqual(broken.lines.lowerBound, 75)
        XCTAssertGreaterThan(broken.lines.count, 20)
        XCTAssertTrue(broken.message.contains("\n\tno field package.preload['util.lab_no_such_library']"))
        XCTAssertEqual(broken.source?.module, nil)
    }

    func testTracebackContinuation() throws {
        let evs = try readFixture("real-0.12-traceback.log")
        let tb = try XCTUnwrap(evs.first { $0.message.hasPrefix("Traceback[c2s]") })
        XCTAssertEqual(tb.lines, 8...16)
        XCTAssertEqual(tb.source?.session, SessionRef(kind: .c2s, id: "557eb4f00c70"))
        XCTAssertTrue(tb.message.hasSuffix("\t/usr/lib/prosody/util/async.lua:144: in function </usr/lib/prosody/util/async.lua:142>"))
        XCTAssertEqual(evs.count, 16 - 8)
    }

    func testBareTracebackAndBoshDashes() throws {
        let bare = try readFixture("traceback-bare.log")
        XCTAssertEqual(bare.count, 1)
        XCTAssertEqual(bare[0].lines, 1...8)
        XCTAssertTrue(bare[0].message.contains("\nstack traceback:\n\t/usr/lib/prosody/util/cache.lua:66"))
        let bosh = try readFixture("real-0.12-bosh-dashes.log")
        XCTAssertEqual(bosh.count, 5)
        XCTAssertTrue(bosh[2].message.hasSuffix("\n----------"))
        XCTAssertEqual(bosh[2].lines, 3...4)
    }

    func testSourceDecomposition() {
        let tv = LogSource("conference.meet.example.com:token_verification")
        XCTAssertEqual(tv.host, "conference.meet.example.com")
        XCTAssertEqual(tv.module, "token_verification")
        XCTAssertNil(tv.session)
        XCTAssertEqual(LogSource("c2s55d0c4f0").session, SessionRef(kind: .c2s, id: "55d0c4f0"))
        XCTAssertEqual(LogSource("s2sin5585f2d180f0").session?.kind, .s2sin)
        XCTAssertEqual(LogSource("s2sout5585f2d17b70").session?.kind, .s2sout)
        XCTAssertEqual(LogSource("jcp5585f2cb11a0").session?.kind, .component)
        XCTAssertEqual(LogSource("boshad0c208a-38c9-4162-80ba-c5450d86711a").session,
                       SessionRef(kind: .bosh, id: "ad0c208a-38c9-4162-80ba-c5450d86711a"))
        XCTAssertEqual(LogSource("connyT8fnacQ31Di").session, SessionRef(kind: .connection, id: "yT8fnacQ31Di"))
        XCTAssertEqual(LogSource("servjCrvyTUKb37y").session?.kind, .server)
        XCTAssertEqual(LogSource("runnerzA7WbTM5Sedg").session?.kind, .runner)
        XCTAssertEqual(LogSource("unbound.queryz8A7cRJrY60k").session?.kind, .dnsQuery)
        let bosh = LogSource("mod_bosh")
        XCTAssertEqual(bosh.module, "bosh")
        XCTAssertTrue(bosh.isGlobalModule)
        let startup = LogSource("startup")
        XCTAssertNil(startup.module); XCTAssertNil(startup.session); XCTAssertNil(startup.host)
        XCTAssertNil(LogSource("connection").session)  // not an id
    }

    func testConsolePaddedAndAnsi() {
        let text = """
        2026-11-29 09:14:06 startup             info\tHello and welcome to Prosody version 0.12.3
        2026-11-29 09:14:06 conference.localhost:tls  info\tCertificates loaded
        2026-11-29 09:14:12 bosh17b2a9c0-427d-4c3c-af0a-80b1de29d62a  info\tAuthenticated as zi6ahqearvo8xxausx8aic_c@anon.localhost
        2026-11-29 09:14:20 modulemanager       \u{1B}[1;31merror\u{1B}[0m\tUnable to load module 'x': not found
        startup             info\tHello and welcome to Prosody version 0.11.7
        """
        let evs = events(text)
        XCTAssertEqual(evs.count, 5)
        XCTAssertTrue(evs.allSatisfy { $0.format == .console })
        XCTAssertEqual(evs[0].time?.year, 2026)
        XCTAssertFalse(evs[0].time!.yearInferred)
        XCTAssertEqual(evs[1].source?.host, "conference.localhost")
        XCTAssertEqual(evs[2].source?.session?.kind, .bosh)
        XCTAssertEqual(evs[3].level, .error)
        XCTAssertTrue(evs[3].flags.contains(.ansi))
        XCTAssertEqual(evs[3].message, "Unable to load module 'x': not found")
        XCTAssertNil(evs[4].time)
    }

    func testFileSinkVariants() {
        let evs = events("""
        c2s5585f2cf03d0\tinfo\tClient connected
        Nov 29 09:12:57 anon.localhost:tls      info\tCertificates loaded
        2026-11-29T09:12:56 startup\tinfo\tHello
        Feb 17 23:38:34 general\terror\t
        """)
        XCTAssertEqual(evs.count, 4)
        XCTAssertEqual(evs[0].format, .file)
        XCTAssertEqual(evs[0].source?.session?.kind, .c2s)
        XCTAssertEqual(evs[1].format, .console)  // source_width = 24: spaces, no TAB before the level
        XCTAssertEqual(evs[1].source?.module, "tls")
        XCTAssertEqual(evs[2].time?.description, "2026-11-29T09:12:56")
        XCTAssertEqual(evs[3].message, "")
        XCTAssertEqual(evs[3].level, .error)
    }

    func testCustomTimestampFormats() {
        let evs = events("""
        29/11/2026 09:12:56 startup\tinfo\tHello and welcome to Prosody version 0.12.3
        [2026-11-29 09:12:57.123] c2s55d0c4f0           info\tClient connected
        \tcontinuation of the second
        """)
        XCTAssertEqual(evs.count, 2)
        XCTAssertEqual(evs[0].source?.raw, "startup")
        XCTAssertEqual(evs[0].format, .file)
        XCTAssertTrue(evs[0].flags.contains(.unrecognizedTimestamp))
        XCTAssertNil(evs[0].time)
        XCTAssertEqual(evs[1].source?.session?.kind, .c2s)
        XCTAssertEqual(evs[1].format, .console)
        XCTAssertEqual(evs[1].message, "Client connected\n\tcontinuation of the second")
        // Prose with a TAB is not a record.
        XCTAssertEqual(events("startup\tinfo\tx\nsee the table below:\tinfo\tabc").count, 1)
    }

    func testSyslogDatagramsAndJournald() {
        let evs = events("""
        <30>Nov 29 09:12:56 prosody[23981]: startup: Hello and welcome to Prosody version 0.12.3
        <26>Nov 29 09:12:57 prosody[23981]: modulemanager: Unable to load module 'nonexistent_xyz': <prosody-src>/modules/...: No such file or directory
        <28>Nov 29 09:13:34 prosody[24465]: anon.localhost:http: Serving 'bosh' at http://anon.localhost:25280/http-bind
        Nov 29 09:12:56 meet prosody[1234]: startup             info\tHello and welcome to Prosody version 0.12.3
        Nov 29 09:12:57 meet prosody[1234]: modulemanager       error\tUnable to load module 'x': y
        """)
        XCTAssertEqual(evs.count, 5)
        XCTAssertEqual(evs[0].format, .syslog)
        XCTAssertEqual(evs[0].level, .info)
        XCTAssertEqual(evs[0].pid, 23981)
        XCTAssertEqual(evs[0].ident, "prosody")
        XCTAssertEqual(evs[1].level, .error)  // PRI 26 = daemon.crit
        XCTAssertEqual(evs[1].source?.raw, "modulemanager")
        XCTAssertEqual(evs[2].level, .warn)
        XCTAssertEqual(evs[2].source?.raw, "anon.localhost:http")
        XCTAssertEqual(evs[2].message, "Serving 'bosh' at http://anon.localhost:25280/http-bind")
        XCTAssertEqual(evs[3].format, .journald)
        XCTAssertEqual(evs[3].machine, "meet")
        XCTAssertEqual(evs[3].level, .info)
        XCTAssertEqual(evs[4].level, .error)
        // journalctl -o short-iso
        let iso = events("2026-11-29T09:12:57+0100 meet prosody[1234]: certmanager: SSL/TLS: Failed to load '/etc/prosody/certs/x.key': Permission denied")
        XCTAssertEqual(iso.count, 1)
        XCTAssertEqual(iso[0].format, .syslog)
        XCTAssertEqual(iso[0].time?.utcOffset, 3600)
        XCTAssertEqual(iso[0].machine, "meet")
        XCTAssertEqual(iso[0].source?.raw, "certmanager")
    }

    func testJournalctlSyslogFixtures() throws {
        let yuno = try readFixture("journalctl-syslog.log")
        XCTAssertEqual(yuno[0].format, .unparsed)  // "LOGFILE: journalctl" + "-- Journal begins ..."
        XCTAssertEqual(yuno[0].lines, 1...2)
        XCTAssertTrue(yuno.dropFirst().allSatisfy { $0.format == .syslog && $0.pid == 3501709 && $0.level == nil })
        XCTAssertEqual(yuno[2].source?.raw, "breakout.meet.[JITSI-DOMAIN.TLD]:tls")
        XCTAssertEqual(yuno[2].message, "Error creating contexts for s2sin: error loading private key (system lib)")
        let host = try readFixture("syslog-with-host.log")
        XCTAssertEqual(host.count, 4)
        XCTAssertEqual(host[0].machine, "xat.guifi.net")
        XCTAssertEqual(host[1].source?.raw, "portmanager")
    }

    func testDockerComposeAndTimestamps() throws {
        let dc = try readFixture("docker-compose-continuation.log")
        XCTAssertEqual(dc.count, 1)
        XCTAssertEqual(dc[0].format, .docker)
        XCTAssertEqual(dc[0].container, "prosody_1")
        XCTAssertEqual(dc[0].lines, 1...6)
        XCTAssertTrue(dc[0].message.contains("not found:\n\tno field package.preload['basexx']\n\tno file"))
        XCTAssertFalse(dc[0].message.contains("prosody_1"))
        let old = try readFixture("docker-compose-old.log")
        XCTAssertEqual(old.count, 4)
        XCTAssertTrue(old.allSatisfy { $0.format == .docker && $0.container == "prosody_1" })
        XCTAssertEqual(old[2].level, .error)
        XCTAssertEqual(old[2].message, "Unable to load module 'token_moderation': /prosody-plugins-custom/mod_token_moderation.lua")
        let ts = try readFixture("docker-timestamps.log")
        XCTAssertEqual(ts.count, 2)
        XCTAssertEqual(ts[0].format, .docker)
        XCTAssertEqual(ts[0].time?.utcOffset, 0)
        XCTAssertEqual(ts[0].time?.nanosecond, 938526444)
        XCTAssertEqual(ts[0].time?.year, 2020)
        XCTAssertEqual(ts[0].source?.session?.kind, .c2s)
        let compose = events("prosody-1  | 2024-10-11 13:18:16 startup             info       Hello and welcome to Prosody version 0.12.4")
        XCTAssertEqual(compose.count, 1)
        XCTAssertEqual(compose[0].container, "prosody-1")
        XCTAssertEqual(compose[0].time?.year, 2024)
        XCTAssertEqual(compose[0].message, "Hello and welcome to Prosody version 0.12.4")
    }

    func testIsoConsole() throws {
        let evs = try readFixture("console-iso.log")
        XCTAssertEqual(evs.count, 3)
        XCTAssertEqual(evs[0].source?.raw, "focus.meet.jitsi:client_proxy")
        XCTAssertEqual(evs[0].time?.year, 2023)
        XCTAssertEqual(evs[1].source?.session?.kind, .c2s)
    }

    func testForcedFormat() {
        let mixed = "Nov 29 09:12:56 startup\tinfo\tHello\nprosody_1  | startup             info\tHi\n"
        let file = events(mixed, format: .file)
        XCTAssertEqual(file.count, 1)
        XCTAssertEqual(file[0].lines, 1...2)  // the docker line is not a record in file mode
        let docker = events(mixed, format: .docker)
        XCTAssertEqual(docker.map(\.format), [.unparsed, .docker])
        let syslog = events(mixed, format: .syslog)
        XCTAssertEqual(syslog.count, 1)
        XCTAssertEqual(syslog[0].format, .unparsed)
    }
}

final class FragmentTests: XCTestCase {
    func testQuotedAndLostFirstCharacter() throws {
        let evs = try readFixture("quoted-lost-first-char.log")
        XCTAssertEqual(evs.count, 6)
        XCTAssertTrue(evs.allSatisfy { $0.flags.contains(.quoted) && $0.format == .fragment })
        XCTAssertTrue(evs[0].flags.contains(.damagedStart))  // "> ay 08 07:50:47"
        XCTAssertEqual(evs[0].time?.month, 5)
        XCTAssertEqual(evs[0].time?.day, 8)
        XCTAssertEqual(evs[0].source?.session?.kind, .component)
        XCTAssertEqual(evs[0].message, "Incoming Jabber component connection")
        XCTAssertFalse(evs[1].flags.contains(.damagedStart))
    }

    func testStrayFirstCharacterAndIndentedContinuation() throws {
        let evs = try readFixture("stray-first-char.log")
        XCTAssertEqual(evs.count, 1)
        XCTAssertTrue(evs[0].flags.contains(.damagedStart))
        XCTAssertTrue(evs[0].flags.contains(.tabsAsSpaces))
        XCTAssertEqual(evs[0].time?.month, 6)
        XCTAssertEqual(evs[0].level, .error)
        XCTAssertEqual(evs[0].source?.session?.kind, .runner)
        XCTAssertEqual(evs[0].lines, 1...4)
    }

    func testTabsRenderedAsSpacesAndIndentation() throws {
        let evs = try readFixture("tabs-as-spaces.log")
        XCTAssertEqual(evs.count, 3)
        XCTAssertTrue(evs.allSatisfy { $0.flags.contains(.tabsAsSpaces) && $0.format == .fragment })
        XCTAssertEqual(evs[0].source?.module, "muc_domain_mapper")
        XCTAssertEqual(evs[0].level, .info)
        XCTAssertTrue(evs[0].message.hasPrefix("Loading mod_muc_domain_mapper for host auth.jwt.nobronca.com!"))
        let ind = try readFixture("indented-paste.log")
        XCTAssertEqual(ind.count, 3)
        XCTAssertTrue(ind.allSatisfy { $0.flags.contains(.indented) && $0.level == .error })
        XCTAssertEqual(ind[1].source?.raw, "focus.domainname.com:tls")
        let nightly = try readFixture("trunk-nightly.log")
        let err = try XCTUnwrap(nightly.first { $0.level == .error })
        XCTAssertGreaterThan(err.lines.count, 3)  // "        no file ..." lines attach
    }

    func testMissingSourceAndTimestamp() throws {
        let evs = try readFixture("missing-source.log")
        XCTAssertEqual(evs.count, 1)
        XCTAssertEqual(evs[0].level, .warn)
        XCTAssertNil(evs[0].source)
        XCTAssertNil(evs[0].time)
        XCTAssertTrue(evs[0].flags.contains(.missingSource))
        XCTAssertTrue(evs[0].message.hasPrefix("Component not connected, bounce error for:"))
        let noTs = events("general      warn\tError verifying token err:not-allowed, reason:token required")
        XCTAssertEqual(noTs.count, 1)
        XCTAssertEqual(noTs[0].source?.raw, "general")
        XCTAssertTrue(noTs[0].flags.contains(.missingTimestamp))
    }

    /// A forum post that lost both the line breaks and the first columns: events are separated only by
    /// `<TAB>level<TAB>`. Lines from research/jitsi-token-auth.md §1e/§1g as printed by the token plugins.
    func testEventsRunTogetherOnOneLine() {
        let line = "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil"
            + "\tdebug\tWill verify token for user: 5d1c6c0e-8f57-4f0e-9d58-2f2d8f0b2a1e@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com "
            + "\tdebug\tSkipped room token verification - empty tokens are allowed"
            + "\tdebug\tskip affiliation, no token\tinfo\tClient connected"
        let evs = events(line + "\nNov 29 10:02:12 c2s55d0c4f0\tinfo\tClient disconnected: connection closed\n")
        XCTAssertEqual(evs.count, 6)
        XCTAssertEqual(evs.prefix(5).map(\.lines), Array(repeating: 1...1, count: 5))
        XCTAssertEqual(evs.map(\.level), [.debug, .debug, .debug, .debug, .info, .info])
        XCTAssertEqual(evs[0].message, "Session token: nil, session room: nil")
        XCTAssertEqual(evs[0].source?.module, "token_verification")
        XCTAssertEqual(evs[1].message, "Will verify token for user: 5d1c6c0e-8f57-4f0e-9d58-2f2d8f0b2a1e@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com ")
        XCTAssertTrue(evs[1].flags.contains(.splitFromLine))
        XCTAssertTrue(evs[1].flags.contains(.missingSource))
        XCTAssertEqual(evs[3].message, "skip affiliation, no token")
        XCTAssertEqual(evs[4].message, "Client connected")
        XCTAssertEqual(evs[5].lines, 2...2)
        XCTAssertFalse(evs[5].flags.contains(.splitFromLine))
        // Forced file format: no splitting.
        XCTAssertEqual(events(line, format: .file).count, 1)
    }

    func testRunTogetherWithGluedSourceAndTimestamp() {
        let line = "\tinfo\tClient connected Nov 29 09:13:02 c2s5585f2cf03d0\tdebug\tReceived[c2s_unauthed]: <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'> c2s5585f2cf03d0\tinfo\tAuthenticated as alice@localhost"
        let evs = events("c2s5585f2cf03d0" + line)
        XCTAssertEqual(evs.count, 3)
        XCTAssertEqual(evs[0].message, "Client connected")
        XCTAssertEqual(evs[1].source?.raw, "c2s5585f2cf03d0")
        XCTAssertEqual(evs[1].time?.second, 2)
        XCTAssertTrue(evs[1].message.hasPrefix("Received[c2s_unauthed]"))
        XCTAssertEqual(evs[2].source?.session?.id, "5585f2cf03d0")
        XCTAssertNil(evs[2].time)
        XCTAssertEqual(evs[2].message, "Authenticated as alice@localhost")
    }

    func testWrappedLineAttaches() {
        let evs = events("""
        Dec 03 14:49:55 certmanager\terror\tSSL/TLS: Failed to load '/etc/prosody/certs/domainname.com.key': Check that the permissions allow
        Prosody to read this file. (for focus.domainname.com)
        Dec 03 14:49:55 focus.domainname.com:tls\terror\tUnable to initialize TLS: error loading private key (Permission denied)
        """)
        XCTAssertEqual(evs.count, 2)
        XCTAssertEqual(evs[0].lines, 1...2)
        XCTAssertTrue(evs[0].message.hasSuffix("allow\nProsody to read this file. (for focus.domainname.com)"))
    }

    func testNonProsodyNoise() {
        let evs = events("""
        [s6-init] making user provided files available at /var/run/s6/etc...exited 0.
        [services.d] done.
        prosody_1  | startup             info\tHello and welcome to Prosody version 0.11.7
        """)
        XCTAssertEqual(evs.count, 2)
        XCTAssertEqual(evs[0].format, .unparsed)
        XCTAssertNil(evs[0].level)
        XCTAssertTrue(evs[0].flags.contains(.orphanContinuation))
        XCTAssertEqual(evs[1].format, .docker)
    }
}

final class YearTests: XCTestCase {
    func testExplicitYearRollsOver() {
        let evs = events("Dec 31 23:59:59 startup\tinfo\ta\nJan 01 00:00:01 startup\tinfo\tb\n", year: 2024)
        XCTAssertEqual(evs.map { $0.time?.year }, [2024, 2025])
        XCTAssertTrue(evs[0].time!.yearInferred)
        XCTAssertEqual(evs[1].time?.description, "2025-01-01T00:00:01")
    }

    func testUnknownYear() {
        let evs = events("Nov 02 09:12:56 startup\tinfo\ta\n")
        XCTAssertNil(evs[0].time?.year)
        XCTAssertEqual(evs[0].time?.description, "--11-02T09:12:56")
        XCTAssertNil(evs[0].time?.date())
    }

    func testYearFromModificationTime() throws {
        let path = NSTemporaryDirectory() + "pd-year-\(getpid()).log"
        try "Dec 20 10:00:00 startup\tinfo\tlast year\nMar 09 10:00:00 startup\tinfo\tthis year\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var c = DateComponents(); c.year = 2025; c.month = 3; c.day = 10; c.hour = 12
        let mtime = Calendar(identifier: .gregorian).date(from: c)!
        try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)
        let (evs, _) = try LogReader.events(atPath: path)
        XCTAssertEqual(evs.map { $0.time?.year }, [2024, 2025])
        let (fixed, _) = try LogReader.events(atPath: path, options: LogReaderOptions(year: 2019))
        XCTAssertEqual(fixed.map { $0.time?.year }, [2019, 2020])
        XCTAssertNotNil(fixed[0].time?.date())
    }
}
