import ArgumentParser
import Doctor
import Foundation
import ProsodyLog

extension LogFormat: ExpressibleByArgument {}

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Parse Prosody logs (files, '-' for stdin, .gz) into events, or into facts with --facts."
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Log files; '-' reads standard input. Gzip is detected by content.")
    var files: [String] = ["-"]

    @Option(name: .customLong("log-format"),
            help: "Input layout: auto, file, console, syslog, journald, docker or fragment.")
    var logFormat: LogFormat = .auto

    @Option(help: "Output: text, or json (one JSON object per line).")
    var format: OutputFormat = .text

    @Flag(help: "Print the facts found by the log signatures instead of the events.")
    var facts = false

    @Flag(help: "Print only counts (events by level and format, facts by signature).")
    var count = false

    @Option(help: "Year of the first event when timestamps have none (default: from the file's mtime).")
    var year: Int?

    @Option(help: "Signature catalogue (default: the built-in rules/log-signatures.yml).")
    var signatures: String?

    @Option(help: "Threads for --facts on large regular files (default: number of CPUs; 1 = sequential).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
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
        if failed { throw ExitCode(2) }
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
