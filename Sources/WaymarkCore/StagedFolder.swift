import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One output folder written safely (OUTPUTS.md): everything goes into a new
/// temporary folder beside the target, which is renamed into place only when
/// the run has written all of it, so an interrupted or failed run leaves
/// nothing that looks complete. A target that is an earlier run of the same
/// kind is replaced whole; any other non-empty folder stops the run unless
/// forced; a symbolic link is never followed or written through.
public final class StagedFolder: @unchecked Sendable {
    /// Where the folder will be once committed.
    public let target: String
    /// Where its files are written meanwhile (hidden, named as partial).
    public let staging: String
    private var committed = false

    /// How an earlier run's folder of this kind is recognised: a file it holds (any of these).
    public let markers: [String]

    /// Checks the target and creates the staging folder beside it.
    /// - Parameters:
    ///   - markers: files, relative to the folder, one of which every earlier run of this kind wrote.
    ///   - force: replace a non-empty folder that is not an earlier run.
    public init(target: String, markers: [String], force: Bool, what: String) throws {
        self.target = normalisePath(target)
        self.markers = markers
        let parent = parentFolder(self.target)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw RunError.output("\(parent): cannot create the folder for \(what) (\(error.localizedDescription))")
        }
        var st = stat()
        if lstat(self.target, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                throw RunError.output("\(self.target): is a symbolic link; Waymark never writes through links. Choose a real folder for \(what).")
            }
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw RunError.output("\(self.target): exists and is not a folder. Choose another folder for \(what).")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: self.target)) ?? []
            let folder = self.target
            let earlierRun = markers.contains { m in
                var s = stat()
                return lstat(joinPath(folder, m), &s) == 0 && (s.st_mode & S_IFMT) == S_IFREG
            }
            if !entries.isEmpty && !earlierRun && !force {
                throw RunError.output("\(self.target): is not empty and is not an earlier Waymark run (it has no \(markers.joined(separator: " or "))); nothing was written. Choose an empty or new folder for \(what), or pass --force to replace it.")
            }
        }
        let name = lastPathComponent(self.target)
        staging = joinPath(parent, ".\(name).waymark-partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard mkdir(staging, 0o755) == 0 else {
            throw RunError.output("\(staging): cannot create a temporary folder beside \(self.target) (errno \(errno)).")
        }
    }

    /// The path of a file in the staging folder, creating its folders. No
    /// existing link can be on the way: the staging folder is new and only
    /// Waymark writes in it.
    public func path(_ relative: String) throws -> String {
        precondition(!committed, "written after commit")
        let full = joinPath(staging, relative)
        guard full.hasPrefix(staging + "/") else { throw RunError.output("\(relative): outside the output folder") }
        try FileManager.default.createDirectory(atPath: parentFolder(full), withIntermediateDirectories: true)
        return full
    }

    /// Moves the staging folder into place, replacing an earlier run's folder whole.
    public func commit() throws {
        guard !committed else { return }
        var st = stat()
        var old: String?
        if lstat(target, &st) == 0 {
            old = staging + ".replaced"
            guard rename(target, old!) == 0 else { throw RunError.output("\(target): cannot move the earlier run aside (errno \(errno)).") }
        }
        guard rename(staging, target) == 0 else {
            let e = errno
            if let old { _ = rename(old, target) }
            throw RunError.output("\(target): cannot move the new run into place (errno \(e)).")
        }
        committed = true
        if let old { try? FileManager.default.removeItem(atPath: old) }
    }

    /// Removes the staging folder (a failed or interrupted run).
    public func discard() {
        guard !committed else { return }
        try? FileManager.default.removeItem(atPath: staging)
    }
}
