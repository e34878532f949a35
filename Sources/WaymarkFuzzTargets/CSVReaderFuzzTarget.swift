import WaymarkCSV

/// Fuzzes `CSVReader`: the input's first two bytes pick the chunk size, the
/// limits and the dialect (``CSVReaderFuzzSettings``); the rest is written to
/// a file and read four times: with that chunk size, again with the
/// quote-free fast path off (libcsv alone, the reference), with 1-byte chunks
/// and with 64 KB chunks.
///
/// Checked on every read: each record's line is at least 1 and greater than
/// the one before (a record starts on a line of its own); its bytes lie inside
/// the file, after the previous record's; it has at most `maxColumns` fields,
/// each within the field limit (three times it for Windows-1252, which grows
/// when transcoded), a field with a `fieldTooLong` fault is empty, and every
/// fault names one of its fields; a finished read counts its records and the
/// file's bytes, and `observe` saw every byte. Checked across the reads: the
/// same records (lines, spans, field bytes, faults) and summary, or the same
/// `CSVReadError`. A thrown `CSVReadError` is bad input, never a failure.
public enum CSVReaderFuzzTarget {
    public static func run(_ bytes: UnsafeRawBufferPointer) throws {
        let input = FuzzInput(bytes, controlBytes: 2)
        let settings = CSVReaderFuzzSettings(input.control(0), input.control(1))
        let path = FuzzWorkspace.folder("csv") + "/input.csv"
        FuzzWorkspace.write(path, input.payload)
        let fileSize = input.payload.count

        let chosen = try read(path, settings, chunkSize: settings.chunkSize, fileSize: fileSize)
        // The quote-free fast path must give exactly libcsv's records: the same read, libcsv only.
        let reference = try read(path, settings, chunkSize: settings.chunkSize, fileSize: fileSize, fastPath: false)
        if let difference = chosen.difference(from: reference) {
            throw FuzzInvariantViolation("""
                CSVReader: the quote-free fast path and libcsv read the same bytes differently (chunk size \(settings.chunkSize); \(settings)): \(difference)
                """)
        }
        for chunkSize in [1, 1 << 16] where chunkSize != settings.chunkSize {
            let other = try read(path, settings, chunkSize: chunkSize, fileSize: fileSize)
            if let difference = chosen.difference(from: other) {
                throw FuzzInvariantViolation("""
                    CSVReader: chunk size \(settings.chunkSize) and chunk size \(chunkSize) read the same bytes differently (\(settings)): \(difference)
                    """)
            }
        }
    }

    /// One read, checking each record as it comes.
    static func read(_ path: String, _ settings: CSVReaderFuzzSettings, chunkSize: Int, fileSize: Int, fastPath: Bool = true) throws -> CSVReadOutcome {
        let reader = CSVReader(path: path, dialect: settings.dialect, limits: settings.limits, chunkSize: chunkSize)
        reader.quoteFreeFastPath = fastPath
        var outcome = CSVReadOutcome()
        var violation: FuzzInvariantViolation?
        do {
            outcome.summary = try reader.read(observe: { outcome.observedBytes += $0.count }) { record in
                let copy = CSVReadOutcome.Record(record)
                if violation == nil {
                    violation = check(copy, after: outcome.records.last, settings, chunkSize: chunkSize, fileSize: fileSize)
                }
                outcome.records.append(copy)
            }
        } catch let error as CSVReadError {
            outcome.error = error
        }
        if let violation { throw violation }
        if let summary = outcome.summary {
            let context = "CSVReader (chunk size \(chunkSize); \(settings))"
            try FuzzInvariantViolation.require(summary.records == outcome.records.count,
                "\(context): the summary counts \(summary.records) records, \(outcome.records.count) were delivered")
            try FuzzInvariantViolation.require(summary.bytes == fileSize,
                "\(context): the summary says \(summary.bytes) bytes were read, the file has \(fileSize)")
            try FuzzInvariantViolation.require(outcome.observedBytes == fileSize,
                "\(context): observe saw \(outcome.observedBytes) bytes, the file has \(fileSize) (the hash would not describe the bytes parsed)")
        }
        return outcome
    }

    /// The first broken per-record invariant, or nil.
    static func check(_ r: CSVReadOutcome.Record, after previous: CSVReadOutcome.Record?, _ settings: CSVReaderFuzzSettings,
                      chunkSize: Int, fileSize: Int) -> FuzzInvariantViolation? {
        func fail(_ what: String) -> FuzzInvariantViolation {
            FuzzInvariantViolation("CSVReader (chunk size \(chunkSize); \(settings)): record at line \(r.line), bytes \(r.byteOffset)+\(r.byteCount): \(what)")
        }
        if r.line < 1 { return fail("line below 1") }
        if let previous, r.line <= previous.line { return fail("starts on or before the previous record's line \(previous.line)") }
        if r.byteOffset < 0 || r.byteCount < 0 || r.byteOffset + r.byteCount > fileSize {
            return fail("span outside the file of \(fileSize) bytes")
        }
        if let previous, r.byteOffset < previous.byteOffset + previous.byteCount {
            return fail("overlaps the previous record (bytes \(previous.byteOffset)+\(previous.byteCount))")
        }
        if r.fields.count > settings.limits.maxColumns { return fail("\(r.fields.count) fields, over the limit of \(settings.limits.maxColumns)") }
        let growth = settings.dialect.encoding == .windows1252 ? 3 : 1
        if let k = r.fields.indices.first(where: { r.fields[$0].count > settings.limits.maxFieldBytes * growth }) {
            return fail("field \(k) holds \(r.fields[k].count) bytes, over the limit of \(settings.limits.maxFieldBytes)")
        }
        for fault in r.faults {
            if fault.column < 0 || fault.column >= r.fields.count {
                return fail("a \(fault.kind.rawValue) fault names column \(fault.column) of \(r.fields.count)")
            }
            if fault.kind == .fieldTooLong && !r.fields[fault.column].isEmpty {
                return fail("field \(fault.column) is too long yet delivered with \(r.fields[fault.column].count) bytes")
            }
        }
        return nil
    }
}
