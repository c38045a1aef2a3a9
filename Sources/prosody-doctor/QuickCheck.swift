import Reporting

/// The common invocation `check [--format FORMAT] FILE...` without swift-argument-parser.
///
/// Parsing with ArgumentParser reflects over every command and option type (Mirror,
/// generic metadata and protocol-conformance scans of the whole binary): about 2 ms, more
/// than loading and checking a typical config. This recognises only that plain form and
/// gives the request ArgumentParser's parse would; anything else (other flags,
/// `--format=x`, `-` for standard input, `help`, an unknown format) returns nil and goes
/// through ArgumentParser, so its errors, help and validation stay its own.
enum QuickCheck {
    static func request(_ arguments: ArraySlice<String>) -> CheckRequest? {
        guard arguments.first == "check" else { return nil }
        var format: OutputFormat?
        var paths: [String] = []
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument == "--format" {
                // ArgumentParser reads an enum value by its raw value.
                guard format == nil, let value = rest.popFirst(), let parsed = OutputFormat(rawValue: value) else { return nil }
                format = parsed
            } else if argument.isEmpty || argument.hasPrefix("-") || argument == "help" {
                return nil
            } else {
                paths.append(argument)
            }
        }
        guard !paths.isEmpty else { return nil }
        var request = CheckRequest(paths: paths)
        request.output.format = format
        return request
    }
}
