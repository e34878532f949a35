import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkCSV
@testable import WaymarkIngest

/// Issue #13 item 2: an input read from several files (a list or a glob),
/// each with its own constants; every row keeps its own file and line.
@Suite(.serialized) struct SeveralFilesTests {
    static let header = "score_id,case_id,score,Rater\n"
    static let files = [
        "returns/return_2023.csv": header + "S1,C1,4,PSW\nS2,C2,x,PSW\nS3,C3,5,PSW\n",       // line 3: bad number
        "returns/return_2024.csv": header + "S4,C1,6,PSW\nS1,C1,4,PSW\nS5,C2,7,Parent\n",    // line 3: S1 again, but dated 2024: a conflict
    ]

    static let entry = """
      scaling_scores:
        path: returns/return_*.csv
        columns: {Rater: rated_by}
        vocabulary: {rated_by: {PSW: practitioner, Parent: parent}}
        constants: {scale: safety}
        from_file_name: {pattern: 'return_(?<year>\\d{4})\\.csv', recorded_on: year}
      interventions: none

    """

    func pipeline(_ inputs: String = entry, files: [String: String] = files) throws -> (String, String) {
        let f = try InputFolder([:])
        try FileManager.default.createDirectory(atPath: f.path + "/returns", withIntermediateDirectories: true)
        for (name, text) in files { try f.write(name, Array(text.utf8)) }
        let yaml = "name: returns\ninputs:\n  folder: .\n" + inputs
            + "run: {extracted_on: 2026-11-05, as_of: 2026-10-31}\nscales:\n  safety: {min: 0, max: 10, direction: higher_is_better}\n"
        try f.write("p.yaml", Array(yaml.utf8))
        return (f.path, f.path + "/p.yaml")
    }

    func ingest(_ path: String) throws -> IngestResult {
        try Ingestor(config: try PipelineFile.load(path: path), extractedOn: Day(iso: "2026-11-05")!).run()
    }

    @Test func aGlobReadsEachFileWithItsOwnYearAndLines() throws {
        let (_, p) = try pipeline()
        let config = try PipelineFile.load(path: p)
        #expect(config.inputs[.scalingScores]?.parts.map { lastPathComponent($0.path) } == ["return_2023.csv", "return_2024.csv"])
        let r = try ingest(p)
        #expect(r.files.map { lastPathComponent($0.path) } == ["return_2023.csv", "return_2024.csv"])
        let (a, b) = (r.files[0], r.files[1])
        // S1 is in both files with different dates: all its rows are held back as conflicting.
        #expect(a.rowsRead == 3 && a.rowsAccepted == 1 && a.quarantine.map(\.line) == [2, 3])
        #expect(a.quarantine.map { $0.problems.map(\.reason) } == [[.conflictingID], [.badNumber]])
        #expect(b.rowsRead == 3 && b.rowsAccepted == 2 && b.quarantine.map(\.line) == [3])
        #expect(b.quarantine[0].problems.map(\.reason) == [.conflictingID])
        // Each file's rows take that file's year: 2023-03-31 and 2024-03-31.
        #expect(r.scores.day == [day("2023-03-31"), day("2024-03-31"), day("2024-03-31")])
        #expect(r.scores.line == [4, 2, 4])
        #expect(a.sha256 != b.sha256 && a.sha256.count == 64)
    }

    @Test func aRunWritesAQuarantineFileAndAManifestEntryPerFile() throws {
        let (root, p) = try pipeline()
        let r = try runWaymarkCapturing(["validate", p, "--out", root + "/out", "--quiet", "--no-history"])
        #expect(r.status == 0, "\(String(decoding: r.output, as: UTF8.self))")
        let out = root + "/out"
        #expect(FileManager.default.fileExists(atPath: out + "/quarantine/scaling_scores-1.csv"))
        #expect(FileManager.default.fileExists(atPath: out + "/quarantine/scaling_scores-2.csv"))
        let q2 = try CSVReader.readAll(path: out + "/quarantine/scaling_scores-2.csv").map(\.fields)
        #expect(q2.count == 2 && q2[1][0] == "return_2024.csv" && q2[1][1] == "3")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any]
        let inputs = (manifest?["inputs"] as? [[String: Any]]) ?? []
        #expect(inputs.compactMap { ($0["path"] as? String).map(lastPathComponent) } == ["return_2023.csv", "return_2024.csv"])
        #expect(inputs.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["rows_balance"] as? Bool == true })
        let quality = try CSVReader.readAll(path: out + "/quality.csv").map(\.fields)
        #expect(quality.contains { $0[0] == "return_2023.csv" && $0[1] == "bad_number" && $0[3] == "3" })
    }

    @Test func aListWithPerFileConstants() throws {
        let files = ["a.csv": "case_id,score,recorded_on\nC1,4,2026-01-05\n", "b.csv": "case_id,score,recorded_on\nC1,6,2026-02-05\n"]
        let (_, p) = try pipeline("""
          scaling_scores:
            constants: {scale: safety}
            files:
              - {path: a.csv, constants: {rated_by: practitioner}}
              - {path: b.csv, constants: {rated_by: parent}}
          interventions: none

        """, files: files)
        let r = try ingest(p)
        #expect(r.scores.rater == [1, 2] && r.scores.scale == [1, 1] && r.files.count == 2)
    }

    @Test(arguments: [
        ("    path: returns/nothing_*.csv\n", 5, "no file matches `returns/nothing_*.csv`"),
        ("    path: [returns/return_2023.csv, returns/return_2023.csv]\n", 5, "is listed twice"),
    ])
    func wrongPathsNameTheirLine(_ path: String, _ line: Int, _ message: String) throws {
        let (_, p) = try pipeline(Self.entry.replacingOccurrences(of: "    path: returns/return_*.csv\n", with: path))
        #expect { try PipelineFile.load(path: p) } throws: { error in
            guard let e = error as? PipelineFileError else { return false }
            return e.line == line && e.message.contains(message)
        }
    }

    /// Each file must hold still while the run reads it.
    @Test func everyFileIsCheckedForHoldingStill() throws {
        let (root, p) = try pipeline()
        let ingestor = Ingestor(config: try PipelineFile.load(path: p), extractedOn: Day(iso: "2026-11-05")!)
        let first = root + "/returns/return_2023.csv"
        var changed = false
        ingestor.progress = { _ in
            guard !changed else { return }
            changed = true
            try? (Self.files["returns/return_2023.csv"]! + "S9,C9,1,PSW\n").write(toFile: first, atomically: false, encoding: .utf8)
        }
        #expect { try ingestor.run() } throws: { error in
            guard case IngestError.inputChanged(let path) = error else { return false }
            return path == first
        }
        #expect(changed)
    }
}
