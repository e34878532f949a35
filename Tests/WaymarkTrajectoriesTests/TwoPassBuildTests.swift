import Testing
import WaymarkTestSupport
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkPipeline
@testable import WaymarkTrajectories

/// The build's two passes: letting the score rows go between them changes
/// nothing in the result, and the series keep every field in 80 bytes.
@Suite struct TwoPassBuildTests {
    @Test func releasingTheScoreRowsBetweenPassesGivesTheSameTrajectories() throws {
        let (config, dates, kept, reference) = try demo("monthly")
        let months = kept.scoreMonths
        let ingest = try Ingestor(config: config, extractedOn: dates.extractedOn).run()
        let t = TrajectoryBuilder.build(ingest, config: config, asOf: dates.asOf, releasingScoreRows: true)
        #expect(ingest.scoreRowsReleased)
        #expect(!kept.scoreRowsReleased)
        #expect(ingest.scoreMonths == months)
        #expect(t.series.count > 1000)
        #expect(t.series == reference.series)
        // To the last bit (== would take -0 for 0).
        func bits(_ s: Series) -> [UInt64?] {
            [s.change?.bitPattern, s.slopePer30Days?.bitPattern, s.rci?.bitPattern, s.baseline.bitPattern, s.latest.bitPattern]
        }
        #expect(t.series.map(bits) == reference.series.map(bits))
        #expect(t.points.map(\.value.bitPattern) == reference.points.map(\.value.bitPattern))
        #expect(t.segments.map(\.change.bitPattern) == reference.segments.map(\.change.bitPattern))
        #expect(t.points == reference.points)
        #expect(t.segments == reference.segments)
        #expect(t.pointTeams == reference.pointTeams)
        #expect(t.pointTeamLines == reference.pointTeamLines)
        #expect(t.sameDayMerges == reference.sameDayMerges)
        #expect(t.rciNotes == reference.rciNotes)
        // Every series' segments follow its points: one fewer, in the same order as the series.
        var next = 0
        for s in t.series {
            #expect(s.segments.lowerBound == next)
            #expect(s.segments.count == max(0, s.n - 1))
            next = s.segments.upperBound
        }
        #expect(next == t.segments.count)
    }

    @Test func aSeriesIsEightyBytesAndKeepsItsOptionals() {
        #expect(MemoryLayout<Series>.stride == 80)
        var s = Series(caseID: 7, childID: 3, scale: 1, rater: .parent, team: 2, points: 10..<14, segments: 6..<9,
                       firstDay: 100, lastDay: 160, baseline: 4, latest: 6.5)
        #expect(s.points == 10..<14 && s.segments == 6..<9 && s.n == 4)
        #expect(s.change == nil && s.slopePer30Days == nil && s.rci == nil)
        s.change = 2.5
        s.rci = -0.0
        #expect(s.change == 2.5 && s.slopePer30Days == nil && s.rci == 0 && s.rci?.sign == .minus)
        s.slopePer30Days = 1.25
        s.change = nil
        #expect(s.change == nil && s.slopePer30Days == 1.25 && s.rci != nil)
        let one = Series(caseID: 1, childID: 0, scale: 0, rater: .practitioner, team: 0, points: 5..<6, segments: 3..<3,
                         firstDay: 1, lastDay: 1, baseline: 2, latest: 2)
        #expect(one.segments.isEmpty && one.segments.lowerBound == 3 && one.n == 1)
    }
}
