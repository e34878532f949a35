/// Checks and converts the bytes of one field: UTF-8 validity, forbidden
/// characters, and Windows-1252 to UTF-8 transcoding.
///
/// Forbidden in a value: NUL and every other C0/C1 control character except tab,
/// carriage return and line feed (which can only be there inside quotes), DEL,
/// and the invisible direction and zero-width characters (U+061C, U+180E,
/// U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+2066-U+2069, U+FEFF).
public enum TextCheck {
    /// Validates UTF-8 bytes; returns the fault kind, or nil when the text is fine.
    /// Cost: one pass; pure printable ASCII takes the fast path.
    @inlinable
    public static func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> CSVFieldFault.Kind? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F { i += 1; continue }
            if b < 0x80 {
                if b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
                return .forbiddenCharacter
            }
            return checkUTF8Slow(bytes, from: i)
        }
        return nil
    }

    @usableFromInline
    static func checkUTF8Slow(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> CSVFieldFault.Kind? {
        var i = start
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                if b0 < 0x20 && b0 != 0x09 && b0 != 0x0A && b0 != 0x0D { return .forbiddenCharacter }
                if b0 == 0x7F { return .forbiddenCharacter }
                i += 1
                continue
            }
            var scalar: UInt32
            var need: Int
            if b0 & 0xE0 == 0xC0 { scalar = UInt32(b0 & 0x1F); need = 1; if b0 < 0xC2 { return .invalidEncoding } }
            else if b0 & 0xF0 == 0xE0 { scalar = UInt32(b0 & 0x0F); need = 2 }
            else if b0 & 0xF8 == 0xF0 && b0 <= 0xF4 { scalar = UInt32(b0 & 0x07); need = 3 }
            else { return .invalidEncoding }
            if i + need >= n { return .invalidEncoding }
            for k in 1...need {
                let b = bytes[i + k]
                if b & 0xC0 != 0x80 { return .invalidEncoding }
                scalar = (scalar << 6) | UInt32(b & 0x3F)
            }
            // Overlong forms, surrogates and values past U+10FFFF.
            if (need == 2 && scalar < 0x800) || (need == 3 && scalar < 0x10000) || scalar > 0x10FFFF
                || (scalar >= 0xD800 && scalar <= 0xDFFF) {
                return .invalidEncoding
            }
            if isForbidden(scalar) { return .forbiddenCharacter }
            i += need + 1
        }
        return nil
    }

    /// True when `bytes` hold at least one well-formed multi-byte UTF-8 sequence
    /// (e.g. C3 A9, "é"): in text declared Windows-1252 that almost always
    /// means the text is really UTF-8 ("Ã©" is rare in real data).
    public static func holdsUTF8Sequence(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            let need: Int
            if b0 >= 0xC2 && b0 <= 0xDF { need = 1 } else if b0 >= 0xE0 && b0 <= 0xEF { need = 2 } else if b0 >= 0xF0 && b0 <= 0xF4 { need = 3 } else { i += 1; continue }
            if i + need < n && (1...need).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }) { return true }
            i += 1
        }
        return false
    }

    /// True for the non-ASCII scalars a value may not contain.
    @inlinable
    public static func isForbidden(_ s: UInt32) -> Bool {
        if s >= 0x80 && s <= 0x9F { return true }
        switch s {
        case 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Unicode scalars for Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined bytes.
    static let cp1252High: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Appends the UTF-8 form of Windows-1252 `bytes` to `out`; returns a fault for an
    /// undefined byte or a forbidden character (the output is then incomplete).
    public static func transcodeWindows1252(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> CSVFieldFault.Kind? {
        var fault: CSVFieldFault.Kind?
        for b in bytes {
            if b < 0x80 {
                if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F { fault = fault ?? .forbiddenCharacter }
                out.append(b)
                continue
            }
            let scalar: UInt32 = b < 0xA0 ? UInt32(cp1252High[Int(b - 0x80)]) : UInt32(b)
            if scalar == 0 { fault = fault ?? .invalidEncoding; continue }
            appendUTF8(scalar, to: &out)
        }
        return fault
    }

    static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        if s < 0x80 { out.append(UInt8(s)) }
        else if s < 0x800 { out.append(UInt8(0xC0 | (s >> 6))); out.append(UInt8(0x80 | (s & 0x3F))) }
        else if s < 0x10000 {
            out.append(UInt8(0xE0 | (s >> 12))); out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (s >> 18))); out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }
}
