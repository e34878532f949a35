import Foundation
import Testing
import WaymarkTestSupport
import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
@testable import WaymarkIngest

/// The identifier guard over fields the reader skips (over the length limit,
/// or malformed), scanned as they stream past in bounded memory.
@Suite struct SkippedFieldScanTests {
    /// Runs the scanner over `bytes` delivered in pieces of `piece` bytes.
    func scan(_ bytes: [UInt8], piece: Int, waived: UInt16 = 0) -> UInt16 {
        let s = SkippedFieldScan(waived: [waived], dropped: [false])
        s.begin(column: 0)
        bytes.withUnsafeBufferPointer { all in
            var i = 0
            while i < all.count {
                let n = min(piece, all.count - i)
                s.inspect(UnsafeBufferPointer(rebasing: all[i..<(i + n)]))
                i += n
            }
        }
        return s.end()
    }

    /// Filler text of `n` bytes: words and 20-digit numbers, none an identifier.
    func filler(_ n: Int) -> [UInt8] {
        let words = Array("notes about the plan 12345678901234567890 and more words ".utf8)
        return (0..<n).map { words[$0 % words.count] }
    }

    /// An identifier at every offset around the 64 KiB window edges is found,
    /// whatever the reader's piece size.
    @Test(arguments: [1_000, 65_536, 7_919, 1 << 20])
    func identifiersAcrossWindowEdgesAreFound(piece: Int) {
        let planted: [(String, IdentifierKind)] = [
            ("someone.else@example.org", .email), ("943 476 5919", .nhsNumber), ("SW1A 1AA", .postcode), ("AB123456C", .niNumber),
        ]
        for (value, kind) in planted {
            for at in [10, 65_536 - 330, 65_536 - 12, 65_536 - 3, 65_536, 65_536 + 5, 131_000, 199_960] {
                var bytes = filler(200_000)
                let v = Array((" ; " + value + " ; ").utf8)
                bytes.replaceSubrange(at..<(at + v.count), with: v)
                #expect(bytes.withUnsafeBufferPointer { IdentifierGuard.scan($0) } == kind, "planted \(value) at \(at)")
                #expect(scan(bytes, piece: piece) == kind.bit, "\(value) at \(at), piece \(piece)")
            }
        }
    }

    /// Windows end and start at token boundaries: no cut token looks like an
    /// identifier, and a run of letters and digits longer than a window is
    /// passed over.
    @Test func nothingIsFoundInLongHarmlessText() {
        #expect(scan(filler(300_000), piece: 4_096) == 0)
        // 9434765919 inside a longer run of digits is not a whole token.
        let digits = Array(String(repeating: "1", count: 70_000).utf8) + Array("9434765919".utf8) + Array(String(repeating: "2", count: 70_000).utf8)
        #expect(scan(digits, piece: 10_000) == 0)
        let lettersThenID = Array(String(repeating: "x", count: 150_000).utf8) + Array(" 943 476 5919".utf8)
        #expect(scan(lettersThenID, piece: 10_000) == IdentifierKind.nhsNumber.bit)
    }

    @Test func aWaivedPatternIsLetThroughAndOthersAreNot() {
        var bytes = filler(100_000)
        bytes.replaceSubrange(500..<512, with: Array(" 9434765919 ".utf8))
        #expect(scan(bytes, piece: 4_096, waived: IdentifierKind.nhsNumber.bit) == 0)
        bytes.replaceSubrange(90_000..<90_020, with: Array(" someone@example.org".utf8))
        #expect(scan(bytes, piece: 4_096, waived: IdentifierKind.nhsNumber.bit) == IdentifierKind.email.bit)
    }

    /// Issue #11: an e-mail address inside a 70 kB field landed in quarantine/
    /// with exit 0. Now the run stops naming the line and column, not the value.
    @Test(arguments: [false, true])
    func anEmailInAnOverLongFieldStopsTheRun(quoted: Bool) throws {
        var long = String(repeating: "notes ", count: 6_000) + "write to someone.else@example.org " + String(repeating: "notes ", count: 6_000)
        if quoted { long = "\"" + long.replacingOccurrences(of: "notes ", with: "notes, \"\"x\"\"\n") + "\"" }
        let f = try Minimal.folder(scores: Minimal.scores + "S2,C1,,\(long),W1,2026-01-10,safety,4,practitioner,review\n")
        #expect { try f.ingest() } throws: { error in
            let text = "\(error)"
            return text.contains("scaling_scores.csv:3: column 4 (team) holds what looks like an e-mail address") && !text.contains("example.org")
        }
    }

    /// The rest of a field with a malformed quote is scanned too.
    @Test func anEmailAfterAMalformedQuoteStopsTheRun() throws {
        let f = try Minimal.folder(scores: Minimal.scores + "S2,C1,,T1 \"x\" write to someone@example.org,W1,2026-01-10,safety,4,practitioner,review\n")
        #expect { try f.ingest() } throws: { "\($0)".contains("scaling_scores.csv:3: column 4 (team) holds what looks like an e-mail address") }
    }

    /// An over-long field with nothing identifying is quarantined as before.
    @Test func aHarmlessOverLongFieldIsQuarantined() throws {
        let f = try Minimal.folder(scores: Minimal.scores + "S2,C1,,\(String(repeating: "notes ", count: 12_000)),W1,2026-01-10,safety,4,practitioner,review\n")
        expectQuarantine(try f.ingest(), .scalingScores, [(3, ["field_too_long"], ["team"])])
    }
}
