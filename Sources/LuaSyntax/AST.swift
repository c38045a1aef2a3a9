/// The Lua abstract syntax tree. Every node carries its exact source range.
/// The tree is plain values (`Sendable`) so later stages can share it freely.

public struct Chunk: Sendable {
    public var block: Block
    public init(block: Block) { self.block = block }
}

public struct Block: Sendable {
    public var statements: [Statement]
    public var range: SourceRange
    public init(statements: [Statement], range: SourceRange) {
        self.statements = statements
        self.range = range
    }
}

public struct Statement: Sendable {
    public var kind: StatementKind
    public var range: SourceRange
    public init(_ kind: StatementKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// Only the cases whose payload holds a node, or is large, are boxed (`indirect`): the common
/// statements (`name = value`, a call) then cost no extra allocation, which a config of
/// megabytes, with a statement on every line, notices.
public enum StatementKind: Sendable {
    /// A function or method call used as a statement (`Include "x"`, `VirtualHost "h" {...}`).
    indirect case call(Expression)
    /// `a, b.c, d[e] = x, y`
    case assignment(targets: [Expression], values: [Expression])
    /// `local a <const>, b = x`
    case local(names: [LocalName], values: [Expression])
    /// `local function f(...) ... end`
    indirect case localFunction(name: Identifier, body: FunctionBody)
    /// `function a.b.c:m(...) ... end`
    indirect case function(name: FunctionName, body: FunctionBody)
    indirect case doBlock(Block)
    indirect case whileLoop(condition: Expression, body: Block)
    indirect case repeatLoop(body: Block, condition: Expression)
    indirect case ifStatement(clauses: [ConditionalBlock], elseBlock: Block?)
    indirect case numericFor(variable: Identifier, start: Expression, limit: Expression, step: Expression?, body: Block)
    indirect case genericFor(variables: [Identifier], expressions: [Expression], body: Block)
    case returnStatement([Expression])
    case breakStatement
    indirect case gotoStatement(Identifier)
    indirect case label(Identifier)
    /// A stretch of source the parser skipped while recovering from a syntax error.
    case invalid
}

public struct Identifier: Sendable, Hashable {
    public var name: String
    public var range: SourceRange
    public init(_ name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

public struct LocalName: Sendable {
    public var name: Identifier
    /// `const` or `close` (Lua 5.4 attribs), nil when absent.
    public var attribute: String?
    public init(name: Identifier, attribute: String?) {
        self.name = name
        self.attribute = attribute
    }
}

public struct FunctionName: Sendable {
    /// `a.b.c` in `function a.b.c:m()`.
    public var path: [Identifier]
    /// `m` in `function a.b.c:m()`.
    public var method: Identifier?
    public init(path: [Identifier], method: Identifier?) {
        self.path = path
        self.method = method
    }
}

public struct ConditionalBlock: Sendable {
    public var condition: Expression
    public var body: Block
    public init(condition: Expression, body: Block) {
        self.condition = condition
        self.body = body
    }
}

public struct FunctionBody: Sendable {
    public var parameters: [Identifier]
    public var isVariadic: Bool
    public var body: Block
    /// From `function` (or the parameter list for `local function`) to `end`.
    public var range: SourceRange
    public init(parameters: [Identifier], isVariadic: Bool, body: Block, range: SourceRange) {
        self.parameters = parameters
        self.isVariadic = isVariadic
        self.body = body
        self.range = range
    }
}

public struct Expression: Sendable {
    public var kind: ExpressionKind
    public var range: SourceRange
    public init(_ kind: ExpressionKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// Literals and names are stored inline; the cases holding other expressions (or a function
/// body) are boxed (`indirect`), as they must be.
public enum ExpressionKind: Sendable {
    case nilLiteral
    case trueLiteral
    case falseLiteral
    /// `...`
    case vararg
    case number(LuaNumber)
    case string(LuaString)
    indirect case function(FunctionBody)
    case table([TableField])
    indirect case binary(BinaryOperator, Expression, Expression)
    indirect case unary(UnaryOperator, Expression)
    case name(String)
    /// `a[b]`; `a.b` is `index(a, string "b")` with `isDotted` true.
    indirect case index(Expression, key: Expression, isDotted: Bool)
    /// `f(args)`, `f "s"`, `f {t}`.
    indirect case call(Expression, arguments: [Expression], style: CallStyle)
    /// `o:m(args)`
    indirect case methodCall(Expression, method: Identifier, arguments: [Expression], style: CallStyle)
    /// `(e)`: truncates multiple results to one.
    indirect case parenthesized(Expression)
    /// Placeholder where the parser could not read an expression.
    case invalid
}

/// How a call's arguments were written: `f(a)`, `f "s"` or `f {t}`.
public enum CallStyle: Sendable, Hashable {
    case parentheses
    case stringArgument
    case tableArgument
}

public enum LuaNumber: Sendable, Hashable {
    case integer(Int64)
    case float(Double)
}

/// A Lua string: a byte string, not necessarily valid UTF-8.
public struct LuaString: Sendable, Hashable {
    public var bytes: [UInt8]
    /// `[[...]]` / `[==[...]==]` form.
    public var isLong: Bool
    public init(bytes: [UInt8], isLong: Bool) {
        self.bytes = bytes
        self.isLong = isLong
    }
    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

public struct TableField: Sendable {
    public var kind: TableFieldKind
    public var range: SourceRange
    public init(_ kind: TableFieldKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public enum TableFieldKind: Sendable {
    /// `exp` (the next array slot)
    case positional(Expression)
    /// `name = exp`
    case named(Identifier, Expression)
    /// `[key] = exp`
    case keyed(key: Expression, value: Expression)
}

public enum BinaryOperator: String, Sendable, Hashable {
    case or, and
    case less = "<", greater = ">", lessEqual = "<=", greaterEqual = ">=", notEqual = "~=", equal = "=="
    case bitOr = "|", bitXor = "~", bitAnd = "&", shiftLeft = "<<", shiftRight = ">>"
    case concat = ".."
    case add = "+", subtract = "-"
    case multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
    case power = "^"
}

public enum UnaryOperator: String, Sendable, Hashable {
    case not, negate = "-", length = "#", bitNot = "~"
}
