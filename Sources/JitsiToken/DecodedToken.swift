/// A JWT taken apart the way luajwtjitsi does it, without verifying anything.
public struct DecodedToken: Sendable {
    /// The segments as luajwtjitsi splits them: non-empty runs between `.` (and `\`, an
    /// artefact of its Lua pattern) — so `a..b.c` has three segments.
    public let segments: [Substring]
    public let header: TokenJSON?
    public let payload: TokenJSON?
    /// Why the header / payload could not be decoded (base64url or JSON), if so.
    public let headerError: String?
    public let payloadError: String?
    /// The decoded signature bytes (never shown), if there is a decodable third segment.
    let signature: [UInt8]?
    public let signatureError: String?
    /// Length in bytes of the whole token.
    public let length: Int
    let raw: String

    public init(_ token: String) {
        raw = token
        length = token.utf8.count
        segments = token.utf8.split(whereSeparator: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "\\") }).map { Substring($0) }
        func decodeJSON(_ seg: Substring?) -> (TokenJSON?, String?) {
            guard let seg else { return (nil, "missing") }
            let bytes: [UInt8]
            do { bytes = try Base64URL.decode(seg) } catch {
                switch error {
                case .invalidCharacter(let c, let offset):
                    return (nil, "not base64url: character \(c.debugDescription) at offset \(offset)")
                case .invalidLength:
                    return (nil, "not base64url: impossible length \(seg.utf8.count)")
                }
            }
            do { return (try TokenJSON.parse(bytes), nil) } catch {
                if case .invalid(let m) = error { return (nil, "not JSON: \(m)") }
                return (nil, "not JSON")
            }
        }
        (header, headerError) = decodeJSON(segments.first)
        (payload, payloadError) = decodeJSON(segments.count > 1 ? segments[1] : nil)
        if segments.count > 2 {
            do { signature = try Base64URL.decode(segments[2]); signatureError = nil } catch {
                signature = nil
                signatureError = "not base64url"
            }
        } else {
            signature = nil
            signatureError = "missing"
        }
    }

    /// What luajwtjitsi signs: the first two segments joined by a dot.
    var signingInput: [UInt8] { Array(segments.prefix(2).joined(separator: ".").utf8) }

    public var signatureByteCount: Int? { signature?.count }

    /// The header with secret-looking fields masked.
    public func maskedHeader(secret: [UInt8]? = nil) -> TokenJSON? { header.map { Masking.mask($0, secret: secret) } }
    /// The payload with secret-looking claims masked.
    public func maskedPayload(secret: [UInt8]? = nil) -> TokenJSON? { payload.map { Masking.mask($0, secret: secret) } }

}

/// Masks secrets in decoded claims: values of secret-looking keys, and any string equal to the
/// configured secret.
public enum Masking {
    public static let mask = "***masked***"
    static let secretWords = ["secret", "password", "passwd", "pwd", "token", "key", "credential", "private", "signature"]

    public static func isSecretLooking(key: String) -> Bool {
        let k = key.lowercased()
        if k == "kid" { return false }
        return secretWords.contains { k.contains($0) }
    }

    public static func mask(_ value: TokenJSON, secret: [UInt8]? = nil) -> TokenJSON {
        switch value {
        case .object(let members):
            return .object(members.map { m in
                if isSecretLooking(key: m.key), m.value != .null { return (m.key, .string(mask)) }
                return (m.key, Masking.mask(m.value, secret: secret))
            })
        case .array(let items):
            return .array(items.map { Masking.mask($0, secret: secret) })
        case .string(let s):
            if let secret, !secret.isEmpty, Array(s.utf8) == secret { return .string(mask) }
            return value
        default:
            return value
        }
    }
}

/// Field access with Lua semantics on a cjson-decoded value.
enum LuaField {
    struct IndexError: Error { var typeName: String }

    /// `value[key]`: objects give the member (cjson.null is a non-nil userdata), arrays and strings
    /// give nil for these keys, other types raise a Lua error.
    static func get(_ value: TokenJSON, _ key: String) throws(IndexError) -> TokenJSON? {
        switch value {
        case .object: return value[key]
        case .array, .string: return nil
        case .number: throw IndexError(typeName: "number")
        case .bool: throw IndexError(typeName: "boolean")
        case .null: throw IndexError(typeName: "userdata")
        }
    }

    /// Lua truthiness of an optional field (nil and false are false).
    static func truthy(_ v: TokenJSON?) -> Bool {
        guard let v else { return false }
        return v != .bool(false)
    }
}
