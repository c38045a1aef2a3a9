import ArgumentParser
import Foundation
import JitsiToken

/// `prosody-doctor token`: would Prosody accept this Jitsi JWT? The logic lives in
/// `JitsiToken.TokenCheckRunner`; this only maps flags and prints.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Check a Jitsi Meet JWT the way Prosody's token auth would, offline.",
        discussion: """
        Decodes the token (secrets masked), applies Jitsi's rules in the library's order and stops at \
        the first failure with the reason Prosody logs. Exit status: 0 accepted, 1 rejected (or \
        undetermined), 2 usage error, 3 unreadable config or key file.
        """
    )

    @Argument(help: "The JWT, or - to read it from stdin. With --from-log: a log line, a log file, or -.")
    var input: String?

    @Option(help: "Prosody config file to take the token settings from.")
    var config: String?

    @Option(help: "The VirtualHost whose token settings apply (default: the one with authentication = \"token\").")
    var host: String?

    @Option(help: "Room to join: name, [tenant]name, tenant/name or room@conference.domain.")
    var room: String?

    @Option(help: "File holding app_secret (raw bytes; one trailing newline is dropped).")
    var secretFile: String?

    @Option(help: "RSA public key (PEM file, or PEM text) the key server would serve.")
    var publicKey: String?

    @Option(help: "Time to check against: seconds since the epoch or ISO 8601 (default: now).")
    var now: String?

    @Flag(help: "Read the token from Prosody log lines (Session token: …, Token … not allowed to join: …).")
    var fromLog = false

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    @Option(help: "jitsi-meet version whose rules apply: legacy (before 2022-04), 2022, 2024 or current (2026-05+).")
    var era: String = "current"

    @Option(help: "app_id (overrides the config).")
    var appId: String?

    @Option(help: "signature_algorithm (overrides the config).")
    var algorithm: String?

    @Option(help: "asap_accepted_issuers entry (repeatable; overrides the config).")
    var acceptedIssuer: [String] = []

    @Option(help: "asap_accepted_audiences entry (repeatable; overrides the config).")
    var acceptedAudience: [String] = []

    @Option(help: "enable_domain_verification: true or false (overrides the config).")
    var domainVerification: Bool?

    @Option(help: "allow_empty_token: true or false (overrides the config).")
    var allowEmptyToken: Bool?

    @Option(help: "Module on the conference MUC (repeatable; overrides the config), e.g. token_affiliation.")
    var mucModule: [String] = []

    @Option(help: "Whether jicofo authentication is enabled: true or false (unknown by default).")
    var jicofoAuth: Bool?

    func run() throws {
        // Usage errors exit with 2 (ArgumentParser's own parse errors keep its code).
        func usage(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            return ExitCode(2)
        }
        guard let input else { throw usage("missing the token (or - for stdin)") }
        guard let outputFormat = TokenOutputFormat(rawValue: format) else { throw usage("--format must be text or json") }
        guard let jitsiEra = JitsiEra(rawValue: era) else { throw usage("--era must be legacy, 2022, 2024 or current") }
        var request = TokenCheckRequest(input: input)
        request.era = jitsiEra
        request.fromLog = fromLog
        request.configPath = config
        request.host = host
        request.room = room
        request.secretFile = secretFile
        request.publicKey = publicKey
        request.now = now
        request.format = outputFormat
        request.appID = appId
        request.signatureAlgorithm = algorithm
        request.acceptedIssuers = acceptedIssuer
        request.acceptedAudiences = acceptedAudience
        request.enableDomainVerification = domainVerification
        request.allowEmptyToken = allowEmptyToken
        request.conferenceModules = mucModule
        request.jicofoAuthentication = jicofoAuth
        let output = TokenCheckRunner.run(request)
        if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
        if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }
}
