import Doctor
import ProsodyConfig
import XCTest

/// Loads config text the way the CLI does and runs every rule.
enum RuleHarness {
    static func findings(_ text: String, file: String = "/etc/prosody/prosody.cfg.lua",
                         release: ProsodyRelease = .v0_12, isJitsi: Bool? = nil,
                         fileFacts: [String: FileFacts] = [:]) -> [Finding] {
        let loaded = ConfigLoader(environment: [:]).load(bytes: Array(text.utf8), fileName: file)
        var context = AnalysisContext(configuration: loaded.configuration, sources: loaded.sources,
                                      prosodyRelease: release, isJitsi: isJitsi)
        context.fileFacts = fileFacts
        return Engine().run(context)
    }

    static func only(_ id: String, _ findings: [Finding]) -> [Finding] { findings.filter { $0.ruleID == id } }
}

final class ParityRuleTests: XCTestCase {
    func testSuggestionsForTyposFoundInRealConfigs() {
        XCTAssertEqual(KnownOptions.suggestion(for: "plugins_path"), "plugin_paths")
        XCTAssertEqual(KnownOptions.suggestion(for: "c2s_require_encription"), "c2s_require_encryption")
        XCTAssertEqual(KnownOptions.suggestion(for: "in_seconds_between_registrations"), "min_seconds_between_registrations")
        XCTAssertEqual(KnownOptions.suggestion(for: "registrarion_url"), "registration_url")
        XCTAssertNil(KnownOptions.suggestion(for: "zzz_completely_new_option"))
        XCTAssertEqual(EditDistance.damerauLevenshtein("abcd", "abdc"), 1)
        XCTAssertEqual(EditDistance.damerauLevenshtein("kitten", "sitting"), 3)
    }

    func testUnknownOptionWithSuggestionIsAWarningWithARenameEdit() throws {
        let text = """
        modules_enabled = { "tls" }
        plugins_path = { "/opt/prosody-modules" }
        VirtualHost "example.com"
        """
        let finding = try XCTUnwrap(RuleHarness.only("OPT222", RuleHarness.findings(text)).first)
        XCTAssertEqual(finding.severity, .warning)
        XCTAssertEqual(finding.confidence, .likely)
        XCTAssertEqual(finding.location?.line, 2)
        XCTAssertTrue(finding.message.contains("did you mean plugin_paths"), finding.message)
        XCTAssertEqual(finding.fix?.edits.first?.replacement, "plugin_paths")
        XCTAssertEqual(finding.fix?.edits.first?.location.range.start.column, 1)
    }

    func testCommunityAndModulePrefixedOptionsAreNotReported() {
        let text = """
        plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }
        modules_enabled = { "tls", "my_module" }
        VirtualHost "meet.example.com"
            authentication = "token"
            app_id = "example"
            asap_key_server = "https://keys.example.com"
            muc_lobby_whitelist = { "recorder.meet.example.com" }
            my_module_setting = 5
        Component "conference.meet.example.com" "muc"
            main_muc = "conference.meet.example.com"
            muc_room_locking = false
        """
        XCTAssertEqual(RuleHarness.only("OPT222", RuleHarness.findings(text)).map(\.message), [])
    }

    func testUnknownOptionWithoutSuggestionIsInformation() throws {
        let text = """
        modules_enabled = { "tls" }
        frobnicate_everything = true
        VirtualHost "example.com"
        """
        let finding = try XCTUnwrap(RuleHarness.only("OPT222", RuleHarness.findings(text)).first)
        XCTAssertEqual(finding.severity, .info)
    }

    func testGlobalOnlyOptionsInHostsLikeProsodyctl() {
        let text = """
        modules_enabled = { "tls" }
        VirtualHost "example.com"
            c2s_ports = { 5222 }
            external_service_port = 3478
            c2s_ssl = { key = "k" }
            s2s_secure_auth = true
            pidfile = "/run/prosody.pid"
        VirtualHost "off.example.com"
            enabled = false
            https_ssl = { certificate = "c" }
        """
        let findings = RuleHarness.only("OPT207", RuleHarness.findings(text))
        XCTAssertEqual(Set(findings.compactMap { $0.message.split(separator: " ").first.map(String.init) }),
                       ["c2s_ports", "s2s_secure_auth", "pidfile", "https_ssl"])
        XCTAssertTrue(findings.allSatisfy { $0.message.contains("VirtualHost \"") })
        XCTAssertEqual(findings.first?.location?.line, 3)
    }

    func testModPrefixGetsAnExactEdit() throws {
        let text = """
        modules_enabled = {
            "tls";
            'mod_carbons';
        }
        VirtualHost "example.com"
        """
        let finding = try XCTUnwrap(RuleHarness.only("OPT209", RuleHarness.findings(text)).first)
        XCTAssertEqual(finding.location?.line, 3)
        XCTAssertEqual(finding.location?.column, 5)
        XCTAssertEqual(finding.fix?.edits.first?.replacement, "'carbons'")
    }

    func testDeprecatedRenameAndReleaseDependentObsoleteList() {
        let text = """
        modules_enabled = { "tls" }
        registration_whitelist = { "127.0.0.1" }
        cross_domain_bosh = true
        VirtualHost "example.com"
        """
        let findings = RuleHarness.findings(text)
        let deprecated = RuleHarness.only("OPT206", findings)
        XCTAssertEqual(deprecated.count, 2)
        XCTAssertEqual(deprecated.first?.fix?.edits.first?.replacement, "registration_allowlist")
        XCTAssertEqual(RuleHarness.only("OPT205", findings).count, 0)
        let old = RuleHarness.findings(text, release: .v0_11)
        XCTAssertEqual(RuleHarness.only("OPT205", old).count, 1)
    }

    func testWholeConfigChecksAreSoftForFragmentsAndSnippets() {
        let fragment = """
        VirtualHost "meet.example.com"
            modules_enabled = { "bosh" }
        """
        let findings = RuleHarness.findings(fragment, file: "/etc/prosody/conf.d/meet.example.com.cfg.lua")
        XCTAssertEqual(RuleHarness.only("OPT201", findings).first?.severity, .info)
        XCTAssertEqual(RuleHarness.only("OPT214", findings).first?.severity, .info)
        let noHosts = RuleHarness.findings("admins = { }\n")
        XCTAssertEqual(RuleHarness.only("OPT202", noHosts).first?.severity, .info)
        let mainNoHosts = RuleHarness.findings("modules_enabled = { \"tls\" }\n")
        XCTAssertEqual(RuleHarness.only("OPT202", mainNoHosts).first?.severity, .error)
        let noTLS = RuleHarness.findings("modules_enabled = { \"roster\" }\nVirtualHost \"example.com\"\n")
        XCTAssertEqual(RuleHarness.only("OPT214", noTLS).first?.severity, .warning)
        let explicit = RuleHarness.findings("modules_enabled = { \"roster\" }\nc2s_require_encryption = true\nVirtualHost \"example.com\"\n")
        XCTAssertEqual(RuleHarness.only("OPT214", explicit).count, 0, "prosodyctl is silent once the option is written")
    }

    func testComponentModuleEnabledGloballyPointsAtTheListEntry() throws {
        let text = """
        modules_enabled = { "tls", "muc" }
        VirtualHost "example.com"
        Component "conference.example.com" "muc"
        """
        let finding = try XCTUnwrap(RuleHarness.only("OPT204", RuleHarness.findings(text)).first)
        XCTAssertEqual(finding.location?.column, 28)
        XCTAssertEqual(finding.related.first?.location.line, 3)
    }

    func testPublicRegistrationAndInviteOnly() {
        let open = """
        modules_enabled = { "tls", "register" }
        allow_registration = true
        VirtualHost "example.com"
        VirtualHost "closed.example.com"
            allow_registration = false
        """
        XCTAssertEqual(RuleHarness.only("OPT215", RuleHarness.findings(open)).map { $0.message.contains("\"example.com\"") }, [true])
        let invites = """
        modules_enabled = { "tls", "register", "invites", "invites_register" }
        allow_registration = true
        VirtualHost "example.com"
        """
        XCTAssertEqual(RuleHarness.only("OPT215", RuleHarness.findings(invites)).count, 0)
    }

    func testUnreferencedComponentsAndDiscoItems() {
        let text = """
        modules_enabled = { "tls" }
        VirtualHost "example.com"
            disco_items = { { "upload.example.net", "Upload" } }
        Component "conference.example.com" "muc"
        Component "upload.example.net" "http_file_share"
        Component "rooms.other.org" "muc"
        Component "bot@example.com" "muc"
        """
        let findings = RuleHarness.only("OPT216", RuleHarness.findings(text))
        XCTAssertEqual(findings.count, 1)
        XCTAssertTrue(findings.first?.message.contains("rooms.other.org") == true)
    }

    func testPosixIsAHintOn012AndInformationOn13() {
        let text = "modules_enabled = { \"tls\", \"posix\" }\nVirtualHost \"example.com\"\n"
        XCTAssertEqual(RuleHarness.only("OPT219", RuleHarness.findings(text)).first?.severity, .hint)
        XCTAssertEqual(RuleHarness.only("OPT219", RuleHarness.findings(text, release: .v13)).first?.severity, .info)
    }
}

final class ParityEditTests: XCTestCase {
    func testObsoleteOptionLineIsDeletedOnlyWhenAlone() throws {
        let text = "modules_enabled = { \"tls\" }\n  setuid = \"prosody\"; -- old\ndns_timeout = 5 x = 1\nVirtualHost \"example.com\"\n"
        let findings = RuleHarness.only("OPT205", RuleHarness.findings(text))
        XCTAssertEqual(findings.count, 2)
        let setuid = try XCTUnwrap(findings.first { $0.message.hasPrefix("setuid") })
        let edit = try XCTUnwrap(setuid.fix?.edits.first)
        XCTAssertEqual(edit.replacement, "")
        XCTAssertEqual(edit.location.range.start.line, 2)
        XCTAssertEqual(edit.location.range.start.column, 1)
        XCTAssertEqual(edit.location.range.end.line, 3)
        XCTAssertEqual(findings.first { $0.message.hasPrefix("dns_timeout") }?.fix?.edits.count, 0)
    }
}

final class ParityHostTests: XCTestCase {
    func testComponentsAloneDoNotMakeAServer() throws {
        let text = "modules_enabled = { \"tls\" }\nComponent \"conference.example.com\" \"muc\"\nVirtualHost \"example.com\"\n    enabled = false\n"
        let finding = try XCTUnwrap(RuleHarness.only("OPT202", RuleHarness.findings(text)).first)
        XCTAssertEqual(finding.severity, .error)
        XCTAssertEqual(finding.location?.line, 4)
        XCTAssertTrue(finding.message.contains("example.com"))
    }

    func testNoGlobalOptionsWithoutHosts() {
        let findings = RuleHarness.findings("Include \"conf.d/*.cfg.lua\"\n", file: "/tmp/nowhere-\(UInt32.random(in: 0...UInt32.max))/prosody.cfg.lua")
        XCTAssertEqual(RuleHarness.only("OPT201", findings).count, 1)
    }
}

final class KnownOptionAliasTests: XCTestCase {
    func testCommonMisnamingsGetTheRealName() {
        XCTAssertEqual(KnownOptions.suggestion(for: "user"), "prosody_user")
        XCTAssertEqual(KnownOptions.suggestion(for: "pid_file"), "pidfile")
        XCTAssertTrue(KnownOptions.isKnown("http_file_share_size_limit"))
        XCTAssertTrue(KnownOptions.isKnown("c2s_direct_tls_ports"))
        XCTAssertFalse(KnownOptions.isKnown("c2s_require_encription"))
    }
}
