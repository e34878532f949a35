import WaymarkLP
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// The M11 audit: plays an attacker who holds every aggregate the run
/// publishes and tries to pin the protected quantities of suppressed cells
/// by linear programming. The relations of each month end (breakdown sums,
/// bounds, the units indicators share, the matrix margins) are fixed; in
/// each state of suppression every protected quantity is minimised and
/// maximised over their LP relaxation, and while one is pinned a further
/// cell is suppressed.
///
/// Which cell (METHODS M11, read as documented in docs/methods.md): among
/// the published cells in the pinned cell's relations, ordered by smallest
/// denominator (a matrix cell's count), then M10 order, then indicator
/// order, the first whose suppression unpins the quantity; if none does on
/// its own, the first of them. If the pinned cell's relations hold no
/// published cell, the relations of the suppressed cells linked to it are
/// searched the same way. An added cell is a suppressed cell like any other:
/// secondary suppression (M11, M13.17, M13.18) and the I5/I6 links follow it.
struct DisclosureAudit {
    var rule: Disclosure

    /// What the audit did, for the manifest and the report.
    struct Report: Sendable, Equatable {
        /// Cells the audit chose to suppress because a quantity was pinned.
        var cellsAdded = 0
        /// Cells that followed them: secondary suppression and I5/I6 links.
        var cellsFollowing = 0
        /// Protected quantities checked in the final state.
        var protectedQuantities = 0
        /// Linear programs solved.
        var linearPrograms = 0
        /// Each added cell: what it is and which relation pinned what.
        var additions: [String] = []
    }

    /// A cell of the published tables: an indicator row, a matrix cell
    /// (`table`, `context * 3 + direction`), or a count of a count table.
    enum Cell: Hashable, Comparable {
        case row(Int)
        case matrix(Int, Int)
        /// A count of a count table (`table`, `index`): the distribution of change.
        case count(Int, Int)

        private var key: (Int, Int, Int) {
            switch self {
            case let .row(x): return (0, x, 0)
            case let .matrix(t, c): return (1, t, c)
            case let .count(t, k): return (2, t, k)
            }
        }

        static func < (a: Cell, b: Cell) -> Bool { a.key < b.key }
    }

    /// The part of a cell a relation uses (a matrix cell's count is its denominator).
    enum Part { case numerator, denominator }

    /// `coefficient x part of cell`.
    struct Term {
        var cell: Cell
        var part: Part
        var coefficient: Double
    }

    /// A relation the published figures imply: sums of terms related to zero.
    struct Relation {
        var name: String
        var cells: [Cell]
        var constraints: [(terms: [Term], sense: LinearSystem.Sense)]
    }

    /// A protected quantity (M11): what made a cell primary.
    struct Protected {
        var cell: Cell
        var name: String
        /// `coefficient x part` terms of the cell itself.
        var parts: [(Part, Double)]
        var label: String { "\(cell)\u{1}\(name)" }
    }

    /// The LP of one month end in one state of suppression.
    struct Model {
        var system = LinearSystem()
        var variable: [Cell: (numerator: Int?, denominator: Int)] = [:]
        var protected: [(Protected, LinearSystem.Expression)] = []
    }

    /// Runs the audit on results that have had primary, secondary and link
    /// suppression, suppressing further cells until nothing is pinned.
    func run(_ results: inout DisclosureTables) throws -> Report {
        var report = Report()
        let blocks = Disclosure.blocks(results.rows)
        var blockOf = [Int](repeating: 0, count: results.rows.count)
        for (b, range) in blocks.enumerated() { for i in range { blockOf[i] = b } }
        var rowsByMonth: [Day: [Int]] = [:]
        for i in results.rows.indices { rowsByMonth[results.rows[i].asOf, default: []].append(i) }
        var tablesByMonth: [Day: [Int]] = [:]
        for t in results.matrices.indices { tablesByMonth[results.matrices[t].asOf, default: []].append(t) }
        for month in results.monthEnds {
            let month = Month(results, rows: rowsByMonth[month] ?? [], tables: tablesByMonth[month] ?? [], blocks: blocks, blockOf: blockOf)
            var verdicts: [[Cell]: Set<String>] = [:]
            while true {
                let model = self.model(month, results)
                guard let pinned = try firstPinned(model, verdicts: &verdicts, report: &report) else {
                    report.protectedQuantities += model.protected.count
                    break
                }
                let (cell, relation) = try choose(pinned, month: month, results: &results, report: &report)
                report.cellsAdded += 1
                report.additions.append("\(month.describe(cell, results)): suppressed because \(pinned.name) of \(month.describe(pinned.cell, results)) was pinned through: \(relation)")
                report.cellsFollowing += month.suppress(cell, in: &results, rule: rule).count - 1
            }
        }
        return report
    }

    // MARK: The state of suppression as an LP

    private func model(_ month: Month, _ r: DisclosureTables) -> Model {
        var m = Model()
        var hidden: [Cell] = []
        for i in month.rows where r.rows[i].status == .suppressed {
            let row = r.rows[i]
            // M13.9: a listed row has a denominator of at least 1; a numerator lies in [0, denominator].
            let d = m.system.addVariable(lower: 1)
            var n: Int?
            if row.definition.kind == .rate {
                n = m.system.addVariable(lower: 0)
                m.system.add(v(n!), .atMostZero, v(d))
            }
            m.variable[.row(i)] = (n, d)
            hidden.append(.row(i))
        }
        for t in month.tables {
            for x in 0..<15 where r.matrices[t].status[x / 3][x % 3] == .suppressed {
                m.variable[.matrix(t, x)] = (nil, m.system.addVariable(lower: 0))
                hidden.append(.matrix(t, x))
            }
        }
        for t in month.counts {
            for k in r.counts[t].counts.indices where r.counts[t].hidden[k] {
                m.variable[.count(t, k)] = (nil, m.system.addVariable(lower: 0))
                hidden.append(.count(t, k))
            }
        }
        var used = Set<Int>()
        for c in hidden { for k in month.relationsOf[c] ?? [] { used.insert(k) } }
        for k in used.sorted() {
            for (terms, sense) in month.relations[k].constraints {
                var e = LinearSystem.Expression()
                for t in terms {
                    if let x = m.variable[t.cell] {
                        guard let index = t.part == .numerator ? x.numerator : x.denominator else { continue }
                        e.terms.append(.init(index, t.coefficient))
                    } else {
                        e.constant += t.coefficient * month.value(t.cell, t.part, r)
                    }
                }
                m.system.add(e, sense, .init())
            }
        }
        for c in hidden {
            for p in protectedQuantities(c, r) {
                let x = m.variable[c]!
                let e = LinearSystem.Expression(terms: p.parts.map { part, coefficient in
                    .init(part == .numerator ? x.numerator! : x.denominator, coefficient)
                })
                m.protected.append((p, e))
            }
        }
        return m
    }

    /// The protected quantities of a suppressed cell: those that make it primary.
    private func protectedQuantities(_ c: Cell, _ r: DisclosureTables) -> [Protected] {
        switch c {
        case let .matrix(t, x):
            return rule.suppressesCount(r.matrices[t].matrix.cells[x / 3][x % 3].segments)
                ? [Protected(cell: c, name: "the count", parts: [(.denominator, 1)])] : []
        case let .count(t, k):
            return rule.suppressesCount(r.counts[t].counts[k]) ? [Protected(cell: c, name: "the count", parts: [(.denominator, 1)])] : []
        case let .row(i):
            let row = r.rows[i]
            switch row.definition.kind {
            case .mean:
                return rule.suppressesMean(denominator: row.denominator)
                    ? [Protected(cell: c, name: "the denominator", parts: [(.denominator, 1)])] : []
            case .rate:
                var out: [Protected] = []
                let n = Int(row.numerator.rounded())
                if rule.suppressesCount(n) { out.append(Protected(cell: c, name: "the numerator", parts: [(.numerator, 1)])) }
                if rule.suppressesCount(row.denominator - n) {
                    out.append(Protected(cell: c, name: "the denominator minus the numerator", parts: [(.denominator, 1), (.numerator, -1)]))
                }
                if row.denominator > 0 && row.denominator < rule.minDenominator {
                    out.append(Protected(cell: c, name: "the denominator", parts: [(.denominator, 1)]))
                }
                return out
            }
        }
    }

    // MARK: Solving

    /// The first protected quantity (in model order) whose range is a single
    /// value. Verdicts are remembered per component: its suppressed cells
    /// decide its relations, so an unchanged component needs no new LP.
    private func firstPinned(_ m: Model, verdicts: inout [[Cell]: Set<String>], report: inout Report) throws -> Protected? {
        guard !m.protected.isEmpty else { return nil }
        let components = m.system.components()
        var componentOf = [Int](repeating: 0, count: m.system.variableCount)
        for (c, vars) in components.enumerated() { for x in vars { componentOf[x] = c } }
        var cellOf = [Cell?](repeating: nil, count: m.system.variableCount)
        for (cell, x) in m.variable {
            cellOf[x.denominator] = cell
            if let n = x.numerator { cellOf[n] = cell }
        }
        var byComponent: [Int: [(Protected, LinearSystem.Expression)]] = [:]
        for p in m.protected { byComponent[componentOf[p.1.terms[0].variable], default: []].append(p) }
        var pinned = Set<String>()
        for c in byComponent.keys.sorted() {
            let signature = Array(Set(components[c].map { cellOf[$0]! })).sorted()
            if let known = verdicts[signature] { pinned.formUnion(known); continue }
            let finder = LinearRangeFinder(m.system, variables: components[c])
            let quantities = byComponent[c]!
            // Every vertex the solver visits is a solution: a quantity seen at two values is not pinned.
            var seen = [(low: Double, high: Double)?](repeating: nil, count: quantities.count)
            finder.onVertex = { values in
                for (k, q) in quantities.enumerated() {
                    let x = q.1.terms.reduce(q.1.constant) { $0 + $1.coefficient * (values[$1.variable] ?? 0) }
                    seen[k] = seen[k].map { (min($0.low, x), max($0.high, x)) } ?? (x, x)
                }
            }
            var found = Set<String>()
            for (k, (p, e)) in quantities.enumerated() {
                if let s = seen[k], s.high - s.low > 1e-6 { continue }
                if try finder.range(of: e).isPinned() { found.insert(p.label) }
            }
            report.linearPrograms += finder.solves
            verdicts[signature] = found
            pinned.formUnion(found)
        }
        return m.protected.first { pinned.contains($0.0.label) }?.0
    }

    /// Is `p` still pinned once `cell` (and what follows it) is suppressed too?
    /// (Tried in place and undone: copying every table per trial would cost more than the LPs.)
    private func stillPinned(_ p: Protected, ifSuppressing cell: Cell, month: Month, results: inout DisclosureTables, report: inout Report) throws -> Bool {
        let changed = month.suppress(cell, in: &results, rule: rule)
        defer { month.publish(changed, in: &results) }
        let m = model(month, results)
        guard let (_, e) = m.protected.first(where: { $0.0.label == p.label }) else { return false }
        let component = m.system.components().first { $0.contains(e.terms[0].variable) }!
        let finder = LinearRangeFinder(m.system, variables: component)
        defer { report.linearPrograms += finder.solves }
        return try finder.range(of: e).isPinned()
    }

    /// The published cell to suppress for a pinned quantity, and the relation it came through.
    private func choose(_ p: Protected, month: Month, results r: inout DisclosureTables, report: inout Report) throws -> (Cell, String) {
        var frontier: Set<Cell> = [p.cell]
        var seen: Set<Cell> = []
        while !frontier.isEmpty {
            seen.formUnion(frontier)
            var candidates: [Cell: String] = [:]
            var next: Set<Cell> = []
            for k in Set(frontier.flatMap { month.relationsOf[$0] ?? [] }).sorted() {
                let relation = month.relations[k]
                for c in relation.cells {
                    if month.isPublished(c, r) {
                        if candidates[c] == nil { candidates[c] = relation.name }
                    } else if !seen.contains(c) {
                        next.insert(c)
                    }
                }
            }
            let ordered = candidates.keys.sorted { month.rank($0, r).lexicographicallyPrecedes(month.rank($1, r)) }
            if let first = ordered.first {
                for c in ordered.prefix(16) where try !stillPinned(p, ifSuppressing: c, month: month, results: &r, report: &report) {
                    return (c, candidates[c]!)
                }
                return (first, candidates[first]!)
            }
            frontier = next
        }
        throw DisclosureAuditError.cannotFinish("\(p.name) of \(month.describe(p.cell, r)) is pinned and no published cell is related to it")
    }

    private func v(_ x: Int) -> LinearSystem.Expression { LinearSystem.Expression(terms: [.init(x)]) }
}

extension DisclosureAudit {
    /// The fixed relations of one month end: they depend on which rows
    /// exist and which are z or x, never on what is suppressed.
    struct Month {
        var rows: [Int]
        var tables: [Int]
        /// Count tables of this month end that are published (not withheld).
        var counts: [Int] = []
        var blocks: [Range<Int>]
        var blockOf: [Int]
        var relations: [Relation] = []
        /// The relations each cell takes part in.
        var relationsOf: [Cell: [Int]] = [:]

        init(_ r: DisclosureTables, rows: [Int], tables: [Int], blocks: [Range<Int>], blockOf: [Int]) {
            self.rows = rows
            self.tables = tables
            self.blocks = blocks
            self.blockOf = blockOf
            /// A row of this month end.
            struct Key: Hashable { var id: IndicatorID; var scale: String; var rater: String; var breakdown: Breakdown; var group: String }
            var index: [Key: Int] = [:]
            index.reserveCapacity(rows.count)
            func key(_ id: IndicatorID, _ s: String, _ rt: String, _ b: Breakdown, _ g: String) -> Key { Key(id: id, scale: s, rater: rt, breakdown: b, group: g) }
            for i in rows { let x = r.rows[i]; index[key(x.id, x.scale, x.rater, x.breakdown, x.group)] = i }
            let informative: (Int) -> Bool = { r.rows[$0].status == .published || r.rows[$0].status == .suppressed }

            /// A row's place in a relation: the row, "a zero" (a group not
            /// listed while its total is), or nil (nothing known: z or x).
            enum Slot { case row(Int), zero }
            func slot(_ id: IndicatorID, _ s: String, _ rt: String, _ b: Breakdown, _ g: String) -> Slot? {
                if let i = index[key(id, s, rt, b, g)] { return informative(i) ? .row(i) : nil }
                // (Only for a breakdown the indicator has: M13.9.)
                guard b != .total, let t = index[key(id, s, rt, .total, "total")], informative(t),
                      b == .team || r.rows[t].definition.unit.hasChildBreakdowns else { return nil }
                return .zero
            }
            func term(_ s: Slot, _ part: Part, _ c: Double) -> Term? {
                if case .row(let i) = s { return Term(cell: .row(i), part: part, coefficient: c) }
                return nil
            }

            // 1. Breakdown sums (numerators of rates and all denominators).
            for i in rows where r.rows[i].breakdown == .total && informative(i) {
                let block = blocks[blockOf[i]]
                let total = r.rows[i]
                var b = block.lowerBound + 1
                while b < block.upperBound {
                    var e = b + 1
                    while e < block.upperBound && r.rows[e].breakdown == r.rows[b].breakdown { e += 1 }
                    let members = Array(b..<e)
                    if members.allSatisfy(informative) {
                        var parts: [Part] = [.denominator]
                        if total.definition.kind == .rate { parts.append(.numerator) }
                        let constraints = parts.map { part in
                            (terms: [Term(cell: .row(i), part: part, coefficient: -1)] + members.map { Term(cell: .row($0), part: part, coefficient: 1) },
                             sense: LinearSystem.Sense.equalsZero)
                        }
                        add(Relation(name: "the \(r.rows[b].breakdown.name) groups of \(total.id) sum to its total",
                                     cells: [.row(i)] + members.map { .row($0) }, constraints: constraints))
                    }
                    b = e
                }
            }

            // 2. Units shared between indicators, address by address.
            /// A cell address shared by indicators: scale, rater, breakdown and group.
            struct Address: Hashable { var scale: String; var rater: String; var breakdown: Breakdown; var group: String }
            var addresses = Set<Address>()
            for i in rows {
                let x = r.rows[i]
                addresses.insert(Address(scale: x.scale, rater: x.rater, breakdown: x.breakdown, group: x.group))
            }
            func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
            let ordered = addresses.sorted { x, y in
                if x.scale != y.scale { return bytes(x.scale).lexicographicallyPrecedes(bytes(y.scale)) }
                if x.rater != y.rater { return bytes(x.rater).lexicographicallyPrecedes(bytes(y.rater)) }
                if x.breakdown != y.breakdown { return x.breakdown < y.breakdown }
                return bytes(x.group).lexicographicallyPrecedes(bytes(y.group))
            }
            for a in ordered {
                let (s, rt, b, g) = (a.scale, a.rater, a.breakdown, a.group)
                /// `lhs (sense) rhs`, each side a list of (indicator, part, coefficient).
                func relate(_ name: String, _ lhs: [(IndicatorID, Part, Double)], _ sense: LinearSystem.Sense, _ rhs: [(IndicatorID, Part, Double)]) {
                    var terms: [Term] = []
                    var cells: [Cell] = []
                    for (side, sign) in [(lhs, 1.0), (rhs, -1.0)] {
                        for (id, part, c) in side {
                            guard let sl = slot(id, s, rt, b, g) else { return }
                            if let t = term(sl, part, sign * c) { terms.append(t); if !cells.contains(t.cell) { cells.append(t.cell) } }
                        }
                    }
                    guard !terms.isEmpty else { return }
                    add(Relation(name: name, cells: cells, constraints: [(terms, sense)]))
                }
                // I1-I4 count the same series in scope (I2 and I3 those with an RCI: all of them when an RCI exists).
                let series: [IndicatorID] = [.i1, .i2, .i3, .i4].filter { slot($0, s, rt, b, g) != nil }
                for (x, y) in zip(series, series.dropFirst()) {
                    relate("\(x) and \(y) count the same series", [(x, .denominator, 1)], .equalsZero, [(y, .denominator, 1)])
                }
                relate("a series cannot both reliably improve (\(IndicatorID.i2)) and deteriorate (\(IndicatorID.i3))",
                       [(.i2, .numerator, 1), (.i3, .numerator, 1)], .atMostZero, [(.i2, .denominator, 1)])
                relate("\(IndicatorID.i14) counts the withdrawals \(IndicatorID.i14u) does not", [(.i14, .denominator, 1)], .equalsZero,
                       [(.i14u, .denominator, 1), (.i14u, .numerator, -1)])
                relate("\(IndicatorID.i15) counts the closures \(IndicatorID.i15u) does not", [(.i15, .denominator, 1)], .equalsZero,
                       [(.i15u, .denominator, 1), (.i15u, .numerator, -1)])
                relate("\(IndicatorID.i9) counts the offers with a response, \(IndicatorID.i10)'s numerator", [(.i9, .denominator, 1)], .equalsZero, [(.i10, .numerator, 1)])
                relate("\(IndicatorID.i10) and \(IndicatorID.i13) count the same offers", [(.i10, .denominator, 1)], .equalsZero, [(.i13, .denominator, 1)])
                relate("a paired occasion (\(IndicatorID.i8)) has a family score (\(IndicatorID.i7))", [(.i8, .denominator, 1)], .atMostZero, [(.i7, .numerator, 1)])
            }

            // 3. Count tables (the distribution of change) sum to their row's denominator.
            for (k, table) in r.counts.enumerated() where !table.withheld && r.rows[table.totalRow].asOf == rows.first.map({ r.rows[$0].asOf }) {
                counts.append(k)
                let cells = table.counts.indices.map { Cell.count(k, $0) }
                add(Relation(name: "the distribution of change sums to \(IndicatorID.i1)'s denominator", cells: cells + [.row(table.totalRow)],
                             constraints: [(cells.map { Term(cell: $0, part: .denominator, coefficient: 1) }
                                            + [Term(cell: .row(table.totalRow), part: .denominator, coefficient: -1)], .equalsZero)]))
            }

            // 4. The matrix margins and I5, I6 (their total rows of the same scale, rater and month end).
            for t in tables {
                let table = r.matrices[t]
                let s = table.scale, rt = table.rater.rawValue
                func cell(_ c: SupportContext, _ d: Direction) -> Cell { .matrix(t, Int(c.rawValue) * 3 + Int(d.rawValue)) }
                let worsened = SupportContext.allCases.map { cell($0, .worsened) }
                let engaged = Direction.allCases.map { cell(.engaged, $0) }
                if let i5 = index[key(.i5, s, rt, .total, "total")], informative(i5) {
                    add(Relation(name: "the matrix's worsened column sums to \(IndicatorID.i5)'s denominator", cells: worsened + [.row(i5)],
                                 constraints: [(worsened.map { Term(cell: $0, part: .denominator, coefficient: 1) } + [Term(cell: .row(i5), part: .denominator, coefficient: -1)], .equalsZero)]))
                    let none = cell(.noneOffered, .worsened)
                    add(Relation(name: "none_offered x worsened is \(IndicatorID.i5)'s denominator minus its numerator", cells: [none, .row(i5)],
                                 constraints: [([Term(cell: none, part: .denominator, coefficient: 1), Term(cell: .row(i5), part: .denominator, coefficient: -1),
                                                 Term(cell: .row(i5), part: .numerator, coefficient: 1)], .equalsZero)]))
                }
                if let i6 = index[key(.i6, s, rt, .total, "total")], informative(i6) {
                    add(Relation(name: "the matrix's engaged row sums to \(IndicatorID.i6)'s denominator", cells: engaged + [.row(i6)],
                                 constraints: [(engaged.map { Term(cell: $0, part: .denominator, coefficient: 1) } + [Term(cell: .row(i6), part: .denominator, coefficient: -1)], .equalsZero)]))
                    let improved = cell(.engaged, .improved)
                    add(Relation(name: "engaged x improved is \(IndicatorID.i6)'s numerator", cells: [improved, .row(i6)],
                                 constraints: [([Term(cell: improved, part: .denominator, coefficient: 1), Term(cell: .row(i6), part: .numerator, coefficient: -1)], .equalsZero)]))
                }
            }
        }

        private mutating func add(_ relation: Relation) {
            relations.append(relation)
            for c in Set(relation.cells) { relationsOf[c, default: []].append(relations.count - 1) }
        }

        /// A published cell's value.
        func value(_ c: Cell, _ part: Part, _ r: DisclosureTables) -> Double {
            switch c {
            case let .row(i): return part == .numerator ? r.rows[i].numerator : Double(r.rows[i].denominator)
            case let .matrix(t, x): return Double(r.matrices[t].matrix.cells[x / 3][x % 3].segments)
            case let .count(t, k): return Double(r.counts[t].counts[k])
            }
        }

        func isPublished(_ c: Cell, _ r: DisclosureTables) -> Bool {
            switch c {
            case let .row(i): return r.rows[i].status == .published
            case let .matrix(t, x): return r.matrices[t].status[x / 3][x % 3] == .published
            case let .count(t, k): return !r.counts[t].hidden[k]
            }
        }

        /// The order candidates are tried in: smallest denominator (a matrix
        /// cell's count), then M10 order, then indicator order (the matrix
        /// after every indicator), then position.
        func rank(_ c: Cell, _ r: DisclosureTables) -> [Int] {
            switch c {
            case let .row(i):
                let row = r.rows[i]
                return [row.denominator, row.breakdown.rawValue, row.id.order, i]
            case let .matrix(t, x):
                return [r.matrices[t].matrix.cells[x / 3][x % 3].segments, 0, IndicatorID.allCases.count, r.rows.count + t * 15 + x]
            case let .count(t, k):
                return [r.counts[t].counts[k], 0, IndicatorID.allCases.count + 1, r.rows.count + r.matrices.count * 15 + t * 11 + k]
            }
        }

        /// Suppresses a cell and what follows from it: secondary suppression
        /// in its breakdown (M13.18) or matrix (M13.17), and the I5/I6 rows
        /// linked to a matrix cell. Returns every cell suppressed.
        func suppress(_ cell: Cell, in r: inout DisclosureTables, rule: Disclosure) -> [Cell] {
            var done: [Cell] = []
            var queue = [cell]
            while let c = queue.popLast() {
                guard isPublished(c, r) else { continue }
                switch c {
                case let .row(i):
                    r.rows[i].status = .suppressed
                    done.append(c)
                    done.append(contentsOf: rule.secondary(&r.rows, block: blocks[blockOf[i]]).map { Cell.row($0) })
                case let .count(t, k):
                    r.counts[t].hidden[k] = true
                    done.append(c)
                    // Secondary (M11): while exactly one count is hidden, the smallest published one goes too.
                    while r.counts[t].hidden.filter({ $0 }).count == 1 {
                        let table = r.counts[t]
                        guard let pick = table.counts.indices.filter({ !table.hidden[$0] }).min(by: { table.counts[$0] < table.counts[$1] }) else { break }
                        r.counts[t].hidden[pick] = true
                        done.append(.count(t, pick))
                    }
                case let .matrix(t, x):
                    r.matrices[t].status[x / 3][x % 3] = .suppressed
                    let more = rule.secondary(r.matrices[t].matrix, &r.matrices[t].status)
                    done.append(c)
                    for (cx, dx) in [(x / 3, x % 3)] + more {
                        if !(cx == x / 3 && dx == x % 3) { done.append(.matrix(t, cx * 3 + dx)) }
                        let linked: IndicatorID
                        if cx == Int(SupportContext.noneOffered.rawValue) && dx == Int(Direction.worsened.rawValue) { linked = .i5 }
                        else if cx == Int(SupportContext.engaged.rawValue) && dx == Int(Direction.improved.rawValue) { linked = .i6 }
                        else { continue }
                        let table = r.matrices[t]
                        for i in rows where r.rows[i].id == linked && r.rows[i].scale == table.scale && r.rows[i].rater == table.rater.rawValue {
                            queue.append(.row(i))
                        }
                    }
                }
            }
            return done
        }

        /// Undoes `suppress`: the cells it returned were all published before.
        func publish(_ cells: [Cell], in r: inout DisclosureTables) {
            for c in cells {
                switch c {
                case let .row(i): r.rows[i].status = .published
                case let .matrix(t, x): r.matrices[t].status[x / 3][x % 3] = .published
                case let .count(t, k): r.counts[t].hidden[k] = false
                }
            }
        }

        func describe(_ c: Cell, _ r: DisclosureTables) -> String {
            switch c {
            case let .row(i):
                let row = r.rows[i]
                return "\(row.id) \(row.scale)/\(row.rater) \(row.asOf) \(row.breakdown.name)=\(row.group)"
            case let .matrix(t, x):
                let table = r.matrices[t]
                return "matrix \(table.scale)/\(table.rater.rawValue) \(table.asOf) \(SupportContext.allCases[x / 3].name) x \(Direction.allCases[x % 3].name)"
            case let .count(t, k):
                let table = r.counts[t]
                return "distribution of change \(table.scale)/\(table.rater.rawValue) \(table.asOf) bin \(k - 5)"
            }
        }
    }
}

/// The audit could not establish that nothing is pinned: the run stops (exit 2).
public enum DisclosureAuditError: Error, CustomStringConvertible {
    case cannotFinish(String)
    case solver(String)

    public var description: String {
        switch self {
        case .cannotFinish(let why), .solver(let why): return "the disclosure audit cannot finish: \(why); nothing was published"
        }
    }
}
