import Testing
import WaymarkCore

/// The interner against a dictionary that gives codes in first-seen order:
/// growth, reservation, and the two ways of merging a second reader's pool.
@Suite struct InternerTests {
    /// Strings that share prefixes and lengths, as ids in exports do.
    static func ids(_ n: Int, prefix: String) -> [String] { (0..<n).map { "\(prefix)\($0 * 7919 % 1_000_003)" } }

    /// The reference: codes 1, 2, ... in first-seen order, blank 0.
    static func model(_ strings: [String]) -> [String: UInt32] {
        var codes = ["": UInt32(0)]
        for s in strings where codes[s] == nil { codes[s] = UInt32(codes.count) }
        return codes
    }

    @Test func codesAreDenseInFirstSeenOrderThroughEveryRehash() {
        let strings = Self.ids(100_000, prefix: "S") + Self.ids(50_000, prefix: "S") + ["", "a", "S3"]
        let codes = Self.model(strings)
        var pool = Interner(capacity: 4)
        for s in strings { #expect(pool.intern(s) == codes[s]!) }
        #expect(pool.count == codes.count)
        for (s, c) in codes {
            #expect(pool.lookup(s) == c)
            #expect(pool.string(c) == s)
        }
        #expect(pool.lookup("absent") == nil)
    }

    /// The value interned last is remembered by its length and two words:
    /// strings of every length from 1 to 20 that differ in one byte only
    /// (first, middle or last), each met twice running and then again later,
    /// get the dictionary's codes, never the previous string's.
    @Test func aRepeatOfTheLastValueGetsItsCodeAndANearMissDoesNot() {
        var strings: [String] = []
        for n in 1...20 {
            let base = String(repeating: "a", count: n)
            for k in Set([0, n / 2, n - 1]) {
                var bytes = Array(base.utf8)
                bytes[k] = UInt8(ascii: "b")
                let near = String(decoding: bytes, as: UTF8.self)
                strings += [base, base, near, near, base, near, "", base]
            }
        }
        strings += Self.ids(2_000, prefix: "C").flatMap { [$0, $0, $0] } + Self.ids(500, prefix: "C")
        let codes = Self.model(strings)
        var pool = Interner(capacity: 4)
        for s in strings { #expect(pool.intern(s) == codes[s]!) }
        #expect(pool.count == codes.count)
        var copy = pool   // a copy remembers the same last value, with the same code
        #expect(copy.intern(strings[strings.count - 1]) == codes[strings[strings.count - 1]]!)
        #expect(copy.intern("new one") == UInt32(codes.count))
        #expect(pool.intern("new one") == UInt32(codes.count))
    }

    @Test func reservingChangesNoCode() {
        let strings = Self.ids(30_000, prefix: "F-")
        var a = Interner(capacity: 4), b = Interner(capacity: 4)
        b.reserve(strings: 40_000)
        for s in strings { #expect(a.intern(s) == b.intern(s)) }
    }

    /// `absorb` gives the codes one pool would give on reading both halves in order.
    @Test func absorbMatchesOneSequentialPool() {
        let first = Self.ids(70_000, prefix: "C"), second = Self.ids(90_000, prefix: "C").reversed() + ["x"]
        var whole = Interner(capacity: 4)
        for s in first + second { _ = whole.intern(s) }
        var main = Interner(capacity: 4), other = Interner(capacity: 4)
        for s in first { _ = main.intern(s) }
        for s in second { _ = other.intern(s) }
        let map = main.absorb(other)
        #expect(map[0] == 0)
        for s in second { #expect(map[Int(other.lookup(s)!)] == whole.lookup(s)!) }
        #expect(main.count == whole.count)
    }

    /// `absorb` fetches slots a few strings ahead: pools shorter than, equal
    /// to and just past that distance merge as one pool would read them.
    @Test func absorbOfFewStringsMatchesOneSequentialPool() {
        for n in [0, 1, 2, 15, 16, 17, 33] {
            let first = Self.ids(20, prefix: "C"), second = Self.ids(n, prefix: "D") + Self.ids(3, prefix: "C")
            var whole = Interner(capacity: 4), main = Interner(capacity: 4), other = Interner(capacity: 4)
            for s in first + second { _ = whole.intern(s) }
            for s in first { _ = main.intern(s) }
            for s in second { _ = other.intern(s) }
            let map = main.absorb(other)
            for s in second { #expect(map[Int(other.lookup(s)!)] == whole.lookup(s)!, "n = \(n)") }
            #expect(main.count == whole.count)
        }
        // A pool holding only the blank; and a shared start with few strings added, or none.
        var main = Interner(capacity: 4)
        for s in Self.ids(20, prefix: "C") { _ = main.intern(s) }
        #expect(main.absorb(Interner(capacity: 4)) == [0])
        for added in [0, 3, 16, 17] {
            var start = Interner(capacity: 4)
            for s in Self.ids(10, prefix: "B") { _ = start.intern(s) }
            var one = start, other = start, whole = start
            for s in Self.ids(5, prefix: "C") { _ = one.intern(s); _ = whole.intern(s) }
            for s in Self.ids(added, prefix: "D") + Self.ids(2, prefix: "C") { _ = other.intern(s) }
            for s in Self.ids(added, prefix: "D") + Self.ids(2, prefix: "C") { _ = whole.intern(s) }
            let map = one.absorb(other, sharing: start.count)
            for code in 0..<other.count {
                #expect(map[code] == (code == 0 ? 0 : whole.lookup(other.string(UInt32(code)))!), "added \(added)")
            }
            #expect(one.count == whole.count)
            // Nothing added past the shared start.
            let before = one.count
            #expect(one.absorb(start, sharing: start.count) == (0..<start.count).map { UInt32($0) })
            #expect(one.count == before)
        }
    }

    /// `absorb(_:sharing:)`: both pools began as one pool of `base` strings
    /// (a second reader given the pools as they stood before its file); the
    /// merged codes are still those of one pool reading everything in order.
    @Test func absorbSharingAPrefixMatchesOneSequentialPool() {
        let base = Self.ids(5_000, prefix: "B")
        let first = Self.ids(40_000, prefix: "C") + Self.ids(100, prefix: "B")
        let second = Self.ids(60_000, prefix: "C").reversed() + Self.ids(200, prefix: "B") + Self.ids(300, prefix: "N")
        var whole = Interner(capacity: 4)
        for s in base + first + second { _ = whole.intern(s) }
        var start = Interner(capacity: 4)
        for s in base { _ = start.intern(s) }
        var main = start, other = start
        for s in first { _ = main.intern(s) }
        for s in second { _ = other.intern(s) }
        let map = main.absorb(other, sharing: start.count)
        #expect(map.count == other.count && map[0] == 0)
        for s in base { #expect(map[Int(other.lookup(s)!)] == start.lookup(s)!) }
        for s in second { #expect(map[Int(other.lookup(s)!)] == whole.lookup(s)!) }
        #expect(main.count == whole.count)
        for code in 0..<whole.count { #expect(main.string(UInt32(code)) == whole.string(UInt32(code))) }
    }

    /// `joinedCodes`: the main pool's code for a string it holds, count + the
    /// other's code for one it does not, on both threads' share of the codes.
    @Test func joinedCodesAreEqualExactlyForEqualStrings() {
        let first = Self.ids(100_000, prefix: "S"), second = Self.ids(200_000, prefix: "S").shuffled()
        var main = Interner(capacity: 4), other = Interner(capacity: 4)
        for s in first { _ = main.intern(s) }
        for s in second { _ = other.intern(s) }
        let joined = main.joinedCodes(other)
        #expect(joined.count == other.count && joined[0] == 0)
        var seen: [UInt32: String] = [:]
        for s in second {
            let code = joined[Int(other.lookup(s)!)]
            if let held = main.lookup(s) { #expect(code == held) } else { #expect(code == UInt32(main.count) + other.lookup(s)!) }
            #expect(seen[code] == nil || seen[code] == s)
            seen[code] = s
        }
    }
}
