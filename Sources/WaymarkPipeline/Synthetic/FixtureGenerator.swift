import Foundation
import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// Sampling helpers for the fixture generator, on WaymarkStats' SplitMix64
/// generator (the same seed gives the same numbers on every machine).
extension SeededGenerator {
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// Approximately normal (sum of uniforms), mean 0 and SD 1.
    public mutating func gaussian() -> Double { (0..<12).reduce(0.0) { acc, _ in acc + unit() } - 6 }
    public mutating func pick<T>(_ items: [T], weights: [Double]) -> T {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (item, w) in zip(items, weights) {
            r -= w
            if r < 0 { return item }
        }
        return items[items.count - 1]
    }
}

/// Generates realistic synthetic, anonymised exports of the five canonical
/// files, deterministically from a seed.
///
/// Shapes: cases of 1-4 children open 2-24 months in `teams` teams; scores
/// every 3-6 weeks from practitioners (per child), parents (family level),
/// older children and unit meetings, on a `safety` scale (higher is better)
/// and a `worry` scale (higher is worse); interventions of the contract's
/// types offered through each case's life, with response sequences
/// consistent with them (some declined, some unanswered, some withdrawn or
/// reduced by the service); families who take up help improve more often, so
/// analyses have a real signal to find. Optional `faults` injects a few rows
/// of each kind of bad input, for demonstrating the quarantine.
public struct FixtureGenerator {
    public var cases: Int
    public var seed: UInt64
    public var teams = 8
    public var extractedOn = Day(year: 2026, month: 11, day: 5) ?? Day(number: 0)
    /// Inject this many faulty rows of each kind (0 for clean data).
    public var faults = 0

    public init(cases: Int, seed: UInt64) {
        self.cases = cases
        self.seed = seed
    }

    static let teamNames = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Coastal",
                            "Valley", "Harbour", "Forest", "Meadow"]
    static let types: [(String, Double)] = [
        ("family_group_conference", 0.12), ("parenting_programme", 0.16), ("motivational_interviewing", 0.08),
        ("systemic_family_therapy", 0.07), ("network_meeting", 0.12), ("safety_planning", 0.14),
        ("practical_support", 0.13), ("shared_lives", 0.02), ("respite", 0.05), ("signposting", 0.11),
    ]

    /// Sizes of what was written, per file.
    public struct Counts: Sendable, Equatable {
        public var scores = 0, interventions = 0, responses = 0, episodes = 0, children = 0
    }

    /// Writes the five files into `folder` (created if needed).
    @discardableResult
    public func write(to folder: String) throws -> Counts {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scores = try LineFile(joinPath(folder, "scaling_scores.csv"),
                                  "score_id,case_id,child_id,team,worker_id,recorded_on,scale,score,rated_by,setting")
        let interventions = try LineFile(joinPath(folder, "interventions.csv"),
                                         "intervention_id,case_id,child_id,type,approach,offered_on,started_on,ended_on,end_reason,planned_hours,provider,team")
        let responses = try LineFile(joinPath(folder, "responses.csv"),
                                     "response_id,intervention_id,case_id,recorded_on,response,sessions_offered,sessions_attended,family_rating,responder")
        let episodes = try LineFile(joinPath(folder, "episodes.csv"), "case_id,opened_on,closed_on,closure_reason")
        let children = try LineFile(joinPath(folder, "children.csv"), "child_id,case_id,age_band,sex,ethnicity_group,disability")
        var rng = SeededGenerator(seed: seed)
        var counts = Counts()
        var scoreSeq = 0, interventionSeq = 0, responseSeq = 0
        let last = extractedOn - 1
        let teamNames = (0..<teams).map { Self.teamNames[$0 % Self.teamNames.count] + ($0 >= Self.teamNames.count ? " \($0 / Self.teamNames.count + 1)" : "") }

        for caseIndex in 0..<cases {
            let caseID = pseudonym("F", caseIndex, salt: seed)
            let team = teamNames[rng.int(0...(teams - 1))]
            let workers = (0..<2).map { _ in "W" + String(rng.int(100...999)) }
            let opened = extractedOn - rng.int(40...820)
            let length = rng.int(60...730)
            let closedDay = opened + length
            let isClosed = closedDay < last
            let end = isClosed ? closedDay : last
            let propensity = rng.unit()
            let nChildren = rng.pick([1, 2, 3, 4], weights: [0.4, 0.3, 0.2, 0.1])
            var ages: [Int] = []
            for c in 0..<nChildren {
                let childID = "\(caseID)-c\(c + 1)"
                let age = rng.int(0...17)
                ages.append(age)
                let band = age < 5 ? "0-4" : age < 10 ? "5-9" : age < 16 ? "10-15" : "16-17"
                let sex = rng.chance(0.5) ? "female" : "male"
                let ethnicity = rng.pick(["White", "Mixed", "Asian", "Black", "Other"], weights: [0.72, 0.07, 0.1, 0.06, 0.05])
                let disability = rng.pick(["no", "yes", "unknown"], weights: [0.8, 0.12, 0.08])
                children.line("\(childID),\(caseID),\(band),\(sex),\(ethnicity),\(disability)")
                counts.children += 1
            }
            // Episodes: this one, and sometimes a re-referral after closure.
            let closureReasons = ["RC1", "RC2", "RC3", "RC4"]
            episodes.line("\(caseID),\(opened),\(isClosed ? closedDay.description : ""),\(isClosed ? closureReasons[rng.int(0...3)] : "")")
            counts.episodes += 1
            if isClosed && rng.chance(0.12) {
                let again = closedDay + rng.int(30...500)
                if again < last {
                    episodes.line("\(caseID),\(again),,")
                    counts.episodes += 1
                }
            }

            // Latent safety per child; help that is taken up moves it.
            var latent = ages.map { _ in 2.5 + rng.unit() * 3.5 }
            var offers: [(start: Day, stop: Day, engaged: Bool, withdrawn: Bool)] = []
            var day = opened + rng.int(0...10)
            var occasion = 0
            while day <= end {
                // Help engaged with since the last occasion lifts safety; service withdrawal lowers it.
                let active = offers.filter { $0.start < day && $0.stop >= day - 45 }
                let engagedNow = active.contains { $0.engaged }
                let withdrawnNow = active.contains { $0.withdrawn }
                for k in latent.indices {
                    var drift = 0.05 + (engagedNow ? 0.55 : 0) - (withdrawnNow ? 0.6 : 0) + rng.gaussian() * 0.45
                    if active.isEmpty { drift -= 0.05 }
                    latent[k] = min(10, max(0, latent[k] + drift))
                }
                let setting = occasion == 0 ? "assessment" : (isClosed && day + 42 > end ? "closure" : "review")
                let worker = workers[occasion % 2]
                for (k, value) in latent.enumerated() {
                    let childID = "\(caseID)-c\(k + 1)"
                    let score = Self.clamp((value + rng.gaussian() * 0.4).rounded())
                    scoreSeq += 1
                    scores.line("S\(scoreSeq),\(caseID),\(childID),\(team),\(worker),\(day),safety,\(score),practitioner,\(setting)")
                    if ages[k] >= 10 && rng.chance(0.35) {
                        let own = Self.clamp((value + 0.5 + rng.gaussian() * 0.8).rounded())
                        scoreSeq += 1
                        scores.line("S\(scoreSeq),\(caseID),\(childID),\(team),\(worker),\(day),safety,\(own),child,\(setting)")
                    }
                }
                let mean = latent.reduce(0, +) / Double(latent.count)
                if rng.chance(0.65) {
                    let family = Self.clamp((mean + 0.8 + rng.gaussian() * 0.9).rounded())
                    scoreSeq += 1
                    scores.line("S\(scoreSeq),\(caseID),,\(team),,\(day),safety,\(family),parent,\(setting)")
                }
                if rng.chance(0.3) {
                    let worry = Self.clamp((10 - mean + rng.gaussian() * 0.7).rounded())
                    scoreSeq += 1
                    scores.line("S\(scoreSeq),\(caseID),,\(team),,\(day),worry,\(worry),group,unit_meeting")
                }
                counts.scores = scoreSeq

                // Offer help at some meetings.
                if offers.count < 6 && rng.chance(occasion == 0 ? 0.6 : 0.3) {
                    interventionSeq += 1
                    let id = "I\(interventionSeq)"
                    let type = rng.pick(Self.types.map(\.0), weights: Self.types.map(\.1))
                    let child = rng.chance(0.3) ? "\(caseID)-c\(rng.int(1...nChildren))" : ""
                    let provider = type == "network_meeting" || type == "family_group_conference"
                        ? rng.pick(["in_house", "community", "voluntary"], weights: [0.5, 0.3, 0.2])
                        : rng.pick(["in_house", "partner_agency", "community", "voluntary"], weights: [0.55, 0.2, 0.12, 0.13])
                    let approach = rng.chance(0.5) ? (Approach.defaultByType[type]?.rawValue ?? "") : ""
                    let hours = type == "signposting" ? "" : String(rng.int(2...40))
                    var started = "", ended = "", endReason = ""
                    var engaged = false, withdrawn = false
                    var stop = day + 90
                    let rday = day + rng.int(1...10)
                    var lines: [String] = []
                    func respond(_ kind: String, _ d: Day, offered: Int? = nil, attended: Int? = nil, rating: Int? = nil) {
                        guard d <= last else { return }
                        responseSeq += 1
                        let o = offered.map(String.init) ?? "", a = attended.map(String.init) ?? "", r = rating.map(String.init) ?? ""
                        lines.append("R\(responseSeq),\(id),\(caseID),\(d),\(kind),\(o),\(a),\(r),\(rng.pick(["parent", "family", "carer"], weights: [0.6, 0.3, 0.1]))")
                    }
                    let roll = rng.unit()
                    if roll < 0.1 {
                        // Unanswered: no response recorded.
                    } else if roll < 0.1 + (1 - propensity) * 0.45 {
                        respond("declined", rday)
                        stop = rday
                    } else {
                        respond("accepted", rday)
                        let startDay = rday + rng.int(3...14)
                        if startDay <= last {
                            started = startDay.description
                            let sessions = rng.int(4...12)
                            let mid = startDay + rng.int(14...40)
                            engaged = rng.unit() < 0.35 + propensity * 0.6
                            if mid <= last {
                                respond(engaged ? "engaged" : (rng.chance(0.5) ? "partially_engaged" : "disengaged"), mid,
                                        offered: sessions / 2, attended: engaged ? sessions / 2 : rng.int(0...(sessions / 2)))
                            }
                            let finish = mid + rng.int(20...90)
                            stop = finish
                            if finish <= last {
                                let outcome = rng.unit()
                                if outcome < 0.08 {
                                    endReason = "service_withdrawn"; withdrawn = true
                                } else if outcome < 0.13 {
                                    endReason = "reduced"; withdrawn = true
                                } else if engaged {
                                    endReason = "completed"
                                    respond("completed", finish, offered: sessions, attended: max(1, sessions - rng.int(0...2)), rating: rng.int(5...10))
                                } else {
                                    endReason = outcome < 0.9 ? "family_withdrew" : "transferred"
                                }
                                ended = finish.description
                            } else {
                                stop = last
                            }
                        } else {
                            stop = last
                        }
                    }
                    interventions.line("\(id),\(caseID),\(child),\(type),\(approach),\(day),\(started),\(ended),\(endReason),\(hours),\(provider),\(team)")
                    counts.interventions += 1
                    for l in lines { responses.line(l) }
                    counts.responses += lines.count
                    offers.append((day, stop, engaged, withdrawn))
                }
                occasion += 1
                day = day + rng.int(21...42)
            }
        }
        if faults > 0 {
            try injectFaults(scores: scores, interventions: interventions, responses: responses, counts: &counts)
        }
        for f in [scores, interventions, responses, episodes, children] { try f.close() }
        return counts
    }

    static func clamp(_ v: Double) -> Int { Int(min(10, max(0, v))) }

    /// A pseudonym such as `F-3fa91c2ex1k`: a letter, a dash, 8 hex digits, `x`
    /// and the index in base 36, so it is unique and never one run of digits
    /// that could look like an NHS or phone number.
    func pseudonym(_ prefix: String, _ index: Int, salt: UInt64) -> String {
        var g = SeededGenerator(seed: UInt64(index) &* 0x2545_F491_4F6C_DD1D ^ salt)
        let hex = String(g.next() & 0xFFFF_FFFF, radix: 16)
        return prefix + "-" + String(repeating: "0", count: 8 - hex.count) + hex + "x" + String(index, radix: 36)
    }

    /// A few rows of every kind of bad input the contract names.
    private func injectFaults(scores: LineFile, interventions: LineFile, responses: LineFile, counts: inout Counts) throws {
        let caseID = pseudonym("F", 0, salt: seed)
        let d = extractedOn - 40
        for k in 0..<faults {
            scores.line("SX\(k)a,\(caseID),,North,,31/02/2026,safety,5,practitioner,review")      // bad date
            scores.line("SX\(k)b,\(caseID),,North,,\(d),safety,11,practitioner,review")          // out of range
            scores.line("SX\(k)c,\(caseID),,North,,\(d),safety,4,Parent/Carer,review")           // unknown rater
            scores.line("SX\(k)d,\(caseID),,North,,\(extractedOn + 30),safety,6,parent,review")  // future date
            scores.line("SX\(k)e,,,North,,\(d),safety,6,parent,review")                          // missing case
            scores.line("SX\(k)f,\(caseID),,North,,\(d),mood,6,parent,review")                   // unknown scale
            scores.line(",,,,,,,,,")                                                             // blank row
            scores.line("SX\(k)g,\(caseID),,North,,\(d),safety,6,parent,review")
            scores.line("SX\(k)g,\(caseID),,North,,\(d),safety,6,parent,review")                 // duplicate
            interventions.line("IX\(k),\(caseID),,respite,,\(d),\(d + 5),\(d + 2),completed,4,in_house,North") // ended before started
            interventions.line("IG\(k),\(caseID),,respite,,\(d),,,,4,in_house,North")
            responses.line("RX\(k)a,IX\(k),\(caseID),\(d + 1),accepted,,,,parent")              // parent quarantined
            responses.line("RX\(k)b,NOPE\(k),\(caseID),\(d + 1),accepted,,,,parent")            // unknown intervention
            responses.line("RX\(k)c,IG\(k),\(caseID)Z,\(d + 1),accepted,,,,parent")                 // case mismatch
            responses.line("RX\(k)d,IG\(k),\(caseID),\(d + 1),engaged,3,5,,parent") // attended > offered
            counts.scores += 9
            counts.interventions += 2
            counts.responses += 4
        }
    }
}

/// A buffered line writer for the generator.
final class LineFile {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ path: String, _ header: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw RunError.output("\(path): cannot create the file")
        }
        handle = h
        line(header)
    }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 20 {
            handle.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        handle.write(buffer)
        buffer.removeAll()
        try handle.close()
    }
}
