import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
@testable import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel




@Suite struct TrajectoryTests {
    @Test func worryIsOrientedAndSameDayScoresMerge() throws {
        // worry 0-10, higher is worse: raw 8 -> 0 + 10 - 8 = 2, raw 6 -> 4; same day -> mean 3 from 2 scores.
        var c = Case()
        c.scores = ["C1,,T1,2026-03-01,worry,8,group", "C1,,T1,2026-03-01,worry,6,group", "C1,,T1,2026-04-01,worry,1,group"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C1", rater: .group, scale: 1))
        #expect(t.points[s.points].map(\.value) == [3, 9])
        #expect(t.points[s.points].map(\.rawScores) == [2, 1])
        #expect(t.sameDayMerges == 1)
        #expect(s.change == 6)
    }

    @Test func contextFamilyHelpCountsForAChildASiblingsDoesNotAndADeclinedOfferStops() throws {
        var c = Case()
        c.scores = ["C1,K1,T1,2026-01-01,safety,3,practitioner", "C1,K1,T1,2026-02-01,safety,5,practitioner",
                    "C1,K1,T1,2026-03-01,safety,4,practitioner"]
        c.interventions = [
            "I1,C1,,respite,2026-01-01,,,,2",              // family level; declined 01-05 -> stops 01-05
            "I2,C1,K1,parenting_programme,2026-01-10,2026-01-16,,,3", // for K1; engaged 01-25
            "I3,C1,K2,respite,2026-01-02,2026-01-03,,,5",  // for the sibling: never counts for K1
        ]
        c.responses = ["I1,C1,2026-01-05,declined", "I2,C1,2026-01-15,accepted", "I2,C1,2026-01-25,engaged",
                       "I3,C1,2026-01-04,engaged"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C1", child: "K1"))
        let g = t.segments(of: s)
        // Segment 1 [01-01, 02-01): I1 (declined) and I2 (engaged at 02-01) active -> engaged; +2 improved; 2 + 3 hours.
        #expect(g[0].context == .engaged && g[0].activeInterventions == 2 && g[0].plannedHours == 5)
        #expect(g[0].change == 2 && g[0].direction == .improved)
        // Segment 2 [02-01, 03-01): I1 stopped at its decline (01-05 < 02-01); only I2 -> engaged; -1 worsened.
        #expect(g[1].context == .engaged && g[1].activeInterventions == 1 && g[1].plannedHours == 3)
        #expect(g[1].change == -1 && g[1].direction == .worsened)
        #expect(s.exposure == .engaged)
    }

    @Test func declinedBeatsUnrecordedAndAResponseAfterTheEndDoesNotCount() throws {
        var c = Case()
        c.scores = ["C1,,T1,2026-01-01,safety,4,practitioner", "C1,,T1,2026-02-01,safety,4,practitioner",
                    "C1,,T1,2026-03-01,safety,6,practitioner"]
        c.interventions = ["I1,C1,,respite,2026-01-01,,,,", "I2,C1,,respite,2026-01-05,2026-01-06,,,"]
        c.responses = ["I1,C1,2026-02-02,declined"]   // the day after segment 1 ends
        let (t, ing) = try c.build()
        let g = t.segments(of: try #require(t.series(ing, "C1")))
        // Segment 1: no response by 02-01 for either -> unrecorded (I1 still on offer: its stop is 02-02).
        #expect(g[0].context == .unrecorded && g[0].activeInterventions == 2 && g[0].direction == .steady)
        // Segment 2: I1 declined on 02-02 (stop 02-02 >= 02-01: active), I2 unrecorded -> declined.
        #expect(g[1].context == .declined && g[1].activeInterventions == 2 && g[1].direction == .improved)
    }

    @Test func aTieOfResponsesOnOneDayTakesTheHigherLevel() throws {
        var c = Case()
        c.scores = ["C2,,T1,2026-01-01,safety,5,practitioner", "C2,,T1,2026-02-01,safety,5,practitioner"]
        c.interventions = ["I1,C2,,respite,2026-01-02,,,,"]
        c.responses = ["I1,C2,2026-01-10,declined", "I1,C2,2026-01-10,accepted"]
        let (t, ing) = try c.build()
        let g = t.segments(of: try #require(t.series(ing, "C2")))
        // Same day: accepted (partial) beats declined; and so the offer does not stop at the decline.
        #expect(g[0].context == .partial && g[0].activeInterventions == 1)
    }

    @Test func withdrawnBoundariesOffersOnTheEndDayAndLapses() throws {
        var c = Case()
        c.scores = ["C3,,T1,2026-01-01,safety,5,practitioner", "C3,,T1,2026-02-01,safety,5,practitioner",
                    "C3,,T1,2026-03-01,safety,5,practitioner"]
        c.interventions = [
            "W1,C3,,respite,2025-12-01,2025-12-02,2026-01-01,service_withdrawn,2", // ended on segment 1's start: in
            "W2,C3,,respite,2025-12-01,2025-12-02,2026-03-01,reduced,3",           // ended on segment 2's end: not in
            "E1,C3,,respite,2026-02-01,,,,8",        // offered on segment 1's end: belongs to segment 2
            "L1,C3,,respite,2025-10-01,,,,11",       // unanswered: lapses 2025-10-01 + 90 = 2025-12-30 < 01-01
            "L2,C3,,respite,2025-10-05,,,,5",        // lapses 2026-01-03 >= 01-01: active in segment 1 only
        ]
        let (t, ing) = try c.build()
        let g = t.segments(of: try #require(t.series(ing, "C3")))
        #expect(g[0].withdrawn == true && g[1].withdrawn == false)
        // Segment 1: W1, W2, L2 -> 3 active, 2 + 3 + 5 hours. Segment 2: W2 (stop 03-01), E1 -> 3 + 8.
        #expect(g[0].activeInterventions == 3 && g[0].plannedHours == 10)
        #expect(g[1].activeInterventions == 2 && g[1].plannedHours == 11)
        #expect(g[0].context == .unrecorded && g[1].context == .unrecorded)
    }

    @Test func rowsAfterAsOfAreLeftOutAndLaterEndsAreBlank() throws {
        var c = Case()
        c.asOf = "2026-02-05"
        c.scores = ["C4,,T1,2026-01-01,safety,5,practitioner", "C4,,T1,2026-02-01,safety,6,practitioner",
                    "C4,,T1,2026-03-01,safety,9,practitioner"]   // after as_of: not a point
        // Ended after as_of: treated as still running, so not withdrawn and still active.
        c.interventions = ["I1,C4,,respite,2025-12-01,2025-12-02,2026-01-20,service_withdrawn,1",
                           "I2,C4,,respite,2025-12-01,2025-12-02,2026-03-10,service_withdrawn,1"]
        c.responses = ["I2,C4,2026-01-20,engaged", "I2,C4,2026-02-10,disengaged"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C4"))
        #expect(s.n == 2 && s.latest == 6)
        let g = t.segments(of: s)
        // I1 ended 01-20 (by as_of), withdrawn inside [01-01, 02-01): withdrawn. I2's end (03-10) is after
        // as_of, so blank: not withdrawn, still active; its level at 02-01 is engaged (01-20).
        #expect(g[0].withdrawn == true && g[0].context == .engaged && g[0].activeInterventions == 2)
    }

    @Test func slopeOnUnevenlySpacedPoints() throws {
        // Days 0, 10, 40 with values 2, 4, 5: Sxy = 240 - 3(50/3)(11/3) = 170/3, Sxx = 1700 - 3(50/3)^2 = 2600/3,
        // slope = 17/260 a day, x 30 = 51/26.
        var c = Case()
        c.scores = ["C5,,T1,2026-01-01,safety,2,practitioner", "C5,,T1,2026-01-11,safety,4,practitioner",
                    "C5,,T1,2026-02-10,safety,5,practitioner"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C5"))
        #expect(abs((s.slopePer30Days ?? 0) - 51.0 / 26.0) < 1e-12)
        #expect(s.change == 3 && s.baseline == 2 && s.latest == 5)
    }

    @Test func rciWithANumericSD() throws {
        // sd 2, reliability 0.8: rci = 3 / (2 sqrt(0.4)) = 2.3717082451262845 -> reliable improvement.
        var safety = ScaleSpec(name: "safety", min: 0, max: 10, higherIsBetter: true)
        safety.sd = .value(2)
        safety.reliability = 0.8
        var c = Case()
        c.scales = [safety]
        c.scores = ["C6,,T1,2026-01-01,safety,2,practitioner", "C6,,T1,2026-02-01,safety,5,practitioner",
                    "C7,,T1,2026-01-01,safety,5,practitioner", "C7,,T1,2026-02-01,safety,4,practitioner"]
        let (t, ing) = try c.build()
        let a = try #require(t.series(ing, "C6")), b = try #require(t.series(ing, "C7"))
        #expect(abs((a.rci ?? 0) - 2.3717082451262845) < 1e-12 && a.reliable == .improvement)
        #expect(abs((b.rci ?? 0) + 0.7905694150420949) < 1e-12 && b.reliable == .noChange)
    }

    @Test func rciWithTheSDOfBaselinesInScope() throws {
        // In scope (n >= 2, last point in (2025-10-31, 2026-10-31]): baselines 3 and 5 -> sd = sqrt(2);
        // the old series (last point 2025-06-01) is out of scope but still gets an rci.
        // reliability 0.5: denominator sqrt(2) * sqrt(1) = sqrt(2).
        var safety = ScaleSpec(name: "safety", min: 0, max: 10, higherIsBetter: true)
        safety.sd = .baseline
        safety.reliability = 0.5
        var c = Case()
        c.scales = [safety]
        c.scores = ["A1,,T1,2026-01-01,safety,3,practitioner", "A1,,T1,2026-02-01,safety,5,practitioner",
                    "A2,,T1,2026-01-01,safety,5,practitioner", "A2,,T1,2026-03-01,safety,2,practitioner",
                    "A3,,T1,2025-01-01,safety,0,practitioner", "A3,,T1,2025-06-01,safety,4,practitioner"]
        let (t, ing) = try c.build()
        let rci = { (id: String) in try #require(t.series(ing, id)).rci ?? .nan }
        #expect(abs(try rci("A1") - 2 / 2.0.squareRoot()) < 1e-12)
        #expect(abs(try rci("A2") - (-3) / 2.0.squareRoot()) < 1e-12)
        #expect(try #require(t.series(ing, "A2")).reliable == .deterioration)
        #expect(abs(try rci("A3") - 4 / 2.0.squareRoot()) < 1e-12)
        #expect(try #require(t.series(ing, "A3")).reliable == .improvement)
    }

    @Test func noRCIWithoutParameters() throws {
        var c = Case()
        c.scores = ["C8,,T1,2026-01-01,safety,2,practitioner", "C8,,T1,2026-02-01,safety,5,practitioner"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C8"))
        #expect(s.rci == nil && s.reliable == nil)
        #expect(t.rciNotes.contains { $0.hasPrefix("safety/practitioner: no rci") })
    }

    @Test func sustainedNeedsTheGap() throws {
        // threshold 7, gap 28: last two points 7 and 8, 27 days apart -> false; 28 days -> true.
        var c = Case()
        c.scores = ["S1,,T1,2026-01-01,safety,7,practitioner", "S1,,T1,2026-01-28,safety,8,practitioner",
                    "S2,,T1,2026-01-01,safety,7,practitioner", "S2,,T1,2026-01-29,safety,8,practitioner",
                    "S3,,T1,2026-01-01,safety,6,practitioner", "S3,,T1,2026-03-01,safety,8,practitioner"]
        let (t, ing) = try c.build()
        #expect(try #require(t.series(ing, "S1")).sustained == false)
        #expect(try #require(t.series(ing, "S2")).sustained == true)
        #expect(try #require(t.series(ing, "S3")).sustained == false)
    }

    @Test func aSinglePointSeriesHasNoSummaryButIsExported() throws {
        var c = Case()
        c.scores = ["C9,,T1,2026-01-01,safety,5,practitioner"]
        let (t, ing) = try c.build()
        let s = try #require(t.series(ing, "C9"))
        #expect(s.n == 1 && s.change == nil && s.slopePer30Days == nil && s.sustained == nil && s.exposure == nil)
        let out = try InputFolder([:])
        let context = RunContext(config: PipelineConfig(name: "t"), dates: RunDates(asOf: t.asOf, extractedOn: t.asOf),
                                 outputFolder: out.path, command: "test")
        var config = PipelineConfig(name: "t")
        config.scales = PipelineConfig.defaultScales
        try RecordLevelWriter.write(t, ingest: ing, scales: config.scales.map(\.name), pipeline: config.name, folders: context.folders)
        let series = try String(contentsOfFile: context.restrictedFolder + "/record-level/series.csv", encoding: .utf8)
        #expect(series.contains("C9,,safety,practitioner,T1,1,2026-01-01,2026-01-01,5,5,,,,,,\r\n"))
        let readme = try String(contentsOfFile: context.restrictedFolder + "/record-level/README.txt", encoding: .utf8)
        #expect(readme.hasPrefix("contains record-level pseudonymised data\n"))
    }

    @Test func teamOfASeries() throws {
        // The last non-blank team among the scores of the last point; else the case's latest team.
        var c = Case()
        c.scores = ["T1,,North,2026-01-01,safety,5,practitioner", "T1,,,2026-02-01,safety,5,practitioner",
                    "T1,,South,2026-02-01,safety,5,parent", "T2,,,2026-01-01,safety,5,practitioner"]
        let (t, ing) = try c.build()
        let team = { (s: Series?) in s.map { $0.team == 0 ? "unknown" : ing.ids.teams.string($0.team) } }
        #expect(team(t.series(ing, "T1")) == "South")          // case's latest team (parent score, 02-01)
        #expect(team(t.series(ing, "T1", rater: .parent)) == "South")
        #expect(team(t.series(ing, "T2")) == "unknown")
    }

    @Test func supportResponseMatrix() throws {
        var c = Case()
        c.scores = ["M1,,T1,2026-01-01,safety,3,practitioner", "M1,,T1,2026-02-01,safety,5,practitioner",
                    "M1,,T1,2026-03-01,safety,4,practitioner", "M1,,T1,2026-04-01,safety,4,practitioner",
                    "M2,,T1,2025-01-01,safety,3,practitioner", "M2,,T1,2025-02-01,safety,9,practitioner"]
        c.interventions = ["I1,M1,,respite,2026-01-10,2026-01-11,2026-02-15,completed,"]
        c.responses = ["I1,M1,2026-01-20,engaged"]
        let (t, _) = try c.build()
        let m = SupportMatrix.compute(t, scale: 0, rater: .practitioner, asOf: Day(iso: "2026-10-31")!, windowDays: 365)
        // M1: [01-01,02-01) engaged +2 improved; [02-01,03-01) engaged (I1 ended 02-15) -1 worsened;
        // [03-01,04-01) none offered 0 steady. M2's segment ends 2025-02-01: outside the window.
        #expect(m[.engaged, .improved] == SupportMatrix.Cell(segments: 1, sumOfChange: 2))
        #expect(m[.engaged, .worsened] == SupportMatrix.Cell(segments: 1, sumOfChange: -1))
        #expect(m[.noneOffered, .steady] == SupportMatrix.Cell(segments: 1, sumOfChange: 0))
        #expect(m.cells.flatMap { $0 }.reduce(0) { $0 + $1.segments } == 3)
    }
}
