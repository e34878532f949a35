import ArgumentParser
import Foundation
import Waymark

struct TrajectoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trajectories",
        abstract: "Validate the inputs, then write every family's trajectory with its support context (record-level/).",
        discussion: """
        Writes record-level/series.csv, segments.csv and points.csv (pseudonymised, never \
        suppressed: for researchers inside the organisation) as at --as-of, plus quality.csv, \
        quarantine/ and manifest.json. See docs/methods.md for what each column means.
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        try CommandSupport.runJob(options, command: "trajectories") { context, result, lines in
            let t = try TrajectoryStage.run(context, ingest: result)
            lines.append("\(Format.thousands(t.series.count)) series, \(Format.thousands(t.segments.count)) segments, \(Format.thousands(t.points.count)) points as at \(t.asOf)")
        }
    }
}
