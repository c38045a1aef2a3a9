/// One rule of research §5, in the order Prosody applies it.
public struct TokenCheck: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case passed, failed, skipped
    }
    /// Stable identifier (`typ`, `signature`, `exp`...).
    public var name: String
    public var outcome: Outcome
    /// What was compared, or why the check was skipped. Never contains a secret.
    public var detail: String
    /// For a failed check: the reason string exactly as Prosody logs it (nil when Prosody logs
    /// none, e.g. a Lua error).
    public var reason: String?

    public init(name: String, outcome: Outcome, detail: String, reason: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
        self.reason = reason
    }
}

/// The stage at which Prosody would refuse the token.
public enum TokenStage: String, Sendable, Equatable {
    /// SASL, mod_auth_token → token/util → luajwtjitsi.
    case login
    /// MUC join, mod_token_verification → verify_room.
    case join
}

public struct TokenVerdict: Sendable {
    public enum Status: String, Sendable, Equatable {
        /// Prosody would accept the token (and the room, when one was given).
        case accepted
        /// No token, but `allow_empty_token` lets the session in as a guest.
        case acceptedWithoutToken = "accepted-without-token"
        case rejected
        /// A check the verdict depends on could not be made offline (no public key, signature
        /// stripped in the log).
        case undetermined
    }

    public var status: Status
    /// The ordered checks, including those skipped (not applicable, or not reached).
    public var checks: [TokenCheck]
    /// The reason string exactly as Prosody logs it (`Invalid signature`, `'aud' claim is missing`...).
    public var rejectionReason: String?
    /// The error condition logged with it (`not-allowed`, `not-authorized`, `room-mismatch`...).
    public var errorCondition: String?
    public var stage: TokenStage?
    /// The log line Prosody would write for this rejection (token shown without signature).
    public var logLine: String?
    public var explanation: String?
    public var fix: String?
    /// What the token gives when it passes login.
    public var grants: TokenGrants?
    public var notes: [String]

    public var accepted: Bool { status == .accepted || status == .acceptedWithoutToken }
    /// The first failed check.
    public var failedCheck: TokenCheck? { checks.first { $0.outcome == .failed } }

    /// 0 accept, 1 reject or undetermined.
    public var exitCode: Int32 { accepted ? 0 : 1 }
}

/// The rooms, tenant and affiliation a token that passed login obtains.
public struct TokenGrants: Sendable, Equatable {
    public enum RoomScope: Sendable, Equatable {
        /// `room: "*"`, or no room claim with `asap_require_room_claim = false`.
        case anyRoom
        /// One room (lower-cased, as compared).
        case room(String)
        /// `context.room.regex`: rooms whose whole name the Lua pattern matches.
        case pattern(String)
    }

    public var rooms: RoomScope
    /// Human description of the rooms and MUC domain(s).
    public var roomsDescription: String
    /// `sub`, lower-cased as compared (`*` = any domain/tenant).
    public var sub: String?
    /// `context.tenant`.
    public var tenant: String?
    /// `owner`, `member`, or nil when it depends on things the tool cannot see (jicofo).
    public var affiliation: String?
    /// Which module or component decides it (`token_affiliation`, `jicofo auto-owner`...).
    public var affiliationDecidedBy: String
    public var affiliationDetail: String
    public var lobbyBypass: Bool
    /// `context.features` with truthy values.
    public var features: [String]
    public var notes: [String]
}
