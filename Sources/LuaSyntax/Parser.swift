/// Entry point of the Lua front end. (Implementation in progress.)
public enum LuaParser {
    /// Parses `source` (raw bytes, any encoding) and never throws: errors are collected
    /// and the parser resynchronises so later statements are still returned.
    public static func parse(_ source: [UInt8]) -> ParseResult {
        let origin = SourcePosition(offset: 0, line: 1, column: 1)
        let range = SourceRange(start: origin, end: origin)
        return ParseResult(chunk: Chunk(block: Block(statements: [], range: range)), errors: [])
    }

    public static func parse(_ source: String) -> ParseResult {
        parse(Array(source.utf8))
    }
}
