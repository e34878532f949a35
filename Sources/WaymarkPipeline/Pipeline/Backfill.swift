import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkReports
import WaymarkHistory

/// `waymark history backfill`: past month ends computed from the current
/// export, each as at its own date (M7), through disclosure control like any
/// published figure, and recorded as `reconstructed` runs, apart from what
/// was published (OUTPUTS.md "History").
public enum Backfill {
    /// Month ends from the month of `from` to the month of `to`, inclusive.
    public static func monthEnds(from: Day, to: Day) -> [Day] {
        var out: [Day] = []
        var d = from.endOfMonth
        while d <= to.endOfMonth {
            out.append(d)
            d = Day(number: d.number + 1).endOfMonth
        }
        return out
    }

    /// Reconstructs and records each month end; returns (month end, figures recorded).
    /// `progress` hears of each month end as it is done.
    public static func run(_ config: PipelineConfig, ingest: IngestResult, extractedOn: Day, monthEnds: [Day], historyPath: String,
                           progress: (Day, Int) -> Void = { _, _ in }) throws -> [(Day, Int)] {
        let store = try HistoryStore(path: historyPath)
        let hash = HistoryStage.parametersHash(config)
        let months = HistoryStage.inputMonths(ingest)
        var stepConfig = config
        stepConfig.trendMonths = 1
        var out: [(Day, Int)] = []
        for monthEnd in monthEnds where monthEnd <= extractedOn {
            let t = TrajectoryBuilder.build(ingest, config: stepConfig, asOf: monthEnd)
            let raw = IndicatorEngine.compute(t, ingest: ingest, config: stepConfig)
            let published = try config.disclosure.protect(raw)
            let figures = HistoryFigure.all(from: published)
            let summary = JSON.object([
                ("tool", .string("waymark")), ("version", .string(WaymarkVersion.string)), ("command", .string("history backfill")),
                ("pipeline", .string(config.name)), ("as_of", .string(monthEnd.description)), ("extracted_on", .string(extractedOn.description)),
                ("kind", .string("reconstructed")),
                ("inputs", .array(ingest.files.map { f in .object([("file", .string(f.file.fileName)), ("sha256", .string(f.sha256)),
                                                                  ("rows_accepted", .integer(f.rowsAccepted))]) })),
                ("parameters", Manifest.parameters(config)),
            ]).serialised()
            let record = RunRecord(kind: .reconstructed, pipeline: config.name, asOf: monthEnd, extractedOn: extractedOn,
                                   startedAt: ISO8601DateFormatter().string(from: Date()), version: WaymarkVersion.string,
                                   parametersHash: hash, pipelineSHA256: config.sourceHash, manifest: summary,
                                   inputs: HistoryStage.inputs(ingest), inputMonths: months)
            try store.record(record, figures: figures)
            out.append((monthEnd, figures.count))
            progress(monthEnd, figures.count)
        }
        return out
    }
}
