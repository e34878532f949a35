/// M13.1: every threshold test treats a value within an absolute 1e-9 of the
/// threshold as equal to it (means of decimals are not exact in binary).
public let thresholdTolerance = 1e-9

/// `value >= threshold`, within ``thresholdTolerance`` (M13.1).
@inlinable
public func atLeast(_ value: Double, _ threshold: Double) -> Bool { value >= threshold - thresholdTolerance }

/// `value <= threshold`, within ``thresholdTolerance`` (M13.1).
@inlinable
public func atMost(_ value: Double, _ threshold: Double) -> Bool { value <= threshold + thresholdTolerance }
