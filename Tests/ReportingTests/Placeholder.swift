import XCTest
final class ReportingPlaceholderTests: XCTestCase { func testBuilds() {} }
