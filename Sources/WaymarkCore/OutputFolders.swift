import Foundation

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

/// The two folders a run writes into (OUTPUTS.md): the report folder, which
/// holds only disclosure-controlled aggregates and can be shared whole, and
/// the restricted folder for record-level files, never inside it. Every
/// output path is made here, and every file written is recorded.
public final class OutputFolders: @unchecked Sendable {
    public let reportFolder: String
    /// Where record-level files go: never the report folder or inside it.
    public private(set) var restrictedFolder: String
    /// Files written, relative to `reportFolder`.
    public private(set) var filesWritten: [String] = []
    /// Record-level files written, relative to `restrictedFolder`.
    public private(set) var restrictedFilesWritten: [String] = []

    /// When staging is on, the folders being written (OUTPUTS.md's folder safety).
    private var reportStage: StagedFolder?
    private var restrictedStage: StagedFolder?
    private var force = false

    public init(reportFolder: String, restrictedFolder: String) {
        self.reportFolder = reportFolder
        self.restrictedFolder = normalisePath(restrictedFolder)
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
        let report = absolute(reportFolder), restricted = absolute(restrictedFolder)
        if restricted == report || restricted.hasPrefix(report == "/" ? "/" : report + "/") {
            throw RunError.usage("\(restrictedFolder): the folder for record-level data must not be the report folder (\(reportFolder)) or inside it, since the report folder is shared; choose another with --restricted-out or outputs.restricted_root")
        }
    }

    /// The absolute path of a record-level file in the restricted folder, creating its folder.
    public func restrictedPath(_ relative: String) throws -> String {
        try checkRestrictedFolder()
        if reportStage != nil {
            if restrictedStage == nil {
                restrictedStage = try StagedFolder(target: restrictedFolder, markers: ["record-level/README.txt", "record-level/cohorts.csv"],
                                                   force: force, what: "record-level files")
            }
            return try restrictedStage!.path(relative)
        }
        return try Self.file(relative, in: restrictedFolder, what: "the restricted folder", option: "--restricted-out")
    }

    /// `folder/relative`, with its parent folder created.
    private static func file(_ relative: String, in folder: String, what: String, option: String) throws -> String {
        let full = joinPath(folder, relative)
        let parent = parentFolder(full)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw RunError.output("\(parent): cannot create \(what) (\(error.localizedDescription)). Choose another with \(option).")
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
        let from = parts(reportFolder), to = parts(restrictedFolder)
        var common = 0
        while common < min(from.count, to.count) && from[common] == to[common] { common += 1 }
        let path = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
        return path.isEmpty ? "." : path.joined(separator: "/")
    }

    /// The absolute path of an output file in the report folder, creating its folder.
    public func path(_ relative: String) throws -> String {
        if let reportStage { return try reportStage.path(relative) }
        return try Self.file(relative, in: reportFolder, what: "the output folder", option: "--out")
    }

    /// From now on, write into temporary folders beside the targets and move
    /// them into place at ``commit()``: a report folder that is an earlier run
    /// (it has a manifest.json) is replaced whole; another non-empty folder
    /// stops the run unless `force`; links are never followed.
    public func beginStaging(force: Bool) throws {
        self.force = force
        try checkRestrictedFolder()
        reportStage = try StagedFolder(target: reportFolder, markers: ["manifest.json"], force: force, what: "the report")
    }

    /// Moves what was written into place: the restricted folder first, the
    /// report folder (whose manifest makes it look complete) last.
    public func commit() throws {
        try restrictedStage?.commit()
        try reportStage?.commit()
    }

    /// Removes what a failed or interrupted run wrote; the targets are untouched.
    public func discard() {
        restrictedStage?.discard()
        reportStage?.discard()
    }

    public func wrote(_ relative: String) { filesWritten.append(relative) }
}
