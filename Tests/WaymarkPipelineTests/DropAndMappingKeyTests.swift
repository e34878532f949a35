import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkIngest
@testable import WaymarkReports

/// `drop` columns and the check of mapping keys against each file's header
/// (DATA-CONTRACT.md, "Dropped columns" and "Mapping keys are checked").
@Suite struct DropAndMappingKeyTests {
    static let scoresWithDOB = "score_id,case_id,DOB,child_id,team,worker_id,recorded_on,scale,score,rated_by,setting,Post Code\n"
        + "S1,C1,2019-03-04,,T1,W1,2026-01-10,safety,4,practitioner,review,SW1A 1AA\n"
        + "S2,C1,2019-03-04,,T1,W1,not-a-date,safety,5,practitioner,review,SW1A 1AA\n"
        + "S3,C1,\"2019,03\",,T1,W1,2026-01-10,safety,5,practitioner,review,SW1A 1AA\n"

    /// A folder with the scores above and a pipeline file whose lines are known.
    func folder(_ mapping: String, scores: String = scoresWithDOB) throws -> (InputFolder, String) {
        let f = try Minimal.folder(scores: scores)
        let yaml = """
        name: drop
        inputs:
          folder: .
          scaling_scores:
            path: scaling_scores.csv
        \(mapping)
        scales:
          safety: {min: 0, max: 10, direction: higher_is_better}
        """
        try f.write("p.yaml", Array(yaml.utf8))
        return (f, f.path + "/p.yaml")
    }

    func ingest(_ pipeline: String) throws -> IngestResult {
        try Ingestor(config: try PipelineFile.load(path: pipeline), extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test func withoutDropAnIdentifierHeaderStopsTheRunAndSuggestsDrop() throws {
        let (_, p) = try folder("")
        #expect { try ingest(p) } throws: { error in
            let text = "\(error)"
            return text.contains("column 3 names") && text.contains("drop:") && !text.contains("DOB")
        }
    }

    @Test func droppedColumnsAreNeverTypedScannedOrWritten() throws {
        let (f, p) = try folder("    drop: [DOB, \" post code \"]")
        let r = try ingest(p)
        let report = try #require(r.report(.scalingScores))
        #expect(report.droppedColumns == [2, 11])
        #expect(report.rowsRead == 3 && report.rowsAccepted == 2 && report.rowsQuarantined == 1)
        #expect(report.quarantine.map(\.line) == [3])
        #expect(!report.header.contains("DOB") && !report.unknownColumns.contains("Post Code"))
        // The quarantine copy has the dropped fields emptied; every other byte is kept.
        let out = f.path + "/q.csv"
        try QuarantineWriter.write(report, to: out)
        let rows = try CSVReader.readAll(path: out)
        #expect(rows[1].fields[4] == "S2,C1,,,T1,W1,not-a-date,safety,5,practitioner,review,")
        let b64 = String(rows[1].fields[5].dropFirst(4))
        #expect(String(decoding: Base64.decode(b64) ?? [], as: UTF8.self) == "S2,C1,,,T1,W1,not-a-date,safety,5,practitioner,review,")
        let quality = QualityReport.findings([report])
        #expect(quality.contains { $0.reason == "dropped_column" && $0.columns == ["column 3", "column 12"] })
    }

    @Test func aMisalignedRowInAFileWithDropsIsWithheld() throws {
        let scores = Self.scoresWithDOB + "S4,C1,2019-03-04,extra,,T1,W1,2026-01-10,safety,5,practitioner,review,SW1A 1AA\n"
        let (f, p) = try folder("    drop: [DOB, Post Code]", scores: scores)
        let report = try #require(try ingest(p).report(.scalingScores))
        #expect(report.quarantine.map(\.line) == [3, 5])
        let out = f.path + "/q.csv"
        try QuarantineWriter.write(report, to: out)
        let bytes = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!bytes.contains("SW1A") && !bytes.contains("2019-03-04"))
        #expect(bytes.contains("withheld"))
    }

    /// Each wrong key stops the run naming the pipeline file's line.
    @Test(arguments: [
        ("    drop: [DOB, Post Code]\n    columns: {Case Reference: case_id}", 7, "has no column headed `Case Reference`"),
        ("    drop: [DOB, Post Code]\n    columns: {team: response}", 7, "not a column of scaling_scores.csv"),
        ("    drop: [DOB, Post Code]\n    vocabulary:\n      recorded_on: {yesterday: '2026-01-01'}", 8, "cannot take a vocabulary"),
        ("    drop: [DOB, Post Code]\n    vocabulary:\n      ratedby: {PSW: practitioner}", 8, "`ratedby` is not a column"),
        ("    drop: [DOB, Post Code, Surname]", 6, "has no column headed `Surname`"),
    ])
    func aMappingKeyTheFileCannotTakeStopsTheRun(_ mapping: String, _ line: Int, _ message: String) throws {
        let (_, pipeline) = try folder(mapping)
        #expect { try ingest(pipeline) } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(pipeline):\(line): ") && text.contains(message)
        }
    }

    /// A top-level `mapping:` entry must fit at least one file; one that fits
    /// none stops the run at its line.
    @Test func sharedEntriesMustFitSomeFile() throws {
        let f = try Minimal.folder()
        let yaml = """
        name: shared
        inputs: {folder: .}
        mapping:
          columns:
            Team Name: team
          vocabulary:
            team: {North: T1}
        scales:
          safety: {min: 0, max: 10, direction: higher_is_better}
        """
        try f.write("p.yaml", Array(yaml.utf8))
        #expect { try ingest(f.path + "/p.yaml") } throws: { "\($0)".hasPrefix(f.path + "/p.yaml:5: `mapping.columns`: no input file has a column headed `Team Name`") }
        try f.write("p.yaml", Array(yaml.replacingOccurrences(of: "    Team Name: team\n", with: "    case_id: case_id\n").utf8))
        _ = try ingest(f.path + "/p.yaml")
    }

    @Test func aWaiverStopMessageNamesThePipelineLine() throws {
        let (_, p) = try folder("    drop: [DOB, Post Code]\nidentifier_guard:\n  allow:\n    - {file: scaling_scores, column: nhs, pattern: nhs_number}")
        #expect { try ingest(p) } throws: { "\($0)".hasPrefix("\(p):9: ") && "\($0)".contains("waiver for column `nhs`") }
    }
}

/// Issue #14's dates and thresholds: the shipped comments are true, a
/// provisional month is flagged, and thresholds that protect nothing are refused.
@Suite struct DatesAndThresholdsTests {
    func load(_ yaml: String) throws -> PipelineConfig {
        let f = try Minimal.folder(extra: ["p.yaml": yaml])
        return try PipelineFile.load(path: f.path + "/p.yaml")
    }

    static let base = "name: t\ninputs: {folder: .}\nscales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n"

    /// monthly.yaml says to delete the two date lines: what is left must load.
    @Test func theShippedCommentIsTrue() throws {
        let text = try String(contentsOfFile: projectRoot() + "/Pipelines/monthly.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  extracted_on: 2026-11-05\n", with: "").replacingOccurrences(of: "  as_of: 2026-10-31\n", with: "")
            .replacingOccurrences(of: "folder: ../Fixtures/demo", with: "folder: \(projectRoot())/Fixtures/demo")
        let c = try load(text)
        #expect(c.asOf == nil && c.extractedOn == nil)
    }

    @Test(arguments: [("small_count: 0", "disclosure.small_count"), ("min_denominator: 1", "disclosure.min_denominator")])
    func thresholdsThatProtectNothingAreRefused(_ entry: String, _ key: String) {
        #expect { try load(Self.base + "disclosure: {\(entry)}\n") } throws: { error in
            guard let e = error as? PipelineFileError else { return false }
            return e.key == key && e.line == 5 && e.message.contains("at least")
        }
        #expect(throws: Never.self) { try load(Self.base + "disclosure: {small_count: 1, min_denominator: 2}\n") }
    }

    @Test func aMonthNotYetEndedIsProvisional() throws {
        let dates = RunDates(asOf: Day(iso: "2026-11-30")!, extractedOn: Day(iso: "2026-11-05")!)
        #expect(dates.isProvisional)
        #expect(!RunDates(asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-11-05")!).isProvisional)
        #expect(RunDates(asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-10-31")!).isProvisional)
        let context = RunContext(config: try load(Self.base), dates: dates, outputFolder: "/tmp/unused", command: "test")
        #expect(context.warnings.contains { $0.hasPrefix("provisional: as_of 2026-11-30") })
        #expect(context.reportOptions.provisional)
        let legend = LegendWriter.text(asOf: dates.asOf, extractedOn: dates.extractedOn, smallCount: 5, minDenominator: 10, provisional: true)
        #expect(legend.contains("Provisional") && legend.contains("between 1 and 5") && legend.contains("below 10") && legend.contains("fewer than 6"))
    }
}
