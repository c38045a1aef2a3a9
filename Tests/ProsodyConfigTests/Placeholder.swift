import XCTest
final class ProsodyConfigPlaceholderTests: XCTestCase { func testBuilds() {} }
