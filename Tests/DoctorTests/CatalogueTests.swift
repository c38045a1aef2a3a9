@testable import Doctor
import Foundation
import XCTest

final class CatalogueTests: XCTestCase {
    let catalogue = RuleCatalogue.embedded

    func testEveryCatalogueEntryHasAnImplementationAndViceVersa() {
        let unbound = Engine().unboundRules()
        XCTAssertEqual(unbound.catalogueOnly, [], "catalogue entries without a Swift check")
        XCTAssertEqual(unbound.implementationOnly, [], "Swift checks without a catalogue entry")
    }

    func testEveryRuleIsFullyDocumented() {
        XCTAssertFalse(catalogue.rules.isEmpty)
        let idShape = try! NSRegularExpression(pattern: "^[A-Z]{3}[0-9]{3}$")
        let nameShape = try! NSRegularExpression(pattern: "^[a-z0-9]+(-[a-z0-9]+)*$")
        var names = Set<String>()
        for rule in catalogue.rules {
            XCTAssertNotNil(idShape.firstMatch(in: rule.id, range: NSRange(location: 0, length: rule.id.utf16.count)), rule.id)
            XCTAssertNotNil(nameShape.firstMatch(in: rule.name, range: NSRange(location: 0, length: rule.name.utf16.count)), rule.name)
            XCTAssertTrue(names.insert(rule.name).inserted, "name \(rule.name) used twice")
            XCTAssertFalse(rule.summary.isEmpty, rule.id)
            XCTAssertFalse(rule.summary.contains("\n"), "\(rule.id): summary must be one line")
            XCTAssertFalse(rule.explanation.isEmpty, rule.id)
            XCTAssertFalse(rule.fix.isEmpty, rule.id)
            XCTAssertFalse(rule.references.isEmpty, "\(rule.id) has no reference")
            XCTAssertFalse(rule.examples.triggering.isEmpty, "\(rule.id) has no triggering example")
            XCTAssertFalse(rule.examples.passing.isEmpty, "\(rule.id) has no passing example")
        }
    }

    func testEmbeddedRulesComeSortedByIdWithTheirExamples() throws {
        // `embedded` takes the generated order as it is; `init(files:)` sorts by id.
        XCTAssertEqual(catalogue.rules.map(\.id), catalogue.rules.map(\.id).sorted())
        // The examples are made on demand from the same YAML: equal to reading the files.
        let files = try embeddedRuleFiles.map { (name: $0.name, data: try XCTUnwrap(Data(base64Encoded: $0.base64))) }
        let fromYAML = try RuleCatalogue(files: files)
        XCTAssertEqual(fromYAML.rules.map(\.id), catalogue.rules.map(\.id))
        for (read, embedded) in zip(fromYAML.rules, catalogue.rules) {
            XCTAssertEqual(read.examples.triggering.map(\.config), embedded.examples.triggering.map(\.config), read.id)
            XCTAssertEqual(read.examples.passing.map(\.config), embedded.examples.passing.map(\.config), read.id)
            XCTAssertEqual(read.examples.triggering.map(\.log), embedded.examples.triggering.map(\.log), read.id)
            XCTAssertEqual(read.examples.passing.map(\.files), embedded.examples.passing.map(\.files), read.id)
        }
    }

    func testLookupByIdAndName() {
        XCTAssertEqual(catalogue.rule("lua001")?.id, "LUA001")
        XCTAssertEqual(catalogue.rule("lua-syntax-error")?.id, "LUA001")
        XCTAssertNil(catalogue.rule("NOPE999"))
    }

    func testBrokenCatalogueFileIsRejectedWithItsName() {
        XCTAssertThrowsError(try RuleCatalogue(files: [("bad.yml", Data("family: x\nrules: [ {id: 1".utf8))])) { error in
            XCTAssertTrue("\(error)".contains("bad.yml"))
        }
    }
}
