import WaymarkCSV
import WaymarkCore
import WaymarkMethods

/// How identifiers are normalised before they are compared.
public struct IDNormalisation: Sendable, Equatable {
    /// Remove leading and trailing white space.
    public var trim = false
    /// Drop a trailing `.0` that Excel adds to numbers (`1234.0` -> `1234`).
    public var dropExcelDecimal = false
    /// Fold ASCII letters to lower case.
    public var foldCase = false
    public init() {}
    public var isIdentity: Bool { !trim && !dropExcelDecimal && !foldCase }
}

/// How one source file maps onto its canonical file (DATA-CONTRACT.md).
public struct FileMapping: Sendable, Equatable {
    /// Path of the file (absolute, or resolved against the pipeline file's folder).
    public var path: String
    public var dialect = CSVDialect()
    /// Accepted date layouts, tried in order.
    public var dateFormats: [DateFormat] = [.iso]
    /// Source header (lower-cased, trimmed) -> canonical column name.
    public var columns: [String: String] = [:]
    /// Canonical column -> (source value -> canonical value).
    public var vocabulary: [String: [String: String]] = [:]
    public var ids = IDNormalisation()
    /// Source headers (lower-cased, trimmed) whose columns are dropped: never
    /// typed, scanned or written. The only way a header that names a direct
    /// identifier is allowed.
    public var drop: Set<String> = []
    /// `missing_values`: canonical column -> values that mean "absent for a
    /// reason" (`Not scored: child refused`), compared exactly after trimming
    /// spaces and tabs. Only `score` takes them: such a row is neither
    /// accepted nor quarantined but counted as `not_scored`.
    public var missingValues: [String: Set<String>] = [:]
    /// `constants`: canonical column -> its value for every row of the file.
    public var constants: [String: ConstantValue] = [:]
    /// `from_file_name`: canonical columns read from the file's name.
    public var fileNameRule: FileNameRule?
    /// Date columns computed as a start date plus an index times a step.
    public var indexedDates: [String: IndexedDate] = [:]
    /// Where each `columns`, `vocabulary` and `drop` entry was declared, so
    /// ingest can check it against the file's header and name the line.
    public var declared: [MappingKey] = []

    /// `unpivot`: wide columns that each become a row of their own.
    public var unpivot: Unpivot?
    /// Several files read as one input (a list or a glob in the pipeline
    /// file), each a full mapping with its own path and overrides, in order.
    /// Empty for a single file (``path``).
    public var parts: [FileMapping] = []
    /// The files this input is read from: its parts, or itself.
    public var partFiles: [FileMapping] { parts.isEmpty ? [self] : parts }

    public init(path: String) { self.path = path }
}

/// One entry of a file's mapping as the pipeline file declared it: checked
/// against the file's header before any row is read (DATA-CONTRACT.md,
/// "Mapping keys are checked against the file").
public struct MappingKey: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `columns: {Source Header: canonical}`: `name` is the source header.
        case columns
        /// `vocabulary: {canonical: {...}}`: `name` is the canonical column.
        case vocabulary
        /// `drop: [Source Header]`: `name` is the source header.
        case drop
    }
    public var kind: Kind
    /// As written in the pipeline file.
    public var name: String
    /// For `columns`, the canonical column it maps to.
    public var target: String?
    /// The pipeline file's line.
    public var line: Int
    /// True for entries of the top-level `mapping:`, which applies to every
    /// file: such an entry must fit at least one file, not each.
    public var shared: Bool

    public init(kind: Kind, name: String, target: String? = nil, line: Int, shared: Bool) {
        self.kind = kind
        self.name = name
        self.target = target
        self.line = line
        self.shared = shared
    }
}

/// DATA-CONTRACT.md, "Waivers, per column and pattern, never global": one
/// pattern let through in one column of one file, because its pseudonymised
/// values only look like an identifier (about 1 in 11 ten-digit numbers passes
/// the NHS check). Every other pattern, and every other column, is still checked.
public struct IdentifierWaiver: Sendable, Equatable, CustomStringConvertible {
    public var file: InputFile
    /// The column, by canonical name or by the export's header (compared lower-cased and trimmed).
    public var column: String
    public var pattern: IdentifierKind
    /// The pipeline file's line (0 when not from a file).
    public var line: Int

    public init(file: InputFile, column: String, pattern: IdentifierKind, line: Int = 0) {
        self.file = file
        self.column = column
        self.pattern = pattern
        self.line = line
    }

    public var description: String { "\(file.rawValue).\(column): \(pattern.rawValue) allowed" }
}

/// What ingest needs to know, and nothing else: the files and their
/// mappings, the declared scales (names and ranges), the reader's limits,
/// the type -> approach table and when to read on two cores.
public struct IngestOptions: Sendable {
    /// Mapping per input file; optional files that were not given are absent.
    public var inputs: [InputFile: FileMapping]
    public var scales: [ScaleSpec]
    public var limits: CSVLimits
    /// Intervention type -> approach, over the defaults of METHODS.md M13.15.
    public var approaches: [String: Approach]
    /// Scores files at least this many bytes are read on two cores.
    public var parallelThreshold: Int
    /// The identifier guard's waivers.
    public var waivers: [IdentifierWaiver]
    /// The pipeline file the mappings came from, for messages naming its lines.
    public var pipelinePath: String?
    /// Inputs the pipeline file declares `none` (`interventions: none` for a
    /// scores-only run): not read, their tables empty, and not an error even
    /// when the contract requires them.
    public var notGiven: Set<InputFile> = []

    public init(inputs: [InputFile: FileMapping], scales: [ScaleSpec], limits: CSVLimits = CSVLimits(),
                approaches: [String: Approach] = Approach.defaultByType, parallelThreshold: Int = 4 << 20,
                waivers: [IdentifierWaiver] = [], pipelinePath: String? = nil, notGiven: Set<InputFile> = []) {
        self.notGiven = notGiven
        self.waivers = waivers
        self.pipelinePath = pipelinePath
        self.inputs = inputs
        self.scales = scales
        self.limits = limits
        self.approaches = approaches
        self.parallelThreshold = parallelThreshold
    }
}
