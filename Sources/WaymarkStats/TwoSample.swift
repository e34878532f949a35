import Foundation

/// Welch's two-sample t-test (unequal variances) and Hedges' g, with a
/// percentile bootstrap interval for g.
public struct TwoSampleComparison: Sendable, Equatable {
    public var n1: Int, n2: Int
    public var mean1: Double, mean2: Double
    public var variance1: Double, variance2: Double
    /// mean1 - mean2.
    public var difference: Double
    public var t: Double
    /// Welch-Satterthwaite degrees of freedom.
    public var df: Double
    /// Two-sided p-value.
    public var p: Double
    /// 95% interval for the difference, from the t distribution with `df`.
    public var differenceLow: Double, differenceHigh: Double
    /// Cohen's d with the pooled SD, and Hedges' g = J d with J = 1 - 3 / (4 (n1 + n2) - 9).
    public var cohensD: Double
    public var hedgesG: Double

    public init?(_ a: [Double], _ b: [Double]) {
        guard a.count >= 2, b.count >= 2 else { return nil }
        n1 = a.count; n2 = b.count
        mean1 = Descriptive.mean(a); mean2 = Descriptive.mean(b)
        variance1 = Descriptive.variance(a); variance2 = Descriptive.variance(b)
        difference = mean1 - mean2
        let se1 = variance1 / Double(n1), se2 = variance2 / Double(n2)
        let se = (se1 + se2).squareRoot()
        t = difference / se
        df = (se1 + se2) * (se1 + se2) / (se1 * se1 / Double(n1 - 1) + se2 * se2 / Double(n2 - 1))
        p = Distributions.studentTTwoSided(t, df: df)
        let crit = Distributions.studentTQuantile(0.975, df: df)
        differenceLow = difference - crit * se
        differenceHigh = difference + crit * se
        (cohensD, hedgesG) = TwoSampleComparison.effectSize(n1, mean1, variance1, n2, mean2, variance2)
    }

    static func effectSize(_ n1: Int, _ m1: Double, _ v1: Double, _ n2: Int, _ m2: Double, _ v2: Double) -> (Double, Double) {
        let pooled = ((Double(n1 - 1) * v1 + Double(n2 - 1) * v2) / Double(n1 + n2 - 2)).squareRoot()
        let d = (m1 - m2) / pooled
        let j = 1 - 3 / (4 * Double(n1 + n2) - 9)
        return (d, j * d)
    }

    /// Percentile bootstrap interval for Hedges' g: each resample draws n1
    /// from `a` and n2 from `b` with replacement; the interval is the
    /// (alpha/2, 1 - alpha/2) quantiles (type 7) of the resampled g.
    /// Resamples are split over `workers` threads, each with a generator
    /// derived from the seed and its block, so the result depends on the
    /// seed (and worker count) only, never on timing.
    public static func bootstrapG(_ a: [Double], _ b: [Double], resamples: Int, seed: UInt64, alpha: Double = 0.05,
                                  workers: Int = 2) -> (low: Double, high: Double) {
        let blocks = max(1, workers)
        let per = (resamples + blocks - 1) / blocks
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: resamples)
        defer { results.deallocate() }
        let out = Shared(results)
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            var rng = SeededGenerator(seed: seed &+ UInt64(block) &* 0x9E37_79B9_7F4A_7C15)
            let lo = block * per, hi = min(resamples, lo + per)
            guard lo < hi else { return }
            for r in lo..<hi {
                let (m1, v1) = resampleMoments(a, &rng)
                let (m2, v2) = resampleMoments(b, &rng)
                out.buffer[r] = effectSize(a.count, m1, v1, b.count, m2, v2).1
            }
        }
        let sorted = Array(results).filter { !$0.isNaN }.sorted()
        return (Descriptive.quantile(sorted: sorted, alpha / 2), Descriptive.quantile(sorted: sorted, 1 - alpha / 2))
    }

    /// Mean and sample variance of one resample with replacement (Welford).
    static func resampleMoments(_ xs: [Double], _ rng: inout SeededGenerator) -> (Double, Double) {
        var mean = 0.0, m2 = 0.0
        let n = xs.count
        xs.withUnsafeBufferPointer { p in
            for k in 0..<n {
                let x = p[rng.below(n)]
                let delta = x - mean
                mean += delta / Double(k + 1)
                m2 += delta * (x - mean)
            }
        }
        return (mean, m2 / Double(n - 1))
    }
}

/// A buffer written by several threads at disjoint indices.
final class Shared: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>
    init(_ b: UnsafeMutableBufferPointer<Double>) { buffer = b }
}
