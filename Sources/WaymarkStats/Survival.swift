import RealModule

/// The Kaplan-Meier estimate of a survival curve, with pointwise intervals
/// from Greenwood's variance on the log(-log) scale (the "exponential
/// Greenwood" interval, lifelines' default).
public struct KaplanMeier: Sendable {
    /// One row per distinct time with an event or a censoring, ascending.
    public struct Step: Sendable, Equatable {
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var censored: Int
        public var survival: Double
        /// The interval, or nil where it is undefined (survival 1 or 0).
        public var lower: Double?
        public var upper: Double?
    }

    public var steps: [Step]
    public var n: Int
    public var events: Int

    /// `durations` with `observed` = true for an event, false for a censoring.
    public init(durations: [Double], observed: [Bool], alpha: Double = 0.05) {
        precondition(durations.count == observed.count)
        let order = durations.indices.sorted { durations[$0] < durations[$1] }
        let z = Distributions.normalQuantile(1 - alpha / 2)
        var atRisk = durations.count
        var s = 1.0, greenwood = 0.0
        var steps: [Step] = []
        var i = 0
        while i < order.count {
            let time = durations[order[i]]
            var d = 0, c = 0
            while i < order.count && durations[order[i]] == time {
                if observed[order[i]] { d += 1 } else { c += 1 }
                i += 1
            }
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                greenwood += atRisk > d ? Double(d) / (Double(atRisk) * Double(atRisk - d)) : .infinity
            }
            var lower: Double?, upper: Double?
            if s > 0 && s < 1 && greenwood.isFinite {
                let v = Double.log(s)
                let a = Double.exp(-Double.exp(Double.log(-v) + z * greenwood.squareRoot() / v))
                let b = Double.exp(-Double.exp(Double.log(-v) - z * greenwood.squareRoot() / v))
                lower = min(a, b)
                upper = max(a, b)
            }
            steps.append(Step(time: time, atRisk: atRisk, events: d, censored: c, survival: s, lower: lower, upper: upper))
            atRisk -= d + c
        }
        self.steps = steps
        n = durations.count
        events = observed.filter { $0 }.count
    }

    /// The estimate at time t (right-continuous step function).
    public func survival(at t: Double) -> Double {
        var s = 1.0
        for step in steps where step.time <= t { s = step.survival }
        return s
    }

    /// The number at risk at time t: series whose time (event or censoring) is t or later.
    public func atRisk(at t: Double) -> Int { steps.first { $0.time >= t }?.atRisk ?? 0 }

    /// The smallest time at which survival is at or below 0.5, if reached.
    public var median: Double? { steps.first { $0.survival <= 0.5 }?.time }
}

/// The log-rank test of two survival curves (Mantel-Haenszel form, as
/// lifelines' `logrank_test`): chi-square on 1 degree of freedom.
public struct LogRankTest: Sendable, Equatable {
    public var observed1: Double, expected1: Double
    public var variance: Double
    public var statistic: Double
    public var p: Double

    public init?(durations1: [Double], observed1: [Bool], durations2: [Double], observed2: [Bool]) {
        struct Item { var t: Double; var event: Bool; var group: Int }
        let items = (zip(durations1, observed1).map { Item(t: $0, event: $1, group: 0) }
            + zip(durations2, observed2).map { Item(t: $0, event: $1, group: 1) }).sorted { $0.t < $1.t }
        var n1 = durations1.count, n2 = durations2.count
        var o1 = 0.0, e1 = 0.0, v = 0.0
        var i = 0
        while i < items.count {
            let t = items[i].t
            var d1 = 0, d2 = 0, c1 = 0, c2 = 0
            while i < items.count && items[i].t == t {
                let it = items[i]
                if it.event { if it.group == 0 { d1 += 1 } else { d2 += 1 } } else { if it.group == 0 { c1 += 1 } else { c2 += 1 } }
                i += 1
            }
            let d = Double(d1 + d2), n = Double(n1 + n2)
            if d > 0 {
                o1 += Double(d1)
                e1 += d * Double(n1) / n
                if n > 1 { v += Double(n1) * Double(n2) * d * (n - d) / (n * n * (n - 1)) }
            }
            n1 -= d1 + c1
            n2 -= d2 + c2
        }
        guard v > 0 else { return nil }
        self.observed1 = o1
        expected1 = e1
        variance = v
        statistic = (o1 - e1) * (o1 - e1) / v
        p = Distributions.chiSquareSurvival(statistic, k: 1)
    }
}
