/// A property the code under fuzzing promises and did not keep: the fuzz
/// executables crash on it, the corpus replay test fails on it.
public struct FuzzInvariantViolation: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }

    /// Throws a violation saying `message` unless `condition` holds.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw FuzzInvariantViolation(message()) }
    }
}
