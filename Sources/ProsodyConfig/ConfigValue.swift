import LuaSyntax

/// A configuration value as Prosody's configmanager would store it.
/// Values that cannot be known statically are `.dynamic` with the reason; they are
/// never guessed.
///
/// Not `indirect` as a whole: strings, numbers and booleans are stored inline (a big config
/// has hundreds of thousands of values, and a box each would be an allocation and a pointer
/// to follow); only the rare, large `function` payload is boxed.
public enum ConfigValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case table(ConfigTable)
    /// A Lua function value (a few options accept callbacks); where it was written.
    indirect case function(SourceLocation)
    /// Not statically known (environment-dependent call, RunScript, ...).
    case dynamic(reason: String)

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    public var tableValue: ConfigTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    public var isDynamic: Bool {
        if case .dynamic = self { return true }
        return false
    }

    /// Lua truthiness (everything but false/nil is true); nil for dynamic values.
    public var isTruthy: Bool? {
        switch self {
        case .boolean(let b): return b
        case .dynamic: return nil
        default: return true
        }
    }

    /// The strings of a list value, read the way Prosody reads module lists
    /// (`ipairs`: the array part up to the first hole). A single string is *not* a list.
    public var stringList: [String]? {
        guard case .table(let t) = self else { return nil }
        return t.arrayValues.compactMap(\.stringValue)
    }
}

/// An ordered Lua table: entries keep the order they were written in.
public struct ConfigTable: Sendable, Hashable {
    public var entries: [Entry]

    public struct Entry: Sendable, Hashable {
        public var key: ConfigValue
        public var value: ConfigValue
        public init(key: ConfigValue, value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Values at keys 1, 2, 3... up to the first missing index (Lua `ipairs`).
    public var arrayValues: [ConfigValue] {
        // The usual list `{ "a"; "b" }`: keys are exactly 1...n in order, each key once, so
        // every lookup below would find its own entry (one pass instead of one scan a key).
        var sequential = true
        for index in entries.indices {
            guard case .integer(let key) = entries[index].key, key == Int64(index) + 1 else {
                sequential = false
                break
            }
        }
        if sequential { return entries.map(\.value) }
        var result: [ConfigValue] = []
        var index: Int64 = 1
        while let v = self[.integer(index)] {
            result.append(v)
            index += 1
        }
        return result
    }

    /// True when the keys are exactly 1...n (an empty table counts as a list).
    public var isList: Bool { arrayValues.count == entries.count }

    public subscript(key: ConfigValue) -> ConfigValue? {
        entries.last(where: { $0.key == key })?.value
    }

    public subscript(key: String) -> ConfigValue? { self[.string(key)] }
}
