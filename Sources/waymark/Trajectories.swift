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
        let console = Console(quiet: options.quiet)
        let context = try CommandSupport.context(options, command: "trajectories")
        console.header("trajectories", context)
        let result: IngestResult
        let t: Trajectories
        do {
            result = try Validation.run(context, progress: console.progress)
            console.endProgress()
            t = try TrajectoryStage.run(context, ingest: result)
            try Validation.writeManifest(context, ingest: result, status: "ok")
        } catch {
            console.endProgress()
            throw CommandSupport.fail(error)
        }
        console.summary(result, context)
        console.say("\(Format.thousands(t.series.count)) series, \(Format.thousands(t.segments.count)) segments, \(Format.thousands(t.points.count)) points as at \(t.asOf)")
        if options.failOnQuarantine && result.rowsQuarantined > 0 { throw ExitCode(1) }
    }
}
