import WaymarkCore
import WaymarkMethods

/// The pseudonymous identifiers and codes of one run, each interned once.
///
/// Rows hold 4-byte codes into these pools; code 0 is blank everywhere.
public struct IdentifierSpace: Sendable {
    public var cases = Interner(capacity: 1 << 14, label: PoolLabel.cases.rawValue)
    public var children = Interner(capacity: 1 << 14, label: PoolLabel.children.rawValue)
    public var teams = Interner(capacity: 64, label: PoolLabel.teams.rawValue)
    public var workers = Interner(capacity: 1024, label: PoolLabel.workers.rawValue)
    public var interventions = Interner(capacity: 1 << 14, label: PoolLabel.interventions.rawValue)
    /// Intervention types, closure reasons, age bands and other short codes.
    public var texts = Interner(capacity: 256, label: PoolLabel.texts.rawValue)
    public init() {}
}

/// Which pool an interned value went into (``Interner/label``): a value the
/// identifier guard flags on a second reader is found again by its pool and
/// code when the halves are merged.
enum PoolLabel: UInt8 {
    /// Not a pool value (a free-text field, a skipped field).
    case notInterned = 0
    case cases, children, teams, workers, interventions, texts
    /// The file's own row ids (``ParseState/local``).
    case rowIDs
}

/// A value that is absent: blank dates are `Day.blank`, blank numbers NaN,
/// blank counts -1, blank codes 0.
extension Int32 {
    /// The stored form of a blank date.
    public static let blankDay = Int32.min
}

/// A table of rows held as parallel arrays, appendable and compactable.
protocol RowTable {
    associatedtype Row: Equatable
    var count: Int { get }
    /// The source line of each row.
    var line: [UInt32] { get }
    mutating func append(_ row: Row)
    /// Appends typed rows in order, as ``append(_:)`` would one by one.
    mutating func append(typed rows: UnsafeBufferPointer<TypedRow<Row>>)
    func row(_ i: Int) -> Row
    /// Keeps the rows whose mask entry is true, in order.
    mutating func keep(_ mask: [Bool])
    /// Makes room for about `n` rows.
    mutating func reserve(_ n: Int)
    /// Where the next `rows` rows will go in each column (for
    /// ``SparePages/populate(_:)``); empty unless every column has room for
    /// them all, so that appending them moves no column.
    func spareRegions(rows: Int) -> [SparePages.Region]
}

extension RowTable {
    mutating func reserve(_ n: Int) {}
    mutating func append(typed rows: UnsafeBufferPointer<TypedRow<Row>>) {
        for r in rows { append(r.row) }
    }
    func spareRegions(rows: Int) -> [SparePages.Region] { [] }
}

extension Array where Element: BitwiseCopyable {
    /// Appends one field of each typed row, in order: gathered in one loop
    /// into a scratch buffer, then copied in as one block. (Appending a lazy
    /// map went through a sequence iterator an element at a time: a quarter
    /// of the samples of a 10M-row merge.)
    @inline(__always)
    mutating func appendGathered<Row>(_ rows: UnsafeBufferPointer<TypedRow<Row>>, _ field: (Row) -> Element) {
        withUnsafeTemporaryAllocation(of: Element.self, capacity: rows.count) { scratch in
            for k in 0..<rows.count { scratch.initializeElement(at: k, to: field(rows[k].row)) }
            append(contentsOf: UnsafeBufferPointer(scratch))
        }
    }
}

extension Array {
    /// The bytes where the next `rows` elements will go; nil unless the
    /// capacity holds them all.
    func spare(_ rows: Int) -> SparePages.Region? {
        guard rows > 0, capacity - count >= rows else { return nil }
        return withUnsafeBufferPointer { b in
            b.baseAddress.map { SparePages.Region(start: UnsafeRawPointer($0 + count), bytes: rows * MemoryLayout<Element>.stride) }
        }
    }

    func kept(_ mask: [Bool]) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for i in indices where mask[i] { out.append(self[i]) }
        return out
    }
}

@inline(__always) func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
    var x = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
    x ^= x >> 32
    return x &* 0xD6E8_FEB8_6659_FD93
}

// MARK: - scaling_scores.csv

/// One accepted score (a row of `scaling_scores.csv`).
public struct ScoreRow: Equatable, Sendable {
    public var caseID: UInt32
    public var childID: UInt32
    public var team: UInt32
    public var worker: UInt32
    public var day: Int32
    public var scale: UInt16
    public var score: Double
    public var rater: UInt8
    public var setting: UInt8
    public var line: UInt32

    public static func == (a: ScoreRow, b: ScoreRow) -> Bool {
        a.caseID == b.caseID && a.childID == b.childID && a.team == b.team && a.worker == b.worker && a.day == b.day
            && a.scale == b.scale && a.score == b.score && a.rater == b.rater && a.setting == b.setting
    }
    var contentHash: UInt64 {
        var h = mix(UInt64(caseID) << 32 | UInt64(childID), UInt64(team) << 32 | UInt64(worker))
        h = mix(h, UInt64(UInt32(bitPattern: day)) << 32 | UInt64(scale) << 16 | UInt64(rater) << 8 | UInt64(setting))
        return mix(h, score.bitPattern)
    }
}

/// Accepted scores, column by column: 36 bytes a row.
public struct ScoreTable: RowTable, Sendable {
    public var caseID: [UInt32] = []
    public var childID: [UInt32] = []
    public var team: [UInt32] = []
    public var worker: [UInt32] = []
    public var day: [Int32] = []
    public var scale: [UInt16] = []
    public var score: [Double] = []
    public var rater: [UInt8] = []
    public var setting: [UInt8] = []
    public var line: [UInt32] = []

    public init() {}
    public var count: Int { caseID.count }

    public mutating func append(_ r: ScoreRow) {
        caseID.append(r.caseID); childID.append(r.childID); team.append(r.team); worker.append(r.worker)
        day.append(r.day); scale.append(r.scale); score.append(r.score); rater.append(r.rater)
        setting.append(r.setting); line.append(r.line)
    }

    /// A column at a time: each column's copy is one loop, not one append per row.
    mutating func append(typed rows: UnsafeBufferPointer<TypedRow<ScoreRow>>) {
        caseID.appendGathered(rows) { $0.caseID }; childID.appendGathered(rows) { $0.childID }
        team.appendGathered(rows) { $0.team }; worker.appendGathered(rows) { $0.worker }
        day.appendGathered(rows) { $0.day }; scale.appendGathered(rows) { $0.scale }
        score.appendGathered(rows) { $0.score }; rater.appendGathered(rows) { $0.rater }
        setting.appendGathered(rows) { $0.setting }; line.appendGathered(rows) { $0.line }
    }

    public func row(_ i: Int) -> ScoreRow {
        ScoreRow(caseID: caseID[i], childID: childID[i], team: team[i], worker: worker[i], day: day[i], scale: scale[i],
                 score: score[i], rater: rater[i], setting: setting[i], line: line[i])
    }

    mutating func keep(_ m: [Bool]) {
        caseID = caseID.kept(m); childID = childID.kept(m); team = team.kept(m); worker = worker.kept(m)
        day = day.kept(m); scale = scale.kept(m); score = score.kept(m); rater = rater.kept(m)
        setting = setting.kept(m); line = line.kept(m)
    }

    func spareRegions(rows: Int) -> [SparePages.Region] {
        let regions = [caseID.spare(rows), childID.spare(rows), team.spare(rows), worker.spare(rows), day.spare(rows),
                       scale.spare(rows), score.spare(rows), rater.spare(rows), setting.spare(rows), line.spare(rows)]
        return regions.contains { $0 == nil } ? [] : regions.compactMap { $0 }
    }

    /// Bytes the columns' rows take (count times width). Spare capacity
    /// beyond the count is never written, so it takes address space but no memory.
    public var footprint: Int {
        caseID.count * 4 + childID.count * 4 + team.count * 4 + worker.count * 4 + day.count * 4
            + scale.count * 2 + score.count * 8 + rater.count + setting.count + line.count * 4
    }

    mutating func reserve(_ n: Int) {
        caseID.reserveCapacity(n); childID.reserveCapacity(n); team.reserveCapacity(n); worker.reserveCapacity(n)
        day.reserveCapacity(n); scale.reserveCapacity(n); score.reserveCapacity(n); rater.reserveCapacity(n)
        setting.reserveCapacity(n); line.reserveCapacity(n)
    }
}

// MARK: - interventions.csv

/// One accepted intervention. Blank dates are `Int32.blankDay`, blank hours NaN.
public struct InterventionRow: Equatable, Sendable {
    public var id: UInt32
    public var caseID: UInt32
    public var childID: UInt32
    public var type: UInt32
    public var approach: UInt8
    public var offered: Int32
    public var started: Int32
    public var ended: Int32
    public var endReason: UInt8
    public var plannedHours: Double
    public var provider: UInt8
    public var team: UInt32
    public var line: UInt32

    public static func == (a: InterventionRow, b: InterventionRow) -> Bool {
        a.id == b.id && a.caseID == b.caseID && a.childID == b.childID && a.type == b.type && a.approach == b.approach
            && a.offered == b.offered && a.started == b.started && a.ended == b.ended && a.endReason == b.endReason
            && a.plannedHours.bitPattern == b.plannedHours.bitPattern && a.provider == b.provider && a.team == b.team
    }
}

/// Accepted interventions, column by column.
public struct InterventionTable: RowTable, Sendable {
    public var id: [UInt32] = []
    public var caseID: [UInt32] = []
    public var childID: [UInt32] = []
    public var type: [UInt32] = []
    public var approach: [UInt8] = []
    public var offered: [Int32] = []
    public var started: [Int32] = []
    public var ended: [Int32] = []
    public var endReason: [UInt8] = []
    public var plannedHours: [Double] = []
    public var provider: [UInt8] = []
    public var team: [UInt32] = []
    public var line: [UInt32] = []

    public init() {}
    public var count: Int { id.count }

    public mutating func append(_ r: InterventionRow) {
        id.append(r.id); caseID.append(r.caseID); childID.append(r.childID); type.append(r.type)
        approach.append(r.approach); offered.append(r.offered); started.append(r.started); ended.append(r.ended)
        endReason.append(r.endReason); plannedHours.append(r.plannedHours); provider.append(r.provider)
        team.append(r.team); line.append(r.line)
    }

    /// A column at a time, as ``ScoreTable`` does.
    mutating func append(typed rows: UnsafeBufferPointer<TypedRow<InterventionRow>>) {
        id.appendGathered(rows) { $0.id }; caseID.appendGathered(rows) { $0.caseID }
        childID.appendGathered(rows) { $0.childID }; type.appendGathered(rows) { $0.type }
        approach.appendGathered(rows) { $0.approach }; offered.appendGathered(rows) { $0.offered }
        started.appendGathered(rows) { $0.started }; ended.appendGathered(rows) { $0.ended }
        endReason.appendGathered(rows) { $0.endReason }; plannedHours.appendGathered(rows) { $0.plannedHours }
        provider.appendGathered(rows) { $0.provider }; team.appendGathered(rows) { $0.team }
        line.appendGathered(rows) { $0.line }
    }

    public func row(_ i: Int) -> InterventionRow {
        InterventionRow(id: id[i], caseID: caseID[i], childID: childID[i], type: type[i], approach: approach[i],
                        offered: offered[i], started: started[i], ended: ended[i], endReason: endReason[i],
                        plannedHours: plannedHours[i], provider: provider[i], team: team[i], line: line[i])
    }

    mutating func keep(_ m: [Bool]) {
        id = id.kept(m); caseID = caseID.kept(m); childID = childID.kept(m); type = type.kept(m)
        approach = approach.kept(m); offered = offered.kept(m); started = started.kept(m); ended = ended.kept(m)
        endReason = endReason.kept(m); plannedHours = plannedHours.kept(m); provider = provider.kept(m)
        team = team.kept(m); line = line.kept(m)
    }
}

// MARK: - responses.csv

/// One accepted response; `intervention` is the row index in the intervention table.
public struct ResponseRow: Equatable, Sendable {
    public var id: UInt32
    public var intervention: Int32
    public var caseID: UInt32
    public var day: Int32
    public var response: UInt8
    public var sessionsOffered: Int32
    public var sessionsAttended: Int32
    public var familyRating: Double
    public var responder: UInt8
    public var line: UInt32

    public static func == (a: ResponseRow, b: ResponseRow) -> Bool {
        a.id == b.id && a.intervention == b.intervention && a.caseID == b.caseID && a.day == b.day
            && a.response == b.response && a.sessionsOffered == b.sessionsOffered
            && a.sessionsAttended == b.sessionsAttended && a.familyRating.bitPattern == b.familyRating.bitPattern
            && a.responder == b.responder
    }
    var contentHash: UInt64 {
        var h = mix(UInt64(id) << 32 | UInt64(UInt32(bitPattern: intervention)), UInt64(caseID) << 32 | UInt64(UInt32(bitPattern: day)))
        h = mix(h, UInt64(response) << 48 | UInt64(responder) << 40 | UInt64(UInt32(bitPattern: sessionsOffered)))
        return mix(h, UInt64(UInt32(bitPattern: sessionsAttended)) ^ familyRating.bitPattern)
    }
}

/// Accepted responses, column by column.
public struct ResponseTable: RowTable, Sendable {
    public var id: [UInt32] = []
    public var intervention: [Int32] = []
    public var caseID: [UInt32] = []
    public var day: [Int32] = []
    public var response: [UInt8] = []
    public var sessionsOffered: [Int32] = []
    public var sessionsAttended: [Int32] = []
    public var familyRating: [Double] = []
    public var responder: [UInt8] = []
    public var line: [UInt32] = []

    public init() {}
    public var count: Int { caseID.count }

    public mutating func append(_ r: ResponseRow) {
        id.append(r.id); intervention.append(r.intervention); caseID.append(r.caseID); day.append(r.day)
        response.append(r.response); sessionsOffered.append(r.sessionsOffered)
        sessionsAttended.append(r.sessionsAttended); familyRating.append(r.familyRating)
        responder.append(r.responder); line.append(r.line)
    }

    /// A column at a time, as ``ScoreTable`` does.
    mutating func append(typed rows: UnsafeBufferPointer<TypedRow<ResponseRow>>) {
        id.appendGathered(rows) { $0.id }; intervention.appendGathered(rows) { $0.intervention }
        caseID.appendGathered(rows) { $0.caseID }; day.appendGathered(rows) { $0.day }
        response.appendGathered(rows) { $0.response }; sessionsOffered.appendGathered(rows) { $0.sessionsOffered }
        sessionsAttended.appendGathered(rows) { $0.sessionsAttended }; familyRating.appendGathered(rows) { $0.familyRating }
        responder.appendGathered(rows) { $0.responder }; line.appendGathered(rows) { $0.line }
    }

    public func row(_ i: Int) -> ResponseRow {
        ResponseRow(id: id[i], intervention: intervention[i], caseID: caseID[i], day: day[i], response: response[i],
                    sessionsOffered: sessionsOffered[i], sessionsAttended: sessionsAttended[i],
                    familyRating: familyRating[i], responder: responder[i], line: line[i])
    }

    mutating func keep(_ m: [Bool]) {
        id = id.kept(m); intervention = intervention.kept(m); caseID = caseID.kept(m); day = day.kept(m)
        response = response.kept(m); sessionsOffered = sessionsOffered.kept(m)
        sessionsAttended = sessionsAttended.kept(m); familyRating = familyRating.kept(m)
        responder = responder.kept(m); line = line.kept(m)
    }
}

// MARK: - episodes.csv

/// One accepted episode of a case being open.
public struct EpisodeRow: Equatable, Sendable {
    public var caseID: UInt32
    public var opened: Int32
    public var closed: Int32
    public var closureReason: UInt32
    public var line: UInt32
    public static func == (a: EpisodeRow, b: EpisodeRow) -> Bool {
        a.caseID == b.caseID && a.opened == b.opened && a.closed == b.closed && a.closureReason == b.closureReason
    }
}

/// Accepted episodes, column by column.
public struct EpisodeTable: RowTable, Sendable {
    public var caseID: [UInt32] = []
    public var opened: [Int32] = []
    public var closed: [Int32] = []
    public var closureReason: [UInt32] = []
    public var line: [UInt32] = []
    public init() {}
    public var count: Int { caseID.count }
    public mutating func append(_ r: EpisodeRow) {
        caseID.append(r.caseID); opened.append(r.opened); closed.append(r.closed)
        closureReason.append(r.closureReason); line.append(r.line)
    }
    public func row(_ i: Int) -> EpisodeRow {
        EpisodeRow(caseID: caseID[i], opened: opened[i], closed: closed[i], closureReason: closureReason[i], line: line[i])
    }
    mutating func keep(_ m: [Bool]) {
        caseID = caseID.kept(m); opened = opened.kept(m); closed = closed.kept(m)
        closureReason = closureReason.kept(m); line = line.kept(m)
    }
}

// MARK: - children.csv

/// One accepted child with banded characteristics (codes into `texts`).
public struct ChildRow: Equatable, Sendable {
    public var childID: UInt32
    public var caseID: UInt32
    public var ageBand: UInt32
    public var sex: UInt32
    public var ethnicity: UInt32
    public var disability: UInt8
    public var line: UInt32
    public static func == (a: ChildRow, b: ChildRow) -> Bool {
        a.childID == b.childID && a.caseID == b.caseID && a.ageBand == b.ageBand && a.sex == b.sex
            && a.ethnicity == b.ethnicity && a.disability == b.disability
    }
}

/// Accepted children, column by column.
public struct ChildTable: RowTable, Sendable {
    public var childID: [UInt32] = []
    public var caseID: [UInt32] = []
    public var ageBand: [UInt32] = []
    public var sex: [UInt32] = []
    public var ethnicity: [UInt32] = []
    public var disability: [UInt8] = []
    public var line: [UInt32] = []
    public init() {}
    public var count: Int { childID.count }
    public mutating func append(_ r: ChildRow) {
        childID.append(r.childID); caseID.append(r.caseID); ageBand.append(r.ageBand); sex.append(r.sex)
        ethnicity.append(r.ethnicity); disability.append(r.disability); line.append(r.line)
    }
    public func row(_ i: Int) -> ChildRow {
        ChildRow(childID: childID[i], caseID: caseID[i], ageBand: ageBand[i], sex: sex[i], ethnicity: ethnicity[i],
                 disability: disability[i], line: line[i])
    }
    mutating func keep(_ m: [Bool]) {
        childID = childID.kept(m); caseID = caseID.kept(m); ageBand = ageBand.kept(m); sex = sex.kept(m)
        ethnicity = ethnicity.kept(m); disability = disability.kept(m); line = line.kept(m)
    }
}
