import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
@testable import WaymarkIngest

/// Issue #13 item 6: a `columns` target that is not a canonical column stops
/// the run at the pipeline file's line, naming the nearest valid name, before
/// any row is read.
@Suite struct MappingTargetTests {
    /// A scores export whose score column is headed `HAMD`.
    static let scores = "score_id,case_id,child_id,team,worker_id,recorded_on,scale,HAMD,rated_by,setting\n"
        + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"

    func pipeline(_ body: String) throws -> String {
        let f = try Minimal.folder(scores: Self.scores)
        try f.write("p.yaml", Array(("name: t\ninputs:\n  folder: .\n" + body
            + "scales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n").utf8))
        return f.path + "/p.yaml"
    }

    func ingest(_ path: String) throws -> IngestResult {
        try Ingestor(config: try PipelineFile.load(path: path), extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test func aMisspeltTargetUnderAFileNamesItsLineAndTheNearestName() throws {
        let p = try pipeline("  scaling_scores:\n    path: scaling_scores.csv\n    columns:\n      HAMD: scores\n")
        #expect { try ingest(p) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(p):7: `inputs.scaling_scores.columns`: `HAMD` is mapped to `scores`, which is not a column of scaling_scores.csv. Did you mean `score`?")
                && !text.contains("required column")
        }
    }

    @Test func aMisspeltTargetInTheSharedMappingNamesItsLine() throws {
        let p = try pipeline("mapping:\n  columns:\n    HAMD: scroe\n")
        #expect { try ingest(p) } throws: { error in
            "\(error)".hasPrefix("\(p):6: `mapping.columns`: `HAMD` is mapped to `scroe`, which is not a canonical column of any input file. Did you mean `score`?")
        }
    }

    @Test func aTargetFarFromEveryNameSuggestsNothing() throws {
        let p = try pipeline("  scaling_scores:\n    path: scaling_scores.csv\n    columns:\n      HAMD: depression_rating\n")
        #expect { try ingest(p) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(p):7: ") && text.contains("`depression_rating`, which is not a column") && !text.contains("Did you mean")
        }
    }

    @Test func aCorrectTargetReads() throws {
        let p = try pipeline("  scaling_scores:\n    path: scaling_scores.csv\n    columns:\n      HAMD: score\n")
        #expect(try ingest(p).report(.scalingScores)?.rowsAccepted == 1)
    }

    /// Distances worked by hand: kitten -> sitting is k->s, e->i, +g.
    @Test func editDistances() {
        #expect(NearestName.distance("kitten", "sitting") == 3)
        #expect(NearestName.distance("scores", "score") == 1)
        #expect(NearestName.distance("", "abc") == 3)
        #expect(NearestName.distance("scroe", "score") == 1)
        #expect(NearestName.distance("scroe", "scale") == 2)
        #expect(NearestName.of("Rated_By", among: ["scale", "rated_by"]) == "rated_by")
        #expect(NearestName.of("zzzzzz", among: ["score"]) == nil)
    }
}
