public enum JitsiTokenPlaceholder {}
