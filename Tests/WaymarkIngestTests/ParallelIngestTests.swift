import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkCSV
import WaymarkMethods
@testable import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The two-core read of a scores file must give exactly what one core gives.
@Suite struct ParallelIngestTests {
    func both(_ folder: InputFolder) throws -> (IngestResult, IngestResult) {
        var one = folder.config()
        one.parallelThreshold = Int.max
        var two = folder.config()
        two.parallelThreshold = 0
        return (try folder.ingest(one), try folder.ingest(two))
    }

    func expectSame(_ a: IngestResult, _ b: IngestResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.scores.caseID == b.scores.caseID, sourceLocation: sourceLocation)
        #expect(a.scores.childID == b.scores.childID, sourceLocation: sourceLocation)
        #expect(a.scores.team == b.scores.team, sourceLocation: sourceLocation)
        #expect(a.scores.worker == b.scores.worker, sourceLocation: sourceLocation)
        #expect(a.scores.day == b.scores.day, sourceLocation: sourceLocation)
        #expect(a.scores.score == b.scores.score, sourceLocation: sourceLocation)
        #expect(a.scores.line == b.scores.line, sourceLocation: sourceLocation)
        #expect(a.ids.cases.count == b.ids.cases.count && a.ids.teams.count == b.ids.teams.count, sourceLocation: sourceLocation)
        for code in 0..<a.ids.cases.count {
            #expect(a.ids.cases.string(UInt32(code)) == b.ids.cases.string(UInt32(code)), sourceLocation: sourceLocation)
        }
        #expect(a.responses.caseID == b.responses.caseID, sourceLocation: sourceLocation)
        #expect(a.responses.intervention == b.responses.intervention && a.responses.line == b.responses.line,
                sourceLocation: sourceLocation)
        #expect(a.interventions.id == b.interventions.id && a.interventions.caseID == b.interventions.caseID
                && a.interventions.type == b.interventions.type && a.interventions.approach == b.interventions.approach,
                sourceLocation: sourceLocation)
        for f in [InputFile.interventions, .responses] {
            #expect(a.report(f)?.quarantine == b.report(f)?.quarantine, "\(f)", sourceLocation: sourceLocation)
            #expect(a.report(f)?.rowsAccepted == b.report(f)?.rowsAccepted, "\(f)", sourceLocation: sourceLocation)
        }
        let ra = a.report(.scalingScores), rb = b.report(.scalingScores)
        #expect(ra?.quarantine == rb?.quarantine, sourceLocation: sourceLocation)
        #expect(ra?.rowsRead == rb?.rowsRead && ra?.rowsAccepted == rb?.rowsAccepted, sourceLocation: sourceLocation)
        #expect(ra?.blankLinesSkipped == rb?.blankLinesSkipped, sourceLocation: sourceLocation)
        #expect(ra?.sha256 == rb?.sha256, sourceLocation: sourceLocation)
    }

    @Test func generatedDataWithFaultsAndDuplicatesAcrossTheSplit() throws {
        let folder = try InputFolder([:])
        var g = FixtureGenerator(cases: 120, seed: 5)
        g.faults = 2
        try g.write(to: folder.path)
        // Rows from the start again at the end: duplicates and conflicts that cross the split.
        let path = folder.path + "/scaling_scores.csv"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        text += lines[1] + "\n" + lines[2].replacingOccurrences(of: ",safety,", with: ",worry,") + "\n\n" + lines[3] + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (one, two) = try both(folder)
        expectSame(one, two)
        let q = try #require(two.report(.scalingScores)).quarantine
        #expect(q.contains { $0.problems == [RowProblem(.duplicate)] })
        #expect(q.filter { $0.problems == [RowProblem(.conflictingID)] }.count == 2)
    }

    @Test func aSplitInsideAQuotedFieldFallsBackToOneCore() throws {
        let body = String(repeating: "x\n", count: 400)
        let text = Minimal.scoresHeader + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
            + "S2,C2,,\"" + body + "\",W1,2026-01-10,safety,5,practitioner,review\n"
            + "S3,C3,,T1,W1,bad,safety,6,practitioner,review\n"
        let folder = try Minimal.folder(scores: text)
        let (one, two) = try both(folder)
        expectSame(one, two)
        #expect(two.warnings.contains { $0.contains("one core") })
        #expect(two.report(.scalingScores)?.quarantine.first?.line == 404)
    }

    /// A file of `rows` valid score rows (line k + 1 holds row k), with `fault`
    /// replacing the row on each line in `at`.
    static func scores(rows: Int, fault: String, at lines: Set<Int>) -> String {
        var text = Minimal.scoresHeader
        for k in 1...rows {
            text += lines.contains(k + 1) ? fault : "S\(k),C\(k % 97),,T1,W1,2026-01-10,safety,\(k % 11),practitioner,review\n"
        }
        return text
    }

    /// Stops in the second half of a two-core read name the file's own line
    /// (issue #11: line 50000 was reported as 9999), at several offsets.
    @Test(arguments: [0.55, 0.7, 0.9, 0.999])
    func stopsInTheSecondHalfNameTheRightLine(_ where_: Double) throws {
        let rows = 3_000
        let line = Int(Double(rows) * where_) + 1
        for (fault, expected) in [
            ("S0,C1,,T1,W1,2026-01-10,safety,\"4,practitioner,review\n", CSVReadError.unterminatedQuote(path: "", line: line)),
            (String(repeating: "x,", count: 40) + "x\n", .tooManyColumns(path: "", line: line, limit: 32)),
        ] {
            let folder = try Minimal.folder(scores: Self.scores(rows: rows, fault: fault, at: [line]))
            for threshold in [Int.max, 0] {
                var config = folder.config()
                config.parallelThreshold = threshold
                config.limits.maxColumns = 32
                do {
                    _ = try folder.ingest(config)
                    Issue.record("no stop for a fault on line \(line)")
                } catch IngestError.read(let error) {
                    #expect(error.shiftingLines(by: 0) == expected.withPath(error.path), "threshold \(threshold)")
                }
            }
        }
    }

    /// Quarantined rows in the second half carry the file's own line numbers.
    @Test func quarantinedRowsInTheSecondHalfNameTheRightLines() throws {
        let lines: Set<Int> = [2, 1_651, 2_101, 2_700, 3_001]
        let folder = try Minimal.folder(scores: Self.scores(rows: 3_000, fault: "S0,C1,,T1,W1,not-a-date,safety,4,practitioner,review\n", at: lines))
        let (one, two) = try both(folder)
        expectSame(one, two)
        #expect(Set(try #require(two.report(.scalingScores)).quarantine.map(\.line)) == lines)
    }
}

extension CSVReadError {
    func withPath(_ path: String) -> CSVReadError {
        switch self {
        case .unterminatedQuote(_, let line): return .unterminatedQuote(path: path, line: line)
        case .tooManyColumns(_, let line, let limit): return .tooManyColumns(path: path, line: line, limit: limit)
        default: return self
        }
    }
}
