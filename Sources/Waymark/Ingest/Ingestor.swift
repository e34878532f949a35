import Crypto
import WaymarkCSV

#if canImport(Glibc)
import Glibc
#endif

/// Reads the input files of a pipeline into typed tables, applying every rule
/// of DATA-CONTRACT.md: required values, types, ranges, vocabularies, dates,
/// cross-file references, duplicates and conflicts, text validity and the
/// identifier guard. Every row read is accepted or quarantined with all its
/// reasons; the counts are checked on every run.
///
/// Files are read in canonical order (interventions before responses, so a
/// response can be checked against its intervention).
public final class Ingestor {
    public let config: PipelineConfig
    public let extractedOn: Day
    /// Called every 64K rows and at the end of each file: (file, bytes, rows).
    public var progress: ((InputFile, Int, Int) -> Void)?

    var ids = IdentifierSpace()
    private var warnings: [String] = []
    var interventionByID: [Int32] = []
    var quarantinedInterventionIDs = Set<UInt32>()
    var interventionCase: [UInt32] = []

    public init(config: PipelineConfig, extractedOn: Day) {
        self.config = config
        self.extractedOn = extractedOn
    }

    public func run() throws -> IngestResult {
        for file in InputFile.allCases where file.isRequired && config.inputs[file] == nil {
            throw IngestError.missingInput(file: file)
        }
        var files: [FileReport] = []
        var scores = ScoreTable()
        var interventions = InterventionTable()
        var responses = ResponseTable()
        files.append(try ingestScores(into: &scores))
        files.append(try ingestInterventions(into: &interventions))
        files.append(try ingestResponses(into: &responses))
        var episodes: EpisodeTable?
        var children: ChildTable?
        if config.inputs[.episodes] != nil {
            var table = EpisodeTable()
            files.append(try ingestEpisodes(into: &table))
            episodes = table
        }
        if config.inputs[.children] != nil {
            var table = ChildTable()
            files.append(try ingestChildren(into: &table))
            children = table
        }
        return IngestResult(ids: ids, scores: scores, interventions: interventions, responses: responses,
                            episodes: episodes, children: children, files: files, warnings: warnings)
    }

    // MARK: - the shared per-file machinery

    /// How a file's rows are matched for duplicates and conflicts; the key
    /// itself comes back from the row parser.
    enum KeyKind {
        /// An interned id; 0 (blank) falls back to content.
        case code
        /// A composite key (case and day for episodes).
        case composite
        /// Content only.
        case content
    }

    struct Header {
        var names: [String]
        var columns: [Int]
        var scan: [Int]
        var canonicalOfSource: [Int]
    }

    private func resolveHeader(_ record: CSVRecord, file: InputFile, mapping: FileMapping) throws -> Header {
        let names = record.strings
        let specs = file.columns
        var columns = [Int](repeating: -1, count: specs.count)
        var canonicalOfSource = [Int](repeating: -1, count: names.count)
        var unknown: [String] = []
        for (i, name) in names.enumerated() {
            if let kind = IdentifierGuard.check(header: name) {
                throw IngestError.identifierHeader(path: mapping.path, column: i, header: name, kind: kind)
            }
            let key = name.trimmingCharacters(in: " \t").lowercased()
            let canonical = mapping.columns[key] ?? key
            if let c = file.columnIndex(canonical) {
                if columns[c] >= 0 {
                    throw IngestError.duplicateColumn(path: mapping.path, canonical: canonical, columns: [columns[c], i])
                }
                columns[c] = i
                canonicalOfSource[i] = c
            } else {
                unknown.append(name)
            }
        }
        let missing = specs.indices.filter { specs[$0].required && columns[$0] < 0 }.map { specs[$0].name }
        if !missing.isEmpty { throw IngestError.missingColumns(path: mapping.path, columns: missing, header: names) }
        var scan: [Int] = []
        for (i, c) in canonicalOfSource.enumerated() where c < 0 || specs[c].alwaysScanned { scan.append(i) }
        if !unknown.isEmpty {
            warnings.append("\(file.fileName): ignored \(unknown.count) column(s) that are not in the canonical schema: \(unknown.joined(separator: ", "))")
        }
        return Header(names: names, columns: columns, scan: scan, canonicalOfSource: canonicalOfSource)
    }

    /// Reads one file: header, then every record through `parse`, duplicate and
    /// conflict resolution, the identifier guard and quarantine bookkeeping.
    func ingest<T: RowTable>(
        _ file: InputFile, into table: inout T, key: KeyKind, contentHash: @escaping (T.Row) -> UInt64 = { _ in 0 },
        parse: (inout RowCursor) -> (row: T.Row, key: UInt64)?, quarantined: (inout RowCursor) -> Void = { _ in }
    ) throws -> FileReport {
        guard let mapping = config.inputs[file] else { throw IngestError.missingInput(file: file) }
        let started = monotonicSeconds()
        var report = FileReport(file: file, path: mapping.path)
        report.dialect = mapping.dialect
        var hasher = SHA256()
        var bytesSeen = 0
        var header: Header?
        var index = DuplicateIndex()
        var conflicted: [Bool] = []
        var anyConflict = false
        var spans: [(offset: Int, count: Int)] = []
        var findings: [IdentifierFinding] = []
        var findingTotal = 0
        let extracted = extractedOn.number
        let progress = self.progress

        let reader = CSVReader(path: mapping.path, dialect: mapping.dialect, limits: config.limits)
        let summary: CSVReadSummary
        do {
            summary = try reader.read(observe: { chunk in
                hasher.update(bufferPointer: chunk)
                bytesSeen += chunk.count
            }) { record in
                guard let h = header else {
                    let resolved = try resolveHeader(record, file: file, mapping: mapping)
                    header = resolved
                    report.header = resolved.names
                    report.unknownColumns = resolved.names.indices.filter { resolved.canonicalOfSource[$0] < 0 }.map { resolved.names[$0] }
                    return
                }
                report.rowsRead += 1
                var cursor = RowCursor(record: record, columns: h.columns, mapping: mapping, extractedOn: extracted)
                var wholeRow = false
                var parsed: (row: T.Row, key: UInt64)?
                if record.count != h.names.count {
                    cursor.problems.append(RowProblem(record.isBlank ? .blankRow : .wrongFieldCount))
                    wholeRow = true
                } else if record.isBlank {
                    cursor.problems.append(RowProblem(.blankRow))
                } else {
                    for fault in record.faults {
                        cursor.problems.append(RowProblem(Ingestor.reason(fault.kind), column: fault.column))
                    }
                    parsed = parse(&cursor)
                }
                if cursor.problems.isEmpty, let (candidate, rowKey) = parsed {
                    let newIndex = Int32(table.count)
                    let first: Int32?
                    switch key {
                    case .code where rowKey != 0:
                        first = index.first(code: UInt32(rowKey), else: newIndex)
                    case .composite:
                        first = index.first(key: rowKey, else: newIndex)
                    default:
                        first = index.first(hash: contentHash(candidate), else: newIndex) { table.row(Int($0)) == candidate }
                    }
                    if let first {
                        if table.row(Int(first)) == candidate {
                            cursor.problems.append(RowProblem(.duplicate))
                        } else {
                            cursor.problems.append(RowProblem(.conflictingID))
                            conflicted[Int(first)] = true
                            anyConflict = true
                        }
                    } else {
                        table.append(candidate)
                        conflicted.append(false)
                        spans.append((record.byteOffset, record.byteCount))
                    }
                }
                // The identifier guard: every text-like field, and every field of a rejected row
                // except those that parsed as dates, numbers or vocabulary values.
                func check(_ s: Int) {
                    if let kind = IdentifierGuard.scan(record[s]) {
                        findingTotal += 1
                        if findings.count < 20 {
                            findings.append(IdentifierFinding(line: record.line, column: s, columnName: h.names.indices.contains(s) ? h.names[s] : "column \(s + 1)", kind: kind))
                        }
                    }
                }
                if cursor.problems.isEmpty {
                    for s in h.scan { check(s) }
                } else {
                    for s in 0..<record.count {
                        let c = s < h.canonicalOfSource.count && !wholeRow ? h.canonicalOfSource[s] : -1
                        if c >= 0 && cursor.typedOK & (1 << UInt64(c)) != 0 { continue }
                        check(s)
                    }
                    report.quarantine.append(QuarantinedRow(line: record.line, byteOffset: record.byteOffset,
                                                            byteCount: record.byteCount, problems: cursor.problems))
                    quarantined(&cursor)
                }
                if report.rowsRead & 0xFFFF == 0 { progress?(file, bytesSeen, report.rowsRead) }
            }
        } catch let error as CSVReadError {
            throw IngestError.read(error)
        }
        if findingTotal > 0 {
            throw IngestError.identifierValues(path: mapping.path, findings: findings, total: findingTotal)
        }
        if anyConflict {
            for i in conflicted.indices where conflicted[i] {
                report.quarantine.append(QuarantinedRow(line: Int(table.line[i]), byteOffset: spans[i].offset,
                                                        byteCount: spans[i].count, problems: [RowProblem(.conflictingID)]))
            }
            table.keep(conflicted.map { !$0 })
            report.quarantine.sort { $0.line < $1.line }
        }
        report.rowsAccepted = table.count
        report.rowsQuarantined = report.quarantine.count
        report.blankLinesSkipped = summary.blankLinesSkipped
        report.bytes = summary.bytes
        report.sha256 = hasher.finalize().map { String(($0 >> 4), radix: 16) + String($0 & 0xF, radix: 16) }.joined()
        report.seconds = monotonicSeconds() - started
        progress?(file, bytesSeen, report.rowsRead)
        if report.rowsAccepted + report.rowsQuarantined != report.rowsRead {
            throw IngestError.accounting(path: mapping.path, read: report.rowsRead, accepted: report.rowsAccepted,
                                         quarantined: report.rowsQuarantined)
        }
        return report
    }

    static func reason(_ kind: CSVFieldFault.Kind) -> QuarantineReason {
        switch kind {
        case .fieldTooLong: return .fieldTooLong
        case .malformedQuote: return .malformedQuote
        case .invalidEncoding: return .invalidEncoding
        case .forbiddenCharacter: return .forbiddenCharacter
        }
    }

    func resolver<V: Vocabulary>(_ type: V.Type, _ column: String, _ mapping: FileMapping) -> ValueResolver {
        ValueResolver(canonical: V.allNames, vocabulary: mapping.vocabulary[column] ?? [:])
    }

    // MARK: - the five files

    private func ingestScores(into table: inout ScoreTable) throws -> FileReport {
        guard let mapping = config.inputs[.scalingScores] else { throw IngestError.missingInput(file: .scalingScores) }
        var scoreIDs = Interner(capacity: 1 << 16)
        var scaleResolver = ValueResolver(canonical: config.scales.map(\.name), vocabulary: mapping.vocabulary["scale"] ?? [:])
        var raters = resolver(Rater.self, "rated_by", mapping)
        var settings = resolver(Setting.self, "setting", mapping)
        let scales = config.scales
        let teamVocabulary = mapping.vocabulary["team"]
        return try ingest(.scalingScores, into: &table, key: .code, contentHash: { $0.contentHash }) { c in
            let scoreID = c.identifier(0, &scoreIDs)
            let caseID = c.identifier(1, required: true, &ids.cases)
            let child = c.identifier(2, &ids.children)
            let team = c.text(3, &ids.teams, vocabulary: teamVocabulary)
            let worker = c.identifier(4, &ids.workers)
            let day = c.date(5, required: true)
            let scale = c.code(6, required: true, &scaleResolver, unknown: .unknownScale)
            let score = c.decimal(7, required: true, range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
            if scale > 0 && !score.isNaN {
                let spec = scales[Int(scale) - 1]
                if score < spec.min || score > spec.max {
                    c.problems.append(RowProblem(.outOfRange, column: c.columns[7]))
                }
            }
            let rater = c.code(8, required: true, &raters)
            let setting = c.code(9, &settings)
            let row = ScoreRow(caseID: caseID, childID: child, team: team, worker: worker, day: day,
                            scale: UInt16(truncatingIfNeeded: max(0, scale)), score: score,
                            rater: UInt8(truncatingIfNeeded: max(0, rater)), setting: UInt8(truncatingIfNeeded: max(0, setting)),
                            line: UInt32(c.record.line))
            return (row, UInt64(scoreID))
        }
    }
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
