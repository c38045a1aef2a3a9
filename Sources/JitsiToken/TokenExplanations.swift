/// What each Prosody reason means for the admin, and how to fix it (research §1c, §4).
enum TokenExplanations {
    static func explain(reason: String?, luaError: Bool, check: TokenCheck?, settings s: TokenSettings)
        -> (explanation: String, fix: String) {
        if luaError {
            return ("The token decodes to JSON that is not an object, and Prosody's token code indexes it anyway: it raises a Lua error (a traceback in the log, no `reason:`) and the login fails.",
                    "Issue tokens whose header and payload are JSON objects.")
        }
        if check?.name == "library" {
            return ("The token library is not loaded for this host, so mod_auth_token offers no SASL mechanism: every login fails (`No available SASL mechanisms…`), and mod_token_verification on the MUC silently checks nothing.",
                    "Set app_id and app_secret (or asap_key_server) in the main VirtualHost\(s.host.map { " \"\($0)\"" } ?? "") or globally — not in a Component section.")
        }
        guard let reason else { return ("Prosody refuses the token.", "See the failed check.") }
        if reason.hasPrefix("Not acceptable by exp") {
            return ("The token has expired: `exp` is in the past. Prosody allows no clock-skew leeway, and re-verifies the token on every reconnect (BOSH/WebSocket resumption), so long meetings can hit this.",
                    "Issue a fresh token with a later `exp`; keep the server and the token issuer on NTP; refresh tokens for long sessions.")
        }
        let synonyms = [
            "Invalid json": "Invalid body", "Invalid issuer ('iss' claim)": "invalid 'iss' claim",
            "Invalid audience ('aud' claim)": "invalid 'aud' claim", "'room' claim is missing": "room claim is missing",
        ]
        if let modern = synonyms[reason] {
            let e = explain(reason: modern, luaError: false, check: check, settings: s)
            return (reason == "Invalid json" ? "The header or the payload is not base64url-encoded JSON." : e.explanation, e.fix)
        }
        switch reason {
        case "Invalid alg":
            return ("The header has no `alg` string.", "Add `alg` (e.g. HS256) to the token header.")
        case "Not a public PEM key":
            return ("An RS* token, but the key is not a PEM public key (with app_secret, the secret itself would have to be the PEM).",
                    "Use HS256 with app_secret, or serve the PEM public key from asap_key_server.")
        case "'alg' claim must not be empty":
            return ("The payload carries an `alg` claim of \"none\" or \"\"; the old token library refuses it.", "Remove `alg` from the payload.")
        case "token required":
            return ("The session carried no token and allow_empty_token is not true. Often the token never reached Prosody (lost query string, `#jwt=` instead of `?jwt=`, proxy without $args, host-level session hook).",
                    "Pass the token as `?jwt=` in the page URL, make the reverse proxy forward the query string, or set allow_empty_token = true if guests are intended.")
        case "Invalid token":
            return ("The token is not three non-empty base64url segments separated by dots (truncated, garbled, or not a JWT).",
                    "Send the complete JWT (header.payload.signature); check that nothing truncates or re-encodes the URL parameter.")
        case "bad token format":
            return ("With a key server configured Prosody first decodes the header to read `kid`; the header is not base64url JSON.",
                    "Issue a well-formed JWT.")
        case "'kid' claim is missing":
            return ("With asap_key_server/cache_keys_url Prosody needs a `kid` header to pick the public key.",
                    "Add `kid` to the token header (the key server serves <sha256(kid)>.pem), or use app_secret instead of a key server.")
        case "'alg' claim is missing":
            return ("The header has no `alg`.", "Add `alg` (RS256) to the token header.")
        case "'kid' claim only support with RS family":
            return ("An HS* (shared-secret) token was sent to a deployment that verifies with a key server: only RSA tokens are accepted there (this closes the HS/RS algorithm confusion).",
                    "Sign with the RSA private key (RS256), or configure app_secret without asap_key_server.")
        case "could not obtain public key":
            return ("Prosody could not fetch the public key for this kid.",
                    "Serve the PEM public key at <asap_key_server>/<hex sha256(kid)>.pem.")
        case "signature verification key is missing":
            return ("Neither app_secret nor a key server is configured, so there is no key to verify with.",
                    "Set app_secret (or asap_key_server) in the main VirtualHost\(s.host.map { " \($0)" } ?? "").")
        case "Algorithm not supported":
            return ("signature_algorithm names an algorithm luajwtjitsi does not support (only HS256/384/512 and RS256/384/512).",
                    "Set signature_algorithm to one of HS256, HS384, HS512, RS256, RS384, RS512.")
        case "Invalid header":
            return ("The first segment is not base64url-encoded JSON.", "Issue a well-formed JWT.")
        case "Invalid body":
            return ("The second segment (the claims) is not base64url-encoded JSON.", "Issue a well-formed JWT.")
        case "Invalid typ":
            return ("The header must contain `\"typ\": \"JWT\"` exactly; luajwtjitsi rejects tokens without it, although many JWT libraries omit it.",
                    "Add `typ: \"JWT\"` to the token header.")
        case "Invalid or incorrect alg":
            return ("The server dictates the algorithm: signature_algorithm, default \(s.usesKeyServer ? "RS256 (key server)" : "HS256 (app_secret)"). The token's `alg` differs.",
                    "Sign the token with \(s.expectedAlgorithm), or set signature_algorithm to the algorithm your issuer uses.")
        case "Invalid signature":
            if check?.name == "signature-encoding" {
                return ("The signature segment is not base64url.", "Send the complete, unmodified JWT.")
            }
            return ("The signature does not match. With app_secret the secret is used as raw bytes (not base64-decoded): the issuer must sign with exactly the same string. With a key server, the public key must belong to the signing key.",
                    s.usesKeyServer ? "Publish the public key matching the signing key for this kid."
                        : "Sign with the same app_secret as configured (raw string, not base64-decoded), or update app_secret.")
        case "exp must be number":
            return ("`exp` is present but not a JSON number (often a quoted string).", "Send `exp` as a number of seconds since the epoch.")
        case "nbf must be number":
            return ("`nbf` is present but not a JSON number.", "Send `nbf` as a number of seconds since the epoch.")
        case "Not acceptable by nbf":
            return ("The token is not valid yet (`nbf` is in the future): usually clock skew between the issuer and Prosody; there is no leeway.",
                    "Set `nbf` a little in the past, or fix the clocks (NTP).")
        case "'iss' claim is missing":
            return ("The payload has no `iss`; it is required.", "Add `iss` (your app_id, or an entry of asap_accepted_issuers).")
        case "invalid 'iss' claim":
            return ("`iss` is not in asap_accepted_issuers (default: app_id). The comparison is exact and case-sensitive.",
                    "Set `iss` to \(s.effectiveIssuers.first.map { "\"\($0)\"" } ?? "app_id"), or add the issuer to asap_accepted_issuers.")
        case "'aud' claim is missing":
            return ("The payload has no `aud`. It is required even though the default accepts any audience.",
                    "Add `aud` to the token (any value with the default asap_accepted_audiences = { \"*\" }).")
        case "invalid 'aud' claim":
            return ("`aud` is not in asap_accepted_audiences (exact match; an array `aud` only passes with \"*\").",
                    "Set `aud` to an accepted value, or add it to asap_accepted_audiences.")
        case "room claim is missing":
            return ("The payload has no `room` and asap_require_room_claim is true (the default).",
                    "Add `room` (a room name, or \"*\" for any room), or set asap_require_room_claim = false.")
        case "sub claim is missing":
            return ("The payload has no `sub` (required since 2026-05; before, domain verification crashed on it at join).",
                    "Add `sub`: the main XMPP domain, the tenant, or \"*\".")
        case "Room does not match the room from token":
            return ("Domain verification is off, so only the room name is compared: the `room` claim is neither \"*\" nor this room.",
                    "Issue the token for this room (lower-case, as the client sends it) or with `room: \"*\"`.")
        case "Room and token mismatched":
            return ("With domain verification on, the room JID must equal `room`@`<muc prefix>.<sub>` (or `[sub]room`@muc domain for tenants); it does not.",
                    "Set `sub` to the main XMPP domain\(s.mucDomainBase.map { " (\($0))" } ?? ""), the tenant, or \"*\", and `room` to the room name or \"*\" — or set enable_domain_verification = false.")
        case "Room name cannot be matched to the one from token.":
            return ("The room claim (regex or missing) does not give this room name.",
                    "Anchor the pattern (^…$) so it matches the whole name, or issue a token for this room.")
        case "Room claim is not a valid Lua pattern":
            return ("`context.room.regex` is set and the room claim is not a valid Lua pattern (Lua patterns, not PCRE).",
                    "Write the room claim as a Lua pattern (escape with %, not \\).")
        case "Misconfiguration of server":
            return ("A tenant room ([tenant]room) needs muc_mapper_domain_base, which is not set.",
                    "Set muc_mapper_domain_base (and muc_mapper_domain_prefix) globally.")
        case "Room address is invalid":
            return ("The room address has no node part.", "Join a room JID of the form room@conference.<domain>.")
        default:
            return ("Prosody refuses the token.", "See the failed check.")
        }
    }
}
