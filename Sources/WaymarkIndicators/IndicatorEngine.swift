import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// Computes every indicator (METHODS.md M7, M8, M10) and the support-response
/// matrix (M9) as at each month end of the trend, from one build of the
/// trajectories as at `as_of`.
///
/// Every kind of unit is read in one pass that serves many month ends: the
/// series and their segments in one pass per group of consecutive month
/// ends (one group per core), the occasions, cases, offers and closures in
/// one pass for all of them. These passes run at once and write disjoint
/// cells, and every cell still receives its units in the order a pass per
/// month gives, so every sum is the same to the bit. Nothing is re-read or
/// re-sorted per month: a series as at an earlier month end is a prefix of
/// its points; a segment's context differs from the `as_of` build only
/// where an offer's stop day moves with the month end (a response, start or
/// end dated after it) and that offer turns active or inactive for it, so
/// only those segments are judged again.
public enum IndicatorEngine {
    public static func compute(_ t: Trajectories, ingest: IngestResult, options: IndicatorOptions) -> RawIndicators {
        var run = IndicatorRun(t, ingest: ingest, options: options)
        let evaluation = run
        let monthCount = run.months.count

        // The RCI denominators of every month end (M6, M7), several at once.
        let denominators = ThreadSlots<RCIDenominators>(count: monthCount)
        DispatchQueue.concurrentPerform(iterations: monthCount) { k in denominators.set(k, evaluation.denominators(month: k)) }
        let rciScale = (0..<monthCount).flatMap { denominators.get($0).scale }

        // Then the units, as tasks that write disjoint cells: series and
        // segments in one group of month ends per core (the largest, so
        // first), then occasions, cases, offers and closures, each over
        // every month end.
        let groups = MonthGroups(months: monthCount, groups: ProcessInfo.processInfo.activeProcessorCount)
        let matrices = ThreadSlots<[SupportMatrix]>(count: monthCount)
        let all = 0..<monthCount
        DispatchQueue.concurrentPerform(iterations: groups.count + 4) { task in
            switch task - groups.count {
            case ..<0:
                let ks = groups.months(task)
                for (m, x) in evaluation.seriesAndSegments(ks, rciScale: rciScale).enumerated() { matrices.set(ks.lowerBound + m, x) }
            case 0: evaluation.occasions(all)
            case 1: evaluation.cases(all)
            case 2: evaluation.offers(all)
            default: if evaluation.episodesGiven { evaluation.closures(all, rciScale: rciScale) }
            }
        }
        for k in all {
            let d = denominators.get(k)
            run.merge(MonthFigures(rciScale: d.scale, rciWhy: d.why, matrices: matrices.get(k)), month: k)
        }
        var raw = run.results()
        let headline = options.headlineScale ?? options.scales.first?.name
        if let name = headline, let sc = options.scales.firstIndex(where: { $0.name == name }), let latest = run.months.last {
            raw.distribution = ChangeDistribution.compute(t, scaleIndex: sc, scale: name, rater: options.headlineRater,
                                                          asOf: latest, windowDays: options.windowDays)
        }
        return raw
    }
}

/// The stop days of one case's offers as at a month end, read by
/// intervention row like ``SupportIndex/stop``: a row of the case takes its
/// day as at the month end, any other row its day as at `as_of` (it is never
/// looked at for the case's segments).
struct CaseStops: RandomAccessCollection {
    /// The case's intervention rows and their stop days, in the same order.
    let offers: UnsafeBufferPointer<Int32>
    let stops: UnsafeBufferPointer<Int32>
    let asOf: UnsafeBufferPointer<Int32>

    var startIndex: Int { 0 }
    var endIndex: Int { asOf.count }

    subscript(v: Int) -> Int32 {
        for j in offers.indices where Int(offers[j]) == v { return stops[j] }
        return asOf[v]
    }
}

/// The RCI denominator of each (scale, rater) at one month end, or why there is none.
struct RCIDenominators {
    var scale: [Double?]
    var why: [String?]
}

/// What one month end's evaluation gives besides its tallies, per (scale, rater).
struct MonthFigures {
    var rciScale: [Double?]
    var rciWhy: [String?]
    var matrices: [SupportMatrix]
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
    /// Per series: its rater's index in `Rater.allCases` (a `code` costs a search of the cases).
    let seriesRater: [UInt8]
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
        let raterIndex = t.series.map { UInt8($0.rater.code - 1) }
        seriesRater = raterIndex
        var present = [[Bool]](repeating: [Bool](repeating: false, count: Rater.allCases.count), count: options.scales.count)
        for (i, s) in t.series.enumerated() { present[Int(s.scale)][Int(raterIndex[i])] = true }
        ratersByScale = present.map { has in Rater.allCases.enumerated().filter { has[$0.offset] }.map(\.element) }
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

    func childSlots(_ k: Int) -> SIMD4<Int32>? { childrenGiven ? seriesChildSlots[k] : nil }

    func offerChildSlots(_ v: Int) -> SIMD4<Int32>? { childrenGiven ? offerSlots[v] : nil }

    /// Whether a series as at some day, with `n` points, is sustained (M6).
    func sustained(_ s: Series, n: Int, scale: Int) -> Bool? {
        guard n >= 2 else { return nil }
        let a = t.points[s.points.lowerBound + n - 2], b = t.points[s.points.lowerBound + n - 1]
        return options.scales[scale].sustained(previous: (a.value, a.day), last: (b.value, b.day))
    }

    /// The month ends `ks` as days, and the first day before each window (M7).
    func window(_ ks: Range<Int>) -> (ends: [Int32], froms: [Int32]) {
        let ends = ks.map { months[$0].number }
        return (ends, ends.map { $0 - Int32(options.windowDays) })
    }

    /// I1-I6 and the matrices (M9) of the month ends `ks` (consecutive,
    /// oldest first), in one pass over the series: each series is read once
    /// and then each month end is judged in turn, so the cells of one month
    /// end receive their series in the same order as a pass per month would
    /// give them. `rciScale`: every month end's denominators, `k * cells + key`.
    func seriesAndSegments(_ ks: Range<Int>, rciScale: [Double?]) -> [[SupportMatrix]] {
        let g = ks.count
        let raters = Rater.allCases.count
        let cells = options.scales.count * raters
        let (ends, froms) = window(ks)
        let asOf = t.asOf.number
        // Local copies, once: the loops then touch no stored property (whose
        // every use could otherwise retain its arrays).
        let series = t.series, points = t.points, segments = t.segments, pointTeams = t.pointTeams
        let tallies = tallies, layout = layout, caseTeams = caseTeams, support = support, seriesRater = seriesRater

        let asOfStop = support.stop
        let ivOffered = ingest.interventions.offered

        // I1-I6 and the matrix. Matrix cells, flat: month * cells * 15 + (scale, rater) * 15 + context * 3 + direction.
        var cellCount = [Int](repeating: 0, count: g * cells * 15)
        var cellSum = [Double](repeating: 0, count: g * cells * 15)
        var count = [Int](repeating: 0, count: g)
        // The stop days of the current case's offers as at each month end:
        // caseStops[m * offers + j] for its j-th offer; a case whose stops
        // moved has its segments' support checked again.
        var loadedCase = -1
        var mostOffers = 0
        for c in 0..<(support.caseStart.count - 1) { mostOffers = max(mostOffers, Int(support.caseStart[c + 1] - support.caseStart[c])) }
        var caseStopDays = [Int32](repeating: 0, count: g * mostOffers)
        var caseMoved = [Bool](repeating: false, count: g)
        asOfStop.withUnsafeBufferPointer { asOfStop in
        support.byCase.withUnsafeBufferPointer { byCase in
        caseStopDays.withUnsafeMutableBufferPointer { caseStops in
            for i in series.indices {
                let s = series[i]
                let lo = s.points.lowerBound, hi = s.points.upperBound
                // Points on or before each month end (the month ends ascend).
                var p = lo
                for m in 0..<g {
                    while p < hi && points[p].day <= ends[m] { p += 1 }
                    count[m] = p - lo
                }
                guard count[g - 1] >= 2 else { continue }
                let sc = Int(s.scale), r = Int(seriesRater[i])
                let child = childSlots(i)
                let m0 = monthKey(scale: sc, rater: r)
                let c = Int(s.caseID)
                let offers = UnsafeBufferPointer(rebasing: byCase[Int(support.caseStart[c])..<Int(support.caseStart[c + 1])])
                if loadedCase != c {
                    loadedCase = c
                    for m in 0..<g {
                        caseMoved[m] = false
                        for (j, idx) in offers.enumerated() {
                            let v = Int(idx)
                            let stop = ends[m] < asOf && ivOffered[v] <= ends[m] ? support.stopDay(v, asOf: ends[m]) : asOfStop[v]
                            if stop != asOfStop[v] { caseMoved[m] = true }
                            caseStops[m * offers.count + j] = stop
                        }
                    }
                }
                for m in 0..<g {
                    let n = count[m], k = ks.lowerBound + m, e = ends[m], from = froms[m]
                    let last = lo + n - 1
                    guard n >= 2, points[last].day > from else { continue }
                    let team = layout.teamSlot(pointTeams[last] != 0 ? pointTeams[last] : caseTeams.team(s.caseID, asOf: e))
                    let change = points[last].value - s.baseline
                    tallies.add(tallies.base(IndicatorID.i1.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: change)
                    if let scale = rciScale[k * cells + m0] {
                        let reliable = ReliableChange(rci: change / scale)
                        tallies.add(tallies.base(IndicatorID.i2.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: reliable == .improvement ? 1 : 0)
                        tallies.add(tallies.base(IndicatorID.i3.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: reliable == .deterioration ? 1 : 0)
                    }
                    if let sustained = sustained(s, n: n, scale: sc) {
                        tallies.add(tallies.base(IndicatorID.i4.order, scale: sc, rater: r, month: k), team: team, child: child, numerator: sustained ? 1 : 0)
                    }
                    // Segments in scope: those ending in the window (segment j ends at point j + 1).
                    let i5 = tallies.base(IndicatorID.i5.order, scale: sc, rater: r, month: k), i6 = tallies.base(IndicatorID.i6.order, scale: sc, rater: r, month: k)
                    let moved = caseMoved[m]
                    let stop = CaseStops(offers: offers, stops: UnsafeBufferPointer(rebasing: caseStops[(m * offers.count)..<((m + 1) * offers.count)]),
                                         asOf: asOfStop)
                    var j = n - 2
                    while j >= 0 {
                        let seg = segments[s.segments.lowerBound + j]
                        if seg.end <= from { break }
                        var context = seg.context
                        if moved && support.activeOffersDiffer(case: Int(s.caseID), child: s.childID, start: seg.start, end: seg.end,
                                                                   stop: stop, otherStop: asOfStop) {
                            context = support.segmentSupport(case: Int(s.caseID), child: s.childID, start: seg.start, end: seg.end, stop: stop).context
                        }
                        let cell = (m * cells + m0) * 15 + Int(context.rawValue) * 3 + Int(seg.direction.rawValue)
                        cellCount[cell] += 1
                        cellSum[cell] += seg.change
                        if seg.direction == .worsened {
                            tallies.add(i5, team: team, child: child, numerator: context != .noneOffered ? 1 : 0)
                        }
                        if context == .engaged {
                            tallies.add(i6, team: team, child: child, numerator: seg.direction == .improved ? 1 : 0)
                        }
                        j -= 1
                    }
                }
            }
        }
        }
        }

        return (0..<g).map { m in
            (0..<cells).map { c in
                var matrix = SupportMatrix()
                let base = (m * cells + c) * 15
                for x in 0..<5 { for d in 0..<3 { matrix.cells[x][d] = .init(segments: cellCount[base + x * 3 + d], sumOfChange: cellSum[base + x * 3 + d]) } }
                return matrix
            }
        }
    }

    /// The RCI denominator of every (scale, rater) as at month end `k`, or
    /// why there is none (M6): with `sd: baseline`, from the baselines of the
    /// series in scope (two or more points by the month end, the last in the
    /// window), in series order.
    func denominators(month k: Int) -> RCIDenominators {
        let e = months[k].number, from = e - Int32(options.windowDays)
        let raters = Rater.allCases.count
        var out = RCIDenominators(scale: Array(repeating: nil, count: options.scales.count * raters),
                                  why: Array(repeating: nil, count: options.scales.count * raters))
        let series = t.series, points = t.points, seriesRater = seriesRater
        let wanted = options.scales.map { $0.sd == .baseline }
        var baselines = [[Double]](repeating: [], count: options.scales.count * raters)
        if wanted.contains(true) {
            for i in series.indices where wanted[Int(series[i].scale)] {
                let s = series[i]
                let count = pointsAsAt(i, e)
                if count >= 2 && points[s.points.lowerBound + count - 1].day > from {
                    baselines[Int(s.scale) * raters + Int(seriesRater[i])].append(s.baseline)
                }
            }
        }
        for (sc, spec) in options.scales.enumerated() {
            for r in 0..<raters {
                let cell = monthKey(scale: sc, rater: r)
                switch spec.rciStandardError(baselines: { baselines[sc * raters + r] }) {
                case .success(let se): out.scale[cell] = se
                case .failure(let why): out.why[cell] = why.rawValue
                }
            }
        }
        return out
    }

    /// I9, I10, I13 (offers in each window), I11 (endings in each window), I14 (withdrawals).
    func offers(_ ks: Range<Int>) {
        let (ends, froms) = window(ks)
        let iv = ingest.interventions
        let offered = iv.offered, provider = iv.provider, ivTeam = iv.team, ivCase = iv.caseID
        let tallies = tallies, layout = layout, caseTeams = caseTeams, support = support
        let all = tallies.allRaters, allScales = tallies.allScales
        let g = ks.count
        for v in 0..<offered.count where offered[v] <= ends[g - 1] {
            let ended = support.ended[v]
            let first = support.firstResponse(v)
            for m in 0..<g where offered[v] <= ends[m] {
                let k = ks.lowerBound + m, e = ends[m], from = froms[m]
                let offeredInWindow = offered[v] > from
                let endedInWindow = ended != .blankDay && ended > from && ended <= e
                guard offeredInWindow || endedInWindow else { continue }
                let team = layout.teamSlot(ivTeam[v] != 0 ? ivTeam[v] : caseTeams.team(ivCase[v], asOf: e))
                let child = offerChildSlots(v)
                if offeredInWindow {
                    let firstByE = first.flatMap { $0.day <= e ? $0 : nil }
                    tallies.add(tallies.base(IndicatorID.i10.order, scale: allScales, rater: all, month: k), team: team, child: child,
                                numerator: firstByE != nil ? 1 : 0)
                    if let firstByE {
                        tallies.add(tallies.base(IndicatorID.i9.order, scale: allScales, rater: all, month: k), team: team, child: child,
                                    numerator: firstByE.level >= .partial ? 1 : 0)
                    }
                    tallies.add(tallies.base(IndicatorID.i13.order, scale: allScales, rater: all, month: k), team: team, child: child,
                                numerator: provider[v] == Provider.community.code || provider[v] == Provider.voluntary.code ? 1 : 0)
                }
                if endedInWindow {
                    let reason = support.endReason[v]
                    tallies.add(tallies.base(IndicatorID.i11.order, scale: allScales, rater: all, month: k), team: team, child: child,
                                numerator: reason == EndReason.completed.code ? 1 : 0)
                    if EndReason.isWithdrawal(code: reason) {
                        withdrawal(v, ended: ended, month: k, e: e, team: team, child: child)
                    }
                }
            }
        }
    }

    /// I14 and I14u for one withdrawal or reduction, per scale (M8, M13.16).
    func withdrawal(_ v: Int, ended: Int32, month k: Int, e: Int32, team: Int32, child: SIMD4<Int32>?) {
        let iv = ingest.interventions
        let c = Int(iv.caseID[v])
        let ivChild = iv.childID[v]
        let until = min(ended + Int32(options.afterDays), e)
        let series = t.series, points = t.points, seriesRater = seriesRater
        let headlineRater = Int(options.headlineRater.code) - 1
        for sc in options.scales.indices {
            var sum = 0.0, count = 0
            for i in Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1]) {
                let s = series[i]
                guard Int(s.scale) == sc, Int(seriesRater[i]) == headlineRater,
                      Belonging.interventionBelongs(interventionChild: ivChild, seriesChild: s.childID) else { continue }
                var before: Point?, after: Point?
                for p in s.points.lowerBound..<(s.points.lowerBound + pointsAsAt(i, e)) {
                    let point = points[p]
                    if point.day <= ended { before = point } else if point.day <= until { after = point; break } else { break }
                }
                if let b = before, let a = after { sum += a.value - b.value; count += 1 }
            }
            let known = count > 0
            let improved = known && atLeast(sum / Double(count), options.scales[sc].step)
            if known {
                tallies.add(tallies.base(IndicatorID.i14.order, scale: sc, rater: headline, month: k), team: team, child: child, numerator: improved ? 0 : 1)
            }
            tallies.add(tallies.base(IndicatorID.i14u.order, scale: sc, rater: headline, month: k), team: team, child: child, numerator: known ? 0 : 1)
        }
    }

    /// I7, I8: occasions in each window, case by case: a case's occasions
    /// are worked out once for all the month ends.
    func occasions(_ ks: Range<Int>) {
        let (ends, froms) = window(ks)
        let tallies = tallies, layout = layout, caseTeams = caseTeams, units = units, t = t
        let all = tallies.allRaters
        let g = ks.count
        var one = CaseOccasions()
        for c in 0..<ingest.ids.cases.count {
            one.collect(c, t, series: Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1]))
            for o in one.occasions {
                guard o.day > froms[0] && o.day <= ends[g - 1] else { continue }
                let sc = Int(o.scale)
                for m in 0..<g where o.day > froms[m] && o.day <= ends[m] {
                    let k = ks.lowerBound + m
                    let team = layout.teamSlot(o.team != 0 ? o.team : caseTeams.team(o.caseID, asOf: ends[m]))
                    tallies.add(tallies.base(IndicatorID.i7.order, scale: sc, rater: all, month: k), team: team, child: nil, numerator: o.hasFamily ? 1 : 0)
                    if o.paired { tallies.add(tallies.base(IndicatorID.i8.order, scale: sc, rater: all, month: k), team: team, child: nil, numerator: o.gap) }
                }
            }
        }
    }

    /// I12: cases with a score (a point of any of its series) or an offer in each window.
    func cases(_ ks: Range<Int>) {
        let (ends, froms) = window(ks)
        let iv = ingest.interventions
        let offered = iv.offered, approach = iv.approach
        let tallies = tallies, layout = layout, caseTeams = caseTeams, support = support, units = units
        let series = t.series, points = t.points
        let all = tallies.allRaters, allScales = tallies.allScales
        for c in 0..<ingest.ids.cases.count {
            let caseSeries = Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1])
            for m in 0..<ks.count {
                let e = ends[m], from = froms[m]
                var inScope = false
                for i in caseSeries {
                    // The series' first point after `from`, if any, is on or before `e`.
                    let r = series[i].points
                    var lo = r.lowerBound, hi = r.upperBound
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if points[mid].day <= from { lo = mid + 1 } else { hi = mid }
                    }
                    if lo < r.upperBound && points[lo].day <= e { inScope = true; break }
                }
                var network = false
                for idx in support.interventions(ofCase: c) {
                    let v = Int(idx)
                    guard offered[v] > from && offered[v] <= e else { continue }
                    inScope = true
                    if approach[v] == Approach.network.code { network = true; break }
                }
                guard inScope else { continue }
                tallies.add(tallies.base(IndicatorID.i12.order, scale: allScales, rater: all, month: ks.lowerBound + m),
                            team: layout.teamSlot(caseTeams.team(UInt32(c), asOf: e)), child: nil, numerator: network ? 1 : 0)
            }
        }
    }

    /// I15, I15u (closures in each window) and I16 (closures a year before each month end).
    func closures(_ ks: Range<Int>, rciScale: [Double?]) {
        let (ends, froms) = window(ks)
        guard let ep = ingest.episodes else { return }
        let tallies = tallies, layout = layout, caseTeams = caseTeams, units = units
        let series = t.series, points = t.points, seriesRater = seriesRater
        let all = tallies.allRaters, allScales = tallies.allScales
        let cells = options.scales.count * Rater.allCases.count
        let headlineRater = Int(options.headlineRater.code) - 1
        for x in 0..<ep.count {
            let closed = ep.closed[x]
            guard closed != .blankDay else { continue }
            let c = Int(ep.caseID[x])
            var team: Int32?
            for m in 0..<ks.count where ep.opened[x] <= ends[m] && closed <= ends[m] {
                let k = ks.lowerBound + m, e = ends[m], from = froms[m]
                if team == nil { team = layout.teamSlot(caseTeams.team(ep.caseID[x], asOf: closed)) }
                let team = team!
                if closed > from {
                    for sc in options.scales.indices {
                        var measured = false, improved = true
                        let rci = rciScale[k * cells + monthKey(scale: sc, rater: headline)]
                        for i in Int(units.caseSeries[c])..<Int(units.caseSeries[c + 1]) {
                            let s = series[i]
                            guard Int(s.scale) == sc, Int(seriesRater[i]) == headlineRater else { continue }
                            let count = pointsAsAt(i, closed)
                            guard count >= 2 else { continue }
                            measured = true
                            let change = points[s.points.lowerBound + count - 1].value - s.baseline
                            let reliable = rci.map { ReliableChange(rci: change / $0) == .improvement } ?? false
                            if !(reliable || sustained(s, n: count, scale: sc) == true) { improved = false }
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
                    tallies.add(tallies.base(IndicatorID.i16.order, scale: allScales, rater: all, month: k), team: team, child: nil,
                                numerator: reReferred ? 1 : 0)
                }
            }
        }
    }
}
