import ArgumentParser
import DeploymentFiles
import Doctor
import Foundation
import PasteAnalysis
import ProsodyConfig
import Reporting

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "One-shot diagnosis: of this server (no argument), of a copied tree (--root), or of a pasted blob (FILE or -).",
        discussion: """
        With a FILE or -, the input is a paste that may mix config, log, `prosodyctl about`
        output and prose: each part is analysed and every finding points at the line of the
        paste. The report lists root causes first, each with the findings it explains,
        then the rest by severity. Use --format markdown for a reply to paste into a forum.
        """
    )

    @Argument(help: "A pasted blob (file, or - for standard input). Without it, the installation is discovered.")
    var paste: String?

    @Option(help: "Run the discovery under this directory instead of / (for copied trees).")
    var root: String?

    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("prosody-version"), help: "Prosody release (default: read from the paste or the installation, else 0.12).")
    var prosodyRelease: ProsodyRelease?

    func run() throws {
        let resolvedFormat = try output.resolvedFormat(project: ProjectConfiguration())
        let result: DiagnosisInput
        do {
            if let paste {
                if root != nil { throw ValidationError("--root discovers an installation; it does not go with a pasted blob") }
                result = try PasteDiagnosis.load(paste, release: prosodyRelease)
            } else {
                result = try InstallationDiagnosis.load(root: root, release: prosodyRelease)
            }
        } catch let error as UnreadableInput {
            throw UserFacingError(message: error.message, status: ExitStatus.unreadable)
        }
        let findings = Engine().runCorrelated(result.context)
        let report = Report(findings: findings, sources: result.context.sources, files: result.files)
            .displayingPaths(relativeTo: FileManager.default.currentDirectoryPath)
        let diagnosis = Diagnosis(findings: report.findings)
        print(DiagnosisReporter(format: resolvedFormat, color: output.useColor && resolvedFormat == .text)
            .render(diagnosis, report: report, header: result.notes), terminator: "")
        for (extraFormat, path) in try output.extraOutputs() {
            try writeAtomically(DiagnosisReporter(format: extraFormat).render(diagnosis, report: report, header: result.notes), to: path)
        }
        throw ExitCode(exitStatus(for: findings, failLevel: .error))
    }
}

