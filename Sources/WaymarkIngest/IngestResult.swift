import WaymarkCSV
import WaymarkCore
import WaymarkMethods

/// What ingest saw of one input file: the figures of the manifest and the
/// data-quality summary.
public struct FileReport: Sendable {
    public var file: InputFile
    public var path: String
    public var sha256: String = ""
    public var bytes: Int = 0
    public var rowsRead: Int = 0
    public var rowsAccepted: Int = 0
    public var rowsQuarantined: Int = 0
    public var blankLinesSkipped: Int = 0
    /// Header names as written in the file.
    public var header: [String] = []
    /// Header names that map to no canonical column (ignored, reported once).
    public var unknownColumns: [String] = []
    /// Zero-based positions of the columns the mapping drops (never named:
    /// a dropped header may name an identifier).
    public var droppedColumns: [Int] = []
    /// Rejected rows, in line order.
    public var quarantine: [QuarantinedRow] = []
    /// Lines of the rows whose score is one of the mapping's `missing_values`
    /// (absent for a reason): neither accepted nor quarantined, counted as
    /// `not_scored`, in line order.
    public var notScoredLines: [Int] = []
    /// Records of an `unpivot` file whose wide cells were all empty: they
    /// give no row, so they are not in rows read.
    public var recordsWithoutValues = 0
    /// Rows set aside as `not_scored`: rows read = accepted + quarantined + this.
    public var rowsNotScored: Int { notScoredLines.count }
    public var dialect = CSVDialect()
    public var seconds: Double = 0

    /// The source header name of a column, for messages.
    public func columnName(_ column: Int?) -> String? {
        guard let column, column < header.count else { return nil }
        return header[column]
    }
}

/// Everything ingest produced: typed tables of accepted rows, the identifiers
/// they use, and one report per input file.
///
/// The score rows, the largest table (about 36 bytes a row), are shared by
/// every copy of a result and can be let go once the trajectory build has
/// read them (``releaseScoreRows()``): later stages read the trajectories,
/// and only counts of the rows are kept.
public struct IngestResult: Sendable {
    public var ids: IdentifierSpace
    /// The accepted score rows. Reading them after ``releaseScoreRows()`` is a
    /// programming error and stops the program.
    public var scores: ScoreTable {
        get {
            precondition(!held.released, "the score rows were released by the trajectory build")
            return held.table
        }
        set { held = ScoreRowsHolder(newValue) }
    }
    private var held: ScoreRowsHolder
    public var interventions: InterventionTable
    public var responses: ResponseTable
    /// Nil when `episodes.csv` was not given.
    public var episodes: EpisodeTable?
    /// Nil when `children.csv` was not given.
    public var children: ChildTable?
    /// One per input file read, in canonical order.
    public var files: [FileReport]
    public var warnings: [String]

    public init(ids: IdentifierSpace, scores: ScoreTable, interventions: InterventionTable, responses: ResponseTable,
                episodes: EpisodeTable?, children: ChildTable?, files: [FileReport], warnings: [String]) {
        self.ids = ids
        self.held = ScoreRowsHolder(scores)
        self.interventions = interventions
        self.responses = responses
        self.episodes = episodes
        self.children = children
        self.files = files
        self.warnings = warnings
    }

    public var rowsQuarantined: Int { files.reduce(0) { $0 + $1.rowsQuarantined } }
    public func report(_ file: InputFile) -> FileReport? { files.first { $0.file == file } }

    /// True once ``releaseScoreRows()`` has let the score rows go.
    public var scoreRowsReleased: Bool { held.released }

    /// Accepted score rows per month end of their date (blank dates left
    /// out); still known after the rows are released.
    public var scoreMonths: [Day: Int] { held.released ? held.months : ScoreRowsHolder.months(held.table.day) }

    /// Lets go of the two score columns that only ingest reads, `worker` and
    /// `setting` (they tell a duplicate row from a conflicting one), for this
    /// result and every copy of it: 5 bytes a row, 48 MiB at 10M rows. The
    /// run calls it before the trajectories; afterwards both columns are
    /// empty, and ``ScoreTable/row(_:)`` must not be called.
    public func releaseIngestOnlyColumns() {
        guard !held.released else { return }
        held.table.worker = []
        held.table.setting = []
    }

    /// Lets the score rows go, for this result and every copy of it, keeping
    /// ``scoreMonths``. A run that goes on to the indicators has the
    /// trajectory build call it between its two passes, once the points hold
    /// all that later stages read: at 10M rows it frees about 310 MB before
    /// the segments are written.
    public func releaseScoreRows() {
        guard !held.released else { return }
        held.months = ScoreRowsHolder.months(held.table.day)
        held.table = ScoreTable()
        held.released = true
    }
}

/// The score rows of one ingest, shared by the copies of its result. Written
/// only by ``IngestResult/releaseScoreRows()`` and
/// ``IngestResult/releaseIngestOnlyColumns()``, which the run calls before
/// the trajectories and the trajectory build between its passes, each on
/// one thread when no other thread reads the rows.
private final class ScoreRowsHolder: @unchecked Sendable {
    var table: ScoreTable
    var released = false
    var months: [Day: Int] = [:]
    init(_ table: ScoreTable) { self.table = table }

    /// Rows per month end: a count per day over the days' range first (one
    /// pass over the column, no hashing per row), then each day's count added
    /// to its month end.
    static func months(_ days: [Int32]) -> [Day: Int] {
        var lo = Int32.max, hi = Int32.min
        for d in days where d != Int32.blankDay { lo = min(lo, d); hi = max(hi, d) }
        guard lo <= hi else { return [:] }
        var out: [Day: Int] = [:]
        guard Int(hi) - Int(lo) < 1 << 22 else {
            // Dates over ten thousand years apart: count through the dictionary.
            for d in days where d != Int32.blankDay { out[Day(number: d).endOfMonth, default: 0] += 1 }
            return out
        }
        var perDay = [Int](repeating: 0, count: Int(hi) - Int(lo) + 1)
        for d in days where d != Int32.blankDay { perDay[Int(d) - Int(lo)] += 1 }
        for (k, n) in perDay.enumerated() where n > 0 { out[Day(number: lo + Int32(k)).endOfMonth, default: 0] += n }
        return out
    }
}

/// A problem that stops the run before any output is written. Every case names
/// the file, the line where there is one, and what to do; none echoes a value.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case read(CSVReadError)
    case missingInput(file: InputFile)
    case missingColumns(path: String, columns: [String], header: [String])
    case duplicateColumn(path: String, canonical: String, columns: [Int])
    case identifierHeader(path: String, column: Int, header: String, kind: IdentifierKind)
    case identifierValues(path: String, findings: [IdentifierFinding], total: Int)
    case accounting(path: String, read: Int, accepted: Int, quarantined: Int)
    /// A worker thread of a two-core read gave no result (a bug, never bad input).
    case worker
    /// A waiver names a column the file does not have.
    case unknownWaiverColumn(path: String, waiver: IdentifierWaiver, pipeline: String?)
    /// A mapping entry (`columns`, `vocabulary`, `drop`) that names a column
    /// no file has, or one that cannot take it; `line` is the pipeline file's.
    case mappingKey(pipeline: String?, line: Int, message: String)
    /// The file's size, modification time or identity changed while it was read.
    case inputChanged(path: String)

    public var description: String {
        switch self {
        case .read(let e):
            return e.description
        case .missingInput(let file):
            return "\(file.fileName): this required input is not declared. Add `\(file.rawValue):` under `inputs:` in the pipeline file, or put \(file.fileName) in the input folder."
        case .missingColumns(let path, let columns, let header):
            let list = columns.joined(separator: ", ")
            // Header cells are shown only when the identifier guard finds nothing in them: a file
            // without a header row has data there (NHS numbers, e-mail addresses), never echoed.
            let shown = header.enumerated().map { k, cell in IdentifierGuard.flags(cell) ? "(column \(k + 1) not shown)" : cell }
            let hidden = header.filter(IdentifierGuard.flags).count
            let hint = hidden > 0 ? " The first line looks like data, not a header: does the export have a header row?" : ""
            return "\(path):1: required column(s) missing: \(list). The header has: \(shown.joined(separator: ", ")).\(hint) Rename the column in the export, or map it in the pipeline file, e.g. `columns: {\"Your Header\": \(columns[0])}`."
        case .duplicateColumn(let path, let canonical, let columns):
            return "\(path):1: columns \(columns.map { String($0 + 1) }.joined(separator: " and ")) both map to `\(canonical)`. Remove one of them or fix the column mapping."
        case .identifierHeader(let path, let column, let header, let kind):
            _ = header   // never echoed: the header itself may be identifying
            return "\(path):1: column \(column + 1) names \(kind.phrase) (header not shown). Waymark reads pseudonymised exports only. Drop the column in this file's mapping in the pipeline file, naming its header, e.g. `drop: [\"Date of Birth\"]`: it is then never read, checked or written. Or remove it from the export. Nothing was written."
        case .identifierValues(let path, let findings, let total):
            var lines = ["\(path): \(total) value(s) look like direct identifiers (values not shown). Nothing was written."]
            for f in findings {
                lines.append("  \(path):\(f.line): column \(f.column + 1) (\(f.columnName)) holds what looks like \(f.kind.phrase)")
            }
            if total > findings.count { lines.append("  ... and \(total - findings.count) more") }
            lines.append("If these are direct identifiers, remove them from the export and run again. If a column holds pseudonymised ids that only look like one (about 1 in 11 ten-digit numbers passes the NHS check), let that one pattern through in that one column with a waiver in the pipeline file, and record why it is justified: `identifier_guard: {allow: [{file: \(findings.first.map { _ in lastPathComponent(path).replacingOccurrences(of: ".csv", with: "") } ?? "scaling_scores"), column: \(findings.first?.columnName ?? "case_id"), pattern: \(findings.first?.kind.rawValue ?? "nhs_number")}]}`. Every other pattern and column is still checked, and the manifest and report list the waiver.")
            return lines.joined(separator: "\n")
        case .accounting(let path, let read, let accepted, let quarantined):
            return "\(path): internal check failed: rows read (\(read)) != accepted (\(accepted)) + quarantined (\(quarantined)). Please report this; no output was written."
        case .worker:
            return "internal error: a worker thread gave no result. Please report this; no output was written."
        case .inputChanged(let path):
            return "\(path): the file changed while Waymark read it (its size, modification time or identity is not what it was when reading began), so no hash or count could describe it. Wait until the export has finished writing, or copy it somewhere it will not change, and run again. Nothing was written."
        case .unknownWaiverColumn(let path, let w, let pipeline):
            let at = pipeline.map { "\($0):\(w.line): " } ?? ""
            return "\(at)\(path):1: the identifier_guard waiver for column `\(w.column)` (\(w.pattern.rawValue)) names a column this file does not have (or one it drops). Fix the waiver in the pipeline file. Nothing was written."
        case .mappingKey(let pipeline, let line, let message):
            return "\(pipeline ?? "pipeline file"):\(line): \(message) Fix the pipeline file and run again. Nothing was written."
        }
    }
}

/// Where the identifier guard found something: file position and kind, never the value.
public struct IdentifierFinding: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var columnName: String
    public var kind: IdentifierKind
}
