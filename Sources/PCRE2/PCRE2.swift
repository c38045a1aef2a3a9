import CPCRE2
import Foundation

/// A compile error with the byte offset into the pattern where PCRE2 stopped.
public struct PCRE2Error: Error, CustomStringConvertible, Equatable, Sendable {
    public let code: Int32
    /// Byte offset into `pattern` at which the error was detected.
    public let offset: Int
    public let message: String
    public let pattern: String

    public var description: String {
        "invalid regular expression at offset \(offset): \(message) (pattern: \(pattern))"
    }
}

/// Compile options (a subset of PCRE2's).
public struct PCRE2Options: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let caseless = PCRE2Options(rawValue: UInt32(PCRE2_CASELESS))
    public static let multiline = PCRE2Options(rawValue: UInt32(PCRE2_MULTILINE))
    public static let dotAll = PCRE2Options(rawValue: UInt32(PCRE2_DOTALL))
    public static let extended = PCRE2Options(rawValue: UInt32(PCRE2_EXTENDED))
    public static let anchored = PCRE2Options(rawValue: UInt32(PCRE2_ANCHORED))
    /// Treat the pattern and subjects as UTF-8. Subjects are checked unless `noUTFCheck`.
    public static let utf = PCRE2Options(rawValue: UInt32(PCRE2_UTF))
    /// Unicode properties for \d, \w etc. (implies nothing without `utf`).
    public static let ucp = PCRE2Options(rawValue: UInt32(PCRE2_UCP))
    /// Skip the UTF validity check of subjects (only with `utf`; invalid input is then undefined).
    public static let noUTFCheck = PCRE2Options(rawValue: UInt32(PCRE2_NO_UTF_CHECK))
}

/// One successful match. Offsets are byte offsets into the subject that was searched.
public struct PCRE2Match: Sendable {
    /// Byte range of each group; index 0 is the whole match. `nil` for groups that did not take part.
    public let ranges: [Range<Int>?]
    /// Text of each group (invalid UTF-8 repaired with U+FFFD).
    public let groups: [String?]
    let names: [String: Int]

    public var range: Range<Int> { ranges[0]! }
    public var text: String { groups[0] ?? "" }

    public subscript(index: Int) -> String? {
        index >= 0 && index < groups.count ? groups[index] : nil
    }

    public subscript(name: String) -> String? {
        guard let index = names[name] else { return nil }
        return self[index]
    }

    public func range(named name: String) -> Range<Int>? {
        guard let index = names[name], index < ranges.count else { return nil }
        return ranges[index]
    }

    /// All named groups that took part in the match.
    public var namedGroups: [String: String] {
        var out: [String: String] = [:]
        for (name, index) in names {
            if let value = self[index] { out[name] = value }
        }
        return out
    }
}

/// A compiled PCRE2 (8-bit) pattern, JIT-compiled when the library supports it.
///
/// Immutable after creation and safe to share between threads: match data blocks are taken
/// from a small per-pattern pool under a lock, so concurrent matches never share one.
public final class PCRE2Pattern: @unchecked Sendable {
    public let pattern: String
    public let options: PCRE2Options
    /// True when the JIT compiler accepted the pattern.
    public let isJIT: Bool
    /// Number of capture groups (excluding group 0).
    public let captureCount: Int
    /// Group names to group numbers.
    public let groupNames: [String: Int]
    /// The same as a list (iterated per match).
    private let namedGroupList: [(String, Int)]

    private let code: OpaquePointer
    private let matchOptions: UInt32
    private let lock = NSLock()
    private var pool: [OpaquePointer] = []

    /// `jit: false` skips the JIT compiler: for a pattern run on a few short lines, compiling
    /// machine code (~0.1 ms) costs more than it saves. Matches are the same either way.
    public init(compiling pattern: String, options: PCRE2Options = [], jit: Bool = true) throws {
        self.pattern = pattern
        self.options = options
        let compileOptions = options.subtracting(.noUTFCheck).rawValue
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = pattern.utf8CString.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buf.count) { p in
                pcre2_compile_8(p, buf.count - 1, compileOptions, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PCRE2Error(code: errorCode, offset: errorOffset,
                             message: PCRE2Pattern.errorMessage(errorCode), pattern: pattern)
        }
        code = compiled
        isJIT = jit && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        matchOptions = options.contains(.noUTFCheck) ? UInt32(PCRE2_NO_UTF_CHECK) : 0

        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)

        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_NAMETABLE), &table)
        var names: [String: Int] = [:]
        if let table, nameCount > 0 {
            for i in 0..<Int(nameCount) {
                let entry = table + i * Int(entrySize)
                let number = Int(entry[0]) << 8 | Int(entry[1])
                let name = String(cString: entry + 2)
                names[name] = number
            }
        }
        groupNames = names
        namedGroupList = names.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
    }

    deinit {
        for md in pool { pcre2_match_data_free_8(md) }
        pcre2_code_free_8(code)
    }

    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(code)"
    }

    private func takeMatchData() -> OpaquePointer {
        lock.lock()
        if let md = pool.popLast() { lock.unlock(); return md }
        lock.unlock()
        return pcre2_match_data_create_from_pattern_8(code, nil)!
    }

    private func giveBack(_ md: OpaquePointer) {
        lock.lock()
        if pool.count < 8 { pool.append(md); lock.unlock() } else { lock.unlock(); pcre2_match_data_free_8(md) }
    }

    /// Runs the pattern; returns the raw return code and calls `body` with the ovector on success.
    /// With `scratch` (owned by one thread) no match data is taken from the shared pool.
    private func run<R>(_ subject: UnsafeRawBufferPointer, from start: Int, scratch: PCRE2MatchScratch? = nil,
                        _ body: (UnsafeMutablePointer<Int>, Int) -> R) -> R? {
        let md: OpaquePointer
        if let scratch, scratch.capacity > captureCount {
            md = scratch.data
        } else {
            md = takeMatchData()
        }
        defer { if md != scratch?.data { giveBack(md) } }
        // An empty buffer may have a nil base address; PCRE2 accepts any non-null pointer for length 0.
        var dummy: UInt8 = 0
        let rc: Int32 = withUnsafeMutablePointer(to: &dummy) { dp in
            let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(dp)
            // The JIT fast path skips the checks pcre2_match does on every call.
            return isJIT ? pcre2_jit_match_8(code, base, subject.count, start, matchOptions, md, nil)
                         : pcre2_match_8(code, base, subject.count, start, matchOptions, md, nil)
        }
        guard rc > 0 else { return nil }  // PCRE2_ERROR_NOMATCH or an error: treated as no match
        let ovector = pcre2_get_ovector_pointer_8(md)!
        return body(ovector, Int(rc))
    }

    /// True if the pattern matches somewhere in `subject` (no captures are copied).
    public func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
        run(subject, from: 0) { _, _ in true } ?? false
    }

    public func matches(_ subject: String) -> Bool {
        var s = subject
        return s.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// The first match at or after byte offset `start`.
    public func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int = 0,
                           scratch: PCRE2MatchScratch? = nil) -> PCRE2Match? {
        guard start <= subject.count else { return nil }
        let groupCount = captureCount + 1
        return run(subject, from: start, scratch: scratch) { ovector, _ in
            var ranges: [Range<Int>?] = []
            var groups: [String?] = []
            ranges.reserveCapacity(groupCount)
            groups.reserveCapacity(groupCount)
            let unset = -1  // PCRE2_UNSET, ~(size_t)0
            for i in 0..<groupCount {
                let lo = ovector[2 * i], hi = ovector[2 * i + 1]
                if lo == unset || hi == unset || lo > hi {
                    ranges.append(nil); groups.append(nil)
                } else {
                    ranges.append(lo..<hi)
                    groups.append(String(decoding: UnsafeRawBufferPointer(rebasing: subject[lo..<hi]), as: UTF8.self))
                }
            }
            return PCRE2Match(ranges: ranges, groups: groups, names: groupNames)
        }
    }

    /// Where the first match starts and the text of its named groups that took part: what a log
    /// signature keeps, without the arrays of `firstMatch`.
    public func firstMatchNamedGroups(in subject: UnsafeRawBufferPointer,
                                      scratch: PCRE2MatchScratch? = nil) -> (start: Int, groups: [String: String])? {
        let names = namedGroupList
        return run(subject, from: 0, scratch: scratch) { ovector, _ in
            var groups: [String: String] = [:]
            groups.reserveCapacity(names.count)
            let unset = -1
            for (name, index) in names {
                let lo = ovector[2 * index], hi = ovector[2 * index + 1]
                if lo != unset, hi != unset, lo <= hi {
                    groups[name] = String(decoding: UnsafeRawBufferPointer(rebasing: subject[lo..<hi]), as: UTF8.self)
                }
            }
            return (ovector[0], groups)
        }
    }

    public func firstMatch(in subject: [UInt8], from start: Int = 0) -> PCRE2Match? {
        subject.withUnsafeBytes { firstMatch(in: $0, from: start) }
    }

    /// Offsets in the result are UTF-8 byte offsets from the start of `subject`.
    public func firstMatch(in subject: Substring, from start: Int = 0) -> PCRE2Match? {
        var s = subject
        return s.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0), from: start) }
    }

    public func firstMatch(in subject: String, from start: Int = 0) -> PCRE2Match? {
        var s = subject
        return s.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0), from: start) }
    }

    /// All non-overlapping matches, left to right.
    public func allMatches(in subject: UnsafeRawBufferPointer) -> [PCRE2Match] {
        var out: [PCRE2Match] = []
        var start = 0
        while start <= subject.count, let m = firstMatch(in: subject, from: start) {
            out.append(m)
            start = m.range.isEmpty ? m.range.upperBound + 1 : m.range.upperBound
        }
        return out
    }

    public func allMatches(in subject: String) -> [PCRE2Match] {
        var s = subject
        return s.withUTF8 { allMatches(in: UnsafeRawBufferPointer($0)) }
    }
}

/// Match data owned by one thread, for code that runs many patterns per second (the log signatures):
/// matching with it takes no lock. Holds `capacity - 1` capture groups.
public final class PCRE2MatchScratch {
    let data: OpaquePointer
    let capacity: Int

    public init(groups: Int) {
        capacity = groups + 1
        data = pcre2_match_data_create_8(UInt32(capacity), nil)!
    }

    deinit { pcre2_match_data_free_8(data) }
}

