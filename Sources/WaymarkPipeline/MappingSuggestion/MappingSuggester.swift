import Foundation
import WaymarkCore
import WaymarkCSV
import WaymarkIngest

/// Why `waymark mapping suggest` could not read an export folder.
public struct MappingSuggestError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Builds a ``MappingSuggestion`` from a foreign export folder: samples each
/// CSV file, sets aside identifier columns, classifies the files, matches
/// their columns and drafts dates, id clean-ups and vocabularies.
public enum MappingSuggester {
    /// Reads every `.csv` file in `folder` (not its subfolders).
    public static func suggest(folder: String, name: String? = nil, rowLimit: Int = ExportSampler.defaultRowLimit) throws -> MappingSuggestion {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw MappingSuggestError(description: "\(folder): not a folder; give the folder holding the export's CSV files")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else {
            throw MappingSuggestError(description: "\(folder): no .csv files in this folder")
        }
        let samples = try names.map { try ExportSampler.sample(path: (folder as NSString).appendingPathComponent($0), rowLimit: rowLimit) }
        return suggest(samples: samples, folder: folder, name: name ?? defaultName(folder), rowLimit: rowLimit)
    }

    /// The pipeline name a folder suggests: its last component, lower-cased,
    /// other characters than letters, digits, `-` and `_` made `-`.
    public static func defaultName(_ folder: String) -> String {
        let last = (folder as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? "export"
        let slug = String(last.lowercased().map { ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let trimmed = slug.trimmingCharacters(in: "-.")
        return trimmed.isEmpty ? "export" : trimmed
    }

    /// The suggestion for samples already read.
    public static func suggest(samples all: [ExportSample], folder: String, name: String, rowLimit: Int) -> MappingSuggestion {
        // A file whose first line looks like data has no header: its cells are values
        // (possibly a person's), so none of them may be echoed as a header.
        let raw = all.filter { !headerLooksLikeData($0.headers) }
        let headless = all.filter { headerLooksLikeData($0.headers) }.map {
            UnmatchedFile(fileName: $0.fileName, nearest: nil, fit: 0, headerLooksLikeData: true)
        }
        // A file with the same header, delimiter and encoding as an earlier one (a yearly return in several
        // files) is the same input: the earlier file leads, holding every file's sampled values.
        var sameAs: [Int: Int] = [:]
        for i in raw.indices {
            if let j = raw.indices.first(where: { $0 < i && sameAs[$0] == nil && raw[$0].headers == raw[i].headers
                && raw[$0].delimiter == raw[i].delimiter && raw[$0].encoding == raw[i].encoding }) {
                sameAs[i] = j
            }
        }
        var samples = raw
        for i in sameAs.keys.sorted() { samples[sameAs[i]!] = merged(samples[sameAs[i]!], raw[i]) }
        let shapes = samples.map { $0.values.map(ValueShape.init) }
        let dropped = samples.indices.map { identifierColumns(samples[$0], shapes[$0]) }
        // A column the draft drops is never read, so never unpivoted.
        let wide = samples.indices.map { i in
            WideScoreColumns.scoreColumns(samples[i].headers, shapes[i]).filter { c in !dropped[i].contains { $0.header == samples[i].headers[c] } }
        }
        let usable = samples.indices.map { i in
            samples[i].headers.indices.filter { c in
                !samples[i].headers[c].trimmingCharacters(in: " \t").isEmpty && !wide[i].contains(c)
                    && !dropped[i].contains { $0.header == samples[i].headers[c] }
            }
        }
        var fits: [[InputFile: Double]] = []
        for (i, sample) in samples.enumerated() {
            var row: [InputFile: Double] = [:]
            for file in InputFile.allCases where sameAs[i] == nil {
                row[file] = ColumnMatcher.match(sample, shapes: shapes[i], usable: usable[i], file: file).fit
                    + FileClassifier.nameHint(sample.fileName, file)
            }
            fits.append(row)
        }
        let assigned = FileClassifier.assign(fits)
        var files: [FileSuggestion] = []
        var unmatched: [UnmatchedFile] = []
        for (i, sample) in samples.enumerated() where sameAs[i] == nil {
            let group = [sample.fileName] + sameAs.keys.sorted().filter { sameAs[$0] == i }.map { raw[$0].fileName }
            guard let file = assigned[i] else {
                let nearest = fits[i].max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
                for name in group { unmatched.append(UnmatchedFile(fileName: name, nearest: nearest?.key, fit: nearest?.value ?? 0)) }
                continue
            }
            var f = draft(sample, shapes: shapes[i], usable: usable[i], dropped: dropped[i], wide: wide[i],
                          file: file, fit: fits[i][file] ?? 0)
            f.fileNames = group
            if group.count > 1 { readSeveral(&f) }
            files.append(f)
        }
        files.sort { $0.file < $1.file }
        return MappingSuggestion(name: name, folder: folder, files: files, unmatched: headless + unmatched, rowLimit: rowLimit)
    }

    /// Whether a first line reads as data rather than a header: a cell that
    /// is a number or a date, or that the identifier guard's value scan flags.
    static func headerLooksLikeData(_ headers: [String]) -> Bool {
        headers.contains { h in
            let t = h.trimmingCharacters(in: " \t")
            if t.isEmpty { return false }
            let shape = ValueShape([t])
            if shape.dates > 0 || shape.numbers > 0 { return true }
            var bytes = Array(t.utf8)
            return bytes.withUnsafeMutableBufferPointer { IdentifierGuard.scan(UnsafeBufferPointer($0)) } != nil
        }
    }

    /// One sample holding both files' sampled values (same header).
    static func merged(_ a: ExportSample, _ b: ExportSample) -> ExportSample {
        ExportSample(fileName: a.fileName, path: a.path, delimiter: a.delimiter, encoding: a.encoding, headers: a.headers,
                     values: a.values.indices.map { a.values[$0] + (b.values.indices.contains($0) ? b.values[$0] : []) },
                     sampledRows: a.sampledRows + b.sampledRows)
    }

    /// Several files read as one input: a glob when their names share a
    /// shape, and the year in their names for a required date column they lack.
    static func readSeveral(_ f: inout FileSuggestion) {
        f.namePattern = FileNamePattern.of(f.fileNames)
        guard f.namePattern?.yearPattern != nil,
              let column = f.file.columns.first(where: { spec in
                  if case .date = spec.kind { return f.missingRequired.contains(spec.name) }
                  return false
              }) else { return }
        f.dateFromFileName = column.name
        f.missingRequired.removeAll { $0 == column.name }
    }

    /// Columns whose header names a direct identifier, or whose sampled values
    /// hold one (in more than a few rows): the draft drops them.
    static func identifierColumns(_ sample: ExportSample, _ shapes: [ValueShape]) -> [DroppedColumn] {
        var out: [DroppedColumn] = []
        for (c, header) in sample.headers.enumerated() {
            if let kind = IdentifierGuard.check(header: header) {
                out.append(DroppedColumn(header: header, kind: kind, byValues: false))
            } else if shapes[c].identifierHits > 0 && Double(shapes[c].identifierHits) >= 0.5 * Double(shapes[c].nonBlank) {
                let kind = sample.values[c].lazy.compactMap { IdentifierGuard.scan($0) }.first ?? .nhsNumber
                out.append(DroppedColumn(header: header, kind: kind, byValues: true))
            }
        }
        return out
    }

    /// The draft of one export file read as `file`.
    static func draft(_ sample: ExportSample, shapes: [ValueShape], usable: [Int], dropped: [DroppedColumn],
                      wide: [Int] = [], file: InputFile, fit: Double) -> FileSuggestion {
        let (choices, _) = ColumnMatcher.match(sample, shapes: shapes, usable: usable, file: file)
        let specs = file.columns
        let chosenHeaders = Set(choices.map(\.header))
        var s = FileSuggestion(
            fileName: sample.fileName, file: file, fit: fit, delimiter: sample.delimiter, encoding: sample.encoding,
            choices: choices,
            missingRequired: specs.filter { spec in spec.required && !choices.contains { $0.canonical == spec.name } }.map(\.name),
            dropped: dropped,
            unmapped: usable.map { sample.headers[$0] }.filter { !chosenHeaders.contains($0) },
            dateFormats: nil, vocabularies: [], scaleNames: [], notes: [])
        // An unused column with any value the guard would stop on is dropped too: the run scans every column.
        for header in s.unmapped {
            guard let c = sample.headers.firstIndex(of: header), shapes[c].identifierHits > 0,
                  let kind = sample.values[c].lazy.compactMap({ IdentifierGuard.scan($0) }).first else { continue }
            s.dropped.append(DroppedColumn(header: header, kind: kind, byValues: true))
        }
        s.unmapped.removeAll { header in s.dropped.contains { $0.header == header } }
        var formats: Set<DateFormat> = []
        for choice in choices {
            guard let c = sample.headers.firstIndex(of: choice.header), let spec = specs.first(where: { $0.name == choice.canonical }) else { continue }
            let shape = shapes[c], values = sample.values[c]
            switch spec.kind {
            case .date:
                if let f = shape.dateFormats { formats.formUnion(f) }
            case .identifier:
                if shape.padded > 0 { s.trim = true }
                if shape.excelDecimals > 0 { s.dropExcelDecimal = true }
                if shape.identifierHits > 0 {
                    s.notes.append("unsure: \(shape.identifierHits) sampled values of `\(choice.header)` look like a direct identifier (\(IdentifierGuard.scan(values.first { IdentifierGuard.scan($0) != nil } ?? "")?.phrase ?? "an identifier")); the run will stop on them. If they are pseudonyms, add a justified waiver under `identifier_guard.allow`.")
                }
            case .enumeration(let names):
                s.vocabularies.append(vocabulary(values, column: spec.name, names: names))
            case .scale:
                var draft = VocabularyDraft(column: spec.name, entries: [], unmatched: 0)
                var seen: [String: Int] = [:]
                for v in values { seen[v.trimmingCharacters(in: " \t"), default: 0] += 1 }
                for word in VocabularyWords.distinct(values) {
                    // A scale's label becomes a key of the draft: a known scale's word, or else
                    // only a category seen several times (never a one-off note or name).
                    guard let scale = VocabularyWords.scaleName(word),
                          ["safety", "worry", "wellbeing"].contains(scale)
                            || VocabularyWords.isCategory(word, count: seen[word.trimmingCharacters(in: " \t")] ?? 0) else {
                        draft.unmatched += 1; continue
                    }
                    if !s.scaleNames.contains(scale) { s.scaleNames.append(scale) }
                    if word != scale { draft.entries.append((word, scale)) }
                }
                s.vocabularies.append(draft)
            case .decimal where spec.name == "score":
                if shape.numbers > shape.scores {
                    s.notes.append("unsure: some sampled values of `\(choice.header)` are not whole numbers from 0 to 10; check each scale's `min`, `max` and `step` below.")
                }
                // Words beside numbers are reasons; a column mostly of words is no score column to read them from.
                if shape.numberShare >= 0.5 {
                    (s.missingScoreWords, s.otherNonNumericScores) = ScoreReasons.words(values)
                } else {
                    s.notes.append("unsure: most sampled values of `\(choice.header)` are not numbers; check that it is the score column")
                }
            default: break
            }
        }
        if formats.contains(.dmy) { s.dateFormats = formats.contains(.iso) ? [.dmy, .iso] : [.dmy] }
        if !wide.isEmpty { unpivot(&s, headers: wide.map { sample.headers[$0] }) }
        return s
    }

    /// Reads the wide score columns through `unpivot:` into `score`, each
    /// with the scale and rater its header names (those no column gives).
    static func unpivot(_ s: inout FileSuggestion, headers: [String]) {
        let names = headers.map { "`\($0)`" }.joined(separator: ", ")
        guard s.file == .scalingScores else {
            s.notes.append("unsure: the file has columns of 0-10 scores named for a scale or rater (\(names)), which the draft does not read as \(s.file.rawValue); if they are scores, read them with `unpivot` under scaling_scores")
            return
        }
        guard s.header(for: "score") == nil else {
            s.notes.append("unsure: the file looks wide, one column of 0-10 scores per scale or rater (\(names)), but a column is already read as `score`; read them with `unpivot` (docs/pipeline-files.md) or drop them")
            return
        }
        let fromColumns = Set(s.choices.map(\.canonical))
        s.unpivot = headers.map { header in
            let named = WideScoreColumns.names(header)
            var constants: [(column: String, value: String)] = []
            if let scale = named.scale, !fromColumns.contains("scale") { constants.append(("scale", scale)) }
            if let rater = named.rater, !fromColumns.contains("rated_by") { constants.append(("rated_by", rater)) }
            return UnpivotColumn(header: header, constants: constants)
        }
        s.missingRequired.removeAll { $0 == "score" }
        for column in ["scale", "rated_by"] where s.unpivot.allSatisfy({ $0.constants.contains { $0.column == column } }) {
            s.missingRequired.removeAll { $0 == column }
        }
        for entry in s.unpivot {
            for c in entry.constants where c.column == "scale" && !s.scaleNames.contains(c.value) { s.scaleNames.append(c.value) }
        }
        let keys = s.unpivot.map { $0.constants.map(\.value).joined(separator: "/") }
        if Set(keys).count < keys.count {
            s.notes.append("unsure: two wide columns name the same scale and rater; check the `unpivot` entries")
        }
    }

    /// The vocabulary entries an enumeration column's sampled words need.
    static func vocabulary(_ values: [String], column: String, names: [String]) -> VocabularyDraft {
        var draft = VocabularyDraft(column: column, entries: [], unmatched: 0)
        let words = VocabularyWords.distinct(values)
        if words.count > 40 {
            draft.unmatched = words.count
            return draft
        }
        for word in words {
            guard let canonical = VocabularyWords.canonical(word, column: column, names: names) else { draft.unmatched += 1; continue }
            if canonical != word { draft.entries.append((word, canonical)) }
        }
        return draft
    }
}
