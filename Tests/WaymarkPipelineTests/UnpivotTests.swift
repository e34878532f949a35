import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
@testable import WaymarkIngest

/// Issue #13 item 3: each listed wide column becomes a row of its own, taking
/// its rater (or scale) from its entry; an empty wide cell gives no row.
@Suite struct UnpivotTests {
    static let wide = "case_id,recorded_on,Parent Score,Child Score\n"
        + "C1,2026-01-05,4,6\n"      // line 2: two rows
        + "C2,2026-01-06,,7\n"       // 3: the child's row only
        + "C3,2026-01-07,x,\n"       // 4: one row, a bad number in Parent Score
        + "C4,2026-01-08,,\n"        // 5: no row

    static let entry = """
      scaling_scores:
        path: wide.csv
        constants: {scale: safety}
        unpivot:
          columns:
            Parent Score: {rated_by: parent}
            Child Score: {rated_by: child}
          value: score
      interventions: none

    """

    func pipeline(_ inputs: String = entry, wide: String = wide) throws -> String {
        let f = try InputFolder(["wide.csv": wide])
        try f.write("p.yaml", Array(("name: t\ninputs:\n  folder: .\n" + inputs
            + "scales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n").utf8))
        return f.path + "/p.yaml"
    }

    func ingest(_ path: String, threshold: Int = Int.max) throws -> IngestResult {
        var config = try PipelineFile.load(path: path)
        config.parallelThreshold = threshold
        return try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test(arguments: [Int.max, 0])
    func eachWideCellIsARow(_ threshold: Int) throws {
        let r = try ingest(try pipeline(), threshold: threshold)
        #expect(r.scores.rater == [Rater.parent.code, Rater.child.code, Rater.child.code])
        #expect(r.scores.score == [4, 6, 7])
        #expect(r.scores.line == [2, 2, 3])
        #expect(r.scores.day == [day("2026-01-05"), day("2026-01-05"), day("2026-01-06")])
        let report = try #require(r.report(.scalingScores))
        #expect(report.rowsRead == 4 && report.rowsAccepted == 3 && report.recordsWithoutValues == 1)
        expectQuarantine(r, .scalingScores, [(4, ["bad_number"], ["Parent Score"])])
        #expect(report.unknownColumns.isEmpty)
    }

    @Test(arguments: [
        ("Child Score: {rated_by: child}", "Kid Score: {rated_by: child}", 10, "has no column headed `Kid Score`"),
        ("Child Score: {rated_by: child}", "Child Score: {rated_by: aunt}", 10, "`aunt` is not a rated_by value"),
        ("value: score", "value: scores", 11, "Did you mean `score`?"),
        ("value: score", "value: recorded_on", 11, "fill a number column"),
    ])
    func wrongEntriesNameTheirLine(_ from: String, _ to: String, _ line: Int, _ message: String) throws {
        let p = try pipeline(Self.entry.replacingOccurrences(of: from, with: to))
        #expect { try ingest(p) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(p):\(line): ") && text.contains(message)
        }
    }
}
