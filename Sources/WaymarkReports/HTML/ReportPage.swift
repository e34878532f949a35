import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// The report pack, `index.html`: one self-contained page (inline CSS and
/// SVG, no scripts, no external requests) that a manager can read in five
/// minutes and print on A4. Built only from figures that have been through
/// disclosure control: it is given `PublishedIndicators` (which only
/// WaymarkDisclosure can make, and whose suppressed cells carry no number),
/// the ingest's per-file counts and the run's options, never trajectories or
/// rows, so it cannot compute a figure of its own. Every value from the data
/// is HTML-escaped.
public struct ReportPage {
    let config: ReportOptions
    /// What ingest read, accepted and quarantined per file (row counts and reasons only).
    let files: [FileReport]
    /// Scores merged with another of the same series and day (a data-quality count).
    let sameDayMerges: Int
    let results: PublishedIndicators
    /// What the history database says about the headline figures (nil when the run keeps no history).
    let history: HistoryView?
    private let index: [String: PublishedRow]

    public init(config: ReportOptions, files: [FileReport], sameDayMerges: Int, results: PublishedIndicators, history: HistoryView? = nil) {
        self.history = history
        self.config = config
        self.files = files
        self.sameDayMerges = sameDayMerges
        self.results = results
        var index: [String: PublishedRow] = [:]
        for r in results.rows { index[ReportPage.key(r.id, r.scale, r.rater, r.asOf, r.breakdown, r.group)] = r }
        self.index = index
    }

    static func key(_ id: IndicatorID, _ scale: String, _ rater: String, _ asOf: Day, _ b: Breakdown, _ g: String) -> String {
        "\(id)\u{1}\(scale)\u{1}\(rater)\u{1}\(asOf.number)\u{1}\(b.rawValue)\u{1}\(g)"
    }

    var latest: Day { results.monthEnds.last ?? config.asOf }
    var previous: Day? { results.monthEnds.count >= 2 ? results.monthEnds[results.monthEnds.count - 2] : nil }
    var headScale: String { config.headlineScale }
    var headRater: String { config.headlineRater }
    var fewer: String { StatusWords.suppressed(smallCount: config.smallCount) }

    /// The (scale, rated_by) an indicator is headlined at.
    func headlineKey(_ def: IndicatorDefinition) -> (String, String) {
        ReportPage.headlineKey(def, scale: headScale, rater: headRater)
    }

    /// The (scale, rated_by) of an indicator's headline row, given the headline scale and rater.
    public static func headlineKey(_ def: IndicatorDefinition, scale: String, rater: String) -> (String, String) {
        switch def.rows {
        case .perScaleAndRater, .perScaleHeadlineRater: return (scale, rater)
        case .perScale: return (scale, "all")
        case .overall: return ("all", "all")
        }
    }

    func row(_ id: IndicatorID, at day: Day, _ b: Breakdown = .total, _ g: String = "total") -> PublishedRow? {
        let (s, r) = headlineKey(IndicatorCatalogue.definition(id))
        return row(id, scale: s, rater: r, at: day, b, g)
    }

    /// The row of `id` for an explicit scale and rater (`all` where the indicator is not per scale or rater).
    func row(_ id: IndicatorID, scale: String, rater: String, at day: Day, _ b: Breakdown = .total, _ g: String = "total") -> PublishedRow? {
        index[ReportPage.key(id, scale, rater, day, b, g)]
    }

    func trend(_ id: IndicatorID, _ b: Breakdown = .total, _ g: String = "total") -> [PublishedRow?] {
        results.monthEnds.map { row(id, at: $0, b, g) }
    }

    func value(_ r: PublishedRow?) -> Double? { r?.value }

    /// How a cell reads in the report: a value, or one of the page's words
    /// for the CSV symbols (``StatusWords``). A figure that does not exist at
    /// all (nothing to count for that group) reads as not applicable.
    func display(_ r: PublishedRow?) -> String {
        guard let r else { return StatusWords.notApplicable }
        switch r.status {
        case .published:
            guard let v = r.value else { return StatusWords.notApplicable }
            return display(value: v, r.id)
        case .suppressed: return fewer
        case .notApplicable: return StatusWords.notApplicable
        case .notAvailable: return StatusWords.notAvailable
        }
    }

    func monthName(_ d: Day) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = d.components
        return "\(names[c.month - 1]) \(c.year % 100 < 10 ? "0" : "")\(c.year % 100)"
    }

    func longDate(_ d: Day) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let c = d.components
        return "\(c.day) \(names[c.month - 1]) \(c.year)"
    }

    // MARK: - Page

    package func render() -> String {
        var h = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(HTML.escape(config.name)): report as at \(latest)</title>
        <style>\(ReportPage.css)</style>
        </head>
        <body>
        <header>
        <p class="kicker">Waymark report pack</p>
        <h1>\(HTML.escape(config.description.isEmpty ? config.name : config.description))</h1>
        <p class="meta">As at <strong>\(longDate(latest))</strong> · export taken \(longDate(config.extractedOn)) · headline: \
        <strong>\(HTML.escape(headScale))</strong> scale, scored by <strong>\(HTML.escape(headRater))</strong> · \
        window \(config.windowDays) days · pipeline <code>\(HTML.escape(config.name))</code> · Waymark \(HTML.escape(WaymarkVersion.string))</p>
        \(config.provisional ? "<p class=\"banner\" role=\"note\"><strong>Provisional:</strong> the export was taken before this month ended (\(longDate(config.extractedOn))), so rows for the rest of the month are not in these figures yet.</p>\n" : "")<p class="note">Scores are read in context: what help was on offer between two scores, and how the family responded. \
        Closures are shown as context, never as the outcome. Figures based on very few families are hidden \
        (shown as “\(fewer)”; see <a href="#methods">Methods</a>).</p>
        \(legend())
        </header>
        <main>

        """
        h += tiles()
        h += matrix()
        h += distribution()
        h += voice()
        h += everyScaleAndRater()
        h += helpAndGuardrail()
        h += helpGiven()
        h += closures()
        h += teamTable()
        h += equity()
        h += revisions()
        h += overTheYears()
        h += quality()
        h += methods()
        h += "</main>\n<footer><p>Generated by Waymark \(HTML.escape(WaymarkVersion.string)). The CSV files beside this page hold every figure at full precision; manifest.json records the inputs, their SHA-256 and every parameter.</p></footer>\n</body>\n</html>\n"
        return h
    }

    /// The page's legend: each word the page uses for a figure it does not
    /// show, the symbol the CSV files and the workbook use for it, and the
    /// charts' marks (StatusWords; legend.txt says the same beside the CSVs).
    func legend() -> String {
        var h = "<section id=\"legend\" aria-labelledby=\"h-legend\"><h2 id=\"h-legend\" class=\"small\">How to read the figures</h2><dl class=\"legend\">"
        for t in StatusWords.terms(smallCount: config.smallCount) {
            h += "<div><dt>“\(HTML.escape(t.word))”</dt><dd>\(HTML.escape(t.meaning)); <code>\(t.symbol)</code> in the CSV files and the workbook.</dd></div>"
        }
        h += "<div><dt>ringed point</dt><dd>a figure revised since it was first published (see Revisions).</dd></div>"
        if history != nil { h += "<div><dt>“no figure”</dt><dd>the history holds no figure for that month (before its records begin).</dd></div>" }
        h += "<div><dt>scales</dt><dd>rates are drawn on 0–100%; other figures on their own lowest to highest value, printed under each sparkline.</dd></div>"
        return h + "</dl></section>"
    }

    // MARK: - Headline tiles

    /// The headline indicators: the tiles, and the series the history's long views follow.
    public static let tileIDs: [IndicatorID] = [.i1, .i2, .i4, .i5, .i6, .i7, .i8, .i9, .i14, .i15]

    func tiles() -> String {
        var h = "<section id=\"headline-tiles\" aria-labelledby=\"h-tiles\">\n<h2 id=\"h-tiles\">Headlines</h2>\n<div class=\"tiles\">\n"
        for id in ReportPage.tileIDs {
            let (s, r) = headlineKey(IndicatorCatalogue.definition(id))
            h += tile(id, scale: s, rater: r, revised: revisedIndices(id))
        }
        return h + "</div>\n</section>\n"
    }

    /// One tile: the latest value of `id` for (scale, rater), its change on
    /// last month and over the trend, and its sparkline on an honest scale.
    func tile(_ id: IndicatorID, scale s: String, rater r: String, revised: Set<Int> = []) -> String {
        let def = IndicatorCatalogue.definition(id)
        let trendRows = results.monthEnds.map { row(id, scale: s, rater: r, at: $0) }
        let now = trendRows.last ?? nil
        let before = trendRows.count >= 2 ? trendRows[trendRows.count - 2] : nil
        var delta = "no change to compare"
        if let a = value(now), let b = value(before) {
            if def.kind == .rate {
                let points = ((a - b) * 100).rounded()
                delta = points == 0 ? "no change on last month" : "\(points > 0 ? "+" : "\u{2212}")\(Int(abs(points))) percentage point\(abs(points) == 1 ? "" : "s") on last month"
            } else {
                delta = "\(DisplayNumber.decimal(a - b, signed: true)) on last month"
            }
        }
        let scope = s == "all" ? "all scales" : (r == "all" ? "\(s), all raters" : "\(s), \(r)")
        // Honest scales: rates on a shared 0-100% scale; other figures span their own
        // lowest to highest value, which the tile prints.
        let values = trendRows.map(value)
        let known = values.compactMap { $0 }
        let range: ClosedRange<Double>? = def.kind == .rate ? 0...1 : nil
        let spark = SVG.Sparkline(values: values, label: "\(def.title), \(scope), last \(results.monthEnds.count) month ends"
                                  + (def.kind == .rate ? " on a 0-100% scale" : "")
                                  + (revised.isEmpty ? "" : "; ringed points were revised since first published"), range: range, revised: revised)
        let scaleNote = def.kind == .rate ? "0–100% scale"
            : (known.min().map { lo in "scale \(display(value: lo, id)) to \(display(value: known.max() ?? lo, id))" } ?? "")
        return """
        <article class="tile">
        <h3>\(HTML.escape(def.title)) <span class="id">\(id)</span></h3>
        <p class="value">\(HTML.escape(display(now)))</p>
        <p class="delta">\(HTML.escape(delta))</p>
        <p class="year">\(HTML.escape(twelveMonthChange(id, def, trendRows)))</p>
        \(spark.svg)<span class="sub spark-scale">\(HTML.escape(scaleNote))</span>
        <p class="better">\(def.higherIsBetter ? "Higher" : "Lower") is better · \(HTML.escape(scope))\(now?.denominator.map { " · of \(DisplayNumber.thousands($0))" } ?? "")</p>
        </article>

        """
    }

    /// Positions in the trend of month ends whose headline figure of `id` has
    /// moved since first published (ringed on the trend charts).
    func revisedIndices(_ id: IndicatorID) -> Set<Int> {
        guard let history else { return [] }
        let days = history.revised(id)
        return Set(results.monthEnds.indices.filter { days.contains(results.monthEnds[$0].number) })
    }

    /// A value as the report shows it for indicator `id`.
    func display(value v: Double, _ id: IndicatorID) -> String {
        IndicatorCatalogue.definition(id).kind == .rate ? DisplayNumber.percent(v) : DisplayNumber.decimal(v, signed: id == .i1)
    }

    /// One sentence on an indicator's change over the trend (first to last
    /// published month end), with which way is better.
    func twelveMonthChange(_ id: IndicatorID, _ def: IndicatorDefinition) -> String {
        twelveMonthChange(id, def, trend(id))
    }

    /// The same for a trend of rows (one per month end) of any scale and rater.
    func twelveMonthChange(_ id: IndicatorID, _ def: IndicatorDefinition, _ rows: [PublishedRow?]) -> String {
        let points = zip(results.monthEnds, rows).compactMap { d, r in value(r).map { (d, $0) } }
        guard let first = points.first, let last = points.last, points.count >= 2, first.0 != last.0 else {
            return "No change over the year to compare."
        }
        let span = "since \(monthName(first.0))"
        if abs(last.1 - first.1) <= 1e-9 { return "Unchanged \(span) (\(display(value: last.1, id)))." }
        let better = (last.1 > first.1) == def.higherIsBetter
        let verb = last.1 > first.1 ? "Up" : "Down"
        let amount: String
        if def.kind == .rate {
            let points = Int((abs(last.1 - first.1) * 100).rounded())
            if points == 0 { return "Within half a percentage point of \(monthName(first.0))’s figure (\(display(value: first.1, id)) then, \(display(value: last.1, id)) now)." }
            amount = "\(points) percentage point\(points == 1 ? "" : "s")"
        } else {
            amount = DisplayNumber.decimal(abs(last.1 - first.1))
            if amount == DisplayNumber.decimal(0) { return "Within 0.005 of \(monthName(first.0))’s figure (\(display(value: first.1, id)) then, \(display(value: last.1, id)) now)." }
        }
        return "\(verb) \(amount) \(span), from \(display(value: first.1, id)) to \(display(value: last.1, id)): \(better ? "better" : "worse")."
    }

    // MARK: - Matrix

    func matrix() -> String {
        var h = "<section id=\"matrix\" aria-labelledby=\"h-matrix\">\n<h2 id=\"h-matrix\">How scores moved, given the help offered and the family’s response</h2>\n"
        guard let table = results.matrices.first(where: { $0.scale == headScale && $0.rater.rawValue == headRater && $0.asOf == latest }) else {
            return h + "<p>No segments for the headline scale and rater.</p>\n</section>\n"
        }
        return h + matrixBody(table) + "</section>\n"
    }

    /// The matrix of one scale and rater: a heat map (the sentence as its
    /// description) and the same cells as a table.
    func matrixBody(_ table: PublishedMatrix) -> String {
        var h = ""
        let scale = table.scale, rater = table.rater.rawValue
        let contexts = SupportContext.allCases, directions = Direction.allCases
        func published(_ c: SupportContext, _ d: Direction) -> Int? {
            table.segments(c, d)
        }
        let maxCount = Double(max(1, contexts.flatMap { c in directions.compactMap { published(c, $0) } }.max() ?? 1))
        let cells = contexts.map { c in directions.map { d -> (Double?, String, String) in
            guard let n = published(c, d) else { return (nil, fewer, "") }
            let mean = table.meanChange(c, d).map { "mean " + DisplayNumber.decimal($0, signed: true) } ?? ""
            return (Double(n) / maxCount, DisplayNumber.thousands(n), mean)
        } }
        let rows = ["No help on offer", "Offered, response not recorded", "Offered and declined", "Partly taken up", "Taken up (engaged)"]
        let sentence = matrixSentence(table)
        let map = SVG.HeatMap(title: "Support-response matrix, \(scale), \(rater), 12 months to \(latest)",
                              description: sentence, rowLabels: rows, columnLabels: ["Worsened", "Steady", "Improved"], cells: cells)
        h += "<p class=\"lead\">\(HTML.escape(sentence))</p>\n\(HTML.figureOpen(label: map.title))\(map.svg)<figcaption>Each segment is the time between two \(HTML.escape(rater)) scores on the \(HTML.escape(scale)) scale that ended in the window. Rows: the best response to help that was on offer during it. Darker cells hold more segments.</figcaption></figure>\n"
        let caption = "The matrix as a table (segments, and mean change), \(scale), \(rater)"
        h += "<div class=\"screen-only\">" + HTML.scrollOpen(label: caption) + "<table class=\"compact\"><caption>\(HTML.escape(caption))</caption><thead><tr><th scope=\"col\">Support context</th>"
        for d in ["Worsened", "Steady", "Improved"] { h += "<th scope=\"col\">\(d)</th>" }
        h += "</tr></thead><tbody>\n"
        for i in contexts.indices {
            h += "<tr><th scope=\"row\">\(rows[i])</th>"
            for j in directions.indices { h += "<td>\(HTML.escape(cells[i][j].1))\(cells[i][j].2.isEmpty ? "" : "<br><span class=\"sub\">\(HTML.escape(cells[i][j].2))</span>")</td>" }
            h += "</tr>\n"
        }
        return h + "</tbody></table></div></div>\n"
    }

    /// A plain-English reading of the matrix from its published cells only.
    func matrixSentence(_ table: PublishedMatrix) -> String {
        func share(_ c: SupportContext, _ d: Direction) -> Double? {
            let row = Direction.allCases.map { table.segments(c, $0) }
            guard row.allSatisfy({ $0 != nil }), let n = table.segments(c, d) else { return nil }
            let total = row.reduce(0) { $0 + $1! }
            return total > 0 ? Double(n) / Double(total) : nil
        }
        var parts: [String] = []
        if let engaged = share(.engaged, .improved) {
            parts.append("When families took up the help offered, \(DisplayNumber.percent(engaged)) of intervals between scores ended in improvement")
            if let none = share(.noneOffered, .improved) { parts[parts.count - 1] += ", against \(DisplayNumber.percent(none)) when no help was on offer" }
        }
        if let i5 = value(row(.i5, scale: table.scale, rater: table.rater.rawValue, at: latest)) {
            parts.append("Help was on offer in \(DisplayNumber.percent(i5)) of the intervals in which things got worse")
        }
        if parts.isEmpty { return "The matrix counts intervals between scores by the help on offer and how the score moved; too few to describe safely this month." }
        return parts.joined(separator: ". ") + "."
    }

    // MARK: - Distribution of change

    func distribution() -> String {
        var h = "<section id=\"distribution\" aria-labelledby=\"h-dist\">\n<h2 id=\"h-dist\">Distance travelled since the first score</h2>\n"
        guard let d = results.distribution, d.scale == headScale, d.rater.rawValue == headRater else {
            return h + "<p>Too few series to show safely.</p>\n</section>\n"
        }
        let total = d.total
        let values = d.counts
        let labels = (-5...5).map { $0 == -5 ? "≤−5" : ($0 == 5 ? "≥+5" : ($0 > 0 ? "+\($0)" : ($0 < 0 ? "−\(-$0)" : "0"))) }
        let chart = SVG.BarChart(title: "Change since first score, \(headScale), \(headRater)",
                                 description: "Series in scope by their change from first to latest score, rounded to whole points. Bars reading “\(fewer)” are hidden to protect small numbers.",
                                 labels: labels, values: values, suppressedLabel: fewer)
        h += "<p class=\"lead\">\(DisplayNumber.thousands(total)) series in scope (two or more scores, the last in the window), by how far the \(HTML.escape(headScale)) score moved from first to latest; right of zero is better.</p>\n"
        return h + "\(HTML.figureOpen(label: chart.title))\(chart.svg)</figure>\n</section>\n"
    }

    // MARK: - Family voice, help before worsening, guardrail, closures

    func lineChart(_ ids: [IndicatorID], title: String, description: String) -> String {
        let defs = ids.map(IndicatorCatalogue.definition)
        let percent = defs.allSatisfy { $0.kind == .rate }
        let lines = defs.map { def in
            SVG.LineChart.Line(name: "\(def.id) \(def.title)", values: trend(def.id).map(value), revised: revisedIndices(def.id))
        }
        let all = lines.flatMap { $0.values.compactMap { $0 } }
        let yMax = percent ? 1 : max(1, (all.max() ?? 1).rounded(.up))
        let yMin = percent ? 0 : min(0, (all.min() ?? 0).rounded(.down))
        let chart = SVG.LineChart(title: title, description: description, xLabels: results.monthEnds.map(monthName), lines: lines,
                                  yMin: yMin, yMax: yMax, percent: percent)
        var table = "<div class=\"screen-only\">" + HTML.scrollOpen(label: "\(title): values") + "<table class=\"compact trend\"><caption>\(HTML.escape(title)): values</caption><thead><tr><th scope=\"col\">Indicator</th>"
        for d in results.monthEnds { table += "<th scope=\"col\">\(monthName(d))</th>" }
        table += "</tr></thead><tbody>"
        for def in defs {
            table += "<tr><th scope=\"row\">\(def.id)</th>" + trend(def.id).map { "<td>\(HTML.escape(display($0)))</td>" }.joined() + "</tr>"
        }
        return "\(HTML.figureOpen(label: title))\(chart.svg)</figure>\n" + table + "</tbody></table></div></div>\n"
    }

    func voice() -> String {
        var h = "<section id=\"family-voice\" aria-labelledby=\"h-voice\">\n<h2 id=\"h-voice\">Family voice and the perspective gap</h2>\n"
        h += "<p class=\"lead\">How often the family’s own \(HTML.escape(headScale)) score is recorded when anyone scores (I7: now \(HTML.escape(display(row(.i7, at: latest))))), and how far family and practitioner scores sit apart on the same day (I8: now \(HTML.escape(display(row(.i8, at: latest)))) points; lower means shared understanding).</p>\n"
        h += lineChart([.i7], title: "Family's own score recorded, by month end", description: "I7 over the trend: occasions with a parent, child or carer score.")
        h += lineChart([.i8], title: "Gap between family and practitioner, by month end", description: "I8 over the trend: mean absolute gap on paired occasions, in scale points.")
        return h + "</section>\n"
    }

    func helpAndGuardrail() -> String {
        var h = "<section id=\"help-before-worsening\" aria-labelledby=\"h-help\">\n<h2 id=\"h-help\">Help before worsening</h2>\n"
        h += "<p class=\"lead\">When a score got worse, was help on offer (I5)? And when families took help up, did scores improve (I6)?</p>\n"
        h += lineChart([.i5, .i6], title: "Help before worsening and improvement when engaged", description: "I5 and I6 over the trend, as percentages of segments.")
        h += "</section>\n<section id=\"guardrail\" aria-labelledby=\"h-guard\">\n<h2 id=\"h-guard\">Guardrail: support withdrawn or reduced</h2>\n"
        let known = row(.i14, at: latest), unknown = row(.i14u, at: latest)
        var unknownText = "The effect of \(display(unknown)) of withdrawals is not yet known (no score before and after)."
        if let u = unknown, let n = u.numerator, let dn = u.denominator { unknownText = "\(DisplayNumber.thousands(Int(n.rounded()))) of \(DisplayNumber.thousands(dn)) withdrawals or reductions (\(display(unknown))) have no score before and within \(config.afterDays) days after, so their effect is not yet known." }
        h += "<p class=\"lead\">Strengths-based practice is not a reason to cut support. Of the withdrawals and reductions whose effect is known, \(HTML.escape(display(known))) were not followed by improvement (I14; lower is better). \(HTML.escape(unknownText))</p>\n"
        h += lineChart([.i14, .i14u], title: "Withdrawn or reduced support without improvement", description: "I14 and the share of withdrawals whose effect is unknown (I14u), over the trend.")
        return h + "</section>\n"
    }

    static let helpIDs: [IndicatorID] = [.i9, .i10, .i11, .i12, .i13]

    /// Help given (issue #14): I9-I13 with their values, their year's change,
    /// their trend and each team's figures.
    func helpGiven() -> String {
        var h = "<section id=\"help-given\" aria-labelledby=\"h-given\">\n<h2 id=\"h-given\">Help given</h2>\n"
        h += "<p class=\"lead\">What help families were offered and took up, including network-based help (central to Signs of Safety) and help from community and voluntary providers.</p>\n<ul class=\"help-list\">\n"
        for id in ReportPage.helpIDs {
            let def = IndicatorCatalogue.definition(id)
            h += "<li><strong>\(HTML.escape(def.title))</strong> <span class=\"id\">\(id)</span>: \(HTML.escape(display(row(id, at: latest)))). \(HTML.escape(twelveMonthChange(id, def))) <span class=\"sub\">(\(def.higherIsBetter ? "higher" : "lower") is better)</span></li>\n"
        }
        h += "</ul>\n"
        h += lineChart(ReportPage.helpIDs, title: "Help given over the trend", description: "I9 to I13 at each month end of the trend.")
        var teams = Set<String>()
        for r in results.rows where r.breakdown == .team && r.asOf == latest && ReportPage.helpIDs.contains(r.id) { teams.insert(r.group) }
        if !teams.isEmpty {
            h += HTML.scrollOpen(label: "Help given by team") + "<table class=\"compact\"><caption>Help given by team, as at \(longDate(latest))</caption><thead><tr><th scope=\"col\">Team</th>"
            for id in ReportPage.helpIDs { h += "<th scope=\"col\"><abbr title=\"\(HTML.escape(IndicatorCatalogue.definition(id).title))\">\(id)</abbr></th>" }
            h += "</tr></thead><tbody>"
            for team in teams.sorted(by: ReportPage.naturalOrder) {
                h += "<tr><th scope=\"row\">\(HTML.escape(team))</th>" + ReportPage.helpIDs.map { "<td>\(HTML.escape(display(row($0, at: latest, .team, team))))</td>" }.joined() + "</tr>"
            }
            h += "</tbody></table></div>\n"
        }
        return h + "</section>\n"
    }

    func closures() -> String {
        var h = "<section id=\"closures\" aria-labelledby=\"h-close\">\n<h2 id=\"h-close\">Closures in context</h2>\n"
        if !config.inputsGiven.contains(.episodes) {
            return h + "<p>Not available: this pipeline has no <code>episodes.csv</code>, so closures (I15, I15u) and re-referrals (I16) were not computed.</p>\n</section>\n"
        }
        h += "<p class=\"lead\">A closure counts as a good outcome only when measured improvement came first. This month: \(HTML.escape(display(row(.i15, at: latest)))) of measured closures followed improvement (I15); \(HTML.escape(display(row(.i15u, at: latest)))) of closures had no measured outcome (I15u); \(HTML.escape(display(row(.i16, at: latest)))) of families whose case closed a year earlier were re-referred within 12 months (I16).</p>\n"
        h += lineChart([.i15, .i15u, .i16], title: "Closures that followed improvement, unmeasured closures and re-referrals", description: "I15, I15u and I16 over the trend.")
        return h + "</section>\n"
    }

    // MARK: - Teams and equity

    static let teamIDs: [IndicatorID] = [.i1, .i2, .i4, .i5, .i7, .i9, .i14]

    func teamTable() -> String {
        var h = "<section id=\"team-table\" aria-labelledby=\"h-teams\">\n<h2 id=\"h-teams\">Teams</h2>\n"
        var teams = Set<String>()
        for r in results.rows where r.breakdown == .team && r.asOf == latest { teams.insert(r.group) }
        let sorted = teams.sorted(by: ReportPage.naturalOrder)
        guard !sorted.isEmpty else { return h + "<p>No team figures this month.</p>\n</section>\n" }
        h += "<p class=\"lead\">Each team’s figures as at \(longDate(latest)), with its trend over \(results.monthEnds.count) month ends. Teams are compared on outcomes, family voice and help given, not on closures.</p>\n"
        h += "<p class=\"sub\">Sparklines in a column share one scale, so teams can be compared; a dot marks the latest published month.</p>\n"
        // One value range per column, so a team's line can be compared with the others'.
        var ranges: [IndicatorID: ClosedRange<Double>] = [:]
        for id in ReportPage.teamIDs {
            let all = sorted.flatMap { trend(id, .team, $0).compactMap(value) }
            if let lo = all.min(), let hi = all.max() { ranges[id] = lo...hi }
        }
        let caption = "Team indicators (\(headScale), \(headRater) where the indicator is per rater)"
        // On screen one table in its own scroll box; on A4 the same table split into
        // column groups that fit the page's width, each repeating the team column.
        h += "<div class=\"screen-only\">" + HTML.scrollOpen(label: caption) + teamTable(sorted, ReportPage.teamIDs, caption: caption, ranges: ranges) + "</div></div>\n"
        // A column every team's figure of which is hidden says so once, in words.
        let hiddenEverywhere = ReportPage.teamIDs.filter { id in
            sorted.allSatisfy { row(id, at: latest, .team, $0)?.status == .suppressed }
        }
        for id in hiddenEverywhere {
            let def = IndicatorCatalogue.definition(id)
            h += "<p class=\"sub\">\(id) (\(HTML.escape(def.title))) is hidden for every team this month: each team’s figure rests on, "
                + "or leaves out, 1 to \(config.smallCount) \(def.unit.rawValue). The whole service’s figure is in the headlines.</p>\n"
        }
        let groups = ReportPage.columnGroups(ReportPage.teamIDs, size: ReportPage.printColumns)
        h += "<div class=\"print-only\">"
        for (k, ids) in groups.enumerated() {
            h += teamTable(sorted, ids, caption: "\(caption), part \(k + 1) of \(groups.count)", ranges: ranges)
        }
        return h + "</div>\n</section>\n"
    }

    /// How many indicator columns a table with sparklines can hold on A4.
    static let printColumns = 4

    /// `ids` in consecutive groups of at most `size`, as even as possible (7 in 4s: 4 and 3).
    static func columnGroups(_ ids: [IndicatorID], size: Int) -> [[IndicatorID]] {
        let count = (ids.count + size - 1) / size
        guard count > 1 else { return [ids] }
        let base = ids.count / count, extra = ids.count % count
        var out: [[IndicatorID]] = [], start = 0
        for k in 0..<count {
            let n = base + (k < extra ? 1 : 0)
            out.append(Array(ids[start..<(start + n)]))
            start += n
        }
        return out
    }

    /// The team table for the indicator columns `ids`.
    func teamTable(_ teams: [String], _ ids: [IndicatorID], caption: String, ranges: [IndicatorID: ClosedRange<Double>]) -> String {
        var h = "<table class=\"teams\"><caption>\(HTML.escape(caption))</caption><thead><tr><th scope=\"col\">Team</th>"
        for id in ids {
            let def = IndicatorCatalogue.definition(id)
            h += "<th scope=\"col\">\(HTML.escape(def.title)) <span class=\"id\">\(id)</span><br><span class=\"sub\">\(def.higherIsBetter ? "higher" : "lower") is better</span></th>"
        }
        h += "</tr></thead><tbody>\n"
        for team in teams {
            h += "<tr><th scope=\"row\">\(HTML.escape(team))</th>"
            for id in ids {
                let tr = trend(id, .team, team)
                let spark = SVG.Sparkline(values: tr.map(value), label: "\(id) for \(team) over the trend", range: ranges[id])
                h += "<td>\(HTML.escape(display(tr.last ?? nil)))<br>\(spark.points.count >= 2 ? spark.svg : "")</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table>"
    }

    static let equityIDs: [IndicatorID] = [.i1, .i2, .i5, .i10]

    /// Group names in natural order: runs of digits compare as numbers, so age
    /// bands read 0-4, 5-9, 10-15, 16-17; `family` and `unknown` come last.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int { s == "family" ? 2 : (s == "unknown" ? 1 : 0) }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        func tokens(_ s: String) -> [(Int?, String)] {
            var out: [(Int?, String)] = []
            var current = "", digits = false
            for ch in s {
                let d = ch.isASCII && ch.isNumber
                if !current.isEmpty && d != digits { out.append((digits ? Int(current) : nil, current)); current = "" }
                digits = d
                current.append(ch)
            }
            if !current.isEmpty { out.append((digits ? Int(current) : nil, current)) }
            return out
        }
        let x = tokens(a), y = tokens(b)
        for (p, q) in zip(x, y) {
            if let m = p.0, let n = q.0, m != n { return m < n }
            if p.1 != q.1 { return Array(p.1.utf8).lexicographicallyPrecedes(Array(q.1.utf8)) }
        }
        return x.count < y.count
    }

    func equity() -> String {
        var h = "<section id=\"equity\" aria-labelledby=\"h-equity\">\n<h2 id=\"h-equity\">Equity: the same figures by the child’s characteristics</h2>\n"
        guard config.inputsGiven.contains(.children) else {
            return h + "<p>Not available: this pipeline has no <code>children.csv</code>.</p>\n</section>\n"
        }
        h += "<p class=\"lead\">Figures about a whole family (family-level scores and offers) belong to no child, so they are not in these tables; children without recorded characteristics are in “unknown”.</p>\n<div class=\"equity\">"
        for b in Breakdown.childCharacteristics {
            var groups = Set<String>()
            for r in results.rows where r.breakdown == b && r.asOf == latest { groups.insert(r.group) }
            // Natural order (0-4, 5-9, 10-15, 16-17), with family and unknown last; a group
            // with no figure at all (the family level, for child characteristics) is left out
            // and explained once above.
            let sorted = groups.sorted(by: ReportPage.naturalOrder).filter { g in
                ReportPage.equityIDs.contains { row($0, at: latest, b, g) != nil }
            }
            guard !sorted.isEmpty else { continue }
            let caption = "By \(b.name.replacingOccurrences(of: "_", with: " "))"
            h += HTML.scrollOpen(label: caption) + "<table class=\"compact\"><caption>\(caption)</caption><thead><tr><th scope=\"col\">Group</th>"
            for id in ReportPage.equityIDs { h += "<th scope=\"col\"><abbr title=\"\(HTML.escape(IndicatorCatalogue.definition(id).title))\">\(id)</abbr></th>" }
            h += "</tr></thead><tbody>"
            for g in sorted {
                h += "<tr><th scope=\"row\">\(HTML.escape(g))</th>" + ReportPage.equityIDs.map { equityCell(row($0, at: latest, b, g)) }.joined() + "</tr>"
            }
            h += "</tbody></table></div>"
        }
        h += "</div>\n<p class=\"sub\">Under each figure, how many it rests on: " + ReportPage.equityIDs.map(IndicatorCatalogue.definition).map {
            "\($0.id) \(HTML.escape($0.title)), of \($0.unit.rawValue)"
        }.joined(separator: " · ") + ". A hidden figure’s count is hidden too.</p>\n"
        return h + "</section>\n"
    }

    /// An equity cell: the figure, and under it how many it rests on (its
    /// denominator: series, segments or offers), which a hidden figure lacks.
    func equityCell(_ r: PublishedRow?) -> String {
        guard let r, let n = r.denominator, r.status == .published else { return "<td>\(HTML.escape(display(r)))</td>" }
        return "<td>\(HTML.escape(display(r)))<br><span class=\"sub\">of \(DisplayNumber.thousands(n))</span></td>"
    }

    // MARK: - Data quality and methods

    func quality() -> String {
        var h = "<section id=\"data-quality\" aria-labelledby=\"h-quality\">\n<h2 id=\"h-quality\">Data quality</h2>\n"
        let read = files.reduce(0) { $0 + $1.rowsRead }, quarantined = files.reduce(0) { $0 + $1.rowsQuarantined }
        let accepted = files.reduce(0) { $0 + $1.rowsAccepted }, notScored = files.reduce(0) { $0 + $1.rowsNotScored }
        h += "<p class=\"lead\">\(DisplayNumber.thousands(read)) rows read; \(DisplayNumber.thousands(accepted)) accepted; "
            + (notScored > 0 ? "\(DisplayNumber.thousands(notScored)) recorded as not scored, for a reason the export gives (counted, not quarantined, and not part of any trajectory); " : "")
            + "\(DisplayNumber.thousands(quarantined)) quarantined with a reason (in <code>quarantine/</code>, nothing is lost).</p>\n"
        h += HTML.scrollOpen(label: "Rows per input file") + "<table class=\"compact\"><caption>Rows per input file</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Read</th><th scope=\"col\">Accepted</th>"
            + (notScored > 0 ? "<th scope=\"col\">Not scored</th>" : "") + "<th scope=\"col\">Quarantined</th><th scope=\"col\">Blank lines skipped</th></tr></thead><tbody>"
        for f in files {
            // The file as read (an input may be several files), and its canonical name when that differs.
            let name = lastPathComponent(f.path)
            let canonical = name == f.file.fileName ? "" : " <span class=\"sub\">(\(f.file.rawValue))</span>"
            h += "<tr><th scope=\"row\">\(HTML.escape(name))\(canonical)</th><td>\(DisplayNumber.thousands(f.rowsRead))</td><td>\(DisplayNumber.thousands(f.rowsAccepted))</td>"
                + (notScored > 0 ? "<td>\(DisplayNumber.thousands(f.rowsNotScored))</td>" : "")
                + "<td>\(DisplayNumber.thousands(f.rowsQuarantined))</td><td>\(DisplayNumber.thousands(f.blankLinesSkipped))</td></tr>"
        }
        h += "</tbody></table></div>\n"
        // Only reasons rows were quarantined for: not the blank lines, the not-scored
        // rows (set aside, said above) or the column findings (which count columns).
        let findings = QualityReport.findings(files).filter { QuarantineReason(rawValue: $0.reason) != nil }.sorted { $0.count > $1.count }.prefix(8)
        if !findings.isEmpty {
            h += HTML.scrollOpen(label: "Top reasons rows were quarantined") + "<table class=\"compact methods\"><caption>Top reasons rows were quarantined</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th><th scope=\"col\">Rows</th><th scope=\"col\">What it means</th></tr></thead><tbody>"
            for f in findings {
                h += "<tr><td>\(HTML.escape(f.file))</td><th scope=\"row\"><code>\(HTML.escape(f.reason))</code></th><td>\(DisplayNumber.thousands(f.count))</td><td>\(HTML.escape(f.explanation))</td></tr>"
            }
            h += "</tbody></table></div>\n"
        }
        if sameDayMerges > 0 {
            h += "<p class=\"sub\">\(DisplayNumber.thousands(sameDayMerges)) scores were merged with another score of the same series on the same day (their mean is used).</p>\n"
        }
        if !config.identifierWaivers.isEmpty {
            h += "<p class=\"sub\">Identifier-guard waivers in force (one pattern let through in one column; everything else is still checked): "
                + config.identifierWaivers.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ") + ".</p>\n"
        }
        return h + "</section>\n"
    }

    /// How many cells the audit added this run (from the disclosure stage).
    var auditSentence: String {
        let a = results.audit
        let n = a.cellsAdded + a.cellsFollowing
        return n == 0 ? " This run it found nothing more to hide." : " This run it hid \(DisplayNumber.thousands(n)) more \(n == 1 ? "figure" : "figures")."
    }

    func methods() -> String {
        var h = "<section id=\"methods\" aria-labelledby=\"h-methods\">\n<h2 id=\"h-methods\">Methods</h2>\n"
        h += """
        <p>Every figure is computed as at a month end from rows dated on or before it, over the \(config.windowDays) days ending then. \
        Scores are oriented so that up is better. A segment is the time between two consecutive scores of one series (a case, child, scale and rater); \
        its support context is the best response, at the segment’s end, to any help on offer during it. Full definitions: \
        docs/methods.md and docs/indicators-method.md in the Waymark repository.</p>
        <h3>Disclosure control</h3>
        <p>Following the Department for Education’s convention, a figure is hidden (“\(fewer)”) when it rests on 1 to \(config.smallCount) \
        families, segments or offers (or on all but 1 to \(config.smallCount) of them), when its denominator is below \(config.minDenominator), \
        or when it could otherwise be worked out by subtraction from a total and the figures published beside it. \
        Zero is never hidden on its own. “n/a” means not applicable (nothing to count, or the scale has no parameter for it); \
        “not available” means the input it needs was not given.</p>
        <p>\(HTML.escape(AuditSummary.rule))\(auditSentence)</p>

        <h3>Indicators</h3>
        \(HTML.scrollOpen(label: "Indicators: definitions"))<table class="compact methods"><caption>Indicators: definitions</caption><thead><tr><th scope="col">Id</th><th scope="col">Indicator</th><th scope="col">Numerator</th><th scope="col">Denominator</th><th scope="col">Better</th><th scope="col">Why it matters</th></tr></thead><tbody>

        """
        for d in IndicatorCatalogue.all {
            h += "<tr><th scope=\"row\">\(d.id)</th><td>\(HTML.escape(d.title))</td><td>\(HTML.escape(d.numerator))</td><td>\(HTML.escape(d.denominator))</td><td>\(d.better)</td><td>\(HTML.escape(d.reason))</td></tr>\n"
        }
        h += "</tbody></table></div>\n"
        if !results.notes.isEmpty {
            h += "<h3>Notes on this run</h3><ul>" + results.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n"
        }
        return h + "</section>\n"
    }

    static let css = """
    :root{--ink:#1a1a1a;--muted:#595959;--rule:#d9d9d9;--accent:#0072B2;--bg:#ffffff;--panel:#f5f7fa}
    *{box-sizing:border-box}
    body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
    header,main,footer{max-width:1040px;margin:0 auto;padding:0 20px}
    header{padding-top:24px;border-bottom:3px solid var(--accent)}
    .kicker{margin:0;color:var(--accent);font-weight:700;text-transform:uppercase;letter-spacing:.06em;font-size:12px}
    h1{margin:.2em 0 .3em;font-size:26px}
    h2{font-size:20px;margin:28px 0 8px;border-bottom:1px solid var(--rule);padding-bottom:4px}
    h3{font-size:15px;margin:16px 0 6px}
    .meta,.note,.sub,figcaption,.better,.delta{color:var(--muted)}
    .meta{margin:.2em 0}.note{font-size:13px}
    .year{margin:.1em 0;font-weight:600}.spark-scale{display:block;font-size:11px}
    .banner{border:2px solid #8a4b00;background:#fff4e5;color:#3d2100;padding:.5em .8em;margin:.6em 0}
    a{color:#005a8c}
    .lead{max-width:70ch}
    .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(185px,1fr));gap:12px}
    .tile{background:var(--panel);border:1px solid var(--rule);border-radius:6px;padding:10px 12px;break-inside:avoid}
    .tile h3{margin:0 0 4px;font-size:13px;line-height:1.3;min-height:2.6em}
    .tile .value{margin:0;font-size:26px;font-weight:700}
    .tile .delta,.tile .better{margin:2px 0;font-size:12px}
    .id{color:var(--muted);font-weight:400;font-size:11px}
    figure{margin:8px 0}
    svg.chart{width:100%;max-width:620px;height:auto;display:block}
    svg.spark{vertical-align:middle}
    table{border-collapse:collapse;margin:8px 0 12px;font-size:13px}
    caption{text-align:left;font-weight:600;padding:4px 0;color:var(--ink)}
    th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:right;vertical-align:top}
    th[scope=row],thead th:first-child{text-align:left}
    thead th{border-bottom:2px solid var(--ink);vertical-align:bottom}
    table.methods td,table.methods th{text-align:left}
    table.trend{font-size:12px}
    .scroll,figure.chart-box{overflow-x:auto}
    .scroll:focus-visible,figure.chart-box:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
    .print-only{display:none}
    h2.small{font-size:14px;border:0;margin:12px 0 4px}
    dl.legend{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:2px 16px;margin:0 0 12px;font-size:12px}
    dl.legend dt{font-weight:700;display:inline}dl.legend dd{display:inline;margin:0 0 0 4px;color:var(--muted)}
    details.scale-rater{border:1px solid var(--rule);border-radius:6px;padding:6px 12px;margin:8px 0}
    details.scale-rater summary{font-weight:600;cursor:pointer;padding:4px 0}
    .equity{display:flex;flex-wrap:wrap;gap:0 24px}
    code{font-size:12px;background:var(--panel);padding:0 3px}
    footer{margin-top:32px;padding-bottom:24px;border-top:1px solid var(--rule);color:var(--muted);font-size:12px}
    @page{size:A4;margin:14mm}
    @media print{body{font-size:11px}header,main,footer{max-width:none;padding:0}section{break-inside:avoid-page}
    .tiles{grid-template-columns:repeat(5,1fr);gap:6px}.tile .value{font-size:18px}a{color:var(--ink)}h2{break-after:avoid}
    .screen-only{display:none}.print-only{display:block}.scroll,figure.chart-box{overflow:visible}svg.chart{max-width:150mm}
    table.teams{font-size:10px}table.teams th,table.teams td{padding:2px 4px}}
    """
}
