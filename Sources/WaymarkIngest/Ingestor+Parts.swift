import WaymarkCSV
import WaymarkCore

/// An input read from several files (a list or a glob in the pipeline file):
/// one table, one duplicate index across the files, and one ``FileReport``
/// per file, so every row keeps its own file and line in quarantine/ and
/// quality.csv and the manifest lists each file with its hash and counts.
extension Ingestor {
    /// Reads every part of `file` in order on one core. Each part must hold
    /// still while it is read; a duplicate or conflicting id across parts is
    /// found as within one file.
    func ingestParts<T: RowTable>(
        _ file: InputFile, into table: inout T, key: KeyKind, contentHash: @escaping (T.Row) -> UInt64,
        parse: @escaping RowParser<T.Row>
    ) throws -> [FileReport] {
        guard let input = options.inputs[file], let prepared = preparedParts[file] else { throw IngestError.missingInput(file: file) }
        var accept = Acceptor<T>(key: key, contentHash: contentHash)
        var reports: [FileReport] = []
        var bounds = [table.count]
        var started: [Double] = []
        // Row ids (`score_id`) are compared across the files, so their pool carries over.
        var local: Interner?
        for (part, prep) in zip(input.partFiles, prepared) {
            started.append(monotonicSeconds())
            let report: FileReport
            do {
                report = try readPart(file, part: part, header: prep.header, into: &table, accept: &accept, local: &local, parse: parse)
                progress?(IngestProgress(file: file, bytes: report.bytes, rows: report.rowsRead, seconds: monotonicSeconds() - started.last!))
            } catch {
                if InputFileSystem.identity(part.path) != prep.identity { throw IngestError.inputChanged(path: part.path) }
                throw error
            }
            if InputFileSystem.identity(part.path) != prep.identity { throw IngestError.inputChanged(path: part.path) }
            reports.append(report)
            bounds.append(table.count)
        }
        var kept = [Bool](repeating: true, count: table.count)
        if accept.anyConflict {
            // The first rows of conflicting ids were accepted before the conflict showed:
            // find their bytes again in their own files.
            for k in reports.indices {
                let part = input.partFiles[k]
                let wanted = Set((bounds[k]..<bounds[k + 1]).filter { accept.conflicted[$0] }.map { Int(table.line[$0]) })
                for i in bounds[k]..<bounds[k + 1] where accept.conflicted[i] { kept[i] = false }
                guard !wanted.isEmpty else { continue }
                var spans: [Int: (Int, Int)] = [:]
                do {
                    try CSVReader(path: part.path, dialect: part.dialect, limits: options.limits).read { r in
                        if wanted.contains(r.line) { spans[r.line] = (r.byteOffset, r.byteCount) }
                    }
                } catch let error as CSVReadError {
                    throw IngestError.read(error)
                }
                for line in wanted.sorted() {
                    let span = spans[line] ?? (0, 0)
                    reports[k].quarantine.append(QuarantinedRow(line: line, byteOffset: span.0, byteCount: span.1,
                                                                problems: [RowProblem(.conflictingID)]))
                }
            }
            table.keep(kept)
        }
        for k in reports.indices {
            reports[k].quarantine.sort { $0.line < $1.line }
            reports[k].rowsAccepted = (bounds[k]..<bounds[k + 1]).filter { kept[$0] }.count
            reports[k].rowsQuarantined = reports[k].quarantine.count
            reports[k].seconds = monotonicSeconds() - started[k]
            let r = reports[k]
            if r.rowsAccepted + r.rowsQuarantined + r.rowsNotScored != r.rowsRead {
                throw IngestError.accounting(path: r.path, read: r.rowsRead, accepted: r.rowsAccepted, quarantined: r.rowsQuarantined)
            }
        }
        return reports
    }

    /// Reads one part into the shared table and duplicate index. Its
    /// identifier-guard findings stop the run naming this part.
    private func readPart<T: RowTable>(
        _ file: InputFile, part: FileMapping, header: Header, into table: inout T, accept: inout Acceptor<T>,
        local: inout Interner?, parse: @escaping RowParser<T.Row>
    ) throws -> FileReport {
        let reader = CSVReader(path: part.path, dialect: part.dialect, limits: options.limits)
        var report = FileReport(file: file, path: part.path)
        report.dialect = part.dialect
        report.header = header.names
        report.droppedColumns = header.dropped.indices.filter { header.dropped[$0] }
        report.unknownColumns = header.unknownColumns
        let (waived, dropped) = (header.waived, header.dropped)
        reader.makeInspector = { SkippedFieldScan(waived: waived, dropped: dropped) }
        let typer = RowTyper(header: header, mapping: part, extractedOn: extractedOn.number, parse: parse)
        defer { typer.release() }
        var state = makeState(file, part, ids: ids)
        if let local { state.local = local }
        let hasher = SHA256Digest()
        let findingsBefore = accept.findingTotal
        let summary: CSVReader.PartSummary
        var sawHeader = false
        do {
            summary = try reader.read(to: nil, observe: { hasher.update($0) }) { record in
                if !sawHeader { sawHeader = true; return }
                typer.type(record, lineOffset: 0, state: &state, into: &accept, table: &table, report: &report)
            }
        } catch let error as CSVReadError {
            throw IngestError.read(error)
        }
        ids = state.ids
        local = state.local
        noteUTF8Looking(file, summary.summary.utf8LookingLine)
        report.sha256 = hasher.hexDigest()
        report.blankLinesSkipped = summary.summary.blankLinesSkipped
        report.bytes = summary.summary.bytes
        if accept.findingTotal > findingsBefore {
            let sorted = accept.findings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            throw IngestError.identifierValues(path: part.path, findings: sorted, total: accept.findingTotal - findingsBefore)
        }
        return report
    }
}
