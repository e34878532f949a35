import ArgumentParser
import WaymarkPipeline

#if canImport(Glibc)
import Glibc
#endif
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

@main
struct WaymarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "Strengths-based analytics for social care: trajectories with the support offered and how families responded.",
        discussion: """
        Waymark reads pseudonymised CSV exports (scaling scores, interventions, family responses, \
        and optionally episodes and children), checks every row against the data contract, and \
        writes a report folder. Start with:

          waymark run Pipelines/monthly.yaml         the monthly report pack
          waymark validate Pipelines/monthly.yaml    check the inputs only
          waymark evaluate Pipelines/research.yaml   programme evaluation
          waymark history list Pipelines/monthly.yaml  what was published, run by run
          waymark fixtures --cases 1500 --out DIR    synthetic exports
          waymark mapping suggest EXPORT_FOLDER      draft a pipeline file for a foreign export

        Exit codes: 0 success (rows may have been quarantined), 1 rows were quarantined and \
        --fail-on-quarantine was given, 2 the run stopped on bad input or a bad pipeline file \
        (nothing written), 64 usage error.
        """,
        version: WaymarkVersion.string,
        subcommands: [RunCommand.self, Validate.self, TrajectoriesCommand.self, IndicatorsCommand.self, EvaluateCommand.self, HistoryCommand.self,
                      CatalogueCommand.self, Fixtures.self, QuarantineRestore.self, MappingCommand.self]
    )
}

/// Options every job that reads a pipeline shares.
struct RunOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A pipeline file (.yaml), or a folder of canonical CSV files.", valueName: "pipeline"))
    var pipeline: String

    @Option(help: ArgumentHelp("Last day of the reporting period (YYYY-MM-DD). Default: the pipeline's, else the last day of the month before --extracted-on.", valueName: "date"))
    var asOf: Day?

    @Option(help: ArgumentHelp("Day the export was taken (YYYY-MM-DD); later dates are quarantined. Default: the pipeline's, else today.", valueName: "date"))
    var extractedOn: Day?

    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder. Default: <outputs.root>/<pipeline name>/<as_of>/.", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("restricted-out"), help: ArgumentHelp(
        "Folder for the record-level (pseudonymised) files, kept apart from the shared report folder. Default: DIR.restricted beside --out DIR, else <outputs.restricted_root>/<pipeline name>/<as_of>/.",
        valueName: "dir"))
    var restrictedOut: String?

    @Flag(help: "Replace a non-empty output folder that is not an earlier Waymark run (default: stop).")
    var force = false

    @Option(name: .customLong("history"), help: ArgumentHelp(
        "History database `waymark run` records into. Default: the pipeline's outputs.history, else <outputs.root>/<pipeline name>/history.sqlite (whatever --out says).",
        valueName: "file"))
    var history: String?

    @Flag(name: .customLong("no-history"), help: "Record nothing in the history database (a trial run).")
    var noHistory = false

    @Flag(help: "Exit with code 1 when any row was quarantined.")
    var failOnQuarantine = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
}

/// Dates on the command line are typed: `YYYY-MM-DD`, checked as they are parsed.
extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
    public var defaultValueDescription: String { description }
}
