import Foundation

/// lnav-style message templates: variable parts masked.
public enum LogTemplates {
    public static func mask(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { mask(UnsafeRawBufferPointer($0)) }
    }

    /// Quoted strings become `'…'`, words with a digit `<*>`, JIDs/emails `<jid>`; the rest is kept.
    public static func mask(_ b: UnsafeRawBufferPointer) -> String {
        String(decoding: maskBytes(b), as: UTF8.self)
    }

    /// The template as bytes (the reference: one token at a time).
    static func maskBytes(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        guard let base = b.baseAddress, b.count > 0 else { return [] }
        let n = b.count
        return [UInt8](unsafeUninitializedCapacity: n * maxExpansion + 8) { buffer, initialized in
            var w = TemplateWriter(out: buffer.baseAddress!)
            let p = base.assumingMemoryBound(to: UInt8.self)
            var i = 0
            while i < n { i = step(p, n, i, &w) }
            initialized = w.count
        }
    }

    /// The most output bytes per input byte (a one-byte JID word becomes `<jid>`).
    static let maxExpansion = 5

    /// The template into `w` (capacity `n * maxExpansion + 8`): the same bytes as `maskBytes`, but runs
    /// without digits, `@` or quotes, which are kept as they are, are skipped eight bytes at a time.
    @inline(__always)
    static func mask(_ p: UnsafePointer<UInt8>, _ n: Int, into w: inout TemplateWriter) {
        var i = 0
        while i < n {
            var k = i
            while k + 8 <= n, !hasSpecialByte(UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)) { k += 8 }
            while k < n, !isSpecial(p[k]) { k += 1 }
            if k >= n {
                w.append(p + i, n - i)
                return
            }
            // Back to the start of the token holding the special byte: tokens before it are kept verbatim.
            var start = k
            while start > i, !isDelimiter(p[start - 1]) { start -= 1 }
            if start > i { w.append(p + i, start - i) }
            i = start
            while i <= k { i = step(p, n, i, &w) }
        }
    }

    /// Digits, `@` and quotes: the only bytes that make a token differ from its template.
    @inline(__always) static func isSpecial(_ c: UInt8) -> Bool {
        c &- 48 < 10 || c == 64 || c == 39 || c == 34
    }

    @inline(__always) static func isDelimiter(_ c: UInt8) -> Bool {
        c == 32 || c == 9 || c == 44 || c == 59 || c == 40 || c == 41 || c == 91 || c == 93 || c == 60 || c == 62
    }

    /// Whether any of 8 bytes may be special (exact for ASCII; non-ASCII bytes are never special).
    @inline(__always) static func hasSpecialByte(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        // Bytes strictly between '/' (0x2F) and ':' (0x3A), among bytes below 0x80.
        let x7 = x & low7
        let digits = ((ones &* (127 + 0x3A)) &- x7) & ~x & (x7 &+ ones &* (127 - 0x2F)) & highs
        return (digits | hasZero(x ^ (ones &* 0x40)) | hasZero(x ^ (ones &* 0x27)) | hasZero(x ^ (ones &* 0x22))) != 0
    }

    /// One token of the masking at `i` (a token boundary); returns where the next one starts.
    @inline(__always)
    static func step(_ b: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ w: inout TemplateWriter) -> Int {
        let c = b[i]
        if c == 39 || c == 34, i == 0 || { let p = b[i - 1]; return p == 32 || p == 61 || p == 40 || p == 58 || p == 91 }() {
            if i + 1 < n, let q = memchr(b + i + 1, Int32(c), n - i - 1) {
                w.append(c); w.append(ellipsisBytes); w.append(c)
                return UnsafeRawPointer(q) - UnsafeRawPointer(b) + 1
            }
        }
        if isDelimiter(c) { w.append(c); return i + 1 }
        var j = i
        var digit = false, at = false, eq = -1
        let classes = templateByteClasses
        while j < n {
            let k = classes[Int(b[j])]
            if k != 0 {
                if k == ByteClass.delimiter { break }
                if k == ByteClass.digit { digit = true }
                else if k == ByteClass.at { at = true }
                else if k == ByteClass.equals { if eq < 0 { eq = j } }
                else if j > i && b[j - 1] == 61 { break }  // a quote right after `=`
            }
            j += 1
        }
        if eq >= 0 && j > eq + 1 && (digit || at) {
            // key=value: keep the key
            w.append(b + i, eq + 1 - i)
            w.append(at ? jidBytes : starBytes)
        } else if at {
            w.append(jidBytes)
        } else if digit {
            // keep a trailing colon or period
            w.append(starBytes)
            if j > i, b[j - 1] == 58 || b[j - 1] == 46 { w.append(b[j - 1]) }
        } else {
            w.append(b + i, j - i)
        }
        return max(j, i + 1)
    }

    static let ellipsisBytes: StaticString = "…"
    static let jidBytes: StaticString = "<jid>"
    static let starBytes: StaticString = "<*>"
}

/// Appends template bytes to a buffer the caller sized.
struct TemplateWriter {
    let out: UnsafeMutablePointer<UInt8>
    var count = 0

    init(out: UnsafeMutablePointer<UInt8>) { self.out = out }

    @inline(__always) mutating func append(_ c: UInt8) {
        out[count] = c
        count += 1
    }

    @inline(__always) mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        (out + count).update(from: p, count: n)
        count += n
    }

    @inline(__always) mutating func append(_ s: StaticString) {
        append(s.utf8Start, s.utf8CodeUnitCount)
    }
}

/// What a byte means to the template masking, looked up once per byte.
enum ByteClass {
    static let plain: UInt8 = 0, delimiter: UInt8 = 1, digit: UInt8 = 2, at: UInt8 = 3, equals: UInt8 = 4, quote: UInt8 = 5
}

nonisolated(unsafe) let templateByteClasses: UnsafePointer<UInt8> = {  // written once, then only read
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    table.initialize(repeating: ByteClass.plain, count: 256)
    for c in [32, 9, 44, 59, 40, 41, 91, 93, 60, 62] { table[c] = ByteClass.delimiter }
    for c in 48...57 { table[c] = ByteClass.digit }
    table[64] = ByteClass.at
    table[61] = ByteClass.equals
    table[39] = ByteClass.quote
    table[34] = ByteClass.quote
    return UnsafePointer(table)
}()

