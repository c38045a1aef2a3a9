public enum DeploymentFilesPlaceholder {}
