import Foundation
import ProsodyLog

/// Parallel reading of one big file: each segment gets its own builder, and the partial results are
/// merged in file order, so the analysis reads as if the file had been read in one pass (except that
/// a `carry` between two lines on both sides of a segment border is not seen).
extension LogAnalysisBuilder {
    /// Reads `path` on `options.threads` threads; false when it must be read sequentially.
    func addInParallel(path: String, name: String) throws -> Bool {
        var single = options
        single.threads = 1
        // Parts keep every key and template: the limits are applied while merging, in file order, as a
        // single pass would have applied them. (A segment is a few MB: what it holds stays small.)
        single.keyLimit = .max
        single.templateLimit = .max
        let partOptions = single
        let signatures = self.signatures
        let reader = LogReader(options: options.reader)
        var state = FileState(name: name)
        let summary = try reader.forEachSegment(
            path: path, threads: options.threads, minimumParallelSize: options.parallelMinimumSize,
            segmentSize: options.segmentSize, carrierModules: signatures.carrierModules,
            work: { read -> (LogAnalysisBuilder, FileState)? in
                guard let part = try? LogAnalysisBuilder(options: partOptions, signatures: signatures) else { return nil }
                var partState = FileState(name: name)
                _ = try? read { ev in part.handle(ev, &partState) }
                return (part, partState)
            },
            merge: { partial, _, linesBefore in
                guard let (part, partState) = partial else { return }
                self.absorb(part, partState, into: &state, linesBefore: linesBefore)
            })
        guard let summary else { return false }
        finish(state, summary)
        return true
    }

    /// Adds the results of a builder that read the part of the same file after everything read so far.
    func absorb(_ part: LogAnalysisBuilder, _ ps: FileState, into s: inout FileState, linesBefore: Int) {
        let orderBefore = sequence
        func shifted(_ e: LogExample) -> LogExample {
            var e = e
            e.line += linesBefore
            e.order += orderBefore
            return e
        }
        s.events += ps.events
        for i in 0..<5 { s.levels[i] += ps.levels[i] }
        for i in 0..<8 { s.formats[i] += ps.formats[i] }
        s.unparsed += ps.unparsed
        if !ps.lastTime.isNone { s.lastTime = ps.lastTime }
        sequence += part.sequence
        analysis.filteredOut += part.analysis.filteredOut
        if !part.firstPacked.isNone {
            noteTime(part.firstPacked)
            noteTime(part.lastPacked)
        }
        if options.summary { sourceCounts.absorb(part.sourceCounts) }

        for (i, t) in part.analysis.templates.enumerated() {
            let key = part.templateTable.key(i), h = part.templateTable.hash(i)
            if let j = templateTable.find(key.baseAddress!, key.count, hash: h) {
                analysis.templates[j].count += t.count
            } else if templateTable.count < options.templateLimit {
                _ = templateTable.insert(key.baseAddress!, key.count, hash: h)
                var copy = t
                copy.example = shifted(t.example)
                analysis.templates.append(copy)
            } else {
                otherTemplates += t.count
            }
        }
        otherTemplates += part.otherTemplates

        for v in part.analysis.prosodyVersions where !analysis.prosodyVersions.contains(v) {
            analysis.prosodyVersions.append(v)
        }
        for (name, groups) in part.analysis.groups {
            // In order of first occurrence, as a single pass would have met them (the key limit depends on it).
            let ordered = groups.values.sorted { ($0.firstExample?.order ?? 0) < ($1.firstExample?.order ?? 0) }
            // Several groups of the part may land in "(other)": their examples are taken in event order.
            var otherExamples: [LogExample] = []
            defer {
                if !otherExamples.isEmpty, var other = analysis.groups[name]?["(other)"] {
                    otherExamples.sort { $0.order < $1.order }
                    for e in otherExamples where other.examples.count < options.exampleLimit { other.examples.append(e) }
                    analysis.groups[name]!["(other)"] = other
                }
            }
            for g in ordered {
                var key = g.key
                if analysis.groups[name]?[key] == nil, (analysis.groups[name]?.count ?? 0) >= options.keyLimit { key = "(other)" }
                let limit = options.exampleLimit
                if var existing = analysis.groups[name]?[key] {
                    if existing.count == 0 { existing.captures = g.captures }
                    existing.count += g.count
                    existing.signatureIDs.formUnion(g.signatureIDs)
                    if let t = g.firstTime, existing.firstTime.map({ LogTimestamp.earlier(t, $0) }) ?? true { existing.firstTime = t }
                    if let t = g.lastTime, existing.lastTime.map({ LogTimestamp.earlier($0, t) }) ?? true { existing.lastTime = t }
                    if key == "(other)" {
                        otherExamples += g.examples.map(shifted)
                    } else {
                        for e in g.examples where existing.examples.count < limit { existing.examples.append(shifted(e)) }
                    }
                    analysis.groups[name]![key] = existing
                } else {
                    var copy = g
                    copy.key = key
                    copy.examples = key == "(other)" ? [] : g.examples.map(shifted)
                    if key == "(other)" { otherExamples += g.examples.map(shifted) }
                    analysis.groups[name, default: [:]][key] = copy
                }
            }
        }
    }
}
