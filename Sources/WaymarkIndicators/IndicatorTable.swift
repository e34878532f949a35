import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// The status of a published cell (OUTPUTS.md, M11): a value, or one of the
/// Department for Education's symbols.
public enum CellStatus: String, Sendable, Comparable {
    case published
    /// Suppressed to protect small numbers.
    case suppressed = "c"
    /// Not applicable (e.g. a zero denominator, or no RCI for the scale).
    case notApplicable = "z"
    /// Not available: the input it needs was not given.
    case notAvailable = "x"

    /// M13.11: x, then z, then c take precedence.
    var rank: Int { [CellStatus.published: 0, .suppressed: 1, .notApplicable: 2, .notAvailable: 3][self]! }
    public static func < (a: CellStatus, b: CellStatus) -> Bool { a.rank < b.rank }
}

/// One row of `indicators.csv`.
public struct IndicatorRow: Sendable, Equatable {
    public var id: IndicatorID
    public var scale: String
    public var rater: String
    public var asOf: Day
    public var breakdown: Breakdown
    public var group: String
    public var numerator: Double
    public var denominator: Int
    public var status: CellStatus
    /// Why the status is z or x, for the report's notes.
    public var note: String?

    public var value: Double? { status == .published && denominator > 0 ? numerator / Double(denominator) : nil }
    public var definition: IndicatorDefinition { IndicatorCatalogue.definition(id) }
}

/// One matrix (M9) of a scale, rater and month end, with each cell's status.
public struct MatrixTable: Sendable, Equatable {
    public var scale: String
    public var rater: Rater
    public var asOf: Day
    public var matrix: SupportMatrix
    /// `status[context][direction]`.
    public var status: [[CellStatus]] = Array(repeating: Array(repeating: .published, count: 3), count: 5)
}

/// Every indicator row and matrix of a run as computed: raw figures with the
/// z and x statuses of M13.6 and M13.10. Nothing raw is ever written: only
/// `PublishedIndicators`, which WaymarkDisclosure makes from these, are.
public struct RawIndicators: Sendable {
    public var monthEnds: [Day]
    public var rows: [IndicatorRow]
    public var matrices: [MatrixTable]
    /// Notes for the report: why figures are z or x.
    public var notes: [String]
    /// The distance travelled, for the report (headline scale and rater, latest month end).
    public var distribution: ChangeDistribution?

    public init(monthEnds: [Day], rows: [IndicatorRow], matrices: [MatrixTable], notes: [String], distribution: ChangeDistribution? = nil) {
        self.monthEnds = monthEnds
        self.rows = rows
        self.matrices = matrices
        self.notes = notes
        self.distribution = distribution
    }
}

extension IndicatorRun {
    /// The rows M13.8-M13.11 say exist, with their raw figures and z/x statuses.
    func results() -> RawIndicators {
        var rows: [IndicatorRow] = []
        var notes: [String] = []
        let scaleNames = options.scales.map(\.name)
        for (d, def) in IndicatorCatalogue.all.enumerated() {
            var keys: [(Int, Int)] = []
            switch def.rows {
            case .perScaleAndRater:
                for sc in scaleNames.indices { for r in ratersByScale[sc] { keys.append((sc, Int(r.code) - 1)) } }
            case .perScale: keys = scaleNames.indices.map { ($0, tallies.allRaters) }
            case .perScaleHeadlineRater: keys = scaleNames.indices.map { ($0, headline) }
            case .overall: keys = [(tallies.allScales, tallies.allRaters)]
            }
            let missing = def.needs.filter { !options.inputsGiven.contains($0) }
            for (sc, r) in keys {
                let scaleName = sc < scaleNames.count ? scaleNames[sc] : "all"
                let raterName = r < Rater.allCases.count ? Rater.allCases[r].rawValue : "all"
                for (k, month) in months.enumerated() {
                    let base = tallies.base(d, scale: sc, rater: r, month: k)
                    var row = IndicatorRow(id: def.id, scale: scaleName, rater: raterName, asOf: month, breakdown: .total, group: "total",
                                           numerator: tallies.numerator[base], denominator: tallies.denominator[base], status: .published)
                    if !missing.isEmpty {
                        row.status = .notAvailable
                        row.note = "needs \(missing.map(\.fileName).joined(separator: ", ")), which was not given"
                        rows.append(row)
                        continue
                    }
                    if let why = notApplicable(def, scale: sc, rater: r, month: k) {
                        row.status = .notApplicable
                        row.note = why
                        rows.append(row)
                        continue
                    }
                    if row.denominator == 0 { row.status = .notApplicable; row.note = "nothing to count (zero denominator)" }
                    rows.append(row)
                    guard row.denominator > 0 else { continue }
                    var groups: [IndicatorRow] = []
                    for slot in 1..<layout.count where tallies.denominator[base + slot] > 0 {
                        let b = layout.breakdowns[slot]
                        guard b == .team || def.unit.hasChildBreakdowns else { continue }
                        var g = row
                        g.breakdown = b
                        g.group = layout.names[slot]
                        g.numerator = tallies.numerator[base + slot]
                        g.denominator = tallies.denominator[base + slot]
                        groups.append(g)
                    }
                    groups.sort { $0.breakdown != $1.breakdown ? $0.breakdown < $1.breakdown
                        : Array($0.group.utf8).lexicographicallyPrecedes(Array($1.group.utf8)) }
                    rows.append(contentsOf: groups)
                }
            }
        }
        for (sc, spec) in options.scales.enumerated() {
            for rater in ratersByScale[sc] {
                let r = Int(rater.code) - 1
                let reasons = Set(months.indices.compactMap { rciWhy[key(scale: sc, rater: r, month: $0)] })
                for why in reasons.sorted() { notes.append("\(spec.name)/\(rater.rawValue): \(IndicatorID.i2) and \(IndicatorID.i3) are not applicable (z) in some or all months (\(why))") }
            }
            if spec.sustainedThreshold == nil { notes.append("\(spec.name): \(IndicatorID.i4) is not applicable (z): the scale declares no sustained_threshold") }
        }
        var tables: [MatrixTable] = []
        for (sc, name) in scaleNames.enumerated() {
            for rater in ratersByScale[sc] {
                for (k, month) in months.enumerated() {
                    tables.append(MatrixTable(scale: name, rater: rater, asOf: month,
                                              matrix: matrices[key(scale: sc, rater: Int(rater.code) - 1, month: k)]))
                }
            }
        }
        // A required input declared `none` (a scores-only run): say so once, with what it costs.
        for file in InputFile.allCases where file.isRequired && !options.inputsGiven.contains(file) {
            let ids = IndicatorCatalogue.all.filter { $0.needs.contains(file) }.map { "\($0.id)" }
            notes.append("\(file.fileName) was not given (`\(file.rawValue): none`): \(ids.joined(separator: ", ")) are x (not available)")
        }
        return RawIndicators(monthEnds: months, rows: rows, matrices: tables, notes: notes)
    }

    /// Why an indicator cannot be computed for a scale, rater and month (M13.6), if it cannot.
    func notApplicable(_ def: IndicatorDefinition, scale sc: Int, rater r: Int, month k: Int) -> String? {
        guard sc < options.scales.count else { return nil }
        let spec = options.scales[sc]
        switch def.id {
        case .i2, .i3:
            return rciWhy[key(scale: sc, rater: r, month: k)].map { "no RCI: \($0)" }
        case .i4:
            return spec.sustainedThreshold == nil ? "the scale declares no sustained_threshold" : nil
        case .i15:
            if spec.sustainedThreshold == nil, let why = rciWhy[key(scale: sc, rater: headline, month: k)] {
                return "neither an RCI (\(why)) nor a sustained_threshold to judge improvement by"
            }
            return nil
        default:
            return nil
        }
    }
}
