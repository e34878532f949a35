import WaymarkCore
import WaymarkIngest

/// The shapes of one column's sampled values: how many parse as ISO or
/// day-first dates, as numbers, as 0-10 scores, look like Excel's `100001.0`,
/// carry spaces around them, or hold a direct identifier. Counts only: no
/// value is kept.
public struct ValueShape: Sendable, Equatable {
    public var nonBlank = 0
    public var isoDates = 0
    public var dmyDates = 0
    /// Values that parse as a date in either layout.
    public var dates = 0
    public var numbers = 0
    public var integers = 0
    /// Whole numbers from 0 to 10 (a scaling score).
    public var scores = 0
    /// Whole numbers written with a trailing `.0`, as Excel turns ids into numbers.
    public var excelDecimals = 0
    /// Values with spaces or tabs before or after them.
    public var padded = 0
    /// Values with a space inside them (words, not codes).
    public var spaced = 0
    /// Values the identifier guard would stop the run on.
    public var identifierHits = 0
    /// Distinct non-blank values (counted up to ``distinctCap``).
    public var distinct = 0

    public static let distinctCap = 1_000

    public init() {}

    /// Measures a column's sample.
    public init(_ values: [String]) {
        var seen = Set<String>()
        for raw in values {
            let v = raw.trimmingCharacters(in: " \t")
            if v.isEmpty { continue }
            nonBlank += 1
            if v.utf8.count != raw.utf8.count { padded += 1 }
            if v.contains(" ") { spaced += 1 }
            if seen.count < Self.distinctCap { seen.insert(v) }
            Array(v.utf8).withUnsafeBufferPointer { b in
                let iso = DateFormat.iso.parse(b) != nil, dmy = DateFormat.dmy.parse(b) != nil
                if iso { isoDates += 1 }
                if dmy { dmyDates += 1 }
                if iso || dmy { dates += 1 }
            }
            if IdentifierGuard.scan(v) != nil { identifierHits += 1 }
            if let n = Double(v), n.isFinite, v.first != "+", !v.lowercased().contains("e") {
                numbers += 1
                if n == n.rounded() {
                    integers += 1
                    if n >= 0 && n <= 10 { scores += 1 }
                    if v.hasSuffix(".0") && v.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }) {
                        excelDecimals += 1
                    }
                }
            }
        }
        distinct = seen.count
    }

    func share(_ n: Int) -> Double { nonBlank == 0 ? 0 : Double(n) / Double(nonBlank) }
    public var dateShare: Double { share(dates) }
    public var numberShare: Double { share(numbers) }
    public var integerShare: Double { share(integers) }
    public var scoreShare: Double { share(scores) }
    /// Few distinct values, not dates or numbers: a code or label column.
    public var isCategorical: Bool { nonBlank > 0 && distinct <= 40 && dateShare < 0.5 && numberShare < 0.5 }

    /// The date layout the column's values need: nil when they are not dates.
    public var dateFormats: [DateFormat]? {
        guard nonBlank > 0, dateShare >= 0.8 else { return nil }
        if dmyDates > 0 && isoDates > 0 { return [.dmy, .iso] }
        return dmyDates > 0 ? [.dmy] : [.iso]
    }
}
