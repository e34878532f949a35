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

struct TrajectoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectories",
        abstract: "Validate the inputs, then write every family's trajectory with its support context (record-level/).",
        discussion: """
        Writes record-level/series.csv, segments.csv and points.csv (pseudonymised, never \
        suppressed: for researchers inside the organisation) as at --as-of into the restricted \
        folder (default <outputs.restricted_root>/<name>/<as_of>/, or DIR.restricted beside \
        --out DIR, or --restricted-out), plus quality.csv, quarantine/ and manifest.json in the \
        report folder. See docs/methods.md for what each column means.
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        try CommandSupport.runJob(options, command: "trajectories") { context, result, lines in
            guard let t = try StageRunner(context).run(.trajectories, ingest: result).trajectories else { return }
            lines.append("\(Format.thousands(t.series.count)) series, \(Format.thousands(t.segments.count)) segments, \(Format.thousands(t.points.count)) points as at \(t.asOf)")
            lines.append(contentsOf: context.restrictedSummary)
        }
    }
}

extension RunContext {
    /// The console's lines about the restricted folder, when anything went there.
    var restrictedSummary: [String] {
        guard !restrictedFilesWritten.isEmpty else { return [] }
        return ["Restricted: wrote \(restrictedFolder)/ (\(restrictedFilesWritten.count) files). It holds record-level pseudonymised data: keep it inside the organisation and do not share it with the report."]
    }
}
