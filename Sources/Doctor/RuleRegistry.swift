/// Every rule family's implementations. A test checks this list against the catalogue.
public enum RuleRegistry {
    public static let all: [RuleImplementation] =
        StructureRules.all
        + SuppressionRules.all
        + JitsiLogRules.all
        + ProsodyLogRules.all
}
