import ArgumentParser
import Foundation
import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Validate, build trajectories, and write every strengths-based indicator with its trend (indicators.csv, matrix.csv).",
        discussion: """
        Computes I1-I16 (docs/indicators.md) as at --as-of and each of the trend's month ends, \
        with team and equity breakdowns, applies disclosure control (small numbers suppressed, \
        DfE symbols c, z, x) and writes indicators.csv, matrix.csv, legend.txt and indicators.xlsx, plus the record-level \
        exports when the pipeline asks for them, quality.csv, quarantine/ and manifest.json.
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        try CommandSupport.runJob(options, command: "indicators") { context, result, lines in
            guard let r = try StageRunner(context).run(.indicators, ingest: result).indicators else { return }
            let suppressed = r.rows.filter { $0.status == .suppressed }.count
            lines.append("\(Format.thousands(r.rows.count)) indicator rows over \(r.monthEnds.count) month ends (\(Format.thousands(suppressed)) suppressed)")
            lines.append(contentsOf: context.restrictedSummary)
        }
    }
}

struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Print the indicator catalogue as Markdown (the source of docs/indicators.md)."
    )

    func run() throws { print(IndicatorCatalogue.markdown(), terminator: "") }
}
