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

    /// Writes `quality.csv` and one quarantine file per input.
    public static func writeQuality(_ result: IngestResult, _ context: RunContext) throws {
        try context.stage("quality") { () -> (Void, Int) in
            let findings = QualityReport.findings(result.files)
            try QualityReport.write(findings, to: try context.path("quality.csv"))
            context.wrote("quality.csv")
            for report in result.files {
                let relative = "quarantine/\(report.file.rawValue).csv"
                try QuarantineWriter.write(report, to: try context.path(relative))
                context.wrote(relative)
            }
            return ((), findings.count)
        }
    }

    /// Writes the manifest (always last, so it lists every file written).
    public static func writeManifest(_ context: RunContext, ingest: IngestResult?, status: String) throws {
        context.wrote("manifest.json")
        try Manifest.write(Manifest.build(context, ingest: ingest, status: status), to: try context.path("manifest.json"))
    }
}
