import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
@testable import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// One hand-made file per rule of DATA-CONTRACT.md, asserting the exact line,
/// column, reason and counts.
@Suite struct IngestRulesTests {
    @Test func missingRequiredValuesIncludingWhiteSpace() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,,,T1,W1,2026-01-10,safety,4,practitioner,review
        S3, \t,,T1,W1,2026-01-10,safety,4,practitioner,review
        S4,C1,,T1,W1,,safety,4,practitioner,review
        S5,C1,,,,2026-01-10,safety,,,

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (3, ["missing_value"], ["case_id"]),
            (4, ["missing_value"], ["case_id"]),
            (5, ["missing_value"], ["recorded_on"]),
            (6, ["missing_value", "missing_value"], ["score", "rated_by"]),
        ])
        #expect(r.report(.scalingScores)?.rowsRead == 5)
        #expect(r.scores.count == 1)
    }

    @Test func typesDatesNumbersAndRanges() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-02-30,safety,4,practitioner,review
        S2,C1,,T1,W1,10/01/2026,safety,4,practitioner,review
        S3,C1,,T1,W1,2026-01-10,safety,four,practitioner,review
        S4,C1,,T1,W1,2026-01-10,safety,10.5,practitioner,review
        S5,C1,,T1,W1,2026-01-10,worry,-1,group,unit_meeting
        S6,C1,,T1,W1,2026-01-10,safety,0,practitioner,review
        S7,C1,,T1,W1,2026-01-10,safety,10,practitioner,review
        S8,C1,,T1,W1,2026-01-10,safety,7.25,parent,

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (2, ["bad_date"], ["recorded_on"]),
            (3, ["bad_date"], ["recorded_on"]),
            (4, ["bad_number"], ["score"]),
            (5, ["out_of_range"], ["score"]),
            (6, ["out_of_range"], ["score"]),
        ])
        #expect(r.scores.score == [0, 10, 7.25])
        #expect(r.scores.day.first == Day(year: 2026, month: 1, day: 10)?.number)
    }

    @Test func vocabulariesAndScales() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,Practitioner,review
        S2,C1,,T1,W1,2026-01-10,mood,4,practitioner,review
        S3,C1,,T1,W1,2026-01-10,safety,4,partner_agency,meeting
        S4,C1,,T1,W1,2026-01-10,safety,4,group,unit_meeting

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (2, ["unknown_value"], ["rated_by"]),
            (3, ["unknown_scale"], ["scale"]),
            (4, ["unknown_value"], ["setting"]),
        ])
        #expect(r.scores.rater == [Rater.group.code])
        #expect(r.scores.setting == [Setting.unitMeeting.code])
    }

    @Test func futureDatesAgainstExtractedOn() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-11-05,safety,4,practitioner,review
        S2,C1,,T1,W1,2026-11-06,safety,4,practitioner,review
        S3,C1,,T1,W1,2026-11-02,safety,4,practitioner,review

        """)
        let r = try f.ingest(extractedOn: "2026-11-05")
        // After as_of (31 October) but not after extracted_on: valid.
        expectQuarantine(r, .scalingScores, [(3, ["future_date"], ["recorded_on"])])
        #expect(r.scores.count == 2)
    }

    @Test func interventionDatesAndRanges() throws {
        let f = try Minimal.folder(interventions: Minimal.interventionsHeader + """
        I1,C1,,respite,,2026-01-10,2026-01-20,2026-01-19,completed,4,in_house,T1
        I2,C1,,respite,,2026-01-10,2026-01-20,2026-01-20,completed,4,in_house,T1
        I3,C1,,respite,,2026-01-10,,,,-2,in_house,T1
        I4,C1,,respite,magic,2026-01-10,,,done,,shop,T1
        I5,C1,,,,2026-01-10,,,,,,T1

        """, responses: Minimal.responsesHeader)
        let r = try f.ingest()
        expectQuarantine(r, .interventions, [
            (2, ["ended_before_started"], ["ended_on"]),
            (4, ["out_of_range"], ["planned_hours"]),
            (5, ["unknown_value", "unknown_value", "unknown_value"], ["approach", "end_reason", "provider"]),
            (6, ["missing_value"], ["type"]),
        ])
        #expect(r.interventions.count == 1)
        // A blank approach comes from the type table (respite -> practical).
        #expect(r.interventions.approach == [Approach.practical.code])
    }

    @Test func responsesCheckedAgainstInterventions() throws {
        let f = try Minimal.folder(interventions: Minimal.interventionsHeader + """
        I1,C1,,respite,,2026-01-10,,,,,,T1
        I2,C1,,respite,,2026-01-10,2026-01-20,2026-01-01,,,,T1

        """, responses: Minimal.responsesHeader + """
        R1,I1,C1,2026-01-12,accepted,,,,parent
        R2,I9,C1,2026-01-12,accepted,,,,parent
        R3,I1,C2,2026-01-12,accepted,,,,parent
        R4,I2,C1,2026-01-12,accepted,,,,parent
        R5,I1,C1,2026-01-12,engaged,4,5,,parent
        R6,I1,C1,2026-01-12,engaged,5,5,11,parent
        R7,I1,C1,2026-01-12,engaged,5,x,,parent

        """)
        let r = try f.ingest()
        expectQuarantine(r, .interventions, [(3, ["ended_before_started"], ["ended_on"])])
        expectQuarantine(r, .responses, [
            (3, ["unknown_intervention"], ["intervention_id"]),
            (4, ["case_mismatch"], ["case_id"]),
            (5, ["parent_quarantined"], ["intervention_id"]),
            (6, ["attended_exceeds_offered"], ["sessions_attended"]),
            (7, ["out_of_range"], ["family_rating"]),
            (8, ["bad_integer"], ["sessions_attended"]),
        ])
        #expect(r.responses.intervention == [0])
    }

    @Test func blankRowsAndZeroLengthLines() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + "\n" + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review

        ,,,,,,,,,
        ,,
        S2,C1,,T1,W1,2026-01-10,safety,5,practitioner,review
        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [(5, ["blank_row"], [""]), (6, ["blank_row"], [""])])
        let report = try #require(r.report(.scalingScores))
        #expect(report.blankLinesSkipped == 2)
        #expect(report.rowsRead == 4 && report.rowsAccepted == 2 && report.rowsQuarantined == 2)
    }

    @Test func wrongFieldCountAndMalformedQuotes() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner
        S2,C1,,T1,W1,2026-01-10,safety,4,practitioner,review,extra
        S3,C"1,,T1,W1,2026-01-10,safety,4,practitioner,review
        "S4","C1","","T1","W1","2026-01-10","safety","4","practitioner","review"

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (2, ["wrong_field_count"], [""]),
            (3, ["wrong_field_count"], [""]),
            (4, ["malformed_quote"], ["case_id"]),
        ])
        #expect(r.scores.count == 1)
    }

    @Test func duplicatesKeepTheFirstAndConflictsHoldAllBack() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,C1,,T1,W1,2026-01-10,safety,5,practitioner,review
        S3,C1,,T1,W1,2026-01-11,safety,6,practitioner,review

        """, interventions: Minimal.interventionsHeader + """
        I1,C1,,respite,,2026-01-10,,,,,,T1
        I1,C1,,respite,,2026-01-11,,,,,,T1

        """, responses: Minimal.responsesHeader + "R1,I1,C1,2026-01-12,accepted,,,,parent\n")
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (3, ["duplicate"], [""]),
            (4, ["conflicting_id"], [""]),
            (5, ["conflicting_id"], [""]),
        ])
        #expect(r.scores.line == [2, 6])
        expectQuarantine(r, .interventions, [(2, ["conflicting_id"], [""]), (3, ["conflicting_id"], [""])])
        expectQuarantine(r, .responses, [(2, ["parent_quarantined"], ["intervention_id"])])
    }

    @Test func rowsWithoutAnIdAreComparedByContent() throws {
        let f = try Minimal.folder(scores: """
        case_id,recorded_on,scale,score,rated_by
        C1,2026-01-10,safety,4,practitioner
        C1,2026-01-10,safety,4,practitioner
        C1,2026-01-10,safety,5,practitioner

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [(3, ["duplicate"], [""])])
        #expect(r.scores.count == 2)
    }

    @Test func severalFaultsAreOneRowWithEveryReason() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,,,T1,W1,2026-13-01,safety,12,nobody,review

        """)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [
            (2, ["missing_value", "bad_date", "out_of_range", "unknown_value"], ["case_id", "recorded_on", "score", "rated_by"]),
        ])
    }

    /// intervention_id is interned after the rest of its row (its slot is
    /// fetched first), yet its problem keeps its place: after the reader's
    /// field faults, before the problems of later columns.
    @Test func aMissingInterventionIdIsListedInColumnOrder() throws {
        var bytes = Array(Minimal.interventionsHeader.utf8)
        bytes += Array(",C1,,,magic,2026-13-01,,,,,,T\u{1}1\n".utf8)
        bytes += Array(",C1,,respite,,2026-01-10,,,,,,T1\n".utf8)
        bytes += Array("I3,C1,,,,2026-01-10,,,,,,T1\n".utf8)
        let f = try Minimal.folder(responses: Minimal.responsesHeader)
        try f.write("interventions.csv", bytes)
        let r = try f.ingest()
        expectQuarantine(r, .interventions, [
            (2, ["forbidden_character", "missing_value", "missing_value", "unknown_value", "bad_date"],
             ["team", "intervention_id", "type", "approach", "offered_on"]),
            (3, ["missing_value"], ["intervention_id"]),
            (4, ["missing_value"], ["type"]),
        ])
    }

    @Test func invalidTextAndLongFields() throws {
        var bytes = Array(Minimal.scoresHeader.utf8)
        bytes += Array("S1,C1,,T\u{200B}1,W1,2026-01-10,safety,4,practitioner,review\n".utf8)
        bytes += Array("S2,C1,,T1,W".utf8) + [0x7F] + Array(",2026-01-10,safety,4,practitioner,review\n".utf8)
        bytes += Array("S3,C1,,T1,W\u{1}1,2026-01-10,safety,4,practitioner,review\n".utf8)
        bytes += Array("S4,C1,,\(String(repeating: "x", count: 300)),W1,2026-01-10,safety,4,practitioner,review\n".utf8)
        bytes += Array("S5,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n".utf8)
        let f = try Minimal.folder()
        try f.write("scaling_scores.csv", bytes)
        var config = f.config()
        config.limits.maxFieldBytes = 100
        let r = try f.ingest(config)
        expectQuarantine(r, .scalingScores, [
            (2, ["forbidden_character"], ["team"]),
            (3, ["forbidden_character"], ["worker_id"]),
            (4, ["forbidden_character"], ["worker_id"]),
            (5, ["field_too_long"], ["team"]),
        ])
        #expect(r.scores.line == [6])
    }

    @Test func lineNumbersFollowPhysicalLinesAcrossQuotedBreaksAndMixedEndings() throws {
        let text = Minimal.scoresHeader.replacingOccurrences(of: "\n", with: "\r\n")
            + "S1,C1,,\"Team\nwith break\",W1,2026-01-10,safety,4,practitioner,review\r"
            + "S2,C1,,T1,W1,bad,safety,4,practitioner,review\r\n"
            + "S3,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
            + "S4,C1,,T1,W1,2026-01-10,safety,99,practitioner,review"
        let f = try Minimal.folder(scores: text)
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [(4, ["bad_date"], ["recorded_on"]), (6, ["out_of_range"], ["score"])])
    }

    @Test func headersAreMatchedCaseInsensitivelyAfterTrimmingAndExtrasReportedOnce() throws {
        let f = try Minimal.folder(scores: """
         Case_ID ,RECORDED_ON,Scale,score,Rated_By,notes
        C1,2026-01-10,safety,4,practitioner,x
        C2,2026-01-10,safety,4,practitioner,y

        """)
        let r = try f.ingest()
        #expect(r.scores.count == 2)
        #expect(r.report(.scalingScores)?.unknownColumns == ["notes"])
        #expect(r.warnings.filter { $0.contains("notes") }.count == 1)
    }

    @Test func missingRequiredColumnStopsTheRunNamingFileAndLine() throws {
        let f = try Minimal.folder(scores: "case_id,recorded_on,score,rated_by\nC1,2026-01-10,4,parent\n")
        #expect {
            try f.ingest()
        } throws: { error in
            let text = "\(error)"
            return text.contains("scaling_scores.csv:1:") && text.contains("scale") && text.contains("columns:")
        }
    }

    /// Issue #11: a windows-1252 byte in a file that does not declare that
    /// encoding was quarantined; the contract says the run stops.
    @Test func aWindows1252ByteInAnUndeclaredFileStopsTheRun() throws {
        let f = try Minimal.folder()
        try f.write("scaling_scores.csv", Array((Minimal.scores + "S2,C1,,T1,W").utf8) + [0xE9] + Array(",2026-01-10,safety,4,practitioner,review\n".utf8))
        #expect { try f.ingest() } throws: { "\($0)".contains("scaling_scores.csv:3: column 5 is not valid UTF-8") && "\($0)".contains("encoding: windows-1252") }
    }

    /// A UTF-8 export declared windows-1252 is read as declared, with a warning
    /// naming its first line that reads as UTF-8.
    @Test func aUTF8FileDeclaredWindows1252Warns() throws {
        let f = try Minimal.folder(scores: Minimal.scores + "S2,C1,,Caf\u{E9},W1,2026-01-10,safety,4,practitioner,review\n")
        var config = f.config()
        config.inputs[.scalingScores]?.dialect.encoding = .windows1252
        let r = try f.ingest(config)
        #expect(r.warnings.contains { $0.hasPrefix("scaling_scores.csv:3: the pipeline file declares `encoding: windows-1252`") })
        #expect(try f.ingest().warnings.allSatisfy { !$0.contains("windows-1252") })
    }

    @Test func utf16FileStopsTheRunWithAHint() throws {
        let f = try Minimal.folder()
        try f.write("scaling_scores.csv", [0xFF, 0xFE] + Array(Minimal.scores.utf8).flatMap { [$0, 0] })
        #expect { try f.ingest() } throws: { "\($0)".contains("UTF-16") && "\($0)".contains("CSV UTF-8") }
    }

    @Test func unterminatedQuoteStopsTheRunNamingTheLine() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\nS2,\"C1,,T1\n")
        #expect { try f.ingest() } throws: { "\($0)".contains("scaling_scores.csv:3:") }
    }

    @Test func tooManyColumnsStopsTheRun() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + String(repeating: "x,", count: 20) + "x\n")
        var config = f.config()
        config.limits.maxColumns = 16
        #expect { try f.ingest(config) } throws: { "\($0)".contains("scaling_scores.csv:2:") && "\($0)".contains("more than 16 columns") }
    }

    @Test func optionalFilesAndTheirRules() throws {
        let f = try Minimal.folder(extra: [
            "episodes.csv": "case_id,opened_on,closed_on,closure_reason\nC1,2025-01-01,2025-06-01,R1\nC1,2025-09-01,2025-08-01,\nC1,2025-01-01,2025-07-01,R2\n",
            "children.csv": "child_id,case_id,age_band,sex,ethnicity_group,disability\nK1,C1,0-4,female,White,no\nK2,C1,5-9,male,Asian,maybe\nK1,C1,0-4,female,White,no\n",
        ])
        let r = try f.ingest()
        expectQuarantine(r, .episodes, [
            (2, ["conflicting_id"], [""]), (3, ["closed_before_opened"], ["closed_on"]), (4, ["conflicting_id"], [""]),
        ])
        expectQuarantine(r, .children, [(3, ["unknown_value"], ["disability"]), (4, ["duplicate"], [""])])
        #expect(r.children?.count == 1)
        #expect(r.episodes?.count == 0)
    }

    @Test func missingOptionalFilesAreAbsentNotEmpty() throws {
        let r = try Minimal.folder().ingest()
        #expect(r.episodes == nil && r.children == nil)
        #expect(r.files.map(\.file) == [.scalingScores, .interventions, .responses])
    }
}

@Suite struct HeaderPositionTests {
    @Test func blankLinesBeforeTheHeader() throws {
        let f = try Minimal.folder(scores: "\n\n" + Minimal.scoresHeader + "S1,C1,,T1,W1,bad,safety,4,practitioner,review\n")
        let r = try f.ingest()
        expectQuarantine(r, .scalingScores, [(4, ["bad_date"], ["recorded_on"])])
        #expect(r.report(.scalingScores)?.blankLinesSkipped == 2)
    }
}
