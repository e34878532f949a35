#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing of plain decimal numbers (`7`, `-2.5`, `0.125`), correctly rounded.
///
/// No exponents, thousands separators, `inf` or `nan`; surrounding ASCII
/// spaces are ignored. Short inputs take an exact fast path (an integer
/// mantissa below 2^53 divided by an exact power of ten); anything longer
/// goes to `strtod`, which is correctly rounded.
public enum DecimalText {
    private static let powers: [Double] = (0...22).map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }

    public static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        var lo = 0
        var hi = raw.count
        while lo < hi && raw[lo] == 0x20 { lo += 1 }
        while hi > lo && raw[hi - 1] == 0x20 { hi -= 1 }
        guard lo < hi else { return nil }
        var i = lo
        var negative = false
        if raw[i] == 0x2D || raw[i] == 0x2B { negative = raw[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        var intDigits = 0
        while i < hi {
            let c = raw[i]
            if c >= 0x30 && c <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(c - 0x30) } else { return slow(raw, lo, hi) }
                digits += 1
                if seenPoint { fraction += 1 } else { intDigits += 1 }
            } else if c == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, intDigits > 0 || fraction > 0 else { return nil }
        if mantissa < (1 << 53) && fraction <= 22 {
            let value = Double(mantissa) / powers[fraction]
            return negative ? -value : value
        }
        return slow(raw, lo, hi)
    }

    private static func slow(_ raw: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Double? {
        // Validate the shape first; strtod accepts far more than a decimal.
        var sawDigit = false
        var sawPoint = false
        for k in lo..<hi {
            let c = raw[k]
            if c >= 0x30 && c <= 0x39 { sawDigit = true }
            else if c == 0x2E && !sawPoint { sawPoint = true }
            else if (c == 0x2D || c == 0x2B) && k == lo { }
            else { return nil }
        }
        guard sawDigit else { return nil }
        var text = Array(raw[lo..<hi])
        text.append(0)
        return text.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { p in p.withMemoryRebound(to: CChar.self, capacity: buf.count) { strtod($0, nil) } }
        }
    }

    /// Parses a non-negative or negative whole number without a decimal point.
    public static func parseInteger(_ raw: UnsafeBufferPointer<UInt8>) -> Int? {
        var lo = 0
        var hi = raw.count
        while lo < hi && raw[lo] == 0x20 { lo += 1 }
        while hi > lo && raw[hi - 1] == 0x20 { hi -= 1 }
        guard lo < hi, hi - lo <= 18 else { return nil }
        var i = lo
        var negative = false
        if raw[i] == 0x2D { negative = true; i += 1 }
        guard i < hi else { return nil }
        var value = 0
        while i < hi {
            let c = raw[i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            value = value * 10 + Int(c - 0x30)
            i += 1
        }
        return negative ? -value : value
    }
}
