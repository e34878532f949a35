import WaymarkCSV

/// Everything one complete read of a file gave, copied out of the reader's
/// buffers so that reads with different chunk sizes can be compared.
struct CSVReadOutcome: Equatable {
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

    /// What must be the same whatever the chunk size: the records and summary
    /// of a finished read, or else just the error.
    func sameResult(as other: CSVReadOutcome) -> Bool {
        if let error { return error == other.error }
        return other.error == nil && records == other.records && summary == other.summary
            && observedBytes == other.observedBytes
    }

    /// A short account for failure messages.
    var brief: String {
        if let error { return "error \(error)" }
        let shown = records.prefix(8).map { r in
            "line \(r.line) @\(r.byteOffset)+\(r.byteCount) \(r.fields.map { String(decoding: $0, as: UTF8.self) }) \(r.faults.map { "\($0.kind.rawValue)@\($0.column)" })"
        }
        return "\(records.count) records \(shown)\(records.count > 8 ? " ..." : ""), summary \(summary.map { "\($0)" } ?? "none"), observed \(observedBytes)"
    }
}
