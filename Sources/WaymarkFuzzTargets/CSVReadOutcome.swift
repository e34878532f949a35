import WaymarkCSV

/// Everything one complete read of a file gave, copied out of the reader's
/// buffers so that reads with different chunk sizes can be compared.
struct CSVReadOutcome {
    /// One delivered record, its fields as bytes.
    struct Record: Equatable {
        var line: Int
        var byteOffset: Int
        var byteCount: Int
        var fields: [[UInt8]]
        var faults: [CSVFieldFault]

        init(_ record: CSVRecord) {
            line = record.line
            byteOffset = record.byteOffset
            byteCount = record.byteCount
            fields = (0..<record.count).map { Array(record[$0]) }
            faults = record.faults
        }
    }

    /// The records delivered (also those before an error).
    var records: [Record] = []
    /// The summary of a read that finished.
    var summary: CSVReadSummary?
    /// The error that stopped a read that did not.
    var error: CSVReadError?
    /// Bytes the `observe` callback saw.
    var observedBytes = 0

    /// What differs from `other` in what must be the same whatever the chunk
    /// size (the records and summary of a finished read, or else just the
    /// error), or nil when nothing does.
    func difference(from other: CSVReadOutcome) -> String? {
        if error != nil || other.error != nil {
            return error == other.error ? nil : "\(error.map { "error \($0)" } ?? "no error") <> \(other.error.map { "error \($0)" } ?? "no error")"
        }
        if let k = records.indices.first(where: { $0 < other.records.count && records[$0] != other.records[$0] }) {
            return "record \(k + 1): \(records[k].brief) <> \(other.records[k].brief)"
        }
        if records.count != other.records.count { return "\(records.count) records <> \(other.records.count) records" }
        if summary != other.summary { return "summary \(summary.map { "\($0)" } ?? "none") <> \(other.summary.map { "\($0)" } ?? "none")" }
        if observedBytes != other.observedBytes { return "observed \(observedBytes) bytes <> \(other.observedBytes) bytes" }
        return nil
    }
}

extension CSVReadOutcome.Record {
    /// The record in one line: position, fields (as UTF-8, invalid bytes replaced) and faults.
    var brief: String {
        "line \(line) bytes \(byteOffset)+\(byteCount) fields \(fields.map { String(decoding: $0, as: UTF8.self) }) faults \(faults.map { "\($0.kind.rawValue)@\($0.column)" })"
    }
}
