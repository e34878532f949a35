import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
@testable import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

@Suite struct IdentifierGuardTests {
    // 943 476 5919 is the NHS's published test number: weights 10..2 give 299,
    // 299 mod 11 = 2, check digit 11 - 2 = 9.
    @Test(arguments: [
        ("9434765919", IdentifierKind.nhsNumber), ("943 476 5919", .nhsNumber), ("943-476-5919", .nhsNumber),
        ("SW1A 1AA", .postcode), ("sw1a1aa", .postcode), ("M1 1AE", .postcode), ("lives near B33 8TH now", .postcode),
        ("B801200005001", .upn),                      // check: 8*2+1*4+2*5+5*10+1*13 = 93, 93 mod 23 = 1 -> B
        ("AB123456C", .niNumber), ("AB 12 34 56 C", .niNumber),
        ("someone@example.org", .email), ("mail: a.b+c@council.gov.uk.", .email),
        ("07700 900123", .phone), ("07700900123", .phone), ("+44 20 7946 0018", .phone), ("(020) 7946 0018", .phone),
        ("0044 161 496 0000", .phone),
    ])
    func findsRealIdentifiers(value: String, kind: IdentifierKind) {
        #expect(IdentifierGuard.scan(value) == kind, "\(value)")
    }

    @Test(arguments: [
        "9434765918",                        // 10 digits failing modulus 11
        "4010232138",                        // ditto
        "Team SW1A",                         // an outward postcode alone inside a team name
        "SW1A",
        "3f2a9c8e4b1d0f7a6c5e3b2a1d0c9f8e",  // a 32-hex pseudonym
        "A801200005001",                     // a UPN shape with the wrong check letter
        "F-3fa91c2ex1k", "F-01234567x2-c1", "S12345", "W304",
        "QQ123456C",                         // Q is not a valid first NI letter
        "2026-01-10", "10/01/2026", "7.5", "12345678901234",
        "user at example dot org", "@handle", "a@b",
        "0123", "1234 567 8901",
    ])
    func passesLookAlikes(value: String) {
        #expect(IdentifierGuard.scan(value) == nil, "\(value)")
    }

    @Test func boundedOnLongFields() {
        // An unbounded e-mail pattern is quadratic on this; the guard is linear.
        let long = String(repeating: "a.", count: 30_000) + "@"
        let start = Date()
        #expect(IdentifierGuard.scan(long) == nil)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test(arguments: [
        ("Surname", IdentifierKind.name), ("First Name", .name), ("child_name", .name), ("DOB", .dateOfBirth),
        ("Date of Birth", .dateOfBirth), ("post_code", .postcode), ("Postcode", .postcode), ("NHS Number", .nhsNumber),
        ("nhs_no", .nhsNumber), ("UPN", .upn), ("NI Number", .niNumber), ("National Insurance Number", .niNumber),
        ("E-mail", .email), ("email_address", .email), ("Phone", .phone), ("Mobile Number", .phone),
        ("Address Line 1", .address), ("name", .name),
    ])
    func refusesIdentifierHeaders(header: String, kind: IdentifierKind) {
        #expect(IdentifierGuard.check(header: header) == kind, "\(header)")
    }

    @Test(arguments: ["case_id", "child_id", "team", "Team Name", "worker_id", "scale", "rated_by", "closure_reason",
                      "provider", "responder", "age_band", "sex", "ethnicity_group", "disability", "type", "setting"])
    func acceptsCanonicalHeaders(header: String) {
        #expect(IdentifierGuard.check(header: header) == nil, "\(header)")
    }

    @Test func anIdentifierValueStopsTheRunWithoutEchoingIt() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,9434765919,,T1,W1,2026-01-10,safety,4,practitioner,review
        S3,C1,,T1,W1,2026-01-10,safety,4,practitioner,review

        """)
        #expect {
            try f.ingest()
        } throws: { error in
            let text = "\(error)"
            return text.contains("scaling_scores.csv:3: column 2 (case_id)") && text.contains("NHS number")
                && !text.contains("9434765919")
        }
    }

    @Test func identifiersInUnknownColumnsAndInRejectedRowsAreFoundToo() throws {
        let extra = try Minimal.folder(scores: "case_id,recorded_on,scale,score,rated_by,notes\nC1,2026-01-10,safety,4,parent,call 07700 900123\n")
        #expect { try extra.ingest() } throws: { "\($0)".contains(":2: column 6 (notes)") && !"\($0)".contains("07700") }
        // A typed column that fails to parse is scanned as well.
        let typed = try Minimal.folder(scores: Minimal.scoresHeader + "S1,C1,,T1,W1,someone@example.org,safety,4,practitioner,review\n")
        #expect { try typed.ingest() } throws: { "\($0)".contains("(recorded_on)") && !"\($0)".contains("example.org") }
    }

    @Test func anIdentifierHeaderStopsTheRun() throws {
        let f = try Minimal.folder(scores: "case_id,recorded_on,scale,score,rated_by,Surname\nC1,2026-01-10,safety,4,parent,x\n")
        // The header cell itself is not echoed (issue #11): only its position and kind.
        #expect { try f.ingest() } throws: { "\($0)".contains("scaling_scores.csv:1: column 6 names a person's name") && !"\($0)".contains("Surname") }
    }

    /// An export without a header row: the stop message (required columns missing) names the
    /// header cells it can show, never the NHS number, e-mail address or postcode of the first row.
    @Test func aMissingHeaderRowIsNotEchoed() throws {
        let f = try Minimal.folder(scores: "S1,9434765919,jo.bloggs@example.org,SW1A 1AA,2026-01-10,safety,4,practitioner\n")
        #expect {
            try f.ingest()
        } throws: { error in
            let text = "\(error)"
            return text.contains("required column(s) missing") && text.contains("(column 2 not shown)")
                && text.contains("does the export have a header row?")
                && !text.contains("9434765919") && !text.contains("jo.bloggs") && !text.contains("SW1A")
        }
    }

    /// Waivers (DATA-CONTRACT.md): one pattern in one column. 9434765919 passes the NHS modulus-11
    /// check (9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299 = 11*27+2, check digit 11-2 = 9).
    @Test func aWaiverLetsOnePatternThroughInOneColumn() throws {
        let scores = Minimal.scoresHeader + "S1,9434765919,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
            + "S2,9434765919,,T1,W1,2026-02-10,safety,5,practitioner,review\n"
        let f = try Minimal.folder(scores: scores)
        var config = f.config()
        let before: Bool
        do { _ = try f.ingest(config); before = false } catch { before = true }
        #expect(before, "without a waiver the NHS-like case id stops the run")
        config.identifierWaivers = [IdentifierWaiver(file: .scalingScores, column: "case_id", pattern: .nhsNumber)]
        let r = try f.ingest(config)
        #expect(r.rowsQuarantined == 0 && r.scores.count == 2)

        // The same waiver does not let an e-mail address through in that column, nor an NHS number in another.
        for bad in ["S3,jo@example.org,,T1,W1,2026-03-10,safety,5,practitioner,review",
                    "S3,C2,,T1,9434765919,2026-03-10,safety,5,practitioner,review"] {
            let g = try Minimal.folder(scores: scores + bad + "\n")
            var gc = g.config()
            gc.identifierWaivers = config.identifierWaivers
            let stopped: Bool
            do { _ = try g.ingest(gc); stopped = false } catch { stopped = "\(error)".contains("look like direct identifiers") }
            #expect(stopped, "\(bad.prefix(3)) should stop the run")
        }
    }

    /// A waiver for a column the file does not have stops the run; the stop message without one says how to add one.
    @Test func waiverMistakesAndAdvice() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + "S1,9434765919,,T1,W1,2026-01-10,safety,4,practitioner,review\n")
        var config = f.config()
        #expect { try f.ingest(config) } throws: { "\($0)".contains("identifier_guard: {allow: [{file: scaling_scores, column: case_id, pattern: nhs_number}]}") }
        config.identifierWaivers = [IdentifierWaiver(file: .scalingScores, column: "case_ref", pattern: .nhsNumber)]
        #expect { try f.ingest(config) } throws: { "\($0)".contains("names a column this file does not have") }
    }

    /// Every column is scanned whatever its type: an NHS number as planned hours (a valid decimal) stops the run.
    @Test func aNumberColumnIsScannedToo() throws {
        let f = try Minimal.folder(interventions: Minimal.interventionsHeader + "I1,C1,,respite,,2026-01-10,,,,9434765919,,T1\n")
        #expect { try f.ingest() } throws: { "\($0)".contains("interventions.csv:2: column 10 (planned_hours)") && !"\($0)".contains("9434765919") }
    }

    /// A waiver's bit is the kind's place in `allCases`, one bit each.
    @Test func eachKindHasItsOwnBitInOrder() {
        for (k, kind) in IdentifierKind.allCases.enumerated() { #expect(kind.bit == UInt16(1) << UInt16(k)) }
    }

    /// The stop lists the first 20 findings in file order, and within a row in
    /// column order, even though score_id is interned last: here the 20th is
    /// row 20's score_id (column 1), not its worker_id (column 5).
    @Test func theTwentiethFindingIsTakenInColumnOrder() throws {
        var rows = Minimal.scoresHeader
        for k in 1...19 { rows += "S\(k),C1,,T1,w\(k)@example.org,2026-01-10,safety,4,practitioner,review\n" }
        rows += "s20@example.org,C1,,T1,w20@example.org,2026-01-11,safety,4,practitioner,review\n"
        let f = try Minimal.folder(scores: rows)
        #expect { try f.ingest() } throws: { error in
            let text = "\(error)"
            return text.contains("scaling_scores.csv:21: column 1 (score_id)") && !text.contains("scaling_scores.csv:21: column 5")
                && text.contains("21 value(s)") && !text.contains("@example.org")
        }
    }
}
