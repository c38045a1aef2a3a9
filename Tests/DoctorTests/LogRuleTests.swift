import Doctor
import Foundation
import ProsodyConfig
import ProsodyLog
import XCTest

/// The log rule families (JLG8xx, LOG7xx): catalogue examples with `log:`, the forum sample of the seed
/// thread, config ↔ log correlation and the summary.
final class LogRuleTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let logFamilies: Set<String> = ["jitsi-log", "prosody-log"]

    var logRules: [RuleDescription] { RuleCatalogue.embedded.rules.filter { Self.logFamilies.contains($0.family ?? "") } }

    func testLogRulesAreCatalogued() {
        let ids = Set(logRules.map(\.id))
        for id in ["JLG801", "JLG802", "JLG803", "JLG804", "JLG805", "JLG806",
                   "LOG701", "LOG702", "LOG703", "LOG704", "LOG705", "LOG706", "LOG707", "LOG708", "LOG709"] {
            XCTAssertTrue(ids.contains(id), "\(id) missing")
        }
    }

    /// `log:` examples are run here (RuleExampleTests runs the `config:` ones).
    func testLogExamplesTriggerTheirRuleOnly() throws {
        var ran = 0
        for rule in RuleCatalogue.embedded.rules {
            for (i, example) in rule.examples.triggering.enumerated() where example.log != nil && example.config == nil {
                ran += 1
                let findings = try ExampleRunner.findings(for: example)
                let ids = Set(findings.map(\.ruleID))
                XCTAssertTrue(ids.contains(rule.id), "\(rule.id) triggering log example \(i + 1) raised \(ids.sorted())")
                let allowed = Set([rule.id] + (example.also ?? []))
                let unexpected = findings.filter { $0.severity >= .warning && !allowed.contains($0.ruleID) }
                XCTAssertEqual(unexpected.map(\.ruleID), [], "\(rule.id) example \(i + 1): \(unexpected.map(\.message))")
                for f in findings where f.ruleID == rule.id {
                    XCTAssertTrue(f.location?.file.hasSuffix("prosody.log") ?? false, "\(rule.id) points at \(String(describing: f.location))")
                    XCTAssertFalse(f.fix?.message.isEmpty ?? true)
                }
            }
            for (i, example) in rule.examples.passing.enumerated() where example.log != nil && example.config == nil {
                ran += 1
                let findings = try ExampleRunner.findings(for: example)
                XCTAssertFalse(findings.contains { $0.ruleID == rule.id },
                               "\(rule.id) passing log example \(i + 1) raised it: \(findings.filter { $0.ruleID == rule.id }.map(\.message))")
            }
        }
        XCTAssertGreaterThanOrEqual(ran, 2 * logRules.count)
    }

    // MARK: - the seed thread's log as a forum mangled it

    func forumAnalysis() throws -> LogAnalysis {
        let path = Self.repo.appendingPathComponent("samples/forum-log/forum.log").path
        let builder = try LogAnalysisBuilder()
        try builder.add(path: path)
        return builder.build()
    }

    func run(_ logs: LogAnalysis, configPath: String? = nil) -> [Finding] {
        var context: AnalysisContext
        if let configPath {
            let loaded = ConfigLoader().load(path: configPath)
            context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources)
        } else {
            context = AnalysisContext(configuration: nil)
        }
        context.logs = logs
        context.sources.addLogLines(logs.allExamples)
        return Engine().runCorrelated(context)
    }

    func testForumLogYieldsTheSeedDiagnosis() throws {
        let logs = try forumAnalysis()
        // The run-together line is split into its four events; nothing is lost.
        XCTAssertEqual(logs.files.count, 1)
        XCTAssertEqual(logs.files[0].lines, 5)
        XCTAssertEqual(logs.files[0].events, 8)
        XCTAssertEqual(logs.prosodyVersions, ["trunk nightly build 1377 (2021-01-05, 0e0dc1e7a0a4)"])
        let findings = run(logs)
        let byID = Dictionary(grouping: findings, by: \.ruleID)
        for id in ["JLG801", "JLG802", "JLG803", "LOG701"] {
            guard let f = byID[id]?.first else { XCTFail("\(id) not raised: \(findings.map(\.ruleID))"); continue }
            XCTAssertEqual(f.location?.line, id == "LOG701" ? 1 : 4, id)
            XCTAssertFalse(f.fix?.message.isEmpty ?? true, id)
            let rule = RuleCatalogue.embedded.rule(id)!
            XCTAssertFalse(rule.explanation.isEmpty)
        }
        let jlg801 = byID["JLG801"]![0]
        XCTAssertEqual(jlg801.severity, .error)
        XCTAssertEqual(jlg801.confidence, .certain)
        XCTAssertTrue(jlg801.message.contains("5f2a@meet.school.example"), jlg801.message)
        XCTAssertTrue(jlg801.message.contains("trunk nightly build 1377"), jlg801.message)
        XCTAssertTrue(jlg801.message.contains("(F1)") && jlg801.message.contains("(F5)"), jlg801.message)
        // The explanation lists the causes in order F1, F2, F4, F5.
        let explanation = RuleCatalogue.embedded.rule("JLG801")!.explanation
        let order = ["(F1)", "(F2)", "(F4)", "(F5)"].compactMap { explanation.range(of: $0)?.lowerBound }
        XCTAssertEqual(order.count, 4)
        XCTAssertEqual(order, order.sorted())
        XCTAssertTrue(byID["JLG802"]![0].message.hasPrefix("1 room join without a token"))
        XCTAssertTrue(byID["JLG803"]![0].message.contains("JLG801"))
        XCTAssertTrue(byID["LOG701"]![0].message.contains("F1"))
        XCTAssertNil(byID["JLG806"], "the participant is not focus")
    }

    func testForumPasteWithColumnsLostYieldsTheSameDiagnosis() throws {
        let path = Self.repo.appendingPathComponent("samples/forum-log/forum-columns-lost.log").path
        let builder = try LogAnalysisBuilder()
        try builder.add(path: path)
        let logs = builder.build()
        // Prose lines are kept as unparsed events (reported, not dropped).
        XCTAssertGreaterThan(logs.files[0].unparsedEvents, 0)
        let findings = run(logs)
        let ids = Set(findings.map(\.ruleID))
        XCTAssertTrue(ids.isSuperset(of: ["JLG801", "JLG802", "JLG803", "LOG701"]), "\(ids.sorted())")
        XCTAssertEqual(findings.first { $0.ruleID == "JLG801" }?.location?.line, 7)
        XCTAssertTrue(findings.first { $0.ruleID == "LOG701" }?.message.contains("F1") ?? false)
    }

    func testForumLogWithTheSeedConfigPointsAtTheCausingLines() throws {
        let logs = try forumAnalysis()
        let config = Self.repo.appendingPathComponent("samples/jitsi-token-repaired/prosody.cfg.lua").path
        let findings = run(logs, configPath: config)
        let jlg802 = try XCTUnwrap(findings.first { $0.ruleID == "JLG802" })
        let related = jlg802.related.filter { $0.location.file == config }
        XCTAssertFalse(related.isEmpty, "JLG802 should point at allow_empty_token")
        let lines = try String(contentsOfFile: config, encoding: .utf8).components(separatedBy: "\n")
        for r in related { XCTAssertTrue(lines[r.location.line - 1].contains("allow_empty_token = true"), lines[r.location.line - 1]) }
        let jlg803 = try XCTUnwrap(findings.first { $0.ruleID == "JLG803" })
        let muc = try XCTUnwrap(jlg803.related.first { $0.location.file == config })
        XCTAssertTrue(lines[muc.location.line - 1].contains("modules_enabled"))
    }

    // MARK: - correlation post-pass

    func testConfidenceIsRaisedByConfirmingAndLoweredByContradictingLines() throws {
        let finding = Finding(ruleID: "JWT502", ruleName: "empty-token-masks-missing-token", severity: .warning, category: .security,
                              message: "allow_empty_token hides missing tokens", location: nil, confidence: .likely)
        let confirming = try LogAnalysisBuilder.analyse(text: "Jan 05 10:17:54 conference.x:token_verification\tdebug\tSkipped room token verification - empty tokens are allowed\n", name: "a.log")
        let raised = LogCorrelation.adjust([finding], logs: confirming)[0]
        XCTAssertEqual(raised.confidence, .certain)
        XCTAssertTrue(raised.message.contains("confirmed by the log"))
        XCTAssertEqual(raised.related.first?.location.file, "a.log")
        let contradicting = try LogAnalysisBuilder.analyse(text: """
            Jan 05 10:17:54 conference.x:token_verification\tdebug\tSession token: eyJhbGciOiJIUzI1NiJ9.e30.sig, session room: maths
            Jan 05 10:17:54 conference.x:token_verification\tdebug\tWill verify token for user: 5f2a@x/abc, room: maths@conference.x

            """, name: "b.log")
        XCTAssertTrue(contradicting.has("participant-token-present"))
        let lowered = LogCorrelation.adjust([finding], logs: contradicting)[0]
        XCTAssertEqual(lowered.confidence, .possible)
        XCTAssertEqual(LogCorrelation.adjust([finding], logs: nil)[0].confidence, .likely)
    }

    func testModuleLoadFailurePointsAtModulesEnabled() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pd-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("prosody.cfg.lua")
        try Data("""
            VirtualHost "example.com"
                modules_enabled = { "ping", "nonexistent_xyz" }

            Component "comp.example.com" "component"
                component_secret = "s3cret-value-123"

            """.utf8).write(to: config)
        let logs = try LogAnalysisBuilder.analyse(text: """
            Nov 29 09:12:57 modulemanager\terror\tUnable to load module 'nonexistent_xyz': /usr/lib/prosody/modules/mod_nonexistent_xyz.lua: No such file or directory
            Nov 29 09:13:13 comp.example.com:component\tinfo\tComponent authentication failed for comp.example.com

            """, name: "prosody.log")
        let findings = run(logs, configPath: config.path)
        let log702 = try XCTUnwrap(findings.first { $0.ruleID == "LOG702" })
        XCTAssertEqual(log702.location?.file, "prosody.log")
        XCTAssertEqual(log702.related.first { $0.location.file == config.path }?.location.line, 2)
        let log705 = try XCTUnwrap(findings.first { $0.ruleID == "LOG705" })
        XCTAssertEqual(log705.related.first { $0.location.file == config.path }?.location.line, 4)
    }

    func testTokenRejectionReasonsAreDecoded() throws {
        // Every reason of research jitsi-token-auth.md §1c.
        let reasons = ["token required", "Invalid token", "bad token format", "'kid' claim is missing", "'alg' claim is missing",
                       "'kid' claim only support with RS family", "could not obtain public key", "signature verification key is missing",
                       "Invalid json", "Invalid header", "Invalid body", "Invalid typ", "Invalid alg", "Algorithm not supported",
                       "Invalid or incorrect alg", "Invalid signature", "Not a public PEM key", "exp must be number", "nbf must be number",
                       "Not acceptable by exp", "Not acceptable by exp (12 sec since expired, valid for:3600 sec)", "Not acceptable by nbf",
                       "'alg' claim must not be empty", "'iss' claim is missing", "Invalid issuer ('iss' claim)", "invalid 'iss' claim",
                       "'aud' claim is missing", "Invalid audience ('aud' claim)", "invalid 'aud' claim", "'room' claim is missing",
                       "room claim is missing", "sub claim is missing", "jwt missing required context claim", "user is banned"]
        let text = reasons.map { "Jan 05 10:17:50 meet.example.com:auth_token\twarn\tError verifying token err:not-allowed, reason:\($0)" }.joined(separator: "\n")
            + "\nJan 05 10:17:51 conference.meet.example.com:token_verification\terror\tToken abc.def.ghi not allowed to join: maths@conference.meet.example.com err: room-mismatch reason: Room does not match the room from token\n"
        let findings = run(try LogAnalysisBuilder.analyse(text: text, name: "p.log")).filter { $0.ruleID == "JLG804" }
        XCTAssertEqual(findings.count, reasons.count + 1)
        for f in findings { XCTAssertFalse(f.message.contains("Unrecognised reason"), f.message) }
        // Every room-verification reason of §1d, by its text and by its err code alone.
        let texts = ["Room address is invalid", "Room does not exist", "Authentication required", "Room does not match the room from token",
                     "Room claim is not a valid Lua pattern", "Room name cannot be matched to the one from token.", "Misconfiguration of server",
                     "Room and token mismatched"]
        let codes = ["invalid-room-address", "room-does-not-exist", "authentication-required", "room-mismatch", "invalid-regex",
                     "room-name-does-not-match", "server-missing-config"]
        for reason in texts + codes {
            XCTAssertFalse(TokenReasonsProbe.meaning(reason).contains("Unrecognised"), reason)
        }
        let old = run(try LogAnalysisBuilder.analyse(text: "Jan 05 10:17:51 conference.x:token_verification\terror\tToken abc not allowed to join: maths@conference.x\n", name: "o.log"))
        XCTAssertTrue(old.first { $0.ruleID == "JLG804" }?.message.contains("Room and token mismatched") ?? false)
        XCTAssertTrue(findings.contains { $0.message.contains("wrong secret") || $0.message.contains("another secret") })
    }

    func testRejectedTokenPointsAtTheSecretLineWithoutPrintingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pd-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("prosody.cfg.lua")
        try Data("""
            VirtualHost "meet.example.com"
                authentication = "token"
                app_id = "school_meet"
                app_secret = "Sup3rS3cretSigningKey"

            """.utf8).write(to: config)
        let logs = try LogAnalysisBuilder.analyse(text: "Jan 05 10:17:50 meet.example.com:auth_token\twarn\tError verifying token err:not-allowed, reason:Invalid signature\n", name: "p.log")
        let f = try XCTUnwrap(run(logs, configPath: config.path).first { $0.ruleID == "JLG804" })
        XCTAssertEqual(f.related.first { $0.location.file == config.path }?.location.line, 4)
        XCTAssertFalse(f.message.contains("Sup3rS3cret") || f.related.contains { $0.note.contains("Sup3rS3cret") })
    }

    // MARK: - summary

    enum TokenReasonsProbe {
        static func meaning(_ reason: String) -> String {
            let logs = try! LogAnalysisBuilder.analyse(text: "Jan 05 10:17:50 h:auth_token\twarn\tError verifying token err:not-allowed, reason:\(reason)\n", name: "r.log")
            return Engine().run({ var c = AnalysisContext(configuration: nil); c.logs = logs; return c }()).first { $0.ruleID == "JLG804" }?.message ?? "Unrecognised (no finding)"
        }
    }

    func testSummaryClustersTemplatesAndFiltersByTime() throws {
        let text = """
            Nov 29 09:13:02 c2s5585f2cf03d0\tinfo\tClient connected
            Nov 29 09:13:02 c2s5585f2cf03d0\tinfo\tAuthenticated as alice@localhost
            Nov 29 09:14:02 c2s5585f2cf0aaa\tinfo\tAuthenticated as bob@localhost
            Nov 29 09:15:02 s2sout5585f2d17b70\tinfo\tSending error replies for 1 queued stanzas because of failed outgoing connection to remote.invalid

            """
        let all = try LogAnalysisBuilder.analyse(text: text, name: "s.log")
        let auth = try XCTUnwrap(all.templates.first { $0.template == "Authenticated as <jid>" })
        XCTAssertEqual(auth.count, 2)
        XCTAssertEqual(all.sources["c2s*"], 3)
        XCTAssertEqual(all.levelCounts[1], 4)
        let summary = LogSummaryRenderer.text(all)
        XCTAssertTrue(summary.contains("Authenticated as <jid>"))
        XCTAssertTrue(summary.contains("time span"))
        let json = LogSummaryRenderer.json(all)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)))

        var options = LogAnalysisOptions()
        options.since = LogTimestamp(year: nil, month: 11, day: 29, hour: 9, minute: 14, second: 0)
        let later = try LogAnalysisBuilder.analyse(text: text, name: "s.log", options: options)
        XCTAssertEqual(later.eventCount, 2)
        XCTAssertEqual(later.filteredOut, 2)
        XCTAssertEqual(run(later).map(\.ruleID), ["LOG707"])
    }

    func testCitedLinesNeverCarryTokenSignaturesOrSecrets() throws {
        let text = """
            Jan 05 10:10:01 conference.x:token_verification\tdebug\tconference.x - starting MUC token verifier app_id: school app_secret: Sup3rS3cret allow empty: true
            Jan 05 10:17:50 conference.x:token_verification\terror\tToken eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiYSJ9.c2lnbmF0dXJlU0VDUkVU not allowed to join: a@conference.x

            """
        let logs = try LogAnalysisBuilder.analyse(text: text, name: "t.log")
        var sources = SourceFiles()
        sources.addLogLines(logs.allExamples)
        let cited = String(decoding: sources.texts["t.log"] ?? [], as: UTF8.self)
        XCTAssertFalse(cited.contains("Sup3rS3cret"), cited)
        XCTAssertFalse(cited.contains("c2lnbmF0dXJlU0VDUkVU"), cited)
        XCTAssertTrue(cited.contains("eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiYSJ9.<signature redacted>"), cited)
        let findings = run(logs)
        for f in findings { XCTAssertFalse(f.message.contains("c2lnbmF0dXJlU0VDUkVU") || f.message.contains("Sup3rS3cret"), f.message) }
    }

    func testAnalysisStaysBounded() throws {
        var text = ""
        for i in 0..<600 {
            text += "Nov 29 09:15:20 lab.example:log_auth\tinfo\tFailed authentication attempt (not-authorized) for user u\(i) from IP: 192.0.2.\(i % 250)\n"
        }
        var options = LogAnalysisOptions()
        options.keyLimit = 50
        options.exampleLimit = 3
        let logs = try LogAnalysisBuilder.analyse(text: text, name: "b.log", options: options)
        XCTAssertEqual(logs.count("authentication-failed"), 600)
        XCTAssertEqual(logs.groups("authentication-failed").count, 51)
        let other = try XCTUnwrap(logs.groups("authentication-failed").first { $0.key == "(other)" })
        XCTAssertEqual(other.count, 550)
        XCTAssertEqual(other.examples.count, 3)
        XCTAssertLessThanOrEqual(logs.allExamples.count, 51 * 3)
        let log706 = try XCTUnwrap(run(logs).first { $0.ruleID == "LOG706" })
        XCTAssertTrue(log706.message.hasPrefix("Failed logins 600 times"), log706.message)
    }

    func testTemplateMasking() {
        XCTAssertEqual(LogTemplates.mask("Client connected"), "Client connected")
        XCTAssertEqual(LogTemplates.mask("Sending error replies for 1 queued stanzas because of failed outgoing connection to remote.invalid"),
                       "Sending error replies for <*> queued stanzas because of failed outgoing connection to remote.invalid")
        XCTAssertEqual(LogTemplates.mask("Activated service 'c2s' on [127.0.0.1]:25222"), "Activated service '…' on [<*>]<*>")
        XCTAssertEqual(LogTemplates.mask("Received[c2s]: <iq id='abc12' type='get'>"), "Received[<*>]: <iq id='…' type='…'>")
    }
}

final class LogSignatureUsageTests: XCTestCase {
    func testRulesUseAtLeastTwentyFiveSignatures() throws {
        let set = try LogAnalysisBuilder.embeddedSignatures()
        let produced = Set(set.signatures.map(\.fact))
        for fact in LogRuleFacts.consumed { XCTAssertTrue(produced.contains(fact), "no signature produces \(fact)") }
        let used = set.signatures.filter { LogRuleFacts.consumed.contains($0.fact) }
        XCTAssertGreaterThanOrEqual(used.count, 25, "signatures used by rules: \(used.map(\.id))")
    }
}
