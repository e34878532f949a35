import Foundation
import Testing
@testable import Waymark
import WaymarkCSV
import WaymarkStats

@Suite struct EvaluationTests {
    /// Programme: offered a family group conference in [2026-01-01, 2026-03-31]; comparison: everyone else.
    static func spec() -> EvaluationSpec {
        var spec = EvaluationSpec()
        spec.programme = CohortFilter(name: "fgc")
        spec.programme.offeredType = "family_group_conference"
        spec.programme.from = Day(iso: "2026-01-01")
        spec.programme.to = Day(iso: "2026-03-31")
        spec.bootstrap = 200
        return spec
    }

    /// C1: FGC offered 02-01 (entry). Points 01-10: 3 (before entry), 02-05: 4 (baseline),
    /// 04-01: 7, 05-15: 8 (both >= 7, 44 days apart: sustained at 05-15, 103 days after entry),
    /// 09-01: 6 (after entry + 180 = 07-31, so the outcome is 05-15: 8; change +4).
    /// Engaged hours: the FGC (6 h, engaged 02-10) counts; respite offered 03-01 (4 h) was declined.
    /// C2: no FGC; first score 01-20 inside the window: entry and baseline 5; outcome 03-01: 5
    /// (change 0); never sustained, censored at its last point, 40 days after entry.
    /// C3: first score 2025-12-01, before the window: in neither cohort.
    /// C4: FGC offered 03-10 but no score after it: no baseline, in neither cohort.
    @Test func cohortsEntryBaselineOutcomeAndTimeByHand() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-10,safety,3,practitioner", "C1,,T1,2026-02-05,safety,4,practitioner",
                    "C1,,T1,2026-04-01,safety,7,practitioner", "C1,,T1,2026-05-15,safety,8,practitioner",
                    "C1,,T1,2026-09-01,safety,6,practitioner",
                    "C2,,T2,2026-01-20,safety,5,practitioner", "C2,,T2,2026-03-01,safety,5,practitioner",
                    "C3,,T2,2025-12-01,safety,5,practitioner", "C3,,T2,2026-02-01,safety,6,practitioner",
                    "C4,,T1,2026-01-05,safety,5,practitioner"]
        s.interventions = ["F1,C1,,family_group_conference,,2026-02-01,2026-02-08,,,6,community,T1",
                           "R1,C1,,respite,,2026-03-01,,,,4,in_house,T1",
                           "F4,C4,,family_group_conference,,2026-03-10,,,,3,community,T1"]
        s.responses = ["F1,C1,2026-02-10,engaged", "R1,C1,2026-03-05,declined"]
        let (t, ingest, config) = try s.prepare()
        let members = CohortBuilder.build(t, ingest: ingest, config: config, spec: Self.spec())
        #expect(members.count == 2)
        let byCase = Dictionary(uniqueKeysWithValues: members.map { (ingest.ids.cases.string(t.series[$0.series].caseID), $0) })
        let c1 = try #require(byCase["C1"]), c2 = try #require(byCase["C2"])
        #expect(c1.cohort == 0 && c1.entry == day("2026-02-01") && c1.baselineDay == day("2026-02-05") && c1.baseline == 4)
        #expect(c1.outcomeDay == day("2026-05-15") && c1.change == 4 && c1.engagedHours == 6)
        #expect(c1.sustained && c1.time == 103)
        #expect(c2.cohort == 1 && c2.entry == day("2026-01-20") && c2.baseline == 5 && c2.change == 0)
        #expect(!c2.sustained && c2.time == 40 && c2.engagedHours == 0)
    }

    /// A cohort filtered on series fields: C1's series has 5 points, C2's 2;
    /// `n_points: {min: 3}` keeps C1 in the programme; the comparison is a filter on team T2.
    @Test func seriesFieldFiltersAndAComparisonFilter() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-10,safety,3,practitioner", "C1,,T1,2026-02-05,safety,4,practitioner",
                    "C1,,T1,2026-04-01,safety,7,practitioner", "C1,,T1,2026-05-15,safety,8,practitioner",
                    "C1,,T1,2026-09-01,safety,6,practitioner",
                    "C2,,T2,2026-01-20,safety,5,practitioner", "C2,,T2,2026-03-01,safety,5,practitioner",
                    "C5,,T1,2026-01-20,safety,5,practitioner", "C5,,T1,2026-03-01,safety,6,practitioner"]
        s.interventions = ["F1,C1,,family_group_conference,,2026-02-01,2026-02-08,,,6,community,T1"]
        let (t, ingest, config) = try s.prepare()
        var spec = Self.spec()
        spec.programme.series = [.range(field: .nPoints, min: 3, max: nil)]
        spec.comparison = CohortFilter(name: "t2")
        spec.comparison.teams = ["T2"]
        let members = CohortBuilder.build(t, ingest: ingest, config: config, spec: spec)
        let names = members.map { (ingest.ids.cases.string(t.series[$0.series].caseID), $0.cohort) }.sorted { $0.0 < $1.0 }
        #expect(names.map(\.0) == ["C1", "C2"] && names.map(\.1) == [0, 1])
        spec.programme.series = [.range(field: .nPoints, min: 6, max: nil)]
        #expect(CohortBuilder.build(t, ingest: ingest, config: config, spec: spec).allSatisfy { $0.cohort == 1 })
    }

    /// `waymark evaluate` on the demo (Pipelines/research.yaml): every statistic
    /// agrees with scipy, statsmodels and lifelines run on its cohorts.csv
    /// (Tests/oracle/evaluation.py) to 1e-6; the bootstrap interval repeats
    /// with the seed and moves when the seed changes.
    @Test(.enabled(if: pythonWithStatistics, "needs python3 with scipy, statsmodels and lifelines: scripts/install-deps --python"))
    func theDemoEvaluationAgreesWithTheReferencePackages() throws {
        let root = projectRoot()
        let (config, dates, ingest, t) = try demo("research")
        let spec = try #require(config.evaluation)
        let r = EvaluationEngine.run(t, ingest: ingest, config: config, spec: spec)
        let out = try InputFolder([:])
        let context = RunContext(config: config, dates: dates, outputFolder: out.path, command: "test")
        try EvaluationWriter.write(r, t: t, ingest: ingest, config: config, context: context)
        #expect(r.counts[0].withOutcome > 100 && r.counts[1].withOutcome > 100)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root + "/Tests/oracle/evaluation.py", out.path + "/record-level/cohorts.csv", spec.programme.name, out.path + "/ref.json"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "Tests/oracle/evaluation.py failed")
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/ref.json"))) as! [String: Any]
        func v(_ k: String) -> Double { (ref[k] as! NSNumber).doubleValue }
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
        let c = try #require(r.comparison)
        for (ours, key) in [(c.mean1, "mean_change_programme"), (c.mean2, "mean_change_comparison"), (c.difference, "difference"),
                            (c.t, "welch_t"), (c.df, "welch_df"), (c.p, "welch_p"), (c.differenceLow, "difference_ci_low"),
                            (c.differenceHigh, "difference_ci_high"), (c.hedgesG, "hedges_g")] {
            #expect(near(ours, v(key)), "\(key): \(ours) against \(v(key))")
        }
        let m = try #require(r.model)
        for (k, x) in (ref["coefficient"] as! [NSNumber]).enumerated() { #expect(near(m.coefficients[k], x.doubleValue), "coefficient \(k)") }
        for (k, x) in (ref["se_cr1"] as! [NSNumber]).enumerated() { #expect(near(m.standardErrors[k], x.doubleValue), "SE \(k)") }
        for (k, x) in (ref["p"] as! [NSNumber]).enumerated() { #expect(near(m.p[k], x.doubleValue) || abs(m.p[k] - x.doubleValue) < 1e-12, "p \(k)") }
        let lr = try #require(r.logRank)
        #expect(near(lr.statistic, v("logrank_chi2")))
        #expect(near(lr.p, v("logrank_p")) || abs(lr.p - v("logrank_p")) < 1e-12)
        for (k, curve) in (ref["km"] as! [[[NSNumber]]]).enumerated() {
            for row in curve {
                let step = try #require(r.survival[k].steps.first { $0.time == row[0].doubleValue })
                #expect(near(step.survival, row[1].doubleValue))
                if let lo = step.lower, let hi = step.upper { #expect(near(lo, row[2].doubleValue) && near(hi, row[3].doubleValue)) }
            }
        }
        // The bootstrap: the same seed gives the same interval; another seed moves it.
        let changes = [r.members.filter { $0.cohort == 0 }.compactMap(\.change), r.members.filter { $0.cohort == 1 }.compactMap(\.change)]
        let again = TwoSampleComparison.bootstrapG(changes[0], changes[1], resamples: spec.bootstrap, seed: spec.seed)
        let other = TwoSampleComparison.bootstrapG(changes[0], changes[1], resamples: spec.bootstrap, seed: spec.seed + 1)
        #expect(again == r.gInterval!)
        #expect(other != r.gInterval!)
        let html = try String(contentsOfFile: out.path + "/evaluation.html", encoding: .utf8)
        #expect(html.contains("not a randomised trial") && !html.contains("<script"))
    }
}
