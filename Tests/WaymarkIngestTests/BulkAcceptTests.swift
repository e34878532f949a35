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
}
