import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// A way of splitting an indicator (METHODS.md M10), in the order rows are written.
public enum Breakdown: Int, Sendable, CaseIterable, Comparable {
    case total = 0, team, ageBand, sex, ethnicity, disability

    public var name: String {
        switch self {
        case .total: return "total"
        case .team: return "team"
        case .ageBand: return "age_band"
        case .sex: return "sex"
        case .ethnicity: return "ethnicity_group"
        case .disability: return "disability"
        }
    }

    public static func < (a: Breakdown, b: Breakdown) -> Bool { a.rawValue < b.rawValue }
    package static let childCharacteristics: [Breakdown] = [.ageBand, .sex, .ethnicity, .disability]
}

/// The group names of the child a unit is about, for the four child
/// characteristics in `Breakdown.childCharacteristics` order (M10, M13.9):
/// `family` for a family-level unit, `unknown` for a child without a row in
/// `children.csv` or with a blank value. Shared by the breakdowns and the
/// evaluation's cohort filters.
public struct ChildCharacteristics: Sendable {
    static let family = [String](repeating: GroupName.family, count: 4)
    static let unknown = [String](repeating: GroupName.unknown, count: 4)
    /// Child key (case << 32 | child) -> its four group names.
    private var byChild: [UInt64: [String]] = [:]

    public init(_ ingest: IngestResult) {
        guard let ch = ingest.children else { return }
        let texts = ingest.ids.texts
        let name = GroupName.of
        for k in 0..<ch.count {
            byChild[ChildCharacteristics.key(ch.caseID[k], ch.childID[k])] = [
                name(texts.string(ch.ageBand[k])), name(texts.string(ch.sex[k])), name(texts.string(ch.ethnicity[k])),
                name(Disability.from(code: ch.disability[k])?.rawValue ?? ""),
            ]
        }
    }

    static func key(_ caseID: UInt32, _ child: UInt32) -> UInt64 { UInt64(caseID) << 32 | UInt64(child) }

    /// The four group names of a unit about `child` (0 = the whole family) in `caseID`.
    public func names(case caseID: UInt32, child: UInt32) -> [String] {
        child == 0 ? ChildCharacteristics.family : byChild[ChildCharacteristics.key(caseID, child)] ?? ChildCharacteristics.unknown
    }
}

/// Every group a run can report, numbered as slots: slot 0 is the total, then
/// one slot per team code (0 = `unknown`), then per child characteristic its
/// `family` and `unknown` groups and each value seen in `children.csv`. A
/// unit's contribution is added to the slots of its groups.
///
/// A child's slots are found among its case's rows of `children.csv` (a
/// case has a few), not in a hash table, and a characteristic's text is
/// turned into its group name once per distinct value, not once per row.
struct GroupLayout: Sendable {
    private(set) var names: [String] = [GroupName.total]
    private(set) var breakdowns: [Breakdown] = [.total]
    let teamBase: Int
    /// Per child characteristic (age band, sex, ethnicity, disability): the slot of `family` and of `unknown`.
    private(set) var familySlot: [Int32] = []
    private(set) var unknownSlot: [Int32] = []
    /// Rows of `children.csv` by case: `childRows[childStart[c]..<childStart[c + 1]]`, in file order.
    private var childStart: [Int32] = []
    private var childRows: [Int32] = []
    /// Per row of `children.csv`: its child and the four characteristic slots of that child.
    private var rowChild: [UInt32] = []
    private var rowSlots: [SIMD4<Int32>] = []
    let hasChildren: Bool

    init(_ ingest: IngestResult, childrenGiven: Bool) {
        let ids = ingest.ids
        teamBase = names.count
        for code in 0..<ids.teams.count {
            names.append(code == 0 ? GroupName.unknown : ids.teams.string(UInt32(code)))
            breakdowns.append(.team)
        }
        hasChildren = childrenGiven
        guard childrenGiven, let ch = ingest.children else { return }
        var valueSlot: [[String: Int32]] = []
        for b in Breakdown.childCharacteristics {
            var map: [String: Int32] = [:]
            for name in [GroupName.family, GroupName.unknown] {
                map[name] = Int32(names.count)
                names.append(name)
                breakdowns.append(b)
            }
            familySlot.append(map[GroupName.family]!)
            unknownSlot.append(map[GroupName.unknown]!)
            valueSlot.append(map)
        }
        func slot(_ b: Int, _ name: String) -> Int32 {
            if let s = valueSlot[b][name] { return s }
            let s = Int32(names.count)
            names.append(name)
            breakdowns.append(Breakdown.childCharacteristics[b])
            valueSlot[b][name] = s
            return s
        }
        let caseOfRow = ch.caseID, childOfRow = ch.childID
        let byCase = Grouping(rows: ch.count, groups: ids.cases.count) { Int(caseOfRow[$0]) }
        childStart = byCase.starts
        childRows = byCase.order
        rowChild = childOfRow
        // The group names of a row (M13.9), each distinct text named once.
        let texts = ids.texts
        var textSlot = [[UInt32: Int32]](repeating: [:], count: 3)
        var disabilitySlot = [Int32?](repeating: nil, count: 256)
        func slots(_ k: Int) -> SIMD4<Int32> {
            var out = SIMD4<Int32>()
            for (b, code) in [ch.ageBand[k], ch.sex[k], ch.ethnicity[k]].enumerated() {
                if let s = textSlot[b][code] { out[b] = s; continue }
                let s = slot(b, GroupName.of(texts.string(code)))
                textSlot[b][code] = s
                out[b] = s
            }
            let d = Int(ch.disability[k])
            if let s = disabilitySlot[d] { out[3] = s } else {
                let s = slot(3, GroupName.of(Disability.from(code: ch.disability[k])?.rawValue ?? ""))
                disabilitySlot[d] = s
                out[3] = s
            }
            return out
        }
        // In children.csv's order, so slots are numbered the same on every
        // run; a child listed twice takes the names of its last row.
        rowSlots = [SIMD4<Int32>](repeating: SIMD4(), count: ch.count)
        for k in 0..<ch.count {
            let last = lastRow(case: caseOfRow[k], child: childOfRow[k]) ?? k
            rowSlots[k] = slots(last)
        }
    }

    var count: Int { names.count }

    func teamSlot(_ team: UInt32) -> Int32 { Int32(teamBase + Int(team)) }

    /// The last row of `children.csv` about `child` in `caseID`, if any.
    private func lastRow(case caseID: UInt32, child: UInt32) -> Int? {
        let c = Int(caseID)
        guard c + 1 < childStart.count else { return nil }
        var found: Int?
        for j in Int(childStart[c])..<Int(childStart[c + 1]) where rowChild[Int(childRows[j])] == child { found = Int(childRows[j]) }
        return found
    }

    /// The four characteristic slots of a unit about `child` (0 = the whole family) in `caseID`.
    func childCharacteristicSlots(case caseID: UInt32, child: UInt32) -> SIMD4<Int32> {
        if child == 0 { return SIMD4(familySlot[0], familySlot[1], familySlot[2], familySlot[3]) }
        if let k = lastRow(case: caseID, child: child) { return rowSlots[k] }
        return SIMD4(unknownSlot[0], unknownSlot[1], unknownSlot[2], unknownSlot[3])
    }
}

/// Numerators and denominators of every indicator, scale, rater, month end
/// and group slot, in flat buffers (one pass over the units fills them all).
/// Month ends are evaluated on several threads at once; each writes only its
/// own months' cells, so the buffers are shared without locks.
final class Tallies: @unchecked Sendable {
    let slots: Int
    let scaleKeys: Int      // declared scales, then `all`
    let raterKeys: Int      // raters, then `all`
    let months: Int
    let count: Int
    let numerator: UnsafeMutablePointer<Double>
    let denominator: UnsafeMutablePointer<Int>

    init(indicators: Int, scales: Int, months: Int, slots: Int) {
        self.slots = slots
        scaleKeys = scales + 1
        raterKeys = Rater.allCases.count + 1
        self.months = months
        count = indicators * scaleKeys * raterKeys * months * slots
        numerator = .allocate(capacity: count)
        numerator.initialize(repeating: 0, count: count)
        denominator = .allocate(capacity: count)
        denominator.initialize(repeating: 0, count: count)
    }

    deinit {
        numerator.deallocate()
        denominator.deallocate()
    }

    var allScales: Int { scaleKeys - 1 }
    var allRaters: Int { raterKeys - 1 }

    func base(_ indicator: Int, scale: Int, rater: Int, month: Int) -> Int {
        (((indicator * scaleKeys + scale) * raterKeys + rater) * months + month) * slots
    }

    /// Adds one unit to the total, its team and (if given) its child characteristics.
    @inline(__always)
    func add(_ base: Int, team: Int32, child: SIMD4<Int32>?, numerator n: Double, denominator d: Int = 1) {
        numerator[base] += n
        denominator[base] += d
        numerator[base + Int(team)] += n
        denominator[base + Int(team)] += d
        if let c = child {
            for j in 0..<4 {
                numerator[base + Int(c[j])] += n
                denominator[base + Int(c[j])] += d
            }
        }
    }
}
