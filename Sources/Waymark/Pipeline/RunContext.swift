import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation

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
    /// Where record-level files go (OUTPUTS.md): never inside the report
    /// folder. Default `<restricted_root>/<name>/<as_of>/`, or `DIR.restricted`
    /// beside an explicit report folder `DIR`.
    public private(set) var restrictedFolder: String
    /// Record-level files written, relative to `restrictedFolder`.
    public private(set) var restrictedFilesWritten: [String] = []
    public let command: String
    public let startedAt: Date
    public private(set) var stages: [StageRecord] = []
    public private(set) var filesWritten: [String] = []
    public var warnings: [String] = []
    /// What the disclosure audit did (M11), once the disclosure stage has run.
    public var audit: AuditSummary?

    public init(config: PipelineConfig, dates: RunDates, outputFolder: String?, restrictedFolder: String? = nil, command: String) {
        self.config = config
        self.dates = dates
        self.command = command
        self.outputFolder = outputFolder ?? joinPath(joinPath(config.outputRoot, config.name), dates.asOf.description)
        self.restrictedFolder = restrictedFolder.map(normalisePath)
            ?? outputFolder.map(RunContext.restrictedSibling)
            ?? joinPath(joinPath(config.restrictedRoot, config.name), dates.asOf.description)
        self.startedAt = Date()
    }

    /// `DIR.restricted`, beside the report folder `DIR` (a trailing `/`, `.` or
    /// `..` resolved against the current directory first).
    public static func restrictedSibling(of folder: String) -> String {
        var path = normalisePath(folder)
        if path == "." || path == "/" || path.hasSuffix("..") {
            path = joinPath(FileManager.default.currentDirectoryPath, path)
        }
        return path + ".restricted"
    }

    /// Sends record-level files to `folder` instead (`--restricted-out`);
    /// only before any was written, and never inside the report folder.
    public func useRestrictedFolder(_ folder: String) throws {
        guard restrictedFilesWritten.isEmpty else { throw RunError.usage("the restricted folder cannot change after record-level files were written") }
        restrictedFolder = normalisePath(folder)
        try checkRestrictedFolder()
    }

    /// Stops (usage error) when the restricted folder is the report folder or inside it.
    public func checkRestrictedFolder() throws {
        func absolute(_ p: String) -> String { joinPath(FileManager.default.currentDirectoryPath, p) }
        let report = absolute(outputFolder), restricted = absolute(restrictedFolder)
        if restricted == report || restricted.hasPrefix(report == "/" ? "/" : report + "/") {
            throw RunError.usage("\(restrictedFolder): the folder for record-level data must not be the report folder (\(outputFolder)) or inside it, since the report folder is shared; choose another with --restricted-out or outputs.restricted_root")
        }
    }

    /// The absolute path of a record-level file in the restricted folder, creating its folder.
    public func restrictedPath(_ relative: String) throws -> String {
        try checkRestrictedFolder()
        let full = joinPath(restrictedFolder, relative)
        let folder = parentFolder(full)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw RunError.output("\(folder): cannot create the restricted folder (\(error.localizedDescription)). Choose another with --restricted-out.")
        }
        return full
    }

    public func wroteRestricted(_ relative: String) { restrictedFilesWritten.append(relative) }

    /// The restricted folder relative to the report folder (e.g.
    /// `../2026-10-31.restricted`), for the manifest: the same for two runs
    /// with the same layout, wherever they are.
    public var restrictedFolderFromReport: String {
        func parts(_ p: String) -> [Substring] {
            joinPath(FileManager.default.currentDirectoryPath, p).split(separator: "/", omittingEmptySubsequences: true)
        }
        let from = parts(outputFolder), to = parts(restrictedFolder)
        var common = 0
        while common < min(from.count, to.count) && from[common] == to[common] { common += 1 }
        let path = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
        return path.isEmpty ? "." : path.joined(separator: "/")
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
