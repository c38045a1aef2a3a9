import Doctor
import Foundation
import ProsodyConfig
import XCTest

/// Runs the engine over config text (as `/virtual/prosody.cfg.lua`).
private func check(_ text: String, release: ProsodyRelease = .v0_12) -> [Finding] {
    let loaded = ConfigLoader(environment: [:]).load(bytes: Array(text.utf8), fileName: "/virtual/prosody.cfg.lua")
    let context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources, prosodyRelease: release)
    return Engine().run(context)
}

private func jitsiFindings(_ findings: [Finding]) -> [Finding] {
    findings.filter { $0.ruleID.hasPrefix("JWT") || $0.ruleID.hasPrefix("JIT") }
}

/// Applies non-overlapping edits to a text (byte offsets), last first.
private func apply(_ edits: [TextEdit], to text: String) -> String {
    var bytes = Array(text.utf8)
    for edit in edits.sorted(by: { $0.location.range.start.offset > $1.location.range.start.offset }) {
        bytes.replaceSubrange(edit.location.range.start.offset..<edit.location.range.end.offset,
                              with: Array(edit.replacement.utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
}

private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

private func sample(_ name: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name)/prosody.cfg.lua"), encoding: .utf8)
}

/// A token deployment every Jitsi rule is quiet on; tests add one mistake to it.
private let base = """
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }
muc_mapper_domain_base = "meet.example.com"
consider_bosh_secure = true

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "example_app"
    app_secret = "a-long-random-secret-0123456789abcdef"

VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"

Component "conference.meet.example.com" "muc"
    restrict_room_creation = true
    modules_enabled = {
        "muc_meeting_id";
        "token_verification";
    }
    admins = { "focus@auth.meet.example.com" }

Component "focus.meet.example.com" "client_proxy"
    target_address = "focus@auth.meet.example.com"

"""

final class JitsiRulesTests: XCTestCase {
    // MARK: acceptance: seed and repaired samples

    func testSeedRaisesGuestTokenEmptyTokenAndMissingAffiliation() throws {
        let text = try sample("jitsi-token-seed")
        let findings = jitsiFindings(check(text))
        let ids = Set(findings.map(\.ruleID))
        XCTAssertTrue(ids.isSuperset(of: ["JWT501", "JWT502", "JWT503"]), "\(ids.sorted())")
        XCTAssertEqual(ids, ["JWT501", "JWT502", "JWT503"], findings.map { "\($0.ruleID) \($0.message)" }.joined(separator: "\n"))
        for finding in findings {
            XCTAssertNotNil(finding.fix, finding.ruleID)
            XCTAssertFalse(finding.fix?.message.isEmpty ?? true, finding.ruleID)
            XCTAssertNotNil(finding.location, finding.ruleID)
            XCTAssertFalse(finding.message.contains("Sup3rS3cretSigningKey"), "secret leaked by \(finding.ruleID)")
            XCTAssertFalse(finding.fix?.message.contains("Sup3rS3cretSigningKey") ?? false)
        }
        let guest = try XCTUnwrap(findings.first { $0.ruleID == "JWT501" })
        XCTAssertTrue(guest.message.contains("guest.meet.example.com"))
        XCTAssertEqual(guest.location?.line, 28)
        XCTAssertFalse(guest.related.isEmpty)
        let affiliation = try XCTUnwrap(findings.first { $0.ruleID == "JWT503" })
        XCTAssertTrue(affiliation.message.contains("conference.meet.example.com"))
        XCTAssertEqual(findings.filter { $0.ruleID == "JWT502" }.map(\.location?.line), [13],
                       "the guest host's allow_empty_token goes with JWT501")
    }

    func testRepairedRaisesNothingAndOnlyTheIntendedEmptyTokenFindingUnsuppressed() throws {
        let text = try sample("jitsi-token-repaired")
        XCTAssertEqual(jitsiFindings(check(text)).map(\.ruleID), [], "the inline suppression hides JWT502")
        let unsuppressed = text.replacingOccurrences(of: "-- prosody-doctor: ignore[JWT502]", with: "--")
        XCTAssertNotEqual(unsuppressed, text)
        let findings = jitsiFindings(check(unsuppressed))
        XCTAssertEqual(findings.map(\.ruleID), ["JWT502"], findings.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(findings.first?.confidence, .possible)
        XCTAssertTrue(findings.first?.message.contains("d2") ?? false)
    }

    // MARK: canonical templates stay quiet

    func testCanonicalTemplatesRaiseNoJitsiFinding() {
        for (name, text) in [("debian tokens", JitsiTemplates.debianTokens),
                             ("debian anonymous", JitsiTemplates.debianAnonymous),
                             ("docker jwt+guests", JitsiTemplates.dockerJWTGuests)] {
            let findings = jitsiFindings(check(text))
            XCTAssertEqual(findings.map(\.ruleID), [], "\(name): \(findings.map { "\($0.ruleID) \($0.message)" })")
        }
        XCTAssertEqual(jitsiFindings(check(base)).map(\.ruleID), [])
    }

    // MARK: fixes that are text edits must remove the finding

    private func assertEditFixes(_ id: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let findings = check(text).filter { $0.ruleID == id }
        XCTAssertFalse(findings.isEmpty, "\(id) not raised", file: file, line: line)
        let edits = findings.flatMap { $0.fix?.edits ?? [] }
        XCTAssertFalse(edits.isEmpty, "\(id) has no edit", file: file, line: line)
        let fixed = apply(edits, to: text)
        let after = check(fixed)
        XCTAssertFalse(after.contains { $0.ruleID == id }, "\(id) still raised after its edit:\n\(fixed)", file: file, line: line)
        XCTAssertFalse(after.contains { $0.ruleID == "LUA001" }, "edit broke the syntax:\n\(fixed)", file: file, line: line)
    }

    func testGuestHostEditSwitchesToJitsiAnonymous() {
        let text = base + """
        VirtualHost "guest.meet.example.com"
            authentication = "token" -- copied by the old postinst
        """
        assertEditFixes("JWT501", text)
        let fixed = apply(check(text).first { $0.ruleID == "JWT501" }!.fix!.edits, to: text)
        XCTAssertTrue(fixed.contains("authentication = \"jitsi-anonymous\" -- copied"))
        // On the seed the token options of the guest host go too, and nothing of ours is left there.
        let seed = try! sample("jitsi-token-seed")
        let seedFixed = apply(check(seed).first { $0.ruleID == "JWT501" }!.fix!.edits, to: seed)
        XCTAssertTrue(seedFixed.contains("VirtualHost \"guest.meet.example.com\"\n    authentication = \"jitsi-anonymous\"\n    c2s_require_encryption = false\n"),
                      seedFixed)
        let after = Set(jitsiFindings(check(seedFixed)).map(\.ruleID))
        XCTAssertEqual(after, ["JWT502", "JWT503"])
    }

    func testTokenVerificationInsertEdit() {
        assertEditFixes("JWT505", base.replacingOccurrences(of: "        \"token_verification\";\n", with: ""))
        assertEditFixes("JWT505", base.replacingOccurrences(of: """
            modules_enabled = {
                "muc_meeting_id";
                "token_verification";
            }

        """, with: ""))
    }

    func testCommentedOutTokenVerificationIsUncommented() {
        let text = base.replacingOccurrences(of: "        \"token_verification\";\n", with: "        --\"token_verification\";\n")
        assertEditFixes("JWT505", text)
        let edits = check(text).first { $0.ruleID == "JWT505" }!.fix!.edits
        XCTAssertTrue(apply(edits, to: text).contains("\n        \"token_verification\";\n"))
    }

    func testRemoveFromListEdits() {
        assertEditFixes("JWT509", base + """
        Component "breakout.meet.example.com" "muc"
            modules_enabled = { "muc_meeting_id", "token_verification" }
        """)
        assertEditFixes("JIT610", base.replacingOccurrences(of: "\"token_verification\";\n",
                                                            with: "\"token_verification\";\n        \"muc_allowners\";\n        \"token_affiliation\";\n"))
        assertEditFixes("JWT508", base + """
        VirtualHost "guest.meet.example.com"
            authentication = "jitsi-anonymous"
        """ + "\n" + "Component \"x.meet.example.com\" \"muc\"\n    modules_enabled = { \"token_verification\" }\n"
            + "    token_verification_allowlist = { \"guest.meet.example.com\", \"recorder.meet.example.com\" }\n")
    }

    func testInsertLineEdits() {
        assertEditFixes("JIT609", base.replacingOccurrences(of: "\"token_verification\";\n",
                                                            with: "\"token_verification\";\n        \"muc_wait_for_host\";\n        \"token_affiliation\";\n"))
        assertEditFixes("JIT606", base.replacingOccurrences(of: "    admins = { \"focus@auth.meet.example.com\" }\n", with: "    admins = { \"jvb@auth.meet.example.com\" }\n"))
        assertEditFixes("JIT605", base.replacingOccurrences(of: "conference.meet.example.com", with: "muc.meet.example.com"))
        assertEditFixes("JIT601", base.replacingOccurrences(of: "VirtualHost \"meet.example.com\"\n",
                                                            with: "VirtualHost \"meet.example.com\"\n    main_muc = \"conference.meet.example.org\"\n"))
    }

    func testKeyServerAndGuestAuthEdits() {
        assertEditFixes("JWT514", base.replacingOccurrences(
            of: "    app_secret = \"a-long-random-secret-0123456789abcdef\"\n",
            with: "    asap_key_server = \"https://login.example.com/.well-known/jwks.json\"\n"))
        assertEditFixes("JWT515", base.replacingOccurrences(of: "\"token_verification\";\n",
                                                            with: "\"token_verification\";\n        \"muc_wait_for_host\";\n")
            + "VirtualHost \"guest.meet.example.com\"\n    authentication = \"anonymous\"\n")
    }

    func testMapperBaseMissingReportedOncePerMUC() {
        let text = base.replacingOccurrences(of: "muc_mapper_domain_base = \"meet.example.com\"\n", with: "")
            .replacingOccurrences(of: "\"muc_meeting_id\";", with: "\"muc_meeting_id\"; \"muc_domain_mapper\";")
        let findings = check(text).filter { $0.ruleID == "JIT603" }
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.confidence, .certain)
        let verifierOnly = check(base.replacingOccurrences(of: "muc_mapper_domain_base = \"meet.example.com\"\n", with: ""))
            .filter { $0.ruleID == "JIT603" }
        XCTAssertEqual(verifierOnly.map(\.confidence), [.possible])
        XCTAssertTrue(verifierOnly.first?.fix?.message.contains("\"meet.example.com\"") ?? false)
    }

    func testServiceHostInheritingTokenAuth() {
        let text = base.replacingOccurrences(of: "consider_bosh_secure = true\n", with: "consider_bosh_secure = true\nauthentication = \"token\"\n")
            .replacingOccurrences(of: "VirtualHost \"auth.meet.example.com\"\n    authentication = \"internal_hashed\"\n",
                                  with: "VirtualHost \"auth.meet.example.com\"\n")
        let findings = check(text)
        XCTAssertFalse(findings.contains { $0.ruleID == "JWT501" }, "an account host is not a guest host")
        assertEditFixes("JIT613", text)
        assertEditFixes("JIT613", base.replacingOccurrences(of: "authentication = \"internal_hashed\"", with: "authentication = \"anonymous\""))
    }

    func testFragmentsDoNotDemandGlobalOptions() {
        let fragment = """
        VirtualHost "meet.example.com"
            authentication = "token"
            app_id = "example_app"
            app_secret = "a-long-random-secret-0123456789abcdef"

        Component "conference.meet.example.com" "muc"
            modules_enabled = { "token_verification", "muc_domain_mapper" }
        """
        let loaded = ConfigLoader(environment: [:]).load(bytes: Array(fragment.utf8), fileName: "/etc/prosody/conf.d/meet.cfg.lua")
        let findings = Engine().run(AnalysisContext(configuration: loaded.configuration, sources: loaded.sources))
        XCTAssertEqual(jitsiFindings(findings).map(\.ruleID), [])
        // The same text as a main config misses plugin_paths and muc_mapper_domain_base.
        let main = Set(check("pidfile = \"/run/prosody/prosody.pid\"\n" + fragment).map(\.ruleID))
        XCTAssertTrue(main.isSuperset(of: ["JIT603", "JIT608"]), "\(main.sorted())")
    }

    func testHostNamesMatchWhateverTheCase() {
        let text = base.replacingOccurrences(of: "muc_mapper_domain_base = \"meet.example.com\"", with: "muc_mapper_domain_base = \"Meet.Example.com\"")
            .replacingOccurrences(of: "VirtualHost \"meet.example.com\"\n", with: "VirtualHost \"meet.example.com\"\n    main_muc = \"Conference.meet.example.com\"\n")
        XCTAssertEqual(jitsiFindings(check(text)).map(\.ruleID), [])
    }

    /// Every Jitsi finding raised by a catalogue example has a location, a fix, no secret value, and
    /// every text edit it carries keeps the config valid and makes that finding go away.
    func testCatalogueExamplesGiveCompleteFindingsAndWorkingEdits() {
        let secretPattern = try! NSRegularExpression(pattern: #"app_secret\s*=\s*"([^"]+)""#)
        var edited = 0
        for rule in RuleCatalogue.embedded.rules where rule.id.hasPrefix("JWT") || rule.id.hasPrefix("JIT") {
            for example in rule.examples.triggering {
                guard let text = example.config else { continue }
                let secrets = secretPattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                    Range($0.range(at: 1), in: text).map { String(text[$0]) }
                }
                let findings = check(text).filter { $0.ruleID == rule.id }
                XCTAssertFalse(findings.isEmpty, rule.id)
                for finding in findings {
                    XCTAssertNotNil(finding.location, "\(rule.id) without location")
                    XCTAssertFalse(finding.fix?.message.isEmpty ?? true, "\(rule.id) without fix")
                    for secret in secrets {
                        XCTAssertFalse(finding.message.contains(secret), "\(rule.id) shows a secret")
                        XCTAssertFalse(finding.fix?.message.contains(secret) ?? false, "\(rule.id) shows a secret in its fix")
                    }
                    guard let edits = finding.fix?.edits, !edits.isEmpty else { continue }
                    edited += 1
                    let fixed = apply(edits, to: text)
                    let after = check(fixed)
                    XCTAssertFalse(after.contains { $0.ruleID == "LUA001" }, "\(rule.id) edit broke the syntax:\n\(fixed)")
                    XCTAssertLessThan(after.filter { $0.ruleID == rule.id }.count, findings.count,
                                      "\(rule.id) edit did not fix:\n\(fixed)")
                }
            }
        }
        XCTAssertGreaterThan(edited, 3)
    }

    func testRunTimeAuthenticationIsNotGuessed() {
        let text = base.replacingOccurrences(of: "authentication = \"token\"", with: "authentication = os.getenv(\"AUTH_TYPE\")")
        let ids = Set(jitsiFindings(check(text)).map(\.ruleID))
        XCTAssertFalse(ids.contains("JWT516"), "\(ids.sorted())")
        XCTAssertFalse(ids.contains("JWT506"), "\(ids.sorted())")
    }

    // MARK: individual rules

    func testEmptySecretIsErrorAndNeverShowsValues() {
        let text = base.replacingOccurrences(of: "app_secret = \"a-long-random-secret-0123456789abcdef\"", with: "app_secret = \"\"")
        let findings = check(text).filter { $0.ruleID == "JWT507" }
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.severity, .error)
        let weak = check(base.replacingOccurrences(of: "a-long-random-secret-0123456789abcdef", with: "hunter2"))
            .filter { $0.ruleID == "JWT511" }
        XCTAssertEqual(weak.count, 1)
        XCTAssertFalse(weak[0].message.contains("hunter2"))
    }

    func testCredentialsMissingPointsAtMisplacedOptions() throws {
        let text = base.replacingOccurrences(of: "    app_id = \"example_app\"\n", with: "")
            + "    app_id = \"example_app\"\n"   // lands in the focus component
        let findings = check(text)
        let missing = try XCTUnwrap(findings.first { $0.ruleID == "JWT504" })
        XCTAssertTrue(missing.message.contains("app_id"))
        XCTAssertTrue(missing.message.contains("focus.meet.example.com"))
        XCTAssertTrue(findings.contains { $0.ruleID == "JWT506" && $0.message.contains("focus.meet.example.com") })
    }

    func testGlobalTokenOptionsAreFallbackNotMistakes() {
        let global = base.replacingOccurrences(of: "consider_bosh_secure = true\n",
                                               with: "consider_bosh_secure = true\napp_id = \"example_app\"\n")
            .replacingOccurrences(of: "    app_id = \"example_app\"\n", with: "")
        XCTAssertFalse(check(global).contains { $0.ruleID == "JWT506" || $0.ruleID == "JWT504" })
        // Overridden by every reader: reported as info only.
        let dead = base.replacingOccurrences(of: "consider_bosh_secure = true\n",
                                             with: "consider_bosh_secure = true\napp_id = \"old_app\"\n")
        let findings = check(dead).filter { $0.ruleID == "JWT506" }
        XCTAssertEqual(findings.map(\.severity), [.info])
    }

    func testVerifierParentHostDerivation() {
        XCTAssertEqual(JitsiDeployment.parentHost(of: "conference.meet.example.com"), "meet.example.com")
        XCTAssertEqual(JitsiDeployment.parentHost(of: "muc-conf.example.com"), "conf.example.com")
        XCTAssertNil(JitsiDeployment.parentHost(of: "-x.example.com"))
        XCTAssertNil(JitsiDeployment.parentHost(of: "localhost"))
        XCTAssertTrue(JitsiDeployment.firstLabelIsAlphanumeric("conference.meet.example.com"))
        XCTAssertFalse(JitsiDeployment.firstLabelIsAlphanumeric("muc-conf.example.com"))
    }

    func testModuleSelectionFollowsModulemanager() throws {
        let text = """
        modules_enabled = { "ping", "smacks", "token_verification" }
        modules_disabled = { "offline" }
        VirtualHost "meet.example.com"
        Component "conference.meet.example.com" "muc"
            modules_enabled = { "muc_meeting_id" }
        """
        let configuration = ConfigLoader(environment: [:]).load(bytes: Array(text.utf8), fileName: "/virtual/p.cfg.lua").configuration
        let host = try XCTUnwrap(configuration.section(named: "meet.example.com"))
        let muc = try XCTUnwrap(configuration.section(named: "conference.meet.example.com"))
        let hostModules = JitsiDeployment.modules(of: host, in: configuration)
        let mucModules = JitsiDeployment.modules(of: muc, in: configuration)
        XCTAssertTrue(hostModules.isSuperset(of: ["ping", "smacks", "token_verification", "c2s"]))
        XCTAssertFalse(hostModules.contains("offline"))
        XCTAssertTrue(mucModules.isSuperset(of: ["smacks", "muc_meeting_id", "muc", "iq"]))
        XCTAssertFalse(mucModules.contains("ping"))
        XCTAssertFalse(mucModules.contains("token_verification"))
        // token_verification from the global list lands on the VirtualHost, not on the MUC.
        let findings = check(text)
        XCTAssertTrue(findings.contains { $0.ruleID == "JWT510" && $0.message.contains("global modules_enabled") })
    }

    func testLayoutRoles() throws {
        let configuration = ConfigLoader(environment: [:]).load(bytes: Array(JitsiTemplates.dockerJWTGuests.utf8),
                                                                fileName: "/virtual/p.cfg.lua").configuration
        let layout = JitsiLayout(configuration)
        XCTAssertEqual(layout.mainMUC?.name, "muc.meet.jitsi")
        XCTAssertEqual(layout.mainHost?.name, "meet.jitsi")
        XCTAssertEqual(layout.guestHosts.map(\.name), ["guest.meet.jitsi"])
        XCTAssertEqual(layout.tokenHosts.map(\.name), ["meet.jitsi"])
        XCTAssertEqual(Set(layout.conferenceMUCs.map(\.name)), ["muc.meet.jitsi"])
    }

    func testTokenModerationWithAnonymousGuests() {
        let text = base.replacingOccurrences(of: "\"token_verification\";\n", with: "\"token_verification\";\n        \"token_moderation\";\n")
            + "VirtualHost \"guest.meet.example.com\"\n    authentication = \"anonymous\"\n"
        let findings = check(text).filter { $0.ruleID == "JWT512" }
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.confidence, .likely)
    }

    func testFocusHostMissing() {
        let text = base.replacingOccurrences(of: "VirtualHost \"auth.meet.example.com\"\n    authentication = \"internal_hashed\"\n", with: "")
        let findings = check(text).filter { $0.ruleID == "JIT607" }
        XCTAssertEqual(findings.count, 1)
        XCTAssertTrue(findings[0].message.contains("auth.meet.example.com"))
    }
}
