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

    /// `worker` and `setting` go before the trajectories (only ingest reads
    /// them); every other column, and every copy, keeps its rows.
    @Test func theIngestOnlyColumnsGoAndTheRestStay() throws {
        let rows = Minimal.scoresHeader
            + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
            + "S2,C2,,T1,W2,2026-01-31,safety,5,practitioner,review\n"
        let result = try Minimal.folder(scores: rows).ingest()
        let copy = result
        #expect(result.scores.worker.count == 2 && result.scores.setting.count == 2)
        result.releaseIngestOnlyColumns()
        #expect(copy.scores.worker.isEmpty && copy.scores.setting.isEmpty)
        #expect(copy.scores.count == 2)
        #expect(copy.scores.score == [4, 5])
        #expect(copy.scores.day == [Day(iso: "2026-01-10")!.number, Day(iso: "2026-01-31")!.number])
    }
}
