import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkCSV
import WaymarkMethods
import WaymarkIngest

/// Issue #13 item 8: three foreign exports, made by the generator's layouts
/// and committed small in Fixtures/, each read through its shipped pipeline
/// file only and run end to end.
@Suite(.serialized) struct ForeignFixtureTests {
    static let layouts = ["liquidlogic", "wide", "statutory-return"]

    /// The generator's canonical export the fixtures were made from
    /// (`waymark fixtures --cases 40 --seed 13 --layout <name>`).
    func canonical() throws -> String {
        let folder = try InputFolder([:]).path + "/canonical"
        try FixtureGenerator(cases: 40, seed: 13).write(to: folder)
        return folder
    }

    func rewrite(_ layout: String, from source: String, to destination: String) throws {
        switch layout {
        case "liquidlogic": try LiquidlogicLayout.rewrite(from: source, to: destination)
        case "wide": try WideLayout.rewrite(from: source, to: destination)
        default: try StatutoryReturnLayout.rewrite(from: source, to: destination, extractedOn: Day(iso: "2026-11-05")!)
        }
    }

    /// The shipped pipeline file, loaded as is (its folder points at Fixtures/).
    func shipped(_ layout: String) throws -> PipelineConfig {
        try PipelineFile.load(path: projectRoot() + "/Pipelines/\(layout).yaml")
    }

    func ingest(_ config: PipelineConfig) throws -> IngestResult {
        try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test(arguments: layouts)
    func theCommittedFixtureIsTheLayoutsOutput(_ layout: String) throws {
        let out = try InputFolder([:]).path + "/" + layout
        try rewrite(layout, from: try canonical(), to: out)
        let committed = projectRoot() + "/Fixtures/" + layout
        let names = try FileManager.default.contentsOfDirectory(atPath: committed).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == names)
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: out + "/" + name, andPath: committed + "/" + name), "\(layout)/\(name)")
        }
    }

    @Test(arguments: layouts)
    func theShippedPipelineRunsEndToEnd(_ layout: String) throws {
        let root = try InputFolder([:]).path
        let r = try runWaymarkCapturing(["run", projectRoot() + "/Pipelines/\(layout).yaml", "--out", root + "/out",
                                         "--restricted-out", root + "/restricted", "--no-history", "--quiet"])
        #expect(r.status == 0, "\(String(decoding: r.output, as: UTF8.self).suffix(600))")
        for name in ["index.html", "indicators.csv", "quality.csv", "manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: root + "/out/" + name), "\(name)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/out/manifest.json"))) as? [String: Any]
        let inputs = (manifest?["inputs"] as? [[String: Any]]) ?? []
        #expect(!inputs.isEmpty && inputs.allSatisfy { $0["rows_quarantined"] as? Int == 0 && $0["rows_balance"] as? Bool == true })
    }

    /// The Liquidlogic-like export reads to exactly the canonical rows.
    @Test func liquidlogicReadsAsTheCanonicalExport() throws {
        let mapped = try ingest(try shipped("liquidlogic"))
        var plainConfig = PipelineConfig.canonicalFolder(try canonical()) { FileManager.default.fileExists(atPath: $0) }
        plainConfig.scales = try shipped("liquidlogic").scales
        let plain = try ingest(plainConfig)
        #expect(mapped.rowsQuarantined == 0)
        #expect(mapped.files.map(\.rowsAccepted) == plain.files.map(\.rowsAccepted))
        #expect(mapped.scores.day == plain.scores.day && mapped.scores.score == plain.scores.score)
        #expect(mapped.scores.rater == plain.scores.rater && mapped.scores.scale == plain.scores.scale)
        #expect(mapped.interventions.offered == plain.interventions.offered && mapped.responses.day == plain.responses.day)
    }

    /// The wide export unpivots to the canonical scores (as a set: the order differs).
    @Test func wideUnpivotsToTheCanonicalScores() throws {
        let wide = try ingest(try shipped("wide"))
        var plainConfig = PipelineConfig.canonicalFolder(try canonical()) { FileManager.default.fileExists(atPath: $0) }
        plainConfig.scales = try shipped("wide").scales
        let plain = try ingest(plainConfig)
        func rows(_ r: IngestResult) -> [String] {
            (0..<r.scores.count).map { i in
                "\(r.ids.cases.string(r.scores.caseID[i]))|\(r.ids.children.string(r.scores.childID[i]))|\(r.scores.day[i])|\(r.scores.scale[i])|\(r.scores.rater[i])|\(r.scores.score[i])"
            }.sorted()
        }
        #expect(wide.rowsQuarantined == 0)
        #expect(rows(wide) == rows(plain))
    }

    /// The yearly returns: each row takes its file's 31 March, the DOB column
    /// is dropped, and the reasons are counted as not_scored.
    @Test func statutoryReturnsTakeTheirYearsAndCountTheReasons() throws {
        let r = try ingest(try shipped("statutory-return"))
        #expect(r.files.map { lastPathComponent($0.path) } == ["return_2025.csv", "return_2026.csv"])
        #expect(Set(r.scores.day) == [day("2025-03-31"), day("2026-03-31")])
        #expect(r.files.allSatisfy { $0.droppedColumns == [2] && !$0.header.contains("DOB") })
        // Count the reasons in the committed files by hand.
        var reasons = 0
        for f in r.files {
            let rows = try CSVReader.readAll(path: f.path).dropFirst()
            reasons += rows.filter { StatutoryReturnLayout.reasons.contains($0.fields[5]) }.count
            #expect(f.rowsRead == rows.count && f.rowsAccepted + f.rowsNotScored == rows.count)
        }
        #expect(reasons > 0 && r.files.reduce(0) { $0 + $1.rowsNotScored } == reasons)
    }
}
