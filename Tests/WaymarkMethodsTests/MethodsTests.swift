import Testing
import WaymarkMethods

/// Each rule of METHODS.md, worked by hand.
@Suite struct MethodsTests {
    var worry: ScaleSpec { ScaleSpec(name: "worry", min: 0, max: 10, higherIsBetter: false) }
    var safety: ScaleSpec {
        var s = ScaleSpec(name: "safety", min: 0, max: 10, higherIsBetter: true)
        s.sustainedThreshold = 7
        s.sustainedGapDays = 28
        return s
    }

    /// M1: on a 0-10 worry scale, 8 (very worried) is 2 oriented; safety is unchanged.
    @Test func orientation() {
        #expect(worry.oriented(8) == 2)
        #expect(safety.oriented(8) == 8)
    }

    /// M3 with step 1: +1 improved, -1 worsened, +0.999 steady; M13.1: 1 - 1e-10 counts as 1.
    @Test func direction() {
        #expect(safety.direction(ofChange: 1) == .improved)
        #expect(safety.direction(ofChange: -1) == .worsened)
        #expect(safety.direction(ofChange: 0.999) == .steady)
        #expect(safety.direction(ofChange: 1 - 1e-10) == .improved)
        #expect(safety.direction(ofChange: (0.1 + 0.2) * 10 - 2) == .improved)   // 1.0000000000000004
    }

    /// M6: 7 and 8 twenty-eight days apart are sustained; 27 days apart, or 6.9, are not; no threshold gives nil.
    @Test func sustained() {
        #expect(safety.sustained(previous: (7, 100), last: (8, 128)) == true)
        #expect(safety.sustained(previous: (7, 100), last: (8, 127)) == false)
        #expect(safety.sustained(previous: (6.9, 100), last: (8, 200)) == false)
        #expect(worry.sustained(previous: (9, 0), last: (9, 100)) == nil)
    }

    /// M6: sd 2, reliability 0.8: se = 2 * sqrt(0.4) = 1.2649...; a change of 2.48 gives rci 1.9606 (improvement),
    /// 2.47 gives 1.9527 (no reliable change); -1.96 exactly is a deterioration.
    @Test func reliableChange() {
        let se = ReliableChange.standardError(sd: 2, reliability: 0.8)
        #expect(abs(se - 1.2649110640673518) < 1e-15)
        #expect(ReliableChange(rci: 2.48 / se) == .improvement)
        #expect(ReliableChange(rci: 2.47 / se) == .noChange)
        #expect(ReliableChange(rci: -1.96) == .deterioration)
        #expect(ReliableChange(rci: 1.96 - 1e-10) == .improvement)
    }

    /// M6, M13.6: sample SD of 2, 4, 4, 4, 5, 5, 7, 9 is sqrt(32/7); the reasons for no rci.
    @Test func rciStandardError() throws {
        var s = safety
        #expect(s.rciStandardError(baselines: { [] }) == .failure(.noParameters))
        s.reliability = 1
        s.sd = .value(2)
        #expect(s.rciStandardError(baselines: { [] }) == .failure(.reliabilityOne))
        s.reliability = 0.5
        #expect(s.rciStandardError(baselines: { [] }) == .success(2))
        s.sd = .baseline
        #expect(s.rciStandardError(baselines: { [3] }) == .failure(.fewBaselines))
        #expect(s.rciStandardError(baselines: { [3, 3] }) == .failure(.noVariation))
        let se = try s.rciStandardError(baselines: { [2, 4, 4, 4, 5, 5, 7, 9] }).get()
        #expect(abs(se - (32.0 / 7).squareRoot()) < 1e-12)
    }

    /// M4: family-level offers and series belong to everything in the case; children only to themselves.
    @Test func belonging() {
        #expect(Belonging.interventionBelongs(interventionChild: 0, seriesChild: 3))
        #expect(Belonging.interventionBelongs(interventionChild: 3, seriesChild: 0))
        #expect(Belonging.interventionBelongs(interventionChild: 3, seriesChild: 3))
        #expect(!Belonging.interventionBelongs(interventionChild: 2, seriesChild: 3))
    }

    /// M5, M13.4: offered day 10, lapse 90.
    @Test func offerStop() {
        // Ended on 50, as at 60: stops on 50; as at 40 the end is not yet known: not started, no response: 10 + 90.
        #expect(OfferStop.day(asOf: 60, offered: 10, started: 20, ended: 50, latestResponse: nil, lapseDays: 90) == 50)
        #expect(OfferStop.day(asOf: 40, offered: 10, started: nil, ended: 50, latestResponse: nil, lapseDays: 90) == 100)
        // Latest response a decline on 30: stops then; an engagement: still on offer.
        #expect(OfferStop.day(asOf: 60, offered: 10, started: nil, ended: nil, latestResponse: (30, true), lapseDays: 90) == 30)
        #expect(OfferStop.day(asOf: 60, offered: 10, started: nil, ended: nil, latestResponse: (30, false), lapseDays: 90) == OfferStop.never)
        // Started by E, no response: on offer.
        #expect(OfferStop.day(asOf: 60, offered: 10, started: 20, ended: nil, latestResponse: nil, lapseDays: 90) == OfferStop.never)
    }

    /// M13.9: blank values are `unknown`.
    @Test func groupNames() {
        #expect(GroupName.of("") == "unknown")
        #expect(GroupName.of("5-9") == "5-9")
    }

    /// The catalogue order of M8 and M13.10.
    @Test func indicatorOrder() {
        #expect(IndicatorID.allCases.map(\.rawValue) == ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10", "I11", "I12", "I13",
                                                         "I14", "I14u", "I15", "I15u", "I16"])
        #expect(IndicatorID.i14 < .i14u && .i14u < .i15)
    }
}
