import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
@testable import WaymarkReports
import WaymarkRecordLevel

@Suite struct QuarantineOutputTests {
    func run(_ folder: InputFolder) throws -> (RunContext, IngestResult) {
        let out = folder.path + "/out"
        let config = folder.config()
        let dates = RunDates(asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-11-05")!)
        let context = RunContext(config: config, dates: dates, outputFolder: out, command: "validate")
        let result = try Validation.run(context)
        try Validation.writeManifest(context, ingest: result, status: "ok")
        return (context, result)
    }

    @Test func rejectedBytesAreRecoverableExactlyAndFormulaSafe() throws {
        let bad1 = "=HYPERLINK(\"x\"),C1,,T1,W1,2026-01-10,safety,44,practitioner,review"
        let bad2 = "S2,C1,,\"multi\r\nline, team\",W1,notadate,safety,4,practitioner,review"
        let bad3 = "-S3,C1,,T1,W1,2026-01-10,safety,4,nobody,review"
        let text = Minimal.scoresHeader + bad1 + "\r\n" + bad2 + "\n" + bad3 + "\nS4,C1,,T1,W1,2026-01-10,safety,4,parent,review\n"
        let f = try Minimal.folder(scores: text)
        let (context, _) = try run(f)
        let path = context.outputFolder + "/quarantine/scaling_scores.csv"
        let rows = try CSVReader.readAll(path: path)
        #expect(rows[0].fields == QuarantineWriter.header)
        #expect(rows.count == 4)
        // Exact bytes, from base64.
        let decoded = rows.dropFirst().map { String(decoding: Base64.decode(String($0.fields[5].dropFirst(4))) ?? [], as: UTF8.self) }
        #expect(decoded == [bad1, bad2, bad3])
        // Lines and reasons.
        #expect(rows.dropFirst().map(\.fields[1]) == ["2", "3", "5"])
        #expect(rows[1].fields[2] == "malformed_quote;out_of_range" && rows[1].fields[3] == "score_id;score")
        // No text cell starts with a formula character unless neutralised with '.
        for row in rows {
            for cell in row.fields {
                if let c = cell.first { #expect(!"=+-@\t\r".contains(c), "cell \(cell.debugDescription)") }
            }
        }
        #expect(rows[1].fields[4].hasPrefix("'=HYPERLINK"))
        #expect(rows[3].fields[4].hasPrefix("'-S3"))

        // And quarantine-restore rebuilds a feedable file.
        let restored = f.path + "/restored.csv"
        let n = try QuarantineRestorer.restore(quarantine: path, original: f.path + "/scaling_scores.csv", to: restored)
        #expect(n == 3)
        let back = try String(contentsOfFile: restored, encoding: .utf8)
        #expect(back == Minimal.scoresHeader + bad1 + "\n" + bad2 + "\n" + bad3 + "\n")
    }

    @Test func qualityAndManifestCountEveryRow() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,C1,,T1,W1,bad,safety,4,practitioner,review
        S3,C1,,T1,W1,bad,safety,4,practitioner,review

        S4,C1,,T1,W1,2026-01-10,safety,x,practitioner,review

        """)
        let (context, _) = try run(f)
        let quality = try CSVReader.readAll(path: context.outputFolder + "/quality.csv").map(\.fields)
        #expect(quality[0] == QualityReport.header)
        #expect(quality[1].prefix(5) == ["scaling_scores.csv", "bad_date", "2", "3 4", "recorded_on"])
        #expect(quality[2].prefix(5) == ["scaling_scores.csv", "bad_number", "1", "6", "score"])
        #expect(quality[3].prefix(3) == ["scaling_scores.csv", "blank_line_skipped", "1"])
        let manifest = try String(contentsOfFile: context.outputFolder + "/manifest.json", encoding: .utf8)
        for needle in ["\"rows_read\": 4", "\"rows_accepted\": 1", "\"rows_quarantined\": 3", "\"blank_lines_skipped\": 1",
                       "\"rows_balance\": true", "\"as_of\": \"2026-10-31\"", "\"extracted_on\": \"2026-11-05\"",
                       "\"sha256\": \"", "\"quality.csv\"", "\"quarantine/scaling_scores.csv\"", "\"window_days\": 365"] {
            #expect(manifest.contains(needle), "\(needle)")
        }
    }

    @Test func sameInputsAndDatesGiveIdenticalOutputs() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + "S1,C1,,T1,W1,bad,safety,4,practitioner,review\n")
        let (a, _) = try run(f)
        let first = try ["quality.csv", "quarantine/scaling_scores.csv"].map { try Data(contentsOf: URL(fileURLWithPath: a.outputFolder + "/" + $0)) }
        let (b, _) = try run(f)
        let second = try ["quality.csv", "quarantine/scaling_scores.csv"].map { try Data(contentsOf: URL(fileURLWithPath: b.outputFolder + "/" + $0)) }
        #expect(first == second)
    }

    @Test func csvWriterNeutralisesAndQuotes() throws {
        let dir = try InputFolder([:])
        let path = dir.path + "/w.csv"
        let w = try CSVWriter(path: path)
        try w.write([.text("=1+1"), .text("+x"), .text("@a"), .text("a,b"), .text("q\"q"), .number(-2.5), .number(3), .integer(-4), .empty])
        try w.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "'=1+1,'+x,'@a,\"a,b\",\"q\"\"q\",-2.5,3,-4,\r\n")
    }
}
