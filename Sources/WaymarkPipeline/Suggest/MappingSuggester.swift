import Foundation
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// `waymark mapping suggest EXPORT_FOLDER` (issue #13 item 7): reads each
/// CSV file's header and a sample of its values and drafts a pipeline file
/// that maps the columns it can match, by header similarity and value shape
/// (dates, 0-10 scores, rater words). It comments wherever it is unsure, and
/// never writes a data value: only headers, canonical names and counts.
public enum MappingSuggester {
    /// Rows sampled per file.
    static let sampleRows = 200

    /// What the sample of one column looks like.
    struct Shape {
        var filled = 0
        var isoDates = 0
        var ukDates = 0
        var scores = 0          // numbers from 0 to 10
        var raterWords = 0      // canonical rater codes or common words for them
        var canonicalRaters = 0
    }

    /// Other names exports use for canonical columns (compared normalised: lower case, letters and digits only).
    static let synonyms: [String: [String]] = [
        "score_id": ["scoreref", "recordid", "scoreid", "assessmentid"],
        "case_id": ["caseref", "casenumber", "caseid", "familyid", "familyref", "case"],
        "child_id": ["childref", "childnumber", "childid", "personid", "child", "youngpersonid"],
        "team": ["teamname", "team", "unit"],
        "worker_id": ["workerref", "workernumber", "workerid", "practitionerid", "worker"],
        "recorded_on": ["daterecorded", "dateofscaling", "scoredate", "date", "recordedon", "assessmentdate"],
        "scale": ["scale", "question", "scalingquestion", "measure"],
        "score": ["score", "scalingscore", "value", "rating"],
        "rated_by": ["scoredby", "completedby", "rater", "ratedby", "respondent"],
        "setting": ["meetingtype", "meeting", "setting"],
    ]

    /// Common words for raters, compared normalised.
    static let raterWords: Set<String> = ["socialworker", "worker", "practitioner", "parent", "parentcarer", "carer", "child",
                                          "childyoungperson", "youngperson", "network", "familynetwork", "partneragency",
                                          "group", "groupmeeting", "unitmeeting"]

    static func normalise(_ s: String) -> String { String(s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init)) }

    /// The draft pipeline file for the CSV files in `folder`.
    public static func draft(folder: String) throws -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        var out = "# Draft pipeline file written by `waymark mapping suggest` from the headers and a sample of\n"
        out += "# the values of each CSV file (no value is copied here). Check every line marked CHECK,\n"
        out += "# then run `waymark validate` on this file. Keys: docs/pipeline-files.md.\n"
        let absolute = folder.hasPrefix("/") ? folder : joinPath(FileManager.default.currentDirectoryPath, folder)
        out += "name: \(yamlName(lastPathComponent(folder)))\n\ninputs:\n  folder: \(quoted(absolute))\n"
        var assigned: [InputFile: String] = [:]
        var notes: [String] = []
        var scoresFile: (name: String, header: [String], mapping: [Int: String], shapes: [Shape])?
        // Files with the same header are one input read from several files (yearly returns).
        var groups: [(names: [String], header: [String], shapes: [Shape], delimiter: String, encoding: TextEncoding)] = []
        for name in names {
            let (header, shapes, delimiter, encoding) = try sample(joinPath(folder, name))
            if let k = groups.firstIndex(where: { $0.header == header && $0.delimiter == delimiter }) {
                groups[k].names.append(name)
            } else {
                groups.append(([name], header, shapes, delimiter, encoding))
            }
        }
        for group in groups {
            let (header, shapes, delimiter) = (group.header, group.shapes, group.delimiter)
            let name = group.names.count == 1 ? group.names[0] : globOf(group.names)
            // Which canonical file: the one whose columns the most headers match.
            var best: (InputFile, [Int: String])?
            for file in InputFile.allCases {
                let m = match(header, shapes, file: file)
                let required = file.columns.filter(\.required).map(\.name)
                let covered = required.filter { m.values.contains($0) }.count
                if covered * 2 >= required.count, m.count > (best?.1.count ?? 0), assigned[file] == nil { best = (file, m) }
            }
            guard let (file, mapping) = best else {
                notes.append("# CHECK: \(name) matched no canonical file; map it by hand or leave it out.")
                continue
            }
            assigned[file] = name
            let dmy = shapes.contains(where: { $0.ukDates > 0 && $0.ukDates >= $0.isoDates })
            if file == .scalingScores { scoresFile = (name, header, mapping, shapes) }
            out += "  \(file.rawValue):\n    path: \(quoted(name))\n"
            if delimiter != "," { out += "    delimiter: \(quoted(delimiter == "\t" ? "tab" : delimiter))\n" }
            if group.encoding == .windows1252 { out += "    encoding: windows-1252      # not UTF-8: Excel's plain CSV on Windows\n" }
            if dmy { out += "    date_format: dmy            # dates look like DD/MM/YYYY\n" }
            if group.names.count > 1, group.names.allSatisfy({ $0.range(of: #"(19|20)\d\d"#, options: .regularExpression) != nil }) {
                out += "    # CHECK: \(group.names.count) files with one header; if each is a year, its year can date the rows:\n"
                out += "    # from_file_name: {pattern: '<name with (?<year>\\d{4}) for the year>', recorded_on: year}\n"
            }
            // The reader matches a header to its canonical name lower-cased and trimmed: map every other spelling.
            let renamed = mapping.sorted { $0.key < $1.key }.filter { header[$0.key].trimmingCharacters(in: " \t").lowercased() != $0.value }
            if !renamed.isEmpty {
                out += "    columns:\n"
                for (i, canonical) in renamed { out += "      \(quoted(header[i])): \(canonical)\n" }
            }
            for (i, h) in header.enumerated() where IdentifierGuard.check(header: h) != nil {
                out += "    # CHECK: column \(i + 1) names a direct identifier: add its header to `drop: [...]` here.\n"
            }
            let unmatched = header.indices.filter { mapping[$0] == nil && IdentifierGuard.check(header: header[$0]) == nil }
            if !unmatched.isEmpty {
                out += "    # CHECK: columns not matched (ignored unless mapped): \(unmatched.map { quotedInline(header[$0]) }.joined(separator: ", "))\n"
            }
            // Wide: several unmatched columns of 0-10 numbers whose headers name raters.
            let wide = unmatched.filter { i in
                shapes[i].scores * 2 >= shapes[i].filled
                    && raterWords.contains { normalise(header[i]).hasPrefix($0) || normalise(header[i]).hasSuffix($0) }
            }
            if file == .scalingScores && wide.count >= 2 && !mapping.values.contains("score") {
                out += "    # CHECK: one score column per rater? Then unpivot them (give each its rater):\n"
                out += "    # unpivot:\n    #   columns:\n"
                for i in wide { out += "    #     \(quoted(header[i])): {rated_by: ...}\n" }
                out += "    #   value: score\n"
            }
            for spec in file.columns where spec.required && !mapping.values.contains(spec.name) {
                out += "    # CHECK: no column for required `\(spec.name)`: map one, or give it with `constants:` / `from_file_name:` / `dates_from_index:`.\n"
            }
            if let s = mapping.first(where: { $0.value == "rated_by" }).map({ shapes[$0.key] }), s.raterWords > s.canonicalRaters {
                out += "    # CHECK: `rated_by` holds words, not codes: add `vocabulary: {rated_by: {...}}` (e.g. `Parent/Carer: parent`).\n"
            }
        }
        if assigned[.scalingScores] == nil { notes.append("# CHECK: no file looks like scaling_scores; give `scaling_scores: path/to/file.csv`.") }
        if assigned[.interventions] == nil { out += "  interventions: none        # CHECK: no services file found: a scores-only run\n" }
        out += "\nscales:                       # CHECK: declare every scale the export uses, with its range and direction\n"
        out += "  safety: {min: 0, max: 10, direction: higher_is_better}\n"
        if let s = scoresFile, !s.mapping.values.contains("scale") {
            out += "# CHECK: \(s.name) has no scale column: add `constants: {scale: safety}` under scaling_scores.\n"
        }
        return out + (notes.isEmpty ? "" : "\n" + notes.joined(separator: "\n") + "\n")
    }

    /// Canonical column of `file` for each source column it can match.
    static func match(_ header: [String], _ shapes: [Shape], file: InputFile) -> [Int: String] {
        var out: [Int: String] = [:]
        for spec in file.columns {
            let names = [normalise(spec.name)] + (file == .scalingScores ? synonyms[spec.name] ?? [] : [])
            var best: (Int, Int)?
            for (i, h) in header.enumerated() where out[i] == nil {
                let n = normalise(h)
                var d = names.map { NearestName.distance(n, $0) }.min() ?? 99
                if d > max(1, n.count / 4) { continue }
                // Value shapes confirm or rule out a match.
                let s = shapes[i]
                switch spec.kind {
                case .date: if s.filled > 0 && s.isoDates + s.ukDates < s.filled / 2 { continue }
                case .decimal: if spec.name == "score" && s.filled > 0 && s.scores < s.filled / 2 { continue }
                case .enumeration where spec.name == "rated_by": if s.filled > 0 && s.raterWords < s.filled / 2 { continue } else { d -= 1 }
                default: break
                }
                if best == nil || d < best!.1 { best = (i, d) }
            }
            if let (i, _) = best { out[i] = spec.name }
        }
        return out
    }

    /// The header, per-column shapes of a sample of rows, and the delimiter.
    static func sample(_ path: String) throws -> ([String], [Shape], String, TextEncoding) {
        do {
            let (h, s, d) = try sample(path, encoding: .utf8)
            return (h, s, d, .utf8)
        } catch {
            // Not UTF-8: Excel's plain CSV on Windows is Windows-1252.
            let (h, s, d) = try sample(path, encoding: .windows1252)
            return (h, s, d, .windows1252)
        }
    }

    static func sample(_ path: String, encoding: TextEncoding) throws -> ([String], [Shape], String) {
        let head = (FileHandle(forReadingAtPath: path).map { h in defer { try? h.close() }; return (try? h.read(upToCount: 4096)) ?? Data() }) ?? Data()
        let firstLine = Array(head).prefix { $0 != 0x0A }
        let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
        let delimiter = candidates.max { a, b in firstLine.filter { $0 == a }.count < firstLine.filter { $0 == b }.count } ?? 0x2C
        var header: [String] = []
        var shapes: [Shape] = []
        var rows = 0
        struct Enough: Error {}
        do {
            try CSVReader(path: path, dialect: CSVDialect(delimiter: delimiter, encoding: encoding)).read { r in
                if header.isEmpty { header = r.strings; shapes = Array(repeating: Shape(), count: header.count); return }
                rows += 1
                if rows > sampleRows { throw Enough() }
                for (i, v) in r.strings.enumerated() where i < shapes.count {
                    let t = v.trimmingCharacters(in: .whitespaces)
                    guard !t.isEmpty else { continue }
                    shapes[i].filled += 1
                    let datePart = String(t.prefix(10))
                    if Day(iso: datePart) != nil { shapes[i].isoDates += 1 }
                    if datePart.count == 10, datePart.contains("/"), Day(iso: CanonicalRows.isoFromUK(datePart)) != nil { shapes[i].ukDates += 1 }
                    if let x = Double(t), x >= 0, x <= 10 { shapes[i].scores += 1 }
                    let n = normalise(t)
                    if raterWords.contains(n) { shapes[i].raterWords += 1 }
                    if Rater(rawValue: t) != nil { shapes[i].canonicalRaters += 1 }
                }
            }
        } catch is Enough {}
        return (header, shapes, String(decoding: [delimiter], as: UTF8.self))
    }

    /// A glob for several file names: their common start and end around `*`.
    static func globOf(_ names: [String]) -> String {
        var prefix = names[0], suffix = names[0]
        for n in names.dropFirst() {
            while !n.hasPrefix(prefix) { prefix.removeLast() }
            while !n.hasSuffix(suffix) { suffix.removeFirst() }
        }
        if prefix.count + suffix.count > names.map(\.count).min()! { suffix = String(suffix.dropFirst(prefix.count + suffix.count - names.map(\.count).min()!)) }
        return prefix + "*" + suffix
    }

    static func yamlName(_ s: String) -> String {
        let n = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(n).trimmingCharacters(in: CharacterSet(charactersIn: "-")).isEmpty ? "export" : String(n)
    }

    /// A YAML scalar, quoted.
    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
    static func quotedInline(_ s: String) -> String { "`" + s + "`" }
}
