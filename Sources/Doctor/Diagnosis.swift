/// Orders findings for a one-shot diagnosis: the root causes first, each with the
/// findings it explains, then the rest by severity.
public struct DiagnosisGroup: Sendable {
    public var root: Finding
    public var explained: [Finding]
}

public struct Diagnosis: Sendable {
    public var groups: [DiagnosisGroup]
    public var others: [Finding]

    /// "A explains B": B is a symptom or a consequence of A. Chains are followed
    /// (JWT502 → JLG801 → JLG803), so the top of a chain becomes the root.
    public static let explains: [String: Set<String>] = [
        // A config that Prosody refuses makes every other symptom secondary.
        "LUA001": ["LOG702", "LOG708"],
        "CFG112": ["LOG708"],
        // The token never reaching Prosody is the headline of research F1: allow_empty_token is
        // what made it silent (the tokenless session is admitted as a guest, gets no affiliation).
        "JLG801": ["JLG802", "JLG803", "JWT502"],
        "JWT502": ["JLG802", "JLG803"],
        // A proxy that drops the query string is a cause of the token never arriving.
        "DPL906": ["JLG801", "JLG802", "JWT502"],
        "JWT503": ["JLG803"],
        "JWT505": ["JLG802"],
        "JWT506": ["JWT504", "JLG805"],
        // Missing Lua libraries make modules fail to load.
        "LOG702": ["LOG708"],
        "DPL904": ["JWT502"],
        // token_verification on a breakout MUC refuses every breakout room join.
        "JWT509": ["JLG804"],
        // A missing Lua library or missing credentials leave token auth without a SASL mechanism.
        "LOG703": ["LOG702", "LOG708", "JLG807"],
        "JWT504": ["JLG805", "JLG804", "JLG807"],
        "JLG805": ["JLG804", "JLG807"],
    ]

    /// Rules whose findings mean Prosody refuses this config.
    public static let blocking: Set<String> = ["LUA001", "CFG102", "CFG106", "CFG108", "CFG110", "CFG111", "CFG112"]

    public init(findings: [Finding]) {
        let present = Set(findings.map(\.ruleID))
        // A rule is explained when any present rule reaches it through the chain.
        func reach(_ id: String, _ seen: inout Set<String>) {
            for next in Diagnosis.explains[id] ?? [] where seen.insert(next).inserted { reach(next, &seen) }
        }
        var reachable: [String: Set<String>] = [:]
        for id in present {
            var seen = Set<String>()
            reach(id, &seen)
            reachable[id] = seen.intersection(present).subtracting([id])
        }
        let explainedIDs = Set(reachable.flatMap { id, targets in targets.filter { !(reachable[$0]?.contains(id) ?? false) } })
        // Findings that stop Prosody from loading the config come first even alone.
        let rootIDs = present.filter {
            !explainedIDs.contains($0) && (!(reachable[$0] ?? []).isEmpty || Diagnosis.blocking.contains($0))
        }
        var used = Set<Int>()
        var groups: [DiagnosisGroup] = []
        let ordered = findings.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            return a.offset < b.offset
        }
        for (index, finding) in ordered where rootIDs.contains(finding.ruleID) && !used.contains(index) {
            let targets = reachable[finding.ruleID] ?? []
            var explained: [Finding] = []
            for (other, candidate) in findings.enumerated() where !used.contains(other) && other != index && targets.contains(candidate.ruleID) {
                explained.append(candidate)
                used.insert(other)
            }
            used.insert(index)
            groups.append(DiagnosisGroup(root: finding, explained: explained))
        }
        groups.sort { a, b in
            let ab = Diagnosis.blocking.contains(a.root.ruleID), bb = Diagnosis.blocking.contains(b.root.ruleID)
            if ab != bb { return ab }
            if a.root.severity != b.root.severity { return a.root.severity > b.root.severity }
            return a.explained.count > b.explained.count
        }
        self.groups = groups
        self.others = ordered.filter { !used.contains($0.offset) }.map(\.element)
    }
}
