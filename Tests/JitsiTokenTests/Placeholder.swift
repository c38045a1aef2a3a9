import XCTest
final class JitsiTokenPlaceholderTests: XCTestCase { func testBuilds() {} }
