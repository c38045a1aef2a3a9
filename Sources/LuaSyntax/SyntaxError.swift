/// A syntax error, worded like `luac`'s (`'}' expected (to close '{' at line 1) near 'VirtualHost'`).
public struct SyntaxError: Error, Sendable, Hashable {
    /// The message without location, as luac prints it after `file:line:`.
    public var message: String
    /// Where the offending token is (luac reports its line).
    public var range: SourceRange
    public init(message: String, range: SourceRange) {
        self.message = message
        self.range = range
    }
    public var line: Int { range.start.line }
}

/// The result of parsing one source text: the tree (with recovered parts after
/// errors) and every error met, the first of which is the one luac reports.
public struct ParseResult: Sendable {
    public var chunk: Chunk
    public var errors: [SyntaxError]
    public init(chunk: Chunk, errors: [SyntaxError]) {
        self.chunk = chunk
        self.errors = errors
    }
}
