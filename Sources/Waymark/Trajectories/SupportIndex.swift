/// The interventions and responses of a run as at one day E, indexed by case
/// so that a segment's support context costs a look at its own case's few
/// interventions (METHODS.md M4, M5, M13.4).
///
/// Only interventions offered on or before E and responses recorded on or
/// before E exist here; a `started_on` or `ended_on` after E (and the
/// `end_reason` with it) is treated as blank.
struct SupportIndex {
    /// Intervention row indices grouped by case: `byCase[caseStart[c]..<caseStart[c+1]]`, by offer day.
    var caseStart: [Int32]
    var byCase: [Int32]
    /// Per intervention row, as at E.
    var offered: [Int32]
    var ended: [Int32]
    var endReason: [UInt8]
    /// The day the offer stops counting, or `Int32.max` while it is still on offer (M5).
    var stop: [Int32]
    /// Responses by intervention: `responseDay/Level[responseStart[i]..<responseStart[i+1]]`, by day.
    var responseStart: [Int32]
    var responseDay: [Int32]
    var responseLevel: [SupportContext]

    init(_ ingest: IngestResult, asOf: Int32, offerLapseDays: Int) {
        let t = ingest.interventions
        let n = t.count
        let offered = t.offered
        let ended = t.ended.map { $0 != .blankDay && $0 <= asOf ? $0 : .blankDay }
        self.offered = offered
        self.ended = ended
        endReason = (0..<n).map { ended[$0] == .blankDay ? 0 : t.endReason[$0] }
        let started = t.started.map { $0 != .blankDay && $0 <= asOf ? $0 : .blankDay }

        // Responses dated on or before E, grouped by intervention and sorted by day.
        let r = ingest.responses
        let byIntervention = Grouping(rows: r.count, groups: n) { r.day[$0] <= asOf ? Int(r.intervention[$0]) : nil }
        let counts = byIntervention.starts
        var order = byIntervention.order
        responseStart = counts
        var responseDay = [Int32](repeating: 0, count: order.count)
        var responseLevel = [SupportContext](repeating: .unrecorded, count: order.count)
        for i in 0..<n {
            let lo = Int(counts[i]), hi = Int(counts[i + 1])
            if hi - lo > 1 {
                order[lo..<hi].sort { (r.day[Int($0)], r.line[Int($0)]) < (r.day[Int($1)], r.line[Int($1)]) }
            }
            for j in lo..<hi {
                let k = Int(order[j])
                responseDay[j] = r.day[k]
                responseLevel[j] = ResponseKind.from(code: r.response[k]).map(SupportContext.level) ?? .unrecorded
            }
        }

        self.responseDay = responseDay
        self.responseLevel = responseLevel

        // Each offer's stop day (M5).
        var stop = [Int32](repeating: .max, count: n)
        for i in 0..<n where offered[i] <= asOf {
            if ended[i] != .blankDay { stop[i] = ended[i]; continue }
            let lo = Int(counts[i]), hi = Int(counts[i + 1])
            if hi > lo {
                let lastDay = responseDay[hi - 1]
                var best = SupportContext.noneOffered
                var j = hi - 1
                while j >= lo && responseDay[j] == lastDay { best = max(best, responseLevel[j]); j -= 1 }
                if best == .declined { stop[i] = lastDay }
            } else if started[i] == .blankDay {
                stop[i] = offered[i] + Int32(offerLapseDays)
            }
        }
        self.stop = stop

        // Interventions offered by E, grouped by case, by offer day then line.
        var byOffer = Grouping(rows: n, groups: ingest.ids.cases.count) { offered[$0] <= asOf ? Int(t.caseID[$0]) : nil }
        for c in 0..<ingest.ids.cases.count {
            let range = byOffer.range(c)
            if range.count > 1 { byOffer.order[range].sort { (t.offered[Int($0)], t.line[Int($0)]) < (t.offered[Int($1)], t.line[Int($1)]) } }
        }
        caseStart = byOffer.starts
        let grouped = byOffer.order
        byCase = grouped
    }

    /// The response level of intervention `i` at day `d`: its latest response
    /// recorded on or before `d`, the higher level winning a tie of days.
    func level(_ i: Int, at d: Int32) -> SupportContext {
        let lo = Int(responseStart[i]), hi = Int(responseStart[i + 1])
        var j = lo
        while j < hi && responseDay[j] <= d { j += 1 }
        if j == lo { return .unrecorded }
        let lastDay = responseDay[j - 1]
        var best = SupportContext.noneOffered
        var k = j - 1
        while k >= lo && responseDay[k] == lastDay { best = max(best, responseLevel[k]); k -= 1 }
        return best
    }
}
