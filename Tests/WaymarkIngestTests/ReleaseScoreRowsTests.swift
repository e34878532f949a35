import Testing
import WaymarkCore
import WaymarkIngest
import WaymarkTestSupport

/// Letting the score rows go after the trajectories stage: every copy of the
/// result lets them go, and the counts per month the history needs stay.
@Suite struct ReleaseScoreRowsTests {
    @Test func copiesShareTheReleaseAndTheMonthCountsStay() throws {
        let rows = Minimal.scoresHeader
            + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
            + "S2,C1,,T1,W1,2026-01-31,safety,5,practitioner,review\n"
            + "S3,C2,,T1,W1,2026-02-01,safety,6,practitioner,review\n"
        let result = try Minimal.folder(scores: rows).ingest()
        let copy = result
        // By hand: two rows in January 2026, one in February.
        let expected = [Day(iso: "2026-01-31")!: 2, Day(iso: "2026-02-28")!: 1]
        #expect(result.scores.count == 3)
        #expect(result.scoreMonths == expected)
        result.releaseScoreRows()
        #expect(copy.scoreMonths == expected)
        #expect(result.scoreMonths == expected)
        result.releaseScoreRows()   // a second call changes nothing
        #expect(copy.scoreMonths == expected)
    }
}
