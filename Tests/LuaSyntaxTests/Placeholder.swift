import XCTest
final class LuaSyntaxPlaceholderTests: XCTestCase { func testBuilds() {} }
