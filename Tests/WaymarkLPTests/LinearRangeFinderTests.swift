import Testing
@testable import WaymarkLP

/// Ranges worked out by hand on small systems.
@Suite struct LinearRangeFinderTests {
    typealias E = LinearSystem.Expression

    func v(_ i: Int, _ c: Double = 1) -> E { E(terms: [.init(i, c)]) }
    func k(_ c: Double) -> E { E(constant: c) }

    /// a + b = 12, a >= 1, b >= 1: a ranges over [1, 11].
    @Test func sumWithLowerBounds() throws {
        var s = LinearSystem()
        let a = s.addVariable(lower: 1), b = s.addVariable(lower: 1)
        s.add(v(a) + v(b), .equalsZero, k(12))
        let f = LinearRangeFinder(s, variables: [a, b])
        #expect(try f.range(of: v(a)) == .init(lower: 1, upper: 11))
        #expect(!(try f.range(of: v(a))).isPinned())
    }

    /// a + b = 2 with a, b >= 1 pins both at 1 (the bounds attack).
    @Test func boundsPin() throws {
        var s = LinearSystem()
        let a = s.addVariable(lower: 1), b = s.addVariable(lower: 1)
        s.add(v(a) + v(b), .equalsZero, k(2))
        let r = try LinearRangeFinder(s, variables: [a, b]).range(of: v(a))
        #expect(r.isPinned())
        #expect(abs(r.lower - 1) < 1e-12)
    }

    /// n <= d, d - n = 3 known through another relation: d - n is pinned, n is not.
    @Test func differencePinnedButNotParts() throws {
        var s = LinearSystem()
        let n = s.addVariable(), d = s.addVariable(lower: 1)
        s.add(v(n), .atMostZero, v(d))
        s.add(v(d) - v(n), .equalsZero, k(3))
        let f = LinearRangeFinder(s, variables: [n, d])
        #expect(try f.range(of: v(d) - v(n)).isPinned())
        let rn = try f.range(of: v(n))
        #expect(rn.lower == 0 && rn.upper == nil)
    }

    /// Only bounds, no relations: the range is the bounds.
    @Test func noRelations() throws {
        var s = LinearSystem()
        let a = s.addVariable(lower: 1, upper: 4)
        let r = try LinearRangeFinder(s, variables: [a]).range(of: v(a, 2) + k(1))
        #expect(r == .init(lower: 3, upper: 9))
    }

    /// x + y = 1, x - y = 1/3 (a fractional vertex): x is pinned at 2/3 exactly.
    @Test func fractionalPinExact() throws {
        var s = LinearSystem()
        let x = s.addVariable(), y = s.addVariable()
        s.add(v(x) + v(y), .equalsZero, k(1))
        s.add(v(x, 3) - v(y, 3), .equalsZero, k(1))
        let r = try LinearRangeFinder(s, variables: [x, y]).range(of: v(x))
        #expect(r.isPinned())
        #expect(abs(r.lower - 2.0 / 3.0) < 1e-12)
    }

    /// Contradictory relations are reported, not answered.
    @Test func infeasible() throws {
        var s = LinearSystem()
        let a = s.addVariable(lower: 5)
        let b = s.addVariable()
        s.add(v(a) + v(b), .equalsZero, k(2))
        #expect(throws: LinearRangeFinder.Failure.self) { try LinearRangeFinder(s, variables: [a, b]).range(of: v(a)) }
    }

    /// Components split on shared constraints only.
    @Test func components() {
        var s = LinearSystem()
        let a = s.addVariable(), b = s.addVariable(), c = s.addVariable(), d = s.addVariable()
        s.add(v(a) + v(c), .equalsZero, k(3))
        s.add(v(d), .atMostZero, k(3))
        #expect(s.components() == [[a, c], [b], [d]])
    }
}
