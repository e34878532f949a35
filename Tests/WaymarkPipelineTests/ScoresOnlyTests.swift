import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkCSV
import WaymarkIngest

/// Issue #13 item 5: `interventions: none` makes a scores-only run work with
/// no placeholder files; the indicators that need the missing input are `x`
/// (OUTPUTS.md), and the report and the manifest say it was not given.
@Suite(.serialized) struct ScoresOnlyTests {
    static let scales = "scales:\n  safety: {min: 0, max: 10, direction: higher_is_better, sd: 2, reliability: 0.8, sustained_threshold: 7}\n"

    /// A folder holding only the demo's scores, and a pipeline file over it.
    func export(_ inputs: String) throws -> (root: String, pipeline: String) {
        let root = try InputFolder([:]).path
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: projectRoot() + "/Fixtures/demo/scaling_scores.csv", toPath: root + "/in/scaling_scores.csv")
        let yaml = "name: scores-only\ninputs:\n  folder: in\n" + inputs + "run: {extracted_on: 2026-11-05, as_of: 2026-10-31}\n" + Self.scales
        try yaml.write(toFile: root + "/p.yaml", atomically: true, encoding: .utf8)
        return (root, root + "/p.yaml")
    }

    @Test func interventionsNoneRunsOnScoresAlone() throws {
        let (root, pipeline) = try export("  interventions: none\n")
        let config = try PipelineFile.load(path: pipeline)
        #expect(config.inputsNotGiven == [.interventions, .responses])
        #expect(config.inputs[.interventions] == nil && config.inputs[.responses] == nil)

        let r = try runWaymarkCapturing(["run", pipeline, "--out", root + "/out", "--restricted-out", root + "/restricted", "--no-history", "--quiet"])
        #expect(r.status == 0, "\(String(decoding: r.output, as: UTF8.self))")
        let rows = try CSVReader.readAll(path: root + "/out/indicators.csv").map(\.fields)
        let header = try #require(rows.first)
        let id = try #require(header.firstIndex(of: "indicator_id")), status = try #require(header.firstIndex(of: "status"))
        func statuses(_ indicator: String) -> Set<String> { Set(rows.dropFirst().filter { $0[id] == indicator }.map { $0[status] }) }
        // Offers, responses and withdrawals need interventions.csv: x in every row.
        for needs in ["I5", "I6", "I9", "I10", "I11", "I12", "I13", "I14", "I14u"] {
            #expect(statuses(needs) == ["x"], "\(needs): \(statuses(needs))")
        }
        // Trajectory indicators come from the scores alone.
        #expect(!statuses("I1").contains("x") && !statuses("I1").isEmpty)
        #expect(!statuses("I7").contains("x"))

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/out/manifest.json"))) as? [String: Any]
        #expect(manifest?["inputs_not_given"] as? [String] == ["interventions.csv", "responses.csv"])
        #expect((manifest?["inputs"] as? [[String: Any]])?.map { $0["file"] as? String } == ["scaling_scores.csv"])
        #if os(Linux)
        // Each stage records the peak resident memory so far, which never falls.
        let peaks = ((manifest?["stages"] as? [[String: Any]]) ?? []).compactMap { $0["peak_rss_bytes"] as? Int }
        #expect(!peaks.isEmpty && peaks.count == (manifest?["stages"] as? [[String: Any]])?.count)
        #expect(peaks == peaks.sorted() && (peaks.first ?? 0) > 1 << 20)
        #endif
        let page = try String(contentsOfFile: root + "/out/index.html", encoding: .utf8)
        #expect(page.contains("interventions.csv was not given"))
        #expect(page.contains("responses.csv was not given"))
    }

    @Test func responsesNoneAloneKeepsTheInterventions() throws {
        let (root, pipeline) = try export("  responses: none\n")
        try FileManager.default.copyItem(atPath: projectRoot() + "/Fixtures/demo/interventions.csv", toPath: root + "/in/interventions.csv")
        let config = try PipelineFile.load(path: pipeline)
        #expect(config.inputsNotGiven == [.responses] && config.inputs[.interventions] != nil)
        let result = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05")!).run()
        #expect(result.report(.responses) == nil && result.responses.count == 0 && result.interventions.count > 0)
    }

    @Test(arguments: [
        ("  interventions: none\n  responses: responses.csv\n", 5, "inputs.responses", "say `responses: none` too"),
        ("  scaling_scores: none\n", 4, "inputs.scaling_scores", "cannot be `none`"),
    ])
    func wrongNonesNameTheirLine(_ inputs: String, _ line: Int, _ key: String, _ message: String) throws {
        let (_, pipeline) = try export(inputs)
        #expect { try PipelineFile.load(path: pipeline) } throws: { error in
            guard let e = error as? PipelineFileError else { return false }
            return e.line == line && e.key == key && e.message.contains(message)
        }
    }

    @Test func withoutNoneAMissingInterventionsFileSaysHowToRunWithoutIt() throws {
        let root = try InputFolder(["s.csv": ""]).path
        try "name: t\ninputs:\n  scaling_scores: s.csv\n\(Self.scales)".write(toFile: root + "/p.yaml", atomically: true, encoding: .utf8)
        #expect { try PipelineFile.load(path: root + "/p.yaml") } throws: { "\($0)".contains("`interventions: none`") }
    }
}
