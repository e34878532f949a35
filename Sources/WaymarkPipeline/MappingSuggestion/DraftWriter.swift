import Foundation
import WaymarkCore
import WaymarkCSV
import WaymarkIngest
import WaymarkMethods

/// Writes a ``MappingSuggestion`` as a draft pipeline file (YAML) that
/// ``PipelineFile`` accepts: one mapping per input file, `# unsure:` where a
/// match is weak or ambiguous, `# TODO` for required columns not found,
/// `drop:` for identifier columns, and the keys a foreign export needs
/// (`unpivot:`, a `path:` glob with `from_file_name:`, `missing_values:`,
/// `interventions: none`). Only headers, canonical names, file names and
/// their pattern, and the category labels mapped (vocabulary words, reasons
/// for a missing score) are written, never another value.
public enum DraftWriter {
    /// The draft; `folder` is how the file names the export folder (relative
    /// to where the draft is written, or absolute).
    public static func yaml(_ s: MappingSuggestion, folder: String) -> String {
        var out: [String] = []
        func line(_ text: String) { out.append(text) }
        line("# Draft pipeline file written by `waymark mapping suggest` from \(s.files.count + s.unmatched.count) CSV file(s),")
        line("# sampling the first \(s.rowLimit) rows of each. Read every `# unsure:` and `# TODO` before the first run.")
        line("# No data value is copied here: only headers, canonical names, file names and their pattern, and the category")
        line("# labels mapped (vocabulary words, reasons for a missing score).")
        line("name: \(quoted(s.name))")
        line("description: \(quoted("Draft mapping of the \(s.name) export"))")
        line("")
        line("inputs:")
        line("  folder: \(quoted(folder))")
        for file in InputFile.allCases {
            if let f = s.file(file) { lines(of: f, into: &out) } else { missing(file, in: s, into: &out) }
        }
        for u in s.unmatched {
            if u.headerLooksLikeData {
                line("  # not read: \(comment(u.fileName)): its first line holds a number, a date or an identifier, so it looks like data,")
                line("  # not a header (nothing of it is copied here); export the file with its header row and run the suggestion again")
            } else if let near = u.nearest, u.fit >= FileClassifier.threshold, let taken = s.file(near) {
                line("  # not matched: \(comment(u.fileName)) fits \(near.rawValue) at \(percent(u.fit)), but the draft reads \(comment(taken.fileName)) as \(near.rawValue);")
                line("  # if both hold its rows, list both under its `path:` (several files per input)")
            } else {
                let nearest = u.nearest.map { ", nearest \($0.rawValue) at \(percent(u.fit))" } ?? ""
                line("  # not matched: \(comment(u.fileName)) (its headers fit no canonical file well enough\(nearest)); the run does not read it")
            }
        }
        line("")
        line("scales:   # sd and reliability (M6, reliable change) are choices about each scale, not in the data: add them")
        let defaults = Dictionary(uniqueKeysWithValues: PipelineConfig.defaultScales.map { ($0.name, $0) })
        for name in s.scaleNames {
            if let spec = defaults[name] {
                var entry = "min: \(number(spec.min)), max: \(number(spec.max)), direction: \(spec.higherIsBetter ? "higher_is_better" : "higher_is_worse")"
                if let t = spec.sustainedThreshold { entry += ", sustained_threshold: \(number(t))" }
                line("  \(key(name)): {\(entry)}")
            } else {
                line("  # unsure: `\(name)` is not a built-in scale; check its range and direction")
                line("  \(key(name)): {min: 0, max: 10, direction: higher_is_better}")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func lines(of f: FileSuggestion, into out: inout [String]) {
        func line(_ text: String) { out.append(text) }
        if f.fileNames.count > 1 {
            let names = f.fileNames.map(comment).joined(separator: ", ")
            line("  \(f.file.rawValue):   # \(f.fileNames.count) files with one header (\(names)): fits \(percent(f.fit))")
            if let pattern = f.namePattern {
                line("    path: \(quoted(pattern.glob))   # read in sorted order; check that nothing else in the folder matches")
            } else {
                line("    path: [" + f.fileNames.map(quoted).joined(separator: ", ") + "]")
            }
            if let column = f.dateFromFileName, let pattern = f.namePattern?.yearPattern {
                line("    from_file_name: {pattern: \(singleQuoted(pattern)), \(column): year}   # the year in each file's name: YYYY -> 31 March YYYY")
            }
        } else {
            line("  \(f.file.rawValue):   # \(comment(f.fileName)): fits \(percent(f.fit))")
            line("    path: \(quoted(f.fileName))")
        }
        if f.delimiter != UInt8(ascii: ",") {
            let d = f.delimiter == 0x09 ? "tab" : quoted(String(UnicodeScalar(f.delimiter)))
            line("    delimiter: \(d)          # counted in the header line")
        }
        if f.encoding == .windows1252 {
            line("    encoding: windows-1252   # not valid UTF-8: Excel's plain \"CSV (Comma delimited)\"")
        }
        if let formats = f.dateFormats {
            let text = formats.count == 1 ? formats[0].rawValue : "[" + formats.map(\.rawValue).joined(separator: ", ") + "]"
            line("    date_format: \(text)" + (formats.count == 1 ? "          # DD/MM/YYYY dates" : "   # both DD/MM/YYYY and YYYY-MM-DD dates"))
        }
        if f.trim || f.dropExcelDecimal {
            var parts: [String] = []
            if f.trim { parts.append("trim: true") }
            if f.dropExcelDecimal { parts.append("drop_excel_decimal: true") }
            var why: [String] = []
            if f.trim { why.append("ids with spaces around them") }
            if f.dropExcelDecimal { why.append("ids with Excel's trailing .0") }
            line("    ids: {\(parts.joined(separator: ", "))}   # sampled \(why.joined(separator: " and "))")
        }
        // A key followed by comments only would be null, which the reader refuses: an empty mapping instead.
        line(f.choices.isEmpty ? "    columns: {}" : "    columns:")
        for c in f.choices {
            if c.isUnsure {
                let alts = c.alternatives.isEmpty ? "no other header came close" : "or " + c.alternatives.prefix(3).map { "`\(comment($0))`" }.joined(separator: ", ")
                line("      # unsure: `\(c.canonical)` matched at \(percent(c.score)); \(alts)")
            }
            line("      \(key(c.header)): \(c.canonical)")
        }
        let candidates = f.unmapped.isEmpty ? "" : " (not mapped: " + f.unmapped.prefix(4).map { "`\(comment($0))`" }.joined(separator: ", ") + ")"
        for name in f.missingRequired {
            line("      # TODO: no column found for the required `\(name)`; map the export's column to it\(candidates), or the run stops")
        }
        if !f.unmapped.isEmpty {
            line("      # not mapped (the run ignores them): " + f.unmapped.map { "`\(comment($0))`" }.joined(separator: ", "))
        }
        for v in f.vocabularies where v.entries.isEmpty && v.unmatched > 0 {
            line("    # unsure: \(v.unmatched) sampled words of `\(v.column)` match no canonical word (not shown); map them under vocabulary.\(v.column)")
        }
        let vocabularies = f.vocabularies.filter { !$0.entries.isEmpty }
        if !vocabularies.isEmpty {
            line("    vocabulary:")
            for v in vocabularies {
                line("      \(v.column):")
                if v.unmatched > 0 {
                    line("        # unsure: \(v.unmatched) more sampled words match no canonical word (not shown); add them here")
                }
                for e in v.entries { line("        \(key(e.word)): \(e.canonical)") }
            }
        }
        if !f.unpivot.isEmpty {
            line("    unpivot:   # a wide file: one column of 0-10 scores per scale or rater, each read as rows of its own (an empty cell gives none)")
            line("      columns:")
            for u in f.unpivot {
                line("        \(key(u.header)): {" + u.constants.map { "\($0.column): \($0.value)" }.joined(separator: ", ") + "}")
            }
            line("      value: score")
        }
        if !f.missingScoreWords.isEmpty {
            line("    # The score column's sampled words (not numbers), read as reasons a score was not given: category labels,")
            line("    # like vocabulary words. Their rows are counted as not_scored, not quarantined; delete any that is no reason.")
            line("    missing_values: {score: [" + f.missingScoreWords.map(quoted).joined(separator: ", ") + "]}")
        }
        if f.otherNonNumericScores > 0 {
            line("    # unsure: \(f.otherNonNumericScores) sampled values of the score column are neither numbers nor short labels (not shown); the run quarantines their rows")
        }
        if !f.dropped.isEmpty {
            line("    drop:")
            for d in f.dropped {
                let why = d.byValues ? "its sampled values look like \(d.kind.phrase)" : "its header names \(d.kind.phrase)"
                line("      - \(quoted(d.header))   # \(why): the identifier guard stops the run unless it is dropped")
            }
        }
        for note in f.notes { line("    # \(comment(note))") }
    }

    static func missing(_ file: InputFile, in s: MappingSuggestion, into out: inout [String]) {
        switch file {
        case .interventions:
            out.append("  interventions: none   # no file in the export looks like interventions: a scores-only run (responses are not read either)")
        case .responses:
            if s.file(.interventions) != nil {
                out.append("  responses: none   # no file in the export looks like responses: a run without them (I6, I9, I10 are x)")
            }
        case .scalingScores:
            out.append("  # TODO: scaling_scores: no file in the export looks like scaling scores; the run needs one.")
        case .episodes, .children:
            out.append("  # \(file.rawValue) (optional): no file in the export looks like it.")
        }
    }

    static func percent(_ x: Double) -> String { "\(Int((min(max(x, 0), 1) * 100).rounded()))%" }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// Text fit for a comment: control characters made spaces.
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) ? " " : $0 })
    }

    static let plain: Set<Character> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _/")
    static let reserved: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"]

    /// A YAML mapping key: plain when it is letters, digits, spaces, `_` and
    /// `/` starting with a letter and is no YAML word, else double-quoted.
    static func key(_ text: String) -> String {
        if let first = text.first, first.isLetter, text.last != " ", text.allSatisfy(plain.contains),
           !reserved.contains(text.lowercased()) {
            return text
        }
        return quoted(text)
    }

    /// A single-quoted YAML scalar (backslashes kept as written: a regular expression).
    static func singleQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A double-quoted YAML scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
