import WaymarkCore

/// The evaluation page's charts, as inline SVG like the report's (no
/// scripts; `role="img"` with a title and a text description; Okabe-Ito
/// colours). They are drawn on a 320-unit-wide view box with text of at
/// least 14 units, so text stays at 12 px or more when the page is 320 px
/// wide (280 px of chart); `EvaluationCharts.css` caps their width on wide
/// screens.
public enum EvaluationCharts {
    /// View-box width of every evaluation chart.
    public static let width = 320.0
    /// The smallest font size used in the charts, in view-box units.
    public static let minimumFontSize = 14

    /// Extra CSS for the evaluation page only (the report's CSS is shared).
    public static let css = """
    svg.eval-chart{width:100%;max-width:440px;height:auto;display:block}
    .panels{display:flex;flex-wrap:wrap;gap:8px 24px}.panels figure{flex:1 1 260px;max-width:440px;margin:8px 0}
    figcaption{font-size:13px}
    .imbalanced{font-weight:700}
    """

    /// The opening of a chart: an `img` role labelled by its title and text description.
    static func header(title: String, description: String, height: Double) -> String {
        let id = HTML.slug(title)
        return "<svg class=\"chart eval-chart\" role=\"img\" aria-labelledby=\"t-\(id) d-\(id)\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
            + "<title id=\"t-\(id)\">\(HTML.escape(title))</title><desc id=\"d-\(id)\">\(HTML.escape(description))</desc>"
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "middle", size: Int = minimumFontSize, fill: String = SVG.ink,
                     extra: String = "") -> String {
        "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" fill=\"\(fill)\"\(extra)>\(HTML.escape(s))</text>"
    }

    /// Kaplan-Meier curves with their 95% bands: each curve steps from 1 at
    /// time 0 down to its shown points and stops at its last one (or runs
    /// flat to the axis end when `flat`); the band steps with it. The x axis
    /// is in months (ticks given in days), the y axis the share not yet
    /// sustained.
    public struct SurvivalChart {
        /// One cohort's curve: its shown points, or flat when it has no events.
        public struct Curve {
            public var name: String
            /// (days, survival, lower, upper) at each shown time.
            public var points: [(time: Double, survival: Double, lower: Double?, upper: Double?)]
            /// No events: a flat line at 100% to the end of the axis.
            public var flat: Bool
            public init(name: String, points: [(time: Double, survival: Double, lower: Double?, upper: Double?)], flat: Bool) {
                self.name = name; self.points = points; self.flat = flat
            }
        }
        public var title: String
        public var description: String
        public var curves: [Curve]
        /// Tick times in days, from 0; `monthsPerTick` months apart.
        public var ticks: [Double]
        public var monthsPerTick: Int
        let left = 56.0, right = 14.0, top = 12.0, plotHeight = 180.0
        public var height: Double { top + plotHeight + 62 + 22 * Double(curves.count + 1) }

        public init(title: String, description: String, curves: [Curve], ticks: [Double], monthsPerTick: Int) {
            self.title = title; self.description = description; self.curves = curves; self.ticks = ticks; self.monthsPerTick = monthsPerTick
        }

        public var xMax: Double { max(1, ticks.last ?? 1) }
        public func x(_ v: Double) -> Double { SVG.scale(min(v, xMax), from: 0, xMax, to: left, EvaluationCharts.width - right) }
        public func y(_ v: Double) -> Double { SVG.scale(v, from: 0, 1, to: top + plotHeight, top) }

        /// A step function's vertices from (0, 1): at each time a drop to its value; then flat to `end`.
        func steps(_ values: [(Double, Double)], end: Double) -> [(Double, Double)] {
            var pts = [(x(0), y(1))], last = 1.0
            for (t, v) in values {
                pts.append((x(t), y(last)))
                pts.append((x(t), y(v)))
                last = v
            }
            pts.append((x(end), y(last)))
            return pts
        }

        /// The polyline of each curve.
        public var paths: [[(Double, Double)]] {
            curves.map { c in
                c.flat ? [(x(0), y(1)), (x(xMax), y(1))]
                    : c.points.isEmpty ? [] : steps(c.points.map { ($0.time, $0.survival) }, end: c.points.last!.time)
            }
        }

        /// The band of each curve: the upper steps forward, then the lower steps back.
        public var bands: [[(Double, Double)]] {
            curves.map { c in
                guard let end = c.points.last?.time, !c.flat else { return [] }
                let upper = steps(c.points.map { ($0.time, $0.upper ?? $0.survival) }, end: end)
                let lower = steps(c.points.map { ($0.time, $0.lower ?? $0.survival) }, end: end)
                return upper + lower.reversed()
            }
        }

        public var svg: String {
            let w = EvaluationCharts.width
            var out = EvaluationCharts.header(title: title, description: description, height: height)
            for k in 0...4 {
                let v = Double(k) / 4, yy = y(v)
                out += "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(w - right))\" y1=\"\(SVG.n(yy))\" y2=\"\(SVG.n(yy))\" stroke=\"#d9d9d9\"/>"
                out += EvaluationCharts.text(DisplayNumber.percent(v), x: left - 6, y: yy + 5, anchor: "end", fill: SVG.muted)
            }
            let midY = top + plotHeight / 2
            out += EvaluationCharts.text("Not yet sustained", x: 16, y: midY, extra: " transform=\"rotate(-90 16 \(SVG.n(midY)))\"")
            for (i, t) in ticks.enumerated() {
                out += "<line x1=\"\(SVG.n(x(t)))\" x2=\"\(SVG.n(x(t)))\" y1=\"\(SVG.n(top + plotHeight))\" y2=\"\(SVG.n(top + plotHeight + 5))\" stroke=\"\(SVG.muted)\"/>"
                out += EvaluationCharts.text(String(i * monthsPerTick), x: x(t), y: top + plotHeight + 22, fill: SVG.muted)
            }
            out += EvaluationCharts.text("Months since entry", x: (left + w - right) / 2, y: top + plotHeight + 44)
            for (k, band) in bands.enumerated() where !band.isEmpty {
                out += "<polygon class=\"band\" fill=\"\(SVG.palette[k % SVG.palette.count])\" fill-opacity=\"0.15\" stroke=\"none\" points=\""
                out += band.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ") + "\"/>"
            }
            for (k, pts) in paths.enumerated() where !pts.isEmpty {
                let dash = k == 0 ? "" : " stroke-dasharray=\"6 3\""
                out += "<polyline fill=\"none\" stroke=\"\(SVG.palette[k % SVG.palette.count])\" stroke-width=\"2\"\(dash) points=\""
                out += pts.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ") + "\"/>"
            }
            let legendY = top + plotHeight + 66
            for (k, c) in curves.enumerated() {
                let ly = legendY + 22 * Double(k), colour = SVG.palette[k % SVG.palette.count]
                out += "<line x1=\"\(SVG.n(left - 40))\" x2=\"\(SVG.n(left - 14))\" y1=\"\(SVG.n(ly - 5))\" y2=\"\(SVG.n(ly - 5))\" stroke=\"\(colour)\" stroke-width=\"2\"\(k == 0 ? "" : " stroke-dasharray=\"6 3\"")/>"
                out += EvaluationCharts.text(c.name, x: left - 8, y: ly, anchor: "start")
            }
            let bandY = legendY + 22 * Double(curves.count)
            out += "<rect x=\"\(SVG.n(left - 40))\" y=\"\(SVG.n(bandY - 12))\" width=\"26\" height=\"10\" fill=\"\(SVG.muted)\" fill-opacity=\"0.25\"/>"
            out += EvaluationCharts.text("Shaded: 95% interval", x: left - 8, y: bandY, anchor: "start")
            return out + "</svg>"
        }
    }

    /// One estimate with its 95% interval on its own axis, symmetric around a
    /// zero line, with visible labels saying which side favours which cohort
    /// (on two lines, so they never overlap at 320 px).
    /// The estimates are programme minus comparison on the oriented scale
    /// (higher is better, M1), so right of zero favours the programme.
    public struct EffectPanel {
        public var title: String
        public var description: String
        /// The axis' unit, under the ticks ("points", "standard deviations").
        public var unit: String
        public var estimate: Double, low: Double, high: Double
        let left = 14.0, right = 14.0, axisY = 44.0
        public let height = 146.0

        public init(title: String, description: String, unit: String, estimate: Double, low: Double, high: Double) {
            self.title = title; self.description = description; self.unit = unit
            self.estimate = estimate; self.low = low; self.high = high
        }

        /// The axis runs from -extent to +extent: 15% beyond the farthest of the estimate and its interval.
        public var extent: Double { max(0.05, abs(low), abs(high), abs(estimate)) * 1.15 }
        public func x(_ v: Double) -> Double { SVG.scale(v, from: -extent, extent, to: left, EvaluationCharts.width - right) }

        public var svg: String {
            let w = EvaluationCharts.width
            var out = EvaluationCharts.header(title: title, description: description, height: height)
            out += "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(w - right))\" y1=\"\(SVG.n(axisY + 22))\" y2=\"\(SVG.n(axisY + 22))\" stroke=\"\(SVG.muted)\"/>"
            out += "<line class=\"zero\" x1=\"\(SVG.n(x(0)))\" x2=\"\(SVG.n(x(0)))\" y1=\"8\" y2=\"\(SVG.n(axisY + 26))\" stroke=\"\(SVG.ink)\" stroke-width=\"1.5\"/>"
            for v in [-extent / 1.15, 0, extent / 1.15] {
                let anchor = v < 0 ? "start" : v > 0 ? "end" : "middle"
                let xx = v < 0 ? max(left, x(v) - 20) : v > 0 ? min(w - right, x(v) + 20) : x(v)
                out += "<line x1=\"\(SVG.n(x(v)))\" x2=\"\(SVG.n(x(v)))\" y1=\"\(SVG.n(axisY + 22))\" y2=\"\(SVG.n(axisY + 27))\" stroke=\"\(SVG.muted)\"/>"
                out += EvaluationCharts.text(DisplayNumber.decimal(v, signed: true), x: xx, y: axisY + 44, anchor: anchor, fill: SVG.muted)
            }
            out += "<line x1=\"\(SVG.n(x(low)))\" x2=\"\(SVG.n(x(high)))\" y1=\"\(SVG.n(axisY))\" y2=\"\(SVG.n(axisY))\" stroke=\"\(SVG.palette[0])\" stroke-width=\"3\"/>"
            for v in [low, high] {
                out += "<line x1=\"\(SVG.n(x(v)))\" x2=\"\(SVG.n(x(v)))\" y1=\"\(SVG.n(axisY - 7))\" y2=\"\(SVG.n(axisY + 7))\" stroke=\"\(SVG.palette[0])\" stroke-width=\"2\"/>"
            }
            out += "<rect x=\"\(SVG.n(x(estimate) - 6))\" y=\"\(SVG.n(axisY - 6))\" width=\"12\" height=\"12\" fill=\"\(SVG.palette[0])\"/>"
            out += EvaluationCharts.text(unit, x: w / 2, y: axisY + 64, fill: SVG.muted)
            out += EvaluationCharts.text("\u{2190} favours comparison", x: left, y: axisY + 80, anchor: "start", extra: " class=\"favours\"")
            out += EvaluationCharts.text("favours programme \u{2192}", x: w - right, y: axisY + 98, anchor: "end", extra: " class=\"favours\"")
            return out + "</svg>"
        }
    }
}
