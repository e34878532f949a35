import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
@testable import WaymarkIndicators
@testable import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel



@Suite struct IndicatorTests {
    // MARK: Series (I1-I4) and the window

    /// E = 2026-10-31, window 365: (2025-10-31, 2026-10-31].
    /// C1/K1: 3 -> 6, change +3, rci 2.37 -> reliable improvement.
    /// C2 (family): 8 -> 5, change -3 -> reliable deterioration.
    /// C3: 7 -> 8, 45 days apart, both >= 7 -> sustained; change +1, no reliable change.
    /// C4: last point on 2025-10-31 = E - 365 -> out of scope.
    /// C5: last point 2025-11-01 -> in; change +1.
    /// C6: one point -> out.
    /// I1 = (3 - 3 + 1 + 1) / 4 = 0.5; I2 = 1/4; I3 = 1/4; I4 = 1/4.
    static let seriesScores = [
        "C1,K1,T1,2026-01-10,safety,3,practitioner", "C1,K1,T1,2026-03-01,safety,6,practitioner",
        "C2,,T2,2026-02-01,safety,8,practitioner", "C2,,T2,2026-06-01,safety,5,practitioner",
        "C3,,T1,2026-05-01,safety,7,practitioner", "C3,,T1,2026-06-15,safety,8,practitioner",
        "C4,,T1,2025-06-01,safety,2,practitioner", "C4,,T1,2025-10-31,safety,9,practitioner",
        "C5,,,2025-06-01,safety,4,practitioner", "C5,,T2,2025-11-01,safety,5,practitioner",
        "C6,,T1,2026-07-01,safety,5,practitioner",
    ]

    @Test func seriesIndicatorsAndTheWindowEdges() throws {
        var s = Scenario()
        s.scores = IndicatorTests.seriesScores
        let r = try s.run()
        #expect(r.figure(.i1)! == (0.5 * 4, 4, .published))
        #expect(r.figure(.i2)! == (1, 4, .published))
        #expect(r.figure(.i3)! == (1, 4, .published))
        #expect(r.figure(.i4)! == (1, 4, .published))
        // Teams: T1 holds C1 (+3) and C3 (+1); T2 holds C2 (-3) and C5 (+1).
        #expect(r.figure(.i1, .team, "T1")! == (4, 2, .published))
        #expect(r.figure(.i1, .team, "T2")! == (-2, 2, .published))
    }

    /// The trend recomputes each month end from rows dated by it. As at
    /// 2026-03-31 (window (2025-03-31, 2026-03-31]): C1 3 -> 6 (+3, reliable);
    /// C2 has one point (out); C3 nothing yet; C4 2 -> 9 (+7, reliable, and
    /// its last two points 152 days apart at 2 and 9: not sustained); C5 +1.
    /// I1 = (3 + 7 + 1) / 3; I2 = 2/3.
    @Test func anEarlierMonthEndSeesOnlyItsOwnRows() throws {
        var s = Scenario()
        s.scores = IndicatorTests.seriesScores
        s.trendMonths = 8
        let r = try s.run()
        #expect(r.monthEnds.map(\.description) == ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
                                                   "2026-08-31", "2026-09-30", "2026-10-31"])
        #expect(r.figure(.i1, asOf: "2026-03-31")! == (11, 3, .published))
        #expect(r.figure(.i2, asOf: "2026-03-31")! == (2, 3, .published))
        #expect(r.figure(.i3, asOf: "2026-03-31")! == (0, 3, .published))
    }

    @Test func noRCIOrNoThresholdMakesTheIndicatorNotApplicable() throws {
        var s = Scenario()
        s.scores = IndicatorTests.seriesScores
        s.safety.sd = nil
        s.safety.sustainedThreshold = nil
        let r = try s.run()
        #expect(r.figure(.i2)!.2 == .notApplicable)
        #expect(r.figure(.i3)!.2 == .notApplicable)
        #expect(r.figure(.i4)!.2 == .notApplicable)
        #expect(r.figure(.i2, .team, "T1") == nil)   // z has no breakdown rows
        #expect(r.figure(.i1)!.2 == .published)
    }

    // MARK: Segments (I5, I6) and an offer whose stop moves with the month end

    /// C1 (one series): 01-01: 5, 02-01: 3 (-2 worsened; I1 not yet offered),
    /// 03-01: 2 (-1 worsened; I1 offered 02-10 and engaged 02-20 -> engaged),
    /// 04-01: 4 (+2 improved, engaged), 04-10: 4 (steady; I1 ended 04-05, and
    /// its stop 04-05 >= the start 04-01, so it is still active -> engaged).
    /// I5 = worsened with help / worsened = 1/2. I6 = improved among engaged = 1/3.
    @Test func helpBeforeWorseningAndImprovementWhenEngaged() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-01,safety,5,practitioner", "C1,,T1,2026-02-01,safety,3,practitioner",
                    "C1,,T1,2026-03-01,safety,2,practitioner", "C1,,T1,2026-04-01,safety,4,practitioner",
                    "C1,,T1,2026-04-10,safety,4,practitioner"]
        s.interventions = ["I1,C1,,parenting_programme,,2026-02-10,2026-02-12,2026-04-05,completed,10,in_house,T1"]
        s.responses = ["I1,C1,2026-02-20,engaged"]
        let r = try s.run()
        #expect(r.figure(.i5)! == (1, 2, .published))
        #expect(r.figure(.i6)! == (1, 3, .published))
        let m = try #require(r.matrices.first { $0.scale == "safety" && $0.rater == .practitioner })
        #expect(m.matrix[.noneOffered, .worsened].segments == 1)
        #expect(m.matrix[.engaged, .worsened].segments == 1)
        #expect(m.matrix[.engaged, .improved].segments == 1 && m.matrix[.engaged, .improved].meanChange == 2)
        #expect(m.matrix[.engaged, .steady].segments == 1)
    }

    /// I1 is offered 01-05, never started, and declined only on 05-20.
    /// As at 04-30 it had no response, so it lapsed 90 days after the offer
    /// (04-05): the worsened segment [04-10, 04-20) had nothing on offer.
    /// As at 10-31 its latest response is the decline of 05-20, so it was on
    /// offer until then: the same segment had help on offer (unrecorded).
    @Test func aSegmentsContextIsJudgedAsAtEachMonthEnd() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-04-10,safety,6,practitioner", "C1,,T1,2026-04-20,safety,4,practitioner"]
        s.interventions = ["I1,C1,,respite,,2026-01-05,,,,,,T1"]
        s.responses = ["I1,C1,2026-05-20,declined"]
        s.trendMonths = 7
        let r = try s.run()
        #expect(r.figure(.i5, asOf: "2026-04-30")! == (0, 1, .published))
        #expect(r.figure(.i5, asOf: "2026-10-31")! == (1, 1, .published))
        let april = try #require(r.matrices.first { $0.asOf.description == "2026-04-30" })
        let october = try #require(r.matrices.first { $0.asOf.description == "2026-10-31" })
        #expect(april.matrix[.noneOffered, .worsened].segments == 1)
        #expect(october.matrix[.unrecorded, .worsened].segments == 1)
    }

    // MARK: Occasions (I7, I8)

    /// C1 03-01: practitioner scores K1 5 and K2 7, a parent scores the family 4:
    /// one paired occasion, gap |mean(5, 7) - 4| = 2. C1 04-01: practitioner only.
    /// C2 03-05: parent only. I7 = 2/3 occasions with a family score; I8 = 2/1.
    /// On worry (higher is worse) a practitioner 8 and a child 5 orient to 2 and 5: gap 3.
    @Test func occasionsArePerCaseAndDayAcrossRaters() throws {
        var s = Scenario()
        s.scores = ["C1,K1,T1,2026-03-01,safety,5,practitioner", "C1,K2,T1,2026-03-01,safety,7,practitioner",
                    "C1,,T1,2026-03-01,safety,4,parent", "C1,K1,T1,2026-04-01,safety,6,practitioner",
                    "C2,,T2,2026-03-05,safety,6,parent",
                    "C3,,T2,2026-03-05,worry,8,practitioner", "C3,K9,T2,2026-03-05,worry,5,child"]
        let r = try s.run()
        #expect(r.figure(.i7, rater: "all")! == (2, 3, .published))
        #expect(r.figure(.i8, rater: "all")! == (2, 1, .published))
        #expect(r.figure(.i7, rater: "all", .team, "T1")! == (1, 2, .published))
        #expect(r.figure(.i8, scale: "worry", rater: "all")! == (3, 1, .published))
    }

    // MARK: Offers (I9, I10, I13), endings (I11), cases (I12)

    /// Window (2025-10-31, 2026-10-31]. O1: first response day 02-01 has a
    /// decline and an acceptance -> best is partial -> accepted. O2: first day a
    /// decline, engaged later -> not accepted. O3: no response. O4: offered
    /// before the window (out). O5: its only response is after E (none by E).
    /// I9 = 1/2, I10 = 2/4, I13 (community, voluntary; blank provider in the denominator) = 2/4.
    @Test func offersAcceptedRespondedAndFromTheCommunity() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-01,safety,5,practitioner"]
        s.interventions = ["O1,C1,,respite,,2026-01-20,,,,,community,T1", "O2,C1,,respite,,2026-02-20,,,,,voluntary,T1",
                           "O3,C1,,respite,,2026-03-20,,,,,in_house,T1", "O4,C1,,respite,,2025-10-31,,,,,community,T1",
                           "O5,C1,,respite,,2026-10-01,,,,,,T1"]
        s.responses = ["O1,C1,2026-02-01,declined", "O1,C1,2026-02-01,accepted", "O1,C1,2026-03-01,engaged",
                       "O2,C1,2026-03-01,declined", "O2,C1,2026-03-10,engaged", "O5,C1,2026-11-02,accepted"]
        let r = try s.run()
        #expect(r.figure(.i9, scale: "all", rater: "all")! == (1, 2, .published))
        #expect(r.figure(.i10, scale: "all", rater: "all")! == (2, 4, .published))
        #expect(r.figure(.i13, scale: "all", rater: "all")! == (2, 4, .published))
    }

    /// Ended in the window: completed, family_withdrew, and one with a blank
    /// reason (denominator only). Ended before the window or after E: out.
    /// I11 = 1/3.
    @Test func helpCompleted() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-01,safety,5,practitioner"]
        s.interventions = ["E1,C1,,respite,,2025-01-01,2025-02-01,2026-01-10,completed,,,T1",
                           "E2,C1,,respite,,2026-01-01,2026-01-02,2026-02-10,family_withdrew,,,T1",
                           "E3,C1,,respite,,2026-01-01,2026-01-02,2026-03-10,,,,T1",
                           "E4,C1,,respite,,2025-01-01,2025-01-02,2025-10-31,completed,,,T1",
                           "E5,C1,,respite,,2026-10-01,2026-10-02,2026-11-03,completed,,,T1"]
        let r = try s.run()
        #expect(r.figure(.i11, scale: "all", rater: "all")! == (1, 3, .published))
    }

    /// Cases in scope: C1 (a score in the window), C2 (only an offer in the
    /// window: a family group conference, whose blank approach is network by
    /// the default table), C3 (a score before the window only: out), C4 (a
    /// score in the window; its network offer was before the window). I12 = 1/3.
    @Test func networkReach() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-01,safety,5,practitioner", "C3,,T1,2025-01-01,safety,5,practitioner",
                    "C4,,T2,2026-02-01,safety,5,practitioner"]
        s.interventions = ["N1,C2,,family_group_conference,,2026-03-01,,,,,,T2", "N2,C4,,network_meeting,,2025-09-01,,,,,,T2",
                           "N3,C1,,respite,,2026-03-01,,,,,,T1"]
        let r = try s.run()
        #expect(r.figure(.i12, scale: "all", rater: "all")! == (1, 3, .published))
        #expect(r.figure(.i12, scale: "all", rater: "all", .team, "T2")! == (1, 2, .published))
    }

    // MARK: The guardrail (I14) and closures (I15, I16)

    /// W1 (service_withdrawn, ended 05-01): before 04-01 = 4, after 05-20 = 6,
    /// difference 2 >= step -> known, followed by improvement.
    /// W2 (reduced, ended 06-01): its next point 10-20 is beyond 120 days -> unknown.
    /// W3 (reduced, family-level, ended 07-01): K1's point on 07-01 counts as
    /// before (5), after 07-15 = 5 (0); K2 06-01 = 3, 08-01 = 4 (1): mean 0.5 < 1
    /// -> known, not followed by improvement.
    /// I14 = 1/2, I14u = 1/3.
    @Test func withdrawalsKnownAndUnknown() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-04-01,safety,4,practitioner", "C1,,T1,2026-05-20,safety,6,practitioner",
                    "C2,,T1,2026-05-01,safety,5,practitioner", "C2,,T1,2026-10-20,safety,4,practitioner",
                    "C3,K1,T1,2026-07-01,safety,5,practitioner", "C3,K1,T1,2026-07-15,safety,5,practitioner",
                    "C3,K2,T1,2026-06-01,safety,3,practitioner", "C3,K2,T1,2026-08-01,safety,4,practitioner"]
        s.interventions = ["W1,C1,,respite,,2026-03-01,2026-03-02,2026-05-01,service_withdrawn,,,T1",
                           "W2,C2,,respite,,2026-03-01,2026-03-02,2026-06-01,reduced,,,T1",
                           "W3,C3,,respite,,2026-03-01,2026-03-02,2026-07-01,reduced,,,T1"]
        let r = try s.run()
        #expect(r.figure(.i14)! == (1, 2, .published))
        #expect(r.figure(.i14u)! == (1, 3, .published))
    }

    /// Closures in the window, judged as at the closure with the headline rater:
    /// E1 (C1 closed 06-01): 3 -> 6 by then (+3, reliable improvement); a later
    /// drop to 2 on 07-01 does not count. E2 (C2 closed 07-01): 5 -> 5, not
    /// sustained -> measured, no improvement. E3 (C3 closed 08-01): one point ->
    /// unmeasured; so is R3 (closed 2025-11-01, inside the window, no scores).
    /// I15 = 1/2, I15u = 2/4.
    /// I16: window (2024-10-31, 2025-10-31]: R1 closed 2025-03-01, reopened
    /// 2025-12-01 (within 365 days) -> re-referred; R2 closed 2025-06-01,
    /// reopened 2026-06-02 (366 days) -> not; R3 closed 2025-11-01 (too recent).
    /// I16 = 1/2.
    @Test func closuresInContextAndReReferrals() throws {
        var s = Scenario()
        s.scores = ["C1,,T1,2026-01-01,safety,3,practitioner", "C1,,T1,2026-05-01,safety,6,practitioner",
                    "C1,,T1,2026-07-01,safety,2,practitioner",
                    "C2,,T1,2026-02-01,safety,5,practitioner", "C2,,T1,2026-06-01,safety,5,practitioner",
                    "C3,,T1,2026-07-01,safety,5,practitioner"]
        s.episodes = ["C1,2025-12-01,2026-06-01", "C2,2026-01-01,2026-07-01", "C3,2026-06-01,2026-08-01",
                      "R1,2024-06-01,2025-03-01", "R1,2025-12-01,", "R2,2024-06-01,2025-06-01", "R2,2026-06-02,",
                      "R3,2025-01-01,2025-11-01"]
        let r = try s.run()
        #expect(r.figure(.i15)! == (1, 2, .published))
        #expect(r.figure(.i15u)! == (2, 4, .published))
        #expect(r.figure(.i16, scale: "all", rater: "all")! == (1, 2, .published))
    }

    @Test func withoutEpisodesClosureIndicatorsAreNotAvailable() throws {
        var s = Scenario()
        s.scores = IndicatorTests.seriesScores
        let r = try s.run()
        for id: IndicatorID in [.i15, .i15u] {
            #expect(r.figure(id)!.2 == .notAvailable)
            #expect(r.rows.filter { $0.id == id && $0.scale == "safety" }.count == 1)
        }
        #expect(r.figure(.i16, scale: "all", rater: "all")!.2 == .notAvailable)
    }

    // MARK: Breakdowns by child characteristics

    /// K1 (5-9, female) 3 -> 6; K2 has no row in children.csv (unknown);
    /// the family-level series of C2 falls in `family`.
    @Test func childBreakdownsHaveFamilyAndUnknownGroups() throws {
        var s = Scenario()
        s.scores = ["C1,K1,T1,2026-01-10,safety,3,practitioner", "C1,K1,T1,2026-03-01,safety,6,practitioner",
                    "C1,K2,T1,2026-01-10,safety,4,practitioner", "C1,K2,T1,2026-03-01,safety,4,practitioner",
                    "C2,,T2,2026-02-01,safety,8,practitioner", "C2,,T2,2026-06-01,safety,5,practitioner"]
        s.children = ["K1,C1,5-9,female,White,no"]
        let r = try s.run()
        #expect(r.figure(.i1, .ageBand, "5-9")! == (3, 1, .published))
        #expect(r.figure(.i1, .ageBand, "unknown")! == (0, 1, .published))
        #expect(r.figure(.i1, .ageBand, "family")! == (-3, 1, .published))
        #expect(r.figure(.i1, .disability, "no")! == (3, 1, .published))
        // Case-day occasions have no child breakdowns (M13.9).
        #expect(!r.rows.contains { $0.id == .i7 && $0.breakdown == .ageBand })
    }

    // MARK: The trend calendar (M7, M13.3)

    @Test func trendMonthEnds() {
        func ends(_ d: String, _ n: Int) -> [String] { TrendCalendar.monthEnds(asOf: Day(iso: d)!, months: n).map(\.description) }
        #expect(ends("2024-03-31", 4) == ["2023-12-31", "2024-01-31", "2024-02-29", "2024-03-31"])   // leap February
        #expect(ends("2026-06-30", 3) == ["2026-04-30", "2026-05-31", "2026-06-30"])
        #expect(ends("2026-03-31", 2) == ["2026-02-28", "2026-03-31"])
        #expect(ends("2026-11-15", 3) == ["2026-09-30", "2026-10-31", "2026-11-15"])                 // as_of not a month end
        #expect(ends("2026-10-31", 12).count == 12)
    }
}

@Suite struct CatalogueTests {
    /// docs/indicators.md is generated from the catalogue; regenerate it with
    /// `swift run waymark catalogue > docs/indicators.md` when this fails.
    @Test func theMethodologyPageMatchesTheCatalogue() throws {
        let page = try String(contentsOfFile: projectRoot() + "/docs/indicators.md", encoding: .utf8)
        #expect(page == IndicatorCatalogue.markdown())
    }

    @Test func everyIndicatorOfMethodsM8IsCatalogued() {
        let ids = IndicatorCatalogue.all.map(\.id)
        #expect(ids == [.i1, .i2, .i3, .i4, .i5, .i6, .i7, .i8, .i9, .i10, .i11, .i12, .i13, .i14, .i14u,
                        .i15, .i15u, .i16])
        #expect(IndicatorCatalogue.all.allSatisfy { !$0.title.isEmpty && !$0.reason.isEmpty })
    }
}
