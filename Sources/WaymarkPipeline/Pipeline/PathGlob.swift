#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands an input path with `*`, `?` or `[...]` into the files it names,
/// sorted, so a set of yearly files is read in a stable order.
enum PathGlob {
    /// True when `path` has a wildcard.
    static func isPattern(_ path: String) -> Bool { path.contains { "*?[".contains($0) } }

    /// True when `path` has a wildcard and is not itself the name of a file
    /// (`export [v2].csv` is a file, read as it is; `return_*.csv` a pattern).
    static func isPattern(_ path: String, in folder: String) -> Bool {
        guard isPattern(path) else { return false }
        var st = stat()
        let full = path.hasPrefix("/") ? path : folder + "/" + path
        return !(stat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG)
    }

    /// The regular files `pattern` matches, sorted by path (empty when none).
    static func expand(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let p = g.gl_pathv[i], let path = String(validatingCString: p) else { continue }
            var st = stat()
            if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { out.append(path) }
        }
        return out.sorted()
    }
}
