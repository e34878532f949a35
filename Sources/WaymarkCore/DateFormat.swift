/// The date layouts a column mapping can declare.
///
/// Each accepts an optional time part after the date (` 14:05`, ` 14:05:09`,
/// `T14:05:09`, with optional fractional seconds or `Z`), as Excel and Mosaic
/// export it; the time is validated and dropped.
public enum DateFormat: String, Sendable, CaseIterable {
    /// `YYYY-MM-DD` (the canonical form).
    case iso = "iso"
    /// `DD/MM/YYYY`, the common UK export; `D/M/YYYY` with one-digit parts too.
    case dmy = "dmy"

    /// Parses a date, or returns nil. Surrounding ASCII spaces are ignored.
    public func parse(_ raw: UnsafeBufferPointer<UInt8>) -> Day? {
        var lo = 0
        var hi = raw.count
        while lo < hi && raw[lo] == 0x20 { lo += 1 }
        while hi > lo && raw[hi - 1] == 0x20 { hi -= 1 }
        var i = lo
        func number(maxDigits: Int, minDigits: Int) -> Int? {
            var value = 0
            var n = 0
            while i < hi && n < maxDigits, raw[i] >= 0x30 && raw[i] <= 0x39 {
                value = value * 10 + Int(raw[i] - 0x30)
                i += 1
                n += 1
            }
            return n >= minDigits ? value : nil
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < hi && raw[i] == c else { return false }
            i += 1
            return true
        }
        let year: Int, month: Int, day: Int
        switch self {
        case .iso:
            guard let y = number(maxDigits: 4, minDigits: 4), expect(0x2D),
                  let m = number(maxDigits: 2, minDigits: 2), expect(0x2D),
                  let d = number(maxDigits: 2, minDigits: 2) else { return nil }
            (year, month, day) = (y, m, d)
        case .dmy:
            guard let d = number(maxDigits: 2, minDigits: 1), expect(0x2F),
                  let m = number(maxDigits: 2, minDigits: 1), expect(0x2F),
                  let y = number(maxDigits: 4, minDigits: 4) else { return nil }
            (year, month, day) = (y, m, d)
        }
        if i < hi {
            // An optional time part: [ T]HH:MM[:SS[.fff]][Z]
            guard raw[i] == 0x20 || raw[i] == 0x54 else { return nil }
            i += 1
            guard let hh = number(maxDigits: 2, minDigits: 1), hh < 24, expect(0x3A),
                  let mm = number(maxDigits: 2, minDigits: 2), mm < 60 else { return nil }
            if expect(0x3A) {
                guard let ss = number(maxDigits: 2, minDigits: 2), ss < 60 else { return nil }
                if expect(0x2E) { guard number(maxDigits: 9, minDigits: 1) != nil else { return nil } }
            }
            _ = expect(0x5A)
            if i != hi { return nil }
        }
        return Day(year: year, month: month, day: day)
    }
}
