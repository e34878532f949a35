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

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file's stages and write the report pack (index.html, CSVs, manifest).",
        discussion: """
        Runs the stages the pipeline declares (default: ingest, trajectories, indicators, \
        disclosure, report) and writes the folder of docs/outputs.md: index.html, indicators.csv, \
        matrix.csv, legend.txt, indicators.xlsx, quality.csv, quarantine/ and manifest.json. Default folder: \
        <outputs.root>/<name>/<as_of>/. Record-level files (record-level/, when the pipeline asks) \
        go to a separate restricted folder: <outputs.restricted_root>/<name>/<as_of>/, or \
        DIR.restricted beside --out DIR, or --restricted-out.
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        let console = Console(quiet: options.quiet)
        try CommandSupport.runJob(options, command: "run") { context, result, lines in
            let outcome = try StageRunner(context, announce: console.stage).run(.run, ingest: result)
            console.endProgress()
            if let t = outcome.trajectories {
                lines.append("\(Format.thousands(t.series.count)) series, \(Format.thousands(t.segments.count)) segments as at \(t.asOf)")
            }
            if let r = outcome.indicators {
                let suppressed = r.rows.filter { $0.status == .suppressed }.count
                lines.append("\(Format.thousands(r.rows.count)) indicator rows over \(r.monthEnds.count) month ends (\(Format.thousands(suppressed)) suppressed)")
            }
            if let report = outcome.report {
                lines.append("Report: \(context.outputFolder)/\(report)")
            }
            lines.append(contentsOf: context.restrictedSummary)
        }
    }
}
