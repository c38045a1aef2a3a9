import Foundation
import PCRE2
import ProsodyLog
import XCTest

let signaturesPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("rules/log-signatures.yml").path

/// (signature, positive line, expected captures, negative line). Lines are real or taken verbatim from the
/// format strings in research/jitsi-token-auth.md §1 and prosody-semantics.md §2.8/§3.5.
let signatureCases: [(String, String, [String: String], String)] = [
    ("SIG-session-token-nil",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil",
     ["room": "nil"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2ln, session room: *"),
    ("SIG-session-token",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2ln, session room: *",
     ["token": "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2ln", "room": "*"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil"),
    ("SIG-will-verify-token",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tWill verify token for user: 5d1c@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com ",
     ["user": "5d1c@guest.meet.example.com/Xk2a", "room": "standup@conference.meet.example.com"],
     "Nov 29 10:02:11 conference.meet.example.com:muc\tdebug\tWill verify token for user: 5d1c@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com "),
    ("SIG-focus-verify-token",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tWill verify token for user: focus@auth.meet.example.com/focus, room: standup@conference.meet.example.com ",
     ["user": "focus@auth.meet.example.com/focus"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tWill verify token for user: alice@meet.example.com/a, room: standup@conference.meet.example.com "),
    ("SIG-token-admin-skip",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tToken not required from admin user: focus@auth.meet.example.com/focus",
     ["user": "focus@auth.meet.example.com/focus"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tinfo\tToken not required from admin user: focus@auth.meet.example.com/focus"),
    ("SIG-empty-token-allowed-join",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSkipped room token verification - empty tokens are allowed",
     [:],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSkipped room token verification"),
    ("SIG-token-room-allowed",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tallowed: alice@meet.example.com/a to enter/create room: standup@conference.meet.example.com",
     ["user": "alice@meet.example.com/a", "room": "standup@conference.meet.example.com"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tallowed: 3 of 5"),
    ("SIG-affiliation-no-token",
     "Nov 29 10:02:11 conference.meet.example.com:token_affiliation\tdebug\tskip affiliation, no token",
     [:],
     "Nov 29 10:02:11 conference.meet.example.com:token_affiliation\tdebug\tskip affiliation, focus@auth.meet.example.com/focus"),
    ("SIG-affiliation-set",
     "Nov 29 10:02:11 conference.meet.example.com:token_affiliation\tdebug\taffiliation: owner",
     ["affiliation": "owner"],
     "Nov 29 10:02:11 conference.meet.example.com:muc\tdebug\taffiliation: owner"),
    ("SIG-token-verify-error",
     "Jun 17 03:45:50 meet.example.com:auth_token\twarn\tError verifying token err:not-allowed, reason:token required tenant:acme room:standup user_agent:Mozilla/5.0 (X11)",
     ["err": "not-allowed", "reason": "token required", "tenant": "acme", "room": "standup", "user_agent": "Mozilla/5.0 (X11)"],
     "Jun 17 03:45:50 meet.example.com:auth_token\tdebug\tError verifying token err:not-allowed, reason:token required"),
    ("SIG-token-join-denied",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\terror\tToken eyJhbGciOi.eyJ.c2ln not allowed to join: standup@conference.meet.example.com/abcd",
     ["token": "eyJhbGciOi.eyJ.c2ln", "room": "standup@conference.meet.example.com/abcd"],
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\terror\tToken verification failed"),
    ("SIG-token-app-id-empty",
     "Nov 29 10:02:11 meet.example.com:auth_token\terror\t'app_id' must not be empty",
     [:],
     "Nov 29 10:02:11 meet.example.com:auth_token\terror\t'app_id' is set"),
    ("SIG-token-secret-missing",
     "Nov 29 10:02:11 meet.example.com:auth_token\terror\t'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified",
     [:],
     "Nov 29 10:02:11 meet.example.com:auth_token\terror\t'app_secret' is too short"),
    ("SIG-empty-tokens-allowed",
     "Nov 29 10:02:11 meet.example.com:auth_token\twarn\tWARNING - empty tokens allowed",
     [:],
     "Nov 29 10:02:11 meet.example.com:auth_token\twarn\tWARNING - something else"),
    ("SIG-token-verifier-start",
     "Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tconference.meet.example.com - starting MUC token verifier app_id: myapp app_secret: s3cr3t allow empty: false",
     ["host": "conference.meet.example.com", "app_id": "myapp", "allow_empty": "false"],
     "Nov 29 10:02:11 conference.meet.example.com:muc_size\tdebug\tconference.meet.example.com - starting MUC token verifier app_id: myapp app_secret: s3cr3t allow empty: false"),
    ("SIG-token-room-missing-muc-domain-base",
     "Nov 29 10:02:11 meet.example.com:muc_wait_for_host\twarn\tNo 'muc_mapper_domain_base' option set, disabling module",
     ["consequence": "disabling module"],
     "Nov 29 10:02:11 meet.example.com:muc_domain_mapper\tinfo\tLoading mod_muc_domain_mapper for host meet.example.com!"),
    ("SIG-no-sasl-mechanisms",
     "Nov 29 10:02:11 meet.example.com:saslauth\twarn\tNo available SASL mechanisms, verify that the configured authentication module 'token' is loaded and configured correctly",
     ["module": "token"],
     "Nov 29 10:02:11 meet.example.com:saslauth\tdebug\tOffering SASL mechanisms"),
    ("SIG-sasl-insecure",
     "Nov 29 10:02:11 meet.example.com:saslauth\twarn\tAll SASL mechanisms provided by authentication module 'token' are forbidden on insecure connections (PLAIN)",
     ["module": "token"],
     "Nov 29 10:02:11 meet.example.com:saslauth\twarn\tAll good"),
    ("SIG-component-not-connected",
     "focus.jitsi.styke.io:component  warn\tComponent not connected, bouncing error for: <iq from='focus@auth.jitsi.styke.io/focus89716699195249' type='get' to='focus.jitsi.styke.io' id='x'>",
     ["component": "focus.jitsi.styke.io"],
     "focus.jitsi.styke.io:component  info\tExternal component successfully authenticated"),
    ("SIG-component-auth-failed",
     "Nov 29 09:13:13 comp.localhost:component\tinfo\tComponent authentication failed for comp.localhost",
     ["component": "comp.localhost"],
     "Nov 29 09:13:11 comp.localhost:component\tinfo\tExternal component successfully authenticated"),
    ("SIG-focus-authenticated",
     "> May 08 07:50:47 c2s55a9832f7d40\tinfo\tAuthenticated as focus@meet.demo.com",
     ["host": "meet.demo.com"],
     "May 08 08:01:43 bosh637eb569-2345-43e6-9694-dd729b42e1e0\tinfo\tAuthenticated as dc4ab4fd@guest.meet.demo.com"),
    ("SIG-prosody-version",
     "Nov 29 09:12:56 startup\tinfo\tHello and welcome to Prosody version 0.12.3",
     ["version": "0.12.3"],
     "Nov 29 09:12:56 startup\tinfo\tProsody is using the epoll backend for connection handling"),
    ("SIG-prosody-trunk",
     "Jul 04 10:39:39 general info    Hello and welcome to Prosody version trunk nightly build 747 (2017-02-19, 428d4abee723)",
     ["build": "747", "date": "2017-02-19", "hash": "428d4abee723"],
     "Nov 29 09:12:56 startup\tinfo\tHello and welcome to Prosody version 0.12.3"),
    ("SIG-config-warning",
     "Nov 29 09:13:34 startup\twarn\tConfiguration warning: <lab>/prosody.cfg.lua:48: Duplicate option 'c2s_timeout'",
     ["file": "<lab>/prosody.cfg.lua", "line": "48", "warning": "Duplicate option 'c2s_timeout'"],
     "Nov 29 09:13:34 startup\tinfo\tReloading configuration file"),
    ("SIG-duplicate-option",
     "Nov 29 09:13:34 startup\twarn\tConfiguration warning: <lab>/prosody.cfg.lua:48: Duplicate option 'c2s_timeout'",
     ["option": "c2s_timeout", "line": "48"],
     "Nov 29 09:13:34 startup\twarn\tConfiguration warning: /etc/prosody/prosody.cfg.lua:3: unrecognized value"),
    ("SIG-option-no-effect-vhost",
     "Nov 29 09:13:34 hostmanager\twarn\tanon.localhost: Option 'c2s_ports' has no effect for virtual hosts - put it in the server-wide section instead",
     ["host": "anon.localhost", "option": "c2s_ports"],
     "Nov 29 09:12:57 hostmanager\tdebug\tActivated host: localhost"),
    ("SIG-config-option-type",
     "Nov 29 09:13:34 localhost:muc\terror\tConfig option 'muc_room_locking' not understood, expecting true/false",
     ["option": "muc_room_locking"],
     "Nov 29 09:13:34 localhost:muc\terror\tConfig file missing"),
    ("SIG-no-virtualhost",
     "Nov 29 09:13:34 hostmanager\terror\tNo active VirtualHost entries in the config file. This may cause unexpected behaviour as no modules will be loaded.",
     [:],
     "Nov 29 09:13:34 hostmanager\terror\tNo route to host"),
    ("SIG-module-load-failed",
     "Nov 29 09:12:57 modulemanager\terror\tUnable to load module 'nonexistent_xyz': <prosody-src>/modules/mod_nonexistent_xyz.lua: No such file or directory",
     ["module": "nonexistent_xyz", "error": "<prosody-src>/modules/mod_nonexistent_xyz.lua: No such file or directory"],
     "Nov 29 09:12:57 modulemanager\tdebug\tUnable to load module 'x' is fine at debug"),
    ("SIG-module-load-failed-prosodyctl",
     "Failed to load module 'roster_command': /usr/lib/prosody/modules/mod_roster_command.lua: No such file or directory",
     ["module": "roster_command"],
     "Nov 29 09:12:57 c2s55d0c4f0\tdebug\tReceived[c2s]: <message>Failed to load module 'x'</message>"),
    ("SIG-module-init-failed",
     "Dec 10 06:44:23 modulemanager\terror\tError initializing module 'token_verification' on 'conference.example.com': /usr/bin/prosody:178: module 'basexx' not found:\n\tno field package.preload['basexx']",
     ["module": "token_verification", "host": "conference.example.com", "error": "/usr/bin/prosody:178: module 'basexx' not found:"],
     "Dec 10 06:44:23 modulemanager\tinfo\tError initializing module 'x' on 'y': z"),
    ("SIG-lua-module-not-found",
     "prosody_1  | modulemanager                                    error\tError initializing module 'auth_token' on 'meet.jitsi': /usr/share/lua/5.4/prosody/util/startup.lua:202: module 'luajwtjitsi' not found:",
     ["library": "luajwtjitsi"],
     "Nov 29 09:12:57 c2s55d0c4f0\tdebug\tmodule 'luajwtjitsi' not found"),
    ("SIG-lua-traceback",
     "Nov 29 09:15:10 c2s557eb4f00c70\terror\tTraceback[c2s]: @LAB@/plugins/mod_lab_faulty.lua:10: attempt to index a nil value (field 'missing')\n\tstack traceback:",
     ["context": "c2s", "error": "@LAB@/plugins/mod_lab_faulty.lua:10: attempt to index a nil value (field 'missing')"],
     "Nov 29 09:15:10 c2s557eb4f00c70\tdebug\tTraceback[c2s]: not an error here"),
    ("SIG-top-level-error",
     "Feb 17 23:38:34 general\terror\tTop-level error, please report:",
     [:],
     "Feb 17 23:38:34 general\terror\tTop-level"),
    ("SIG-pidfile-error",
     "May 23 14:35:16 mod_posix\terror\tCouldn't write pidfile at /var/lib/prosody/prosody.pid; /var/lib/prosody/prosody.pid: Permission denied",
     ["path": "/var/lib/prosody/prosody.pid"],
     "May 23 14:35:16 mod_posix\tinfo\tSuccessfully daemonized to PID 16415"),
    ("SIG-running-as-root",
     "May 23 14:35:16 mod_posix\terror\tDanger, Will Robinson! Prosody doesn't need to be run as root, so don't do it!",
     [:],
     "May 23 14:35:16 mod_posix\terror\tDanger ahead"),
    ("SIG-cert-load-failed",
     "Dec 15 16:13:46 prosody[3501709]: certmanager: SSL/TLS: Failed to load '/etc/prosody/certs/meet.example.key': Previous error (see logs), or other system error. (for breakout.meet.example)",
     ["file": "/etc/prosody/certs/meet.example.key", "reason": "Previous error (see logs), or other system error.", "for": "breakout.meet.example"],
     "Nov 29 09:12:57 certmanager\tdebug\tUsing cert \"<lab>/certs/localhost.crt\" from index for host \"anon.localhost\""),
    ("SIG-cert-dir-error",
     "May 23 14:35:16 certmanager\terror\tError indexing certificate directory ./certs: cannot open ./certs: No such file or directory",
     ["dir": "./certs"],
     "May 23 14:35:16 certmanager\tdebug\tIndexing certificate directory ./certs"),
    ("SIG-tls-init-failed",
     "Dec 03 14:49:55 focus.domainname.com:tls\terror\tUnable to initialize TLS: error loading private key (Permission denied)",
     ["error": "error loading private key (Permission denied)"],
     "Nov 29 09:12:57 anon.localhost:tls\tinfo\tCertificates loaded"),
    ("SIG-no-certificate-sni",
     "Nov 29 09:12:57 certmanager\tinfo\tNo certificate present in SSL/TLS configuration for badcert.lab.example. SNI will be required.",
     ["host": "badcert.lab.example."],
     "Nov 29 09:12:57 certmanager\tinfo\tCertificates loaded"),
    ("SIG-no-tls-context",
     "Nov 29 09:15:40 c2s557eb5014ba0\tdebug\tNo TLS context available",
     [:],
     "Nov 29 09:15:40 c2s557eb5014ba0\tdebug\tTLS context created"),
    ("SIG-s2s-outgoing-failed",
     "Nov 29 09:13:02 s2sout5585f2d17b70\tinfo\tSending error replies for 1 queued stanzas because of failed outgoing connection to remote.invalid",
     ["count": "1", "domain": "remote.invalid"],
     "Nov 29 09:13:02 s2sout5585f2d17b70\tdebug\tSending error replies"),
    ("SIG-s2s-stream-closed",
     "s2sout7f0a33d533e0       info\tOutgoing s2s stream nsm.chat->prose.org closed: TLS negotiation failed",
     ["direction": "Outgoing", "from": "nsm.chat", "to": "prose.org", "reason": "TLS negotiation failed"],
     "Nov 29 09:13:10 s2sin5585f2d180f0\tinfo\tIncoming s2s stream remote.example->localhost closed: stream closed"),
    ("SIG-s2s-tls-failed",
     "nsm.chat:tls        warn\tTLS negotiation with prose.org failed.",
     ["domain": "prose.org"],
     "Nov 29 09:13:05 conn7iWU9_cyZ_Fk\tdebug\tTLS handshake complete (TLSv1.3 with TLS_AES_256_GCM_SHA384)"),
    ("SIG-storage-driver-failed",
     "Nov 29 09:13:05 storagemanager\terror\tFailed to load storage driver plugin sql on localhost: module 'DBI' not found",
     ["driver": "sql", "host": "localhost"],
     "Nov 29 09:13:05 localhost:storage_internal\tdebug\tbob has 1 items out of 10000 limit in store offline"),
    ("SIG-sql-error",
     "Nov 29 09:13:05 localhost:storage_sql\terror\tDatabase connection failed: FATAL: password authentication failed for user \"prosody\"",
     ["error": "Database connection failed: FATAL: password authentication failed for user \"prosody\""],
     "Nov 29 09:13:05 localhost:storage_sql\terror\tNo error here at all"),
    ("SIG-token-verifier-no-parent",
     "Jan 05 10:10:01 conference.meet.example.com:token_verification\terror\tFailed to start - unable to get parent context for host: meet.example.com",
     ["host": "meet.example.com"],
     "Jan 05 10:10:01 conference.meet.example.com:token_verification\terror\tFailed to start something else"),
    ("SIG-token-config-required",
     "Jan 05 10:10:01 conference.meet.example.com:muc_size\terror\tno token configuration but it is required",
     [:],
     "Jan 05 10:10:01 conference.meet.example.com:muc_size\terror\tno token provided"),
    ("SIG-key-server-failed",
     "Jan 05 10:10:01 meet.example.com:auth_token\twarn\tTimeout 5 seconds fetching public key from: https://keys.example.com/asap/1a2b.pem",
     ["timeout": "5", "url": "https://keys.example.com/asap/1a2b.pem"],
     "Jan 05 10:10:01 meet.example.com:auth_token\twarn\tpublic key reply delivered after timeout from: https://keys.example.com/"),
    ("SIG-c2s-tls-failed",
     "May 23 14:35:51 c2s5578f51490b0\tinfo\tClient disconnected: no shared cipher",
     ["error": "no shared cipher"],
     "Nov 29 09:13:04 c2s5585f2cf03d0\tinfo\tClient disconnected: connection closed"),
    ("SIG-config-load-failed",
     "A problem occurred while reading the config file /etc/prosody/prosody.cfg.lua",
     ["file": "/etc/prosody/prosody.cfg.lua"],
     "Reading the config file /etc/prosody/prosody.cfg.lua"),
    ("SIG-prosody-version-pasted",
     "Prosody trunk nightly build 1377 (2021-01-05, 0e0dc1e7a0a4)",
     ["version": "trunk nightly build 1377 (2021-01-05, 0e0dc1e7a0a4)"],
     "Prosody is using the epoll backend for connection handling"),
    ("SIG-authenticated",
     "Nov 29 09:13:13 boshad0c208a-38c9-4162-80ba-c5450d86711a\tinfo\tAuthenticated as ocpqynx8k0fk5jbdiafhurj1@anon.localhost",
     ["user": "ocpqynx8k0fk5jbdiafhurj1@anon.localhost", "host": "anon.localhost"],
     "Nov 29 09:13:02 c2s5585f2cf03d0\tinfo\tClient connected"),
    ("SIG-lua-error-stack",
     "Jun 08 13:57:56 runnerV6G1SfhepFcA\terror\tEncountered error: /opt/x/mod_auth_external.lua:58: attempt to call a nil value (method 'endproc')\n\tstack traceback:\n\t/opt/x/mod_auth_external.lua:58: in field '?'",
     ["context": "Encountered error", "error": "/opt/x/mod_auth_external.lua:58: attempt to call a nil value (method 'endproc')"],
     "Jun 08 13:57:56 runnerV6G1SfhepFcA\terror\tEncountered error: something without a traceback"),
    ("SIG-auth-failed",
     "Nov 29 09:15:20 lab.example:log_auth\tinfo\tFailed authentication attempt (not-authorized) for user alice from IP: 127.0.0.1",
     ["condition": "not-authorized", "user": "alice", "ip": "127.0.0.1"],
     "Nov 29 09:15:20 lab.example:log_auth\tinfo\tAuthenticated as alice@lab.example"),
]

final class SignatureTests: XCTestCase {
    static let set = try! SignatureSet(contentsOfFile: signaturesPath)

    func facts(_ text: String) -> [LogFact] {
        let extractor = FactExtractor(signatures: Self.set)
        var out: [LogFact] = []
        var t = text
        t.withUTF8 { buf in
            _ = try? LogReader().read(bytes: UnsafeRawBufferPointer(buf)) { ev in extractor.extract(ev) { out.append($0) } }
        }
        return out
    }

    func testEverySignatureHasCases() {
        let ids = Set(Self.set.signatures.map(\.id))
        let tested = Set(signatureCases.map(\.0))
        XCTAssertEqual(ids.subtracting(tested), [], "signatures without test lines")
        XCTAssertEqual(tested.subtracting(ids), [], "test lines for unknown signatures")
        XCTAssertTrue(Self.set.signatures.allSatisfy { $0.pattern.isJIT || true })
    }

    func testPositiveAndNegativeLines() {
        for (id, positive, expected, negative) in signatureCases {
            let pos = facts(positive).filter { $0.signatureID == id }
            XCTAssertEqual(pos.count, 1, "\(id) should match: \(positive)")
            for (k, v) in expected {
                XCTAssertEqual(pos.first?.captures[k], v, "\(id) capture \(k)")
            }
            XCTAssertEqual(facts(negative).filter { $0.signatureID == id }.count, 0, "\(id) should not match: \(negative)")
        }
    }

    /// `scope: pasted` signatures look at console output and prose, never at a log record's message.
    func testPastedScopeSkipsLogRecords() {
        XCTAssertEqual(facts("Prosody 0.12.4\n").map(\.signatureID), ["SIG-prosody-version-pasted"])
        XCTAssertEqual(facts("Nov 29 09:12:56 general\tinfo\tProsody 0.12.4\n").filter { $0.signatureID == "SIG-prosody-version-pasted" }.count, 0)
        // Prose attached to a record as continuation lines is still read.
        let pasted = "Nov 29 09:12:56 general\tinfo\tHello\nmy version:\nProsody 0.12.4\n"
        XCTAssertEqual(facts(pasted).filter { $0.signatureID == "SIG-prosody-version-pasted" }.count, 1)
        XCTAssertThrowsError(try SignatureSet(yaml: "- id: SIG-x\n  fact: x\n  scope: everywhere\n  pattern: 'x'\n"))
    }

    func testFactCarriesEventReference() throws {
        let text = "Nov 29 09:12:56 startup\tinfo\tHello\nNov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil\n"
        let f = try XCTUnwrap(facts(text).first)
        XCTAssertEqual(f.fact, "session-token-nil")
        XCTAssertEqual(f.line, 2)
        XCTAssertEqual(f.source, "conference.meet.example.com:token_verification")
        XCTAssertEqual(f.level, .debug)
        XCTAssertEqual(f.time?.hour, 10)
        XCTAssertEqual(f.message, "Session token: nil, session room: nil")
    }

    func testFactsFromRunTogetherForumPaste() {
        let line = "Session token: nil, session room: nil\tdebug\tWill verify token for user: 5d1c@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com \tdebug\tSkipped room token verification - empty tokens are allowed\tdebug\tskip affiliation, no token"
        let got = facts("conference.meet.example.com:token_verification\tdebug\t" + line)
        XCTAssertEqual(got.map(\.fact), ["session-token-nil", "token-verify-attempt", "empty-token-join", "affiliation-no-token"])
        XCTAssertEqual(got.map { $0.captures["session_token"] }, [nil, "nil", nil, nil])
    }

    func testCarrySessionTokenIntoTheNextFact() {
        let text = """
        Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil
        Nov 29 10:02:11 c2s55d0c4f0\tdebug\tReceived[c2s]: <presence to='standup@conference.meet.example.com/5d1c'>
        Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tWill verify token for user: 5d1c@guest.meet.example.com/Xk2a, room: standup@conference.meet.example.com 
        Nov 29 10:02:11 conference.meet.example.com:token_verification\tdebug\tSkipped room token verification - empty tokens are allowed
        Nov 29 10:02:12 conference.meet.example.com:token_verification\tdebug\tSession token: eyJ.eyJ.c2ln, session room: standup
        Nov 29 10:02:12 conference.meet.example.com:token_verification\tdebug\tToken not required from admin user: focus@auth.meet.example.com/focus
        """
        let f = facts(text)
        XCTAssertEqual(f.map(\.fact), ["session-token-nil", "token-verify-attempt", "empty-token-join", "session-token-present", "token-admin-skip"])
        XCTAssertEqual(f[0].captures["token"], "nil")
        XCTAssertEqual(f[1].captures["session_token"], "nil")
        XCTAssertEqual(f[1].captures["user"], "5d1c@guest.meet.example.com/Xk2a")
        XCTAssertEqual(f[1].captures["room"], "standup@conference.meet.example.com")
        XCTAssertNil(f[2].captures["session_token"])  // consumed by the first following fact
        XCTAssertEqual(f[4].captures["session_token"], "eyJ.eyJ.c2ln")
        XCTAssertEqual(f[4].captures["session_room"], "standup")
    }

    func testOwnedEventPath() {
        let ev = events("Jun 17 03:45:50 general\twarn\tError verifying token err:not-allowed, reason:token required")[0]
        let f = FactExtractor(signatures: Self.set).facts(for: ev)
        XCTAssertEqual(f.map(\.signatureID), ["SIG-token-verify-error"])
        XCTAssertEqual(f.first?.captures["reason"], "token required")
    }

    func testCorpusFixtures() throws {
        let extractor = FactExtractor(signatures: Self.set)
        var ids: [String: Int] = [:]
        for name in ["docker-compose-continuation.log", "journalctl-syslog.log", "trunk-nightly.log", "real-0.12-startup.log"] {
            try LogReader().read(path: fixture(name)) { ev in extractor.extract(ev) { ids[$0.signatureID, default: 0] += 1 } }
        }
        XCTAssertEqual(ids["SIG-prosody-trunk"], 1)
        XCTAssertEqual(ids["SIG-lua-module-not-found"], 3)  // basexx, luajwtjitsi, util.lab_no_such_library
        XCTAssertGreaterThanOrEqual(ids["SIG-cert-load-failed"] ?? 0, 2)
        XCTAssertEqual(ids["SIG-module-init-failed"], 3)
    }

    func testParallelFactsEqualSequential() throws {
        // Several copies of real logs, scanned in small segments on 3 threads.
        var text = ""
        for name in ["real-0.12-startup.log", "real-0.12-traceback.log", "trunk-nightly.log", "docker-compose-continuation.log"] {
            text += try String(contentsOfFile: fixture(name), encoding: .utf8)
        }
        text = String(repeating: text, count: 6)
        let path = NSTemporaryDirectory() + "pd-par-\(getpid()).log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var seq: [LogFact] = [], par: [LogFact] = []
        let reader = LogReader()
        let s1 = try reader.readFacts(path: path, signatures: Self.set, threads: 1) { seq.append($0) }
        let s2 = try reader.readFacts(path: path, signatures: Self.set, threads: 3, minimumParallelSize: 0, segmentSize: 4096) {
            par.append($0)
        }
        XCTAssertGreaterThan(seq.count, 30)
        XCTAssertEqual(seq, par)
        XCTAssertEqual(s1.lines, s2.lines)
        XCTAssertEqual(s1.events, s2.events)
        XCTAssertEqual(s1.continuationLines, s2.continuationLines)
        XCTAssertEqual(s1.levelCounts, s2.levelCounts)
    }

    func testBadCatalogues() {
        XCTAssertThrowsError(try SignatureSet(yaml: "- id: X\n  fact: f\n  pattern: 'a(b'\n")) { e in
            XCTAssertTrue("\(e)".contains("X") && "\(e)".contains("offset 3"), "\(e)")
        }
        XCTAssertThrowsError(try SignatureSet(yaml: "- id: X\n  fact: f\n  level: loud\n  pattern: a\n"))
        XCTAssertThrowsError(try SignatureSet(yaml: "- id: X\n  fact: f\n  pattern: a\n- id: X\n  fact: g\n  pattern: b\n"))
        XCTAssertThrowsError(try SignatureSet(yaml: "not: a list"))
        XCTAssertNoThrow(try SignatureSet(yaml: "- id: X\n  fact: f\n  level: [crit, warning]\n  source: 'mod_*'\n  pattern: a\n"))
    }
}
