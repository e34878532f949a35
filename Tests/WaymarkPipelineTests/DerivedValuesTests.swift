import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
@testable import WaymarkIngest

/// Issue #13 item 1: constants, values from the file name, and a date from a
/// start date plus an index times a step, each checked like a mapped column.
@Suite struct DerivedValuesTests {
    /// A clinical-outcomes export: no scale, rater or date column, a time index in weeks.
    static let outcomes = "Client Ref,Referral Date,Week,HAMD\n"
        + "C1,03/02/2026,0,20\n"        // line 2: 2026-02-03
        + "C1,03/02/2026,4,14\n"        // 3: 3 February + 28 days = 2026-03-03 (February 2026 has 28 days)
        + "C2,31/01/2026,x,10\n"        // 4: bad index
        + "C2,,2,10\n"                  // 5: no start date
        + "C3,40/01/2026,1,5\n"         // 6: bad start date
        + "C3,30/10/2026,2,5\n"         // 7: 2026-11-13, after extracted_on 2026-11-05

    static let scales = "scales:\n  hamd: {min: 0, max: 52, direction: higher_is_worse}\n"

    static let scoresEntry = """
      scaling_scores:
        path: Outcomes.csv
        date_format: dmy
        columns: {Client Ref: case_id, HAMD: score}
        constants: {scale: hamd, rated_by: practitioner}
        dates_from_index:
          recorded_on: {start: Referral Date, index: Week, step_days: 7}

    """

    func pipeline(_ inputs: String, files: [String: String] = ["Outcomes.csv": outcomes]) throws -> String {
        let f = try InputFolder(files)
        try f.write("p.yaml", Array(("name: t\ninputs:\n  folder: .\n" + inputs + "  interventions: none\n" + Self.scales).utf8))
        return f.path + "/p.yaml"
    }

    func ingest(_ path: String) throws -> IngestResult {
        try Ingestor(config: try PipelineFile.load(path: path), extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test func constantsAndIndexedDatesFillTheCanonicalColumns() throws {
        let r = try ingest(try pipeline(Self.scoresEntry))
        #expect(r.scores.day == [day("2026-02-03"), day("2026-03-03")])
        #expect(r.scores.scale == [1, 1])
        #expect(r.scores.rater == [Rater.practitioner.code, Rater.practitioner.code])
        #expect(r.scores.score == [20, 14])
        expectQuarantine(r, .scalingScores, [
            (4, ["bad_integer"], ["Week"]), (5, ["missing_value"], ["Referral Date"]),
            (6, ["bad_date"], ["Referral Date"]), (7, ["future_date"], ["Week"]),
        ])
        // The start and index columns are read, not ignored.
        #expect(r.report(.scalingScores)?.unknownColumns == [])
    }

    @Test func theYearInAFileNameIsThatYearsThirtyFirstOfMarch() throws {
        let scores = "case_id,score\nC1,4\nC2,6\n"
        let p = try pipeline("""
          scaling_scores:
            path: return_2024.csv
            constants: {scale: hamd, rated_by: Parent/Carer}
            vocabulary: {rated_by: {Parent/Carer: parent}}
            from_file_name: {pattern: 'return_(?<year>\\d{4})\\.csv', recorded_on: year}

        """, files: ["return_2024.csv": scores])
        let r = try ingest(p)
        #expect(r.scores.day == [day("2024-03-31"), day("2024-03-31")])
        #expect(r.scores.rater == [Rater.parent.code, Rater.parent.code])
        #expect(DerivedValues.day("2023")?.description == "2023-03-31")
        #expect(DerivedValues.day("2023-07-01")?.description == "2023-07-01")
        #expect(DerivedValues.day("23") == nil)
    }

    @Test func aFileNameThatDoesNotMatchStopsTheRunAtThePatternsLine() throws {
        let p = try pipeline("""
          scaling_scores:
            path: scores_2024.csv
            constants: {scale: hamd, rated_by: practitioner}
            from_file_name: {pattern: 'return_(?<year>\\d{4})\\.csv', recorded_on: year}

        """, files: ["scores_2024.csv": "case_id,score\nC1,4\n"])
        #expect { try ingest(p) } throws: { error in
            "\(error)".hasPrefix("\(p):7: `inputs.scaling_scores.from_file_name`: scores_2024.csv: the file name does not match")
        }
    }

    /// Each wrong entry stops the run at its line (load or ingest), before any row is read.
    @Test(arguments: [
        ("scale: hamd", "scale: hmad", 8, "`hmad` is not one of the declared scales"),
        ("rated_by: practitioner", "rated_by: therapist", 8, "`therapist` is not a rated_by value"),
        ("HAMD: score}", "HAMD: score, Week: scale}", 8, "`scale` comes from the pipeline file here, and also from column 3"),
        ("practitioner}", "practitioner, case_id: C9}", 8, "`case_id` holds identifiers, which cannot come from the pipeline file"),
        ("{scale: hamd", "{scael: hamd", 8, "`scael` is not a column of scaling_scores.csv. Did you mean `scale`?"),
        ("index: Week,", "index: Weeks,", 10, "has no column headed `Weeks`"),
        ("step_days: 7", "step_days: 0", 10, "must be at least 1"),
        ("recorded_on: {", "rated_by: {", 10, "`rated_by` is not a date column"),
    ])
    func wrongEntriesNameTheirLine(_ from: String, _ to: String, _ line: Int, _ message: String) throws {
        let entry = Self.scoresEntry.replacingOccurrences(of: from, with: to)
        #expect(entry != Self.scoresEntry)
        let p = try pipeline(entry)
        #expect { try ingest(p) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(p):\(line): ") && text.contains(message)
        }
    }
}
