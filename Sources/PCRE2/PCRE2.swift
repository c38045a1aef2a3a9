public enum PCRE2Placeholder {}
