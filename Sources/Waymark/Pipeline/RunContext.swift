import Foundation

/// The dates a run is evaluated at (DATA-CONTRACT.md, "Dates and the run").
public struct RunDates: Sendable, Equatable {
    /// The last day of the reporting period.
    public var asOf: Day
    /// The day the export was taken; later dates are impossible.
    public var extractedOn: Day

    /// Resolves the dates: explicit values win, then the pipeline file's; without
    /// them `extracted_on` is today and `as_of` the last day of the last whole
    /// month before it.
    public static func resolve(asOf: Day?, extractedOn: Day?, config: PipelineConfig, today: Day = .today()) throws -> RunDates {
        let extracted = extractedOn ?? config.extractedOn ?? today
        let asOfDay = asOf ?? config.asOf ?? extracted.endOfPreviousMonth
        if extracted < asOfDay {
            throw RunError.usage("as_of (\(asOfDay)) is after extracted_on (\(extracted)); the reporting period cannot end after the export was taken")
        }
        return RunDates(asOf: asOfDay, extractedOn: extracted)
    }
}

/// A problem with how the run was asked for (exit code 64) or with its output (2).
public enum RunError: Error, CustomStringConvertible, Sendable {
    case usage(String)
    case output(String)
    public var description: String {
        switch self {
        case .usage(let m), .output(let m): return m
        }
    }
}

/// One stage's record for the manifest.
public struct StageRecord: Sendable {
    public var name: String
    public var seconds: Double
    public var rowsIn: Int
    public var rowsOut: Int
}

/// What a run accumulates as it goes: its configuration and dates, where it
/// writes, what it wrote, stage timings and warnings. Feeds the manifest.
public final class RunContext: @unchecked Sendable {
    public let config: PipelineConfig
    public let dates: RunDates
    public let outputFolder: String
    public let command: String
    public let startedAt: Date
    public private(set) var stages: [StageRecord] = []
    public private(set) var filesWritten: [String] = []
    public var warnings: [String] = []
    /// What the disclosure audit did (M11), once the disclosure stage has run.
    public var audit: AuditSummary?

    public init(config: PipelineConfig, dates: RunDates, outputFolder: String?, command: String) {
        self.config = config
        self.dates = dates
        self.command = command
        self.outputFolder = outputFolder ?? joinPath(joinPath(config.outputRoot, config.name), dates.asOf.description)
        self.startedAt = Date()
    }

    /// Runs `body` as a named stage, recording its time and row counts.
    public func stage<T>(_ name: String, rowsIn: Int = 0, _ body: () throws -> (T, Int)) rethrows -> T {
        let start = monotonicSeconds()
        let (value, rowsOut) = try body()
        stages.append(StageRecord(name: name, seconds: monotonicSeconds() - start, rowsIn: rowsIn, rowsOut: rowsOut))
        return value
    }

    /// The absolute path of an output file, creating its folder.
    public func path(_ relative: String) throws -> String {
        let full = joinPath(outputFolder, relative)
        let folder = parentFolder(full)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw RunError.output("\(folder): cannot create the output folder (\(error.localizedDescription)). Choose another with --out.")
        }
        return full
    }

    public func wrote(_ relative: String) { filesWritten.append(relative) }
}
