import XCTest
final class ProsodyLogPlaceholderTests: XCTestCase { func testBuilds() {} }
