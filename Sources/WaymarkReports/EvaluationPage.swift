import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// `evaluation.html`: the cohorts, the effect sizes with their intervals,
/// the Kaplan-Meier curves, the regression, and a plain-English summary of
/// what the design can and cannot show. Self-contained like the report pack.
/// It renders only a ``ProtectedEvaluation``: counts of 1 to small_count read
/// "fewer than N", as in the report pack, and withheld figures say why.
struct EvaluationPage {
    let result: ProtectedEvaluation
    /// The pipeline's name, for the title.
    let pipeline: String

    static let designText = "Observational cohorts, not a randomised trial: families were not allotted to the programme by chance, "
        + "so differences between cohorts may come from who was offered the programme (need, team, timing) rather than from the "
        + "programme itself; the baseline balance table shows how far the cohorts differed at entry. The regression adjusts for the "
        + "baseline score and engaged planned hours. Engaged hours are " + postEntryCaveat + " (help the programme brought about "
        + "is treated as if it were a difference between the families). Other differences remain. "
        + "Read the figures as associations that can prompt a closer look, not as proof that the programme caused them."

    /// The caveat on a covariate measured after entry (engaged hours), shown beside it wherever it appears.
    static let postEntryCaveat = "measured after entry: adjusting for it can hide part of the programme's effect"

    /// The reasons a series has no outcome, as the page words them.
    static func reasonText(_ m: MissingOutcome) -> String {
        switch m {
        case .followUpNotOver: return "Follow-up not yet over at the as-at date (entered less than the follow-up period before it), no later score yet"
        case .noScoreAfterBaseline: return "Follow-up over, no score after the baseline"
        case .nextScoreAfterFollowUp: return "Follow-up over, next score only after the follow-up period"
        }
    }

    /// The cohorts' names as the page prints them.
    var names: [String] { [DisplayName.of(result.spec.programme.name), DisplayName.of(result.spec.comparison.name)] }

    func render() -> String {
        let r = result, spec = r.spec
        var h = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(HTML.escape(pipeline)): programme evaluation as at \(r.asOf)</title>
        <style>\(ReportPage.css)\(EvaluationCharts.css)</style></head>
        <body><header><p class="kicker">Waymark programme evaluation</p>
        <h1>\(HTML.escape(names[0])) compared with \(HTML.escape(names[1]))</h1>
        <p class="meta">\(HTML.escape(DisplayName.of(r.scale))) scale, rated by: \(HTML.escape(DisplayName.of(r.rater.rawValue))) · as at \(r.asOf) · follow-up \(spec.followUpDays) days · \
        \(spec.bootstrap) bootstrap resamples, seed \(spec.seed) · Waymark \(HTML.escape(WaymarkVersion.string))</p></header><main>
        <section id="summary"><h2>Summary</h2><p class="lead">\(HTML.escape(summary()))</p>
        <p class="lead"><strong>What this design can and cannot show.</strong> \(HTML.escape(EvaluationPage.designText))</p>
        <p class="sub">Disclosure control: following the Department for Education’s convention, a count of 1 to \(r.smallCount) series \
        (and a count from which one could be worked out by subtraction) is shown as “\(r.fewer)”; statistics that would reveal such \
        a count are not shown, and the survival curves are shown only at times that rest on at least \(r.smallCount + 1) series \
        (docs/evaluation.md).</p></section>

        """
        h += "<section id=\"cohorts\"><h2>Cohorts</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Cohorts\"><table class=\"compact\"><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Series</th><th scope=\"col\">With an outcome</th><th scope=\"col\">Reached a sustained score</th></tr></thead><tbody>"
        for k in 0..<2 {
            h += "<tr><th scope=\"row\">\(HTML.escape(names[k]))</th><td>\(count(r.series[k]))</td><td>\(count(r.withOutcome[k]))</td><td>\(count(r.events[k]))</td></tr>"
        }
        h += "</tbody></table></div><p class=\"sub\">Entry: \(HTML.escape(entryText())) Baseline: the first score on or after entry. Outcome: the last score on or before entry + \(spec.followUpDays) days, later than the baseline.</p>\n"
        h += availabilitySection() + "</section>\n"
        h += balanceSection()

        h += "<section id=\"effect\"><h2>Change from baseline to outcome</h2>"
        if let c = r.comparison {
            h += "<p class=\"sub\">Each panel has its own axis: the difference in mean change is in points of the scale, Hedges’ g in standard deviations (unitless). Change is counted in the scale’s better direction, so right of zero favours the programme (\(HTML.escape(names[0]))) and left of zero the comparison (\(HTML.escape(names[1]))).</p><div class=\"panels\">"
            let difference = EvaluationCharts.EffectPanel(
                title: "Difference in mean change, points", description: "Difference in mean change (programme minus comparison) \(fmt(c.difference)) points, 95% Welch interval \(fmt(c.differenceLow)) to \(fmt(c.differenceHigh)); right of zero favours the programme, left favours the comparison.",
                unit: "points", estimate: c.difference, low: c.differenceLow, high: c.differenceHigh)
            h += "<figure>\(difference.svg)<figcaption>Difference in mean change (points), 95% Welch interval</figcaption></figure>"
            if let g = r.gInterval {
                let panel = EvaluationCharts.EffectPanel(
                    title: "Hedges' g", description: "Hedges' g \(fmt(c.hedgesG)), 95% percentile bootstrap interval \(fmt(g.low)) to \(fmt(g.high)); right of zero favours the programme, left favours the comparison.",
                    unit: "standard deviations (unitless)", estimate: c.hedgesG, low: g.low, high: g.high)
                h += "<figure>\(panel.svg)<figcaption>Hedges’ g, 95% percentile bootstrap interval</figcaption></figure>"
            }
            h += "</div><table class=\"compact\"><thead><tr><th scope=\"col\">Statistic</th><th scope=\"col\">Value</th></tr></thead><tbody>"
            for (label, v) in [("Mean change, \(names[0])", c.mean1), ("Mean change, \(names[1])", c.mean2), ("Difference", c.difference),
                               ("95% interval (Welch), low", c.differenceLow), ("95% interval (Welch), high", c.differenceHigh),
                               ("Welch's t", c.t), ("Degrees of freedom", c.df), ("p-value (two-sided)", c.p), ("Hedges' g", c.hedgesG)] {
                h += "<tr><th scope=\"row\">\(HTML.escape(label))</th><td>\(HTML.escape(fmt(v)))</td></tr>"
            }
            if let g = r.gInterval { h += "<tr><th scope=\"row\">Hedges' g, 95% bootstrap interval</th><td>\(fmt(g.low)) to \(fmt(g.high))</td></tr>" }
            h += "</tbody></table>"
        } else {
            h += "<p>Not shown: \(HTML.escape(r.notes.first { $0.contains("change analyses") } ?? "too few series"))</p>"
        }
        h += "</section>\n" + survivalSection()
        h += "<section id=\"regression\"><h2>Regression</h2>"
        if let m = r.model {
            h += "<p class=\"lead\">Ordinary least squares of change on baseline, programme membership and engaged planned hours; standard errors clustered by case (CR1), t on \(m.clusters - 1) degrees of freedom; \(m.n) series in \(m.clusters) cases.</p>"
            h += "<p class=\"lead caveat\"><strong>Engaged planned hours are \(HTML.escape(EvaluationPage.postEntryCaveat)).</strong> They are counted from entry to the outcome, so help the programme led to is held constant; read the programme coefficient with that in mind.</p>"
            h += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Regression coefficients\"><table class=\"compact\"><thead><tr><th scope=\"col\">Term</th><th scope=\"col\">Coefficient</th><th scope=\"col\">SE (CR1)</th><th scope=\"col\">t</th><th scope=\"col\">p</th></tr></thead><tbody>"
            for (i, term) in m.names.enumerated() {
                h += "<tr><th scope=\"row\">\(HTML.escape(termLabel(term)))</th><td>\(fmt(m.coefficients[i]))</td><td>\(fmt(m.standardErrors[i]))</td><td>\(fmt(m.t[i]))</td><td>\(fmt(m.p[i]))</td></tr>"
            }
            h += "</tbody></table></div>"
        } else {
            h += "<p>Not shown: \(HTML.escape(r.notes.first { $0.contains("regression") } ?? "not fitted"))</p>"
        }
        if !r.notes.isEmpty { h += "<h3>Notes</h3><ul>" + r.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>" }
        h += "</section></main><footer><p>evaluation.csv and evaluation.json hold every figure shown here at full precision, with the same protection; record-level/cohorts.csv, in the restricted folder (record-level pseudonymised data, not for sharing), lists each series with its cohort, entry, baseline and outcome. Methods: docs/evaluation.md.</p></footer></body></html>\n"
        return h
    }

    /// A regression term as the page names it; engaged hours carry the post-entry caveat.
    func termLabel(_ term: String) -> String {
        switch term {
        case "const": return "Constant"
        case "programme": return "Programme (1) or comparison (0)"
        case "engaged_hours": return "\(DisplayName.of(term)) (\(EvaluationPage.postEntryCaveat))"
        default: return DisplayName.of(term)
        }
    }

    /// A protected count as the page shows it.
    func count(_ c: ProtectedCount) -> String {
        c.value.map { DisplayNumber.thousands($0) } ?? result.fewer
    }

    /// "p = 0.012" or "p < 0.0001".
    func pText(_ p: Double) -> String { p < 0.0001 ? "p < 0.0001" : "p = \(fmt(p))" }

    func fmt(_ v: Double) -> String {
        if v != 0 && abs(v) < 0.001 { return v < 0.0001 ? "<0.0001" : DisplayNumber.decimal(v, places: 4) }
        return DisplayNumber.decimal(v, places: 3)
    }

    func entryText() -> String {
        let p = result.spec.programme
        if let t = p.offeredType ?? p.offeredApproach?.rawValue {
            return "for \(names[0]), the first offer of \(DisplayName.of(t).lowercased())\(p.from.map { " from \($0)" } ?? "")\(p.to.map { " to \($0)" } ?? ""); for the comparison, \(result.spec.comparison.everyoneElse ? "the series' first score in the same period" : "as its filter says")."
        }
        return "the series' first score\(p.from.map { " from \($0)" } ?? "")\(p.to.map { " to \($0)" } ?? "")."
    }

    func summary() -> String {
        let r = result
        guard let c = r.comparison else { return "Too few series with an outcome to compare the cohorts." }
        var s = "Scores in the \(names[0]) cohort (\(count(r.withOutcome[0])) series with an outcome) moved by \(DisplayNumber.decimal(c.mean1, signed: true)) points on average, against \(DisplayNumber.decimal(c.mean2, signed: true)) in the \(names[1]) cohort (\(count(r.withOutcome[1]))): a difference of \(DisplayNumber.decimal(c.difference, signed: true)) (95% interval \(DisplayNumber.decimal(c.differenceLow, signed: true)) to \(DisplayNumber.decimal(c.differenceHigh, signed: true)); Hedges' g \(DisplayNumber.decimal(c.hedgesG, signed: true))"
        if let g = r.gInterval { s += ", bootstrap interval \(DisplayNumber.decimal(g.low, signed: true)) to \(DisplayNumber.decimal(g.high, signed: true))" }
        s += ")."
        s += c.p < 0.05 ? " The difference is unlikely to be chance alone (\(pText(c.p)))." : " The difference could well be chance (\(pText(c.p)))."
        if let lr = r.logRank { s += " Time to a sustained score: log-rank \(pText(lr.p))." }
        return s
    }
}
