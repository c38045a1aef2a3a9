import Doctor
import XCTest

/// The catalogue's examples are tests (SwiftLint's pattern): each triggering
/// example raises its rule (and no other error/warning rule it does not list in
/// `also`), each passing example does not raise it.
final class RuleExampleTests: XCTestCase {
    func testTriggeringExamplesRaiseTheirRule() throws {
        for rule in RuleCatalogue.embedded.rules {
            for (index, example) in rule.examples.triggering.enumerated() where example.config != nil {
                let findings = try ExampleRunner.findings(for: example)
                let ids = Set(findings.map(\.ruleID))
                XCTAssertTrue(ids.contains(rule.id), "\(rule.id) triggering example \(index + 1) raised \(ids.sorted())")
                let allowed = Set([rule.id] + (example.also ?? []))
                let unexpected = findings.filter { $0.severity >= .warning && !allowed.contains($0.ruleID) }
                XCTAssertEqual(unexpected.map(\.ruleID), [],
                               "\(rule.id) triggering example \(index + 1) also raised: \(unexpected.map { "\($0.ruleID) \($0.message)" })")
            }
        }
    }

    func testPassingExamplesDoNotRaiseTheirRule() throws {
        for rule in RuleCatalogue.embedded.rules {
            for (index, example) in rule.examples.passing.enumerated() where example.config != nil {
                let findings = try ExampleRunner.findings(for: example)
                XCTAssertFalse(findings.contains { $0.ruleID == rule.id },
                               "\(rule.id) passing example \(index + 1) raised it: \(findings.filter { $0.ruleID == rule.id }.map(\.message))")
            }
        }
    }
}
