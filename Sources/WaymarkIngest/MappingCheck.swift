/// DATA-CONTRACT.md, "Mapping keys are checked against the file": every
/// `columns`, `vocabulary` and `drop` entry must name a column the file has,
/// and one that can take it, or the run stops naming the pipeline file's line.
///
/// Entries of a file's own mapping must fit that file. Entries of the
/// top-level `mapping:` apply to every file, so each must fit at least one.
enum MappingCheck {
    /// Compared as the reader compares headers: trimmed, lower-cased.
    static func key(_ name: String) -> String { name.trimmingCharacters(in: " \t").lowercased() }

    /// Why `entry` does not fit `file`, or nil when it does.
    /// `provided`: canonical columns whose values come from the pipeline file
    /// (a constant `rated_by` can still take a vocabulary).
    static func misfit(_ entry: MappingKey, _ file: InputFile, names: [String], canonicalOfSource: [Int],
                       provided: Set<Int> = []) -> String? {
        let specs = file.columns
        switch entry.kind {
        case .columns, .drop:
            let want = key(entry.name)
            guard names.contains(where: { key($0) == want }) else {
                return "\(file.fileName) has no column headed `\(entry.name)`."
            }
            if entry.kind == .columns, let target = entry.target, file.columnIndex(target) == nil {
                return "`\(entry.name)` is mapped to `\(target)`, which is not a column of \(file.fileName) (its columns: \(specs.map(\.name).joined(separator: ", ")))."
            }
            return nil
        case .vocabulary:
            guard let c = file.columnIndex(entry.name) else {
                return "`\(entry.name)` is not a column of \(file.fileName) (its columns: \(specs.map(\.name).joined(separator: ", ")))."
            }
            switch specs[c].kind {
            case .text, .enumeration, .scale: break
            case .identifier, .date, .decimal, .integer:
                return "`\(entry.name)` holds \(specs[c].kind.phrase), which cannot take a vocabulary (vocabularies map codes and labels, e.g. `Parent/Carer: parent`)."
            }
            guard canonicalOfSource.contains(c) || provided.contains(c) else {
                return "\(file.fileName) has no `\(entry.name)` column (after the column mapping) for this vocabulary."
            }
            return nil
        }
    }

    /// Checks every `columns` target against the canonical schema, before any
    /// header or row is read: a target under a file must be one of that
    /// file's canonical columns, one under the top-level `mapping:` a column
    /// of at least one input. A wrong one stops the run at its line, naming
    /// the nearest valid name (`hamd: scores` -> did you mean `score`?).
    static func targets(_ inputs: [InputFile: FileMapping], pipeline: String?) throws {
        var sharedSeen: [MappingKey] = []
        for file in InputFile.allCases {
            for mapping in inputs[file]?.partFiles ?? [] {
            for entry in mapping.declared where entry.kind == .columns {
                guard let target = entry.target else { continue }
                if entry.shared {
                    guard !sharedSeen.contains(entry) else { continue }
                    sharedSeen.append(entry)
                    let all = InputFile.allCases.filter { inputs[$0] != nil }
                    guard !all.contains(where: { $0.columnIndex(target) != nil }) else { continue }
                    let names = all.flatMap { $0.columns.map(\.name) }
                    throw IngestError.mappingKey(pipeline: pipeline, line: entry.line, message:
                        "`mapping.columns`: `\(entry.name)` is mapped to `\(target)`, which is not a canonical column of any input file.\(suggestion(target, names))")
                } else if file.columnIndex(target) == nil {
                    let names = file.columns.map(\.name)
                    throw IngestError.mappingKey(pipeline: pipeline, line: entry.line, message:
                        "`inputs.\(file.rawValue).columns`: `\(entry.name)` is mapped to `\(target)`, which is not a column of \(file.fileName).\(suggestion(target, names)) Its columns: \(names.joined(separator: ", ")).")
                }
            }
            }
        }
    }

    /// " Did you mean `x`?" when a valid name is close enough, else "".
    private static func suggestion(_ target: String, _ names: [String]) -> String {
        NearestName.of(target, among: names).map { " Did you mean `\($0)`?" } ?? ""
    }

    /// Checks a file's own entries against its header.
    static func perFile(_ file: InputFile, mapping: FileMapping, names: [String], canonicalOfSource: [Int],
                        dropped: [Bool], provided: Set<Int> = [], pipeline: String?) throws {
        for entry in mapping.declared where !entry.shared {
            if let why = misfit(entry, file, names: names, canonicalOfSource: canonicalOfSource, provided: provided) {
                throw IngestError.mappingKey(pipeline: pipeline, line: entry.line, message: "`inputs.\(file.rawValue).\(entry.kind.rawValue)`: \(why)")
            }
        }
        // A shared entry that names a column of this file must still fit it
        // (a vocabulary for a date column fails wherever the column is).
        for entry in mapping.declared where entry.shared && entry.kind == .vocabulary {
            if let c = file.columnIndex(entry.name), canonicalOfSource.contains(c),
               let why = misfit(entry, file, names: names, canonicalOfSource: canonicalOfSource) {
                throw IngestError.mappingKey(pipeline: pipeline, line: entry.line, message: "`mapping.vocabulary`: \(why)")
            }
        }
    }

    /// Checks that each top-level entry fits at least one file.
    static func shared(_ inputs: [InputFile: FileMapping], headers: [(InputFile, Ingestor.Header)], pipeline: String?) throws {
        var entries: [MappingKey] = []
        var fitted: [Bool] = []
        for (file, header) in headers {
            guard let mapping = inputs[file] else { continue }
            for entry in mapping.declared where entry.shared {
                var k = entries.firstIndex(of: entry) ?? -1
                if k < 0 { entries.append(entry); fitted.append(false); k = entries.count - 1 }
                if misfit(entry, file, names: header.sourceNames, canonicalOfSource: header.canonicalOfSource,
                          provided: header.derived?.provided ?? []) == nil { fitted[k] = true }
            }
        }
        for (entry, fits) in zip(entries, fitted) where !fits {
            let what: String
            switch entry.kind {
            case .columns: what = "no input file has a column headed `\(entry.name)` that can map to `\(entry.target ?? "")`."
            case .drop: what = "no input file has a column headed `\(entry.name)`."
            case .vocabulary: what = "no input file has a `\(entry.name)` column that can take a vocabulary."
            }
            throw IngestError.mappingKey(pipeline: pipeline, line: entry.line, message: "`mapping.\(entry.kind.rawValue)`: \(what)")
        }
    }
}

extension ColumnSpec.Kind {
    /// What the column holds, for messages.
    public var phrase: String {
        switch self {
        case .identifier: return "identifiers"
        case .text: return "text"
        case .date: return "dates"
        case .decimal: return "numbers"
        case .integer: return "whole numbers"
        case .scale: return "scale names"
        case .enumeration: return "codes"
        }
    }
}
