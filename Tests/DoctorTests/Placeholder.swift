import XCTest
final class DoctorPlaceholderTests: XCTestCase { func testBuilds() {} }
