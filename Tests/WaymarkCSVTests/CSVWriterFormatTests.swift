import Foundation
import Testing
@testable import WaymarkCSV

/// The writer's own number formatting (issue #15) against Swift's shortest
/// round-trip `description`, the reference it replaces on the hot path.
@Suite struct CSVWriterFormatTests {
    static func reference(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return "" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    @Test func numbersMatchTheShortestRoundTripText() {
        var rng = SplitMix(seed: 15)
        var checked = 0
        // Scores, halves, quarters, hours, means and slopes, tiny and huge values,
        // values at every power of ten and their neighbours.
        var values: [Double] = [0, -0.0, 0.5, -0.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1e-4, 9.999e-5, 0.00012, 1e9 - 0.5, 1e9 + 0.5,
                                123456789.1234, 1e15, 1e15 + 2, 1e16, 1e300, 5e-324, -7.25, 2.675, 1.005, 0.0005, 0.00005]
        for e in -8...16 {
            let p = pow(10.0, Double(e))
            values += [p, p.nextUp, p.nextDown, -p, p * 1.5]
        }
        for _ in 0..<1_000_000 {
            let r = rng.next()
            switch r % 6 {
            case 0: values.append(Double(Int(r >> 8) % 2001 - 1000) / 100)           // two decimals
            case 1: values.append(Double(Int(r >> 8) % 200_001 - 100_000) / 10_000)  // four decimals
            case 2: values.append(Double(bitPattern: r))                              // any double
            case 3: values.append(Double(Int(r >> 8) % 1000) / 7)                     // means
            case 4: values.append(Double(Int(r >> 16) % 1_000_000_000) / 1000)        // large, three decimals
            default: values.append(Double(r >> 11) * 0x1p-53 * 10)                    // uniform 0-10
            }
        }
        for v in values where !v.isNaN {
            let ours = CSVWriter.format(v), theirs = Self.reference(v)
            if ours != theirs { Issue.record("\(v.bitPattern): \(ours) <> \(theirs)"); break }
            checked += 1
        }
        #expect(checked == values.filter { !$0.isNaN }.count)
    }

    @Test func integersAndDatesAreWrittenDigitByDigit() throws {
        var out: [UInt8] = []
        for v in [0, 7, -7, 10, 1234567890, Int.max, Int.min, -100] {
            out.removeAll()
            CSVWriter.appendInteger(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString).csv").path
        let w = try CSVWriter(path: path, bom: false)
        w.date(year: 2026, month: 3, day: 9); w.integer(-12); w.number(2.5); w.number(nil as Double?); w.text("=SUM(A1)"); w.text("a,\"b\"")
        try w.endRow()
        w.raw(CSVWriter.escaped("-1")); w.empty()
        try w.endRow()
        try w.close()
        // Hand-written: formula-safe text gets a leading apostrophe, quotes are doubled.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "2026-03-09,-12,2.5,,'=SUM(A1),\"a,\"\"b\"\"\"\r\n'-1,\r\n")
    }
}
