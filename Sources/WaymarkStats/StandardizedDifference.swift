/// Standardised mean differences for checking the balance of covariates
/// between two groups (Austin 2009, "Balance diagnostics for comparing the
/// distribution of baseline covariates between treatment groups in
/// propensity-score matched samples", Statistics in Medicine 28: 3083-3107).
/// A difference above `threshold` in absolute value is the usual sign of
/// imbalance.
public enum StandardizedDifference {
    /// |SMD| above this is read as imbalance (Austin 2009's convention).
    public static let threshold = 0.1

    /// (m1 - m2) / sqrt((v1 + v2) / 2), with v1 and v2 the sample variances.
    /// Zero when both means and both variances are equal and the SD is zero;
    /// nil when the pooled SD is zero or undefined but the means differ.
    public static func means(_ m1: Double, _ v1: Double, _ m2: Double, _ v2: Double) -> Double? {
        let pooled = ((v1 + v2) / 2).squareRoot()
        guard m1.isFinite, m2.isFinite, pooled.isFinite else { return nil }
        if pooled == 0 { return m1 == m2 ? 0 : nil }
        return (m1 - m2) / pooled
    }

    /// (p1 - p2) / sqrt((p1 (1 - p1) + p2 (1 - p2)) / 2) for two proportions.
    public static func proportions(_ p1: Double, _ p2: Double) -> Double? {
        means(p1, p1 * (1 - p1), p2, p2 * (1 - p2))
    }
}
