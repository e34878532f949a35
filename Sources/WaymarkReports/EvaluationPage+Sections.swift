import WaymarkStats
import WaymarkEvaluation
import WaymarkDisclosure

/// The evaluation page's outcome availability, baseline balance and survival sections.
extension EvaluationPage {
    /// Per cohort: how many series have an outcome and, for the others, why not.
    func availabilitySection() -> String {
        let r = result
        var h = "<h3 id=\"availability\">Outcome availability</h3><p class=\"sub\">A series has an outcome when it was scored again after its baseline, on or before entry + \(r.spec.followUpDays) days. The others are counted here by reason; they are left out of the change analyses and the regression but kept in the survival analysis.</p>"
        h += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Outcome availability by cohort\"><table class=\"compact availability\"><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Series</th><th scope=\"col\">With an outcome</th>"
        for reason in MissingOutcome.allCases { h += "<th scope=\"col\">\(HTML.escape(EvaluationPage.reasonText(reason)))</th>" }
        h += "</tr></thead><tbody>"
        for k in 0..<2 {
            h += "<tr><th scope=\"row\">\(HTML.escape(names[k]))</th><td>\(count(r.series[k]))</td><td>\(count(r.withOutcome[k]))</td>"
            for c in r.missingOutcome[k] { h += "<td>\(count(c))</td>" }
            h += "</tr>"
        }
        return h + "</tbody></table></div>"
    }

    /// The baseline balance table: per covariate and cohort the mean (SD) or share, and the standardised mean difference.
    func balanceSection() -> String {
        let r = result
        guard !r.balance.isEmpty else { return "" }
        var h = "<section id=\"balance\"><h2>Baseline balance</h2><p class=\"lead\">How alike the cohorts were at entry. For each covariate: the mean and standard deviation per cohort, or for each level the share of the cohort’s series; and the standardised mean difference (SMD: the difference in means over the pooled SD √((s₁² + s₂²)/2), or for a share (p₁ − p₂)/√((p₁(1 − p₁) + p₂(1 − p₂))/2)). An |SMD| above \(DisplayNumber.decimal(StandardizedDifference.threshold, places: 1)) is marked as imbalanced (Austin 2009’s convention). Imbalanced covariates make the unadjusted comparisons, the survival curves included, hard to read as effects of the programme.</p>"
        h += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Baseline balance\"><table class=\"compact balance\"><thead><tr><th scope=\"col\">Covariate</th><th scope=\"col\">\(HTML.escape(names[0]))</th><th scope=\"col\">\(HTML.escape(names[1]))</th><th scope=\"col\">SMD</th><th scope=\"col\">Balance</th></tr></thead><tbody>"
        var anyWithheld = false
        for row in r.balance {
            var label = DisplayName.of(row.covariate)
            if row.kind == .proportion { label += ": " + DisplayName.of(row.level) }
            if row.measuredAfterEntry { label += " (\(EvaluationPage.postEntryCaveat))" }
            h += "<tr><th scope=\"row\">\(HTML.escape(label))</th>"
            for k in 0..<2 {
                anyWithheld = anyWithheld || row.withheld[k]
                h += "<td>\(HTML.escape(balanceCell(row, k)))</td>"
            }
            let smd = row.smd.map { DisplayNumber.decimal($0, signed: true) } ?? StatusWords.notShown
            let verdict = row.smd == nil ? "" : row.imbalanced ? "<span class=\"imbalanced\">imbalanced</span>" : "balanced"
            h += "<td>\(smd)</td><td>\(verdict)</td></tr>"
        }
        h += "</tbody></table></div><p class=\"sub\">Baseline score: every series of the cohort. Days open: series whose case has an episode opened on or before entry (the latest such). Age band, sex, ethnicity group and disability: series about one child (children.csv). Engaged planned hours: series with an outcome, counted from entry to the outcome, so \(HTML.escape(EvaluationPage.postEntryCaveat)); it describes the help received, not a difference at entry."
        if anyWithheld {
            h += " “not shown”: the figure rests on fewer than \(r.minDenominator) series, or on a level holding (or leaving out) \(r.fewer) series, or would let such a level be worked out (disclosure control)."
        }
        return h + "</p></section>\n"
    }

    /// "5.13 (SD 1.20)", "42%", or "not shown".
    func balanceCell(_ row: ProtectedBalanceRow, _ k: Int) -> String {
        guard let v = row.mean[k] else { return StatusWords.notShown }
        if row.kind == .proportion { return DisplayNumber.percent(v) }
        return DisplayNumber.decimal(v) + (row.sd[k].map { " (SD \(DisplayNumber.decimal($0)))" } ?? "")
    }

    /// The Kaplan-Meier chart with its bands, the numbers at risk under it, the block table and the log-rank test.
    func survivalSection() -> String {
        let r = result, risk = r.risk
        var h = "<section id=\"survival\"><h2>Time to a sustained score</h2>"
        let curves = r.survival.enumerated().map { k, curve in
            EvaluationCharts.SurvivalChart.Curve(name: names[k], points: curve.points.map { ($0.time, $0.survival, $0.lower, $0.upper) },
                                                 flat: curve.points.isEmpty && r.events[k] == .shown(0))
        }
        let chart = EvaluationCharts.SurvivalChart(
            title: "Kaplan-Meier: share not yet sustained",
            description: "Share of series in each cohort that have not yet reached a sustained score, by months since entry, with shaded 95% intervals; lower curves reach sustained scores sooner. Each curve stops at the last time that rests on at least \(r.smallCount + 1) series. The numbers at risk are in the table under the chart.",
            curves: curves, ticks: risk.days, monthsPerTick: risk.monthsPerTick)
        h += "<figure>\(chart.svg)</figure>"
        h += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Numbers at risk\"><table class=\"compact at-risk\"><caption>Numbers at risk (series followed and not yet sustained)</caption><thead><tr><th scope=\"col\">Months since entry</th>"
        for i in risk.days.indices { h += "<th scope=\"col\">\(i * risk.monthsPerTick)</th>" }
        h += "</tr></thead><tbody>"
        for k in 0..<2 {
            h += "<tr><th scope=\"row\">\(HTML.escape(names[k]))</th>"
            for (i, c) in risk.atRisk[k].enumerated() { h += "<td>\(risk.withheldByDifference[k][i] ? StatusWords.notShown : count(c))</td>" }
            h += "</tr>"
        }
        let differenced = risk.withheldByDifference.joined().contains(true)
        h += "</tbody></table></div><p class=\"sub\">A month is 30.4375 days (365.25 / 12); at risk at a tick means still followed on that day and not yet sustained. Each curve steps only at the times in the table below, where at least \(r.smallCount + 1) sustained scores close a block; the shaded band is the pointwise 95% interval (Greenwood, log(−log) transform).\(differenced ? " “not shown”: the count differs by 1 to \(r.smallCount) from a neighbouring published count of the same cohort, so showing it would reveal how few series left in between (disclosure control)." : "")</p>"
        h += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Kaplan-Meier table\"><table class=\"compact\"><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Day</th><th scope=\"col\">At risk at the start of the period</th><th scope=\"col\">Sustained in the period</th><th scope=\"col\">Censored in the period</th><th scope=\"col\">Not yet sustained</th><th scope=\"col\">95% interval</th></tr></thead><tbody>"
        for (k, curve) in r.survival.enumerated() {
            for p in curve.points {
                let ci = p.lower.flatMap { lo in p.upper.map { "\(fmt(lo)) to \(fmt($0))" } } ?? ""
                h += "<tr><th scope=\"row\">\(HTML.escape(names[k]))</th><td>\(DisplayNumber.thousands(Int(p.time)))</td><td>\(DisplayNumber.thousands(p.atRisk))</td><td>\(DisplayNumber.thousands(p.events))</td><td>\(DisplayNumber.thousands(p.censored))</td><td>\(fmt(p.survival))</td><td>\(ci)</td></tr>"
            }
            if curve.points.isEmpty { h += "<tr><th scope=\"row\">\(HTML.escape(names[k]))</th><td colspan=\"6\">not shown: too few series or sustained scores (disclosure control)</td></tr>" }
        }
        h += "</tbody></table></div>"
        if let lr = r.logRank { h += "<p>Log-rank test: χ² = \(fmt(lr.statistic)) on 1 degree of freedom, \(pText(lr.p)).</p>" }
        return h + "</section>\n"
    }
}
