import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

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

    /// True when `as_of` is later than the last month that had ended when the
    /// export was taken: the figures for that month are provisional (issue #14).
    public var isProvisional: Bool { asOf > extractedOn.endOfPreviousMonth }
}

/// One stage's record for the manifest.
public struct StageRecord: Sendable {
    public var name: String
    public var seconds: Double
    public var rowsIn: Int
    public var rowsOut: Int
    /// The process's peak resident memory so far, read when the stage ended
    /// (Linux's VmHWM; nil where there is none): the stage that raised it
    /// is the one that set the run's peak.
    public var peakRSSBytes: Int? = nil
}

/// The process's peak resident set size so far (VmHWM of /proc/self/status), or nil.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
    return nil
}

/// What a run accumulates as it goes: its configuration and dates, where it
/// writes, what it wrote, stage timings and warnings. Feeds the manifest.
public final class RunContext: @unchecked Sendable {
    public let config: PipelineConfig
    public let dates: RunDates
    /// The report and restricted folders, and what went into each.
    public let folders: OutputFolders
    public let command: String
    public let startedAt: Date
    public private(set) var stages: [StageRecord] = []
    public var warnings: [String] = []
    /// What the disclosure audit did (M11), once the disclosure stage has run.
    public var audit: AuditSummary?
    /// The data-quality findings written to quality.csv, for the workbook's Quality sheet.
    public var qualityFindings: [QualityFinding] = []
    /// The history database this run records into (nil: none, e.g. `--no-history`).
    public var historyPath: String?
    /// Set by the history stage: records the run (given its manifest) and,
    /// inside the same transaction, moves the folders into place.
    public var recordHistory: ((_ manifest: String, _ commitFolders: () throws -> Void) throws -> Void)?

    public init(config: PipelineConfig, dates: RunDates, outputFolder: String?, restrictedFolder: String? = nil, command: String) {
        self.config = config
        self.dates = dates
        self.command = command
        let report = outputFolder ?? joinPath(joinPath(config.outputRoot, config.name), dates.asOf.description)
        folders = OutputFolders(reportFolder: report, restrictedFolder: restrictedFolder
            ?? outputFolder.map(OutputFolders.restrictedSibling)
            ?? joinPath(joinPath(config.restrictedRoot, config.name), dates.asOf.description))
        self.startedAt = Date()
        historyPath = config.historyPath ?? joinPath(joinPath(config.outputRoot, config.name), "history.sqlite")
        if dates.isProvisional {
            warnings.append("provisional: as_of \(dates.asOf) is later than the last month that had ended when the export was taken (\(dates.extractedOn)); rows for the rest of the month are not in it yet. Pass --as-of \(dates.extractedOn.endOfPreviousMonth) for the last whole month.")
        }
    }

    /// Writes the manifest, then moves the folders into place: inside the
    /// history's transaction when the run records history, so a failed or
    /// interrupted run records nothing.
    public func finish(ingest: IngestResult?, status: String) throws {
        let manifest = try Validation.writeManifest(self, ingest: ingest, status: status)
        if let recordHistory {
            try recordHistory(manifest) { try folders.commit() }
        } else {
            try folders.commit()
        }
    }

    public var outputFolder: String { folders.reportFolder }
    public var restrictedFolder: String { folders.restrictedFolder }
    public var filesWritten: [String] { folders.filesWritten }
    public var restrictedFilesWritten: [String] { folders.restrictedFilesWritten }
    public var restrictedFolderFromReport: String { folders.restrictedFolderFromReport }
    public func useRestrictedFolder(_ folder: String) throws { try folders.useRestrictedFolder(folder) }
    public func checkRestrictedFolder() throws { try folders.checkRestrictedFolder() }
    public func path(_ relative: String) throws -> String { try folders.path(relative) }
    public func wrote(_ relative: String) { folders.wrote(relative) }
    public func restrictedPath(_ relative: String) throws -> String { try folders.restrictedPath(relative) }
    public func wroteRestricted(_ relative: String) { folders.wroteRestricted(relative) }

    /// Runs `body` as a named stage, recording its time and row counts.
    public func stage<T>(_ name: String, rowsIn: Int = 0, _ body: () throws -> (T, Int)) rethrows -> T {
        let start = monotonicSeconds()
        let (value, rowsOut) = try body()
        stages.append(StageRecord(name: name, seconds: monotonicSeconds() - start, rowsIn: rowsIn, rowsOut: rowsOut,
                                  peakRSSBytes: peakResidentBytes()))
        return value
    }
}

extension RunContext {
    /// The report pack's share of the run: names, dates, headline, thresholds.
    public var reportOptions: ReportOptions {
        var options = ReportOptions(name: config.name, description: config.description, asOf: dates.asOf, extractedOn: dates.extractedOn,
                      headlineScale: config.headlineScale ?? config.scales.first?.name ?? "", headlineRater: config.headlineRater.rawValue,
                      windowDays: config.windowDays, afterDays: config.afterDays, smallCount: config.smallCount,
                      minDenominator: config.minDenominator, inputsGiven: Set(config.inputs.keys))
        options.identifierWaivers = config.identifierWaivers.map(\.description)
        options.provisional = dates.isProvisional
        return options
    }
}
