import Testing
@testable import WaymarkIngest

/// Vocabulary codes through the short-value path (values of up to 16 bytes
/// told apart by two words) against a plain dictionary, the reference.
@Suite struct ValueResolverTests {
    @Test func shortAndLongValuesResolveAsTheDictionarySays() {
        let canonical = ["practitioner", "parent", "child", "young_person", "other", "a", "ab", "abc",
                         "abcd", "abcde", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq"]
        let vocabulary = ["PSW": "practitioner", "Mum": "parent", "abcdefghXjklmnop": "child", "abcdXfgh": "other"]
        var resolver = ValueResolver(canonical: canonical, vocabulary: vocabulary)
        var reference: [String: Int32] = [:]
        for (k, name) in canonical.enumerated() { reference[name] = Int32(k + 1) }
        for (raw, target) in vocabulary { reference[raw] = reference[target] }
        // Values that share a length and their first or last bytes with known ones, and unknown ones;
        // every one several times, in an order that fills the short table before the long ones come.
        let probes = canonical + Array(vocabulary.keys) + ["abcdefghXjklmnoq", "Xbcdefghijklmnop", "abcdefgX", "abcX", "abd",
                                                           "practitionerr", "pract", "", "b", "ba", "parent ", "abcdefghijklmnopqr"]
        for round in 0..<3 {
            for raw in (round == 1 ? probes.reversed() : probes) where !raw.isEmpty {
                var s = raw
                let got = s.withUTF8 { resolver.resolve($0) }
                #expect(got == reference[raw], "\(raw)")
            }
        }
    }
}
