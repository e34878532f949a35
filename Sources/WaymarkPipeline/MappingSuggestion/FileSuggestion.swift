import WaymarkCore
import WaymarkCSV
import WaymarkIngest

/// A column left out of the draft's reading: its header (or its values)
/// names a direct identifier, so the draft lists it under `drop:`.
public struct DroppedColumn: Sendable, Equatable {
    public let header: String
    public let kind: IdentifierKind
    /// True when the values, not the header, hold identifiers.
    public let byValues: Bool
}

/// Vocabulary entries drafted for one canonical column: export word ->
/// canonical word (only words that need mapping), and how many sampled words
/// matched nothing.
public struct VocabularyDraft: Sendable, Equatable {
    public let column: String
    public var entries: [(word: String, canonical: String)]
    public var unmatched: Int

    public static func == (a: VocabularyDraft, b: VocabularyDraft) -> Bool {
        a.column == b.column && a.unmatched == b.unmatched && a.entries.map(\.word) == b.entries.map(\.word)
            && a.entries.map(\.canonical) == b.entries.map(\.canonical)
    }
}

/// One wide column of an `unpivot:` draft: its header and the canonical
/// values (scale, rater) its header names.
public struct UnpivotColumn: Sendable, Equatable {
    public let header: String
    /// Canonical column -> canonical value, in the order `scale`, `rated_by`.
    public var constants: [(column: String, value: String)]

    public static func == (a: UnpivotColumn, b: UnpivotColumn) -> Bool {
        a.header == b.header && a.constants.map(\.column) == b.constants.map(\.column)
            && a.constants.map(\.value) == b.constants.map(\.value)
    }
}

/// What the draft says about one export file (or several files with one
/// header) read as one canonical file.
public struct FileSuggestion: Sendable {
    public let fileName: String
    /// Every file read as this input, `fileName` first: more than one when
    /// several files share its header (a return split by year).
    public var fileNames: [String] = []
    /// The glob and year pattern those files' names share (nil for one file,
    /// or names of no common shape: the draft lists them).
    public var namePattern: FileNamePattern?
    /// The canonical date column the year in the file names fills
    /// (`from_file_name:`), when the files have no column for it.
    public var dateFromFileName: String?
    /// Wide score columns, read through `unpivot:` into `score`.
    public var unpivot: [UnpivotColumn] = []
    /// Sampled words of the score column that say why a score is missing
    /// ("Not scored: child refused", "NS"): category labels, drafted as
    /// `missing_values:`.
    public var missingScoreWords: [String] = []
    /// Other non-numeric score values that are not labels (not shown).
    public var otherNonNumericScores = 0
    public let file: InputFile
    /// 0-1: how well the file's columns fit the canonical file.
    public let fit: Double
    public let delimiter: UInt8
    public let encoding: TextEncoding
    /// The canonical columns matched, in canonical order.
    public var choices: [ColumnChoice]
    /// Required canonical columns no export column matched.
    public var missingRequired: [String]
    public var dropped: [DroppedColumn]
    /// Export headers neither mapped nor dropped (the run ignores them).
    public var unmapped: [String]
    /// nil: every date is ISO (the default).
    public var dateFormats: [DateFormat]?
    public var trim = false
    public var dropExcelDecimal = false
    public var vocabularies: [VocabularyDraft]
    /// Scale names the scale column's words map to, in first-seen order.
    public var scaleNames: [String]
    /// Comments for the whole file (already worded, never holding a value).
    public var notes: [String]

    /// The header chosen for a canonical column.
    public func header(for canonical: String) -> String? { choices.first { $0.canonical == canonical }?.header }
}

/// An export file that fits no canonical file well enough (or whose
/// canonical file another export file fitted better).
public struct UnmatchedFile: Sendable, Equatable {
    public let fileName: String
    /// The canonical file it fitted best, and how well.
    public let nearest: InputFile?
    public let fit: Double
    /// Its first line holds a number, a date or an identifier-shaped cell: data,
    /// not a header. Nothing of the file is written into the draft but its name.
    public var headerLooksLikeData = false
}

/// A draft mapping of a whole export folder: what `waymark mapping suggest` writes.
public struct MappingSuggestion: Sendable {
    public var name: String
    public var folder: String
    public var files: [FileSuggestion]
    public var unmatched: [UnmatchedFile]
    /// Data rows sampled per file at most.
    public var rowLimit: Int

    /// The suggestion for a canonical file.
    public func file(_ f: InputFile) -> FileSuggestion? { files.first { $0.file == f } }

    /// Every scale the draft declares, `safety` first when present.
    public var scaleNames: [String] {
        var names: [String] = []
        for f in files { for s in f.scaleNames where !names.contains(s) { names.append(s) } }
        if names.isEmpty { names = ["safety"] }
        if let k = names.firstIndex(of: "safety"), k > 0 { names.remove(at: k); names.insert("safety", at: 0) }
        return names
    }
}
