/// A set of linear relations over real variables, each with bounds: the
/// knowledge an attacker holds about hidden quantities. Domain-free; the
/// disclosure audit builds one from the published tables and asks
/// `LinearRangeFinder` how far each hidden quantity can move.
public struct LinearSystem: Sendable {
    /// One term of a linear expression: coefficient times variable.
    public struct Term: Sendable, Hashable {
        public var variable: Int
        public var coefficient: Double
        public init(_ variable: Int, _ coefficient: Double = 1) {
            self.variable = variable
            self.coefficient = coefficient
        }
    }

    /// A linear expression: a sum of terms plus a constant.
    public struct Expression: Sendable, Hashable {
        public var terms: [Term]
        public var constant: Double
        public init(terms: [Term] = [], constant: Double = 0) {
            self.terms = terms
            self.constant = constant
        }
        public static func + (a: Expression, b: Expression) -> Expression {
            Expression(terms: a.terms + b.terms, constant: a.constant + b.constant)
        }
        public static func - (a: Expression, b: Expression) -> Expression {
            Expression(terms: a.terms + b.terms.map { Term($0.variable, -$0.coefficient) }, constant: a.constant - b.constant)
        }
        /// The same expression with the terms of each variable added together and zeros dropped.
        public var combined: Expression {
            var sums: [Int: Double] = [:]
            for t in terms { sums[t.variable, default: 0] += t.coefficient }
            return Expression(terms: sums.keys.sorted().compactMap { v in sums[v] == 0 ? nil : Term(v, sums[v]!) }, constant: constant)
        }
    }

    /// How an expression relates to zero.
    public enum Sense: Sendable, Hashable {
        /// expression = 0
        case equalsZero
        /// expression <= 0
        case atMostZero
        /// expression >= 0
        case atLeastZero
    }

    /// A relation `expression (sense) 0`.
    public struct Constraint: Sendable, Hashable {
        public var expression: Expression
        public var sense: Sense
    }

    /// Lower bound of each variable.
    public private(set) var lower: [Double] = []
    /// Upper bound of each variable (nil: none).
    public private(set) var upper: [Double?] = []
    public private(set) var constraints: [Constraint] = []

    public init() {}

    public var variableCount: Int { lower.count }

    /// Adds a variable with bounds and returns its index.
    public mutating func addVariable(lower: Double = 0, upper: Double? = nil) -> Int {
        self.lower.append(lower)
        self.upper.append(upper)
        return self.lower.count - 1
    }

    /// Adds `a (sense) b`. Relations between constants only are dropped.
    public mutating func add(_ a: Expression, _ sense: Sense, _ b: Expression) {
        let e = (a - b).combined
        guard !e.terms.isEmpty else { return }
        constraints.append(Constraint(expression: e, sense: sense))
    }

    /// The variables that constrain each other, directly or through others:
    /// the connected components of the variables under the constraints.
    /// Each component lists its variables in ascending order.
    public func components() -> [[Int]] {
        var parent = Array(0..<variableCount)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for c in constraints {
            guard let first = c.expression.terms.first?.variable else { continue }
            let root = find(first)
            for t in c.expression.terms.dropFirst() {
                let r = find(t.variable)
                if r != root { parent[r] = root }
            }
        }
        var groups: [Int: [Int]] = [:]
        for v in 0..<variableCount { groups[find(v), default: []].append(v) }
        return groups.values.sorted { $0[0] < $1[0] }
    }
}
