import WaymarkCore
import WaymarkIndicators
import WaymarkMethods
import WaymarkDisclosure
import WaymarkIngest

/// Every scale and every rater (issue #14): the headline stays as
/// configured; each other (scale, rated_by) the run published gets its own
/// tiles and, where it has one, its support-response matrix, in a
/// `<details>` section: static HTML, no script, nothing fetched.
extension ReportPage {
    /// A (scale, rated_by) pair that has published rows, with the indicators it has.
    struct ScaleRater: Hashable {
        let scale: String
        let rater: String
    }

    /// The pairs other than the headline's, in the order the page shows them:
    /// the headline scale first, then the others by name; per scale the
    /// raters in their fixed order with `all` (the scale-level figures) first.
    func otherScalesAndRaters() -> [(ScaleRater, [IndicatorID])] {
        var ids: [ScaleRater: Set<IndicatorID>] = [:]
        for r in results.rows where r.breakdown == .total && r.asOf == latest && r.scale != "all" {
            ids[ScaleRater(scale: r.scale, rater: r.rater), default: []].insert(r.id)
        }
        let headline: Set<ScaleRater> = [ScaleRater(scale: headScale, rater: headRater), ScaleRater(scale: headScale, rater: "all")]
        func rank(_ rater: String) -> Int { rater == "all" ? -1 : (Rater.allCases.firstIndex { $0.rawValue == rater } ?? Rater.allCases.count) }
        return ids.keys.filter { !headline.contains($0) }
            .sorted { a, b in
                if a.scale != b.scale { return (a.scale == headScale ? 0 : 1, a.scale) < (b.scale == headScale ? 0 : 1, b.scale) }
                return (rank(a.rater), a.rater) < (rank(b.rater), b.rater)
            }
            .map { key in (key, IndicatorCatalogue.all.map(\.id).filter { ids[key]!.contains($0) }) }
    }

    func everyScaleAndRater() -> String {
        let pairs = otherScalesAndRaters()
        guard !pairs.isEmpty else { return "" }
        var h = "<section id=\"every-scale-and-rater\" aria-labelledby=\"h-every\">\n<h2 id=\"h-every\">Every scale and every rater</h2>\n"
        h += "<p class=\"lead\">The headlines above are the \(HTML.escape(headScale)) scale as \(HTML.escape(headRater))s scored it. "
            + "The same figures for every other scale and rater are below; open one to read it.</p>\n"
            + "<p class=\"sub print-only\">These sections are closed in print; open them in a browser, or read every figure in indicators.csv and indicators.xlsx.</p>\n"
        for (pair, ids) in pairs {
            let title = pair.rater == "all" ? "\(pair.scale) scale, all raters" : "\(pair.scale) scale, scored by \(pair.rater)"
            h += "<details class=\"scale-rater\" id=\"sr-\(HTML.slug(pair.scale + "-" + pair.rater))\"><summary>\(HTML.escape(title)) "
                + "<span class=\"sub\">(\(ids.count) indicator\(ids.count == 1 ? "" : "s"))</span></summary>\n<div class=\"tiles\">\n"
            for id in ids { h += tile(id, scale: pair.scale, rater: pair.rater) }
            h += "</div>\n"
            if let table = results.matrices.first(where: { $0.scale == pair.scale && $0.rater.rawValue == pair.rater && $0.asOf == latest }) {
                h += "<h3>How scores moved, given the help offered and the family’s response</h3>\n" + matrixBody(table)
            }
            h += "</details>\n"
        }
        return h + "</section>\n"
    }
}
