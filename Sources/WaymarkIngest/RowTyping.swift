import Foundation
import WaymarkCSV

#if canImport(Glibc)
import Glibc
#endif
import WaymarkCore
import WaymarkMethods

/// Parses one record's canonical columns into a typed row and its duplicate
/// key; problems go on the cursor.
typealias RowParser<Row> = (inout RowCursor, inout ParseState) -> (row: Row, key: UInt64)?

/// Rewrites a row typed against the second reader's pools (the second half
/// of a parallel read) into the main pools' codes, and shifts its line.
typealias RowRemapper<Row> = (inout Row, inout UInt64, IdentifierRemap, Int) -> Void

/// The mutable state of typing rows on one thread: the identifier pools it
/// interns into, a pool for the file's own row ids, and the vocabulary caches.
struct ParseState {
    var ids: IdentifierSpace
    /// Row ids local to one file (`score_id`, `response_id`): only for duplicates.
    var local = Interner(capacity: 1 << 12, label: PoolLabel.rowIDs.rawValue)
    /// One resolver per canonical column (empty for columns without a vocabulary).
    var resolvers: [ValueResolver]
    /// Approach code by intervention-type code, filled as types appear.
    var approachOfType: [UInt8] = [0]
}

/// Code translation from a second thread's pools into the main pools.
struct IdentifierRemap {
    var cases: [UInt32], children: [UInt32], teams: [UInt32], workers: [UInt32], interventions: [UInt32], texts: [UInt32]
    var local: [UInt32]
    /// Per ``PoolLabel``: the values the first reader's identifier guard
    /// flagged, in the main pools' codes.
    private var firstFlagged: [Set<UInt32>]

    /// Interns every string of `other`, in its first-seen order, into the main
    /// pools: the merged codes are those a sequential read would have given.
    /// The second reader began from the pools as they stood before the file
    /// (`before`), so those strings keep their codes and only its new ones
    /// are interned. Row ids (`local`) are only compared, never read back, so
    /// they are joined rather than merged: equal ids get equal codes, and
    /// nothing is inserted (see ``Interner/joinedCodes(_:parts:)``).
    init(from other: ParseState, into ids: inout IdentifierSpace, local mainLocal: Interner, before: IdentifierSpace) {
        firstFlagged = [[], ids.cases.guardFlagged, ids.children.guardFlagged, ids.teams.guardFlagged, ids.workers.guardFlagged,
                        ids.interventions.guardFlagged, ids.texts.guardFlagged, mainLocal.guardFlagged]
        cases = ids.cases.absorb(other.ids.cases, sharing: before.cases.count)
        children = ids.children.absorb(other.ids.children, sharing: before.children.count)
        teams = ids.teams.absorb(other.ids.teams, sharing: before.teams.count)
        workers = ids.workers.absorb(other.ids.workers, sharing: before.workers.count)
        interventions = ids.interventions.absorb(other.ids.interventions, sharing: before.interventions.count)
        texts = ids.texts.absorb(other.ids.texts, sharing: before.texts.count)
        local = mainLocal.joinedCodes(other.local)
    }

    /// True when the first reader flagged the second reader's value `code`
    /// in pool `pool`: a one-core read counts a value once, where it is first
    /// flagged, so the second reader's finding of it is dropped. (A value the
    /// first reader passed, the second flags only where one core would too:
    /// under a waiver that does not cover the first's, see
    /// ``RowCursor/guardPoolValue(_:isNew:pool:code:)``.)
    func firstReaderFlagged(pool: UInt8, code: UInt32) -> Bool {
        let map: [UInt32]
        switch PoolLabel(rawValue: pool) {
        case .cases: map = cases
        case .children: map = children
        case .teams: map = teams
        case .workers: map = workers
        case .interventions: map = interventions
        case .texts: map = texts
        case .rowIDs: map = local
        case .notInterned, nil: return false
        }
        return Int(code) < map.count && firstFlagged[Int(pool)].contains(map[Int(code)])
    }
}

/// One record's identifier-guard findings, each with the pool and code of
/// the value found (pool 0 when the value is not interned).
struct FindingLog {
    var items: [IdentifierFinding] = []
    var sources: [(pool: UInt8, code: UInt32)] = []
    var total: Int { items.count }
    mutating func add(_ f: IdentifierFinding, pool: UInt8 = 0, code: UInt32 = 0) {
        items.append(f)
        sources.append((pool, code))
    }
    mutating func add(_ other: FindingLog) {
        items += other.items
        sources += other.sources
    }
}

/// One row typed on the second thread, with its key, line and its bytes'
/// place in the file, in case the merge finds it a duplicate and it must go
/// to quarantine/ as read.
struct TypedRow<Row> {
    var row: Row
    var key: UInt64
    var offset: Int
    var line: UInt32
    var byteCount: UInt32
}

/// Rows typed on a second thread, kept until the first half is done.
///
/// The rows are held in chunks of just over 32 MiB. glibc maps every block
/// that large on its own (32 MiB is the highest its sliding mmap threshold
/// goes), so each chunk goes back to the system just after the merge has
/// taken it (on another thread, ``drainChunks(_:)``), while the main table fills: at 10M score rows
/// the read's peak no longer holds a second copy of the file's second half
/// (64 bytes a row, about 330 MB).
struct TypedRows<Row> {
    private var chunks: [[TypedRow<Row>]] = []
    private var expected = 0
    /// Rows a chunk holds (tests make it small).
    let rowsPerChunk: Int
    /// The fewest rows whose bytes pass 32 MiB.
    static var defaultRowsPerChunk: Int { (32 << 20) / MemoryLayout<TypedRow<Row>>.stride + 1024 }

    init(rowsPerChunk: Int = Self.defaultRowsPerChunk) { self.rowsPerChunk = max(1, rowsPerChunk) }

    /// Makes room for about `n` rows, so the first chunk is not copied at every doubling.
    mutating func reserve(_ n: Int) { expected = n }

    /// Rows held (not yet drained).
    var count: Int { chunks.reduce(0) { $0 + $1.count } }

    mutating func append(_ r: TypedRow<Row>) {
        let full = rowsPerChunk
        if chunks.isEmpty || chunks[chunks.count - 1].count >= full {
            var chunk: [TypedRow<Row>] = []
            chunk.reserveCapacity(chunks.isEmpty ? min(full, max(1024, expected)) : full)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(r)
    }

    /// Hands the rows to `body` a chunk at a time, in order (to change in
    /// place if it likes), letting each chunk go once it is done.
    mutating func drainChunks(_ body: (UnsafeMutableBufferPointer<TypedRow<Row>>) -> Void) {
        let releasing = DispatchGroup()
        for k in chunks.indices {
            chunks[k].withUnsafeMutableBufferPointer { rows in body(rows) }
            // A taken chunk is handed back to the system on another thread: unmapping 32 MiB
            // was an eighth of the merge's samples on the thread that appends.
            let taken = UncheckedBox(chunks[k])
            chunks[k] = []
            DispatchQueue.global().async(group: releasing) { taken.value = [] }
        }
        chunks = []
        releasing.wait()
    }
    var quarantine: [QuarantinedRow] = []
    /// Lines of rows counted as `not_scored`.
    var notScored: [Int] = []
    /// Records of an `unpivot` whose wide cells were all empty.
    var recordsWithoutValues = 0
    /// Findings kept for the merge, with their pool and code: every one until
    /// 20 outside any pool are kept, then only pool values, which the merge
    /// drops when the first reader flagged them too (a value counts once,
    /// where first flagged). So the merged first 20 and total are a one-core
    /// read's.
    var findings: [IdentifierFinding] = []
    var findingSources: [(pool: UInt8, code: UInt32)] = []
    var unpooledFindingsKept = 0
    var findingTotal = 0
    var rowsRead = 0
}

/// Turns records into typed rows or quarantined rows, and runs the identifier
/// guard over them. Holds no mutable state, so two threads can share it.
struct RowTyper<Row> {
    let header: Ingestor.Header
    let parse: RowParser<Row>
    /// Shared by every cursor; lives as long as the ingest of the file (see `release`).
    let context: UnsafeMutablePointer<CursorContext>
    /// For an `unpivot`: one context per wide column (its cell as the value
    /// column, its own constants), and the wide column's source position.
    let variants: [(context: UnsafeMutablePointer<CursorContext>, source: Int)]

    init(header: Ingestor.Header, mapping: FileMapping, extractedOn: Int32, parse: @escaping RowParser<Row>) {
        self.header = header
        self.parse = parse
        func make(_ columns: [Int], _ derived: DerivedColumns?) -> UnsafeMutablePointer<CursorContext> {
            let p = UnsafeMutablePointer<CursorContext>.allocate(capacity: 1)
            p.initialize(to: CursorContext(columns: columns, ids: mapping.ids, dateFormats: mapping.dateFormats,
                                           extractedOn: extractedOn, waived: header.waived, derived: derived))
            return p
        }
        context = make(header.columns, header.derived)
        if let derived = header.derived, !derived.variants.isEmpty {
            variants = derived.variants.map { v in
                var columns = header.columns
                columns[derived.unpivotValue] = v.source
                var d = derived
                d.fixed = v.fixed
                return (make(columns, d), v.source)
            }
        } else {
            variants = []
        }
    }

    func release() {
        for p in [context] + variants.map(\.context) {
            p.pointee.free()
            p.deinitialize(count: 1)
            p.deallocate()
        }
    }

    enum Outcome {
        case row(Row, UInt64)
        case rejected(QuarantinedRow)
        /// A sound row whose score is absent for a reason (`missing_values`).
        case notScored(line: Int)
    }

    /// The rows one record gives: one, or for an `unpivot` one per non-empty
    /// wide cell (none when every wide cell is empty: the guard still scans it).
    func outcomes(_ record: CSVRecord, lineOffset: Int, state: inout ParseState, findings: inout FindingLog) -> [Outcome] {
        guard !variants.isEmpty, record.count == header.names.count, !record.isBlank else {
            return [core(record, lineOffset: lineOffset, state: &state, findings: &findings)]
        }
        var out: [Outcome] = []
        for (k, v) in variants.enumerated() {
            if !record.faults.contains(where: { $0.column == v.source }) && RowCursor.isBlank(record[v.source]) { continue }
            // The guard scans the record once, with its first row.
            var log = FindingLog()
            let outcome = core(record, lineOffset: lineOffset, state: &state, findings: &log, context: v.context)
            if out.isEmpty || k == 0 { findings.add(log) }
            // Rows of one record share its score_id: they are compared by content.
            if case .row(let row, _) = outcome { out.append(.row(row, 0)) } else { out.append(outcome) }
        }
        if out.isEmpty { _ = core(record, lineOffset: lineOffset, state: &state, findings: &findings) }
        return out
    }

    func core(_ record: CSVRecord, lineOffset: Int, state: inout ParseState, findings: inout FindingLog,
              context: UnsafeMutablePointer<CursorContext>? = nil) -> Outcome {
        let h = header
        var cursor = RowCursor(record: record, context: context ?? self.context, lineOffset: lineOffset)
        var wholeRow = false
        var parsed: (row: Row, key: UInt64)?
        if record.count != h.names.count {
            cursor.problems.append(RowProblem(record.isBlank ? .blankRow : .wrongFieldCount))
            wholeRow = true
        } else if record.isBlank {
            cursor.problems.append(RowProblem(.blankRow))
        } else {
            for fault in record.faults where !h.isDropped(fault.column) {
                cursor.problems.append(RowProblem(Ingestor.reason(fault.kind), column: fault.column))
            }
            parsed = parse(&cursor, &state)
        }
        // The identifier guard: every text-like field, and every field of a rejected
        // row except those that parsed as dates, numbers or vocabulary values.
        let line = record.line + lineOffset
        func check(_ s: Int) {
            if let kind = IdentifierGuard.scan(record[s], waived: s < h.waived.count ? h.waived[s] : 0) {
                findings.add(IdentifierFinding(line: line, column: s, columnName: s < h.names.count ? h.names[s] : "column \(s + 1)", kind: kind))
            }
        }
        // Fields the reader skipped (too long, malformed) were scanned as they streamed past.
        for fault in record.faults where fault.findings != 0 && !(wholeRow && h.hasDrops)
            && (wholeRow || !h.isDropped(fault.column)) {
            if let kind = IdentifierKind.allCases.first(where: { fault.findings & $0.bit != 0 }) {
                let s = fault.column
                findings.add(IdentifierFinding(line: line, column: s, columnName: s < h.names.count ? h.names[s] : "column \(s + 1)", kind: kind))
            }
        }
        // In canonical column order, whatever order the parser asked in (it interns a row
        // id last, after prefetching its slot), so the first 20 findings kept are the same.
        var rowFindings = cursor.findings
        if rowFindings.count > 1 {
            func rank(_ s: Int) -> Int { s >= 0 && s < h.canonicalOfSource.count && h.canonicalOfSource[s] >= 0 ? h.canonicalOfSource[s] : Int.max }
            rowFindings = rowFindings.enumerated().sorted { (rank($0.element.column), $0.offset) < (rank($1.element.column), $1.offset) }.map(\.element)
        }
        for (s, kind, pool, code) in rowFindings {
            findings.add(IdentifierFinding(line: line, column: s, columnName: s < h.names.count ? h.names[s] : "column \(s + 1)", kind: kind),
                         pool: pool, code: code)
        }
        let done = cursor.typedOK | cursor.scanned
        if cursor.problems.isEmpty, let parsed {
            for s in h.scan {
                let c = h.canonicalOfSource[s]
                if c >= 0 && done & (1 << UInt64(c)) != 0 { continue }
                check(s)
            }
            return cursor.absentForAReason ? .notScored(line: line) : .row(parsed.row, parsed.key)
        }
        // A row whose fields do not line up with the header, in a file that drops
        // columns: which field is dropped is unknown, so none is scanned and the
        // quarantine withholds the row's bytes (QuarantineWriter).
        let scanned = wholeRow && h.hasDrops ? 0 : record.count
        for s in 0..<scanned {
            if !wholeRow && h.isDropped(s) { continue }
            let c = s < h.canonicalOfSource.count && !wholeRow ? h.canonicalOfSource[s] : -1
            if c >= 0 && done & (1 << UInt64(c)) != 0 { continue }
            check(s)
        }
        return .rejected(QuarantinedRow(line: line, byteOffset: record.byteOffset, byteCount: record.byteCount, problems: cursor.problems))
    }

    /// Types a record and accepts or quarantines it at once (the first, or only, reader).
    func type<T: RowTable>(_ record: CSVRecord, lineOffset: Int, state: inout ParseState, into accept: inout Acceptor<T>,
                           table: inout T, report: inout FileReport) where T.Row == Row {
        var log = FindingLog()
        func take(_ outcome: Outcome) {
            report.rowsRead += 1
            switch outcome {
            case .row(let row, let key):
                accept.offer(row, key: key, line: record.line + lineOffset, offset: record.byteOffset, count: record.byteCount,
                             table: &table, report: &report)
            case .rejected(let q):
                report.quarantine.append(q)
            case .notScored(let line):
                report.notScoredLines.append(line)
            }
        }
        if variants.isEmpty {
            // The usual file: one row per record, no array on the hot path.
            take(core(record, lineOffset: lineOffset, state: &state, findings: &log))
        } else {
            let rows = outcomes(record, lineOffset: lineOffset, state: &state, findings: &log)
            if rows.isEmpty { report.recordsWithoutValues += 1 }
            for outcome in rows { take(outcome) }
        }
        if log.total > 0 {
            accept.findingTotal += log.total
            for f in log.items where accept.findings.count < 20 { accept.findings.append(f) }
        }
    }

    /// Types a record and keeps the result for later (the second reader).
    func collect(_ record: CSVRecord, state: inout ParseState, into out: inout TypedRows<Row>) {
        var log = FindingLog()
        func take(_ outcome: Outcome) {
            out.rowsRead += 1
            switch outcome {
            case .row(let row, let key):
                out.append(TypedRow(row: row, key: key, offset: record.byteOffset, line: UInt32(truncatingIfNeeded: record.line),
                                    byteCount: UInt32(truncatingIfNeeded: record.byteCount)))
            case .rejected(let q):
                out.quarantine.append(q)
            case .notScored(let line):
                out.notScored.append(line)
            }
        }
        if variants.isEmpty {
            take(core(record, lineOffset: 0, state: &state, findings: &log))
        } else {
            let rows = outcomes(record, lineOffset: 0, state: &state, findings: &log)
            if rows.isEmpty { out.recordsWithoutValues += 1 }
            for outcome in rows { take(outcome) }
        }
        if log.total > 0 {
            out.findingTotal += log.total
            for (f, source) in zip(log.items, log.sources) where source.pool != 0 || out.unpooledFindingsKept < 20 {
                out.findings.append(f)
                out.findingSources.append(source)
                if source.pool == 0 { out.unpooledFindingsKept += 1 }
            }
        }
    }
}

/// Accepts typed rows in file order: finds duplicates (the first is kept) and
/// conflicting ids (all are held back once the file is read).
struct Acceptor<T: RowTable> {
    let key: Ingestor.KeyKind
    let contentHash: (T.Row) -> UInt64
    var index = DuplicateIndex()
    var conflicted: [Bool] = []
    var anyConflict = false
    var findings: [IdentifierFinding] = []
    var findingTotal = 0

    init(key: Ingestor.KeyKind, contentHash: @escaping (T.Row) -> UInt64) {
        self.key = key
        self.contentHash = contentHash
    }

    /// Offers typed rows in order, with the outcome of ``offer`` for each
    /// one by one (`lineOffset` is added to their lines). Rows whose id or
    /// key is new go into the table a batch at a time, a column at a time;
    /// from the first row that repeats one (or has none), one by one.
    mutating func offerAll(_ rows: UnsafeBufferPointer<TypedRow<T.Row>>, lineOffset: Int, table: inout T, report: inout FileReport) {
        let batch = 4096
        var done = 0
        while done < rows.count {
            let base = table.count
            var k = done
            let end = min(rows.count, done + batch)
            // A row found by key whose key is new takes its place in the index now.
            while k < end, case .some(nil) = firstByKey(rows[k].key, else: Int32(base + k - done)) { k += 1 }
            // Rows done..<k are new: the index already holds their places in the table.
            table.append(typed: UnsafeBufferPointer(rebasing: rows[done..<k]))
            conflicted.append(contentsOf: repeatElement(false, count: k - done))
            done = k
            if k < end {
                // This row repeats a key, or has none: the one-by-one rules (the index gave no place to it).
                let r = rows[k]
                offer(r.row, key: r.key, line: Int(r.line) + lineOffset, offset: r.offset, count: Int(r.byteCount),
                      table: &table, report: &report)
                done = k + 1
            }
        }
    }

    /// For a row found by its id or key: the first row with it, or `.some(nil)`
    /// when it is new (`newIndex` is then recorded as its first). Nil for a
    /// row found by content (a blank id, or a file keyed by content), which
    /// this does not look up.
    private mutating func firstByKey(_ rowKey: UInt64, else newIndex: Int32) -> Int32?? {
        switch key {
        case .code where rowKey != 0: return .some(index.first(code: UInt32(truncatingIfNeeded: rowKey), else: newIndex))
        case .composite: return .some(index.first(key: rowKey, else: newIndex))
        default: return nil
        }
    }

    mutating func offer(_ candidate: T.Row, key rowKey: UInt64, line: Int, offset: Int, count: Int,
                        table: inout T, report: inout FileReport) {
        let newIndex = Int32(table.count)
        let first = firstByKey(rowKey, else: newIndex)
            ?? index.first(hash: contentHash(candidate), else: newIndex) { table.row(Int($0)) == candidate }
        guard let first else {
            table.append(candidate)
            conflicted.append(false)
            return
        }
        let problem: RowProblem
        if table.row(Int(first)) == candidate {
            problem = RowProblem(.duplicate)
        } else {
            problem = RowProblem(.conflictingID)
            conflicted[Int(first)] = true
            anyConflict = true
        }
        report.quarantine.append(QuarantinedRow(line: line, byteOffset: offset, byteCount: count, problems: [problem]))
    }
}

/// Holds a value for another thread; the caller guarantees the hand-over.
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// Runs `a` here and `b` on another thread, and waits for both.
func inParallel<A, B>(_ a: () throws -> A, _ b: @escaping () throws -> B) throws -> (A, B) {
    let work = UncheckedBox(b)
    let result = UncheckedBox<Result<B, Error>?>(nil)
    let group = DispatchGroup()
    DispatchQueue.global(qos: .userInitiated).async(group: group) {
        result.value = Result { try work.value() }
    }
    let first = Result { try a() }
    group.wait()
    guard let second = result.value else { throw IngestError.worker }
    return (try first.get(), try second.get())
}

