import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkIngest

/// The review of this session's change: a first line of data is never echoed
/// by `mapping suggest`, a one-off word is not copied as a reason, a huge
/// `step_days` is refused, and a file whose name has brackets is read as named.
@Suite struct ReviewFindingsTests {
    @Test func aFileWithoutAHeaderRowIsNotEchoed() throws {
        // No header row: the first line is a record with an NHS-number-shaped id and a date.
        let folder = try InputFolder(["scores.csv": "943 476 5919,2026-03-01,safety,6,practitioner\n943 476 5870,2026-04-01,safety,7,parent\n"])
        let s = try MappingSuggester.suggest(folder: folder.path)
        let draft = DraftWriter.yaml(s, folder: folder.path)
        #expect(s.unmatched.first?.headerLooksLikeData == true)
        #expect(!draft.contains("943 476") && !draft.contains("2026-03-01"))
        #expect(draft.contains("not read: scores.csv"))
    }

    @Test func aOneOffWordInTheScoreColumnIsNotCopied() {
        var values = (0..<40).map { String($0 % 11) }
        values += ["NS", "NS", "NS", "Jayden Smith"]
        let (words, others) = ScoreReasons.words(values)
        #expect(words == ["NS"] && others == 1)
    }

    @Test func aStepOfMoreThanAYearIsRefused() throws {
        let folder = try InputFolder(["s.csv": "Case,Start,Week,Score\nC1,2026-01-05,3,6\n"])
        let yaml = """
        name: t
        inputs:
          folder: \(folder.path)
          scaling_scores:
            path: s.csv
            columns: {Case: case_id, Score: score}
            constants: {scale: safety, rated_by: practitioner}
            dates_from_index:
              recorded_on: {start: Start, index: Week, step_days: 30000}
          interventions: none
        scales:
          safety: {min: 0, max: 10, direction: higher_is_better}
        """
        try yaml.write(toFile: folder.path + "/p.yaml", atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try PipelineFile.load(path: folder.path + "/p.yaml") }
        do { _ = try PipelineFile.load(path: folder.path + "/p.yaml") } catch {
            #expect("\(error)".contains("must be 1 to 366 days"))
        }
    }

    @Test func aFileNamedWithBracketsIsReadAsNamed() throws {
        let folder = try InputFolder(["export [v2].csv": "x\n"])
        #expect(PathGlob.isPattern("export [v2].csv") && !PathGlob.isPattern("export [v2].csv", in: folder.path))
        #expect(PathGlob.isPattern("return_*.csv", in: folder.path))
    }
}
