import WaymarkCSV
import WaymarkCore
import WaymarkMethods

/// A file's canonical columns that come from the pipeline file rather than
/// from a column of the export (constants, file-name captures, start date
/// plus index times step), resolved against the file's header before any
/// row is read.
struct DerivedColumns {
    /// Per canonical column: its value on every row, or nil.
    var fixed: [FixedValue?]
    /// Per canonical column: the source columns of its start date and index, and the step.
    var indexed: [IndexSource?]
    /// Source columns read only to compute a value (not "unknown" columns).
    var sources: Set<Int> = []

    /// One wide column of an `unpivot`: where its cells are, and the file's
    /// fixed values with this column's own constants added.
    struct Variant: Sendable {
        var source: Int
        var fixed: [FixedValue?]
    }
    /// The canonical column an `unpivot` fills, and one variant per wide column (empty: no unpivot).
    var unpivotValue = -1
    var variants: [Variant] = []

    /// Where an indexed date's parts are.
    struct IndexSource: Sendable {
        var start: Int
        var index: Int
        var stepDays: Int
    }

    /// The canonical columns whose values come from the pipeline file.
    var provided: Set<Int> { Set(fixed.indices.filter(provides)) }

    /// True when canonical column `c` gets its value from the pipeline file
    /// (for an unpivot's own constants: from every wide column's entry).
    func provides(_ c: Int) -> Bool {
        fixed[c] != nil || indexed[c] != nil || c == unpivotValue
            || (!variants.isEmpty && variants.allSatisfy { $0.fixed[c] != nil })
    }

    /// Resolves `mapping`'s rules for `file` against its header `names`
    /// (`columns[c]`: the source column of canonical column `c`, or -1).
    /// A rule that does not fit stops the run at its pipeline line.
    static func resolve(_ file: InputFile, mapping: FileMapping, names: [String], columns: [Int], scales: [String],
                        pipeline: String?) throws -> DerivedColumns {
        let specs = file.columns
        var out = DerivedColumns(fixed: Array(repeating: nil, count: specs.count), indexed: Array(repeating: nil, count: specs.count))
        func stop(_ line: Int, _ key: String, _ message: String) -> IngestError {
            IngestError.mappingKey(pipeline: pipeline, line: line, message: "`inputs.\(file.rawValue).\(key)`: \(message)")
        }
        func target(_ column: String, line: Int, key: String) throws -> Int {
            guard let c = file.columnIndex(column) else {
                let near = NearestName.of(column, among: specs.map(\.name)).map { " Did you mean `\($0)`?" } ?? ""
                throw stop(line, key, "`\(column)` is not a column of \(file.fileName).\(near)")
            }
            if columns[c] >= 0 {
                throw stop(line, key, "`\(column)` comes from the pipeline file here, and also from column \(columns[c] + 1) of \(file.fileName); keep one (drop the column, or remove this entry)")
            }
            if out.provides(c) { throw stop(line, key, "`\(column)` is given a value twice (constants, from_file_name, or a computed date); keep one") }
            return c
        }
        func fix(_ c: Int, _ value: String) -> FixedValue {
            if case .date = specs[c].kind { return .day(DerivedValues.day(value)?.number ?? .blankDay) }
            return .bytes(Array(value.utf8))
        }
        for (column, constant) in mapping.constants.sorted(by: { $0.key < $1.key }) {
            let c = try target(column, line: constant.line, key: "constants")
            if let why = DerivedValues.problem(constant.value, for: specs[c], scales: scales, vocabulary: mapping.vocabulary[column] ?? [:]) {
                throw stop(constant.line, "constants.\(column)", why)
            }
            out.fixed[c] = fix(c, constant.value)
        }
        if let rule = mapping.fileNameRule {
            let name = lastPathComponent(mapping.path)
            switch DerivedValues.captures(rule, fileName: name) {
            case .failure(let e):
                throw stop(rule.line, "from_file_name", "\(name): \(e.message)")
            case .success(let values):
                for (column, value) in values.sorted(by: { $0.key < $1.key }) {
                    let c = try target(column, line: rule.line, key: "from_file_name")
                    if let why = DerivedValues.problem(value, for: specs[c], scales: scales, vocabulary: mapping.vocabulary[column] ?? [:]) {
                        throw stop(rule.line, "from_file_name.\(column)", "\(name): the capture gives \(why)")
                    }
                    out.fixed[c] = fix(c, value)
                }
            }
        }
        for (column, rule) in mapping.indexedDates.sorted(by: { $0.key < $1.key }) {
            let c = try target(column, line: rule.line, key: column)
            guard case .date = specs[c].kind else { throw stop(rule.line, column, "`\(column)` is not a date column") }
            func source(_ header: String) throws -> Int {
                let want = MappingCheck.key(header)
                guard let s = names.firstIndex(where: { MappingCheck.key($0) == want }) else {
                    throw stop(rule.line, column, "\(file.fileName) has no column headed `\(header)`.")
                }
                guard !mapping.drop.contains(want) else { throw stop(rule.line, column, "`\(header)` is dropped, so it cannot be read") }
                return s
            }
            let start = try source(rule.start), index = try source(rule.index)
            out.indexed[c] = IndexSource(start: start, index: index, stepDays: rule.stepDays)
            out.sources.formUnion([start, index])
        }
        if let unpivot = mapping.unpivot {
            let key = "unpivot"
            let v = try target(unpivot.value, line: unpivot.line, key: "\(key).value")
            var variants: [Variant] = []
            for column in unpivot.columns {
                let want = MappingCheck.key(column.header)
                guard let s = names.firstIndex(where: { MappingCheck.key($0) == want }) else {
                    throw stop(column.line, key, "\(file.fileName) has no column headed `\(column.header)`.")
                }
                guard !columns.contains(s), !mapping.drop.contains(want) else {
                    throw stop(column.line, key, "`\(column.header)` is a wide column here, so it cannot also be mapped or dropped")
                }
                var fixed = out.fixed
                for (name, value) in column.constants.sorted(by: { $0.key < $1.key }) {
                    guard let c = file.columnIndex(name) else {
                        throw stop(column.line, key, "`\(name)` is not a column of \(file.fileName).\(NearestName.suggestion(name, among: specs.map(\.name)))")
                    }
                    guard c != v, columns[c] < 0, !out.provides(c) else {
                        throw stop(column.line, key, "`\(name)` already has a value (the cell, a column of the file, or a constant); keep one")
                    }
                    if let why = DerivedValues.problem(value, for: specs[c], scales: scales, vocabulary: mapping.vocabulary[name] ?? [:]) {
                        throw stop(column.line, "\(key).\(column.header).\(name)", why)
                    }
                    fixed[c] = fix(c, value)
                }
                variants.append(Variant(source: s, fixed: fixed))
                out.sources.insert(s)
            }
            out.unpivotValue = v
            out.variants = variants
        }
        return out
    }
}
