import Foundation
import X509

/// The facts of an X.509 certificate the diagnosis needs.
public struct CertificateInfo: Sendable, Hashable {
    public var subjectCommonName: String?
    public var dnsNames: [String]
    public var notBefore: Date
    public var notAfter: Date
    public var issuer: String
    /// Certificates in the file (a fullchain file holds several; the first is the leaf).
    public var certificateCount: Int

    /// The names the certificate is valid for: its DNS SANs, or its CN when there are none (legacy).
    public var names: [String] { dnsNames.isEmpty ? (subjectCommonName.map { [$0] } ?? []) : dnsNames }

    /// RFC 6125 matching: exact (case-insensitive) or a `*.` wildcard for exactly one left-most label.
    public func covers(host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return names.contains { CertificateInfo.name($0.lowercased(), matches: host) }
    }

    static func name(_ pattern: String, matches host: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let suffix = pattern.dropFirst(1)   // ".example.com"
        guard host.hasSuffix(suffix) else { return false }
        let label = host.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    public func isExpired(at date: Date) -> Bool { date > notAfter }
    public func isNotYetValid(at date: Date) -> Bool { date < notBefore }
}

/// What reading a certificate file gave.
public enum CertificateFacts: Sendable, Hashable {
    case certificate(CertificateInfo)
    case missing
    case unreadable(reason: String)
    /// The file is there but holds no parseable certificate (a key, garbage, a broken PEM).
    case invalid(reason: String)

    public var info: CertificateInfo? {
        if case .certificate(let info) = self { return info }
        return nil
    }
}

public enum CertificateReader {
    /// Reads a PEM (first certificate of a chain) or DER certificate file.
    public static func read(path: String) -> CertificateFacts {
        var isDirectory = false
        guard FileExists.check(path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory { return .unreadable(reason: "is a directory") }
        guard let bytes = FileManagerShim.contents(path) else { return .unreadable(reason: "permission denied or I/O error") }
        return parse(bytes)
    }

    public static func parse(_ bytes: [UInt8]) -> CertificateFacts {
        if bytes.isEmpty { return .invalid(reason: "the file is empty") }
        if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN") {
            return parsePEM(text)
        }
        do {
            return .certificate(try info(Certificate(derEncoded: bytes), count: 1))
        } catch {
            return .invalid(reason: "not a PEM or DER certificate")
        }
    }

    static func parsePEM(_ text: String) -> CertificateFacts {
        let blocks = pemBlocks(text)
        let certificates = blocks.filter { $0.label == "CERTIFICATE" || $0.label == "X509 CERTIFICATE" || $0.label == "TRUSTED CERTIFICATE" }
        guard let first = certificates.first else {
            if let label = blocks.first?.label, label.contains("PRIVATE KEY") {
                return .invalid(reason: "it holds a private key (\(label)), not a certificate")
            }
            if let label = blocks.first?.label { return .invalid(reason: "it holds a \(label), not a certificate") }
            return .invalid(reason: "the PEM block is incomplete")
        }
        do {
            let certificate = try Certificate(pemEncoded: first.text)
            return .certificate(info(certificate, count: certificates.count))
        } catch {
            return .invalid(reason: "the certificate does not parse (\(String(describing: error).prefix(120)))")
        }
    }

    struct PEMBlock { var label: String; var text: String }

    /// Splits `-----BEGIN X----- ... -----END X-----` blocks (unterminated ones are dropped).
    static func pemBlocks(_ text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var current: (label: String, lines: [String])?
        var lastBeginLabel: String?
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                let label = String(line.dropFirst(11).dropLast(5))
                current = (label, [line])
                lastBeginLabel = label
            } else if line.hasPrefix("-----END "), var block = current {
                block.lines.append(line)
                blocks.append(PEMBlock(label: block.label, text: block.lines.joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current!.lines.append(line)
            }
        }
        if blocks.isEmpty, let label = lastBeginLabel, label.contains("PRIVATE KEY") {
            blocks.append(PEMBlock(label: label, text: ""))
        }
        return blocks
    }

    static func info(_ certificate: Certificate, count: Int) -> CertificateInfo {
        var commonName: String?
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                commonName = String(describing: attribute.value)
            }
        }
        var dnsNames: [String] = []
        if let sans = try? certificate.extensions.subjectAlternativeNames {
            for name in sans {
                if case .dnsName(let dns) = name { dnsNames.append(dns) }
            }
        }
        return CertificateInfo(subjectCommonName: commonName, dnsNames: dnsNames,
                               notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter,
                               issuer: String(describing: certificate.issuer), certificateCount: count)
    }
}
