/// Every rule family's implementations. A test checks this list against the catalogue.
public enum RuleRegistry {
    public static let all: [RuleImplementation] =
        StructureRules.all
        + SuppressionRules.all
        + ProsodyctlParityRules.all
        + SecurityRules.all
        + DeploymentRules.all
        + JitsiTokenRules.all
        + JitsiStructureRules.all
        + JitsiLogRules.all
        + ProsodyLogRules.all
}
