import Testing
import WaymarkCore
@testable import WaymarkIngest

/// The merge of a two-core read takes the second half's rows in batches
/// (`Acceptor.offerAll`): the table, the quarantine and the conflicts must be
/// exactly those of offering the rows one by one.
@Suite struct BulkAcceptTests {
    /// Rows with new ids, repeated ids (the same row: a duplicate; another
    /// row: a conflict) and blank ids (told apart by content), in a fixed
    /// pseudo-random order.
    static func rows(_ n: Int) -> [TypedRow<ScoreRow>] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var out: [TypedRow<ScoreRow>] = []
        for k in 0..<n {
            var row = ScoreRow(caseID: UInt32(1 + k / 7), childID: 0, team: 1, worker: 2, day: Int32(20_000 + k % 50), scale: 1,
                               score: Double(k % 11), rater: 1, setting: 1, line: UInt32(k + 2))
            var key = UInt64(k + 1)
            switch next(40) {
            case 0 where k > 0:
                // The same id as an earlier row, with the same content: a duplicate.
                let earlier = out[next(k)]
                row = earlier.row
                row.line = UInt32(k + 2)
                key = earlier.key
            case 1 where k > 0:
                // The same id as an earlier row, other content: a conflict.
                key = out[next(k)].key
            case 2, 3:
                key = 0   // a blank id: duplicates found by content
                if next(2) == 0 && k > 0 {
                    row = out[next(k)].row
                    row.line = UInt32(k + 2)
                }
            default:
                break
            }
            out.append(TypedRow(row: row, key: key, offset: 100 * k, line: UInt32(k + 2), byteCount: UInt32(60 + k % 9)))
        }
        return out
    }

    @Test(arguments: [1, 3, 4096, 5000])
    func batchesGiveWhatOneByOneGives(chunk: Int) {
        let rows = Self.rows(12_000)
        let lineOffset = 1000
        var oneTable = ScoreTable(), bulkTable = ScoreTable()
        bulkTable.reserve(rows.count)
        var oneReport = FileReport(file: .scalingScores, path: "x.csv"), bulkReport = oneReport
        var one = Acceptor<ScoreTable>(key: .code, contentHash: { $0.contentHash })
        var bulk = Acceptor<ScoreTable>(key: .code, contentHash: { $0.contentHash })
        for r in rows {
            one.offer(r.row, key: r.key, line: Int(r.line) + lineOffset, offset: r.offset, count: Int(r.byteCount),
                      table: &oneTable, report: &oneReport)
        }
        rows.withUnsafeBufferPointer { all in
            var from = 0
            while from < all.count {
                let to = min(all.count, from + chunk)
                bulk.offerAll(UnsafeBufferPointer(rebasing: all[from..<to]), lineOffset: lineOffset, table: &bulkTable, report: &bulkReport)
                from = to
            }
        }
        #expect(oneReport.quarantine.count > 300)
        #expect(one.anyConflict)
        #expect(bulkTable.count == oneTable.count)
        #expect((0..<oneTable.count).allSatisfy { bulkTable.row($0) == oneTable.row($0) && bulkTable.line[$0] == oneTable.line[$0] })
        #expect(bulkReport.quarantine == oneReport.quarantine)
        #expect(bulk.conflicted == one.conflicted)
        #expect(bulk.anyConflict == one.anyConflict)
    }

    /// The pages a merge will fill are faulted in without changing a value:
    /// a column given only when every column has room for all the rows.
    @Test func populatingSparePagesChangesNoValue() {
        var table = ScoreTable()
        table.reserve(300_000)
        for r in Self.rows(10) { table.append(r.row) }
        let before = (0..<10).map { table.row($0) }
        let regions = table.spareRegions(rows: 250_000)
        #expect(regions.count == 10)
        #expect(regions[0].bytes == 250_000 * 4)
        SparePages.populate(regions)
        #expect((0..<10).map { table.row($0) } == before)
        #expect(table.count == 10)
        #expect(table.spareRegions(rows: 10_000_000).isEmpty)
        for r in Self.rows(20) { table.append(r.row) }
        #expect(table.count == 30 && table.row(29) == Self.rows(20)[19].row)
    }

    /// The same rows appended to an empty table one by one, and to another in
    /// two batches (4,096 rows, then the rest).
    static func oneByOneAndBatched<T: RowTable>(_ rows: [TypedRow<T.Row>], into empty: T) -> (T, T) {
        var one = empty, batched = empty
        for r in rows { one.append(r.row) }
        rows.withUnsafeBufferPointer { all in
            batched.append(typed: UnsafeBufferPointer(rebasing: all[0..<4096]))
            batched.append(typed: UnsafeBufferPointer(rebasing: all[4096...]))
        }
        return (one, batched)
    }

    /// Interventions and responses take a batch a column at a time too: every
    /// field of every row (each distinct, NaN hours and ratings included) as
    /// appending them one by one gives.
    @Test func interventionsAndResponsesTakeABatchAsOneByOne() {
        func typed<R>(_ row: R, _ k: Int) -> TypedRow<R> { TypedRow(row: row, key: UInt64(k), offset: k * 40, line: UInt32(k + 2), byteCount: 40) }
        var interventions: [TypedRow<InterventionRow>] = []
        var responses: [TypedRow<ResponseRow>] = []
        for k in 0..<5000 {
            let ended: Int32 = k % 3 == 0 ? .blankDay : Int32(20_010 + k)
            let hours: Double = k % 4 == 0 ? .nan : Double(k) / 4
            let rating: Double = k % 5 == 0 ? .nan : Double(k % 11)
            let i = InterventionRow(id: UInt32(k + 1), caseID: UInt32(k % 97), childID: UInt32(k % 13), type: UInt32(k % 5),
                                    approach: UInt8(k % 4), offered: Int32(20_000 + k), started: Int32(20_001 + k), ended: ended,
                                    endReason: UInt8(k % 6), plannedHours: hours, provider: UInt8(k % 3),
                                    team: UInt32(k % 8), line: UInt32(k + 2))
            let r = ResponseRow(id: UInt32(k + 1), intervention: Int32(k % 301), caseID: UInt32(k % 97), day: Int32(20_000 + k),
                                response: UInt8(k % 5), sessionsOffered: Int32(k % 9), sessionsAttended: Int32(k % 7),
                                familyRating: rating, responder: UInt8(k % 4), line: UInt32(k + 2))
            interventions.append(typed(i, k))
            responses.append(typed(r, k))
        }
        let (a, b) = Self.oneByOneAndBatched(interventions, into: InterventionTable())
        #expect(b.count == 5000)
        #expect(a.id == b.id && a.caseID == b.caseID && a.childID == b.childID && a.type == b.type)
        #expect(a.approach == b.approach && a.offered == b.offered && a.started == b.started && a.ended == b.ended)
        #expect(a.endReason == b.endReason && a.provider == b.provider && a.team == b.team && a.line == b.line)
        #expect(a.plannedHours.map(\.bitPattern) == b.plannedHours.map(\.bitPattern))
        // Every column, by way of each whole row (NaN prints the same on both).
        #expect((0..<5000).allSatisfy { "\(a.row($0))" == "\(b.row($0))" })
        let (c, d) = Self.oneByOneAndBatched(responses, into: ResponseTable())
        #expect(d.count == 5000)
        #expect(c.id == d.id && c.intervention == d.intervention && c.caseID == d.caseID && c.day == d.day)
        #expect(c.response == d.response && c.sessionsOffered == d.sessionsOffered && c.sessionsAttended == d.sessionsAttended)
        #expect(c.responder == d.responder && c.line == d.line)
        #expect(c.familyRating.map(\.bitPattern) == d.familyRating.map(\.bitPattern))
        #expect((0..<5000).allSatisfy { "\(c.row($0))" == "\(d.row($0))" })
    }
}
