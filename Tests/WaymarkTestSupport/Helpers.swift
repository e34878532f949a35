import Foundation
import Testing
import WaymarkCSV
import WaymarkCore
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkIndicators
import WaymarkIngest
import WaymarkMethods
import WaymarkPipeline
import WaymarkTrajectories

// Helpers shared by the test targets: demo runs, oracles, hand-made cases.

/// The package root, found from this file's path.
package func projectRoot(_ file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}

/// True when python3 can import every module named (scripts/install-deps --python installs them).
package func pythonCanImport(_ modules: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import \(modules)"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run(); p.waitUntilExit() } catch { return false }
    return p.terminationStatus == 0
}

package let pythonWithPandas = pythonCanImport("pandas, numpy")

package let pythonWithStatistics = pythonCanImport("scipy, statsmodels, lifelines")

/// A shipped pipeline on its fixtures: configuration, dates, ingest and trajectories as at its as_of.
package func demo(_ pipeline: String) throws -> (PipelineConfig, RunDates, IngestResult, Trajectories) {
    let config = try PipelineFile.load(path: projectRoot() + "/Pipelines/\(pipeline).yaml")
    let dates = try RunDates.resolve(asOf: nil, extractedOn: nil, config: config)
    let ingest = try Ingestor(config: config, extractedOn: dates.extractedOn).run()
    return (config, dates, ingest, TrajectoryBuilder.build(ingest, config: config, asOf: dates.asOf))
}

/// The oracle scripts' parameters: the run's dates, the pipeline's parameters
/// and the lines Waymark quarantined (so the oracles check methods, not ingest).
package func oracleParameters(_ config: PipelineConfig, dates: RunDates, ingest: IngestResult) -> [String: Any] {
    func lines(_ f: InputFile) -> [Int] { ingest.report(f)?.quarantine.map(\.line) ?? [] }
    return [
        "as_of": dates.asOf.description, "window_days": config.windowDays, "offer_lapse_days": config.offerLapseDays,
        "trend_months": config.trendMonths, "after_days": config.afterDays, "small_count": config.smallCount,
        "min_denominator": config.minDenominator, "headline_rater": config.headlineRater.rawValue,
        "approaches": config.approaches.mapValues(\.rawValue),
        "episodes": config.inputs[.episodes] != nil, "children": config.inputs[.children] != nil,
        "scales": config.scales.map { s -> [String: Any] in
            var sd: Any = NSNull()
            switch s.sd { case .value(let v): sd = v; case .baseline: sd = "baseline"; case nil: break }
            return ["name": s.name, "min": s.min, "max": s.max, "higher_is_better": s.higherIsBetter, "step": s.step,
                    "sd": sd, "reliability": s.reliability ?? NSNull(), "sustained_threshold": s.sustainedThreshold ?? NSNull(),
                    "sustained_gap_days": s.sustainedGapDays]
        },
        "quarantined": Dictionary(uniqueKeysWithValues: InputFile.allCases.map { ($0.rawValue, lines($0)) }),
    ]
}

package func runOracle(_ script: String, input: String, params: String, out: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script, input, params, out]
    try p.run()
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "the oracle \(script) failed")
}

/// Two CSV files hold the same rows: text exactly, numbers to 1e-9 (relative).
/// With `keyColumns`, rows are matched by those columns (order-free); else line by line.
package func expectSameRows(_ oursPath: String, _ theirsPath: String, keyColumns: Range<Int>?) throws {
    let name = (oursPath as NSString).lastPathComponent
    var ours = try CSVReader.readAll(path: oursPath).map(\.fields)
    var theirs = try CSVReader.readAll(path: theirsPath).map(\.fields)
    #expect(ours.count == theirs.count, "\(name): \(ours.count) rows against the oracle's \(theirs.count)")
    if let keys = keyColumns {
        func key(_ r: [String]) -> String { r[keys].joined(separator: "\u{1}") }
        ours.sort { key($0) < key($1) }
        theirs.sort { key($0) < key($1) }
    }
    var mismatches = 0
    for (row, (a, b)) in zip(ours, theirs).enumerated() where a != b {
        let same = a.count == b.count && zip(a, b).allSatisfy { x, y in
            if x == y { return true }
            guard let u = Double(x), let v = Double(y) else { return false }
            return abs(u - v) <= 1e-9 * max(1, abs(u))
        }
        if !same {
            mismatches += 1
            if mismatches <= 8 { Issue.record("\(name) row \(row + 1): waymark \(a) oracle \(b)") }
        }
    }
    #expect(mismatches == 0, "\(name): \(mismatches) rows differ")
}

/// A hand-made export and the indicators computed from it, before disclosure
/// control unless asked. Scores: `case,child,team,recorded_on,scale,score,rated_by`.
/// Interventions: `id,case,child,type,approach,offered_on,started_on,ended_on,end_reason,planned_hours,provider,team`.
/// Responses: `intervention,case,recorded_on,response`. Episodes: `case,opened_on,closed_on`.
package struct Scenario {
    package var scores: [String] = []
    package var interventions: [String] = []
    package var responses: [String] = []
    package var episodes: [String]?
    package var children: [String]?
    package var asOf = "2026-10-31"
    package var trendMonths = 1
    package var safety: ScaleSpec = {
        var s = ScaleSpec(name: "safety", min: 0, max: 10, higherIsBetter: true)
        s.sd = .value(2)              // RCI denominator 2 * sqrt(2 * 0.2) = 1.2649...: |change| >= 2.48 is reliable
        s.reliability = 0.8
        s.sustainedThreshold = 7
        return s
    }()

    package init(scores: [String] = [], interventions: [String] = [], responses: [String] = [], episodes: [String]? = nil,
                 children: [String]? = nil, asOf: String = "2026-10-31", trendMonths: Int = 1) {
        self.scores = scores
        self.interventions = interventions
        self.responses = responses
        self.episodes = episodes
        self.children = children
        self.asOf = asOf
        self.trendMonths = trendMonths
    }

    package func run() throws -> RawIndicators {
        let (t, ingest, config) = try prepare()
        return IndicatorEngine.compute(t, ingest: ingest, config: config)
    }

    /// The trajectories as at `asOf`, the ingest and the configuration.
    package func prepare() throws -> (Trajectories, IngestResult, PipelineConfig) {
        var files = [
            "scaling_scores.csv": "case_id,child_id,team,recorded_on,scale,score,rated_by\n" + scores.map { $0 + "\n" }.joined(),
            "interventions.csv": "intervention_id,case_id,child_id,type,approach,offered_on,started_on,ended_on,end_reason,planned_hours,provider,team\n"
                + interventions.map { $0 + "\n" }.joined(),
            "responses.csv": "intervention_id,case_id,recorded_on,response\n" + responses.map { $0 + "\n" }.joined(),
        ]
        if let e = episodes { files["episodes.csv"] = "case_id,opened_on,closed_on\n" + e.map { $0 + "\n" }.joined() }
        if let c = children { files["children.csv"] = "child_id,case_id,age_band,sex,ethnicity_group,disability\n" + c.map { $0 + "\n" }.joined() }
        let folder = try InputFolder(files)
        var config = folder.config()
        config.scales = [safety, PipelineConfig.defaultScales[1]]
        config.trendMonths = trendMonths
        let ingest = try folder.ingest(config)
        #expect(ingest.rowsQuarantined == 0, "fixture rows must all be valid: \(ingest.files.map { ($0.file, $0.quarantine.map(\.problems)) })")
        return (TrajectoryBuilder.build(ingest, config: config, asOf: Day(iso: asOf)!), ingest, config)
    }
}

extension RawIndicators {
    /// (numerator, denominator, status) of one row; nil when the row does not exist.
    package func figure(_ id: IndicatorID, scale: String = "safety", rater: String = "practitioner", asOf: String = "2026-10-31",
                _ breakdown: Breakdown = .total, _ group: String = "total") -> (Double, Int, CellStatus)? {
        rows.first {
            $0.id == id && $0.scale == scale && $0.rater == rater && $0.asOf.description == asOf && $0.breakdown == breakdown && $0.group == group
        }.map { ($0.numerator, $0.denominator, $0.status) }
    }
}

/// Hand-worked trajectories (METHODS.md M1-M6, M9 with the M13 readings).
/// Every expected value below is worked out in the comments, not taken from
/// the program.
package struct Case {
    package var scores: [String] = []
    package var interventions: [String] = []
    package var responses: [String] = []
    package var scales: [ScaleSpec] = PipelineConfig.defaultScales
    package var asOf = "2026-10-31"
    package var lapse = 90

    package init(scores: [String] = [], interventions: [String] = [], responses: [String] = [],
                 scales: [ScaleSpec] = PipelineConfig.defaultScales, asOf: String = "2026-10-31", lapse: Int = 90) {
        self.scores = scores
        self.interventions = interventions
        self.responses = responses
        self.scales = scales
        self.asOf = asOf
        self.lapse = lapse
    }

    package func build() throws -> (Trajectories, IngestResult) {
        let f = try Minimal.folder(scores: "case_id,child_id,team,recorded_on,scale,score,rated_by\n" + scores.joined(separator: "\n") + "\n",
                                   interventions: "intervention_id,case_id,child_id,type,offered_on,started_on,ended_on,end_reason,planned_hours\n"
                                       + interventions.joined(separator: "\n") + "\n",
                                   responses: "intervention_id,case_id,recorded_on,response\n" + responses.joined(separator: "\n") + "\n")
        var config = f.config()
        config.scales = scales
        config.offerLapseDays = lapse
        let ingest = try f.ingest(config)
        #expect(ingest.rowsQuarantined == 0, "fixture rows must all be valid")
        return (TrajectoryBuilder.build(ingest, config: config, asOf: Day(iso: asOf)!), ingest)
    }
}

extension Trajectories {
    /// The series of a case (and child) by the strings of its key.
    package func series(_ ingest: IngestResult, _ caseID: String, child: String = "", rater: Rater = .practitioner, scale: Int = 0) -> Series? {
        series.first {
            ingest.ids.cases.string($0.caseID) == caseID && ingest.ids.children.string($0.childID) == child
                && $0.rater == rater && Int($0.scale) == scale
        }
    }
    package func segments(of s: Series) -> [Segment] { s.segments.map { segments[$0] } }
}

package func day(_ s: String) -> Int32 { Day(iso: s)!.number }

/// The debug `waymark` binary that `swift build --build-tests` links (scripts/test builds it).
package let waymarkBinary = projectRoot() + "/.build/debug/waymark"

/// Runs the built binary from the project root, as a user would; returns its exit code.
package func runWaymark(_ arguments: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: waymarkBinary)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: projectRoot())
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

/// A copy of the demo export at `folder`, for tests that spoil one file of it.
package func copyDemo(to folder: String) throws {
    let demo = projectRoot() + "/Fixtures/demo"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for f in try FileManager.default.contentsOfDirectory(atPath: demo) {
        try FileManager.default.copyItem(atPath: demo + "/" + f, toPath: folder + "/" + f)
    }
}

/// Runs the built binary from the project root and returns its exit code and
/// everything it printed (standard output and error, interleaved as written).
package func runWaymarkCapturing(_ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: waymarkBinary)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: projectRoot())
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, Array(output))
}
