#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WaymarkCore

/// The scratch folder of one process, `waymark-fuzz-<pid>/` in
/// `$WAYMARK_FUZZ_WORKSPACE` (scripts/fuzz sets it, and removes it after the
/// run), else in /dev/shm where it exists, else in /tmp: the fuzz targets
/// write their inputs there, one reused file per target, so no run fills the
/// disk. Removed when the process exits normally (a crash leaves it).
///
/// A process fuzzes one input at a time; the replay test runs its cases one
/// after another (its suite is serialized), so nothing here is locked.
enum FuzzWorkspace {
    /// The process's folder, made on first use.
    static let root: String = {
        let base = getenv("WAYMARK_FUZZ_WORKSPACE").map { String(cString: $0) }
            ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")
        let path = "\(base)/waymark-fuzz-\(getpid())"
        mkdir(path, 0o700)
        atexit { FuzzWorkspace.removeTree(FuzzWorkspace.rootIfMade) }
        rootIfMade = path
        return path
    }()

    /// The root once it exists, for the exit handler (which must not create it).
    nonisolated(unsafe) private static var rootIfMade = ""

    /// `root/<name>/`, made if missing.
    static func folder(_ name: String) -> String {
        let path = joinPath(root, name)
        mkdir(path, 0o700)
        return path
    }

    /// Replaces the contents of the file at `path` with `bytes`.
    static func write(_ path: String, _ bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("fuzz workspace: cannot write \(path) (errno \(errno))") }
        defer { close(fd) }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, base + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { fatalError("fuzz workspace: cannot write \(path) (errno \(errno))") }
            done += n
        }
    }

    /// Replaces the contents of the file at `path` with the UTF-8 of `text`.
    static func write(_ path: String, _ text: String) {
        var text = text
        text.withUTF8 { write(path, UnsafeRawBufferPointer($0)) }
    }

    /// Removes the files of `folder` and its subfolders (one level deep is all
    /// the targets make), then the folder itself.
    private static func removeTree(_ folder: String) {
        guard !folder.isEmpty, let dir = opendir(folder) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            if unlink(path) != 0 { removeTree(path) }
        }
        closedir(dir)
        rmdir(folder)
    }
}

/// write(2), out of the way of ``FuzzWorkspace``'s own `write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
