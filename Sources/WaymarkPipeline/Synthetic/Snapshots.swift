import Foundation
import WaymarkCore

/// One synthetic council's export as taken on several dates (`waymark
/// fixtures --snapshots N`), so that a history of monthly runs has something
/// to remember: each month's export is taken five days after its month end
/// and holds what the case-management system knew by then.
///
/// - Scores, responses, interventions and episodes appear once they are dated
///   on or before the day the export is taken; later start, end and closure
///   dates are blank until then (as a live system shows an open case).
/// - Late-recorded data: in the late months (``lateMonths``), a share of the
///   month's scores is entered after that month's export was taken, so it
///   first appears in the next month's export. `late-rows.csv` says where.
///   Runs must show restatements for exactly those month ends.
public struct Snapshots {
    public var generator: FixtureGenerator
    /// How many monthly exports (the last is for the month before `generator.extractedOn`).
    public var months: Int
    /// Indices (0 = the first export's month) of the months with late scores.
    public var lateMonths: Set<Int>
    /// Share of a late month's scores entered late.
    public var lateShare = 0.4

    public init(generator: FixtureGenerator, months: Int, lateMonths: Set<Int>? = nil) {
        self.generator = generator
        self.months = months
        self.lateMonths = lateMonths ?? Set(stride(from: months / 3, to: months - 1, by: 4))
    }

    /// One export: the month it reports, the day it was taken and its folder.
    public struct Export: Sendable {
        public var monthEnd: Day
        public var extractedOn: Day
        public var folder: String
    }

    /// The month ends the exports report, oldest first.
    public var monthEnds: [Day] {
        let last = generator.extractedOn.endOfPreviousMonth
        var out = [last]
        while out.count < months { out.insert(out[0].endOfPreviousMonth, at: 0) }
        return out
    }

    /// Writes `folder/<extracted_on>/` per export and `folder/late-rows.csv`.
    @discardableResult
    public func write(to folder: String) throws -> [Export] {
        let ends = monthEnds
        let taken = ends.map { $0 + 5 }
        var full = generator
        full.extractedOn = taken.last! + 1
        let staging = joinPath(folder, ".full")
        try full.write(to: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        func table(_ name: String) throws -> (header: String, rows: [[Substring]]) {
            let text = try String(contentsOfFile: joinPath(staging, name), encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let header = String(lines.removeFirst())
            return (header, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) })
        }
        let scores = try table("scaling_scores.csv"), interventions = try table("interventions.csv")
        let responses = try table("responses.csv"), episodes = try table("episodes.csv"), children = try table("children.csv")
        func day(_ s: Substring) -> Int32? { s.isEmpty ? nil : Day(iso: String(s))?.number }

        // When each score first appears: when it is dated, or (late) in the export after its month's.
        var arrives = [Int32](repeating: 0, count: scores.rows.count)
        var lateCounts: [Int: Int] = [:]
        for (k, row) in scores.rows.enumerated() {
            let dated = day(row[5]) ?? 0
            arrives[k] = dated
            guard let m = ends.firstIndex(where: { dated <= $0.number && dated > $0.number - 31 }), lateMonths.contains(m), m + 1 < ends.count else { continue }
            // A fixed, seed-free choice from the row's own id, so every export agrees on it.
            var h: UInt64 = 1469598103934665603
            for b in row[0].utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
            if Double(h % 10_000) / 10_000 < lateShare {
                arrives[k] = taken[m].number + 1
                lateCounts[m, default: 0] += 1
            }
        }
        var out: [Export] = []
        for (i, end) in ends.enumerated() {
            let d = taken[i].number
            let dir = joinPath(folder, taken[i].description)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            func write(_ name: String, _ t: (header: String, rows: [[Substring]]), _ keep: ([Substring], Int) -> [Substring]?) throws {
                var text = t.header + "\n"
                for (k, row) in t.rows.enumerated() { if let r = keep(row, k) { text += r.joined(separator: ",") + "\n" } }
                try Data(text.utf8).write(to: URL(fileURLWithPath: joinPath(dir, name)))
            }
            try write("scaling_scores.csv", scores) { row, k in arrives[k] <= d ? row : nil }
            try write("interventions.csv", interventions) { row, _ in
                guard let offered = day(row[5]), offered <= d else { return nil }
                var r = row
                if let s = day(r[6]), s > d { r[6] = "" }
                if let e = day(r[7]), e > d { r[7] = ""; r[8] = "" }
                return r
            }
            try write("responses.csv", responses) { row, _ in (day(row[3]) ?? .max) <= d ? row : nil }
            try write("episodes.csv", episodes) { row, _ in
                guard let opened = day(row[1]), opened <= d else { return nil }
                var r = row
                if let c = day(r[2]), c > d { r[2] = ""; r[3] = "" }
                return r
            }
            try write("children.csv", children) { row, _ in row }
            out.append(Export(monthEnd: end, extractedOn: taken[i], folder: dir))
        }
        var late = "month_end,file,rows,first_export\n"
        for m in lateCounts.keys.sorted() {
            late += "\(ends[m]),scaling_scores.csv,\(lateCounts[m]!),\(taken[m + 1])\n"
        }
        try Data(late.utf8).write(to: URL(fileURLWithPath: joinPath(folder, "late-rows.csv")))
        return out
    }
}
