import Foundation
import WaymarkCSV
import Yams
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// A problem in a pipeline file: names the file, the line and the key.
public struct PipelineFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var key: String
    public var message: String
    public var description: String { "\(path):\(line): `\(key)`: \(message)" }
}

/// Loads a pipeline file (YAML) into a ``PipelineConfig``, refusing unknown
/// keys, wrong types, missing inputs and scales without a range, each with the
/// file, line and key. The keys are documented in `docs/pipeline-files.md`.
public enum PipelineFile {
    public static func load(path: String) throws -> PipelineConfig {
        guard let data = readWhole(path) else {
            throw PipelineFileError(path: path, line: 1, key: "(file)", message: "cannot read the pipeline file; check the path")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw PipelineFileError(path: path, line: 1, key: "(file)", message: "the pipeline file is not UTF-8 text")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineFileError(path: path, line: yamlLine(error), key: "(syntax)", message: "not valid YAML: \(yamlProblem(error))")
        }
        guard let root = node, case .mapping = root else {
            throw PipelineFileError(path: path, line: 1, key: "(file)", message: "expected a mapping of keys such as `name:`, `inputs:` and `scales:`")
        }
        var reader = NodeReader(path: path)
        var config = try reader.config(root, folder: parentFolder(path))
        config.sourcePath = path
        config.sourceHash = SHA256Digest.hex(data)
        return config
    }

    /// The file's bytes, read with plain system calls (Foundation's
    /// `contents(atPath:)` leaks its buffer for an empty file, which the
    /// fuzzer's leak check caught).
    static func readWhole(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return nil }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) == S_IFDIR { return nil }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    static func yamlLine(_ e: YamlError) -> Int {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 1
        }
    }

    static func yamlProblem(_ e: YamlError) -> String {
        switch e {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(e)"
        }
    }
}

/// Walks the YAML tree with the path of keys, so every error can name them.
struct NodeReader {
    let path: String
    /// The declared scales, for checking constants (`scales:` is read before `inputs:`).
    var scaleNames: [String] = []

    func fail(_ node: Node?, _ key: String, _ message: String) -> PipelineFileError {
        PipelineFileError(path: path, line: node?.mark?.line ?? 1, key: key, message: message)
    }

    func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [(String, Node, Node)] {
        guard case .mapping(let m) = node else { throw fail(node, key, "expected a mapping (`key: value` lines)") }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let name = k.string else { throw fail(k, key, "keys must be text") }
            if !allowed.isEmpty && !allowed.contains(name) {
                throw fail(k, key.isEmpty ? name : "\(key).\(name)", "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
            out.append((name, k, v))
        }
        return out
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, key, "expected a text value") }
        return s.string
    }

    func number(_ node: Node, _ key: String) throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string), v.isFinite else { throw fail(node, key, "expected a number") }
        return v
    }

    func integer(_ node: Node, _ key: String, min: Int = 0) throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else { throw fail(node, key, "expected a whole number") }
        guard v >= min else { throw fail(node, key, "must be at least \(min)") }
        return v
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard case .scalar(let s) = node else { throw fail(node, key, "expected true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, key, "expected true or false")
        }
    }

    /// `stages:` a list that starts with `ingest` and follows the fixed order
    /// without gaps, since each stage consumes the one before it.
    func stages(_ node: Node) throws -> [PipelineStage] {
        guard case .sequence(let seq) = node else { throw fail(node, "stages", "expected a list, e.g. [ingest, trajectories, indicators, disclosure, report]") }
        var out: [PipelineStage] = []
        for item in seq {
            let name = try string(item, "stages")
            guard let stage = PipelineStage(rawValue: name) else {
                throw fail(item, "stages", "unknown stage `\(name)`; expected one of: \(PipelineStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let expected = PipelineStage.allCases[out.count]
            guard stage == expected else {
                throw fail(item, "stages", "`\(name)` cannot run here: the stages run in the order \(PipelineStage.allCases.map(\.rawValue).joined(separator: " -> ")), each needing the one before it, so `\(expected.rawValue)` comes next")
            }
            out.append(stage)
        }
        guard !out.isEmpty else { throw fail(node, "stages", "list at least `ingest`") }
        return out
    }

    /// `evaluation:` the cohorts and parameters of M12.
    func evaluation(_ node: Node) throws -> EvaluationSpec {
        var spec = EvaluationSpec()
        for (k, _, v) in try mapping(node, "evaluation", allowed: ["scale", "rater", "follow_up_days", "bootstrap", "seed",
                                                                  "programme", "comparison"]) {
            let here = "evaluation.\(k)"
            switch k {
            case "scale": spec.scale = try string(v, here)
            case "rater":
                guard let r = Rater(rawValue: try string(v, here)) else {
                    throw fail(v, here, "expected one of: \(Rater.allNames.joined(separator: ", "))")
                }
                spec.rater = r
            case "follow_up_days": spec.followUpDays = try integer(v, here, min: 1)
            case "bootstrap": spec.bootstrap = try integer(v, here, min: 100)
            case "seed": spec.seed = UInt64(try integer(v, here))
            case "programme": spec.programme = try cohort(v, here, defaultName: "programme", comparison: false)
            default: spec.comparison = try cohort(v, here, defaultName: "comparison", comparison: true)
            }
        }
        guard spec.programme != CohortFilter(name: "programme") else {
            throw fail(node, "evaluation.programme", "say which series form the programme cohort (e.g. `offered: {type: family_group_conference}`)")
        }
        return spec
    }

    func cohort(_ node: Node, _ key: String, defaultName: String, comparison: Bool) throws -> CohortFilter {
        var c = CohortFilter(name: defaultName)
        var allowed = ["name", "offered", "entered", "teams", "age_bands", "sex", "ethnicity_groups", "disability", "level", "series"]
        if comparison { allowed.append("everyone_else") }
        func list(_ v: Node, _ here: String) throws -> [String] {
            if case .sequence(let items) = v { return try items.map { try string($0, here) } }
            return [try string(v, here)]
        }
        func window(_ v: Node, _ here: String, offered: Bool) throws {
            for (wk, _, wv) in try mapping(v, here, allowed: offered ? ["type", "approach", "from", "to"] : ["from", "to"]) {
                switch wk {
                case "type": c.offeredType = try string(wv, "\(here).type")
                case "approach":
                    guard let a = Approach(rawValue: try string(wv, "\(here).approach")) else {
                        throw fail(wv, "\(here).approach", "expected one of: \(Approach.allNames.joined(separator: ", "))")
                    }
                    c.offeredApproach = a
                case "from": c.from = try day(wv, "\(here).from")
                default: c.to = try day(wv, "\(here).to")
                }
            }
        }
        for (k, _, v) in try mapping(node, key, allowed: allowed) {
            let here = "\(key).\(k)"
            switch k {
            case "name":
                c.name = try string(v, here)
                guard !c.name.isEmpty else { throw fail(v, here, "give the cohort a name") }
            case "offered":
                try window(v, here, offered: true)
                guard c.usesOffer else { throw fail(v, here, "say the `type:` or `approach:` offered") }
            case "entered": try window(v, here, offered: false)
            case "teams": c.teams = try list(v, here)
            case "age_bands": c.ageBands = try list(v, here)
            case "sex": c.sexes = try list(v, here)
            case "ethnicity_groups": c.ethnicityGroups = try list(v, here)
            case "disability": c.disability = try list(v, here)
            case "level":
                let l = try string(v, here)
                guard l == "family" || l == "child" else { throw fail(v, here, "expected `family` or `child`") }
                c.level = l
            case "series":
                for (field, _, fv) in try mapping(v, here, allowed: SeriesField.allCases.map(\.rawValue)) {
                    let f = SeriesField(rawValue: field)!
                    let fhere = "\(here).\(field)"
                    if f.isText {
                        c.series.append(.text(field: f, values: try list(fv, fhere)))
                        continue
                    }
                    var lo: Double?, hi: Double?
                    for (bound, _, bv) in try mapping(fv, fhere, allowed: ["min", "max"]) {
                        let value = f.isDay ? Double(try day(bv, "\(fhere).\(bound)").number) : try number(bv, "\(fhere).\(bound)")
                        if bound == "min" { lo = value } else { hi = value }
                    }
                    c.series.append(.range(field: f, min: lo, max: hi))
                }
            default: c.everyoneElse = try bool(v, here)
            }
        }
        if comparison && c.everyoneElse && c != { var e = CohortFilter(name: c.name); e.everyoneElse = true; return e }() {
            throw fail(node, "\(key).everyone_else", "`everyone_else: true` takes no other conditions")
        }
        return c
    }

    func day(_ node: Node, _ key: String) throws -> Day {
        guard let d = Day(iso: try string(node, key)) else { throw fail(node, key, "expected a date as YYYY-MM-DD") }
        return d
    }

    mutating func config(_ root: Node, folder: String) throws -> PipelineConfig {
        let top = try mapping(root, "", allowed: ["name", "description", "inputs", "mapping", "run", "scales", "headline",
                                                  "parameters", "disclosure", "approaches", "limits", "outputs", "stages",
                                                  "evaluation", "quality", "identifier_guard", "milestones"])
        guard let nameNode = top.first(where: { $0.0 == "name" }) else { throw fail(root, "name", "every pipeline needs a `name:`") }
        var config = PipelineConfig(name: try string(nameNode.2, "name"))
        if config.name.isEmpty || config.name.contains("/") || config.name.hasPrefix(".") {
            throw fail(nameNode.2, "name", "use a plain name (letters, digits, - and _); it names the output folder")
        }
        var defaults = FileMapping(path: "")
        var inputsNode: Node?
        var scalesNode: Node?
        for (key, _, value) in top {
            switch key {
            case "name": break
            case "description": config.description = try string(value, "description")
            case "stages": config.stages = try stages(value)
            case "evaluation": config.evaluation = try evaluation(value)
            case "inputs": inputsNode = value
            case "mapping": defaults = try fileMapping(value, "mapping", base: defaults, allowPath: false)
            case "run":
                // `run:` with its lines deleted (as the shipped files' comments suggest) is empty, not an error.
                if case .scalar(let s) = value, s.string.isEmpty || s.string == "~" || s.string == "null" { break }
                for (k, _, v) in try mapping(value, "run", allowed: ["as_of", "extracted_on"]) {
                    if k == "as_of" { config.asOf = try day(v, "run.as_of") } else { config.extractedOn = try day(v, "run.extracted_on") }
                }
            case "scales":
                config.scales = try scales(value)
                scalesNode = value
            case "headline":
                for (k, _, v) in try mapping(value, "headline", allowed: ["scale", "rater"]) {
                    if k == "scale" { config.headlineScale = try string(v, "headline.scale") } else {
                        guard let r = Rater(rawValue: try string(v, "headline.rater")) else {
                            throw fail(v, "headline.rater", "expected one of: \(Rater.allNames.joined(separator: ", "))")
                        }
                        config.headlineRater = r
                    }
                }
            case "parameters":
                for (k, _, v) in try mapping(value, "parameters", allowed: ["window_days", "trend_months", "offer_lapse_days", "after_days"]) {
                    let n = try integer(v, "parameters.\(k)", min: 1)
                    switch k {
                    case "window_days": config.windowDays = n
                    case "trend_months": config.trendMonths = n
                    case "offer_lapse_days": config.offerLapseDays = n
                    default: config.afterDays = n
                    }
                }
            case "disclosure":
                for (k, _, v) in try mapping(value, "disclosure", allowed: ["small_count", "min_denominator"]) {
                    if k == "small_count" {
                        guard case .scalar(let t) = v, let n = Int(t.string), n >= 1 else {
                            throw fail(v, "disclosure.small_count", "must be a whole number of at least 1: figures resting on 1 to small_count families are hidden, so 0 would hide nothing (the default is 5)")
                        }
                        config.smallCount = n
                    } else {
                        guard case .scalar(let t) = v, let n = Int(t.string), n >= 2 else {
                            throw fail(v, "disclosure.min_denominator", "must be a whole number of at least 2: a rate or mean over fewer families is hidden, and one family's figure is that family's (the default is 10)")
                        }
                        config.minDenominator = n
                    }
                }
            case "identifier_guard":
                for (_, _, v) in try mapping(value, "identifier_guard", allowed: ["allow"]) {
                    guard case .sequence(let items) = v else {
                        throw fail(v, "identifier_guard.allow", "expected a list, e.g. [{file: scaling_scores, column: case_id, pattern: nhs_number}]")
                    }
                    for item in items {
                        var file: InputFile?, column: String?, pattern: IdentifierKind?, columnLine = 0
                        for (k, keyNode, w) in try mapping(item, "identifier_guard.allow", allowed: ["file", "column", "pattern"]) {
                            let text = try string(w, "identifier_guard.allow.\(k)")
                            switch k {
                            case "file":
                                guard let f = InputFile(rawValue: text.replacingOccurrences(of: ".csv", with: "")) else {
                                    throw fail(w, "identifier_guard.allow.file", "expected one of: \(InputFile.allCases.map(\.rawValue).joined(separator: ", "))")
                                }
                                file = f
                            case "column": column = text; columnLine = keyNode.mark?.line ?? 0
                            default:
                                guard let p = IdentifierKind(rawValue: text) else {
                                    throw fail(w, "identifier_guard.allow.pattern", "expected one of: \(IdentifierKind.allCases.map(\.rawValue).joined(separator: ", "))")
                                }
                                pattern = p
                            }
                        }
                        guard let file, let column, let pattern else {
                            throw fail(item, "identifier_guard.allow", "each waiver needs `file`, `column` and `pattern` (one pattern in one column: waivers are never global)")
                        }
                        config.identifierWaivers.append(IdentifierWaiver(file: file, column: column, pattern: pattern, line: columnLine))
                    }
                }
            case "quality":
                for (_, _, v) in try mapping(value, "quality", allowed: ["max_quarantined_share"]) {
                    let share = try number(v, "quality.max_quarantined_share")
                    guard share >= 0 && share <= 1 else { throw fail(v, "quality.max_quarantined_share", "expected a share from 0 to 1 (1 publishes whatever was quarantined)") }
                    config.maxQuarantinedShare = share
                }
            case "approaches":
                for (k, _, v) in try mapping(value, "approaches", allowed: []) {
                    guard let a = Approach(rawValue: try string(v, "approaches.\(k)")) else {
                        throw fail(v, "approaches.\(k)", "expected one of: \(Approach.allNames.joined(separator: ", "))")
                    }
                    config.approaches[k] = a
                }
            case "limits":
                for (k, _, v) in try mapping(value, "limits", allowed: ["max_field_bytes", "max_columns"]) {
                    if k == "max_field_bytes" { config.limits.maxFieldBytes = try integer(v, "limits.max_field_bytes", min: 1) } else {
                        config.limits.maxColumns = try integer(v, "limits.max_columns", min: 1)
                    }
                }
            case "milestones":
                guard case .sequence(let items) = value else {
                    throw fail(value, "milestones", "expected a list, e.g. [{date: 2025-04-01, label: \"Signs of Safety training complete\"}]")
                }
                for item in items {
                    var date: Day?, label: String?
                    for (k, _, v) in try mapping(item, "milestones", allowed: ["date", "label"]) {
                        if k == "date" {
                            guard let d = Day(iso: try string(v, "milestones.date")) else { throw fail(v, "milestones.date", "expected a date, YYYY-MM-DD") }
                            date = d
                        } else {
                            label = try string(v, "milestones.label")
                        }
                    }
                    guard let date, let label, !label.isEmpty else { throw fail(item, "milestones", "each milestone needs a `date` and a `label`") }
                    config.milestones.append(Milestone(date: date, label: label))
                }
            case "outputs":
                for (k, _, v) in try mapping(value, "outputs", allowed: ["root", "restricted_root", "record_level", "history"]) {
                    switch k {
                    case "root": config.outputRoot = joinPath(folder, try string(v, "outputs.root"))
                    case "history": config.historyPath = joinPath(folder, try string(v, "outputs.history"))
                    case "restricted_root": config.restrictedRoot = joinPath(folder, try string(v, "outputs.restricted_root"))
                    default: config.recordLevel = try bool(v, "outputs.record_level")
                    }
                }
                if config.restrictedRoot == config.outputRoot {
                    throw fail(value, "outputs.restricted_root", "must differ from outputs.root: the report folder is shared, so record-level files cannot go in it")
                }
            default: break
            }
        }
        guard !config.scales.isEmpty else {
            throw fail(scalesNode ?? root, "scales", "declare at least one scale with its min, max and direction")
        }
        guard let inputsNode else { throw fail(root, "inputs", "say where the input files are (`inputs: {folder: ...}`)") }
        scaleNames = config.scales.map(\.name)
        try inputs(inputsNode, folder: folder, defaults: defaults, into: &config)
        if let h = config.headlineScale, config.scale(named: h) == nil {
            throw fail(root, "headline.scale", "`\(h)` is not one of the declared scales")
        }
        if config.headlineScale == nil { config.headlineScale = config.scales.first?.name }
        if let s = config.evaluation?.scale, config.scale(named: s) == nil {
            throw fail(root, "evaluation.scale", "`\(s)` is not one of the declared scales")
        }
        if let a = config.asOf, let e = config.extractedOn, e < a {
            throw fail(root, "run.as_of", "as_of (\(a)) is after extracted_on (\(e))")
        }
        return config
    }

    func inputs(_ node: Node, folder: String, defaults: FileMapping, into config: inout PipelineConfig) throws {
        let allowed = ["folder"] + InputFile.allCases.map(\.rawValue)
        var inputFolder: String?
        var perFile: [(InputFile, Node)] = []
        for (k, _, v) in try mapping(node, "inputs", allowed: allowed) {
            if k == "folder" { inputFolder = joinPath(folder, try string(v, "inputs.folder")) }
            else if let f = InputFile(rawValue: k) { perFile.append((f, v)) }
        }
        // `interventions: none` (a scores-only run) takes responses with it:
        // a response is about an intervention.
        let interventionsNone = perFile.contains { $0.0 == .interventions && Self.isNone($0.1) }
        for file in InputFile.allCases {
            var m = defaults
            if let (_, v) = perFile.first(where: { $0.0 == file }) {
                if Self.isNone(v) {
                    guard file != .scalingScores else {
                        throw fail(v, "inputs.scaling_scores", "the scores are what Waymark reads; they cannot be `none`")
                    }
                    config.inputsNotGiven.insert(file)
                    continue
                }
                if file == .responses && interventionsNone {
                    throw fail(v, "inputs.responses", "responses are about interventions, and `interventions: none` says there are none; say `responses: none` too, or give the interventions")
                }
                if case .scalar(let s) = v {
                    m.path = joinPath(inputFolder ?? folder, s.string)
                } else {
                    m = try fileMapping(v, "inputs.\(file.rawValue)", base: defaults, allowPath: true)
                    m.path = m.path.isEmpty ? joinPath(inputFolder ?? folder, file.fileName) : joinPath(inputFolder ?? folder, m.path)
                    m.parts = try parts(v, "inputs.\(file.rawValue)", input: m, folder: inputFolder ?? folder)
                    if let first = m.parts.first { m.path = first.path }
                    if m.parts.count == 1 { m = m.parts[0] }
                }
                config.inputs[file] = m
            } else if file == .responses && interventionsNone {
                config.inputsNotGiven.insert(file)
            } else if let inputFolder {
                let p = joinPath(inputFolder, file.fileName)
                if file.isRequired || FileManager.default.fileExists(atPath: p) {
                    m.path = p
                    config.inputs[file] = m
                }
            } else if file.isRequired {
                let none = file == .scalingScores ? "" : " (or `\(file.rawValue): none` for a run without it)"
                throw fail(node, "inputs.\(file.rawValue)", "required input not given; add `folder:` or `\(file.rawValue): path/to/\(file.fileName)`\(none)")
            }
        }
    }

    /// `none` (or YAML's null spellings, `~` and `null`) as an input's value.
    static func isNone(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["none", "null", "~"].contains(s.string.lowercased())
    }

    func fileMapping(_ node: Node, _ key: String, base: FileMapping, allowPath: Bool) throws -> FileMapping {
        var m = base
        var allowed = ["delimiter", "encoding", "date_format", "ids", "vocabulary", "columns", "drop", "missing_values"]
        let shared = !allowPath
        if allowPath { allowed += ["path", "files", "constants", "from_file_name", "dates_from_index", "unpivot"] }
        let file = InputFile(rawValue: String(key.dropFirst("inputs.".count)))
        for (k, _, v) in try mapping(node, key, allowed: allowed) {
            let here = "\(key).\(k)"
            switch k {
            case "path":
                // A list of paths is read by ``parts``.
                if case .sequence = v { break }
                m.path = try string(v, here)
            case "files":
                guard allowPath, case .sequence = v else { throw fail(v, here, "expected a list of paths, globs or `{path: ..., constants: ...}` entries") }
            case "delimiter":
                let d = try string(v, here)
                let byte: UInt8? = d == "\\t" || d == "\t" || d == "tab" ? 0x09 : (d.utf8.count == 1 ? d.utf8.first : nil)
                guard let byte, byte != 0x22, byte != 0x0A, byte != 0x0D else { throw fail(v, here, "expected one character such as `,`, `;`, `|` or `tab`") }
                m.dialect.delimiter = byte
            case "encoding":
                let e = try string(v, here).lowercased()
                guard let enc = TextEncoding(rawValue: e == "utf8" ? "utf-8" : (e == "cp1252" ? "windows-1252" : e)) else {
                    throw fail(v, here, "expected utf-8 or windows-1252")
                }
                m.dialect.encoding = enc
            case "date_format":
                let values: [Node] = { if case .sequence(let s) = v { return Array(s) } else { return [v] } }()
                m.dateFormats = try values.map { n in
                    let t = try string(n, here).uppercased()
                    switch t {
                    case "ISO", "YYYY-MM-DD": return .iso
                    case "DMY", "DD/MM/YYYY", "D/M/YYYY": return .dmy
                    default: throw fail(n, here, "expected YYYY-MM-DD (iso) or DD/MM/YYYY (dmy)")
                    }
                }
            case "ids":
                for (ik, _, iv) in try mapping(v, here, allowed: ["trim", "drop_excel_decimal", "fold_case"]) {
                    let b = try bool(iv, "\(here).\(ik)")
                    switch ik {
                    case "trim": m.ids.trim = b
                    case "drop_excel_decimal": m.ids.dropExcelDecimal = b
                    default: m.ids.foldCase = b
                    }
                }
            case "vocabulary":
                for (column, columnNode, entries) in try mapping(v, here, allowed: []) {
                    m.declared.append(MappingKey(kind: .vocabulary, name: column, line: columnNode.mark?.line ?? 0, shared: shared))
                    var table = m.vocabulary[column] ?? [:]
                    for (raw, _, target) in try mapping(entries, "\(here).\(column)", allowed: []) {
                        table[raw] = try string(target, "\(here).\(column).\(raw)")
                    }
                    m.vocabulary[column] = table
                }
            case "columns":
                for (source, sourceNode, target) in try mapping(v, here, allowed: []) {
                    let canonical = try string(target, "\(here).\(source)")
                    m.columns[source.trimmingCharacters(in: " \t").lowercased()] = canonical
                    m.declared.append(MappingKey(kind: .columns, name: source, target: canonical, line: sourceNode.mark?.line ?? 0, shared: shared))
                }
            case "unpivot":
                guard let file else { break }
                m.unpivot = try unpivot(v, here, file: file)
            case "constants", "from_file_name", "dates_from_index":
                guard let file else { break }
                try derivedValues(k, v, here, file: file, into: &m)
            case "missing_values":
                for (column, columnNode, values) in try mapping(v, here, allowed: []) {
                    guard column == "score" else {
                        throw fail(columnNode, "\(here).\(column)", "only `score` takes missing values (scores absent for a reason, counted as not_scored)")
                    }
                    guard !key.hasPrefix("inputs.") || key == "inputs.scaling_scores" else {
                        throw fail(columnNode, "\(here).\(column)", "only scaling_scores has a `score` column; put `missing_values` under `inputs.scaling_scores` or `mapping`")
                    }
                    let items: [Node] = { if case .sequence(let s) = values { return Array(s) } else { return [values] } }()
                    var set = m.missingValues[column] ?? []
                    for item in items {
                        let text = try string(item, "\(here).\(column)").trimmingCharacters(in: " \t")
                        guard !text.isEmpty else { throw fail(item, "\(here).\(column)", "an empty value is already missing; list the codes the export writes, e.g. [NS, \"Not scored\"]") }
                        set.insert(text)
                    }
                    m.missingValues[column] = set
                }
            case "drop":
                let items: [Node] = { if case .sequence(let s) = v { return Array(s) } else { return [v] } }()
                for item in items {
                    let header = try string(item, here)
                    m.drop.insert(header.trimmingCharacters(in: " \t").lowercased())
                    m.declared.append(MappingKey(kind: .drop, name: header, line: item.mark?.line ?? 0, shared: shared))
                }
            default: break
            }
        }
        // Constants are checked once the whole mapping is read, since a vocabulary entry may translate them.
        if let file = InputFile(rawValue: String(key.dropFirst("inputs.".count))) {
            for (name, constant) in m.constants.sorted(by: { $0.key < $1.key }) {
                guard let c = file.columnIndex(name) else { continue }
                if let why = DerivedValues.problem(constant.value, for: file.columns[c], scales: scaleNames, vocabulary: m.vocabulary[name] ?? [:]) {
                    throw PipelineFileError(path: path, line: constant.line, key: "\(key).constants.\(name)", message: why)
                }
            }
        }
        return m
    }

    /// An input read from several files (issue #13 item 2): `path:` as a list
    /// or a glob (`returns/return_*.csv`), or `files:`, a list whose entries
    /// are paths, globs, or mappings that override the input's keys for their
    /// file(s) (`{path: return_2024.csv, constants: {...}}`). Each glob must
    /// match at least one file; a file may appear once. Empty for one file.
    func parts(_ node: Node, _ key: String, input: FileMapping, folder: String) throws -> [FileMapping] {
        let entries = try mapping(node, key, allowed: [])
        var base = input
        base.parts = []
        var out: [FileMapping] = []
        func add(_ pattern: String, _ at: Node, _ m: FileMapping, _ here: String) throws {
            let full = joinPath(folder, pattern)
            let paths = PathGlob.isPattern(pattern, in: folder) ? PathGlob.expand(full) : [full]
            guard !paths.isEmpty else { throw fail(at, here, "no file matches `\(pattern)`") }
            for p in paths {
                guard !out.contains(where: { $0.path == p }) else { throw fail(at, here, "`\(lastPathComponent(p))` is listed twice") }
                var part = m
                part.path = p
                out.append(part)
            }
        }
        if let (_, _, pathNode) = entries.first(where: { $0.0 == "path" }) {
            if case .sequence(let items) = pathNode {
                for item in items { try add(try string(item, "\(key).path"), item, base, "\(key).path") }
            } else if case .scalar(let s) = pathNode, PathGlob.isPattern(s.string, in: folder) {
                try add(s.string, pathNode, base, "\(key).path")
            }
        }
        if let (_, _, filesNode) = entries.first(where: { $0.0 == "files" }), case .sequence(let items) = filesNode {
            guard entries.first(where: { $0.0 == "path" }) == nil else { throw fail(filesNode, "\(key).files", "give `path:` or `files:`, not both") }
            for item in items {
                if case .scalar(let s) = item {
                    try add(s.string, item, base, "\(key).files")
                } else {
                    var m = try fileMapping(item, key, base: base, allowPath: true)
                    let pattern = m.path == base.path ? "" : m.path
                    guard !pattern.isEmpty else { throw fail(item, "\(key).files", "each entry needs a `path`") }
                    m.parts = []
                    try add(pattern, item, m, "\(key).files")
                }
            }
        }
        return out
    }

    /// `unpivot: {columns: {Wide Header: {rated_by: parent}, ...}, value: score}`
    /// (issue #13 item 3). The wide headers and each entry's constants are
    /// checked against the file's header when it is read.
    func unpivot(_ node: Node, _ here: String, file: InputFile) throws -> Unpivot {
        var columns: [Unpivot.Column] = []
        var value: String?
        for (k, _, v) in try mapping(node, here, allowed: ["columns", "value"]) {
            if k == "value" {
                let name = try string(v, "\(here).value")
                guard let c = file.columnIndex(name) else {
                    throw fail(v, "\(here).value", "`\(name)` is not a column of \(file.fileName).\(NearestName.suggestion(name, among: file.columns.map(\.name)))")
                }
                guard case .decimal = file.columns[c].kind else {
                    throw fail(v, "\(here).value", "`\(name)` holds \(file.columns[c].kind.phrase); the cells of wide columns fill a number column such as `score`")
                }
                value = name
                continue
            }
            for (header, headerNode, entry) in try mapping(v, "\(here).columns", allowed: []) {
                var constants: [String: String] = [:]
                if case .scalar(let s) = entry, s.string.isEmpty || s.string == "~" || s.string == "null" {
                } else {
                    for (name, _, cv) in try mapping(entry, "\(here).columns.\(header)", allowed: []) {
                        constants[name] = try string(cv, "\(here).columns.\(header).\(name)")
                    }
                }
                columns.append(Unpivot.Column(header: header, constants: constants, line: headerNode.mark?.line ?? 0))
            }
        }
        guard let value, !columns.isEmpty else {
            throw fail(node, here, "give `columns` (each wide column with the constants its rows take, e.g. `Parent Score: {rated_by: parent}`) and `value` (the column the cells fill, e.g. `score`)")
        }
        return Unpivot(columns: columns, value: value, line: node.mark?.line ?? 0)
    }

    /// `constants`, `from_file_name` and `dates_from_index` under one input
    /// (issue #13 item 1): each names a canonical column of that file that
    /// can take it; constants are checked here as a column's values are.
    func derivedValues(_ k: String, _ v: Node, _ here: String, file: InputFile, into m: inout FileMapping) throws {
        func column(_ name: String, _ node: Node, _ key: String) throws -> ColumnSpec {
            guard let c = file.columnIndex(name) else {
                let near = NearestName.suggestion(name, among: file.columns.map(\.name))
                throw fail(node, key, "`\(name)` is not a column of \(file.fileName).\(near)")
            }
            let spec = file.columns[c]
            guard DerivedValues.canTakeConstant(spec) else {
                throw fail(node, key, "`\(name)` holds \(spec.kind.phrase), which cannot come from the pipeline file (constants set codes, scales and dates)")
            }
            return spec
        }
        switch k {
        case "constants":
            for (name, nameNode, valueNode) in try mapping(v, here, allowed: []) {
                _ = try column(name, nameNode, "\(here).\(name)")
                let value = try string(valueNode, "\(here).\(name)")
                m.constants[name] = ConstantValue(value: value, line: valueNode.mark?.line ?? 0)
            }
        case "from_file_name":
            let entries = try mapping(v, here, allowed: [])
            guard let patternEntry = entries.first(where: { $0.0 == "pattern" }) else {
                throw fail(v, "\(here).pattern", "give the `pattern`, a regular expression with named captures, e.g. 'return_(?<year>\\d{4})\\.csv'")
            }
            let pattern = try string(patternEntry.2, "\(here).pattern")
            guard let names = DerivedValues.captureNames(pattern) else {
                throw fail(patternEntry.2, "\(here).pattern", "not a valid regular expression")
            }
            var captures: [String: String] = [:]
            for (name, nameNode, captureNode) in entries where name != "pattern" {
                _ = try column(name, nameNode, "\(here).\(name)")
                let capture = try string(captureNode, "\(here).\(name)")
                guard names.contains(capture) else {
                    throw fail(captureNode, "\(here).\(name)", "the pattern has no capture named `\(capture)` (its captures: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
                }
                captures[name] = capture
            }
            guard !captures.isEmpty else { throw fail(v, here, "say which column each capture fills, e.g. `recorded_on: year`") }
            m.fileNameRule = FileNameRule(pattern: pattern, captures: captures, line: patternEntry.1.mark?.line ?? 0)
        default:
            for (name, nameNode, ruleNode) in try mapping(v, here, allowed: []) {
                let spec = try column(name, nameNode, "\(here).\(name)")
                guard case .date = spec.kind else { throw fail(nameNode, "\(here).\(name)", "`\(name)` is not a date column") }
                var start: String?, index: String?, step: Int?
                for (rk, _, rv) in try mapping(ruleNode, "\(here).\(name)", allowed: ["start", "index", "step_days"]) {
                    switch rk {
                    case "start": start = try string(rv, "\(here).\(name).start")
                    case "index": index = try string(rv, "\(here).\(name).index")
                    default:
                        step = try integer(rv, "\(here).\(name).step_days", min: 1)
                        // A step of more than a year is a mistake, and would carry dates out of range.
                        if let s = step, s > 366 { throw fail(rv, "\(here).\(name).step_days", "must be 1 to 366 days, not \(s)") }
                    }
                }
                guard let start, let index, let step else {
                    throw fail(ruleNode, "\(here).\(name)", "give `start` (a date column), `index` (a whole-number column) and `step_days`")
                }
                m.indexedDates[name] = IndexedDate(start: start, index: index, stepDays: step, line: nameNode.mark?.line ?? 0)
            }
        }
    }

    func scales(_ node: Node) throws -> [ScaleSpec] {
        var out: [ScaleSpec] = []
        for (name, keyNode, v) in try mapping(node, "scales", allowed: []) {
            let here = "scales.\(name)"
            let entries = try mapping(v, here, allowed: ["min", "max", "direction", "step", "sd", "reliability",
                                                          "sustained_threshold", "sustained_gap_days", "description"])
            func get(_ k: String) -> Node? { entries.first { $0.0 == k }?.2 }
            guard let minNode = get("min"), let maxNode = get("max") else { throw fail(keyNode, here, "a scale needs `min:` and `max:`") }
            guard let dirNode = get("direction") else {
                throw fail(keyNode, "\(here).direction", "say `higher_is_better` or `higher_is_worse`")
            }
            let lo = try number(minNode, "\(here).min"), hi = try number(maxNode, "\(here).max")
            guard lo < hi else { throw fail(maxNode, "\(here).max", "max must be greater than min") }
            let direction = try string(dirNode, "\(here).direction")
            guard direction == "higher_is_better" || direction == "higher_is_worse" else {
                throw fail(dirNode, "\(here).direction", "expected higher_is_better or higher_is_worse")
            }
            var spec = ScaleSpec(name: name, min: lo, max: hi, higherIsBetter: direction == "higher_is_better")
            if let n = get("step") { spec.step = try number(n, "\(here).step") }
            if let n = get("sd") {
                if case .scalar(let s) = n, s.string == "baseline" { spec.sd = .baseline } else {
                    let v = try number(n, "\(here).sd")
                    guard v > 0 else { throw fail(n, "\(here).sd", "must be positive, or `baseline`") }
                    spec.sd = .value(v)
                }
            }
            if let n = get("reliability") {
                let r = try number(n, "\(here).reliability")
                guard r >= 0 && r <= 1 else { throw fail(n, "\(here).reliability", "must be between 0 and 1") }
                spec.reliability = r
            }
            if let n = get("sustained_threshold") { spec.sustainedThreshold = try number(n, "\(here).sustained_threshold") }
            if let n = get("sustained_gap_days") { spec.sustainedGapDays = try integer(n, "\(here).sustained_gap_days") }
            out.append(spec)
        }
        return out
    }
}
