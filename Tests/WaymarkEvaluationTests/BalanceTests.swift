import Testing
import WaymarkCore
import WaymarkMethods
import WaymarkStats
import WaymarkDisclosure
@testable import WaymarkEvaluation

/// The baseline balance table, outcome availability and the numbers at risk,
/// on tiny cohorts worked by hand (docs/evaluation.md).
@Suite struct BalanceTests {
    /// Programme: baselines 2, 4, 6 (mean 4, sample variance (4 + 0 + 4) / 2 = 4); comparison: 1, 3
    /// (mean 2, variance 2). SMD = (4 - 2) / sqrt((4 + 2) / 2) = 2 / sqrt(3). Teams: programme A, A, B;
    /// comparison A, B: share of A 2/3 against 1/2, SMD (1/6) / sqrt((2/9 + 1/4) / 2), and B the negative.
    /// Engaged hours count only series with an outcome: programme 6 and 2 (the third has none), comparison 1 and 3.
    @Test func standardisedMeanDifferencesByHand() throws {
        #expect(abs(StandardizedDifference.means(4, 4, 2, 2)! - 2 / 3.0.squareRoot()) < 1e-12)
        let shareSMD = (1.0 / 6) / ((2.0 / 9 + 1.0 / 4) / 2).squareRoot()
        #expect(abs(StandardizedDifference.proportions(2.0 / 3, 0.5)! - shareSMD) < 1e-12)
        #expect(abs(shareSMD - 0.342997) < 1e-6)
        #expect(StandardizedDifference.means(3, 0, 3, 0) == 0 && StandardizedDifference.means(3, 0, 4, 0) == nil)

        let baselines: [Double] = [2, 4, 6, 1, 3], cohorts = [0, 0, 0, 1, 1], hours: [Double] = [6, 2, 9, 1, 3]
        let members = (0..<5).map { k in
            CohortMember(series: k, cohort: cohorts[k], entry: 0, baselineDay: 0, baseline: baselines[k], outcomeDay: k == 2 ? nil : 50,
                         outcome: k == 2 ? nil : baselines[k] + 1, engagedHours: hours[k], time: 50, sustained: false)
        }
        let traits = ["A", "A", "B", "A", "B"].map { MemberTraits(team: $0, level: MemberTraits.child, ageBand: "5-9", sex: "female",
                                                                     daysOpenBeforeEntry: nil) }
        let rows = BalanceTable.rows(members, traits: traits)
        // One age band and one sex and no episodes: those covariates have no rows.
        #expect(rows.map { $0.covariate + ":" + $0.level } == ["baseline:", "team:A", "team:B", "engaged_hours:"])
        let baseline = rows[0]
        #expect(baseline.n == [3, 2] && baseline.mean == [4, 2] && abs(baseline.sd[0] - 2) < 1e-12 && abs(baseline.sd[1] - 2.0.squareRoot()) < 1e-12)
        #expect(abs(baseline.smd! - 2 / 3.0.squareRoot()) < 1e-12 && baseline.imbalanced)
        #expect(rows[1].count == [2, 1] && rows[1].n == [3, 2] && abs(rows[1].smd! - shareSMD) < 1e-12)
        #expect(abs(rows[2].smd! + shareSMD) < 1e-12)
        let hoursRow = rows[3]
        // Programme 6 and 2: mean 4, variance 8; comparison 1 and 3: mean 2, variance 2; SMD 2 / sqrt(5).
        #expect(hoursRow.measuredAfterEntry && hoursRow.n == [2, 2] && hoursRow.mean == [4, 2])
        #expect(abs(hoursRow.smd! - 2 / 5.0.squareRoot()) < 1e-12)
        // Without traits: the baseline and engaged hours only.
        #expect(BalanceTable.rows(members, traits: nil).map(\.covariate) == ["baseline", "engaged_hours"])
        #expect(BalanceTable.groupOrder(["10-15", "unknown", "0-4", "5-9", "16-17"]) == ["0-4", "5-9", "10-15", "16-17", "unknown"])
    }

    /// Disclosure of the balance table with small_count 2 and min_denominator 5. Programme: 12 series,
    /// teams A 6, B 4, C 2; comparison: 10 series, A 5, B 5, C 0. Team C's 2 is small, so its share is
    /// withheld in the programme, and B (the next smallest) with it, since the shares sum to 100%; the
    /// comparison's 0 is shown. Baselines alternate 3 and 5 (mean 4 in both cohorts, SMD 0). Engaged hours rest on the 4 programme series with an outcome: withheld.
    @Test func balanceFiguresOnTooFewSeriesAreWithheld() {
        var members: [CohortMember] = [], traits: [MemberTraits] = []
        for k in 0..<22 {
            let cohort = k < 12 ? 0 : 1, i = k < 12 ? k : k - 12
            let measured = cohort == 1 || i < 4
            members.append(CohortMember(series: k, cohort: cohort, entry: 0, baselineDay: 0, baseline: Double(3 + i % 2 * 2), outcomeDay: measured ? 60 : nil,
                                        outcome: measured ? 6 : nil, engagedHours: Double(i), time: 60, sustained: false))
            let team = cohort == 0 ? (i < 6 ? "A" : i < 10 ? "B" : "C") : (i < 5 ? "A" : "B")
            traits.append(MemberTraits(team: team, level: MemberTraits.child))
        }
        let raw = BalanceTable.rows(members, traits: traits)
        let shown = EvaluationDisclosure.balance(raw, smallCount: 2, minDenominator: 5)
        let byKey = Dictionary(uniqueKeysWithValues: shown.map { ($0.covariate + ":" + $0.level, $0) })
        #expect(byKey["baseline:"]?.mean == [4, 4] && byKey["baseline:"]?.smd == 0)
        #expect(byKey["team:A"]?.mean == [0.5, 0.5] && byKey["team:A"]?.smd == 0)
        #expect(byKey["team:B"]?.withheld == [true, false] && byKey["team:B"]?.mean == [nil, 0.5] && byKey["team:B"]?.smd == nil)
        #expect(byKey["team:C"]?.withheld == [true, false] && byKey["team:C"]?.mean == [nil, 0] && byKey["team:C"]?.smd == nil)
        #expect(byKey["engaged_hours:"]?.withheld == [true, false] && byKey["engaged_hours:"]?.sd[0] == nil)
    }

    /// Why a series has no outcome: follow-up (entry + 180) still open at as_of; closed with no later
    /// score; closed with the next score after the window.
    @Test func missingOutcomeReasons() {
        #expect(MissingOutcome.reason(entry: 100, baselineDay: 100, lastDay: 100, followUpDays: 180, asOf: 279) == .followUpNotOver)
        #expect(MissingOutcome.reason(entry: 100, baselineDay: 100, lastDay: 100, followUpDays: 180, asOf: 280) == .noScoreAfterBaseline)
        #expect(MissingOutcome.reason(entry: 100, baselineDay: 105, lastDay: 300, followUpDays: 180, asOf: 400) == .nextScoreAfterFollowUp)
        // The parts of a cohort of 20: 12 with an outcome, 6 not over, 2 with no later score (small), 0 after the window.
        // The 2 is suppressed; being the only one, the next smallest part that is not zero (the 6) is
        // suppressed too: hiding the 0 beside it would leave 20 - 12 - 6 = 2 for the two hidden parts.
        // Hidden now: 6 + 2 = 8, more than 5, so nothing more.
        let parts = EvaluationDisclosure.availability(series: .shown(20), total: 20, withOutcome: .shown(12), outcomes: 12,
                                                      missing: [6, 2, 0], smallCount: 5)
        #expect(parts == [.shown(12), .suppressed, .suppressed, .shown(0)])
        // The reviewer's case: 100 series, 80 with an outcome, missing 17, 3 and 0 (small_count 5). The 3 is
        // suppressed and its partner is the 17 (not the 0), so the hidden parts hold 20, not 3.
        let review = EvaluationDisclosure.availability(series: .shown(100), total: 100, withOutcome: .shown(80), outcomes: 80,
                                                       missing: [17, 3, 0], smallCount: 5)
        #expect(review == [.shown(80), .suppressed, .suppressed, .shown(0)])
        // 17 with an outcome (its complement 3 is small, so already suppressed) and 3 with no later score: both hidden, nothing more.
        let other = EvaluationDisclosure.availability(series: .shown(20), total: 20, withOutcome: .suppressed, outcomes: 17,
                                                      missing: [0, 3, 0], smallCount: 5)
        #expect(other == [.suppressed, .shown(0), .suppressed, .shown(0)])
    }

    /// The numbers at risk on the 13-series example of kaplanMeierIsShownOnlyAtSafeTimes (small_count 2;
    /// the curve shows day 5 only: 13 at risk, 5 events, 4 censored, 4 left). Day 0: 13. Day 2: 12, but
    /// 13 - 12 = 1 series left between two published counts: withheld by difference. Day 3: 10 (3 left
    /// since 13). Day 6: 4 (as the block leaves). Day 7: 1, small. Day 8: 0.
    @Test func numbersAtRiskByHand() {
        let durations: [Double] = [1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 6, 7]
        let observed = [true, true, false, true, true, false, false, false, true, true, true, true, false]
        let km = KaplanMeier(durations: durations, observed: observed)
        #expect([0, 2, 3, 6, 7, 8].map { km.atRisk(at: $0) } == [13, 12, 10, 4, 1, 0])
        let curve = EvaluationDisclosure.curve(km, smallCount: 2)
        let table = EvaluationDisclosure.atRisk(km, series: .shown(13), curve: curve, days: [0, 2, 3, 6, 7, 8], smallCount: 2)
        #expect(table.counts == [.shown(13), .suppressed, .shown(10), .shown(4), .suppressed, .shown(0)])
        #expect(table.byDifference == [false, true, false, false, false, false])
        // Ticks: every 3 months to the first tick at or after the last shown day (400 days = 13.1 months: 0-15);
        // every 6 months past two years.
        #expect(ProtectedRiskTable.ticks(through: 400).days == (0...5).map { Double($0 * 3) * 30.4375 })
        #expect(ProtectedRiskTable.ticks(through: 1000).monthsPerTick == 6 && ProtectedRiskTable.ticks(through: 1000).days.count == 7)
    }
}
