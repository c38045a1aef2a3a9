import Foundation

/// JSON forms of the model. (In progress.)
public enum ConfigurationJSON {
    public enum Style: Sendable {
        /// Same shape and value encoding as `shared/tools/prosody-oracle` (for differential tests).
        case oracle
        /// Our full form: every option with its provenance, plus files and problems.
        case full
    }

    public static func render(_ configuration: ProsodyConfiguration, style: Style) -> String {
        "{}"
    }
}
