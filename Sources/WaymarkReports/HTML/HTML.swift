import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// Building blocks for the HTML report: escaping and a small string builder.
/// Every value that comes from the data passes through `escape` before it is
/// written, so a team called `<script>` is shown, never run.
public enum HTML {
    /// Escapes text for element content and quoted attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The opening of a chart's figure: on a narrow screen the chart keeps a
    /// legible size and the figure scrolls sideways, so it is a focusable,
    /// labelled scroll region that a keyboard can reach (WCAG 2.1.1).
    public static func figureOpen(label: String) -> String {
        "<figure class=\"chart-box\" tabindex=\"0\" aria-label=\"\(escape(label))\">"
    }

    /// The opening of a wide table's box: a focusable, labelled scroll region
    /// (axe's scrollable-region-focusable), so the page itself never scrolls sideways.
    public static func scrollOpen(label: String) -> String {
        "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"\(escape(label))\">"
    }

    /// A safe fragment for an `id` attribute or a file name derived from data:
    /// ASCII letters, digits and `-` only, never empty, never `..`.
    public static func slug(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased().unicodeScalars {
            if (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") { out.unicodeScalars.append(ch) } else if !out.hasSuffix("-") { out += "-" }
        }
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : String(out.prefix(60))
    }
}

/// Formats figures for display (the CSV keeps full precision; HTML rounds, M13.2).
public enum DisplayNumber {
    /// A proportion as a percentage with no decimals ("42%"), or "<1%" / ">99%" near the ends.
    public static func percent(_ v: Double) -> String {
        let p = v * 100
        if p > 0 && p < 0.5 { return "<1%" }
        if p < 100 && p > 99.5 { return ">99%" }
        return "\(Int(p.rounded()))%"
    }

    /// A mean with two decimals and an explicit sign when asked ("+0.42").
    public static func decimal(_ v: Double, signed: Bool = false, places: Int = 2) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let r = (v * scale).rounded() / scale
        let zero = r == 0
        var text = fixed(abs(r), places)
        if r < 0 && !zero { text = "\u{2212}" + text } else if signed && !zero { text = "+" + text }
        return text
    }

    static func fixed(_ v: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let n = Int((v * scale).rounded())
        let whole = n / Int(scale), frac = n % Int(scale)
        guard places > 0 else { return String(whole) }
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: places - f.count) + f
    }

    public static func thousands(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
