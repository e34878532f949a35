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

/// The two-core read of a file must give exactly what one core gives.
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
        #expect(a.episodes?.caseID == b.episodes?.caseID && a.episodes?.opened == b.episodes?.opened
                && a.episodes?.closed == b.episodes?.closed && a.children?.sex == b.children?.sex
                && a.episodes?.closureReason == b.episodes?.closureReason && a.episodes?.line == b.episodes?.line,
                sourceLocation: sourceLocation)
        #expect(a.children?.childID == b.children?.childID && a.children?.caseID == b.children?.caseID
                && a.children?.ageBand == b.children?.ageBand && a.children?.ethnicity == b.children?.ethnicity
                && a.children?.line == b.children?.line, sourceLocation: sourceLocation)
        #expect(a.ids.children.count == b.ids.children.count && a.ids.texts.count == b.ids.texts.count, sourceLocation: sourceLocation)
        for code in 0..<a.ids.children.count {
            #expect(a.ids.children.string(UInt32(code)) == b.ids.children.string(UInt32(code)), sourceLocation: sourceLocation)
        }
        for code in 0..<a.ids.texts.count {
            #expect(a.ids.texts.string(UInt32(code)) == b.ids.texts.string(UInt32(code)), sourceLocation: sourceLocation)
        }
        for f in [InputFile.episodes, .children] {
            #expect(a.report(f)?.quarantine == b.report(f)?.quarantine, "\(f)", sourceLocation: sourceLocation)
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

/// The identifier guard on a two-core read: it scans exactly the values a
/// one-core read scans (each pool value once, where it first appears).
@Suite struct ParallelGuardTests {
    /// The `k`th valid NHS number (10 digits, modulus-11 check digit).
    static func nhs(_ k: Int) -> String {
        var n = 400_000_000 + k * 37
        while true {
            let digits = String(n).compactMap { Int(String($0)) }
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
            let check = (11 - sum % 11) % 11
            if check != 10 { return String(n) + String(check) }
            n += 1
        }
    }

    /// The stop each threshold gives: (line, column, kind) of the findings listed, and the total.
    func stops(_ folder: InputFolder, waivers: [IdentifierWaiver] = []) throws -> [[String]] {
        try [Int.max, 0].map { threshold in
            var config = folder.config()
            config.parallelThreshold = threshold
            config.identifierWaivers = waivers
            do {
                _ = try folder.ingest(config)
                return ["no stop"]
            } catch IngestError.identifierValues(_, let findings, let total) {
                return findings.map { "\($0.line):\($0.column):\($0.kind.rawValue)" } + ["total \(total)"]
            }
        }
    }

    /// Case ids that look like NHS numbers, waived in the scores' case_id
    /// only: a waiver covers one column, so the same values in
    /// interventions.csv's case_id stop the run there (each value once), on
    /// one core and on two alike; with a waiver for that column too, nothing
    /// stops.
    @Test func aWaiverCoversItsOwnColumnOnlyOnBothReaders() throws {
        let cases = (0..<40).map(Self.nhs)
        var scores = Minimal.scoresHeader
        for (k, c) in cases.enumerated() { scores += "S\(k),\(c),,T1,W1,2026-01-10,safety,4,practitioner,review\n" }
        var interventions = Minimal.interventionsHeader
        for k in 0..<3_000 { interventions += "I\(k),\(cases[k % cases.count]),,respite,,2026-01-10,,,,,,T1\n" }
        let folder = try Minimal.folder(scores: scores, interventions: interventions,
                                        responses: Minimal.responsesHeader + "R1,I1,\(cases[1]),2026-01-12,accepted,,,,parent\n")
        let scoresOnly = [IdentifierWaiver(file: .scalingScores, column: "case_id", pattern: .nhsNumber)]
        // By hand: interventions.csv lines 2-41 hold the 40 values first; column 1 is case_id.
        let expected = (2...21).map { "\($0):1:nhs_number" } + ["total 40"]
        #expect(try stops(folder, waivers: scoresOnly) == [expected, expected])
        let everyCaseColumn = scoresOnly + [IdentifierWaiver(file: .interventions, column: "case_id", pattern: .nhsNumber),
                                            IdentifierWaiver(file: .responses, column: "case_id", pattern: .nhsNumber)]
        #expect(try stops(folder, waivers: everyCaseColumn) == [["no stop"], ["no stop"]])
    }

    /// Within one file: a value that passed under one column's waiver is
    /// scanned again in a column without it (two columns of the texts pool).
    @Test func aValueWaivedInOneColumnIsCheckedInAnotherOfTheSamePool() throws {
        let header = "child_id,case_id,age_band,sex,ethnicity_group,disability\n"
        var children = header
        // Line 2: an NHS-like value in sex (waived); line 3: the same value in ethnicity_group (not waived).
        children += "K1,C1,0-4,\(Self.nhs(7)),white,no\n"
        children += "K2,C1,0-4,female,\(Self.nhs(7)),no\n"
        for k in 3...3_000 { children += "K\(k),C\(k % 50),5-9,female,white,no\n" }
        let folder = try Minimal.folder(extra: ["children.csv": children])
        let waiver = [IdentifierWaiver(file: .children, column: "sex", pattern: .nhsNumber)]
        #expect(try stops(folder, waivers: waiver) == [["3:4:nhs_number", "total 1"], ["3:4:nhs_number", "total 1"]])
    }

    /// Worker ids that are NHS numbers, unwaived, some met in both halves of
    /// the file, and a free-text column with NHS numbers too: the two-core
    /// stop lists the same first 20 findings and the same total as one core
    /// (a value both readers met new counts once, where the first met it).
    @Test func aValueMetNewByBothReadersIsCountedOnce() throws {
        let rows = 3_000
        var text = "score_id,case_id,child_id,team,worker_id,recorded_on,scale,score,rated_by,setting,note\n"
        for k in 1...rows {
            var worker = "W1", note = ""
            // Values 0-11: first met on lines 101-112, met again in the second half (lines 2601-2612).
            if (100..<112).contains(k) { worker = Self.nhs(k - 100) }
            if (2_600..<2_612).contains(k) { worker = Self.nhs(k - 2_600) }
            // Values 20-29: met only in the second half.
            if (2_700..<2_710).contains(k) { worker = Self.nhs(20 + k - 2_700) }
            // Free text scanned on every row (no pool): five in the second half.
            if [2_605, 2_650, 2_800, 2_900, 2_950].contains(k) { note = "see " + Self.nhs(50 + k) }
            text += "S\(k),C\(k % 97),,T1,\(worker),2026-01-10,safety,\(k % 11),practitioner,review,\(note)\n"
        }
        let folder = try Minimal.folder(scores: text)
        let (one, two) = try { let r = try stops(folder); return (r[0], r[1]) }()
        #expect(one == two)
        // 12 + 10 worker ids and 5 notes, counted by hand.
        #expect(one.last == "total 27")
        #expect(one.count == 21 && one.first == "101:4:nhs_number")
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

/// Row ids are settled once the file is read (``RowIDLog``): on one core and
/// on two, a repeated id is a duplicate when the rest of the row matches the
/// first row with that id, and a conflict (both held back) when it does not.
@Suite struct RowIDRepeatTests {
    func ingest(_ folder: InputFolder, threshold: Int) throws -> IngestResult {
        var config = folder.config()
        config.parallelThreshold = threshold
        return try folder.ingest(config)
    }

    /// A response's case against its intervention's, on one core and on two
    /// (each reader types half): a case known before the file but not the
    /// intervention's, and a case first seen in responses.csv, are both
    /// case_mismatch; the rows are chosen by hand.
    @Test(arguments: [Int.max, 0])
    func responseCasesAreCheckedOnEitherReader(threshold: Int) throws {
        var interventions = Minimal.interventionsHeader
        for k in 1...40 { interventions += "I\(k),C\(k),,respite,,2026-01-10,,,,,,T1\n" }
        var responses = Minimal.responsesHeader
        var expected: [Int] = []
        for k in 1...200 {
            let i = k % 40 + 1
            var caseID = "C\(i)"
            if k % 10 == 3 { caseID = "C\(i % 40 + 1)"; expected.append(k + 1) }
            if k % 10 == 7 { caseID = "N\(k)"; expected.append(k + 1) }
            responses += "R\(k),I\(i),\(caseID),2026-01-12,accepted,,,,parent\n"
        }
        let r = try ingest(try Minimal.folder(interventions: interventions, responses: responses), threshold: threshold)
        let q = try #require(r.report(.responses)).quarantine
        #expect(q.map(\.line) == expected)
        #expect(q.allSatisfy { $0.problems.map(\.reason) == [.caseMismatch] })
        #expect(r.responses.count == 200 - expected.count)
    }

    @Test(arguments: [Int.max, 0])
    func repeatedResponseIdsAreDuplicatesOrConflicts(threshold: Int) throws {
        var interventions = Minimal.interventionsHeader
        for k in 1...400 { interventions += "I\(k),C\(k % 40),,respite,,2026-01-10,,,,,,T1\n" }
        var responses = Minimal.responsesHeader
        for k in 1...800 { responses += "R\(k),I\(k % 400 + 1),C\((k % 400 + 1) % 40),2026-01-12,accepted,,,,parent\n" }
        // Line 802: R3 again, the same in every field: a duplicate. Line 803: R5 again, another day: a conflict.
        responses += "R3,I4,C4,2026-01-12,accepted,,,,parent\n"
        responses += "R5,I6,C6,2026-01-13,accepted,,,,parent\n"
        let r = try ingest(try Minimal.folder(interventions: interventions, responses: responses), threshold: threshold)
        let q = try #require(r.report(.responses)).quarantine
        // By hand: R5's first row (line 6) and its repeat (line 803) are conflicts; line 802 a duplicate.
        #expect(q.map(\.line) == [6, 802, 803])
        #expect(q.map { $0.problems.map(\.reason) } == [[.conflictingID], [.duplicate], [.conflictingID]])
        #expect(r.responses.count == 800 - 1)
        // The quarantine keeps each row's bytes where they lie in the file.
        #expect(q[1].byteCount == "R3,I4,C4,2026-01-12,accepted,,,,parent".utf8.count)
    }

    /// Score ids that look like NHS numbers, each on two rows (duplicates, one
    /// in each half): every value counts once, where it is first met.
    @Test func aRepeatedIdentifierLikeRowIdCountsOnce() throws {
        var text = Minimal.scoresHeader
        for k in 1...3_000 {
            let id = (1...3).contains(k) ? ParallelGuardTests.nhs(k) : (2_997...2_999).contains(k) ? ParallelGuardTests.nhs(k - 2_996) : "S\(k)"
            let row = (2_997...2_999).contains(k) ? k - 2_996 : k
            text += "\(id),C\(row % 97),,T1,W1,2026-01-10,safety,\(row % 11),practitioner,review\n"
        }
        let stops = try ParallelGuardTests().stops(try Minimal.folder(scores: text))
        #expect(stops[0] == ["2:0:nhs_number", "3:0:nhs_number", "4:0:nhs_number", "total 3"])
        #expect(stops[1] == stops[0])
    }
}
