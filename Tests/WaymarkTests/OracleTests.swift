import Foundation
import Testing
@testable import Waymark
import WaymarkCSV

/// True when python3 with pandas and numpy is on this machine (scripts/test installs them).
let pythonWithPandas: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import pandas, numpy"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run(); p.waitUntilExit() } catch { return false }
    return p.terminationStatus == 0
}()

/// Waymark's record-level exports on the demo fixtures must agree with the
/// independent pandas implementation in Tests/oracle/trajectories.py: every
/// series, segment and point, text exactly and numbers to 1e-9 (relative).
@Suite struct OracleTests {
    @Test(.enabled(if: pythonWithPandas, "needs python3 with pandas: python3 -m pip install pandas"))
    func trajectoriesAgreeWithThePandasOracleOnTheDemo() throws {
        let root = projectRoot()
        let config = try PipelineFile.load(path: root + "/Pipelines/monthly.yaml")
        let dates = try RunDates.resolve(asOf: nil, extractedOn: nil, config: config)
        let ingest = try Ingestor(config: config, extractedOn: dates.extractedOn).run()
        let t = TrajectoryBuilder.build(ingest, config: config, asOf: dates.asOf)
        let out = try InputFolder([:])
        let context = RunContext(config: config, dates: dates, outputFolder: out.path + "/waymark", command: "test")
        try RecordLevelWriter.write(t, ingest: ingest, config: config, context: context)

        func lines(_ f: InputFile) -> [Int] { ingest.report(f)?.quarantine.map(\.line) ?? [] }
        let params: [String: Any] = [
            "as_of": dates.asOf.description, "window_days": config.windowDays, "offer_lapse_days": config.offerLapseDays,
            "scales": config.scales.map { s -> [String: Any] in
                var sd: Any = NSNull()
                switch s.sd { case .value(let v): sd = v; case .baseline: sd = "baseline"; case nil: break }
                return ["name": s.name, "min": s.min, "max": s.max, "higher_is_better": s.higherIsBetter, "step": s.step,
                        "sd": sd, "reliability": s.reliability ?? NSNull(), "sustained_threshold": s.sustainedThreshold ?? NSNull(),
                        "sustained_gap_days": s.sustainedGapDays]
            },
            "quarantined": ["scaling_scores": lines(.scalingScores), "interventions": lines(.interventions),
                            "responses": lines(.responses)],
        ]
        let paramsPath = out.path + "/params.json"
        try JSONSerialization.data(withJSONObject: params).write(to: URL(fileURLWithPath: paramsPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root + "/Tests/oracle/trajectories.py", root + "/Fixtures/demo", paramsPath, out.path + "/oracle"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "the oracle failed")

        for name in ["series.csv", "segments.csv", "points.csv"] {
            let ours = try CSVReader.readAll(path: out.path + "/waymark/record-level/" + name).map(\.fields)
            let theirs = try CSVReader.readAll(path: out.path + "/oracle/" + name).map(\.fields)
            #expect(ours.count == theirs.count, "\(name): \(ours.count) rows against the oracle's \(theirs.count)")
            var mismatches = 0
            for (row, (a, b)) in zip(ours, theirs).enumerated() where a != b {
                let same = a.count == b.count && zip(a, b).allSatisfy { x, y in
                    if x == y { return true }
                    guard let u = Double(x), let v = Double(y) else { return false }
                    return abs(u - v) <= 1e-9 * max(1, abs(u))
                }
                if !same {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("\(name) row \(row + 1): waymark \(a) oracle \(b)") }
                }
            }
            #expect(mismatches == 0, "\(name): \(mismatches) rows differ")
        }
        #expect(t.segments.count > 10_000)
    }
}
