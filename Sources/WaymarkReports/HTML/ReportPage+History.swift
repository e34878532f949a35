import WaymarkCore
import WaymarkIndicators
import WaymarkMethods

/// The report's history sections (OUTPUTS.md "History"): revisions of
/// headline figures since first published, and the long view across every
/// month end in the history with practice milestones and year-on-year.
extension ReportPage {
    func shown(_ id: IndicatorID, _ status: String, _ value: Double?) -> String {
        guard status == CellStatus.published.rawValue, let v = value else {
            return StatusWords.word(status: status, smallCount: config.smallCount) ?? StatusWords.notApplicable
        }
        return display(value: v, id)
    }

    func revisions() -> String {
        guard let history else { return "" }
        var h = "<section id=\"revisions\" aria-labelledby=\"h-revisions\">\n<h2 id=\"h-revisions\">Revisions</h2>\n"
        if history.methodChanged {
            h += "<p class=\"note\">This run’s parameters differ from the previous run’s: its figures are a method change, not restatements, and are not compared.</p>\n"
        }
        let revised = history.revisions.sorted { ($0.asOf, $0.id.rawValue) > ($1.asOf, $1.id.rawValue) }
        // The same inputs and dates give the same page however many times a month is re-run:
        // nothing here depends on how many runs the history holds, only on what they published.
        if revised.isEmpty {
            return h + "<p>No headline figure has moved since it was first published.</p>\n</section>\n"
        }
        h += "<p class=\"lead\">\(revised.count) headline figure\(revised.count == 1 ? " has" : "s have") moved since first published. Ringed points on the headline trends mark them.</p>\n"
        h += HTML.scrollOpen(label: "Headline figures that moved since first published") + "<table class=\"compact\"><caption>Headline figures that moved since first published</caption><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Month end</th><th scope=\"col\">First published</th><th scope=\"col\">Now</th><th scope=\"col\">Likely cause</th></tr></thead><tbody>\n"
        for r in revised.prefix(40) {
            let def = IndicatorCatalogue.definition(r.id)
            // Disclosure over time: a value is shown only when both figures were published.
            let both = r.firstStatus == CellStatus.published.rawValue && r.nowStatus == CellStatus.published.rawValue
            let first = both || r.firstStatus != CellStatus.published.rawValue ? shown(r.id, r.firstStatus, r.firstValue) : "published"
            let now = both || r.nowStatus != CellStatus.published.rawValue ? shown(r.id, r.nowStatus, r.nowValue) : "published"
            h += "<tr><th scope=\"row\">\(HTML.escape(def.title)) <span class=\"id\">\(r.id)</span></th><td>\(monthName(r.asOf))</td>"
            h += "<td>\(HTML.escape(first)) <span class=\"sub\">(run of \(monthName(r.firstRunAsOf)))</span></td><td>\(HTML.escape(now))</td><td>\(HTML.escape(r.cause))</td></tr>\n"
        }
        if revised.count > 40 { h += "<tr><td colspan=\"5\">… and \(revised.count - 40) more (<code>waymark history restatements</code> lists them all)</td></tr>\n" }
        return h + "</tbody></table></div>\n</section>\n"
    }

    func overTheYears() -> String {
        guard let history else { return "" }
        var h = "<section id=\"over-the-years\" aria-labelledby=\"h-years\">\n<h2 id=\"h-years\">Over the years</h2>\n"
        let months = Set(history.long.values.flatMap { $0.map(\.asOf) }).sorted()
        guard months.count >= 2 else {
            return h + "<p>The history holds one month end so far; the long view starts with the second. <code>waymark history backfill</code> can reconstruct earlier month ends from this export.</p>\n</section>\n"
        }
        let anyReconstructed = history.long.values.contains { $0.contains { $0.reconstructed != nil } }
        h += "<p class=\"lead\">Each headline indicator across every month end in the history: as first published, and as it stands now\(anyReconstructed ? "; month ends before the first run are reconstructed from later exports and labelled so" : ""). Dotted lines mark practice milestones.</p>\n"
        let position: (Day) -> Double? = { day in
            guard let first = months.first, let last = months.last, day.number > first.number - 31, day <= last else { return nil }
            let i = months.firstIndex { $0 >= day } ?? months.count - 1
            let previous = i > 0 ? months[i - 1] : months[0]
            let span = Double(max(1, months[i].number - previous.number))
            return Double(i) - (i > 0 ? Double(months[i].number - day.number) / span : 0)
        }
        let markers = history.milestones.compactMap { m in position(m.date).map { (x: $0, label: m.label) } }
        h += "<div class=\"long-views\">\n"
        for id in ReportPage.tileIDs {
            guard let points = history.long[id] else { continue }
            let byMonth = Dictionary(uniqueKeysWithValues: points.map { ($0.asOf.number, $0) })
            let def = IndicatorCatalogue.definition(id)
            var lines = [
                SVG.LineChart.Line(name: "As it stands now", values: months.map { byMonth[$0.number]?.now }),
                SVG.LineChart.Line(name: "As first published", values: months.map { byMonth[$0.number]?.firstPublished }),
            ]
            if anyReconstructed {
                lines.append(SVG.LineChart.Line(name: "Reconstructed (never published)", values: months.map { byMonth[$0.number]?.reconstructed }))
            }
            let percent = def.kind == .rate
            let all = lines.flatMap { $0.values.compactMap { $0 } }
            guard !all.isEmpty else { continue }
            let yMax = percent ? 1 : max(1, (all.max() ?? 1).rounded(.up))
            let yMin = percent ? 0 : min(0, (all.min() ?? 0).rounded(.down))
            var chart = SVG.LineChart(title: "\(def.title) over the years", description: "\(def.title) at each month end from \(monthName(months[0])) to \(monthName(months[months.count - 1]))",
                                      xLabels: months.map(monthName), lines: lines, yMin: yMin, yMax: yMax, percent: percent)
            chart.markers = markers
            h += "\(HTML.figureOpen(label: chart.title))\(chart.svg)<figcaption>\(HTML.escape(def.title)) <span class=\"id\">\(id)</span>: \(def.higherIsBetter ? "higher" : "lower") is better.</figcaption></figure>\n"
        }
        h += "</div>\n"
        h += yearOnYear()
        return h + "</section>\n"
    }

    /// The latest month against the same month one and two years earlier (as it stands now).
    func yearOnYear() -> String {
        guard let history else { return "" }
        let c = latest.components
        let earlier = [1, 2].compactMap { Day(year: c.year - $0, month: c.month, day: 1)?.endOfMonth }
        var h = HTML.scrollOpen(label: "Year on year") + "<table class=\"compact\"><caption>Year on year: \(monthName(latest)) against the same month one and two years earlier</caption><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">\(monthName(latest))</th>"
        for d in earlier { h += "<th scope=\"col\">\(monthName(d))</th>" }
        h += "<th scope=\"col\">Direction</th></tr></thead><tbody>\n"
        for id in ReportPage.tileIDs {
            guard let points = history.long[id] else { continue }
            let def = IndicatorCatalogue.definition(id)
            func at(_ d: Day) -> Double? { points.first { $0.asOf == d }.flatMap { $0.now ?? $0.reconstructed } }
            let now = at(latest)
            var cells = "<td>\(now.map { HTML.escape(shown(id, "published", $0)) } ?? "no figure")</td>"
            for d in earlier { cells += "<td>\(at(d).map { HTML.escape(shown(id, "published", $0)) } ?? "no figure")</td>" }
            var direction = "no figure a year earlier"
            if let a = now, let b = at(earlier[0]) {
                if abs(a - b) <= 1e-9 { direction = "the same as a year earlier" } else {
                    let better = (a > b) == def.higherIsBetter
                    direction = (better ? "better" : "worse") + " than a year earlier (\(def.higherIsBetter ? "higher" : "lower") is better)"
                }
            }
            h += "<tr><th scope=\"row\">\(HTML.escape(def.title)) <span class=\"id\">\(id)</span></th>\(cells)<td>\(HTML.escape(direction))</td></tr>\n"
        }
        return h + "</tbody></table></div>\n"
    }
}
