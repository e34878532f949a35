/// The reliable change class of a series (M6, Jacobson and Truax), and the
/// rule that gives it: rci = change / (sd * sqrt(2 * (1 - reliability))),
/// reliable improvement at rci >= 1.96, deterioration at rci <= -1.96.
public enum ReliableChange: UInt8, Sendable {
    case deterioration = 0, noChange, improvement

    /// The two-sided 5% critical value of the standard normal, M6's cut-off.
    public static let criticalValue = 1.96

    public var name: String {
        switch self {
        case .deterioration: return "reliable_deterioration"
        case .noChange: return "no_reliable_change"
        case .improvement: return "reliable_improvement"
        }
    }

    /// The class of a reliable change index (within M13.1's tolerance).
    @inlinable
    public init(rci: Double) {
        self = atLeast(rci, Self.criticalValue) ? .improvement : (atMost(rci, -Self.criticalValue) ? .deterioration : .noChange)
    }

    /// The standard error of a difference, `sd * sqrt(2 * (1 - reliability))`:
    /// rci = change / this.
    @inlinable
    public static func standardError(sd: Double, reliability: Double) -> Double {
        sd * (2 * (1 - reliability)).squareRoot()
    }

    /// Sample standard deviation (n - 1), two-pass: `sd: baseline` (M6).
    public static func sampleSD(_ xs: [Double]) -> Double {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (ss / Double(xs.count - 1)).squareRoot()
    }
}

/// Why a scale and rater get no reliable change index (M6, M13.6).
public enum NoRCI: String, Error, Sendable {
    case noParameters = "the scale declares no sd or reliability"
    case reliabilityOne = "reliability is 1 or more"
    case fewBaselines = "fewer than 2 baselines in scope"
    case noVariation = "the baselines in scope do not vary"
}

extension ScaleSpec {
    /// M6 and M13.6: the standard error that divides a change into its rci
    /// for one rater, from the scale's `sd` (a value, or the sample SD of the
    /// `baselines` of the series in scope) and `reliability`; or why there is none.
    public func rciStandardError(baselines: () -> [Double]) -> Result<Double, NoRCI> {
        guard let reliability, let sd else { return .failure(.noParameters) }
        guard reliability < 1 else { return .failure(.reliabilityOne) }
        switch sd {
        case .value(let v):
            return .success(ReliableChange.standardError(sd: v, reliability: reliability))
        case .baseline:
            let xs = baselines()
            guard xs.count >= 2 else { return .failure(.fewBaselines) }
            let s = ReliableChange.sampleSD(xs)
            guard s > 0 else { return .failure(.noVariation) }
            return .success(ReliableChange.standardError(sd: s, reliability: reliability))
        }
    }
}
