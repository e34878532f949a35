import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// Computes every indicator (METHODS.md M7, M8, M10) and the support-response
/// matrix (M9) as at each month end of the trend, from one build of the
/// trajectories as at `as_of`.
///
/// Nothing is re-read or re-sorted per month: a series as at an earlier month
/// end is a prefix of its points (found by binary search); a segment's
/// context differs from the `as_of` build only where an offer's stop day
/// moves with the month end (a response, start or end dated after it), so
/// only the segments of cases with such an offer are evaluated again.
public enum IndicatorEngine {
    public static func compute(_ t: Trajectories, ingest: IngestResult, options: IndicatorOptions) -> RawIndicators {
        var run = IndicatorRun(t, ingest: ingest, options: options)
        let figures = MonthSlots<MonthFigures>(count: run.months.count)
        let evaluation = run
        DispatchQueue.concurrentPerform(iterations: run.months.count) { k in figures.set(k, evaluation.evaluate(month: k)) }
        for k in run.months.indices { run.merge(figures.get(k), month: k) }
        var raw = run.results()
        let headline = options.headlineScale ?? options.scales.first?.name
        if let name = headline, let sc = options.scales.firstIndex(where: { $0.name == name }), let latest = run.months.last {
            raw.distribution = ChangeDistribution.compute(t, scaleIndex: sc, scale: name, rater: options.headlineRater,
                                                          asOf: latest, windowDays: options.windowDays)
        }
        return raw
    }
}

/// What one month end's evaluation gives besides its tallies, per (scale, rater).
struct MonthFigures {
    var rciScale: [Double?]
    var rciWhy: [String?]
    var matrices: [SupportMatrix]
}

/// One result per month end, filled from several threads (each writes its own slot).
final class MonthSlots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ v: T) { lock.lock(); values[k] = v; lock.unlock() }
    func get(_ k: Int) -> T { lock.lock(); defer { lock.unlock() }; return values[k]! }
}

/// The figures before disclosure control: tallies per indicator, scale, rater,
/// month end and group, with what made an indicator not applicable.
struct IndicatorRun {
    let t: Trajectories
    let ingest: IngestResult
    let options: IndicatorOptions
    let support: SupportIndex
    let caseTeams: CaseTeams
    let units: UnitIndex
    let layout: GroupLayout
    let months: [Day]
    /// Per intervention: its four child-characteristic slots (when children.csv was given).
    let offerSlots: [SIMD4<Int32>]
    let headline: Int
    let tallies: Tallies
    /// Per series: its four child-characteristic slots (when children.csv was given).
    let seriesChildSlots: [SIMD4<Int32>]
    /// Raters present per scale (a score up to as_of), in vocabulary order.
    let ratersByScale: [[Rater]]
    /// Per (scale, rater, month): the RCI denominator, or why there is none.
    var rciScale: [Double?]
    var rciWhy: [String?]
    /// Per (scale, rater, month): the 15 cells of the matrix.
    var matrices: [SupportMatrix]
    let childrenGiven: Bool
    let episodesGiven: Bool

    init(_ t: Trajectories, ingest: IngestResult, options: IndicatorOptions) {
        self.t = t
        self.ingest = ingest
        self.options = options
        support = t.support
        caseTeams = t.caseTeams
        units = UnitIndex(t, ingest: ingest)
        childrenGiven = options.inputsGiven.contains(.children)
        episodesGiven = options.inputsGiven.contains(.episodes)
        layout = GroupLayout(ingest, childrenGiven: childrenGiven)
        months = TrendCalendar.monthEnds(asOf: t.asOf, months: options.trendMonths)
        headline = Int(options.headlineRater.code) - 1
        tallies = Tallies(indicators: IndicatorCatalogue.all.count, scales: options.scales.count, months: months.count, slots: layout.count)
        let layout = layout
        seriesChildSlots = childrenGiven ? t.series.map { layout.childCharacteristicSlots(case: $0.caseID, child: $0.childID) } : []
        let iv = ingest.interventions
        offerSlots = childrenGiven ? (0..<iv.count).map { layout.childCharacteristicSlots(case: iv.caseID[$0], child: iv.childID[$0]) } : []
        var present = [Set<Rater>](repeating: [], count: options.scales.count)
        for s in t.series { present[Int(s.scale)].insert(s.rater) }
        ratersByScale = present.map { set in Rater.allCases.filter { set.contains($0) } }
        let cells = options.scales.count * Rater.allCases.count * months.count
        rciScale = [Double?](repeating: nil, count: cells)
        rciWhy = [String?](repeating: nil, count: cells)
        matrices = [SupportMatrix](repeating: SupportMatrix(), count: cells)
    }

    func key(scale: Int, rater: Int, month: Int) -> Int { (scale * Rater.allCases.count + rater) * months.count + month }
    func monthKey(scale: Int, rater: Int) -> Int { scale * Rater.allCases.count + rater }

    mutating func merge(_ f: MonthFigures, month k: Int) {
        for sc in options.scales.indices {
            for r in 0..<Rater.allCases.count {
                let cell = key(scale: sc, rater: r, month: k), local = monthKey(scale: sc, rater: r)
                rciScale[cell] = f.rciScale[local]
                rciWhy[cell] = f.rciWhy[local]
                matrices[cell] = f.matrices[local]
            }
        }
    }
    /// Number of points of series `k` dated on or before `e`.
    func pointsAsAt(_ k: Int, _ e: Int32) -> Int {
        let r = t.series[k].points
        if t.points[r.upperBound - 1].day <= e { return r.count }
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if t.points[mid].day <= e { lo = mid + 1 } else { hi = mid }
        }
        return lo - r.lowerBound
    }

    /// The team of a series whose last point (as at E) is point `p` (M13.7).
    func seriesTeam(_ s: Series, lastPoint p: Int, _ e: Int32) -> UInt32 {
        t.pointTeams[p] != 0 ? t.pointTeams[p] : caseTeams.team(s.caseID, asOf: e)
    }

    func childSlots(_ k: Int) -> SIMD4<Int32>? { childrenGiven ? seriesChildSlots[k] : nil }

    func offerChildSlots(_ v: Int) -> SIMD4<Int32>? { childrenGiven ? offerSlots[v] : nil }

    func offerTeam(_ v: Int, _ e: Int32) -> UInt32 {
        let iv = ingest.interventions
        return iv.team[v] != 0 ? iv.team[v] : caseTeams.team(iv.caseID[v], asOf: e)
    }

    /// Whether a series as at some day, with `n` points, is sustained (M6).
    func sustained(_ s: Series, n: Int, spec: ScaleSpec) -> Bool? {
        guard n >= 2 else { return nil }
        let a = t.points[s.points.lowerBound + n - 2], b = t.points[s.points.lowerBound + n - 1]
        return spec.sustained(previous: (a.value, a.day), last: (b.value, b.day))
    }

    func evaluate(month k: Int) -> MonthFigures {
        let cells = options.scales.count * Rater.allCases.count
        var rciScale = [Double?](repeating: nil, count: cells)
        var rciWhy = [String?](repeating: nil, count: cells)
        // Matrix cells, flat: (scale, rater) * 15 + context * 3 + direction.
        var cellCount = [Int](repeating: 0, count: cells * 15)
        var cellSum = [Double](repeating: 0, count: cells * 15)
        let e = months[k].number
        let from = e - Int32(options.windowDays)
        let raters = Rater.allCases.count
        let series = t.series

        // Series as at E: points on or before E, scope, and the baselines for `sd: baseline`.
        var n = [Int32](repeating: 0, count: series.count)
        var baselines = [[Double]](repeating: [], count: options.scales.count * raters)
        for i in series.indices {
            let count = pointsAsAt(i, e)
            n[i] = Int32(count)
            let s = series[i]
            if count >= 2 && t.points[s.points.lowerBound + count - 1].day > from {
                baselines[Int(s.scale) * raters + Int(s.rater.code) - 1].append(s.baseline)
            }
        }
        for (sc, spec) in options.scales.enumerated() {
            for r in 0..<raters {
                let cell = monthKey(scale: sc, rater: r)
                switch spec.rciStandardError(baselines: { baselines[sc * raters + r] }) {
                case .success(let se): rciScale[cell] = se
                case .failure(let why): rciWhy[cell] = why.rawValue
                }
            }
        }

        // Offers' stop days as at E; cases with an offer whose stop moved need their segments judged again.
        let iv = ingest.interventions
        var stop = support.stop
        var caseMoved = [Bool](repeating: false, count: ingest.ids.cases.count)
        if e < t.asOf.number {
            for v in 0..<iv.count where iv.offered[v] <= e {
                let s = support.stopDay(v, asOf: e)
                if s != stop[v] { stop[v] = s; caseMoved[Int(iv.caseID[v])] = true }
            }
        }

        // I1-I6 and the matrix.
        for i in series.indices where n[i] >= 1 {
            let s = series[i]
            let count = Int(n[i])
            let sc = Int(s.scale), r = Int(s.rater.code) - 1
            let spec = options.scales[sc]
            let last = s.points.lowerBound + count - 1
            guard count >= 2, t.points[last].day > from else { continue }
            let team = layout.teamSlot(seriesTeam(s, lastPoint: last, e))
            let child = childSlots(i)
            let change = t.points[last].value - s.baseline
            tallies.add(tallies.base(IndicatorID.i1.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: change)
            if let scale = rciScale[monthKey(scale: sc, rater: r)] {
                let reliable = ReliableChange(rci: change / scale)
                tallies.add(tallies.base(IndicatorID.i2.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: reliable == .improvement ? 1 : 0)
                tallies.add(tallies.base(IndicatorID.i3.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: reliable == .deterioration ? 1 : 0)
            }
            if let sustained = sustained(s, n: count, spec: spec) {
                tallies.add(tallies.base(IndicatorID.i4.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: sustained ? 1 : 0)
            }
            // Segments in scope: those ending in the window (segment j ends at point j + 1).
            let i5 = tallies.base(IndicatorID.i5.order, scale: sc, rater: r, month: k), i6 = tallies.base(IndicatorID.i6.order, scale: sc, rater: r, month: k)
            let m = monthKey(scale: sc, rater: r)
            var j = count - 2
            while j >= 0 {
                let g = t.segments[s.segments.lowerBound + j]
                if g.end <= from { break }
                var context = g.context
                if caseMoved[Int(s.caseID)] {
                    context = support.segmentSupport(case: Int(s.caseID), child: s.childID, start: g.start, end: g.end, stop: stop).context
                }
                let cell = m * 15 + Int(context.rawValue) * 3 + Int(g.direction.rawValue)
                cellCount[cell] += 1
                cellSum[cell] += g.change
                if g.direction == .worsened {
                    tallies.add(i5, team: team, child: child, numerator: context != .noneOffered ? 1 : 0)
                }
                if context == .engaged {
                    tallies.add(i6, team: team, child: child, numerator: g.direction == .improved ? 1 : 0)
                }
                j -= 1
            }
        }

        // I7, I8: occasions in the window.
        let o = units.occasions
        let all = tallies.allRaters
        for q in o.day.indices where o.day[q] > from && o.day[q] <= e {
            let sc = Int(o.scale[q])
            let team = layout.teamSlot(o.team[q] != 0 ? o.team[q] : caseTeams.team(o.caseID[q], asOf: e))
            tallies.add(tallies.base(IndicatorID.i7.order, scale: sc, rater: all, month: k), team: team, child: nil, numerator: o.hasFamily[q] ? 1 : 0)
            if o.paired[q] { tallies.add(tallies.base(IndicatorID.i8.order, scale: sc, rater: all, month: k), team: team, child: nil, numerator: o.gap[q]) }
        }

        // I9, I10, I13 (offers in the window), I11 (endings in the window), I14 (withdrawals).
        let allScales = tallies.allScales
        let i9 = tallies.base(IndicatorID.i9.order, scale: allScales, rater: all, month: k), i10 = tallies.base(IndicatorID.i10.order, scale: allScales, rater: all, month: k)
        let i11 = tallies.base(IndicatorID.i11.order, scale: allScales, rater: all, month: k), i13 = tallies.base(IndicatorID.i13.order, scale: allScales, rater: all, month: k)
        for v in 0..<iv.count where iv.offered[v] <= e {
            let offeredInWindow = iv.offered[v] > from
            let ended = support.ended[v]
            let endedInWindow = ended != .blankDay && ended > from && ended <= e
            guard offeredInWindow || endedInWindow else { continue }
            let team = layout.teamSlot(offerTeam(v, e))
            let child = offerChildSlots(v)
            if offeredInWindow {
                let first = support.firstResponse(v).flatMap { $0.day <= e ? $0 : nil }
                tallies.add(i10, team: team, child: child, numerator: first != nil ? 1 : 0)
                if let first {
                    tallies.add(i9, team: team, child: child, numerator: first.level >= .partial ? 1 : 0)
                }
                let provider = iv.provider[v]
                tallies.add(i13, team: team, child: child,
                            numerator: provider == Provider.community.code || provider == Provider.voluntary.code ? 1 : 0)
            }
            if endedInWindow {
                tallies.add(i11, team: team, child: child, numerator: support.endReason[v] == EndReason.completed.code ? 1 : 0)
                let reason = support.endReason[v]
                if EndReason.isWithdrawal(code: reason) {
                    withdrawal(v, ended: ended, month: k, e: e, n: n, team: team, child: child)
                }
            }
        }

        // I12: cases with a score or an offer in the window.
        let i12 = tallies.base(IndicatorID.i12.order, scale: allScales, rater: all, month: k)
        for c in 0..<ingest.ids.cases.count {
            var inScope = units.hasScore(case: c, after: from, through: e)
            var network = false
            for idx in support.interventions(ofCase: c) {
                let v = Int(idx)
                guard iv.offered[v] > from && iv.offered[v] <= e else { continue }
                inScope = true
                if iv.approach[v] == Approach.network.code { network = true; break }
            }
            guard inScope else { continue }
            tallies.add(i12, team: layout.teamSlot(caseTeams.team(UInt32(c), asOf: e)), child: nil, numerator: network ? 1 : 0)
        }

        if episodesGiven { closures(month: k, e: e, from: from, rciScale: rciScale) }
        let matrices = (0..<cells).map { m in
            var matrix = SupportMatrix()
            for c in 0..<5 { for d in 0..<3 { matrix.cells[c][d] = .init(segments: cellCount[m * 15 + c * 3 + d], sumOfChange: cellSum[m * 15 + c * 3 + d]) } }
            return matrix
        }
        return MonthFigures(rciScale: rciScale, rciWhy: rciWhy, matrices: matrices)
    }

    /// I14 and I14u for one withdrawal or reduction, per scale (M8, M13.16).
    func withdrawal(_ v: Int, ended: Int32, month k: Int, e: Int32, n: [Int32], team: Int32, child: SIMD4<Int32>?) {
        let iv = ingest.interventions
        let c = Int(iv.caseID[v])
        let ivChild = iv.childID[v]
        let until = min(ended + Int32(options.afterDays), e)
        for (sc, spec) in options.scales.enumerated() {
            var sum = 0.0, count = 0
            for i in Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1]) {
                let s = t.series[i]
                guard Int(s.scale) == sc, s.rater == options.headlineRater,
                      Belonging.interventionBelongs(interventionChild: ivChild, seriesChild: s.childID) else { continue }
                var before: Point?, after: Point?
                for p in s.points.lowerBound..<(s.points.lowerBound + Int(n[i])) {
                    let point = t.points[p]
                    if point.day <= ended { before = point } else if point.day <= until { after = point; break } else { break }
                }
                if let b = before, let a = after { sum += a.value - b.value; count += 1 }
            }
            let known = count > 0
            let improved = known && atLeast(sum / Double(count), spec.step)
            if known {
                tallies.add(tallies.base(IndicatorID.i14.order, scale: sc, rater: headline, month: k), team: team, child: child, numerator: improved ? 0 : 1)
            }
            tallies.add(tallies.base(IndicatorID.i14u.order, scale: sc, rater: headline, month: k), team: team, child: child, numerator: known ? 0 : 1)
        }
    }

    /// I15, I15u (closures in the window) and I16 (closures a year earlier).
    func closures(month k: Int, e: Int32, from: Int32, rciScale: [Double?]) {
        guard let ep = ingest.episodes else { return }
        let all = tallies.allRaters, allScales = tallies.allScales
        let i16 = tallies.base(IndicatorID.i16.order, scale: allScales, rater: all, month: k)
        for x in 0..<ep.count where ep.opened[x] <= e {
            let closed = ep.closed[x]
            guard closed != .blankDay && closed <= e else { continue }
            let c = Int(ep.caseID[x])
            let team = layout.teamSlot(caseTeams.team(ep.caseID[x], asOf: closed))
            if closed > from {
                for (sc, spec) in options.scales.enumerated() {
                    var measured = false, improved = true
                    let rci = rciScale[monthKey(scale: sc, rater: headline)]
                    for i in Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1]) {
                        let s = t.series[i]
                        guard Int(s.scale) == sc, s.rater == options.headlineRater else { continue }
                        let count = pointsAsAt(i, closed)
                        guard count >= 2 else { continue }
                        measured = true
                        let change = t.points[s.points.lowerBound + count - 1].value - s.baseline
                        let reliable = rci.map { ReliableChange(rci: change / $0) == .improvement } ?? false
                        if !(reliable || sustained(s, n: count, spec: spec) == true) { improved = false }
                    }
                    if measured {
                        tallies.add(tallies.base(IndicatorID.i15.order, scale: sc, rater: headline, month: k), team: team, child: nil, numerator: improved ? 1 : 0)
                    }
                    tallies.add(tallies.base(IndicatorID.i15u.order, scale: sc, rater: headline, month: k), team: team, child: nil, numerator: measured ? 0 : 1)
                }
            }
            if closed > e - 730 && closed <= e - 365 {
                var reReferred = false
                for idx in units.episodeOrder[Int(units.episodeStart[c])..<Int(units.episodeStart[c + 1])] {
                    let o = ep.opened[Int(idx)]
                    if o > closed && o <= closed + 365 { reReferred = true; break }
                }
                tallies.add(i16, team: team, child: nil, numerator: reReferred ? 1 : 0)
            }
        }
    }
}
