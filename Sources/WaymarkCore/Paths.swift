/// Lexical path helpers (no file-system calls): joining, normalising, naming.

/// Joins two paths and removes `.` and `..` segments lexically.
public func joinPath(_ a: String, _ b: String) -> String {
    let joined = b.hasPrefix("/") || a.isEmpty ? b : (a.hasSuffix("/") ? a + b : a + "/" + b)
    return normalisePath(joined)
}

public func normalisePath(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
        if part == ".." && absolute { continue }
        parts.append(part)
    }
    let body = parts.joined(separator: "/")
    return absolute ? "/" + body : (body.isEmpty ? "." : body)
}

public func lastPathComponent(_ path: String) -> String {
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
}

public func parentFolder(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
