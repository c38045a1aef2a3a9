import XCTest
final class DeploymentFilesPlaceholderTests: XCTestCase { func testBuilds() {} }
