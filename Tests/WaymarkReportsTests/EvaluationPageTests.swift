import Foundation
import Testing
import WaymarkCore
import WaymarkMethods
import WaymarkStats
import WaymarkDisclosure
import WaymarkEvaluation
@testable import WaymarkReports

/// evaluation.html on hand-made cohorts (small_count 2, min_denominator 5): the
/// balance table against hand-worked values, outcome availability, the
/// post-entry caveat, the effect panels, the Kaplan-Meier chart with its
/// numbers at risk, readable labels, legible chart text, and nothing
/// suppressed leaking.
@Suite struct EvaluationPageTests {
    /// Programme (12 series): baselines alternate 3 and 5 (mean 4, variance 12/11), all with an outcome
    /// (change 1 + i mod 3), teams A x6, B x4, C x2, sustained at days 30-100 for the first 8.
    /// Comparison (10): baselines alternate 2 and 4 (mean 3, variance 10/9), 7 with an outcome (change
    /// i mod 2) and 3 whose follow-up is not over, teams A x5, B x5, sustained at days 60-120 for 4.
    static func protected() -> ProtectedEvaluation {
        var members: [CohortMember] = [], traits: [MemberTraits] = []
        for i in 0..<12 {
            let b = i % 2 == 0 ? 3.0 : 5.0
            members.append(CohortMember(series: i, cohort: 0, entry: 0, baselineDay: 0, baseline: b, outcomeDay: 100,
                                        outcome: b + 1 + Double(i % 3), engagedHours: Double(i), time: i < 8 ? Int32(30 + 10 * i) : 200,
                                        sustained: i < 8))
            traits.append(MemberTraits(team: i < 6 ? "A" : i < 10 ? "B" : "C", level: MemberTraits.child))
        }
        for j in 0..<10 {
            let b = j % 2 == 0 ? 2.0 : 4.0, measured = j < 7
            members.append(CohortMember(series: 12 + j, cohort: 1, entry: 0, baselineDay: 0, baseline: b, outcomeDay: measured ? 100 : nil,
                                        outcome: measured ? b + Double(j % 2) : nil, engagedHours: Double(j % 3), time: j < 4 ? Int32(60 + 20 * j) : Int32(150 + j),
                                        sustained: j < 4, missingOutcome: measured ? nil : .followUpNotOver))
            traits.append(MemberTraits(team: j < 5 ? "A" : "B", level: MemberTraits.child))
        }
        var spec = EvaluationSpec()
        spec.programme.name = "family_group_conference"
        spec.comparison.name = "everyone_else"
        spec.bootstrap = 200
        let r = EvaluationEngine.statistics(members, clusterOf: { $0.series }, spec: spec, scale: "safety", rater: .practitioner,
                                            asOf: Day(iso: "2026-10-31")!, hasThreshold: true, traits: traits)
        return EvaluationDisclosure.protect(r, smallCount: 2, minDenominator: 5)
    }

    @Test func theBalanceTableAgainstHandWorkedValues() throws {
        let p = Self.protected()
        let baseline = try #require(p.balance.first { $0.covariate == "baseline" })
        // SMD = (4 - 3) / sqrt((12/11 + 10/9) / 2) = 0.953.
        let smd = 1 / ((12.0 / 11 + 10.0 / 9) / 2).squareRoot()
        #expect(abs(try #require(baseline.smd) - smd) < 1e-12 && baseline.imbalanced)
        #expect(abs(baseline.sd[0]! - (12.0 / 11).squareRoot()) < 1e-12 && abs(baseline.sd[1]! - (10.0 / 9).squareRoot()) < 1e-12)
        let html = EvaluationPage(result: p, pipeline: "test").render()
        #expect(html.contains("<section id=\"balance\">"))
        #expect(html.contains("<tr><th scope=\"row\">Baseline score</th><td>4.00 (SD 1.04)</td><td>3.00 (SD 1.05)</td><td>+0.95</td><td><span class=\"imbalanced\">imbalanced</span></td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Team: A</th><td>50%</td><td>50%</td><td>0.00</td><td>balanced</td></tr>"))
        // Team C: 2 programme series, small: withheld, and team B (4) with it; the comparison's 0% is shown.
        #expect(html.contains("<tr><th scope=\"row\">Team: C</th><td>not shown</td><td>0%</td><td>not shown</td><td></td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">Team: B</th><td>not shown</td><td>50%</td><td>not shown</td><td></td></tr>"))
        #expect(!html.contains("17%") && !html.contains("33%"))
        #expect(html.contains("Austin 2009"))
    }

    @Test func availabilityCaveatAndReadableLabels() {
        let html = EvaluationPage(result: Self.protected(), pipeline: "test").render()
        #expect(html.contains("<h3 id=\"availability\">Outcome availability</h3>"))
        #expect(html.contains("<tr><th scope=\"row\">Everyone else</th><td>10</td><td>7</td><td>3</td><td>0</td><td>0</td></tr>"))
        // Engaged hours are measured after entry: said in the design text, the balance table and the regression.
        let caveat = "measured after entry: adjusting for it can hide part of the programme's effect"
        #expect(html.components(separatedBy: HTML.escape(caveat)).count - 1 >= 4)
        #expect(html.contains("Engaged planned hours (\(HTML.escape(caveat)))</th><td>"))   // the balance row and the regression term
        let regression = html.components(separatedBy: "<section id=\"regression\">")[1]
        #expect(regression.contains("Engaged planned hours are \(HTML.escape(caveat))"))
        #expect(!EvaluationPage.designText.contains("engaged hours only"))
        // No raw identifiers: the cohorts, the scale and the rater read as words.
        #expect(!html.contains("family_group_conference") && !html.contains("everyone_else") && !html.contains("engaged_hours"))
        #expect(html.contains("<h1>Family group conference compared with Everyone else</h1>") && html.contains("Safety scale, rated by: Practitioner"))
        #expect(DisplayName.of("family_group_conference") == "Family group conference" && DisplayName.of("0-4") == "0-4")
        #expect(DisplayName.of("unknown") == "Not recorded" && DisplayName.of("partner_agency") == "Partner agency")
    }

    @Test func effectPanelsKaplanMeierAndNumbersAtRisk() throws {
        let p = Self.protected()
        let c = try #require(p.comparison)
        let html = EvaluationPage(result: p, pipeline: "test").render()
        // Two panels, each with its own axis and visible favours labels; the estimate lies right of zero
        // (the programme's mean change 2 against 3/7).
        #expect(abs(c.difference - (2 - 3.0 / 7)) < 1e-12)
        let panel = EvaluationCharts.EffectPanel(title: "t", description: "d", unit: "points", estimate: c.difference, low: c.differenceLow, high: c.differenceHigh)
        #expect(panel.x(0) == 160 && panel.x(c.difference) > 160)
        #expect(html.components(separatedBy: "class=\"favours\">favours programme \u{2192}</text>").count == 3)
        #expect(html.components(separatedBy: "class=\"favours\">\u{2190} favours comparison</text>").count == 3)
        #expect(html.contains("standard deviations (unitless)"))
        // Kaplan-Meier: y label, month ticks, one band per shown curve, the numbers at risk under it.
        #expect(html.contains(">Not yet sustained</text>") && html.contains(">Months since entry</text>"))
        #expect(html.components(separatedBy: "<polygon class=\"band\"").count == 3)
        #expect(p.survival[0].points.map(\.time) == [50, 80] && p.survival[1].points.map(\.time) == [100])
        #expect(p.risk.monthsPerTick == 3 && p.risk.days == [0, 91.3125, 182.625])   // the last shown day, 100, is in month 4: ticks 0, 3, 6
        #expect(html.contains("<caption>Numbers at risk (series followed and not yet sustained)</caption>"))
        // By hand. Programme: 12 at entry; from day 92, the series sustained at day 100 and the 4 censored at 200: 5;
        // from day 183: 4. The table publishes 6 left after its block at day 80, so 5 and 4 (1 and 2 fewer) are withheld.
        // Comparison: 10; from day 92: 8 (2 fewer than 10: withheld); from day 183: 0 (7 fewer than the 7 left after day 100).
        #expect(p.risk.atRisk[0] == [.shown(12), .suppressed, .suppressed] && p.risk.withheldByDifference[0] == [false, true, true])
        #expect(p.risk.atRisk[1] == [.shown(10), .suppressed, .shown(0)] && p.risk.withheldByDifference[1] == [false, true, false])
        #expect(html.contains("<tr><th scope=\"row\">Everyone else</th><td>10</td><td>not shown</td><td>0</td></tr>"))
        // Nothing small leaks into the risk table: every cell is "fewer than 3", "not shown" or a count 0 or above 2.
        let table = html.components(separatedBy: "class=\"compact at-risk\"")[1].components(separatedBy: "</table>")[0]
        let cells = table.components(separatedBy: "<td>").dropFirst().map { $0.components(separatedBy: "</td>")[0] }
        #expect(!cells.isEmpty && cells.allSatisfy { Int($0).map { $0 == 0 || $0 > 2 } ?? ($0 == "fewer than 3" || $0 == "not shown") })
    }

    /// Every text in the evaluation charts is at least 14 units on a 320-unit view box: at 12 px or more on a
    /// 320 px screen (280 px of chart after the page's 20 px margins).
    @Test func chartTextStaysLegibleAt320Pixels() throws {
        let html = EvaluationPage(result: Self.protected(), pipeline: "test").render()
        let charts = html.components(separatedBy: "<svg class=\"chart eval-chart\"").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(charts.count == 3)
        for chart in charts {
            #expect(chart.contains("viewBox=\"0 0 320 ") && chart.contains("role=\"img\"") && chart.contains("<title") && chart.contains("<desc"))
            let sizes = chart.components(separatedBy: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
            #expect(!sizes.isEmpty && sizes.allSatisfy { $0 * 280 / 320 >= 12 })
        }
        #expect(!html.contains("<script"))
    }
}
