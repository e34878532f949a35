/// A scale declared in the pipeline file: its range, direction and the
/// parameters of the methods that use it (METHODS.md M1, M3, M6), with the
/// rules that read them: orientation, a change's direction, sustained.
public struct ScaleSpec: Sendable, Equatable {
    /// How the reliable change index's standard deviation is obtained.
    public enum SD: Sendable, Equatable {
        /// A fixed value, e.g. from the scale's published norms.
        case value(Double)
        /// The sample SD (n - 1) of the baselines of the series in scope.
        case baseline
    }
    public var name: String
    public var min: Double
    public var max: Double
    public var higherIsBetter: Bool
    public var step: Double = 1
    public var sd: SD?
    public var reliability: Double?
    public var sustainedThreshold: Double?
    public var sustainedGapDays: Int = 28

    public init(name: String, min: Double, max: Double, higherIsBetter: Bool) {
        self.name = name
        self.min = min
        self.max = max
        self.higherIsBetter = higherIsBetter
    }

    /// M1: the score in the "higher is better" direction.
    @inlinable
    public func oriented(_ s: Double) -> Double { higherIsBetter ? s : min + max - s }

    /// M3: a segment improved when its oriented change is at least `step`,
    /// worsened when at most `-step`, else steady (within M13.1's tolerance).
    @inlinable
    public func direction(ofChange change: Double) -> Direction {
        atLeast(change, step) ? .improved : (atMost(change, -step) ? .worsened : .steady)
    }

    /// M6: two consecutive points (oriented values and days) are *sustained*
    /// when both are at or above `sustained_threshold` and at least
    /// `sustained_gap_days` apart. Nil when the scale declares no threshold.
    @inlinable
    public func sustained(previous: (value: Double, day: Int32), last: (value: Double, day: Int32)) -> Bool? {
        guard let threshold = sustainedThreshold else { return nil }
        return atLeast(previous.value, threshold) && atLeast(last.value, threshold) && Int(last.day - previous.day) >= sustainedGapDays
    }
}
