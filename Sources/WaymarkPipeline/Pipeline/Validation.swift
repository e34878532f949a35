import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The validate job: ingest every input, then write `quality.csv`,
/// `quarantine/` and `manifest.json`. Also the first stage of a full run.
public enum Validation {
    /// Ingests and writes the data-quality outputs. Throws ``IngestError`` (exit
    /// 2) before writing anything when an input cannot be read or holds an
    /// identifier.
    public static func run(_ context: RunContext, progress: ((IngestProgress) -> Void)? = nil) throws -> IngestResult {
        let ingestor = Ingestor(config: context.config, extractedOn: context.dates.extractedOn)
        ingestor.progress = progress
        let result = try context.stage("ingest") { () -> (IngestResult, Int) in
            let r = try ingestor.run()
            return (r, r.files.reduce(0) { $0 + $1.rowsAccepted })
        }
        context.warnings.append(contentsOf: result.warnings)
        try writeQuality(result, context)
        return result
    }

    /// DATA-CONTRACT.md, "A mostly rejected file stops the run": more than
    /// `quality.max_quarantined_share` of a required file's data rows
    /// quarantined, and a report from the rest would mislead.
    public static func checkQuarantinedShare(_ result: IngestResult, _ context: RunContext) throws {
        let limit = context.config.maxQuarantinedShare
        for input in InputFile.allCases where input.isRequired {
            // An input read from several files is judged as a whole.
            let parts = result.files.filter { $0.file == input }
            let read = parts.reduce(0) { $0 + $1.rowsRead }, quarantined = parts.reduce(0) { $0 + $1.rowsQuarantined }
            guard read > 0, let f = parts.first else { continue }
            let share = Double(quarantined) / Double(read)
            guard share > limit else { continue }
            let reasons = QualityReport.findings(parts, firstLines: 3).filter { $0.reason != "blank_line_skipped" && $0.reason != "unknown_column" }
                .sorted { $0.count > $1.count }.prefix(3)
                .map { "\($0.reason) (\($0.count) rows, first on line\($0.firstLines.count == 1 ? "" : "s") \($0.firstLines.map(String.init).joined(separator: ", ")))" }
            let name = parts.count == 1 ? f.path : "\(input.rawValue) (\(parts.count) files)"
            throw MostlyQuarantined(message: "\(name): \(quarantined) of \(read) data rows were quarantined (\(Int((share * 100).rounded()))%, more than quality.max_quarantined_share = \(limit)), so a report from the rest would mislead. Leading reasons: \(reasons.joined(separator: "; ")). See quality.csv and quarantine/ in the output folder; fix the export or the mapping, or set quality.max_quarantined_share: 1 to publish anyway.")
        }
    }


    /// Writes `quality.csv` and one quarantine file per input.
    public static func writeQuality(_ result: IngestResult, _ context: RunContext) throws {
        try context.stage("quality") { () -> (Void, Int) in
            let findings = QualityReport.findings(result.files)
            try QualityReport.write(findings, to: try context.path("quality.csv"))
            context.wrote("quality.csv")
            context.qualityFindings = findings
            for (report, relative) in zip(result.files, quarantineNames(result.files)) {
                try QuarantineWriter.write(report, to: try context.path(relative))
                context.wrote(relative)
            }
            return ((), findings.count)
        }
    }

    /// `quarantine/<input>.csv`, or `quarantine/<input>-<n>.csv` for the n-th
    /// file of an input read from several files.
    static func quarantineNames(_ files: [FileReport]) -> [String] {
        var seen: [InputFile: Int] = [:]
        return files.map { f in
            let several = files.filter { $0.file == f.file }.count > 1
            seen[f.file, default: 0] += 1
            return several ? "quarantine/\(f.file.rawValue)-\(seen[f.file]!).csv" : "quarantine/\(f.file.rawValue).csv"
        }
    }

    /// Writes the manifest (always last, so it lists every file written).
    /// Writes manifest.json and returns its text.
    @discardableResult
    public static func writeManifest(_ context: RunContext, ingest: IngestResult?, status: String) throws -> String {
        context.wrote("manifest.json")
        let json = Manifest.build(context, ingest: ingest, status: status)
        try Manifest.write(json, to: try context.path("manifest.json"))
        return json.serialised()
    }
}

/// The run stopped because a required file was mostly quarantined: quality.csv,
/// quarantine/ and the manifest are published (so the user can see why), nothing else.
public struct MostlyQuarantined: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
