import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// The interventions and responses of a run as at one day E, indexed by case
/// so that a segment's support context costs a look at its own case's few
/// interventions (METHODS.md M4, M5, M13.4).
///
/// Only interventions offered on or before E and responses recorded on or
/// before E exist here; a `started_on` or `ended_on` after E (and the
/// `end_reason` with it) is treated as blank.
public struct SupportIndex: Sendable {
    /// Intervention row indices grouped by case: `byCase[caseStart[c]..<caseStart[c+1]]`, by offer day.
    @usableFromInline package var caseStart: [Int32]
    @usableFromInline package var byCase: [Int32]
    /// Per intervention row, as at E.
    @usableFromInline package var offered: [Int32]
    @usableFromInline package var ended: [Int32]
    @usableFromInline package var endReason: [UInt8]
    /// The day the offer stops counting, or `Int32.max` while it is still on offer (M5).
    @usableFromInline package var stop: [Int32]
    /// Responses by intervention: `responseDay/Level[responseStart[i]..<responseStart[i+1]]`, by day.
    @usableFromInline package var responseStart: [Int32]
    @usableFromInline package var responseDay: [Int32]
    @usableFromInline package var responseLevel: [SupportContext]
    /// Per intervention row, as at E: `started_on` (blank after E) and the child it is for.
    @usableFromInline package var started: [Int32]
    @usableFromInline package var childID: [UInt32]
    @usableFromInline package var plannedHours: [Double]
    @usableFromInline package let offerLapseDays: Int32

    init(_ ingest: IngestResult, asOf: Int32, offerLapseDays: Int) {
        let t = ingest.interventions
        let n = t.count
        let offered = t.offered
        let ended = t.ended.map { $0 != .blankDay && $0 <= asOf ? $0 : .blankDay }
        self.offered = offered
        self.ended = ended
        let reasons = t.endReason
        endReason = (0..<n).map { ended[$0] == .blankDay ? 0 : reasons[$0] }
        let started = t.started.map { $0 != .blankDay && $0 <= asOf ? $0 : .blankDay }
        self.started = started
        self.childID = t.childID
        self.plannedHours = t.plannedHours
        self.offerLapseDays = Int32(offerLapseDays)

        // Responses dated on or before E, grouped by intervention and sorted by
        // day then line. The columns are taken out of the tables once, so the
        // loops and comparisons below copy no table.
        let r = ingest.responses
        let responseDays = r.day, responseLines = r.line, responseCodes = r.response, responseOf = r.intervention
        let byIntervention = Grouping(rows: r.count, groups: n) { responseDays[$0] <= asOf ? Int(responseOf[$0]) : nil }
        let counts = byIntervention.starts
        var order = byIntervention.order
        responseStart = counts
        var responseDay = [Int32](repeating: 0, count: order.count)
        var responseLevel = [SupportContext](repeating: .unrecorded, count: order.count)
        for i in 0..<n {
            let lo = Int(counts[i]), hi = Int(counts[i + 1])
            if hi - lo > 1 {
                order[lo..<hi].sort { (responseDays[Int($0)], responseLines[Int($0)]) < (responseDays[Int($1)], responseLines[Int($1)]) }
            }
            for j in lo..<hi {
                let k = Int(order[j])
                responseDay[j] = responseDays[k]
                responseLevel[j] = ResponseKind.from(code: responseCodes[k]).map(SupportContext.level) ?? .unrecorded
            }
        }

        self.responseDay = responseDay
        self.responseLevel = responseLevel

        stop = []

        // Interventions offered by E, grouped by case, by offer day then line.
        let offerLines = t.line, offerCases = t.caseID
        var byOffer = Grouping(rows: n, groups: ingest.ids.cases.count) { offered[$0] <= asOf ? Int(offerCases[$0]) : nil }
        for c in 0..<ingest.ids.cases.count {
            let range = byOffer.range(c)
            if range.count > 1 { byOffer.order[range].sort { (offered[Int($0)], offerLines[Int($0)]) < (offered[Int($1)], offerLines[Int($1)]) } }
        }
        caseStart = byOffer.starts
        let grouped = byOffer.order
        byCase = grouped

        // Each offer's stop day (M5).
        var stop = [Int32](repeating: .max, count: n)
        for i in 0..<n where offered[i] <= asOf { stop[i] = stopDay(i, asOf: asOf) }
        self.stop = stop
    }

    /// The day intervention `i` stops being on offer as at day `e` (any day up
    /// to this index's own E), or `Int32.max` while it is still on offer (M5,
    /// M13.4): `ended_on` if dated by `e`; else the day of its latest response
    /// by `e` if that is a decline; else, never started by `e` and without a
    /// response, `offer_lapse_days` after the offer.
    @inlinable package func stopDay(_ i: Int, asOf e: Int32) -> Int32 {
        let latest = latestResponse(i, onOrBefore: e)
        return OfferStop.day(asOf: e, offered: offered[i], started: started[i] == .blankDay ? nil : started[i],
                             ended: ended[i] == .blankDay ? nil : ended[i],
                             latestResponse: latest.map { ($0.day, $0.level == .declined) }, lapseDays: offerLapseDays)
    }

    /// The interventions of case `c` offered by E, by offer day.
    @inlinable package func interventions(ofCase c: Int) -> ArraySlice<Int32> { byCase[Int(caseStart[c])..<Int(caseStart[c + 1])] }

    /// The support around one segment [a, b) of a series of `child` (0 = the
    /// family) in case `c` (M4, M5, M13.5), with the offers' stop days given.
    @inlinable package func segmentSupport<Stops: RandomAccessCollection<Int32>>(case c: Int, child: UInt32, start a: Int32, end b: Int32,
                                                                              stop: Stops) -> SegmentSupport where Stops.Index == Int {
        var out = SegmentSupport()
        for idx in interventions(ofCase: c) {
            let v = Int(idx)
            let ivChild = childID[v]
            guard Belonging.interventionBelongs(interventionChild: ivChild, seriesChild: child) else { continue }
            let reason = endReason[v]
            if EndReason.isWithdrawal(code: reason) {
                if a <= ended[v] && ended[v] < b { out.withdrawn = true }
            }
            if offered[v] < b && stop[v] >= a {
                out.active += 1
                if !plannedHours[v].isNaN { out.hours += plannedHours[v] }
                out.context = max(out.context, level(v, at: b))
            }
        }
        return out
    }

    /// Whether the support context of a segment [a, b) of a series of
    /// `child` in case `c` can differ between two sets of stop days: only if
    /// an offer that belongs to the series and was made before b is active
    /// (its stop on or after a) under one and not the other (M5). Cheaper
    /// than judging the segment again: no response is looked at.
    @inlinable package func activeOffersDiffer<A: RandomAccessCollection<Int32>, B: RandomAccessCollection<Int32>>(
        case c: Int, child: UInt32, start a: Int32, end b: Int32, stop: A, otherStop: B) -> Bool where A.Index == Int, B.Index == Int {
        for idx in interventions(ofCase: c) {
            let v = Int(idx)
            guard stop[v] != otherStop[v], offered[v] < b,
                  Belonging.interventionBelongs(interventionChild: childID[v], seriesChild: child) else { continue }
            if (stop[v] >= a) != (otherStop[v] >= a) { return true }
        }
        return false
    }

    /// The response level of intervention `i` at day `d`: its latest response
    /// recorded on or before `d`, the higher level winning a tie of days.
    @inlinable package func level(_ i: Int, at d: Int32) -> SupportContext { latestResponse(i, onOrBefore: d)?.level ?? .unrecorded }

    /// The day of intervention `i`'s latest response on or before `d`, and the
    /// best level recorded that day (M5's tie rule); nil without one.
    @inlinable package func latestResponse(_ i: Int, onOrBefore d: Int32) -> (day: Int32, level: SupportContext)? {
        let lo = Int(responseStart[i])
        var hi = Int(responseStart[i + 1])
        while hi > lo && responseDay[hi - 1] > d { hi -= 1 }
        guard hi > lo else { return nil }
        return (responseDay[hi - 1], bestLevel(from: hi - 1, step: -1, in: lo..<hi))
    }

    /// The day of intervention `i`'s first response and the best level recorded that day (I9); nil without one.
    package func firstResponse(_ i: Int) -> (day: Int32, level: SupportContext)? {
        let lo = Int(responseStart[i]), hi = Int(responseStart[i + 1])
        guard hi > lo else { return nil }
        return (responseDay[lo], bestLevel(from: lo, step: 1, in: lo..<hi))
    }

    /// The best level among the responses recorded on the day of response
    /// `start`, walking from it by `step` within `range` (sorted by day).
    @inlinable package func bestLevel(from start: Int, step: Int, in range: Range<Int>) -> SupportContext {
        var best = SupportContext.noneOffered
        var j = start
        while range.contains(j) && responseDay[j] == responseDay[start] { best = max(best, responseLevel[j]); j += step }
        return best
    }
}

/// What M5 says about one segment: its context, the active offers and their
/// planned hours, and whether support was withdrawn or reduced inside it.
@usableFromInline package struct SegmentSupport {
    @usableFromInline package var context = SupportContext.noneOffered
    @usableFromInline package var active: Int32 = 0
    @usableFromInline package var hours = 0.0
    @usableFromInline package var withdrawn = false

    @inlinable package init() {}
}
