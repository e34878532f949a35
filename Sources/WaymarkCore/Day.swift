/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian).
///
/// Four bytes, ordered, with exact day arithmetic; the form every date takes
/// once ingested.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int32

    public init(number: Int32) { self.number = number }

    /// The day for a valid calendar date, or nil (no 31 April, no 29 February 2023).
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1 && year <= 9999, month >= 1 && month <= 12, day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = Int32(era * 146_097 + doe - 719_468)
    }

    /// (year, month, day) of this day.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The last day of this day's month.
    public var endOfMonth: Day {
        let c = components
        return Day(year: c.year, month: c.month, day: Day.daysInMonth(year: c.year, month: c.month)) ?? self
    }

    /// The last day of the month before this day's month.
    public var endOfPreviousMonth: Day {
        let c = components
        return Day(number: number - Int32(c.day))
    }

    public static func + (lhs: Day, rhs: Int) -> Day { Day(number: lhs.number + Int32(rhs)) }
    public static func - (lhs: Day, rhs: Int) -> Day { Day(number: lhs.number - Int32(rhs)) }
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.number - rhs.number) }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// Parses `YYYY-MM-DD` exactly (for command-line options and pipeline files).
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard let day = bytes.withUnsafeBufferPointer({ DateFormat.iso.parse($0) }) else { return nil }
        self = day
    }

    /// Today in UTC from the system clock.
    public static func today() -> Day {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Day(number: Int32(floor(Double(t.tv_sec) / 86_400)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
