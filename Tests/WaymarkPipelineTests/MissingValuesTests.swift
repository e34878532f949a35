import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkIngest
import WaymarkTrajectories
@testable import WaymarkReports

/// Issue #13 item 4: `missing_values: {score: [...]}` sets rows whose score is
/// absent for a reason aside as `not_scored`: counted (quality.csv, the
/// manifest, the report), not quarantined, not points of a trajectory.
@Suite struct MissingValuesTests {
    static let scores = Minimal.scoresHeader
        + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"          // line 2: a score
        + "S2,C1,,T1,W1,2026-02-10,safety,NS,practitioner,review\n"         // 3: not scored
        + "S3,C1,,T1,W1,2026-03-10,safety,\" Not scored: child refused \",practitioner,review\n"  // 4: not scored (trimmed)
        + "S4,C1,,T1,W1,2026-04-10,safety,ns,practitioner,review\n"         // 5: case differs: a bad number
        + "S5,C1,,T1,W1,not-a-date,safety,NS,practitioner,review\n"         // 6: bad date: quarantined for it
        + "S6,C1,,T1,W1,2026-05-10,safety,6,practitioner,review\n"          // 7: a score

    func pipeline(_ mapping: String) throws -> String {
        let f = try Minimal.folder(scores: Self.scores)
        try f.write("p.yaml", Array(("name: t\ninputs:\n  folder: .\n" + mapping
            + "scales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n").utf8))
        return f.path + "/p.yaml"
    }

    func ingest(_ path: String) throws -> IngestResult {
        try Ingestor(config: try PipelineFile.load(path: path), extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test(arguments: [
        "  scaling_scores:\n    path: scaling_scores.csv\n    missing_values: {score: [NS, \"Not scored: child refused\"]}\n",
        "mapping:\n  missing_values:\n    score: [NS, \"Not scored: child refused\"]\n",
    ])
    func rowsAbsentForAReasonAreCountedNotQuarantined(_ mapping: String) throws {
        let r = try ingest(try pipeline(mapping))
        let report = try #require(r.report(.scalingScores))
        #expect(report.rowsRead == 6)
        #expect(report.notScoredLines == [3, 4])
        #expect(report.rowsAccepted == 2)
        expectQuarantine(r, .scalingScores, [(5, ["bad_number"], ["score"]), (6, ["bad_date"], ["recorded_on"])])
        let finding = try #require(QualityReport.findings([report]).first { $0.reason == "not_scored" })
        #expect(finding.count == 2 && finding.firstLines == [3, 4] && finding.file == "scaling_scores.csv")
        // Only the two real scores are points: one series of two points.
        let t = TrajectoryBuilder.build(r, config: try PipelineFile.load(path: try pipeline(mapping)), asOf: Day(iso: "2026-10-31")!)
        #expect(t.series.count == 1 && t.points.count == 2)
    }

    /// The two-core read counts the same rows, at the same lines, on both sides of the split.
    @Test func twoCoresCountTheSameLines() throws {
        var text = Minimal.scoresHeader
        var expected: [Int] = []
        for i in 0..<400 {
            let absent = i % 7 == 3
            if absent { expected.append(i + 2) }
            text += "S\(i),C\(i % 40),,T1,W1,2026-01-\(10 + i % 18),safety,\(absent ? "NS" : String(i % 11)),practitioner,review\n"
        }
        let f = try Minimal.folder(scores: text)
        var config = f.config()
        config.inputs[.scalingScores]?.missingValues = ["score": ["NS"]]
        for threshold in [Int.max, 0] {
            config.parallelThreshold = threshold
            let report = try #require(try f.ingest(config).report(.scalingScores))
            #expect(report.notScoredLines == expected, "threshold \(threshold)")
            #expect(report.rowsAccepted == 400 - expected.count && report.rowsQuarantined == 0)
        }
    }

    @Test func withoutMissingValuesTheyAreQuarantined() throws {
        let report = try #require(try ingest(try pipeline("")).report(.scalingScores))
        #expect(report.notScoredLines.isEmpty && report.rowsQuarantined == 4)
    }

    @Test(arguments: [
        ("  interventions:\n    path: interventions.csv\n    missing_values: {score: [NS]}\n", 6, "only scaling_scores has a `score` column"),
        ("mapping:\n  missing_values: {rated_by: [NS]}\n", 5, "only `score` takes missing values"),
        ("mapping:\n  missing_values: {score: [\" \"]}\n", 5, "an empty value is already missing"),
    ])
    func wrongEntriesNameTheirLine(_ mapping: String, _ line: Int, _ message: String) throws {
        let p = try pipeline(mapping)
        #expect { try PipelineFile.load(path: p) } throws: { error in
            guard let e = error as? PipelineFileError else { return false }
            return e.line == line && e.message.contains(message)
        }
    }
}
