import Crypto
@testable import DeploymentFiles
import Foundation
import SwiftASN1
import X509
import XCTest

/// Certificates made on the fly with swift-certificates and P-256 keys.
enum TestCertificates {
    static func make(names: [String], commonName: String? = nil, notBefore: Date, notAfter: Date) throws -> (pem: String, der: [UInt8]) {
        let key = P256.Signing.PrivateKey()
        let cn = commonName ?? names.first ?? "example"
        let name = try DistinguishedName { CommonName(cn) }
        let extensions = try Certificate.Extensions {
            if !names.isEmpty { SubjectAlternativeNames(names.map { GeneralName.dnsName($0) }) }
        }
        let certificate = try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(),
                                          publicKey: .init(key.publicKey), notValidBefore: notBefore, notValidAfter: notAfter,
                                          issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                          extensions: extensions, issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (try certificate.serializeAsPEM().pemString, serializer.serializedBytes)
    }

    static func keyPEM() -> String { P256.Signing.PrivateKey().pemRepresentation }

    static func write(_ text: String, name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pd-cert-\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

final class CertificateTests: XCTestCase {
    let now = Date()
    let day: TimeInterval = 86_400

    func testValidPEMWithSANs() throws {
        let cert = try TestCertificates.make(names: ["meet.example.com", "*.meet.example.com"],
                                             notBefore: now - day, notAfter: now + 90 * day)
        let path = try TestCertificates.write(cert.pem + "\n" + TestCertificates.make(names: ["ca"], notBefore: now, notAfter: now + day).pem, name: "chain.pem")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try XCTUnwrap(CertificateReader.read(path: path).info)
        XCTAssertEqual(info.subjectCommonName, "meet.example.com")
        XCTAssertEqual(info.dnsNames, ["meet.example.com", "*.meet.example.com"])
        XCTAssertEqual(info.certificateCount, 2)
        XCTAssertTrue(info.covers(host: "meet.example.com"))
        XCTAssertTrue(info.covers(host: "Conference.Meet.Example.com"))
        XCTAssertFalse(info.covers(host: "a.b.meet.example.com"))
        XCTAssertFalse(info.covers(host: "example.com"))
        XCTAssertFalse(info.isExpired(at: now))
        XCTAssertEqual(info.notAfter.timeIntervalSince1970, (now + 90 * day).timeIntervalSince1970, accuracy: 1)
    }

    func testDERExpiredAndCNOnly() throws {
        let cert = try TestCertificates.make(names: [], commonName: "old.example.com", notBefore: now - 400 * day, notAfter: now - 10 * day)
        let info = try XCTUnwrap(CertificateReader.parse(cert.der).info)
        XCTAssertTrue(info.isExpired(at: now))
        XCTAssertEqual(info.names, ["old.example.com"])
        XCTAssertTrue(info.covers(host: "old.example.com"))
    }

    func testKeysGarbageMissingAndEmpty() throws {
        guard case .invalid(let reason) = CertificateReader.parse(Array(TestCertificates.keyPEM().utf8)) else { return XCTFail("key accepted") }
        XCTAssertTrue(reason.contains("private key"), reason)
        guard case .invalid = CertificateReader.parse(Array("hello world\n".utf8)) else { return XCTFail() }
        guard case .invalid = CertificateReader.parse([]) else { return XCTFail() }
        guard case .invalid = CertificateReader.parse(Array("-----BEGIN CERTIFICATE-----\nMIIB\n".utf8)) else { return XCTFail() }
        guard case .invalid = CertificateReader.parse(Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)) else { return XCTFail() }
        XCTAssertEqual(CertificateReader.read(path: "/nonexistent/pd/cert.pem"), .missing)
        guard case .unreadable = CertificateReader.read(path: FileManager.default.temporaryDirectory.path) else { return XCTFail() }
        var bytes = [UInt8](repeating: 0x30, count: 1)
        bytes += [UInt8](repeating: 0xFF, count: 4000)
        guard case .invalid = CertificateReader.parse(bytes) else { return XCTFail() }
    }
}
