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

    public static func decode(_ text: Substring) throws(DecodeError) -> [UInt8] {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == UInt8(ascii: "=") { bytes.removeLast() }
        if bytes.count % 4 == 1 { throw .invalidLength }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for (offset, c) in bytes.enumerated() {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "-"), UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): v = 63
            default: throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset)
            }
            buffer = (buffer << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
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
