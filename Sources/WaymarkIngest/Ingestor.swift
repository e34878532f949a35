import Foundation
import Synchronization
import WaymarkCSV

#if canImport(Glibc)
import Glibc
#endif
import WaymarkCore
import WaymarkMethods

/// Reads the input files of a pipeline into typed tables, applying every rule
/// of DATA-CONTRACT.md: required values, types, ranges, vocabularies, dates,
/// cross-file references, duplicates and conflicts, text validity and the
/// identifier guard. Every row read is accepted or quarantined with all its
/// reasons; the counts are checked on every run.
///
/// Files are read in canonical order (interventions before responses, so a
/// response can be checked against its intervention).
public final class Ingestor {
    public let options: IngestOptions
    public let extractedOn: Day
    /// Called every 64K rows and at the end of each file, on the calling thread.
    public var progress: ((IngestProgress) -> Void)?

    var ids = IdentifierSpace()
    private var warnings: [String] = []
    var interventionByID: [Int32] = []
    var interventionCase: [UInt32] = []

    public init(options: IngestOptions, extractedOn: Day) {
        self.options = options
        self.extractedOn = extractedOn
    }

    public func run() throws -> IngestResult {
        for file in InputFile.allCases where file.isRequired && options.inputs[file] == nil && !options.notGiven.contains(file) {
            throw IngestError.missingInput(file: file)
        }
        try prepareAll()
        var files: [FileReport] = []
        var scores = ScoreTable()
        var interventions = InterventionTable()
        var responses = ResponseTable()
        // The columns keep their spare capacity (the estimate's 5% margin, or what growth by
        // doubling left): it was never written, so it takes address space but no memory, and
        // trimming it would copy every column (363 MB at 10M rows).
        files.append(contentsOf: try ingestScores(into: &scores))
        // A scores-only run (`interventions: none`) leaves both tables empty.
        if options.inputs[.interventions] != nil { files.append(contentsOf: try ingestInterventions(into: &interventions)) }
        if options.inputs[.responses] != nil { files.append(contentsOf: try ingestResponses(into: &responses)) }
        var episodes: EpisodeTable?
        var children: ChildTable?
        if options.inputs[.episodes] != nil {
            var table = EpisodeTable()
            files.append(contentsOf: try ingestEpisodes(into: &table))
            episodes = table
        }
        if options.inputs[.children] != nil {
            var table = ChildTable()
            files.append(contentsOf: try ingestChildren(into: &table))
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
        /// Per source column: the bits of the identifier kinds a waiver lets through.
        var waived: [UInt16] = []
        /// Per source column: dropped by the mapping (never typed, scanned or written).
        var dropped: [Bool] = []
        var hasDrops: Bool { dropped.contains(true) }
        /// True when source column `column` is dropped by the mapping.
        func isDropped(_ column: Int) -> Bool { column < dropped.count && dropped[column] }
        /// The header cells as written, for checking the mapping (never shown:
        /// ``names`` hides dropped columns).
        var sourceNames: [String] = []
        /// Canonical columns whose values come from the pipeline file.
        var derived: DerivedColumns?
        /// Columns outside the canonical schema that nothing reads (not
        /// dropped, not a part of a computed value): ignored and reported.
        var unknownColumns: [String] {
            names.indices.filter { canonicalOfSource[$0] < 0 && !isDropped($0) && !(derived?.sources.contains($0) ?? false) }.map { names[$0] }
        }
    }

    /// A file's header, read and checked before any row, and the identity the
    /// file must keep until its last byte is read.
    struct PreparedFile {
        var header: Header
        var identity: InputFileSystem.Identity?
    }
    /// Filled by ``prepareAll()`` before the first row of any file is read.
    var prepared: [InputFile: PreparedFile] = [:]
    /// Every part of each input (one for a single file), in order.
    var preparedParts: [InputFile: [PreparedFile]] = [:]

    private func resolveHeader(_ record: CSVRecord, file: InputFile, mapping: FileMapping) throws -> Header {
        let names = record.strings
        let specs = file.columns
        var columns = [Int](repeating: -1, count: specs.count)
        var canonicalOfSource = [Int](repeating: -1, count: names.count)
        var unknown: [String] = []
        var dropped = [Bool](repeating: false, count: names.count)
        for (i, name) in names.enumerated() {
            let key = name.trimmingCharacters(in: " \t").lowercased()
            if mapping.drop.contains(key) {
                dropped[i] = true
                continue
            }
            if let kind = IdentifierGuard.check(header: name) {
                throw IngestError.identifierHeader(path: mapping.path, column: i, header: name, kind: kind)
            }
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
        let derived = try DerivedColumns.resolve(file, mapping: mapping, names: names, columns: columns,
                                                 scales: options.scales.map(\.name), pipeline: options.pipelinePath)
        unknown = names.indices.filter { canonicalOfSource[$0] < 0 && !dropped[$0] && !derived.sources.contains($0) }.map { names[$0] }
        let missing = specs.indices.filter { specs[$0].required && columns[$0] < 0 && !derived.provides($0) }.map { specs[$0].name }
        if !missing.isEmpty { throw IngestError.missingColumns(path: mapping.path, columns: missing, header: names) }
        var scan: [Int] = []
        for (i, c) in canonicalOfSource.enumerated() where !dropped[i] && (c < 0 || specs[c].alwaysScanned) { scan.append(i) }
        if !unknown.isEmpty {
            warnings.append("\(file.fileName): ignored \(unknown.count) column(s) that are not in the canonical schema: \(unknown.joined(separator: ", "))")
        }
        // Waivers (DATA-CONTRACT.md): each names a column this file has, by canonical name or header.
        var waived = [UInt16](repeating: 0, count: names.count)
        for w in options.waivers where w.file == file {
            let want = w.column.trimmingCharacters(in: " \t").lowercased()
            let matches = names.indices.filter { i in
                names[i].trimmingCharacters(in: " \t").lowercased() == want || (canonicalOfSource[i] >= 0 && specs[canonicalOfSource[i]].name == want)
            }
            guard !matches.isEmpty, !matches.contains(where: { dropped[$0] }) else {
                throw IngestError.unknownWaiverColumn(path: mapping.path, waiver: w, pipeline: options.pipelinePath)
            }
            for i in matches { waived[i] |= w.pattern.bit }
        }
        try MappingCheck.perFile(file, mapping: mapping, names: names, canonicalOfSource: canonicalOfSource,
                                 dropped: dropped, provided: derived.provided, pipeline: options.pipelinePath)
        // A dropped column's header is never shown: it may name an identifier.
        let shown = names.indices.map { dropped[$0] ? "(dropped column \($0 + 1))" : names[$0] }
        return Header(names: shown, columns: columns, scan: scan, canonicalOfSource: canonicalOfSource, waived: waived,
                      dropped: dropped, sourceNames: names, derived: derived)
    }

    /// Reads and checks every file's header before any row is read: the
    /// mapping's targets against the canonical schema (first, so a misspelt
    /// target is named rather than the required column it leaves missing),
    /// the identifier guard on headers, the mapping's keys against each file (a
    /// top-level `mapping:` entry must fit at least one file), and each file's
    /// identity for the hold-still check.
    func prepareAll() throws {
        try MappingCheck.targets(options.inputs, pipeline: options.pipelinePath)
        var headers: [(InputFile, Header)] = []
        for file in InputFile.allCases {
            guard let input = options.inputs[file] else { continue }
            var parts: [PreparedFile] = []
            for mapping in input.partFiles {
                let identity = InputFileSystem.identity(mapping.path)
                let reader = CSVReader(path: mapping.path, dialect: mapping.dialect, limits: options.limits)
                let header = try readHeader(reader, file: file, mapping: mapping)
                parts.append(PreparedFile(header: header, identity: identity))
                headers.append((file, header))
            }
            prepared[file] = parts.first
            preparedParts[file] = parts
        }
        try MappingCheck.shared(options.inputs, headers: headers, pipeline: options.pipelinePath)
    }

    /// Reads one file: header, then every record through `parse`, duplicate and
    /// conflict resolution, the identifier guard and quarantine bookkeeping.
    ///
    /// When `remap` is given and the file is large, the file is split at a line
    /// end and its second half is typed on another core with its own copy of
    /// the identifier pools as they stood before the file, which are then
    /// merged so that codes, quarantine and identifier-guard findings come
    /// out exactly as a sequential read gives them. If the split fell inside a quoted
    /// field, the file is read again on one core.
    ///
    /// The file must hold still: its identity (device, inode, size, modification
    /// time) is taken before the first byte is read and compared after the last,
    /// so the hash and counts describe exactly the bytes parsed. A change stops
    /// the run, whatever else the read saw.
    func ingest<T: RowTable>(
        _ file: InputFile, into table: inout T, key: KeyKind, contentHash: @escaping (T.Row) -> UInt64 = { _ in 0 },
        parse: @escaping RowParser<T.Row>, remap: RowRemapper<T.Row>? = nil, rowIDs: Bool = false
    ) throws -> [FileReport] {
        guard let mapping = options.inputs[file] else { throw IngestError.missingInput(file: file) }
        if prepared[file] == nil { try prepareAll() }
        if mapping.parts.count > 1 {
            return try ingestParts(file, into: &table, key: key, contentHash: contentHash, parse: parse)
        }
        let before = prepared[file]?.identity
        func heldStill() -> Bool { before == nil || InputFileSystem.identity(mapping.path) == before }
        let report: FileReport
        do {
            report = try readFile(file, into: &table, key: key, contentHash: contentHash, parse: parse, remap: remap, rowIDs: rowIDs)
        } catch {
            if !heldStill() { throw IngestError.inputChanged(path: mapping.path) }
            throw error
        }
        if !heldStill() { throw IngestError.inputChanged(path: mapping.path) }
        return [report]
    }

    private func readFile<T: RowTable>(
        _ file: InputFile, into table: inout T, key: KeyKind, contentHash: @escaping (T.Row) -> UInt64,
        parse: @escaping RowParser<T.Row>, remap: RowRemapper<T.Row>?, rowIDs: Bool
    ) throws -> FileReport {
        guard let mapping = options.inputs[file] else { throw IngestError.missingInput(file: file) }
        let started = monotonicSeconds()
        let reader = CSVReader(path: mapping.path, dialect: mapping.dialect, limits: options.limits)
        var report = FileReport(file: file, path: mapping.path)
        report.dialect = mapping.dialect
        guard let header = prepared[file]?.header else { throw IngestError.missingInput(file: file) }
        report.header = header.names
        report.droppedColumns = header.dropped.indices.filter { header.dropped[$0] }
        report.unknownColumns = header.unknownColumns
        let (waived, dropped) = (header.waived, header.dropped)
        reader.makeInspector = { SkippedFieldScan(waived: waived, dropped: dropped) }
        let typer = RowTyper(header: header, mapping: mapping, extractedOn: extractedOn.number, parse: parse)
        defer { typer.release() }
        let size = InputFileSystem.size(mapping.path)
        let estimate = estimatedRows(mapping.path, size: size)
        table.reserve(estimate)
        let snapshot = (ids, table)
        var accept = Acceptor<T>(key: key, contentHash: contentHash)

        var split: Int?
        if remap != nil && size >= parallelThreshold && ProcessInfo.processInfo.activeProcessorCount >= 2 {
            // The first reader also finds duplicates and fills the table as it goes, so it
            // takes a little less than half (measured at 10M rows: 8% more time per byte).
            split = reader.splitPoint(near: size / 100 * 48)
        }
        var state = makeState(file, mapping, ids: ids)
        // Row ids are one per row: their pool is sized once, not rehashed at every doubling.
        // The rows each reader will see, about: the estimate shared by bytes.
        let secondRows = split.map { Int(Double(estimate) * Double(size - $0) / Double(max(1, size))) + 1024 } ?? 0
        // On two cores each reader sizes its own pool on its own thread: the pages of a table of
        // millions of slots are zeroed as they are first touched (0.3 s for the two at 10M rows
        // on the benchmark machine), so the two are zeroed at once, not before either reads.
        let firstRows = estimate - secondRows + 2048
        if rowIDs && split == nil { state.local.reserve(strings: firstRows) }
        var firstPart: CSVReader.PartSummary
        var second: (typed: TypedRows<T.Row>, state: ParseState, summary: CSVReader.PartSummary)?
        let progress = self.progress
        let secondHalf = ProgressCounter()
        func tell(_ bytes: Int, _ rows: Int) {
            progress?(IngestProgress(file: file, bytes: bytes + secondHalf.bytes.load(ordering: .relaxed),
                                     rows: rows + secondHalf.rows.load(ordering: .relaxed), seconds: monotonicSeconds() - started))
        }
        var bytesSeen = 0
        do {
            if let split, remap != nil {
                let hash = UncheckedBox(SHA256Digest())
                let path = mapping.path
                // The pools as they stood before this file: a value an earlier file brought is not
                // new here, so it is not scanned again (as on one core, where a waiver in an
                // earlier file's column also covers that value in this one).
                let freshState = makeState(file, mapping, ids: ids)
                // The whole file's hash, on a thread of its own (the two halves keep both cores busy;
                // this fills the gaps).
                let hashGroup = DispatchGroup()
                let hashError = UncheckedBox<Error?>(nil)
                DispatchQueue.global(qos: .utility).async(group: hashGroup) {
                    do { try InputFileSystem.hash(path, into: hash.value) } catch { hashError.value = error }
                }
                var sawHeader = false
                let secondResult: Result<(TypedRows<T.Row>, ParseState, CSVReader.PartSummary), Error>
                (firstPart, secondResult) = try inParallel({ () -> CSVReader.PartSummary in
                    if rowIDs { state.local.reserve(strings: firstRows) }
                    return try reader.read(to: split) { record in
                        if !sawHeader { sawHeader = true; return }
                        typer.type(record, lineOffset: 0, state: &state, into: &accept, table: &table, report: &report)
                        if report.rowsRead & 0xFFFF == 0 { tell(record.byteOffset, report.rowsRead) }
                    }
                }, {
                    // Errors here count only if the split turns out to be sound.
                    Result {
                        var rows = TypedRows<T.Row>()
                        rows.reserve(secondRows)
                        var st = freshState
                        if rowIDs { st.local.reserve(strings: secondRows) }
                        let summary = try reader.readPart(from: split, to: nil) { record in
                            typer.collect(record, state: &st, into: &rows)
                            if rows.rowsRead & 0xFFFF == 0 {
                                secondHalf.rows.store(rows.rowsRead, ordering: .relaxed)
                                secondHalf.bytes.store(record.byteOffset - split, ordering: .relaxed)
                            }
                        }
                        return (rows, st, summary)
                    }
                })
                hashGroup.wait()
                if let error = hashError.value { throw error }
                report.sha256 = hash.value.hexDigest()
                if !firstPart.endsBetweenRecords {
                    // The split fell inside a quoted field: read the file whole on one core.
                    (ids, table) = snapshot
                    warnings.append("\(file.fileName): read on one core (a quoted line break lies at the split point)")
                    return try ingestSequential(file, reader: reader, typer: typer, mapping: mapping, table: &table,
                                                key: key, contentHash: contentHash, started: started)
                }
                do {
                    second = try secondResult.get()
                } catch let error as CSVReadError {
                    // The second part counts lines from 1 at the split: name the file's own line.
                    throw error.shiftingLines(by: firstPart.summary.lines)
                }
            } else {
                let hasher = SHA256Digest()
                var sawHeader = false
                firstPart = try reader.read(to: nil, observe: { chunk in
                    hasher.update(chunk)
                    bytesSeen += chunk.count
                }) { record in
                    if !sawHeader { sawHeader = true; return }
                    typer.type(record, lineOffset: 0, state: &state, into: &accept, table: &table, report: &report)
                    if report.rowsRead & 0xFFFF == 0 { tell(bytesSeen, report.rowsRead) }
                }
                report.sha256 = hasher.hexDigest()
            }
        } catch let error as CSVReadError {
            throw IngestError.read(error)
        }
        ids = state.ids
        // `ids` is then the pools' only holder: merging the second half into them copies nothing.
        state.ids = IdentifierSpace()
        noteUTF8Looking(file, firstPart.summary.utf8LookingLine
                        ?? second.flatMap { s in s.summary.summary.utf8LookingLine.map { $0 + firstPart.summary.lines } })
        var blankLines = firstPart.summary.blankLinesSkipped
        if let remap, var half = second {
            // Merge the second half: remap its codes into the main pools, then accept its rows in order.
            // `half` is then the only holder of its rows, so each chunk is let go as it is taken.
            second = nil
            let map = IdentifierRemap(from: half.state, into: &ids, local: state.local, before: snapshot.0)
            // The map holds all the merge reads of both readers' row-id pools (about 14 bytes a
            // row each): let them go before the second half's rows fill the table.
            half.state = ParseState(ids: IdentifierSpace(), resolvers: [])
            state.local = Interner()
            let lineOffset = firstPart.summary.lines
            report.rowsRead += half.typed.rowsRead
            blankLines += half.summary.summary.blankLinesSkipped
            for q in half.typed.quarantine {
                var moved = q
                moved.line += lineOffset
                report.quarantine.append(moved)
            }
            report.notScoredLines += half.typed.notScored.map { $0 + lineOffset }
            report.recordsWithoutValues += half.typed.recordsWithoutValues
            // A value both readers flagged counts once, where the first flagged it.
            var scannedTwice = 0
            for (f, source) in zip(half.typed.findings, half.typed.findingSources) {
                if map.firstReaderFlagged(pool: source.pool, code: source.code) {
                    scannedTwice += 1
                    continue
                }
                var moved = f
                moved.line += lineOffset
                if accept.findings.count < 20 { accept.findings.append(moved) }
            }
            accept.findingTotal += half.typed.findingTotal - scannedTwice
            // The table's next pages are faulted in on the other core while this one appends
            // (after the row-id pools above are let go, which free more than this takes). Only
            // once the first half has appended to every column: before, the columns may still
            // share their buffers with `snapshot`, and the first append would move them.
            let populating = DispatchGroup()
            let regions = table.count > 0 ? table.spareRegions(rows: half.typed.count) : []
            if !regions.isEmpty {
                DispatchQueue.global().async(group: populating) { SparePages.populate(regions) }
            }
            defer { populating.wait() }
            half.typed.drainChunks { rows in
                for k in rows.indices {
                    var row = rows[k].row, rowKey = rows[k].key
                    remap(&row, &rowKey, map, lineOffset)
                    rows[k].row = row
                    rows[k].key = rowKey
                }
                accept.offerAll(UnsafeBufferPointer(rows), lineOffset: lineOffset, table: &table, report: &report)
            }
        }
        return try finish(file, mapping: mapping, accept: &accept, table: &table, report: &report, blankLines: blankLines,
                          bytes: size, started: started)
    }

    /// The one-core read, used when a split fails.
    private func ingestSequential<T: RowTable>(_ file: InputFile, reader: CSVReader, typer: RowTyper<T.Row>, mapping: FileMapping,
                                               table: inout T, key: KeyKind, contentHash: @escaping (T.Row) -> UInt64,
                                               started: Double) throws -> FileReport {
        var report = FileReport(file: file, path: mapping.path)
        report.dialect = mapping.dialect
        report.header = typer.header.names
        report.unknownColumns = typer.header.unknownColumns
        report.droppedColumns = typer.header.dropped.indices.filter { typer.header.dropped[$0] }
        var accept = Acceptor<T>(key: key, contentHash: contentHash)
        var state = makeState(file, mapping, ids: ids)
        let hasher = SHA256Digest()
        let part: CSVReader.PartSummary
        var sawHeader = false
        do {
            part = try reader.read(to: nil, observe: { hasher.update($0) }) { record in
                if !sawHeader { sawHeader = true; return }
                typer.type(record, lineOffset: 0, state: &state, into: &accept, table: &table, report: &report)
            }
        } catch let error as CSVReadError {
            throw IngestError.read(error)
        }
        ids = state.ids
        noteUTF8Looking(file, part.summary.utf8LookingLine)
        report.sha256 = hasher.hexDigest()
        return try finish(file, mapping: mapping, accept: &accept, table: &table, report: &report,
                          blankLines: part.summary.blankLinesSkipped, bytes: part.summary.bytes, started: started)
    }

    /// Warns when a file declared Windows-1252 reads as UTF-8 from `line` on.
    func noteUTF8Looking(_ file: InputFile, _ line: Int?) {
        guard let line else { return }
        warnings.append("\(file.fileName):\(line): the pipeline file declares `encoding: windows-1252`, but this line reads as UTF-8 (a character written as two or more bytes). If the export is UTF-8, remove `encoding: windows-1252` from its mapping, or its accented letters will come out garbled.")
    }

    /// Reads and resolves the header row alone.
    func readHeader(_ reader: CSVReader, file: InputFile, mapping: FileMapping) throws -> Header {
        var header: Header?
        do {
            _ = try reader.read(to: nil) { record in
                header = try resolveHeader(record, file: file, mapping: mapping)
                throw StopAfterHeader()
            }
        } catch is StopAfterHeader {
        } catch let error as CSVReadError {
            throw IngestError.read(error)
        }
        guard let header else { throw IngestError.read(.noHeader(path: mapping.path)) }
        return header
    }

    /// Conflict resolution, the guard's verdict and the counts, once every row is in.
    private func finish<T: RowTable>(_ file: InputFile, mapping: FileMapping, accept: inout Acceptor<T>, table: inout T,
                                     report: inout FileReport, blankLines: Int, bytes: Int, started: Double) throws -> FileReport {
        if accept.findingTotal > 0 {
            let sorted = accept.findings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            throw IngestError.identifierValues(path: mapping.path, findings: sorted, total: accept.findingTotal)
        }
        if accept.anyConflict {
            // The first rows of conflicting ids were accepted before the conflict showed:
            // find their bytes again (a second read, only when there are conflicts).
            var wanted = Set<Int>()
            for i in accept.conflicted.indices where accept.conflicted[i] { wanted.insert(Int(table.line[i])) }
            var spans: [Int: (Int, Int)] = [:]
            let reader = CSVReader(path: mapping.path, dialect: mapping.dialect, limits: options.limits)
            do {
                try reader.read { r in if wanted.contains(r.line) { spans[r.line] = (r.byteOffset, r.byteCount) } }
            } catch let error as CSVReadError {
                throw IngestError.read(error)
            }
            for line in wanted.sorted() {
                let span = spans[line] ?? (0, 0)
                report.quarantine.append(QuarantinedRow(line: line, byteOffset: span.0, byteCount: span.1,
                                                        problems: [RowProblem(.conflictingID)]))
            }
            table.keep(accept.conflicted.map { !$0 })
        }
        report.quarantine.sort { $0.line < $1.line }
        report.rowsAccepted = table.count
        report.rowsQuarantined = report.quarantine.count
        report.blankLinesSkipped = blankLines
        report.bytes = bytes
        report.seconds = monotonicSeconds() - started
        progress?(IngestProgress(file: file, bytes: bytes, rows: report.rowsRead, seconds: report.seconds))
        if report.rowsAccepted + report.rowsQuarantined + report.rowsNotScored != report.rowsRead {
            throw IngestError.accounting(path: mapping.path, read: report.rowsRead, accepted: report.rowsAccepted,
                                         quarantined: report.rowsQuarantined)
        }
        return report
    }

    /// About how many rows a file holds, from the line lengths of three 64 KB
    /// samples (start, middle, end) plus 5%, so tables can be sized once
    /// instead of doubling. A sample without a line end means a field far
    /// longer than usual lies there: then nothing is reserved, since a huge
    /// estimate would reserve (and, through the allocator, keep) memory the
    /// rows never use.
    func estimatedRows(_ path: String, size: Int) -> Int {
        guard size > 1 << 20 else { return 0 }
        let sample = 1 << 16
        var bytes = 0, lines = 0
        for offset in [0, size / 2, size - sample] {
            let buffer = InputFileSystem.bytes(path, at: offset, count: sample)
            let n = buffer.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if n == 0 { return 0 }
            bytes += buffer.count
            lines += n
        }
        return Int(Double(size) / Double(bytes) * Double(lines) * 1.05)
    }

    /// Fresh per-thread parse state: resolvers for every closed-vocabulary column.
    func makeState(_ file: InputFile, _ mapping: FileMapping, ids: IdentifierSpace) -> ParseState {
        let resolvers = file.columns.map { spec -> ValueResolver in
            switch spec.kind {
            case .enumeration(let names):
                return ValueResolver(canonical: names, vocabulary: mapping.vocabulary[spec.name] ?? [:])
            case .scale:
                return ValueResolver(canonical: options.scales.map(\.name), vocabulary: mapping.vocabulary[spec.name] ?? [:])
            default:
                return ValueResolver(canonical: [], vocabulary: [:])
            }
        }
        return ParseState(ids: ids, resolvers: resolvers)
    }

    static func reason(_ kind: CSVFieldFault.Kind) -> QuarantineReason {
        switch kind {
        case .fieldTooLong: return .fieldTooLong
        case .malformedQuote: return .malformedQuote
        case .invalidEncoding: return .invalidEncoding
        case .forbiddenCharacter: return .forbiddenCharacter
        }
    }

    // MARK: - the five files

    private func ingestScores(into table: inout ScoreTable) throws -> [FileReport] {
        guard let mapping = options.inputs[.scalingScores] else { throw IngestError.missingInput(file: .scalingScores) }
        let scales = options.scales
        let teamVocabulary = mapping.vocabulary["team"]
        let absent = mapping.missingValues["score"] ?? []
        return try ingest(.scalingScores, into: &table, key: .code, contentHash: { $0.contentHash }, parse: { c, st in
            // score_id is new on nearly every row, so its pool slot is a miss: fetch it now,
            // intern it once the rest of the row is typed.
            c.prefetchIdentifier(0, in: st.local)
            let caseID = c.identifier(1, required: true, &st.ids.cases)
            let child = c.identifier(2, &st.ids.children)
            let team = c.text(3, &st.ids.teams, vocabulary: teamVocabulary)
            let worker = c.identifier(4, &st.ids.workers)
            let day = c.date(5, required: true)
            let scale = c.code(6, required: true, &st.resolvers[6], unknown: .unknownScale)
            // A score absent for a reason (`missing_values`) sets the row aside as not_scored.
            let notScored = c.holds(7, oneOf: absent)
            if notScored { c.absentForAReason = true }
            let score = notScored ? Double.nan
                : c.decimal(7, required: true, range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
            if scale > 0 && !score.isNaN {
                let spec = scales[Int(scale) - 1]
                if score < spec.min || score > spec.max {
                    c.problems.append(RowProblem(.outOfRange, column: c.source(7)))
                }
            }
            let rater = c.code(8, required: true, &st.resolvers[8])
            let setting = c.code(9, &st.resolvers[9])
            let scoreID = c.identifier(0, &st.local)
            let row = ScoreRow(caseID: caseID, childID: child, team: team, worker: worker, day: day,
                               scale: UInt16(truncatingIfNeeded: max(0, scale)), score: score,
                               rater: UInt8(truncatingIfNeeded: max(0, rater)), setting: UInt8(truncatingIfNeeded: max(0, setting)),
                               line: UInt32(c.line))
            return (row, UInt64(scoreID))
        }, remap: { row, key, map, lineOffset in
            row.caseID = map.cases[Int(row.caseID)]
            row.childID = map.children[Int(row.childID)]
            row.team = map.teams[Int(row.team)]
            row.worker = map.workers[Int(row.worker)]
            row.line += UInt32(lineOffset)
            key = UInt64(map.local[Int(key)])
        }, rowIDs: true)
    }

    /// Files at least this big are read on two cores when a remap is available.
    var parallelThreshold: Int { options.parallelThreshold }
}

private struct StopAfterHeader: Error {}

/// How far the reading of one input file has got.
public struct IngestProgress: Sendable {
    public var file: InputFile
    public var bytes: Int
    public var rows: Int
    /// Since the file's reading began.
    public var seconds: Double
}

/// What the second reader of a two-core read has done so far.
final class ProgressCounter: Sendable {
    let bytes = Atomic<Int>(0)
    let rows = Atomic<Int>(0)
}

