import Foundation
import Testing
@testable import WaymarkStats

/// The project root (this file is Tests/WaymarkStatsTests/StatisticsTests.swift).
func statsProjectRoot() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// True when python3 has scipy, statsmodels and lifelines (scripts/install-deps --python installs them).
let pythonWithStatistics: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import scipy, statsmodels, lifelines"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run(); p.waitUntilExit() } catch { return false }
    return p.terminationStatus == 0
}()

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

/// Values from standard tables and closed forms, computed by hand.
@Suite struct TabulatedValueTests {
    @Test func normal() {
        #expect(close(Distributions.normalQuantile(0.975), 1.959963984540054, 1e-12))
        #expect(close(Distributions.normalQuantile(0.5), 0, 1e-15))
        #expect(close(Distributions.normalCDF(1.959963984540054), 0.975, 1e-12))
        #expect(close(Distributions.normalCDF(-1), 0.15865525393145707, 1e-12))
    }

    @Test func studentT() {
        // Tables: t(0.975; 10) = 2.228139, t(0.995; 5) = 4.032143; df = 1 is Cauchy: P(T <= 1) = 3/4.
        #expect(close(Distributions.studentTQuantile(0.975, df: 10), 2.2281388519649385, 1e-9))
        #expect(close(Distributions.studentTQuantile(0.995, df: 5), 4.032142983557536, 1e-9))
        #expect(close(Distributions.studentTCDF(1, df: 1), 0.75, 1e-12))
        #expect(close(Distributions.studentTTwoSided(0, df: 7), 1, 1e-12))
    }

    @Test func chiSquare() {
        // chi2(0.95; 1) = 3.841459; with k = 2 the survival is exp(-x/2) exactly.
        #expect(close(Distributions.chiSquareSurvival(3.841458820694124, k: 1), 0.05, 1e-10))
        #expect(close(Distributions.chiSquareSurvival(5, k: 2), exp(-2.5), 1e-12))
        #expect(close(Distributions.chiSquareSurvival(30, k: 2), exp(-15), 1e-10))
    }

    @Test func welchByHand() throws {
        // a = 1, 2, 3, 4 (mean 2.5, var 5/3); b = 2, 4, 6 (mean 4, var 4).
        // se^2 = 5/12 + 4/3 = 1.75; t = -1.5 / sqrt(1.75); df = 1.75^2 / ((5/12)^2/3 + (4/3)^2/2).
        let w = try #require(TwoSampleComparison([1, 2, 3, 4], [2, 4, 6]))
        #expect(close(w.t, -1.5 / 1.75.squareRoot(), 1e-12))
        #expect(close(w.df, 1.75 * 1.75 / ((5.0 / 12) * (5.0 / 12) / 3 + (4.0 / 3) * (4.0 / 3) / 2), 1e-12))
        // Pooled SD sqrt((3 * 5/3 + 2 * 4) / 5) = sqrt(13/5); g = (1 - 3/19) * (-1.5 / sqrt(2.6)).
        #expect(close(w.hedgesG, (1 - 3.0 / 19) * (-1.5 / 2.6.squareRoot()), 1e-12))
    }

    @Test func kaplanMeierByHand() {
        // Times 1, 2+, 3, 3, 4: S(1) = 4/5; S(3) = 4/5 * (1 - 2/3) = 4/15; S(4) = 0.
        let k = KaplanMeier(durations: [1, 2, 3, 3, 4], observed: [true, false, true, true, true])
        #expect(k.steps.map(\.time) == [1, 2, 3, 4])
        #expect(k.steps.map(\.atRisk) == [5, 4, 3, 1])
        #expect(close(k.survival(at: 3), 4.0 / 15, 1e-15) && k.survival(at: 4) == 0)
        #expect(k.median == 3)
    }

    @Test func bootstrapIsRepeatableAndMovesWithTheSeed() {
        let a = (0..<50).map { Double($0 % 7) + 1 }, b = (0..<60).map { Double($0 % 5) }
        let one = TwoSampleComparison.bootstrapG(a, b, resamples: 500, seed: 11)
        let two = TwoSampleComparison.bootstrapG(a, b, resamples: 500, seed: 11)
        let other = TwoSampleComparison.bootstrapG(a, b, resamples: 500, seed: 12)
        #expect(one == two)
        #expect(one != other)
        let g = TwoSampleComparison(a, b)!.hedgesG
        #expect(one.low < g && g < one.high)
    }

    /// Cluster sums are added in order of first appearance, not hash order, so
    /// relabelling the clusters changes no bit of the result (a run's outputs
    /// are byte-identical across processes).
    @Test func clusteredErrorsDoNotDependOnClusterLabels() throws {
        var rng = SeededGenerator(seed: 3)
        let n = 400
        let cluster = (0..<n).map { _ in rng.below(90) }
        let x = (0..<n).map { _ in [1, Double(rng.below(1000)) / 7, Double(rng.below(2))] }
        let y = x.map { $0[1] * 0.3 - $0[2] + Double(rng.below(1000)) / 997 }
        let a = try #require(ClusteredOLS(names: ["c", "x", "d"], rows: x, y: y, cluster: cluster))
        let b = try #require(ClusteredOLS(names: ["c", "x", "d"], rows: x, y: y, cluster: cluster.map { $0 &* 7919 &+ 1_000_003 }))
        #expect(a.standardErrors == b.standardErrors && a.p == b.p)
    }

    @Test func seededGeneratorIsFixed() {
        // SplitMix64 from seed 0: the published first output.
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    }
}

/// WaymarkStats against scipy, statsmodels and lifelines (Tests/oracle/reference_statistics.py) to 1e-6.
@Suite struct ReferencePackageTests {
    static func reference() throws -> [String: Any] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-stats-\(UUID().uuidString).json").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", statsProjectRoot() + "/Tests/oracle/reference_statistics.py", out]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "Tests/oracle/reference_statistics.py failed")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
    }

    static func doubles(_ v: Any?) -> [Double] { (v as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    static func bools(_ v: Any?) -> [Bool] { (v as! [Any]).map { ($0 as! NSNumber).boolValue } }

    static func expectKM(_ k: KaplanMeier, _ rows: [[String: Any]], _ label: String) {
        for r in rows {
            let t = (r["time"] as! NSNumber).doubleValue
            guard let step = k.steps.first(where: { $0.time == t }) else { Issue.record("\(label): no step at \(t)"); continue }
            #expect(close(step.survival, (r["survival"] as! NSNumber).doubleValue), "\(label) S(\(t))")
            if let lo = step.lower, let hi = step.upper {
                #expect(close(lo, (r["lower"] as! NSNumber).doubleValue), "\(label) lower(\(t))")
                #expect(close(hi, (r["upper"] as! NSNumber).doubleValue), "\(label) upper(\(t))")
            }
        }
    }

    @Test(.enabled(if: pythonWithStatistics, "needs python3 with scipy, statsmodels and lifelines: scripts/install-deps --python"))
    func everyStatisticMatchesTheReferencePackages() throws {
        let ref = try Self.reference()

        // Waltons (lifelines' public dataset): Kaplan-Meier per group and the log-rank test.
        let w = ref["waltons"] as! [String: Any]
        let names = w["groups"] as! [String]
        let data = w["data"] as! [String: [String: Any]]
        var curves: [([Double], [Bool])] = []
        for name in names {
            let g = data[name]!
            let (d, e) = (Self.doubles(g["T"]), Self.bools(g["E"]))
            curves.append((d, e))
            Self.expectKM(KaplanMeier(durations: d, observed: e), g["km"] as! [[String: Any]], "waltons \(name)")
        }
        let lr = try #require(LogRankTest(durations1: curves[0].0, observed1: curves[0].1, durations2: curves[1].0, observed2: curves[1].1))
        let wl = w["logrank"] as! [String: Any]
        #expect(close(lr.statistic, (wl["statistic"] as! NSNumber).doubleValue))
        #expect(close(lr.p, (wl["p"] as! NSNumber).doubleValue, 1e-6) || abs(lr.p - (wl["p"] as! NSNumber).doubleValue) < 1e-12)

        // Welch's t, its p and df, the interval, Hedges' g.
        let ts = ref["two_sample"] as! [String: Any]
        let c = try #require(TwoSampleComparison(Self.doubles(ts["a"]), Self.doubles(ts["b"])))
        for (ours, key) in [(c.t, "t"), (c.p, "p"), (c.df, "df"), (c.differenceLow, "low"), (c.differenceHigh, "high"), (c.hedgesG, "hedges_g")] {
            #expect(close(ours, (ts[key] as! NSNumber).doubleValue), "two-sample \(key): \(ours)")
        }

        // OLS with CR1 clustered standard errors and t(G - 1) p-values.
        let o = ref["ols"] as! [String: Any]
        let x = (o["x"] as! [[Any]]).map { $0.map { ($0 as! NSNumber).doubleValue } }
        let fit = try #require(ClusteredOLS(names: ["const", "x1", "x2", "x3"], rows: x, y: Self.doubles(o["y"]),
                                            cluster: Self.doubles(o["cluster"]).map { Int($0) }))
        for (k, v) in Self.doubles(o["params"]).enumerated() { #expect(close(fit.coefficients[k], v), "coefficient \(k)") }
        for (k, v) in Self.doubles(o["bse"]).enumerated() { #expect(close(fit.standardErrors[k], v), "SE \(k)") }
        for (k, v) in Self.doubles(o["pvalues"]).enumerated() { #expect(close(fit.p[k], v), "p \(k)") }

        // Censored synthetic durations.
        let s = ref["survival"] as! [String: Any]
        let k1 = KaplanMeier(durations: Self.doubles(s["d1"]), observed: Self.bools(s["e1"]))
        Self.expectKM(k1, s["km1"] as! [[String: Any]], "synthetic")
        let lr2 = try #require(LogRankTest(durations1: Self.doubles(s["d1"]), observed1: Self.bools(s["e1"]),
                                           durations2: Self.doubles(s["d2"]), observed2: Self.bools(s["e2"])))
        let sl = s["logrank"] as! [String: Any]
        #expect(close(lr2.statistic, (sl["statistic"] as! NSNumber).doubleValue))
        #expect(close(lr2.p, (sl["p"] as! NSNumber).doubleValue))

        // Distributions at tabulated points.
        let dist = ref["distributions"] as! [String: Any]
        for row in dist["t_cdf"] as! [[NSNumber]] {
            #expect(close(Distributions.studentTCDF(row[0].doubleValue, df: row[1].doubleValue), row[2].doubleValue, 1e-9))
        }
        for row in dist["chi2_sf"] as! [[NSNumber]] {
            #expect(close(Distributions.chiSquareSurvival(row[0].doubleValue, k: row[1].doubleValue), row[2].doubleValue, 1e-9))
        }
        for row in dist["norm_ppf"] as! [[NSNumber]] {
            #expect(close(Distributions.normalQuantile(row[0].doubleValue), row[1].doubleValue, 1e-9))
        }
    }
}
