import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

@Suite struct MappingTests {
    @Test func aNonCanonicalExportMapsToTheSameRowsAsTheCanonicalOne() throws {
        let root = try InputFolder([:])
        let canonical = root.path + "/canonical", mosaic = root.path + "/mosaic"
        try FixtureGenerator(cases: 60, seed: 3).write(to: canonical)
        try MosaicLayout.rewrite(from: canonical, to: mosaic)
        // The shipped pipeline file, pointed at this folder.
        let shipped = try String(contentsOfFile: projectRoot() + "/Pipelines/mosaic-uk.yaml", encoding: .utf8)
            .replacingOccurrences(of: "folder: ../Fixtures/mosaic-uk", with: "folder: \(mosaic)")
        let pipeline = root.path + "/mosaic.yaml"
        try shipped.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let mapped = try Ingestor(config: try PipelineFile.load(path: pipeline), extractedOn: Day(iso: "2026-11-05")!).run()
        var canonicalConfig = PipelineConfig.canonicalFolder(canonical) { FileManager.default.fileExists(atPath: $0) }
        canonicalConfig.scales = mapped.files.isEmpty ? [] : try PipelineFile.load(path: pipeline).scales
        let plain = try Ingestor(config: canonicalConfig, extractedOn: Day(iso: "2026-11-05")!).run()

        #expect(mapped.rowsQuarantined == 0)
        #expect(mapped.files.map(\.rowsAccepted) == plain.files.map(\.rowsAccepted))
        #expect(mapped.scores.day == plain.scores.day)
        #expect(mapped.scores.score == plain.scores.score)
        #expect(mapped.scores.rater == plain.scores.rater)
        #expect(mapped.scores.setting == plain.scores.setting)
        #expect(mapped.scores.scale == plain.scores.scale)
        #expect(mapped.interventions.ended == plain.interventions.ended)
        #expect(mapped.interventions.endReason == plain.interventions.endReason)
        #expect(mapped.responses.response == plain.responses.response)
        #expect(mapped.responses.intervention == plain.responses.intervention)
        // Case identity survives the "100001.0" and " 100001 " spellings.
        #expect(mapped.ids.cases.count == plain.ids.cases.count)
        #expect(mapped.scores.caseID == plain.scores.caseID)
        // Windows-1252 text is transcoded.
        #expect((0..<mapped.ids.teams.count).map { mapped.ids.teams.string(UInt32($0)) }.contains("Café Quarter"))
    }

    @Test func idNormalisations() throws {
        let f = try Minimal.folder(scores: Minimal.scoresHeader + """
        S1, ab12.0 ,,T1,W1,2026-01-10,safety,4,practitioner,review
        S2,AB12,,T1,W1,2026-01-10,safety,5,practitioner,review
        S3,4411.0,,T1,W1,2026-01-10,safety,5,practitioner,review
        S4,4411,,T1,W1,2026-01-10,safety,6,practitioner,review

        """)
        var config = f.config()
        // Untouched: four distinct case ids, plus blank and the C1 of interventions.csv.
        #expect(try f.ingest(config).ids.cases.count == 6)
        config.inputs[.scalingScores]?.ids.trim = true
        config.inputs[.scalingScores]?.ids.dropExcelDecimal = true
        config.inputs[.scalingScores]?.ids.foldCase = true
        let r = try f.ingest(config)
        // "ab12.0" keeps its .0 (not a number); fold and trim give "ab12.0" and "ab12"; 4411.0 == 4411.
        #expect(r.ids.cases.count == 5)
        #expect(r.scores.caseID[2] == r.scores.caseID[3])
    }

    @Test func dateFormatsWithTimes() {
        func parse(_ f: DateFormat, _ s: String) -> String? {
            var t = s
            return t.withUTF8 { f.parse($0) }?.description
        }
        #expect(parse(.iso, "2024-02-29") == "2024-02-29")
        #expect(parse(.iso, "2023-02-29") == nil)
        #expect(parse(.iso, "2024-02-29T13:45:00Z") == "2024-02-29")
        #expect(parse(.iso, "2024-2-29") == nil)
        #expect(parse(.dmy, "29/02/2024") == "2024-02-29")
        #expect(parse(.dmy, "1/3/2024") == "2024-03-01")
        #expect(parse(.dmy, "01/03/2024 09:30") == "2024-03-01")
        #expect(parse(.dmy, "01/03/2024 09:30:59.123") == "2024-03-01")
        #expect(parse(.dmy, "01/03/2024 25:00") == nil)
        #expect(parse(.dmy, "31/04/2024") == nil)
        #expect(parse(.dmy, "2024-03-01") == nil)
    }

    @Test func decimals() {
        func parse(_ s: String) -> Double? {
            var t = s
            return t.withUTF8 { DecimalText.parse($0) }
        }
        #expect(parse("7") == 7)
        #expect(parse("7.25") == 7.25)
        #expect(parse("-0.1") == -0.1)
        #expect(parse(".5") == 0.5)
        #expect(parse("5.") == 5)
        #expect(parse("0.1000000000000000055511151231257827") == 0.1)
        #expect(parse("1e3") == nil)
        #expect(parse("nan") == nil)
        #expect(parse("1,5") == nil)
        #expect(parse("") == nil)
        #expect(parse(".") == nil)
    }

    @Test func days() {
        #expect(Day(year: 1970, month: 1, day: 1)?.number == 0)
        #expect(Day(year: 2000, month: 3, day: 1)?.number == 11_017)
        #expect(Day(iso: "2024-02-10")?.endOfMonth.description == "2024-02-29")
        #expect(Day(iso: "2026-11-23")?.endOfPreviousMonth.description == "2026-10-31")
        #expect(Day(iso: "2026-03-15")?.endOfPreviousMonth.description == "2026-02-28")
        #expect(Day(iso: "1999-12-31")?.components.year == 1999)
    }
}

@Suite struct PipelineFileTests {
    func load(_ yaml: String) throws -> PipelineConfig {
        let f = try Minimal.folder(extra: ["p.yaml": yaml])
        return try PipelineFile.load(path: f.path + "/p.yaml")
    }

    func expectError(_ yaml: String, line: Int, key: String, _ sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try load(yaml)
        } throws: { error in
            guard let e = error as? PipelineFileError else { return false }
            return e.line == line && e.key == key
        }
    }

    static let good = """
    name: t
    inputs: {folder: .}
    scales:
      safety: {min: 0, max: 10, direction: higher_is_better, sd: baseline, reliability: 0.8, sustained_threshold: 7}
    """

    @Test func shippedPipelinesLoad() throws {
        for name in ["monthly", "mosaic-uk", "research"] {
            let config = try PipelineFile.load(path: projectRoot() + "/Pipelines/\(name).yaml")
            #expect(config.name == name)
            #expect(config.inputs[.scalingScores] != nil && config.inputs[.children] != nil)
            #expect(config.scale(named: "safety")?.sustainedThreshold == 7)
        }
    }

    @Test func stagesRunInTheirOrder() throws {
        #expect(try load(Self.good).stages == PipelineStage.allCases)
        #expect(try load(Self.good + "\nstages: [ingest, trajectories]").stages == [.ingest, .trajectories])
        #expect(try PipelineFile.load(path: projectRoot() + "/Pipelines/research.yaml").stages.last == .disclosure)
        // Line 5 is the stages line: a gap, a wrong start, an unknown stage, not a list.
        expectError(Self.good + "\nstages: [ingest, indicators]", line: 5, key: "stages")
        expectError(Self.good + "\nstages: [trajectories]", line: 5, key: "stages")
        expectError(Self.good + "\nstages: [ingest, publish]", line: 5, key: "stages")
        expectError(Self.good + "\nstages: report", line: 5, key: "stages")
    }

    @Test func evaluationSections() throws {
        let c = try load(Self.good + """

        evaluation:
          follow_up_days: 90
          seed: 7
          programme:
            name: fgc
            offered: {type: family_group_conference, from: 2026-01-01, to: 2026-03-31}
            teams: [North, South]
            series: {exposure: [engaged], n_points: {min: 3}, first_day: {max: 2026-06-30}}
          comparison: {name: others, everyone_else: true}
        """)
        let e = try #require(c.evaluation)
        #expect(e.followUpDays == 90 && e.seed == 7 && e.bootstrap == 2000)
        #expect(e.programme.name == "fgc" && e.programme.offeredType == "family_group_conference" && e.programme.teams == ["North", "South"])
        #expect(e.programme.series == [.text(field: .exposure, values: ["engaged"]), .range(field: .nPoints, min: 3, max: nil),
                                       .range(field: .firstDay, min: nil, max: Double(Day(iso: "2026-06-30")!.number))])
        #expect(e.comparison.everyoneElse && e.comparison.name == "others")
        // Errors name the line and the key: line 5 is `evaluation:`'s first key.
        expectError(Self.good + "\nevaluation:\n  programme: {offered: {from: 2026-01-01}}", line: 6, key: "evaluation.programme.offered")
        expectError(Self.good + "\nevaluation:\n  programme: {teams: [A]}\n  bootstrap: 10", line: 7, key: "evaluation.bootstrap")
        expectError(Self.good + "\nevaluation:\n  programme: {series: {colour: [red]}}", line: 6, key: "evaluation.programme.series.colour")
        expectError(Self.good + "\nevaluation:\n  programme: {teams: [A]}\n  comparison: {everyone_else: true, teams: [B]}", line: 7,
                    key: "evaluation.comparison.everyone_else")
        expectError(Self.good + "\nevaluation:\n  scale: mood\n  programme: {teams: [A]}", line: 1, key: "evaluation.scale")
    }

    @Test func aGoodFile() throws {
        let c = try load(Self.good)
        #expect(c.scales.first?.sd == .baseline)
        #expect(c.inputs[.episodes] == nil)
        #expect(c.headlineScale == "safety")
        #expect(c.sourceHash?.count == 64)
    }

    /// `outputs.restricted_root`: record-level files' root, relative to the pipeline file like `root`; never the same as `root`.
    @Test func restrictedRoot() throws {
        let plain = try load(Self.good)
        #expect(plain.outputRoot == "Reports" && plain.restrictedRoot == "Restricted")
        let f = try Minimal.folder(extra: ["p.yaml": Self.good + "\noutputs: {root: ../Reports, restricted_root: ../Restricted}"])
        let c = try PipelineFile.load(path: f.path + "/p.yaml")
        #expect(c.restrictedRoot == joinPath(f.path, "../Restricted") && c.outputRoot == joinPath(f.path, "../Reports"))
        expectError(Self.good + "\noutputs: {root: out, restricted_root: out}", line: 5, key: "outputs.restricted_root")
        expectError(Self.good + "\noutputs: {restricted_root: [a]}", line: 5, key: "outputs.restricted_root")
    }

    @Test func errorsNameLineAndKey() {
        expectError(Self.good + "\nwindow: 3\n", line: 5, key: "window")
        expectError("name: t\ninputs: {folder: .}\nscales:\n  safety: {min: 0, direction: higher_is_better}\n", line: 4, key: "scales.safety")
        expectError("name: t\ninputs: {folder: .}\nscales:\n  safety: {min: 0, max: ten, direction: higher_is_better}\n", line: 4, key: "scales.safety.max")
        expectError("name: t\ninputs: {folder: .}\nscales:\n  s: {min: 0, max: 10, direction: up}\n", line: 4, key: "scales.s.direction")
        expectError(Self.good + "\nparameters:\n  window_days: -3\n", line: 6, key: "parameters.window_days")
        expectError(Self.good + "\nmapping:\n  encoding: latin-9\n", line: 6, key: "mapping.encoding")
        expectError(Self.good + "\nheadline: {scale: mood}\n", line: 1, key: "headline.scale")
        expectError("name: t\nscales:\n  s: {min: 0, max: 10, direction: higher_is_better}\n", line: 1, key: "inputs")
        expectError("name: t\ninputs: {folder: .}\nscales: [\n", line: 4, key: "(syntax)")
    }
}


@Suite struct RunDatesTests {
    let config = PipelineConfig(name: "t")

    @Test func defaultsReportTheLastWholeMonth() throws {
        let d = try RunDates.resolve(asOf: nil, extractedOn: nil, config: config, today: Day(iso: "2026-11-14")!)
        #expect(d.extractedOn.description == "2026-11-14" && d.asOf.description == "2026-10-31")
        let march = try RunDates.resolve(asOf: nil, extractedOn: Day(iso: "2024-03-01"), config: config)
        #expect(march.asOf.description == "2024-02-29")
    }

    @Test func explicitDatesWinAndAsOfCannotFollowTheExport() throws {
        var c = config
        c.asOf = Day(iso: "2026-09-30")
        c.extractedOn = Day(iso: "2026-10-02")
        let d = try RunDates.resolve(asOf: nil, extractedOn: nil, config: c, today: Day(iso: "2030-01-01")!)
        #expect(d.asOf.description == "2026-09-30" && d.extractedOn.description == "2026-10-02")
        #expect(throws: RunError.self) { try RunDates.resolve(asOf: Day(iso: "2026-11-30"), extractedOn: Day(iso: "2026-11-05"), config: c) }
    }

    @Test func aMissingInputFileStopsTheRunNamingIt() throws {
        let f = try Minimal.folder()
        try FileManager.default.removeItem(atPath: f.path + "/responses.csv")
        #expect { try f.ingest() } throws: { "\($0)".contains("responses.csv: cannot read the file (no such file)") }
    }
}

/// `identifier_guard.allow` in a pipeline file.
@Suite struct WaiverFileTests {
    @Test func waiversAreReadAndChecked() throws {
        let root = try InputFolder([:]).path
        func load(_ guardSection: String) throws -> PipelineConfig {
            let text = "name: w\ninputs:\n  folder: \(projectRoot())/Fixtures/demo\nscales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n" + guardSection
            try text.write(toFile: root + "/w.yaml", atomically: true, encoding: .utf8)
            return try PipelineFile.load(path: root + "/w.yaml")
        }
        let c = try load("identifier_guard:\n  allow:\n    - {file: scaling_scores, column: case_id, pattern: nhs_number}\n")
        #expect(c.identifierWaivers == [IdentifierWaiver(file: .scalingScores, column: "case_id", pattern: .nhsNumber, line: 8)])
        #expect(throws: (any Error).self) { try load("identifier_guard:\n  allow:\n    - {file: scaling_scores, column: case_id, pattern: everything}\n") }
        #expect(throws: (any Error).self) { try load("identifier_guard:\n  allow:\n    - {file: scaling_scores, pattern: nhs_number}\n") }
    }
}
