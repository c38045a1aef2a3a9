@testable import ProsodyConfig
import XCTest

/// The loader's UTF-8 check answers ASCII text itself; it must agree with the standard
/// library's validation on every input.
final class UTF8ValidationTests: XCTestCase {
    func testAgreesWithStringValidation() {
        var inputs: [[UInt8]] = [[], Array("x = 1\n".utf8), Array("é".utf8), [0xC3], [0xFF], Array("12345678é".utf8),
                                 Array(repeating: 0x41, count: 17) + [0x80], [0xE2, 0x82, 0xAC], [0xED, 0xA0, 0x80]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let length = Int.random(in: 0...40, using: &generator)
            let highChance = Int.random(in: 0...3, using: &generator)
            inputs.append((0..<length).map { _ in
                Int.random(in: 0...9, using: &generator) < highChance ? UInt8.random(in: 0x80...0xFF, using: &generator)
                    : UInt8.random(in: 0x00...0x7F, using: &generator)
            })
        }
        for bytes in inputs {
            XCTAssertEqual(Evaluator.isValidUTF8(bytes), String(validating: bytes, as: UTF8.self) != nil, "\(bytes)")
        }
    }
}
