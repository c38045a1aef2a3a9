/// Works out what a token that passed login obtains (research §5.3, §5.4).
struct TokenGrantsBuilder {
    var settings: TokenSettings

    func grants(for token: DecodedToken) -> TokenGrants {
        let s = settings
        let body = token.payload ?? .object([])
        let context = body["context"]
        let user = context?["user"]
        let roomClaim = body["room"]
        let sub = body["sub"]?.stringValue.map(asciiLower)
        let regex = context?["room"]?["regex"]?.isTrue ?? false
        var notes: [String] = []

        // Rooms.
        let scope: TokenGrants.RoomScope
        var desc: String
        if let r = roomClaim?.stringValue.map(asciiLower) {
            if r == "*" { scope = .anyRoom; desc = "any room" }
            else if regex && s.enableDomainVerification { scope = .pattern(r); desc = "rooms whose whole name matches the Lua pattern \"\(r)\"" }
            else {
                scope = .room(r)
                desc = "the room \"\(r)\""
                if regex { notes.append("context.room.regex is ignored: it only works with enable_domain_verification = true.") }
            }
        } else if roomClaim == nil {
            scope = .anyRoom
            desc = "any room (no room claim, asap_require_room_claim = false)"
        } else {
            scope = .room(roomClaim!.display)
            desc = "no room: the room claim is not a string"
        }
        if s.enableDomainVerification {
            switch sub {
            case "*": desc += ", on any tenant" + (s.mucDomain.map { " of \($0)" } ?? "")
                if s.mucDomain == nil { notes.append("sub \"*\" needs muc_mapper_domain_base: without it no room matches.") }
            case let sub?:
                let plain = "\(s.mucDomainPrefix).\(sub)"
                desc += " at \(plain)"
                if let muc = s.conferenceMUC ?? s.mucDomain, muc != plain {
                    desc += " (or tenant [\(sub)] rooms)"
                    notes.append("sub \"\(sub)\" gives plain rooms at \(plain), but the conference MUC is \(muc): only tenant URLs /\(sub)/<room> will work. Use the main XMPP domain\(s.mucDomainBase.map { " (\($0))" } ?? "") or \"*\" as sub.")
                }
            case nil: desc += " (no sub: every join would fail)"
            }
        } else {
            desc += " (enable_domain_verification = false: sub and tenant are not checked)"
        }

        // Affiliation.
        let mods = Set(s.conferenceModules)
        var affiliation: String?
        var decidedBy: String
        var detail: String
        let affClaim = user?["affiliation"]?.stringValue
        let modClaim = user?["moderator"]
        if mods.contains("muc_allowners") {
            affiliation = "owner"; decidedBy = "muc_allowners"
            detail = "mod_muc_allowners makes every occupant owner"
            if mods.contains("token_affiliation") || mods.contains("token_moderation") {
                notes.append("muc_allowners overrides token_affiliation/token_moderation: everyone is owner. Remove muc_allowners.")
            }
        } else if mods.contains("token_moderation") {
            let top = body["moderator"]
            affiliation = top == .bool(true) ? "owner" : "member"
            decidedBy = "token_moderation"
            detail = "top-level moderator is \(top?.display ?? "absent") (only boolean true gives owner)"
            notes.append("token_moderation decodes the token itself without verifying it; prefer token_affiliation.")
        } else if mods.contains("token_affiliation") {
            let ownerValues: Set<String> = ["owner", "moderator", "teacher"]
            if let a = affClaim, ownerValues.contains(a) {
                affiliation = "owner"; detail = "context.user.affiliation = \"\(a)\""
            } else if modClaim?.isTrue == true {
                affiliation = "owner"; detail = "context.user.moderator = \(modClaim!.display)"
            } else {
                affiliation = "member"
                detail = "context.user.affiliation is \(affClaim.map { "\"\($0)\"" } ?? "absent") and context.user.moderator is \(modClaim?.display ?? "absent")"
            }
            decidedBy = "token_affiliation"
            if mods.contains("muc_wait_for_host"), !s.waitForHostDisableAutoOwners {
                notes.append("muc_wait_for_host also makes token holders owner; set wait_for_host_disable_auto_owners = true.")
            }
            if affiliation == "member" {
                notes.append("jicofo may still grant owner (auto-owner when jicofo authentication is off, or every main-domain user when it is on); set enable-auto-owner = false and keep jicofo authentication off.")
            }
        } else if mods.contains("muc_wait_for_host"), !s.waitForHostDisableAutoOwners {
            affiliation = "owner"; decidedBy = "muc_wait_for_host"
            detail = "mod_muc_wait_for_host makes token holders owner on join"
        } else if let jicofo = s.jicofoAuthentication {
            affiliation = jicofo ? "owner" : nil
            decidedBy = jicofo ? "jicofo authentication" : "jicofo auto-owner"
            detail = jicofo ? "jicofo authentication makes every main-domain user owner"
                : "the first participant becomes owner (auto-owner) unless enable-auto-owner = false"
        } else {
            affiliation = nil; decidedBy = "jicofo"
            detail = "no token-to-role module on the conference MUC\(s.conferenceMUC.map { " \($0)" } ?? ""): jicofo decides (owner for every user if jicofo authentication is enabled, else the first participant by auto-owner); role claims in the token are ignored"
        }
        if s.conferenceMUC == nil { notes.append("The conference MUC was not found in the configuration: its modules are unknown.") }

        let features: [String]
        if case .object(let fs)? = context?["features"] {
            features = fs.filter { $0.value.isTrue }.map(\.key)
        } else { features = [] }
        let lobbyBypass = user?["lobby_bypass"] == .bool(true) && mods.contains("token_lobby_bypass")

        return TokenGrants(rooms: scope, roomsDescription: desc, sub: sub,
                           tenant: context?["tenant"]?.stringValue, affiliation: affiliation,
                           affiliationDecidedBy: decidedBy, affiliationDetail: detail, lobbyBypass: lobbyBypass,
                           features: features, notes: notes)
    }
}
