import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// What the balance table knows of a cohort member besides its scores: its
/// team, whether the series is about the whole family or one child, that
/// child's age band, sex, ethnicity group and disability (children.csv), and how long its case had been
/// open when it entered (episodes.csv).
public struct MemberTraits: Sendable, Equatable {
    /// The series' team, or `unknown`.
    public var team: String
    /// `family` (a whole-family series) or `child`.
    public var level: String
    /// The child's age band, sex, ethnicity group and disability (`unknown` when blank or not in children.csv); nil for a whole-family series.
    public var ageBand: String?
    public var sex: String?
    public var ethnicityGroup: String?
    public var disability: String?
    /// Days from the opening of the case's latest episode opened on or before entry to entry; nil without one.
    public var daysOpenBeforeEntry: Double?

    public static let child = "child"

    public init(team: String, level: String, ageBand: String? = nil, sex: String? = nil, ethnicityGroup: String? = nil,
                disability: String? = nil, daysOpenBeforeEntry: Double? = nil) {
        self.team = team; self.level = level; self.ageBand = ageBand; self.sex = sex
        self.ethnicityGroup = ethnicityGroup; self.disability = disability; self.daysOpenBeforeEntry = daysOpenBeforeEntry
    }

    /// The traits of each member, in order.
    public static func of(_ members: [CohortMember], _ t: Trajectories, ingest: IngestResult) -> [MemberTraits] {
        let characteristics = ChildCharacteristics(ingest)
        var opened: [UInt32: [Int32]] = [:]
        if let e = ingest.episodes {
            for k in 0..<e.count { opened[e.caseID[k], default: []].append(e.opened[k]) }
        }
        return members.map { m in
            let s = t.series[m.series]
            let team = s.team == 0 ? GroupName.unknown : ingest.ids.teams.string(s.team)
            var traits = MemberTraits(team: team, level: s.childID == 0 ? GroupName.family : child)
            if s.childID != 0 {
                let names = characteristics.names(case: s.caseID, child: s.childID)   // age band, sex, ethnicity, disability
                traits.ageBand = names[0]
                traits.sex = names[1]
                traits.ethnicityGroup = names[2]
                traits.disability = names[3]
            }
            if let days = opened[s.caseID]?.filter({ $0 <= m.entry }).max() { traits.daysOpenBeforeEntry = Double(m.entry - days) }
            return traits
        }
    }
}
