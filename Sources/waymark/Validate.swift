import ArgumentParser
import Foundation
import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every input row against the data contract; write quality.csv, quarantine/ and manifest.json.",
        discussion: """
        Prints a data-quality summary per file (rows read, accepted, quarantined, blank lines \
        skipped, the top reasons with their first lines). Nothing is written if an input cannot \
        be read or holds a direct identifier (exit code 2).
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        try CommandSupport.runJob(options, command: "validate") { _, _, _ in }
    }
}

/// Shared pieces of the commands: loading the pipeline, mapping errors to exit codes.
enum CommandSupport {
    /// The skeleton of every job: resolve the run, ingest and validate (with
    /// progress), run the job's own stages, write the manifest last, print the
    /// summary, and exit 1 on quarantine when asked. `stages` returns lines to
    /// print after the summary.
    static func runJob(_ options: RunOptions, command: String,
                       stages: (RunContext, IngestResult, inout [String]) throws -> Void) throws {
        let console = Console(quiet: options.quiet)
        let context = try CommandSupport.context(options, command: command)
        console.header(command, context)
        let result: IngestResult
        var lines: [String] = []
        do {
            // Everything is written beside the target folders and moved into place at the end (OUTPUTS.md).
            try context.folders.beginStaging(force: options.force)
        } catch {
            throw CommandSupport.fail(error)
        }
        let signals = CommandSupport.discardOnSignal(context.folders)
        defer { signals.forEach { $0.cancel() } }
        do {
            result = try Validation.run(context, progress: console.progress)
            console.endProgress()
            do {
                try Validation.checkQuarantinedShare(result, context)
            } catch let stop as MostlyQuarantined {
                // Publish quality.csv, quarantine/ and the manifest, so the user can see why; nothing else.
                try Validation.writeManifest(context, ingest: result, status: "stopped: a required file was mostly quarantined")
                try context.folders.commit()
                console.summary(result, context)
                FileHandle.standardError.write(Data("waymark: \(stop)\n".utf8))
                throw ExitCode(2)
            }
            try stages(context, result, &lines)
            try context.finish(ingest: result, status: "ok")
        } catch let e as ExitCode {
            throw e
        } catch {
            console.endProgress()
            context.folders.discard()
            throw CommandSupport.fail(error)
        }
        console.summary(result, context)
        for line in lines { console.say(line) }
        if options.failOnQuarantine && result.rowsQuarantined > 0 { throw ExitCode(1) }
    }

    static func loadConfig(_ path: String) throws -> PipelineConfig {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw fail(RunError.output("\(path): no such pipeline file or folder. Check the path (pipelines live in Pipelines/)."))
        }
        do {
            if isFolder.boolValue {
                return PipelineConfig.canonicalFolder(path) { FileManager.default.fileExists(atPath: $0) }
            }
            return try PipelineFile.load(path: path)
        } catch {
            throw fail(error)
        }
    }

    static func context(_ options: RunOptions, command: String) throws -> RunContext {
        let config = try loadConfig(options.pipeline)
        do {
            let dates = try RunDates.resolve(asOf: options.asOf, extractedOn: options.extractedOn, config: config)
            let context = RunContext(config: config, dates: dates, outputFolder: options.out, command: command)
            if options.noHistory { context.historyPath = nil } else if let h = options.history { context.historyPath = h }
            // The restricted folder is settled before anything is written: never in the report folder.
            if let r = options.restrictedOut { try context.useRestrictedFolder(r) } else { try context.checkRestrictedFolder() }
            return context
        } catch {
            throw fail(error)
        }
    }

    /// On SIGINT or SIGTERM, removes what the run has written so far (the
    /// targets are untouched: nothing half-written can look complete) and exits.
    static func discardOnSignal(_ folders: OutputFolders) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                folders.discard()
                FileHandle.standardError.write(Data("\nwaymark: interrupted; nothing was written\n".utf8))
                exit(128 + sig)
            }
            source.resume()
            return source
        }
    }

    /// Prints the error and returns the exit code for it (OUTPUTS.md).
    static func fail(_ error: Error) -> Error {
        if error is ExitCode || error is ValidationError { return error }
        FileHandle.standardError.write(Data("waymark: \(error)\n".utf8))
        if case RunError.usage = error { return ExitCode(64) }
        return ExitCode(2)
    }
}
