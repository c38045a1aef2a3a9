public enum ProsodyLogPlaceholder {}
