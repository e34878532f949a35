import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkCSV
import WaymarkIngest

/// Issue #13 item 7: `waymark mapping suggest` drafts a pipeline file from an
/// export's headers and value shapes, commenting where unsure, and never
/// copies a data value.
@Suite struct MappingSuggestTests {
    /// Identifier-like values of every file in `folder` (ids, teams, the DOB column).
    func identifyingValues(_ folder: String) throws -> Set<String> {
        var out = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let dialect = CSVDialect(encoding: name == "Scores.csv" || folder.hasSuffix("mosaic-uk") ? .windows1252 : .utf8)
            let rows = try CSVReader.readAll(path: folder + "/" + name, dialect: dialect)
            guard let header = rows.first?.fields else { continue }
            for (i, h) in header.enumerated() where ["case", "child", "team", "dob", "record", "worker", "ref"].contains(where: { h.lowercased().contains($0) }) {
                for r in rows.dropFirst() where i < r.fields.count && r.fields[i].count >= 3 { out.insert(r.fields[i]) }
            }
        }
        return out
    }

    @Test(arguments: ["liquidlogic", "wide", "statutory-return", "mosaic-uk"])
    func theDraftCopiesNoValue(_ fixture: String) throws {
        let folder = projectRoot() + "/Fixtures/" + fixture
        let draft = try MappingSuggester.draft(folder: folder)
        let values = try identifyingValues(folder)
        #expect(!values.isEmpty)
        let leaked = values.filter { draft.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.count) values in the draft")
    }

    @Test func theLiquidlogicDraftMapsTheScoresAndNeedsOnlyTheListedEdits() throws {
        let folder = projectRoot() + "/Fixtures/liquidlogic"
        let draft = try MappingSuggester.draft(folder: folder)
        for line in ["\"Case Number\": case_id", "\"Date of Scaling\": recorded_on", "\"Scaling Score\": score",
                     "\"Completed By\": rated_by", "\"Question\": scale", "date_format: dmy"] {
            #expect(draft.contains(line), "\(line)")
        }
        #expect(draft.contains("CHECK: `rated_by` holds words"))
        // The edits docs/pipeline-files.md lists: the vocabularies, the scales and the run's dates.
        let edited = draft.replacingOccurrences(of: "    # CHECK: `rated_by` holds words", with: """
            vocabulary:
              rated_by: {Social Worker: practitioner, Parent/Carer: parent, Child/Young Person: child, Carer: carer, Family Network: network, Partner Agency: partner_agency, Group Meeting: group}
              scale: {Safety: safety, Worry: worry}
            # CHECK: `rated_by` holds words
        """).replacingOccurrences(of: "  safety: {min: 0, max: 10, direction: higher_is_better}\n", with: """
          safety: {min: 0, max: 10, direction: higher_is_better}
          worry: {min: 0, max: 10, direction: higher_is_worse}

        """)
        let root = try InputFolder([:]).path
        try edited.write(toFile: root + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try Ingestor(config: try PipelineFile.load(path: root + "/p.yaml"), extractedOn: Day(iso: "2026-11-05")!).run()
        #expect(r.rowsQuarantined == 0 && r.scores.count > 0 && r.interventions.count > 0)
    }

    @Test func yearlyFilesAreOneGlobAndAWideFileGetsAnUnpivotHint() throws {
        let returns = try MappingSuggester.draft(folder: projectRoot() + "/Fixtures/statutory-return")
        #expect(returns.contains("path: \"return_202*.csv\"") && returns.contains("from_file_name"))
        #expect(returns.contains("column 3 names a direct identifier") && !returns.contains("DOB"))
        let wide = try MappingSuggester.draft(folder: projectRoot() + "/Fixtures/wide")
        #expect(wide.contains("# unpivot:") && wide.contains("\"Parent Score\": {rated_by: ...}"))
    }
}
