import WaymarkCore
import WaymarkMethods

/// The kinds of direct identifier the guard refuses (DATA-CONTRACT.md,
/// "Identifier guard").
public enum IdentifierKind: String, Sendable, CaseIterable {
    case name, dateOfBirth = "date_of_birth", address, postcode
    case nhsNumber = "nhs_number", upn, niNumber = "ni_number", email, phone

    /// This kind's bit in a waiver mask (its place in `allCases`; the guard
    /// asks for it per token, so it is a constant, not a search).
    @inlinable public var bit: UInt16 {
        switch self {
        case .name: return 1 << 0
        case .dateOfBirth: return 1 << 1
        case .address: return 1 << 2
        case .postcode: return 1 << 3
        case .nhsNumber: return 1 << 4
        case .upn: return 1 << 5
        case .niNumber: return 1 << 6
        case .email: return 1 << 7
        case .phone: return 1 << 8
        }
    }

    /// How a message names it (never the value).
    public var phrase: String {
        switch self {
        case .name: return "a person's name"
        case .dateOfBirth: return "a date of birth"
        case .address: return "an address"
        case .postcode: return "a UK postcode"
        case .nhsNumber: return "an NHS number (it passes the modulus-11 check)"
        case .upn: return "a unique pupil number (its check letter is valid)"
        case .niNumber: return "a National Insurance number"
        case .email: return "an e-mail address"
        case .phone: return "a UK phone number"
        }
    }
}

/// Finds direct identifiers in headers and values, so a run can stop before
/// any output is written.
///
/// Values are matched as whole tokens (not inside a longer run of letters and
/// digits) with bounded, hand-written matchers: every matcher looks at most a
/// few dozen bytes from where it starts, so a 64 KB field costs linear time.
/// NHS numbers must pass the modulus-11 check and UPNs their check letter, so
/// look-alikes (10 digits failing modulus 11, a 32-hex pseudonym, an outward
/// postcode such as `SW1A` inside a team name) pass.
public enum IdentifierGuard {
    // MARK: headers

    /// The identifier a header names, if any. Headers are compared after lower-
    /// casing and turning every run of non-letters-or-digits into `_`.
    public static func check(header: String) -> IdentifierKind? {
        let normal = normalise(header)
        let tokens = normal.split(separator: "_").map(String.init)
        let joined = tokens.joined()
        let exact: [String: IdentifierKind] = [
            "name": .name, "forename": .name, "forenames": .name, "surname": .name, "firstname": .name,
            "lastname": .name, "fullname": .name, "givenname": .name, "familyname": .name, "middlename": .name,
            "preferredname": .name, "maidenname": .name, "childname": .name, "parentname": .name,
            "clientname": .name, "personname": .name, "personsname": .name,
            "dob": .dateOfBirth, "dateofbirth": .dateOfBirth, "birthdate": .dateOfBirth, "birthday": .dateOfBirth,
            "address": .address, "homeaddress": .address, "streetaddress": .address, "address1": .address,
            "addressline1": .address, "addressline2": .address, "street": .address,
            "postcode": .postcode, "postalcode": .postcode, "zip": .postcode, "zipcode": .postcode,
            "nhsnumber": .nhsNumber, "nhsno": .nhsNumber, "nhs": .nhsNumber, "nhsnum": .nhsNumber,
            "upn": .upn, "uniquepupilnumber": .upn, "pupilnumber": .upn,
            "ninumber": .niNumber, "nino": .niNumber, "nationalinsurancenumber": .niNumber,
            "nationalinsuranceno": .niNumber, "nationalinsurance": .niNumber,
            "email": .email, "emailaddress": .email, "mail": .email,
            "phone": .phone, "phonenumber": .phone, "telephone": .phone, "telephonenumber": .phone,
            "tel": .phone, "mobile": .phone, "mobilenumber": .phone, "phoneno": .phone, "telno": .phone,
        ]
        if let kind = exact[joined] { return kind }
        // Token rules: forename/surname/dob... anywhere; `name` unless it names a thing, not a person.
        let anywhere: [String: IdentifierKind] = [
            "forename": .name, "forenames": .name, "surname": .name, "firstname": .name, "lastname": .name,
            "fullname": .name, "dob": .dateOfBirth, "postcode": .postcode, "nhs": .nhsNumber, "upn": .upn,
            "nino": .niNumber, "email": .email, "phone": .phone, "telephone": .phone, "mobile": .phone,
            "address": .address,
        ]
        for t in tokens { if let kind = anywhere[t] { return kind } }
        if tokens.contains("birth") { return .dateOfBirth }
        if tokens.contains("name") {
            let things: Set<String> = ["team", "scale", "provider", "service", "programme", "program", "intervention",
                                       "type", "file", "unit", "setting", "organisation", "organization", "agency",
                                       "approach", "school", "site", "source", "system", "column", "field", "la",
                                       "authority", "council", "project"]
            if !tokens.contains(where: things.contains) { return .name }
        }
        if tokens.count >= 2 && tokens.contains("first") && tokens.contains("name") { return .name }
        if tokens.contains("national") && tokens.contains("insurance") { return .niNumber }
        return nil
    }

    static func normalise(_ header: String) -> String {
        var out = ""
        var lastUnderscore = true
        for ch in header.lowercased().unicodeScalars {
            if (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") {
                out.unicodeScalars.append(ch)
                lastUnderscore = false
            } else if !lastUnderscore {
                out.append("_")
                lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }

    /// Whether a header cell or a value must never be echoed: it names an
    /// identifier, or holds one.
    public static func flags(_ text: String) -> Bool {
        if check(header: text) != nil { return true }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { scan(UnsafeBufferPointer($0)) } != nil
    }

    // MARK: values

    /// The first direct identifier found in a value, or nil.
    /// `waived` holds the bits of the kinds a waiver lets through in this column.
    public static func scan(_ v: UnsafeBufferPointer<UInt8>, waived: UInt16 = 0) -> IdentifierKind? {
        @inline(__always) func on(_ k: IdentifierKind) -> Bool { waived & k.bit == 0 }
        let n = v.count
        if n < 5 { return nil }
        var hasDigit = false
        var hasAt = false
        for b in v {
            if b >= 0x30 && b <= 0x39 { hasDigit = true } else if b == 0x40 { hasAt = true }
        }
        if hasAt, on(.email), email(v) { return .email }
        if !hasDigit { return nil }
        var i = 0
        while i < n {
            let c = v[i]
            let startsToken = i == 0 || !isAlnum(v[i - 1])
            if startsToken && (isAlnum(c) || c == 0x2B || c == 0x28) {
                if isDigit(c) {
                    if on(.nhsNumber), nhs(v, i) { return .nhsNumber }
                    if on(.phone), phone(v, i) { return .phone }
                } else if c == 0x2B || c == 0x28 {
                    if on(.phone), phone(v, i) { return .phone }
                } else {
                    if on(.postcode), postcode(v, i) { return .postcode }
                    if on(.upn), upn(v, i) { return .upn }
                    if on(.niNumber), niNumber(v, i) { return .niNumber }
                }
            }
            i += 1
        }
        return nil
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) static func upper(_ c: UInt8) -> UInt8 { isLetter(c) ? c & ~0x20 : c }
    @inline(__always) static func endsToken(_ v: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool { i >= v.count || !isAlnum(v[i]) }

    /// 10 digits, bare or as 3-3-4 with single spaces or dashes, passing modulus 11.
    static func nhs(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        // Digits in a fixed-size tuple-free accumulator: weighted sum of the first nine, the tenth kept.
        var count = 0
        var sum = 0
        var last = 0
        var i = start
        var groupsOK = true
        var run = 0
        var runs = 0
        while i < v.count && count < 11 {
            let c = v[i]
            if isDigit(c) {
                let d = Int(c - 0x30)
                if count < 9 { sum += d * (10 - count) } else { last = d }
                count += 1
                run += 1
                i += 1
                continue
            }
            if (c == 0x20 || c == 0x2D) && run > 0 && i + 1 < v.count && isDigit(v[i + 1]) {
                runs += 1
                if (runs == 1 && run != 3) || (runs == 2 && run != 3) || runs > 2 { groupsOK = false }
                run = 0
                i += 1
                continue
            }
            break
        }
        guard count == 10, endsToken(v, i), groupsOK, runs == 0 || (runs == 2 && run == 4) else { return false }
        var check = 11 - sum % 11
        if check == 11 { check = 0 }
        return check != 10 && check == last
    }

    /// UK numbers: 0 then 9-10 digits (second digit 1, 2, 3, 7 or 8), or +44 / 0044
    /// then the same without the 0; single spaces, dashes and one pair of
    /// parentheses allowed between digits.
    static func phone(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var i = start
        var international = false
        if v[i] == 0x2B { international = true; i += 1 }
        // The first six digits, a byte each, and how many digits there are.
        var packed: UInt64 = 0
        var count = 0
        var lastWasSeparator = false
        while i < v.count && count <= 14 && i - start < 24 {
            let c = v[i]
            if isDigit(c) {
                if count < 6 { packed |= UInt64(c - 0x30) << UInt64(8 * count) }
                count += 1
                lastWasSeparator = false
                i += 1
                continue
            }
            if (c == 0x20 || c == 0x2D || c == 0x28 || c == 0x29) && !lastWasSeparator && i + 1 < v.count
                && (isDigit(v[i + 1]) || v[i + 1] == 0x28 || (c == 0x29 && v[i + 1] == 0x20)) {
                lastWasSeparator = c != 0x29 && c != 0x28
                i += 1
                continue
            }
            break
        }
        guard endsToken(v, i), count >= 6 else { return false }
        func digit(_ k: Int) -> Int { Int((packed >> UInt64(8 * k)) & 0xFF) }
        // Where the national significant number starts: after +44, 0044 or 0 (and a "(0)" after a country code).
        var nsn: Int
        if international {
            guard digit(0) == 4 && digit(1) == 4 else { return false }
            nsn = 2
        } else if digit(0) == 0 && digit(1) == 0 {
            guard digit(2) == 4 && digit(3) == 4 else { return false }
            nsn = 4
        } else if digit(0) == 0 {
            nsn = 1
        } else {
            return false
        }
        if nsn > 1 && digit(nsn) == 0 { nsn += 1 }
        let length = count - nsn
        let first = digit(nsn)
        return (length == 9 || length == 10) && (first == 1 || first == 2 || first == 3 || first == 7 || first == 8)
    }

    /// `A9 9AA`, `A99 9AA`, `A9A 9AA`, `AA9 9AA`, `AA99 9AA`, `AA9A 9AA`, with or
    /// without the space, any case; the inward unit letters exclude C I K M O V.
    static func postcode(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var i = start
        var letters = 0
        while i < v.count && letters < 3 && isLetter(v[i]) { letters += 1; i += 1 }
        guard letters == 1 || letters == 2, i < v.count, isDigit(v[i]) else { return false }
        i += 1
        // Optional second outward character (digit or letter), then optional space, then digit + 2 letters.
        func inward(_ j: Int) -> Int? {
            var k = j
            if k < v.count && v[k] == 0x20 { k += 1 }
            guard k + 3 <= v.count else { return nil }
            guard isDigit(v[k]), isUnitLetter(v[k + 1]), isUnitLetter(v[k + 2]) else { return nil }
            return endsToken(v, k + 3) ? k + 3 : nil
        }
        if inward(i) != nil { return true }
        if i < v.count && isAlnum(v[i]) && inward(i + 1) != nil { return true }
        return false
    }

    @inline(__always) static func isUnitLetter(_ c: UInt8) -> Bool {
        guard isLetter(c) else { return false }
        switch upper(c) {
        case 0x43, 0x49, 0x4B, 0x4D, 0x4F, 0x56: return false   // C I K M O V
        default: return true
        }
    }

    static let upnLetters: [UInt8] = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// Position of an upper-case letter in the UPN check alphabet (no I, O, S).
    static func upnIndex(_ c: UInt8) -> Int? {
        guard c >= 0x41 && c <= 0x5A, c != 0x49, c != 0x4F, c != 0x53 else { return nil }
        var idx = Int(c - 0x41)
        if c > 0x49 { idx -= 1 }
        if c > 0x4F { idx -= 1 }
        if c > 0x53 { idx -= 1 }
        return idx
    }

    /// A check letter, then 12 digits (or 11 digits and a letter for a temporary
    /// UPN), whose weighted sum modulo 23 gives the check letter.
    static func upn(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        guard start + 13 <= v.count, endsToken(v, start + 13) else { return false }
        var sum = 0
        for k in 1...12 {
            let c = v[start + k]
            if isDigit(c) { sum += Int(c - 0x30) * (k + 1); continue }
            guard k == 12, isLetter(c), let idx = IdentifierGuard.upnIndex(upper(c)) else { return false }
            sum += idx * (k + 1)
        }
        return upper(v[start]) == upnLetters[sum % 23]
    }

    /// Two prefix letters (not D F I Q U V; second not O; not BG GB NK KN TN NT ZZ),
    /// six digits (optionally in pairs with spaces), and a suffix A-D.
    static func niNumber(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        guard start + 9 <= v.count else { return false }
        let a = upper(v[start]), b = upper(v[start + 1])
        guard isLetter(a), isLetter(b) else { return false }
        func bad(_ c: UInt8) -> Bool { c == 0x44 || c == 0x46 || c == 0x49 || c == 0x51 || c == 0x55 || c == 0x56 } // D F I Q U V
        guard !bad(a), !bad(b), b != 0x4F else { return false }
        let pair = UInt16(a) << 8 | UInt16(b)
        let excluded: [UInt16] = [0x4247, 0x4742, 0x4E4B, 0x4B4E, 0x544E, 0x4E54, 0x5A5A]  // BG GB NK KN TN NT ZZ
        for e in excluded where e == pair { return false }
        var i = start + 2
        var digits = 0
        while i < v.count && digits < 6 {
            if v[i] == 0x20 && digits % 2 == 0 && i + 1 < v.count && isDigit(v[i + 1]) { i += 1; continue }
            guard isDigit(v[i]) else { return false }
            digits += 1
            i += 1
        }
        guard digits == 6 else { return false }
        if i < v.count && v[i] == 0x20 { i += 1 }
        guard i < v.count else { return false }
        let s = upper(v[i])
        guard s >= 0x41 && s <= 0x44 else { return false }
        return endsToken(v, i + 1)
    }

    /// local@domain.tld with a bounded local part (1-64) and domain (labels of
    /// 1-63, at most 253 bytes, a final label of 2-24 letters).
    static func email(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = v.count
        var at = 0
        while at < n {
            if v[at] == 0x40 {
                var l = at
                while l > 0 && at - l < 64 && isLocal(v[l - 1]) { l -= 1 }
                if l < at {
                    var i = at + 1
                    var labels = 0
                    var labelLength = 0
                    var lastLabelLetters = true
                    var lastLabelLength = 0
                    while i < n && i - at <= 253 {
                        let c = v[i]
                        if isAlnum(c) || c == 0x2D {
                            labelLength += 1
                            if labelLength > 63 { break }
                            if labelLength == 1 { lastLabelLetters = true }
                            if !isLetter(c) { lastLabelLetters = false }
                            i += 1
                        } else if c == 0x2E && labelLength > 0 && i + 1 < n && isAlnum(v[i + 1]) {
                            labels += 1
                            labelLength = 0
                            i += 1
                        } else {
                            break
                        }
                    }
                    if labelLength > 0 { labels += 1; lastLabelLength = labelLength }
                    if labels >= 2 && lastLabelLetters && lastLabelLength >= 2 && lastLabelLength <= 24 { return true }
                }
            }
            at += 1
        }
        return false
    }

    @inline(__always) static func isLocal(_ c: UInt8) -> Bool {
        isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }

    /// Convenience for tests and messages.
    public static func scan(_ text: String) -> IdentifierKind? {
        var t = text
        return t.withUTF8 { scan($0) }
    }
}
