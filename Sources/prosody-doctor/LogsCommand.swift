import ArgumentParser
import Doctor
import Foundation
import ProsodyLog
import Reporting

extension LogFormat: ExpressibleByArgument {}

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Analyse Prosody logs (files, '-' for stdin, .gz): findings plus a summary; --events or --facts for the raw layers.",
        discussion: """
        Exit status: 0 when no finding is an error, 1 when one is, 2 for a usage error, 3 when a log cannot be read.
        """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Log files; '-' reads standard input. Gzip is detected by content.")
    var files: [String] = ["-"]

    @Option(name: .customLong("log-format"),
            help: "Input layout: auto, file, console, syslog, journald, docker or fragment.")
    var logFormat: LogFormat = .auto

    @Option(help: "Output: text, or json (findings and summary as one object; one object per line with --events/--facts).")
    var format: OutputFormat = .text

    @Flag(help: "Print the events instead of the findings and summary.")
    var events = false

    @Flag(help: "Print the facts found by the log signatures instead of the findings and summary.")
    var facts = false

    @Flag(help: "With --events or --facts: print only counts (events by level and format, facts by signature).")
    var count = false

    @Option(help: "Only events at or after this time (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], MM-DD HH:MM when the log has no year).")
    var since: String?

    @Option(help: "Only events at or before this time (same forms as --since; a date alone means the end of that day).")
    var until: String?

    @Option(help: "Templates shown in the text summary.")
    var top: Int = 15

    @Flag(help: "Findings only, no summary (faster: no template clustering).")
    var noSummary = false

    @Option(help: "Year of the first event when timestamps have none (default: from the file's mtime).")
    var year: Int?

    @Option(help: "Signature catalogue (default: the built-in rules/log-signatures.yml).")
    var signatures: String?

    @Option(help: "Threads for large regular files (default: number of CPUs; 1 = sequential).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if events && facts { throw ValidationError("--events and --facts exclude each other") }
        if files == ["-"] && isatty(0) != 0 { throw ValidationError("give log files, or pipe a log into '-'") }
        if let since, LogTime.parse(since, endOfDay: false) == nil { throw ValidationError("--since: cannot read '\(since)' as a time") }
        if let until, LogTime.parse(until, endOfDay: true) == nil { throw ValidationError("--until: cannot read '\(until)' as a time") }
    }

    func run() throws {
        if !events && !facts { return try runAnalysis() }
        try runRaw()
    }

    /// Findings plus the lnav-style summary.
    func runAnalysis() throws {
        var options = LogAnalysisOptions()
        options.reader = LogReaderOptions(format: logFormat, year: year)
        options.reader.inferYearFromModificationTime = year == nil
        options.since = since.flatMap { LogTime.parse($0, endOfDay: false) }
        options.until = until.flatMap { LogTime.parse($0, endOfDay: true) }
        options.threads = max(1, threads)
        options.summary = !noSummary
        let signatureSet = try signatures.map { try SignatureSet(yaml: try Self.signatureYAML(path: $0)) }
        let analysis = try LogInput.analyse(files, options: options, signatures: signatureSet)
        var context = AnalysisContext(configuration: nil)
        context.logs = analysis
        context.sources.addLogLines(analysis.allExamples)
        let findings = Engine().runCorrelated(context)
        let report = Report(findings: findings, sources: context.sources, files: analysis.files.map(\.name))
        if format == .json {
            var out = "{\"report\":" + Reporter.render(report, format: .json).trimmingCharacters(in: .whitespacesAndNewlines)
            if !noSummary { out += ",\"summary\":" + LogSummaryRenderer.json(analysis) }
            print(out + "}")
        } else {
            print(Reporter.render(report, format: .text), terminator: "")
            if !noSummary { print("\n" + LogSummaryRenderer.text(analysis, top: top), terminator: "") }
        }
        throw ExitCode(findings.contains { $0.severity >= .error } ? ExitStatus.findings : ExitStatus.clean)
    }

    func runRaw() throws {
        var options = LogReaderOptions(format: logFormat, year: year)
        options.inferYearFromModificationTime = year == nil
        let reader = LogReader(options: options)
        let out = OutputBuffer()
        var signatureSet: SignatureSet? = nil
        if facts {
            signatureSet = try SignatureSet(yaml: try Self.signatureYAML(path: signatures))
        }
        var factCounts: [String: Int] = [:]
        // Property-wrapper reads are slow on the per-event path: copy them.
        let countOnly = count, json = format == .json
        var totalEvents = 0
        var levelTotals = [0, 0, 0, 0, 0]
        var failed = false
        for file in files {
            let summary: LogReadSummary
            do {
                if let signatureSet {
                    summary = try reader.readFacts(path: file, signatures: signatureSet, threads: threads) { fact in
                        if countOnly { factCounts[fact.signatureID, default: 0] += 1 } else { Self.write(fact, file: file, to: out, json: json) }
                    }
                } else if countOnly {
                    summary = try reader.read(path: file) { _ in }
                } else {
                    summary = try reader.read(path: file) { ev in Self.write(ev.makeEvent(), file: file, to: out, json: json) }
                }
            } catch {
                FileHandle.standardError.write(Data("prosody-doctor: \(error)\n".utf8))
                failed = true
                continue
            }
            totalEvents += summary.events
            for i in 0..<5 { levelTotals[i] += summary.levelCounts[i] }
            for issue in summary.issues {
                FileHandle.standardError.write(Data("prosody-doctor: warning: \(issue)\n".utf8))
            }
            if count {
                let formats = summary.formatCounts.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " ")
                out.append("\(file): \(summary.bytes) bytes, \(summary.lines) lines, \(summary.events) events "
                           + "(debug=\(summary.levelCounts[0]) info=\(summary.levelCounts[1]) warn=\(summary.levelCounts[2]) "
                           + "error=\(summary.levelCounts[3]) unknown=\(summary.levelCounts[4])), "
                           + "\(summary.continuationLines) continuation lines; formats: \(formats)\n")
            }
        }
        if count, facts {
            for (id, n) in factCounts.sorted(by: { $0.key < $1.key }) { out.append("\(id)\t\(n)\n") }
        }
        out.flush()
        if failed { throw ExitCode(ExitStatus.unreadable) }
    }

    /// The signature catalogue: --signatures FILE, else $PROSODY_DOCTOR_LOG_SIGNATURES,
    /// else the rules/log-signatures.yml embedded in the binary.
    static func signatureYAML(path: String?) throws -> String {
        if let path = path ?? ProcessInfo.processInfo.environment["PROSODY_DOCTOR_LOG_SIGNATURES"] {
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        guard let text = RuleCatalogue.embeddedFile(named: "log-signatures.yml") else {
            throw ValidationError("this build has no embedded log signatures; pass --signatures rules/log-signatures.yml")
        }
        return text
    }

    static func write(_ e: LogEvent, file: String, to out: OutputBuffer, json: Bool) {
        if json {
            out.append("{\"file\":"); out.appendJSON(file)
            out.append(",\"line\":\(e.lines.lowerBound),\"lastLine\":\(e.lines.upperBound)")
            out.append(",\"format\":\"\(e.format.rawValue)\"")
            if let t = e.time { out.append(",\"time\":"); out.appendJSON(t.description) }
            if let l = e.level { out.append(",\"level\":\"\(l.name)\"") }
            if let s = e.source {
                out.append(",\"source\":"); out.appendJSON(s.raw)
                if let h = s.host { out.append(",\"host\":"); out.appendJSON(h) }
                if let m = s.module { out.append(",\"module\":"); out.appendJSON(m) }
                if let se = s.session {
                    out.append(",\"session\":{\"kind\":\"\(se.kind.rawValue)\",\"id\":"); out.appendJSON(se.id); out.append("}")
                }
            }
            if let m = e.machine { out.append(",\"machine\":"); out.appendJSON(m) }
            if let p = e.pid { out.append(",\"pid\":\(p)") }
            if let c = e.container { out.append(",\"container\":"); out.appendJSON(c) }
            if !e.flags.isEmpty { out.append(",\"flags\":\(e.flags.rawValue)") }
            out.append(",\"message\":"); out.appendJSON(e.message)
            out.append("}\n")
        } else {
            let lines = e.lines.count > 1 ? "\(e.lines.lowerBound)-\(e.lines.upperBound)" : "\(e.lines.lowerBound)"
            out.append("\(lines)\t\(e.time?.description ?? "-")\t\(e.level?.name ?? "-")\t\(e.source?.raw ?? "-")\t")
            out.append(e.message.replacingOccurrences(of: "\n", with: "\n\t\t\t\t"))
            out.append("\n")
        }
    }

    static func write(_ f: LogFact, file: String, to out: OutputBuffer, json: Bool) {
        if json {
            out.append("{\"file\":"); out.appendJSON(file)
            out.append(",\"signature\":\"\(f.signatureID)\",\"fact\":\"\(f.fact)\",\"line\":\(f.line)")
            if let t = f.time { out.append(",\"time\":"); out.appendJSON(t.description) }
            if let l = f.level { out.append(",\"level\":\"\(l.name)\"") }
            if let s = f.source { out.append(",\"source\":"); out.appendJSON(s) }
            out.append(",\"captures\":{")
            var first = true
            for (k, v) in f.captures.sorted(by: { $0.key < $1.key }) {
                if !first { out.append(",") }
                first = false
                out.appendJSON(k); out.append(":"); out.appendJSON(v)
            }
            out.append("},\"message\":"); out.appendJSON(f.message)
            out.append("}\n")
        } else {
            let caps = f.captures.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            out.append("\(file):\(f.line)\t\(f.time?.description ?? "-")\t\(f.signatureID)\t\(f.fact)\t\(caps)\n")
        }
    }
}

/// Buffered stdout.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(1 << 17) }

    func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }

    func appendJSON(_ s: String) {
        bytes.append(34)
        for c in s.utf8 {
            switch c {
            case 34: bytes.append(92); bytes.append(34)
            case 92: bytes.append(92); bytes.append(92)
            case 10: bytes.append(92); bytes.append(110)
            case 13: bytes.append(92); bytes.append(114)
            case 9: bytes.append(92); bytes.append(116)
            case 0..<32, 127:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(c >> 4)]); bytes.append(hex[Int(c & 15)])
            default: bytes.append(c)
            }
        }
        bytes.append(34)
    }

    func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Foundation.write(1, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { if errno == EINTR { continue }; break }
                off += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Reading logs for `logs` and `check --log`: an unreadable file is exit status 3.
enum LogInput {
    static func analyse(_ paths: [String], options: LogAnalysisOptions = LogAnalysisOptions(),
                        signatures: SignatureSet? = nil) throws -> LogAnalysis {
        let builder = try LogAnalysisBuilder(options: options, signatures: signatures)
        for path in paths {
            do { try builder.add(path: path) } catch {
                throw UserFacingError(message: "\(error)", status: ExitStatus.unreadable)
            }
        }
        let analysis = builder.build()
        for file in analysis.files {
            for issue in file.issues { FileHandle.standardError.write(Data("prosody-doctor: warning: \(issue)\n".utf8)) }
        }
        return analysis
    }
}

/// `--since` / `--until` values.
enum LogTime {
    static func parse(_ text: String, endOfDay: Bool) -> LogTimestamp? {
        let pattern = #"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"#
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> Int? {
            guard let r = Range(m.range(at: i), in: text) else { return nil }
            return Int(text[r])
        }
        guard (1...12).contains(group(2)!), (1...31).contains(group(3)!), (group(4) ?? 0) < 24, (group(5) ?? 0) < 60, (group(6) ?? 0) < 61 else { return nil }
        return LogTimestamp(year: group(1), month: group(2)!, day: group(3)!,
                            hour: group(4) ?? (endOfDay ? 23 : 0), minute: group(5) ?? (endOfDay ? 59 : 0),
                            second: group(6) ?? (endOfDay ? 59 : 0),
                            nanosecond: endOfDay ? 999_999_999 : 0)
    }
}
