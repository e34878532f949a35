import WaymarkCSV
import WaymarkCore
import WaymarkIngest

/// Fuzzes row typing and the identifier guard: the input's first byte picks
/// the file and the options (``IngestFuzzSettings``), the rest becomes that
/// file beside small valid other files, and `Ingestor` reads them all.
///
/// Checked: for every file, rows read = rows accepted + rows quarantined, and
/// each quarantined row is a data line (2 or more) listed once, with at least
/// one reason and bytes inside the file; `IngestError.accounting` and
/// `IngestError.worker` (a bug, never bad input) are failures, every other
/// thrown error is bad input. A scores file read on two cores must give what
/// one core gives. The identifier guard's scanners also run on the raw bytes
/// and the text, whole and split at delimiters and line ends; libFuzzer's
/// `-timeout` catches a scan that does not end.
public enum IngestFuzzTarget {
    public static func run(_ bytes: UnsafeRawBufferPointer) throws {
        let input = FuzzInput(bytes, controlBytes: 1)
        scanForIdentifiers(input.payload, waived: UInt16(input.control(0)))

        let settings = IngestFuzzSettings(input.control(0))
        let folder = IngestFuzzInputs.folders[settings.file] ?? FuzzWorkspace.root
        FuzzWorkspace.write(joinPath(folder, settings.file.fileName), input.payload)

        let outcome = try ingest(settings.options(folder: folder, twoCores: settings.twoCores), context: "\(settings)")
        if settings.twoCores && settings.file == .scalingScores {
            let oneCore = try ingest(settings.options(folder: folder, twoCores: false), context: "\(settings)")
            try FuzzInvariantViolation.require(outcome == oneCore, """
                Ingestor (\(settings)): two cores and one core disagree
                  two cores: \(outcome)
                  one core:  \(oneCore)
                """)
        }
    }

    /// The identifier guard on its own: must end, and must not crash.
    static func scanForIdentifiers(_ payload: UnsafeRawBufferPointer, waived: UInt16) {
        let bytes = payload.bindMemory(to: UInt8.self)
        _ = IdentifierGuard.scan(bytes)
        _ = IdentifierGuard.scan(bytes, waived: waived)
        var start = 0
        for i in 0...bytes.count where i == bytes.count || isSeparator(bytes[i]) {
            _ = IdentifierGuard.scan(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
        }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = IdentifierGuard.scan(text)
        _ = IdentifierGuard.flags(text)
        _ = IdentifierGuard.check(header: text)
    }

    /// A byte that ends a field or a line in some dialect: `,` `;` tab LF CR.
    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2C, 0x3B, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// One ingest, checked, reduced to what two reads of the same files must share.
    /// `context` says which options were used, for failure messages.
    static func ingest(_ options: IngestOptions, context: String) throws -> IngestFuzzOutcome {
        let result: IngestResult
        do {
            result = try Ingestor(options: options, extractedOn: IngestFuzzInputs.extractedOn).run()
        } catch let error as IngestError {
            switch error {
            case .accounting, .worker:
                throw FuzzInvariantViolation("Ingestor (\(context)): \(error)")
            default:
                return .stopped(error.description)
            }
        } catch {
            return .stopped("\(error)")
        }
        for report in result.files { try check(report, context: context) }
        return .finished(result.files.map(IngestFuzzOutcome.FileCounts.init))
    }

    static func check(_ report: FileReport, context options: String) throws {
        let context = "Ingestor (\(options)): \(report.file.fileName)"
        try FuzzInvariantViolation.require(report.rowsRead == report.rowsAccepted + report.rowsQuarantined + report.rowsNotScored,
            "\(context): rows read \(report.rowsRead) != accepted \(report.rowsAccepted) + quarantined \(report.rowsQuarantined)")
        var previousLine = 1
        for row in report.quarantine {
            try FuzzInvariantViolation.require(row.line > previousLine,
                "\(context): quarantined line \(row.line) after line \(previousLine) (a row is quarantined once, data lines start at 2)")
            try FuzzInvariantViolation.require(!row.problems.isEmpty, "\(context): line \(row.line) quarantined without a reason")
            try FuzzInvariantViolation.require(row.byteOffset >= 0 && row.byteCount >= 0 && row.byteOffset + row.byteCount <= report.bytes,
                "\(context): line \(row.line)'s bytes \(row.byteOffset)+\(row.byteCount) lie outside the file of \(report.bytes) bytes")
            previousLine = row.line
        }
    }
}

/// What an ingest gave, as two reads of the same files must agree on it.
enum IngestFuzzOutcome: Equatable, CustomStringConvertible {
    /// The counts and quarantine of one file.
    struct FileCounts: Equatable {
        var file: InputFile
        var read: Int
        var accepted: Int
        var quarantine: [QuarantinedRow]

        init(_ report: FileReport) {
            file = report.file
            read = report.rowsRead
            accepted = report.rowsAccepted
            quarantine = report.quarantine
        }
    }

    case finished([FileCounts])
    /// The run stopped, with this message.
    case stopped(String)

    var description: String {
        switch self {
        case .stopped(let message): return "stopped: \(message)"
        case .finished(let files):
            return files.map { f in
                "\(f.file.fileName) read \(f.read) accepted \(f.accepted) quarantined \(f.quarantine.map { "\($0.line)@\($0.byteOffset)+\($0.byteCount) \($0.problems.map(\.reason.rawValue))" })"
            }.joined(separator: "; ")
        }
    }
}
