import Testing
@testable import WaymarkIngest

/// The second reader's rows, held in chunks that the merge lets go one by
/// one: every row comes back once, in the order it was appended.
@Suite struct TypedRowsTests {
    @Test func rowsComeBackInOrderAcrossChunks() {
        var typed = TypedRows<Int>(rowsPerChunk: 3)
        typed.reserve(2)
        for k in 0..<10 {
            typed.append(TypedRow(row: k, key: UInt64(100 + k), offset: 1000 * k, line: UInt32(k + 2), byteCount: UInt32(k % 4)))
        }
        #expect(typed.count == 10)
        var seen: [(Int, UInt64, Int, UInt32, UInt32)] = []
        typed.drainChunks { rows in for r in rows { seen.append((r.row, r.key, r.offset, r.line, r.byteCount)) } }
        #expect(seen.map(\.0) == Array(0..<10))
        #expect(seen.map(\.1) == (0..<10).map { UInt64(100 + $0) })
        #expect(seen.map(\.2) == (0..<10).map { 1000 * $0 })
        #expect(seen.map(\.3) == (0..<10).map { UInt32($0 + 2) })
        #expect(seen.map(\.4) == (0..<10).map { UInt32($0 % 4) })
        #expect(typed.count == 0)
        typed.drainChunks { _ in Issue.record("a drained holder has no rows") }
    }

    /// A full chunk is over 32 MiB, the most glibc's sliding mmap threshold
    /// reaches, so each is mapped on its own and unmapped when let go.
    @Test func aFullChunkIsOverThirtyTwoMiB() {
        let stride = MemoryLayout<TypedRow<ScoreRow>>.stride
        #expect(TypedRows<ScoreRow>.defaultRowsPerChunk * stride > 32 << 20)
        #expect(TypedRows<ScoreRow>.defaultRowsPerChunk * stride < 33 << 20)
    }
}
