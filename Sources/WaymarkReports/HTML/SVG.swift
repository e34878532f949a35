import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// The report's charts as inline SVG (no scripts, no external requests):
/// line chart, sparkline, bar chart and heat map. Each chart has a title and a
/// text alternative (`role="img"`, `<title>`, `<desc>`) and uses the
/// colour-blind-safe Okabe-Ito palette. The geometry is exposed (`points`,
/// `bars`, `cells`) so tests can check it without parsing SVG.
public enum SVG {
    /// Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9"]
    /// Text colour that passes WCAG AA on white.
    public static let ink = "#1a1a1a"
    public static let muted = "#595959"

    /// Maps values in [lo, hi] onto [a, b]; a flat range maps to the middle.
    public static func scale(_ v: Double, from lo: Double, _ hi: Double, to a: Double, _ b: Double) -> Double {
        hi > lo ? a + (v - lo) / (hi - lo) * (b - a) : (a + b) / 2
    }

    /// One legend line per series, from (x, y) down: a stroke in the series' colour and dash, then its name.
    static func legend(_ names: [String], x: Double, y: Double, dash: (Int) -> String) -> String {
        var out = ""
        for (k, name) in names.enumerated() {
            let ly = y + 18 * Double(k)
            out += "<line x1=\"\(n(x))\" x2=\"\(n(x + 22))\" y1=\"\(n(ly))\" y2=\"\(n(ly))\" stroke=\"\(palette[k % palette.count])\" stroke-width=\"2\"\(dash(k))/>"
            out += "<text x=\"\(n(x + 28))\" y=\"\(n(ly + 4))\" font-size=\"11\" fill=\"\(ink)\">\(HTML.escape(name))</text>"
        }
        return out
    }

    /// The smallest share of its drawn size a chart may shrink to.
    public static let minimumScale = 0.9

    /// The opening of a chart: an `img` role labelled by its title and text description.
    static func header(title: String, description: String, width: Double, height: Double) -> String {
        let id = HTML.slug(title)
        // Never drawn below 90% of its own size: its 10-12 unit text stays at 9 px or
        // more on a phone, and its figure scrolls instead (HTML.figureOpen).
        return "<svg class=\"chart\" role=\"img\" aria-labelledby=\"t-\(id) d-\(id)\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" style=\"min-width:\(Int(width * minimumScale))px\">"
            + "<title id=\"t-\(id)\">\(HTML.escape(title))</title><desc id=\"d-\(id)\">\(HTML.escape(description))</desc>"
    }

    static func n(_ v: Double) -> String { DisplayNumber.decimal(v, places: 1) .replacingOccurrences(of: "\u{2212}", with: "-") }

    /// A tiny trend line: `values` (nil = not published) over a w x h box; the
    /// last published value is marked with a dot.
    public struct Sparkline {
        public var values: [Double?]
        public var width = 96.0, height = 24.0
        public var label: String
        /// The value range the box spans; nil = the values' own range. Give
        /// one range to the sparklines of a column so they compare fairly.
        public var range: ClosedRange<Double>?
        /// Indices of values revised since first published: ringed.
        public var revised: Set<Int> = []

        public init(values: [Double?], label: String, range: ClosedRange<Double>? = nil, revised: Set<Int> = []) {
            self.values = values; self.label = label; self.range = range; self.revised = revised
        }

        /// (x, y) per published value, y downwards, 2 px inside the box.
        public var points: [(Double, Double)] {
            let known = values.compactMap { $0 }
            guard let lo = range?.lowerBound ?? known.min(), let hi = range?.upperBound ?? known.max() else { return [] }
            return values.enumerated().compactMap { i, v in
                v.map { (SVG.scale(Double(i), from: 0, Double(max(1, values.count - 1)), to: 2, width - 2),
                         SVG.scale($0, from: lo, hi, to: height - 2, 2)) }
            }
        }

        public var svg: String {
            let pts = points
            var out = "<svg class=\"spark\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
            out += "<title>\(HTML.escape(label))</title>"
            if pts.count >= 2 {
                out += "<polyline fill=\"none\" stroke=\"\(SVG.palette[0])\" stroke-width=\"1.5\" points=\""
                out += pts.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ") + "\"/>"
            }
            if let last = pts.last { out += "<circle cx=\"\(SVG.n(last.0))\" cy=\"\(SVG.n(last.1))\" r=\"2.5\" fill=\"\(SVG.palette[0])\"/>" }
            var k = 0
            for (i, v) in values.enumerated() where v != nil {
                if revised.contains(i) {
                    out += "<circle class=\"revised\" cx=\"\(SVG.n(pts[k].0))\" cy=\"\(SVG.n(pts[k].1))\" r=\"4\" fill=\"none\" stroke=\"\(SVG.palette[1])\" stroke-width=\"1.5\"><title>revised since first published</title></circle>"
                }
                k += 1
            }
            return out + "</svg>"
        }
    }

    /// A line chart of one or more series over labelled x positions, with a y
    /// axis from `yMin` to `yMax` (proportions show as percentages).
    public struct LineChart {
        public struct Line { public var name: String; public var values: [Double?]
            /// Indices of values revised since first published: ringed.
            public var revised: Set<Int> = []
            public init(name: String, values: [Double?], revised: Set<Int> = []) { self.name = name; self.values = values; self.revised = revised } }
        public var title: String
        public var description: String
        public var xLabels: [String]
        public var lines: [Line]
        public var yMin: Double, yMax: Double
        public var percent: Bool
        /// Vertical markers (milestones) at fractional x positions, with their labels.
        public var markers: [(x: Double, label: String)] = []
        public var width = 560.0
        let left = 48.0, right = 34.0, top = 12.0, plotHeight = 180.0
        /// Room for the x labels and one legend line per series (when there are several).
        var bottom: Double { 28 + (lines.count > 1 ? 18 * Double(lines.count) : 0) }
        public var height: Double { top + plotHeight + bottom }

        public init(title: String, description: String, xLabels: [String], lines: [Line], yMin: Double, yMax: Double, percent: Bool) {
            self.title = title; self.description = description; self.xLabels = xLabels; self.lines = lines
            self.yMin = yMin; self.yMax = yMax; self.percent = percent
        }

        public func x(_ i: Int) -> Double { SVG.scale(Double(i), from: 0, Double(max(1, xLabels.count - 1)), to: left, width - right) }
        public func y(_ v: Double) -> Double { SVG.scale(v, from: yMin, yMax, to: top + plotHeight, top) }

        /// Plotted (x, y) per line, published values only.
        public var points: [[(Double, Double)]] {
            lines.map { line in line.values.enumerated().compactMap { i, v in v.map { (x(i), y($0)) } } }
        }

        public var svg: String {
            var out = SVG.header(title: title, description: description, width: width, height: height)
            for k in 0...4 {
                let v = yMin + (yMax - yMin) * Double(k) / 4
                let yy = y(v)
                out += "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(width - right))\" y1=\"\(SVG.n(yy))\" y2=\"\(SVG.n(yy))\" stroke=\"#d9d9d9\"/>"
                let text = percent ? DisplayNumber.percent(v) : DisplayNumber.decimal(v, places: yMax - yMin <= 2 ? 2 : 1)
                out += "<text x=\"\(SVG.n(left - 6))\" y=\"\(SVG.n(yy + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"\(SVG.muted)\">\(text)</text>"
            }
            for (k, m) in markers.enumerated() {
                let xx = SVG.scale(m.x, from: 0, Double(max(1, xLabels.count - 1)), to: left, width - right)
                out += "<line class=\"milestone\" x1=\"\(SVG.n(xx))\" x2=\"\(SVG.n(xx))\" y1=\"\(SVG.n(top))\" y2=\"\(SVG.n(top + plotHeight))\" stroke=\"\(SVG.ink)\" stroke-dasharray=\"2 3\"><title>\(HTML.escape(m.label))</title></line>"
                out += "<text x=\"\(SVG.n(xx + 3))\" y=\"\(SVG.n(top + 10 + Double(k % 3) * 12))\" font-size=\"10\" fill=\"\(SVG.ink)\">\(HTML.escape(m.label))</text>"
            }
            let step = max(1, xLabels.count / 12)
            for (i, label) in xLabels.enumerated() where (xLabels.count - 1 - i) % (step * 2 > xLabels.count ? 1 : step) == 0 && (step > 1 || i % 2 == (xLabels.count - 1) % 2) {
                out += "<text x=\"\(SVG.n(x(i)))\" y=\"\(SVG.n(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(SVG.muted)\">\(HTML.escape(label))</text>"
            }
            for (k, pts) in points.enumerated() {
                let colour = SVG.palette[k % SVG.palette.count]
                let dash = k == 0 ? "" : " stroke-dasharray=\"\(k * 3 + 2) 3\""
                if pts.count >= 2 {
                    out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) points=\""
                    out += pts.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ") + "\"/>"
                }
                for p in pts { out += "<circle cx=\"\(SVG.n(p.0))\" cy=\"\(SVG.n(p.1))\" r=\"3\" fill=\"\(colour)\"/>" }
                for i in lines[k].revised.sorted() where i < lines[k].values.count {
                    if let v = lines[k].values[i] {
                        out += "<circle class=\"revised\" cx=\"\(SVG.n(x(i)))\" cy=\"\(SVG.n(y(v)))\" r=\"6\" fill=\"none\" stroke=\"\(SVG.ink)\" stroke-width=\"1.5\"><title>revised since first published</title></circle>"
                    }
                }
            }
            if lines.count > 1 {
                out += SVG.legend(lines.map(\.name), x: left, y: top + plotHeight + 30) { k in k == 0 ? "" : " stroke-dasharray=\"\(k * 3 + 2) 3\"" }
            }
            return out + "</svg>"
        }
    }

    /// A vertical bar chart of labelled counts (nil = suppressed: no bar, its label written upwards in its place).
    public struct BarChart {
        public var title: String
        public var description: String
        public var labels: [String]
        public var values: [Int?]
        public var width = 520.0, height = 200.0
        /// What a suppressed bar says, e.g. "fewer than 6".
        public var suppressedLabel: String
        let left = 40.0, right = 8.0, top = 16.0, bottom = 36.0

        public init(title: String, description: String, labels: [String], values: [Int?], suppressedLabel: String) {
            self.title = title; self.description = description; self.labels = labels; self.values = values
            self.suppressedLabel = suppressedLabel
        }

        /// (x, y, width, height) per bar; a suppressed bar has height 0.
        public var bars: [(Double, Double, Double, Double)] {
            let maxValue = Double(max(1, values.compactMap { $0 }.max() ?? 1))
            let slot = (width - left - right) / Double(max(1, values.count))
            return values.enumerated().map { i, v in
                let h = Double(v ?? 0) / maxValue * (height - top - bottom)
                return (left + Double(i) * slot + slot * 0.15, height - bottom - h, slot * 0.7, h)
            }
        }

        public var svg: String {
            var out = SVG.header(title: title, description: description, width: width, height: height)
            out += "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(width - right))\" y1=\"\(SVG.n(height - bottom))\" y2=\"\(SVG.n(height - bottom))\" stroke=\"\(SVG.muted)\"/>"
            for (i, b) in bars.enumerated() {
                let cx = b.0 + b.2 / 2
                if let v = values[i] {
                    out += "<rect x=\"\(SVG.n(b.0))\" y=\"\(SVG.n(b.1))\" width=\"\(SVG.n(b.2))\" height=\"\(SVG.n(b.3))\" fill=\"\(SVG.palette[0])\"/>"
                    out += "<text x=\"\(SVG.n(cx))\" y=\"\(SVG.n(b.1 - 3))\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(SVG.ink)\">\(v)</text>"
                } else {
                    // Written up the bar's place, in the page's words (StatusWords), not as a bare symbol.
                    let y = height - bottom - 4
                    out += "<text x=\"\(SVG.n(cx + 4))\" y=\"\(SVG.n(y))\" transform=\"rotate(-90 \(SVG.n(cx + 4)) \(SVG.n(y)))\" font-size=\"10\" fill=\"\(SVG.muted)\">\(HTML.escape(suppressedLabel))</text>"
                }
                out += "<text x=\"\(SVG.n(cx))\" y=\"\(SVG.n(height - bottom + 14))\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(SVG.muted)\">\(HTML.escape(labels[i]))</text>"
            }
            return out + "</svg>"
        }
    }

    /// A heat map of rows x columns; each cell shows its text, its fill darker
    /// for larger `weight` (a 0-1 share), with ink chosen for contrast.
    public struct HeatMap {
        public var title: String
        public var description: String
        public var rowLabels: [String]
        public var columnLabels: [String]
        /// [row][column]: (weight 0-1 or nil when suppressed, first line, second line).
        public var cells: [[(Double?, String, String)]]
        public var width = 620.0
        let left = 200.0, top = 28.0, cellHeight = 40.0

        public init(title: String, description: String, rowLabels: [String], columnLabels: [String], cells: [[(Double?, String, String)]]) {
            self.title = title; self.description = description; self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.cells = cells
        }

        public var height: Double { top + cellHeight * Double(rowLabels.count) + 4 }
        public var cellWidth: Double { (width - left - 4) / Double(max(1, columnLabels.count)) }

        /// A sequential blue scale (light to dark) and the ink, white or
        /// near-black, that contrasts more with it. Fills whose best contrast
        /// would fall below WCAG AA's 4.5:1 (mid-tones, around luminance 0.2)
        /// are moved to the nearest tone that passes.
        public static func fill(_ w: Double?) -> (String, String) {
            guard let w = w else { return ("#f0f0f0", SVG.muted) }
            var t = max(0, min(1, w))
            // Mid-tones cannot reach 4.5:1 with either ink: step out of the band.
            while true {
                let (r, g, b) = rgb(t)
                let (ink, ratio) = bestInk(r, g, b)
                if ratio >= 4.5 { return ("#" + [r, g, b].map { SVG.hex2($0) }.joined(), ink) }
                t += relativeLuminance(r, g, b) > 0.2 ? -0.01 : 0.01
            }
        }

        /// From #eef4fa (t = 0) to #08306b (t = 1).
        static func rgb(_ t: Double) -> (Int, Int, Int) {
            (Int((238 + (8 - 238) * t).rounded()), Int((244 + (48 - 244) * t).rounded()), Int((250 + (107 - 250) * t).rounded()))
        }

        /// The ink with the higher contrast ratio against an RGB fill, and that ratio.
        static func bestInk(_ r: Int, _ g: Int, _ b: Int) -> (String, Double) {
            let l = relativeLuminance(r, g, b)
            let white = 1.05 / (l + 0.05), dark = (l + 0.05) / (relativeLuminance(0x1a, 0x1a, 0x1a) + 0.05)
            return white > dark ? ("#ffffff", white) : (SVG.ink, dark)
        }

        /// WCAG 2 contrast ratio of two hex colours (#rrggbb).
        public static func contrast(_ a: String, _ b: String) -> Double {
            func lum(_ h: String) -> Double {
                let v = Int(h.dropFirst(), radix: 16) ?? 0
                return relativeLuminance((v >> 16) & 255, (v >> 8) & 255, v & 255)
            }
            let x = lum(a), y = lum(b)
            return (max(x, y) + 0.05) / (min(x, y) + 0.05)
        }

        static func relativeLuminance(_ r: Int, _ g: Int, _ b: Int) -> Double {
            func c(_ v: Int) -> Double { let s = Double(v) / 255; return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4) }
            return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b)
        }

        public var svg: String {
            var out = SVG.header(title: title, description: description, width: width, height: height)
            for (j, label) in columnLabels.enumerated() {
                out += "<text x=\"\(SVG.n(left + cellWidth * (Double(j) + 0.5)))\" y=\"18\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"\(SVG.ink)\">\(HTML.escape(label))</text>"
            }
            for (i, label) in rowLabels.enumerated() {
                let y0 = top + cellHeight * Double(i)
                out += "<text x=\"\(SVG.n(left - 8))\" y=\"\(SVG.n(y0 + cellHeight / 2 + 4))\" text-anchor=\"end\" font-size=\"12\" fill=\"\(SVG.ink)\">\(HTML.escape(label))</text>"
                for (j, cell) in cells[i].enumerated() {
                    let (bg, fg) = HeatMap.fill(cell.0)
                    let x0 = left + cellWidth * Double(j)
                    out += "<rect x=\"\(SVG.n(x0 + 1))\" y=\"\(SVG.n(y0 + 1))\" width=\"\(SVG.n(cellWidth - 2))\" height=\"\(SVG.n(cellHeight - 2))\" fill=\"\(bg)\"/>"
                    out += "<text x=\"\(SVG.n(x0 + cellWidth / 2))\" y=\"\(SVG.n(y0 + 17))\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\" fill=\"\(fg)\">\(HTML.escape(cell.1))</text>"
                    out += "<text x=\"\(SVG.n(x0 + cellWidth / 2))\" y=\"\(SVG.n(y0 + 32))\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(fg)\">\(HTML.escape(cell.2))</text>"
                }
            }
            return out + "</svg>"
        }
    }
}

extension SVG {
    /// Two lower-case hex digits.
    static func hex2(_ v: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[(v >> 4) & 15], digits[v & 15]])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
