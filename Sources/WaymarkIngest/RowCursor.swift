import WaymarkCSV
import WaymarkCore
import WaymarkMethods

/// Resolves raw values of a closed vocabulary (an enumeration or the declared
/// scales) to codes, applying the mapping's vocabulary entries; each distinct
/// raw value is resolved once and cached.
struct ValueResolver {
    private var seen = Interner(capacity: 64)
    private var cache: [Int32] = [-1]          // by interned raw value; -1 unknown
    private let names: [String: Int32]

    /// `canonical` values get codes 1, 2, ... unless `codes` gives them.
    init(canonical: [String], codes: [Int32]? = nil, vocabulary: [String: String]) {
        var names: [String: Int32] = [:]
        for (k, name) in canonical.enumerated() { names[name] = codes?[k] ?? Int32(k + 1) }
        for (raw, target) in vocabulary { if let code = names[target] { names[raw] = code } }
        self.names = names
    }

    /// The first 16 distinct raw values of up to 16 bytes, each as its length
    /// and two words that hold all its bytes (``Interner/shortWords(_:)``), with its code:
    /// a column of a few codes repeated on every row is resolved by comparing
    /// words, without hashing.
    private var short: [(count: Int, first: UInt64, last: UInt64, code: Int32)] = []

    /// The code of a non-empty raw value, or nil when it is not in the vocabulary.
    @inline(__always)
    mutating func resolve(_ raw: UnsafeBufferPointer<UInt8>) -> Int32? {
        let w = Interner.shortWords(raw)
        if let w {
            for e in short where e.first == w.first && e.last == w.last && e.count == raw.count {
                return e.code >= 0 ? e.code : nil
            }
        }
        let key = Int(seen.intern(raw))
        if key >= cache.count {
            let text = String(decoding: raw, as: UTF8.self)
            cache.append(names[text] ?? -1)
        }
        let code = cache[key]
        if let w, short.count < 16 { short.append((raw.count, w.first, w.last, code)) }
        return code >= 0 ? code : nil
    }
}

/// What every row cursor of one file shares: column positions, id
/// normalisation, date formats and the export day.
struct CursorContext {
    let columns: [Int]
    let ids: IDNormalisation
    let dateFormats: [DateFormat]
    let extractedOn: Int32
    /// Per source column: the identifier kinds a waiver lets through.
    let waived: [UInt16]
    /// Canonical columns whose values come from the pipeline file (none: nil).
    let derived: DerivedColumns?
    /// Per canonical column: the bytes of a fixed code or scale (owned; see ``free()``).
    let fixedBuffers: [UnsafeBufferPointer<UInt8>?]

    init(columns: [Int], ids: IDNormalisation, dateFormats: [DateFormat], extractedOn: Int32, waived: [UInt16],
         derived: DerivedColumns?) {
        self.columns = columns
        self.ids = ids
        self.dateFormats = dateFormats
        self.extractedOn = extractedOn
        self.waived = waived
        self.derived = derived
        fixedBuffers = (derived?.fixed ?? []).map { value -> UnsafeBufferPointer<UInt8>? in
            guard case .bytes(let b)? = value else { return nil }
            let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, b.count))
            _ = p.initialize(from: b)
            return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(p)[0..<b.count])
        }
    }

    /// Releases the fixed values' bytes.
    func free() {
        for b in fixedBuffers { b.map { UnsafeMutableRawPointer(mutating: $0.baseAddress!).deallocate() } }
    }
}

/// Reads the canonical columns of one record as typed values, collecting a
/// ``RowProblem`` for every value that breaks the contract.
///
/// Getters never throw: a bad value gives a blank result and a problem, so a
/// row with several faults is reported once with all of them.
struct RowCursor {
    let record: CSVRecord
    let context: UnsafePointer<CursorContext>
    var problems: [RowProblem] = []
    /// Canonical columns whose value parsed into a type (they need no identifier scan).
    var typedOK: UInt64 = 0
    /// Canonical columns already put through the identifier guard (new pool values).
    var scanned: UInt64 = 0
    /// What the guard found in them: the source column, the kind, and the
    /// pool and code of the value found.
    var findings: [(column: Int, kind: IdentifierKind, pool: UInt8, code: UInt32)] = []
    /// Set by a parser when a value is one of the mapping's `missing_values`:
    /// a row without other problems is then counted as `not_scored`.
    var absentForAReason = false

    /// Lines before the part of the file this record was read from.
    let lineOffset: Int
    /// The record's physical line in the whole file.
    var line: Int { record.line + lineOffset }
    /// Canonical column -> source column (-1 when the file lacks it).
    var columns: [Int] { context.pointee.columns }
    var extractedOn: Int32 { context.pointee.extractedOn }

    init(record: CSVRecord, context: UnsafePointer<CursorContext>, lineOffset: Int = 0) {
        self.record = record
        self.context = context
        self.lineOffset = lineOffset
    }

    @inline(__always)
    func source(_ c: Int) -> Int { context.pointee.columns[c] }

    /// Scans column `c`'s raw value when `isNew`, as a value outside any pool
    /// (pool values go through ``guardPoolValue(_:isNew:pool:code:)``).
    @inline(__always)
    mutating func guardNewValue(_ c: Int, isNew: Bool) {
        scanned |= 1 << UInt64(c)
        guard isNew, let b = raw(c), let kind = IdentifierGuard.scan(b, waived: context.pointee.waived[source(c)]) else { return }
        findings.append((source(c), kind, PoolLabel.notInterned.rawValue, 0))
    }

    /// The identifier guard on a pool value of column `c`: scanned when new
    /// to the pool, and again when it is not but may have passed only under
    /// another column's waiver (``Interner/guardWaived``) and was not flagged
    /// already. A pass that needed this column's waiver is remembered.
    @inline(__always)
    mutating func guardPoolValue(_ c: Int, isNew: Bool, pool: inout Interner, code: UInt32) {
        scanned |= 1 << UInt64(c)
        guard code != 0 else { return }
        let waived = context.pointee.waived[source(c)]
        if !isNew && (waived & pool.guardWaived == pool.guardWaived || pool.guardFlagged.contains(code)) { return }
        guard let b = raw(c) else { return }
        if let kind = IdentifierGuard.scan(b, waived: waived) {
            findings.append((source(c), kind, pool.label, code))
            pool.guardFlagged.insert(code)
        } else if waived != 0 && IdentifierGuard.scan(b) != nil {
            pool.guardWaived |= waived
        }
    }

    /// The raw bytes of canonical column `c`, or nil when absent or already faulted.
    @inline(__always)
    func raw(_ c: Int) -> UnsafeBufferPointer<UInt8>? {
        let s = source(c)
        if s < 0 { return fixedBytes(c) }
        if !record.faults.isEmpty && record.faults.contains(where: { $0.column == s }) { return nil }
        return record[s]
    }

    /// A code or scale the pipeline file gives column `c` (`constants`,
    /// `from_file_name`), or nil. The bytes live as long as the cursor's context.
    func fixedBytes(_ c: Int) -> UnsafeBufferPointer<UInt8>? {
        guard context.pointee.derived != nil else { return nil }
        return context.pointee.fixedBuffers[c]
    }

    /// The source bytes of source column `s`, or nil when faulted.
    func field(_ s: Int) -> UnsafeBufferPointer<UInt8>? {
        if !record.faults.isEmpty && record.faults.contains(where: { $0.column == s }) { return nil }
        return record[s]
    }

    /// A date column whose value the pipeline file gives: a fixed day, or a
    /// start date plus an index times a step. A part that cannot be read
    /// quarantines the row naming its own source column. Nil when the column
    /// is not derived.
    mutating func derivedDate(_ c: Int, required: Bool) -> Int32? {
        guard let d = context.pointee.derived else { return nil }
        if case .day(let day)? = d.fixed[c] {
            typedOK |= 1 << UInt64(c)
            if day > extractedOn { problems.append(RowProblem(.futureDate, column: nil)); return .blankDay }
            return day
        }
        guard let rule = d.indexed[c] else { return nil }
        guard let sb = field(rule.start), let ib = field(rule.index) else { return .blankDay }   // the fault is already a problem
        if RowCursor.isBlank(sb) || RowCursor.isBlank(ib) {
            if required { problems.append(RowProblem(.missingValue, column: RowCursor.isBlank(sb) ? rule.start : rule.index)) }
            return .blankDay
        }
        var start: Int32?
        for format in context.pointee.dateFormats { if let day = format.parse(sb) { start = day.number; break } }
        guard let start else { problems.append(RowProblem(.badDate, column: rule.start)); return .blankDay }
        guard let index = DecimalText.parseInteger(ib), abs(index) <= 100_000 else {
            problems.append(RowProblem(.badInteger, column: rule.index))
            return .blankDay
        }
        // Within Int32 whatever the step (the pipeline file caps it too): a day out of
        // range is a bad index, never an overflow.
        let offset = index * rule.stepDays
        guard abs(offset) <= 3_000_000 else {
            problems.append(RowProblem(.badInteger, column: rule.index))
            return .blankDay
        }
        let day = start + Int32(offset)
        typedOK |= 1 << UInt64(c)
        if day > extractedOn { problems.append(RowProblem(.futureDate, column: rule.index)); return .blankDay }
        return day
    }

    /// True when column `c` holds one of `values` once spaces and tabs
    /// around it are trimmed (exact, case-sensitive).
    func holds(_ c: Int, oneOf values: Set<String>) -> Bool {
        guard !values.isEmpty, let b = raw(c) else { return false }
        var lo = b.startIndex, hi = b.endIndex
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        return values.contains(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self))
    }

    @inline(__always)
    static func isBlank(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c != 0x20 && c != 0x09 { return false }
        return true
    }

    /// True when the column is present, not faulted and not blank.
    @inline(__always)
    mutating func present(_ c: Int, required: Bool) -> UnsafeBufferPointer<UInt8>? {
        let s = source(c)
        guard let b = raw(c) else {
            if required && s < 0 { problems.append(RowProblem(.missingValue, column: nil)) }
            return nil
        }
        if RowCursor.isBlank(b) {
            if required { problems.append(RowProblem(.missingValue, column: s)) }
            return nil
        }
        return b
    }

    /// Applies the mapping's id normalisations to column `c` and passes the
    /// result to `body`; nil when the column is absent, faulted or blank
    /// (a problem is recorded when it is required).
    mutating func withIdentifier<R>(_ c: Int, required: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let b = raw(c) else {
            if required && source(c) < 0 { problems.append(RowProblem(.missingValue)) }
            return nil
        }
        let ids = context.pointee.ids
        var lo = 0
        var hi = b.count
        if ids.trim {
            while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
            while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        }
        if ids.dropExcelDecimal && hi - lo > 2 && b[hi - 2] == 0x2E && b[hi - 1] == 0x30 {
            var allDigits = true
            for k in lo..<(hi - 2) where b[k] < 0x30 || b[k] > 0x39 { allDigits = false; break }
            if allDigits { hi -= 2 }
        }
        let slice = UnsafeBufferPointer(rebasing: b[lo..<hi])
        if RowCursor.isBlank(slice) {
            if required { problems.append(RowProblem(.missingValue, column: source(c))) }
            return nil
        }
        if ids.foldCase {
            var lowered = Array(slice)
            for k in lowered.indices where lowered[k] >= 0x41 && lowered[k] <= 0x5A { lowered[k] |= 0x20 }
            return lowered.withUnsafeBufferPointer { body($0) }
        }
        return body(slice)
    }

    /// The code `pool` already holds for identifier column `c`'s value,
    /// without adding it: nil when the column is absent, faulted or blank
    /// (a problem is recorded when it is required), `.some(nil)` when the
    /// pool lacks the value. The pool comes by reference: a closure that
    /// captured an ``Interner`` copied it on every call (see ``ReadOnlyPool``).
    @inline(__always)
    mutating func lookupIdentifier(_ c: Int, required: Bool, in pool: ReadOnlyPool) -> UInt32?? {
        withIdentifier(c, required: required) { pool.interner.lookup($0) }
    }

    /// Starts fetching the pool's slot for column `c`'s value, to be interned
    /// or looked up later in the row (once the rest of it is typed). It
    /// hashes the bytes as read: where the mapping trims, folds case or drops
    /// a `.0`, a changed value's slot is not the one fetched (no help, no harm).
    @inline(__always)
    func prefetchIdentifier(_ c: Int, in pool: Interner) {
        if let b = raw(c) { pool.prefetch(b) }
    }

    /// The interned code of identifier column `c`, interned after the rest of
    /// the row so that the slot ``prefetchIdentifier(_:in:)`` fetched has
    /// arrived; a problem it finds goes where reading in column order would
    /// have put it, at `position` (the problem count when the parser began
    /// the row, after the reader's field faults).
    mutating func identifier(_ c: Int, required: Bool, _ pool: inout Interner, problemsAt position: Int) -> UInt32 {
        let before = problems.count
        let code = identifier(c, required: required, &pool)
        if position < before {
            for _ in before..<problems.count { problems.insert(problems.removeLast(), at: position) }
        }
        return code
    }

    /// The interned code of identifier column `c` (0 when blank).
    mutating func identifier(_ c: Int, required: Bool = false, _ pool: inout Interner) -> UInt32 {
        let before = pool.count
        let code = withIdentifier(c, required: required) { pool.intern($0) } ?? 0
        guardPoolValue(c, isNew: Int(code) >= before, pool: &pool, code: code)
        return code
    }

    mutating func text(_ c: Int, required: Bool = false, _ pool: inout Interner, vocabulary: [String: String]?) -> UInt32 {
        guard let b = present(c, required: required) else {
            guardNewValue(c, isNew: true)
            return 0
        }
        let before = pool.count
        var code: UInt32
        if let vocabulary, !vocabulary.isEmpty, let mapped = vocabulary[String(decoding: b, as: UTF8.self)] {
            code = pool.intern(mapped)
        } else {
            code = pool.intern(b)
        }
        guardPoolValue(c, isNew: Int(code) >= before, pool: &pool, code: code)
        return code
    }

    mutating func date(_ c: Int, required: Bool = false) -> Int32 {
        if source(c) < 0, let day = derivedDate(c, required: required) { return day }
        guard let b = present(c, required: required) else { return .blankDay }
        for format in context.pointee.dateFormats {
            if let day = format.parse(b) {
                typedOK |= 1 << UInt64(c)
                if day.number > extractedOn {
                    problems.append(RowProblem(.futureDate, column: source(c)))
                    return .blankDay
                }
                return day.number
            }
        }
        problems.append(RowProblem(.badDate, column: source(c)))
        return .blankDay
    }

    mutating func decimal(_ c: Int, required: Bool = false, range: ClosedRange<Double>) -> Double {
        guard let b = present(c, required: required) else { return .nan }
        guard let v = DecimalText.parse(b) else {
            problems.append(RowProblem(.badNumber, column: source(c)))
            return .nan
        }
        // Not marked typed: a number can still be an identifier (a 10-digit NHS number), so it is scanned.
        guard range.contains(v) else {
            problems.append(RowProblem(.outOfRange, column: source(c)))
            return .nan
        }
        return v
    }

    mutating func count(_ c: Int) -> Int32 {
        guard let b = present(c, required: false) else { return -1 }
        guard let v = DecimalText.parseInteger(b), v <= Int(Int32.max) else {
            problems.append(RowProblem(.badInteger, column: source(c)))
            return -1
        }
        // Not marked typed: numbers are scanned by the identifier guard too.
        guard v >= 0 else {
            problems.append(RowProblem(.outOfRange, column: source(c)))
            return -1
        }
        return Int32(v)
    }

    mutating func code(_ c: Int, required: Bool = false, _ resolver: inout ValueResolver,
                       unknown: QuarantineReason = .unknownValue) -> Int32 {
        guard let b = present(c, required: required) else { return 0 }
        guard let code = resolver.resolve(b) else {
            problems.append(RowProblem(unknown, column: source(c)))
            return -1
        }
        typedOK |= 1 << UInt64(c)
        return code
    }
}
