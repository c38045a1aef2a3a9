/// base64url decoding for JWT segments.
///
/// Strict about the alphabet (any character outside base64url/base64 is an error, never skipped)
/// and about impossible lengths; tolerant of missing or trailing `=` padding, like the
/// `basexx.from_url64` Prosody uses.
public enum Base64URL {
    public enum DecodeError: Error, Sendable, Equatable {
        case invalidCharacter(Character, offset: Int)
        case invalidLength
    }

    /// 0...63 for the base64url (and base64) alphabet, 0xFF otherwise.
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62; t[Int(UInt8(ascii: "+"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63; t[Int(UInt8(ascii: "/"))] = 63
        return t
    }()

    public static func decode(_ text: Substring) throws(DecodeError) -> [UInt8] {
        var utf8 = text.utf8[...]
        while let last = utf8.last, last == UInt8(ascii: "=") { utf8 = utf8.dropLast() }
        let count = utf8.count
        if count % 4 == 1 { throw .invalidLength }
        var out = [UInt8](repeating: 0, count: count * 3 / 4)
        let table = Self.table
        var bad: (UInt8, Int)?
        table.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                var buffer: UInt32 = 0
                var bits = 0
                var n = 0
                var offset = 0
                for c in utf8 {
                    let v = t[Int(c)]
                    if v == 0xFF { bad = (c, offset); return }
                    buffer = (buffer << 6) | UInt32(v)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        o[n] = UInt8(truncatingIfNeeded: buffer >> UInt32(bits))
                        n += 1
                    }
                    offset += 1
                }
            }
        }
        if let (c, offset) = bad { throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset) }
        return out
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = (buffer << 8) | UInt32(b)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
