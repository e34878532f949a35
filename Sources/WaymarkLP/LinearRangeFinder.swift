import CGLPK

/// The smallest and largest value a linear expression can take over the
/// solutions of a `LinearSystem` (its LP relaxation), found with GLPK's
/// simplex method and confirmed in exact rational arithmetic (`glp_exact`)
/// whenever the two ends come close.
public final class LinearRangeFinder {
    /// Why a range could not be found.
    public enum Failure: Error, CustomStringConvertible {
        /// The relations contradict each other (published figures that cannot all be true).
        case infeasible
        /// GLPK stopped without an answer (its return code and status).
        case solver(code: Int32, status: Int32)

        public var description: String {
            switch self {
            case .infeasible: return "the published figures admit no solution (the relations contradict each other)"
            case let .solver(code, status): return "the LP solver stopped without an answer (code \(code), status \(status))"
            }
        }
    }

    /// A range; `upper` is nil when the expression is unbounded above.
    public struct Range: Sendable, Equatable {
        public var lower: Double
        public var upper: Double?
        /// The expression takes one value only: |upper - lower| within `tolerance`.
        public func isPinned(tolerance: Double = 1e-9) -> Bool {
            guard let u = upper else { return false }
            return abs(u - lower) <= tolerance
        }
    }

    private let problem: OpaquePointer
    private let columns: [Int: Int32]
    private let system: LinearSystem
    private var parameters = glp_smcp()
    /// Number of LPs solved (simplex calls), for the manifest.
    public private(set) var solves = 0
    /// Called with every optimal vertex found (the value of each variable,
    /// by system index): any vertex is a solution, so a caller can rule out
    /// pins of other expressions without solving for them.
    public var onVertex: (([Int: Double]) -> Void)?

    /// Prepares the LP over `variables` (a component of `system`: every
    /// constraint touching them must involve no other variable).
    public init(_ system: LinearSystem, variables: [Int]) {
        glp_term_out(GLP_OFF)
        self.system = system
        problem = glp_create_prob()
        var columns: [Int: Int32] = [:]
        glp_add_cols(problem, Int32(variables.count))
        for (k, v) in variables.enumerated() {
            let j = Int32(k + 1)
            columns[v] = j
            if let u = system.upper[v] {
                glp_set_col_bnds(problem, j, system.lower[v] == u ? GLP_FX : GLP_DB, system.lower[v], u)
            } else {
                glp_set_col_bnds(problem, j, GLP_LO, system.lower[v], 0)
            }
        }
        self.columns = columns
        let rows = system.constraints.filter { c in c.expression.terms.contains { columns[$0.variable] != nil } }
        if !rows.isEmpty { glp_add_rows(problem, Int32(rows.count)) }
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (k, c) in rows.enumerated() {
            let i = Int32(k + 1)
            let rhs = -c.expression.constant
            switch c.sense {
            case .equalsZero: glp_set_row_bnds(problem, i, GLP_FX, rhs, rhs)
            case .atMostZero: glp_set_row_bnds(problem, i, GLP_UP, 0, rhs)
            case .atLeastZero: glp_set_row_bnds(problem, i, GLP_LO, rhs, 0)
            }
            for t in c.expression.terms {
                ia.append(i)
                ja.append(columns[t.variable]!)
                ar.append(t.coefficient)
            }
        }
        if ia.count > 1 { glp_load_matrix(problem, Int32(ia.count - 1), ia, ja, ar) }
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
    }

    deinit { glp_delete_prob(problem) }

    /// The range of `expression` (its variables must belong to this LP).
    public func range(of expression: LinearSystem.Expression) throws -> Range {
        let e = expression.combined
        // With no rows the bounds alone decide.
        if glp_get_num_rows(problem) == 0 {
            var lo = e.constant, hi: Double? = e.constant
            for t in e.terms {
                let l = system.lower[t.variable], u = system.upper[t.variable]
                if t.coefficient > 0 {
                    lo += t.coefficient * l
                    hi = u.flatMap { v in hi.map { $0 + t.coefficient * v } }
                } else {
                    hi = hi.map { $0 + t.coefficient * l }
                    lo = u.map { lo + t.coefficient * $0 } ?? -.infinity
                }
            }
            return Range(lower: lo, upper: hi)
        }
        let n = glp_get_num_cols(problem)
        for j in 1...n { glp_set_obj_coef(problem, j, 0) }
        for t in e.terms { glp_set_obj_coef(problem, columns[t.variable]!, t.coefficient) }
        var lo = try optimum(GLP_MIN) ?? -.infinity
        var hi = try optimum(GLP_MAX)
        // Close ends are confirmed in exact rational arithmetic, from the simplex's own basis.
        if let h = hi, lo.isFinite, h - lo < 1e-3 {
            lo = try optimum(GLP_MIN, exact: true) ?? lo
            hi = try optimum(GLP_MAX, exact: true) ?? h
        }
        return Range(lower: lo + e.constant, upper: hi.map { $0 + e.constant })
    }

    /// The optimum in direction `direction`, or nil when unbounded.
    private func optimum(_ direction: Int32, exact: Bool = false) throws -> Double? {
        glp_set_obj_dir(problem, direction)
        solves += 1
        var code = glp_simplex(problem, &parameters)
        if code == 0, exact { code = glp_exact(problem, &parameters) }
        if code != 0 {
            // A stale basis can be singular after the objective moves; start afresh once.
            glp_std_basis(problem)
            code = glp_simplex(problem, &parameters)
            if code == 0, exact { code = glp_exact(problem, &parameters) }
        }
        let status = glp_get_status(problem)
        guard code == 0 else { throw Failure.solver(code: code, status: status) }
        switch status {
        case GLP_OPT:
            if let onVertex {
                var values: [Int: Double] = [:]
                for (v, j) in columns { values[v] = glp_get_col_prim(problem, j) }
                onVertex(values)
            }
            return glp_get_obj_val(problem)
        case GLP_UNBND: return nil
        case GLP_NOFEAS: throw Failure.infeasible
        default:
            if glp_get_prim_stat(problem) == GLP_NOFEAS { throw Failure.infeasible }
            // Dual infeasible with a feasible primal: unbounded in this direction.
            if glp_get_dual_stat(problem) == GLP_NOFEAS { return nil }
            throw Failure.solver(code: code, status: status)
        }
    }
}
