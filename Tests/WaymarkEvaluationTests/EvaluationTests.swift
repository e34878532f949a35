import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
@testable import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

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
        let members = CohortBuilder.build(t, ingest: ingest, options: config.evaluationOptions, spec: Self.spec())
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
        let members = CohortBuilder.build(t, ingest: ingest, options: config.evaluationOptions, spec: spec)
        let names = members.map { (ingest.ids.cases.string(t.series[$0.series].caseID), $0.cohort) }.sorted { $0.0 < $1.0 }
        #expect(names.map(\.0) == ["C1", "C2"] && names.map(\.1) == [0, 1])
        spec.programme.series = [.range(field: .nPoints, min: 6, max: nil)]
        #expect(CohortBuilder.build(t, ingest: ingest, options: config.evaluationOptions, spec: spec).allSatisfy { $0.cohort == 1 })
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
        let r = EvaluationEngine.run(t, ingest: ingest, options: config.evaluationOptions, spec: spec)
        let out = try InputFolder([:])
        let context = RunContext(config: config, dates: dates, outputFolder: out.path, command: "test")
        try EvaluationWriter.write(EvaluationDisclosure.protect(r, config: config), pipeline: config.name, folders: context.folders)
        try CohortsWriter.write(r, t: t, ingest: ingest, folders: context.folders)
        #expect(r.counts[0].withOutcome > 100 && r.counts[1].withOutcome > 100)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root + "/Tests/oracle/evaluation.py", context.restrictedFolder + "/record-level/cohorts.csv", spec.programme.name, out.path + "/ref.json"]
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
        // The balance table's baseline row and engaged hours' SMD, against pandas.
        let baseline = try #require(r.balance.first { $0.covariate == "baseline" })
        let means = ref["mean_baseline"] as! [NSNumber], sds = ref["sd_baseline"] as! [NSNumber]
        for k in 0..<2 { #expect(near(baseline.mean[k], means[k].doubleValue) && near(baseline.sd[k], sds[k].doubleValue)) }
        #expect(near(try #require(baseline.smd), v("smd_baseline")))
        #expect(near(try #require(r.balance.first { $0.covariate == "engaged_hours" }?.smd), v("smd_engaged_hours")))

        // The bootstrap: the same seed gives the same interval; another seed moves it.
        let changes = [r.members.filter { $0.cohort == 0 }.compactMap(\.change), r.members.filter { $0.cohort == 1 }.compactMap(\.change)]
        let again = TwoSampleComparison.bootstrapG(changes[0], changes[1], resamples: spec.bootstrap, seed: spec.seed)
        let other = TwoSampleComparison.bootstrapG(changes[0], changes[1], resamples: spec.bootstrap, seed: spec.seed + 1)
        #expect(again == r.gInterval!)
        #expect(other != r.gInterval!)
        let html = try String(contentsOfFile: out.path + "/evaluation.html", encoding: .utf8)
        #expect(html.contains("not a randomised trial") && !html.contains("<script"))
    }

    // MARK: Disclosure control of the shared outputs (EvaluationDisclosure, docs/evaluation.md)

    /// A programme cohort of 3 series (P1-P3, FGC offered 2026-02-01, each sustained by 05-15) against
    /// 20 comparison series (Q1-Q20, never sustained). Every count of the programme is 1..5: the page
    /// says "fewer than 6", the CSV and JSON `c`; the change analyses and regression (which would reveal
    /// n) are withheld; cohorts.csv goes to the restricted folder, not the report folder.
    @Test func aCohortOfThreeSeriesIsSuppressedInTheHTMLAndCSV() throws {
        var s = Scenario()
        for (k, b) in [4, 3, 5].enumerated() {
            s.scores += ["P\(k),,T1,2026-02-05,safety,\(b),practitioner", "P\(k),,T1,2026-04-01,safety,7,practitioner",
                         "P\(k),,T1,2026-05-15,safety,\(8 + k % 2),practitioner"]
            s.interventions.append("F\(k),P\(k),,family_group_conference,,2026-02-01,,,,6,community,T1")
        }
        for k in 0..<20 {
            s.scores += ["Q\(k),,T2,2026-01-20,safety,4,practitioner", "Q\(k),,T2,2026-03-01,safety,\(3 + k % 4),practitioner"]
        }
        let (t, ingest, config) = try s.prepare()
        let r = EvaluationEngine.run(t, ingest: ingest, options: config.evaluationOptions, spec: Self.spec())
        #expect(r.counts.map(\.series) == [3, 20] && r.counts.map(\.withOutcome) == [3, 20] && r.counts.map(\.events) == [3, 0])
        #expect(r.comparison != nil)   // computed, but not for sharing

        let p = EvaluationDisclosure.protect(r, config: config)
        #expect(p.series == [.suppressed, .shown(20)] && p.withOutcome == [.suppressed, .shown(20)] && p.events == [.suppressed, .shown(0)])
        #expect(p.comparison == nil && p.gInterval == nil && p.model == nil && p.logRank == nil)
        #expect(p.survival[0].points.isEmpty)

        let out = try InputFolder([:])
        let context = RunContext(config: config, dates: RunDates(asOf: t.asOf, extractedOn: t.asOf), outputFolder: out.path + "/report", command: "test")
        try EvaluationWriter.write(EvaluationDisclosure.protect(r, config: config), pipeline: config.name, folders: context.folders)
        try CohortsWriter.write(r, t: t, ingest: ingest, folders: context.folders)
        let html = try String(contentsOfFile: out.path + "/report/evaluation.html", encoding: .utf8)
        #expect(html.contains("<tr><th scope=\"row\">Fgc</th><td>fewer than 6</td><td>fewer than 6</td><td>fewer than 6</td></tr>"))
        // Outcome availability: the 3 series have outcomes; the zero parts are shown, the rest is not.
        #expect(html.contains("<tr><th scope=\"row\">Fgc</th><td>fewer than 6</td><td>fewer than 6</td><td>0</td><td>0</td><td>0</td></tr>"))
        // Balance: every programme figure rests on 3 series, so none is shown, and no SMD either.
        #expect(html.contains("<tr><th scope=\"row\">Baseline score</th><td>not shown</td><td>4.00 (SD 0.00)</td><td>not shown</td><td></td></tr>"))
        // Numbers at risk: 3 at entry reads "fewer than 6" (and no cell anywhere on the page prints 3).
        let risk = html.components(separatedBy: "class=\"compact at-risk\"")[1].components(separatedBy: "</table>")[0]
        #expect(risk.contains("<tr><th scope=\"row\">Fgc</th><td>fewer than 6</td>"))
        #expect(html.contains("<td>20</td><td>20</td><td>0</td>"))
        #expect(!html.contains("<td>3</td>") && !html.contains("(3 series"))
        let csv = try CSVReader.readAll(path: out.path + "/report/evaluation.csv").map(\.fields)
        let rows = Dictionary(csv.dropFirst().map { ($0[1], $0) }, uniquingKeysWith: { a, _ in a })
        #expect(rows["series"]?[4] == "c" && rows["series"]?[5] == "20")
        #expect(rows["series_with_outcome"]?[4] == "c" && rows["series_with_outcome"]?[5] == "20")
        #expect(rows["sustained_events_programme"]?[3] == "c" && rows["sustained_events_comparison"]?[3] == "0")
        #expect(rows["welch_t"] == nil && rows["hedges_g"] == nil && rows["coefficient"] == nil)
        #expect(csv.dropFirst().allSatisfy { $0[4] == "c" || $0[4] == "0" })   // n_programme is never shown, bar zeros
        #expect(csv.contains { $0[0] == "balance" && $0[1] == "mean_programme" && $0[2] == "baseline" && $0[3] == "c" })
        let json = try String(contentsOfFile: out.path + "/report/evaluation.json", encoding: .utf8)
        #expect(json.contains("\"series\": \"c\"") && !json.contains("\"series\": 3"))
        // The keys added at the end: availability, balance (the programme's figures withheld as "c"), numbers at risk.
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let balance = try #require(object["balance"] as? [[String: Any]])
        let baselineRow = try #require(balance.first { $0["covariate"] as? String == "baseline" })
        #expect((baselineRow["programme"] as? [String: Any])?["mean"] as? String == "c" && baselineRow["smd"] as? String == "c")
        #expect((object["outcome_availability"] as? [[String: Any]])?.first?["series_with_outcome"] as? String == "c")
        #expect(((object["numbers_at_risk"] as? [String: Any])?["programme"] as? [Any])?.first as? String == "c")

        // The record-level cohorts go to the restricted folder, beside the report folder.
        #expect(context.restrictedFolder == out.path + "/report.restricted")
        let cohorts = try String(contentsOfFile: out.path + "/report.restricted/record-level/cohorts.csv", encoding: .utf8)
        #expect(cohorts.split(separator: "\r\n").count == 24)   // header + 23 series
        #expect(!FileManager.default.fileExists(atPath: out.path + "/report/record-level"))
        #expect(context.restrictedFilesWritten == ["record-level/cohorts.csv"] && !context.filesWritten.contains { $0.hasPrefix("record-level") })
    }

    /// Hand-made members: the programme has 20 series, 17 with an outcome and 18 sustained. 17 and 18
    /// are not small, but 20 - 17 = 3 and 20 - 18 = 2 are, and follow by subtraction from the series
    /// count shown beside them: both are suppressed. With the programme's outcome count hidden, the
    /// statistics (whose d/g ratio and Welch df fix n1 and n2) and the regression (its n is the total)
    /// are withheld, so the hidden count cannot be recovered from the total either.
    @Test func complementaryCountsAreProtected() {
        var members: [CohortMember] = []
        for k in 0..<50 {
            let cohort = k < 20 ? 0 : 1, i = k < 20 ? k : k - 20
            let hasOutcome = cohort == 1 || i < 17
            let sustained = cohort == 0 && i < 18
            let baseline = Double(3 + k % 2)
            members.append(CohortMember(series: k, cohort: cohort, entry: 0, baselineDay: 0, baseline: baseline, outcomeDay: hasOutcome ? 100 : nil,
                                        outcome: hasOutcome ? baseline + Double(k % 3 + cohort) : nil, engagedHours: Double(k % 4),
                                        time: Int32(30 + i * 5), sustained: sustained))
        }
        let r = EvaluationEngine.statistics(members, clusterOf: { $0.series }, spec: Self.spec(), scale: "safety", rater: .practitioner,
                                            asOf: Day(iso: "2026-10-31")!, hasThreshold: true)
        #expect(r.counts[0].series == 20 && r.counts[0].withOutcome == 17 && r.counts[0].events == 18)
        #expect(r.comparison != nil && r.model != nil)
        let p = EvaluationDisclosure.protect(r, smallCount: 5, minDenominator: 10)
        #expect(p.series == [.shown(20), .shown(30)])
        #expect(p.withOutcome == [.suppressed, .shown(30)])
        #expect(p.events == [.suppressed, .shown(0)])
        #expect(p.comparison == nil && p.model == nil && p.withheld.count >= 2)
        #expect(!EvaluationWriter.statistics(p).contains { $0.1 == "welch_t" || $0.2 == "programme" })

        // The same cohorts with 14 of the 20 programme series measured and 12 sustained (days 30-85,
        // the rest censored at days 90-125): nothing is small, so counts, statistics and regression are
        // all shown. (The curve shows days 55 and 85, 6 events each, leaving 8 at risk.)
        for k in 0..<20 {
            members[k].outcomeDay = k < 14 ? 100 : nil
            members[k].outcome = k < 14 ? members[k].baseline + Double(k % 3) : nil
            members[k].sustained = k < 12
        }
        let q = EvaluationDisclosure.protect(EvaluationEngine.statistics(members, clusterOf: { $0.series }, spec: Self.spec(), scale: "safety",
                                                                          rater: .practitioner, asOf: Day(iso: "2026-10-31")!, hasThreshold: true),
                                             smallCount: 5, minDenominator: 10)
        #expect(q.withOutcome == [.shown(14), .shown(30)] && q.events == [.shown(12), .shown(0)])
        #expect(q.survival[0].points.map(\.time) == [55, 85] && q.survival[0].points.map(\.events) == [6, 6])
        #expect(q.comparison != nil && q.model != nil && q.model?.n == 44)
        #expect(EvaluationWriter.statistics(q).contains { $0.1 == "welch_t" } && q.withheld.isEmpty)
    }

    /// The Kaplan-Meier rule by hand, with small_count 2 (so a count is safe when 0 or at least 3).
    /// 13 series: day 1: 1 event; day 2: 1 event, 1 censored; day 3: 2 events; day 4: 3 censored;
    /// day 5: 1 event; day 6: 3 events; day 7: 1 censored.
    /// Day 1-3 cannot close a block (too few events, then 1 censoring); day 5 can: 5 events and 4
    /// censorings since entry, 4 left at risk. From day 6 only 4 remain and day 6 would leave 1: the
    /// curve stops at day 5. What follows (3 events, 1 censoring) would reveal 1 censoring beside the
    /// cohort's event count, so that count (8) is suppressed too.
    @Test func kaplanMeierIsShownOnlyAtSafeTimes() {
        let durations: [Double] = [1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 6, 7]
        let observed = [true, true, false, true, true, false, false, false, true, true, true, true, false]
        let km = KaplanMeier(durations: durations, observed: observed)
        let curve = EvaluationDisclosure.curve(km, smallCount: 2)
        #expect(curve.points.count == 1)
        let point = curve.points[0]
        #expect(point.time == 5 && point.atRisk == 13 && point.events == 5 && point.censored == 4)
        #expect(abs(point.survival - 12.0 / 13 * 11 / 12 * 8 / 10 * 4 / 5) < 1e-12 && point.survival == km.survival(at: 5))
        #expect(point.lower == km.steps.first { $0.time == 5 }?.lower)
        #expect(curve.median == nil)   // the median (day 6) lies beyond the shown curve
        // Two series are too few for any curve.
        #expect(EvaluationDisclosure.curve(KaplanMeier(durations: [1, 2], observed: [true, true]), smallCount: 2).points.isEmpty)
        // With small_count 1 (safe: 0 or at least 2): day 2 has 2 events but 1 censoring, day 3 likewise; day 5
        // closes the block; day 6 would leave 1 at risk.
        #expect(EvaluationDisclosure.curve(km, smallCount: 1).points.map(\.time) == [5])

        let members = durations.indices.flatMap { k in (0..<2).map { c in
            CohortMember(series: 2 * k + c, cohort: c, entry: 0, baselineDay: 0, baseline: 4, outcomeDay: nil, outcome: nil,
                         engagedHours: 0, time: Int32(durations[k]), sustained: observed[k])
        } }
        let r = EvaluationEngine.statistics(members, clusterOf: { $0.series }, spec: Self.spec(), scale: "safety", rater: .practitioner,
                                            asOf: Day(iso: "2026-10-31")!, hasThreshold: true)
        let p = EvaluationDisclosure.protect(r, smallCount: 2, minDenominator: 3)
        #expect(p.series == [.shown(13), .shown(13)] && p.events == [.suppressed, .suppressed])
        #expect(p.survival.map { $0.points.count } == [1, 1])
    }

    /// Record-level files land in the restricted folder, never in the report folder: by default
    /// `Restricted/<name>/<as_of>/`, beside an explicit report folder `DIR` as `DIR.restricted`, or
    /// where `--restricted-out` says (but not inside the report folder).
    @Test func recordLevelFilesGoToTheRestrictedFolder() throws {
        let folder = try Minimal.folder(scores: Minimal.scoresHeader + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
                                            + "S2,C1,,T1,W1,2026-03-10,safety,6,practitioner,review\n")
        let config = folder.config()
        let dates = RunDates(asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-11-05")!)
        let byDefault = RunContext(config: config, dates: dates, outputFolder: nil, command: "test")
        #expect(byDefault.outputFolder == "Reports/\(config.name)/2026-10-31" && byDefault.restrictedFolder == "Restricted/\(config.name)/2026-10-31")
        #expect(RunContext(config: config, dates: dates, outputFolder: "/x/out/", command: "test").restrictedFolder == "/x/out.restricted")
        #expect(RunContext(config: config, dates: dates, outputFolder: "/x/out/", command: "test").restrictedFolderFromReport == "../out.restricted")
        #expect(byDefault.restrictedFolderFromReport == "../../../Restricted/\(config.name)/2026-10-31")

        let context = RunContext(config: config, dates: dates, outputFolder: folder.path + "/out", command: "run")

        context.historyPath = nil
        #expect(throws: RunError.self) { try context.useRestrictedFolder(folder.path + "/out/private") }
        #expect(throws: RunError.self) { try context.useRestrictedFolder(folder.path + "/out") }
        try context.useRestrictedFolder(folder.path + "/private")
        let ingest = try Validation.run(context, progress: { _ in })
        _ = try StageRunner.run(context, ingest: ingest)
        try Validation.writeManifest(context, ingest: ingest, status: "ok")
        let names = ["README.txt", "series.csv", "segments.csv", "points.csv"]
        #expect(context.restrictedFilesWritten == names.map { "record-level/" + $0 })
        for name in names { #expect(FileManager.default.fileExists(atPath: folder.path + "/private/record-level/" + name)) }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/record-level"))
        let report = try FileManager.default.subpathsOfDirectory(atPath: folder.path + "/out")
        #expect(report.contains("index.html") && !report.contains { $0.contains("record-level") })
        #expect(!context.filesWritten.contains { $0.contains("record-level") })
        let readme = try String(contentsOfFile: folder.path + "/private/record-level/README.txt", encoding: .utf8)
        #expect(readme.hasPrefix("contains record-level pseudonymised data\n"))
        let series = try String(contentsOfFile: folder.path + "/private/record-level/series.csv", encoding: .utf8)
        #expect(series.contains("C1,,safety,practitioner,T1,2,2026-01-10,2026-03-10,4,6,2,"))
    }
}
