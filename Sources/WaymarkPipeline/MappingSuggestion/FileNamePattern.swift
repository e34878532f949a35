/// The shape shared by the names of several files with one header (a return
/// split by year): a `path:` glob with `*` where their digits differ
/// (`return_2025.csv`, `return_2026.csv` -> `return_*.csv`) and, when that
/// part is a year, a `from_file_name:` pattern capturing it
/// (`return_(?<year>\d{4})\.csv`). Built from the names' shape only: a file
/// name is not a data value, and no digit that varies is written.
public struct FileNamePattern: Sendable, Equatable {
    /// Matches every one of the names (relative to the export folder).
    public let glob: String
    /// A regular expression matching each whole name, with the named capture
    /// `year`; nil when no varying part is a year (or more than one is).
    public let yearPattern: String?

    /// The pattern of `names`, or nil when they do not share one shape: the
    /// same letters and punctuation, digit runs of the same lengths, and at
    /// least one run that varies.
    public static func of(_ names: [String]) -> FileNamePattern? {
        guard names.count >= 2 else { return nil }
        let parts = names.map(runs)
        let first = parts[0]
        guard parts.allSatisfy({ $0.count == first.count }) else { return nil }
        var glob = "", regex = "", years = 0, varying = 0
        for k in first.indices {
            let column = parts.map { $0[k] }
            let isDigits = first[k].first?.isASCIIDigit ?? false
            if !isDigits {
                guard column.allSatisfy({ $0 == first[k] }), !first[k].contains(where: { "*?[]\\".contains($0) }) else { return nil }
                glob += first[k]
                regex += escaped(first[k])
                continue
            }
            guard column.allSatisfy({ $0.count == first[k].count && ($0.first?.isASCIIDigit ?? false) }) else { return nil }
            if column.allSatisfy({ $0 == first[k] }) {
                glob += first[k]
                regex += first[k]
                continue
            }
            varying += 1
            glob += "*"
            if first[k].count == 4, column.allSatisfy({ (1900...2199).contains(Int($0) ?? 0) }) {
                years += 1
                regex += "(?<year>\\d{4})"
            } else {
                regex += "\\d{\(first[k].count)}"
            }
        }
        guard varying > 0 else { return nil }
        return FileNamePattern(glob: glob, yearPattern: years == 1 ? regex : nil)
    }

    /// A name cut into runs of ASCII digits and runs of anything else.
    static func runs(_ name: String) -> [String] {
        var out: [String] = []
        for ch in name {
            if let last = out.last, let c = last.last, c.isASCIIDigit == ch.isASCIIDigit {
                out[out.count - 1].append(ch)
            } else {
                out.append(String(ch))
            }
        }
        return out
    }

    /// Literal text for a regular expression.
    static func escaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ".^$*+?()[]{}|\\".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
