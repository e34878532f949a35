import ArgumentParser
import Foundation
import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkIngest
import WaymarkHistory

/// `waymark history ...`: what the history database remembers (OUTPUTS.md "History").
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "What was published, run by run: list, show, diff, restatements, export, verify, backfill.",
        discussion: """
        Every successful `waymark run` records itself and every figure it published (exactly as \
        published, after disclosure control) in a history database: by default \
        <outputs.root>/<pipeline name>/history.sqlite, or the pipeline's outputs.history. Examples:

          waymark history list Pipelines/monthly.yaml
          waymark history show Pipelines/monthly.yaml 12
          waymark history diff Pipelines/monthly.yaml 11 12
          waymark history restatements Pipelines/monthly.yaml
          waymark history export Pipelines/monthly.yaml --format csv --out history.csv
          waymark history verify Pipelines/monthly.yaml
          waymark history backfill Pipelines/monthly.yaml --from 2024-04 --to 2026-09
        """,
        subcommands: [HistoryList.self, HistoryShow.self, HistoryDiff.self, HistoryRestatements.self, HistoryExport.self,
                      HistoryVerify.self, HistoryBackfill.self]
    )
}

/// Which database, and which pipeline's runs.
struct HistoryLocation: ParsableArguments {
    @Argument(help: ArgumentHelp("The pipeline file whose history to read.", valueName: "pipeline"))
    var pipeline: String

    @Option(name: .customLong("db"), help: ArgumentHelp("The history database. Default: the pipeline's (outputs.history, else <outputs.root>/<name>/history.sqlite).", valueName: "file"))
    var db: String?

    func open() throws -> (HistoryStore, PipelineConfig) {
        let config = try CommandSupport.loadConfig(pipeline)
        let path = db ?? config.historyPath ?? joinPath(joinPath(config.outputRoot, config.name), "history.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandSupport.fail(RunError.output("\(path): no history database yet. `waymark run \(pipeline)` creates it, or give its path with --db."))
        }
        do { return (try HistoryStore(path: path), config) } catch { throw CommandSupport.fail(error) }
    }
}

enum HistoryFormat {
    static func figure(_ f: HistoryFigure) -> String {
        guard f.isPublished else { return f.status }
        return f.value.map { CSVWriter.format($0) } ?? "published"
    }

    static func key(_ k: SeriesKey) -> String {
        "\(k.indicatorID) \(k.scale)/\(k.ratedBy) \(k.breakdown)=\(k.group)" + (k.kind == "indicator" ? "" : " (\(k.kind))")
    }
}

struct HistoryList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The runs recorded, oldest first.")
    @OptionGroup var location: HistoryLocation

    func run() throws {
        let (store, config) = try location.open()
        let runs = try store.runs(pipeline: config.name)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print("run   kind           as_of       extracted_on  figures  parameters    version")
        for r in runs {
            let figures = String(r.figures)
            print(pad(String(r.id), 5) + " " + pad(r.kind, 14) + " " + pad(r.asOf, 11) + " " + pad(r.extractedOn, 13) + " "
                  + String(repeating: " ", count: max(0, 7 - figures.count)) + figures + "  " + String(r.parametersHash.prefix(12)) + "  " + r.version)
        }
        if runs.isEmpty { print("(no runs of \(config.name) recorded in \(store.path))") }
    }
}

struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One run: its inputs, figure counts and manifest.")
    @OptionGroup var location: HistoryLocation
    @Argument(help: "The run's number (see `waymark history list`).") var number: Int64

    func run() throws {
        let (store, config) = try location.open()
        let run = number
        guard let r = try store.runs(pipeline: config.name).first(where: { $0.id == run }) else {
            throw CommandSupport.fail(RunError.usage("no run \(run) of \(config.name) in \(store.path); `waymark history list` shows them"))
        }
        print("run \(r.id): \(r.kind), as at \(r.asOf), export of \(r.extractedOn), recorded \(r.recordedAt), Waymark \(r.version)")
        print("parameters \(r.parametersHash)")
        print("\(r.figures) figures")
        for i in try store.inputs(run: run) {
            print("  \(i.file): \(i.rowsRead) read, \(i.rowsAccepted) accepted, \(i.rowsQuarantined) quarantined, \(i.bytes) bytes, sha256 \(i.sha256)")
        }
        if let manifest = try store.manifest(run: run) { print("manifest:\n" + manifest, terminator: "") }
    }
}

struct HistoryDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "What changed between two runs, comparing published figures only.",
        discussion: "A change in value is shown only when both figures were published; a change of status (e.g. to c, suppressed) is shown without numbers.")
    @OptionGroup var location: HistoryLocation
    @Argument(help: "The earlier run.") var first: Int64
    @Argument(help: "The later run.") var second: Int64

    func run() throws {
        let (store, config) = try location.open()
        let runs = try store.runs(pipeline: config.name)
        guard let a = runs.first(where: { $0.id == first }), let b = runs.first(where: { $0.id == second }) else {
            throw CommandSupport.fail(RunError.usage("run \(first) or \(second) is not a run of \(config.name); `waymark history list` shows them"))
        }
        if a.parametersHash != b.parametersHash { print("note: the runs' parameters differ: a method change, not restatements") }
        var before: [String: HistoryFigure] = [:]
        for f in try store.figures(run: first) { before["\(HistoryFormat.key(f.key))@\(f.asOf)"] = f }
        var changed = 0, added = 0
        for f in try store.figures(run: second) {
            let k = "\(HistoryFormat.key(f.key))@\(f.asOf)"
            guard let old = before[k] else { added += 1; continue }
            guard f.differs(from: old) else { continue }
            changed += 1
            if old.isPublished && f.isPublished {
                print("\(f.asOf)  \(HistoryFormat.key(f.key)): \(HistoryFormat.figure(old)) -> \(HistoryFormat.figure(f))")
            } else {
                print("\(f.asOf)  \(HistoryFormat.key(f.key)): status \(old.status) -> \(f.status)")
            }
        }
        print("\(changed) figure(s) changed; \(added) new in run \(second)")
    }
}

struct HistoryRestatements: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restatements",
        abstract: "Figures for a month end that a later run published differently (same parameters), with the likely cause.")
    @OptionGroup var location: HistoryLocation
    @Flag(help: "Headline figures only (the report's tiles, total breakdown).") var headline = false

    func run() throws {
        let (store, config) = try location.open()
        let series = headline ? Set(HistoryStage.headlineSeries(config).map(\.1)) : nil
        let all = try store.restatements(pipeline: config.name, series: series)
        for r in all {
            let change = r.showsValues ? "\(HistoryFormat.figure(r.before)) -> \(HistoryFormat.figure(r.after))" : "status \(r.before.status) -> \(r.after.status)"
            print("\(r.asOf)  \(HistoryFormat.key(r.key)): \(change)  (run \(r.earlier.id) of \(r.earlier.asOf) -> run \(r.later.id) of \(r.later.asOf)); \(r.cause)")
        }
        for m in try store.methodChanges(pipeline: config.name) {
            print("method change: run \(m.run.id) (as at \(m.run.asOf)) has other parameters than run \(m.previous.id); its figures are not compared")
        }
        print("\(all.count) restatement(s)")
    }
}

struct HistoryExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Every figure of every run, long format (one row per run and figure), for Power BI and R.")
    @OptionGroup var location: HistoryLocation
    @Option(help: "Output format: csv.") var format: String = "csv"
    @Option(help: ArgumentHelp("File to write (default: standard output).", valueName: "file")) var out: String?

    func validate() throws { guard format == "csv" else { throw ValidationError("--format must be csv") } }

    static let header = ["run_id", "run_kind", "pipeline", "run_as_of", "extracted_on", "parameters_hash", "series_kind", "indicator_id",
                         "scale", "rated_by", "breakdown", "group", "as_of", "status", "numerator", "denominator", "value"]

    func run() throws {
        let (store, config) = try location.open()
        let writer = try CSVWriter(path: out ?? "/dev/stdout", bom: out != nil)
        try writer.write(header: Self.header)
        for (run, f) in try store.allFigures(pipeline: config.name) {
            try writer.write([
                .integer(Int(run.id)), .text(run.kind), .text(run.pipeline), .text(run.asOf), .text(run.extractedOn), .text(run.parametersHash),
                .text(f.key.kind), .text(f.key.indicatorID), .text(f.key.scale), .text(f.key.ratedBy), .text(f.key.breakdown), .text(f.key.group),
                .text(f.asOf.description), .text(f.status),
                f.numerator.map { .number($0) } ?? .empty, f.denominator.map { .integer($0) } ?? .empty, f.value.map { .number($0) } ?? .empty,
            ])
        }
        try writer.close()
    }
}

struct HistoryVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the database: SQLite integrity, foreign keys, schema version, and figures' numbers against their status.")
    @OptionGroup var location: HistoryLocation

    func run() throws {
        let (store, _) = try location.open()
        let problems = try store.verify()
        if problems.isEmpty {
            print("\(store.path): ok (schema \(HistorySchema.currentVersion), \(try store.runs().count) runs, \(store.sizeInBytes) bytes)")
            return
        }
        for p in problems { print("\(store.path): \(p)") }
        throw ExitCode(2)
    }
}

struct HistoryBackfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Reconstruct past month ends from the current export and store them as `reconstructed`, apart from what was published.",
        discussion: "Each month end is computed as at its own date (M7) and goes through disclosure control like any published figure. The report labels reconstructed figures and never mixes them with published ones.")
    @OptionGroup var location: HistoryLocation
    @Option(help: ArgumentHelp("First month (YYYY-MM).", valueName: "month")) var from: String
    @Option(help: ArgumentHelp("Last month (YYYY-MM).", valueName: "month")) var to: String
    @Option(help: ArgumentHelp("Day the export was taken (YYYY-MM-DD). Default: the pipeline's, else today.", valueName: "date")) var extractedOn: Day?

    static func month(_ text: String) -> Day? { Day(iso: text + "-01") }

    func validate() throws {
        guard let a = Self.month(from), let b = Self.month(to) else { throw ValidationError("--from and --to are months, YYYY-MM") }
        guard a <= b else { throw ValidationError("--from must not be after --to") }
    }

    func run() throws {
        let config = try CommandSupport.loadConfig(location.pipeline)
        let path = location.db ?? config.historyPath ?? joinPath(joinPath(config.outputRoot, config.name), "history.sqlite")
        let extracted = extractedOn ?? config.extractedOn ?? Day.today()
        do {
            let ingest = try Ingestor(config: config, extractedOn: extracted).run()
            let months = Backfill.monthEnds(from: Self.month(from)!, to: Self.month(to)!)
            let done = try Backfill.run(config, ingest: ingest, extractedOn: extracted, monthEnds: months, historyPath: path) { day, n in
                print("\(day): \(n) figures reconstructed")
            }
            print("Recorded \(done.count) reconstructed month end(s) in \(path)")
        } catch {
            throw CommandSupport.fail(error)
        }
    }
}
