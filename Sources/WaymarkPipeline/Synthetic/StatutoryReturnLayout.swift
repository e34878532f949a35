import Foundation
import WaymarkCore
import WaymarkIngest

/// Rewrites a canonical export's scores as a statutory-return-like set of
/// yearly files, `return_<YYYY>.csv` for each year ending 31 March before the
/// export was taken: per child (or family), scale and rater, the latest score
/// of that year, with no date column (the year is in the file name), a `DOB`
/// column (synthetic dates, never real) and reasons where a score is missing
/// ("Not scored: child refused", "NS"). `Pipelines/statutory-return.yaml`
/// reads the set; there are no interventions in a return.
public enum StatutoryReturnLayout {
    /// The reasons written instead of some scores.
    public static let reasons = ["Not scored: child refused", "NS"]

    public static func rewrite(from source: String, to destination: String, extractedOn: Day) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        guard let scores = try CanonicalRows(source, .scalingScores) else { return }
        // The year a day falls in: the one ending on the next 31 March.
        func year(_ day: Day) -> Int {
            let c = day.components
            return c.month <= 3 ? c.year : c.year + 1
        }
        var latest: [Int: [[String]: (day: Day, score: String)]] = [:]
        var order: [Int: [[String]]] = [:]
        for row in scores.rows {
            guard let day = Day(iso: scores.value(row, "recorded_on")) else { continue }
            let y = year(day)
            guard let end = Day(iso: "\(y)-03-31"), end < extractedOn else { continue }
            let key = ["child_id", "case_id", "scale", "rated_by"].map { scores.value(row, $0) }
            if latest[y]?[key] == nil { order[y, default: []].append(key) }
            if let seen = latest[y]?[key], seen.day > day { continue }
            latest[y, default: [:]][key] = (day, scores.value(row, "score"))
        }
        var n = 0
        for y in latest.keys.sorted() {
            var text = CanonicalRows.line(["Child ID", "Case ID", "DOB", "Scale", "Rater", "Score"])
            for key in order[y] ?? [] {
                n += 1
                let score = n % 13 == 0 ? reasons[0] : (n % 17 == 0 ? reasons[1] : latest[y]![key]!.score)
                // A synthetic date of birth: a column the pipeline file must drop.
                let dob = "\(2008 + n % 10)-\(String(format: "%02d", 1 + n % 12))-\(String(format: "%02d", 1 + n % 28))"
                text += CanonicalRows.line([key[0], key[1], dob, key[2], key[3], score])
            }
            try CanonicalRows.write(text, destination, "return_\(y).csv")
        }
    }
}
