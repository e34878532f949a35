public enum WaymarkVersion { public static let string = "0.1.0" }
