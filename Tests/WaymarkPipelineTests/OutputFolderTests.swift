import Foundation
import Testing
import WaymarkTestSupport

/// OUTPUTS.md's folder safety, as a user meets it: the built binary run into
/// folders that already hold something.
@Suite(.serialized) struct OutputFolderTests {
    static let binary = waymarkBinary

    func waymark(_ arguments: [String]) throws -> Int32 { try runWaymark(arguments + ["--quiet", "--no-history"]) }

    func files(_ folder: String) -> Set<String> {
        Set((FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? [])
    }

    /// Nothing half-written is left beside the targets.
    func expectNoPartials(_ root: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        #expect(!names.contains { $0.contains("waymark-partial") }, "a temporary folder was left behind")
    }

    /// A second run into an earlier run's folder replaces it whole: the report
    /// pack of the first run does not survive an `indicators` run.
    @Test func anEarlierRunIsReplacedWhole() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let root = try InputFolder([:]).path
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/r"]) == 0)
        #expect(files(root + "/r").contains("index.html"))
        #expect(try waymark(["indicators", "Pipelines/monthly.yaml", "--out", root + "/r"]) == 0)
        #expect(!files(root + "/r").contains("index.html"))
        #expect(files(root + "/r").contains("indicators.csv"))
        expectNoPartials(root)
    }

    /// A non-empty folder that is not a Waymark run stops the run (exit 2) untouched; --force replaces it.
    @Test func aForeignFolderIsNotOverwritten() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let root = try InputFolder([:]).path
        try FileManager.default.createDirectory(atPath: root + "/mine", withIntermediateDirectories: true)
        try "keep me".write(toFile: root + "/mine/notes.txt", atomically: true, encoding: .utf8)
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/mine"]) == 2)
        #expect(files(root + "/mine") == ["notes.txt"])
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/mine", "--force"]) == 0)
        #expect(!files(root + "/mine").contains("notes.txt") && files(root + "/mine").contains("manifest.json"))
        expectNoPartials(root)
    }

    /// A `quarantine` link planted in the folder is not followed: its target stays empty.
    @Test func aPlantedLinkIsNotFollowed() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let root = try InputFolder([:]).path
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        try "".write(toFile: root + "/outside/.keep", atomically: true, encoding: .utf8)
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/r"]) == 0)
        try FileManager.default.removeItem(atPath: root + "/r/quarantine")
        try FileManager.default.createSymbolicLink(atPath: root + "/r/quarantine", withDestinationPath: root + "/outside")
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/r"]) == 0)
        #expect(files(root + "/outside") == [".keep"])
        let type = try FileManager.default.attributesOfItem(atPath: root + "/r/quarantine")[.type] as? FileAttributeType
        #expect(type == .typeDirectory)
        // The report folder itself as a link: refused.
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/outside")
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/link"]) == 2)
        #expect(files(root + "/outside") == [".keep"])
    }

    /// A run that stops on bad input leaves the earlier run's folder exactly as it was.
    @Test func aFailedRunLeavesTheEarlierRunIntact() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        let root = try InputFolder([:]).path
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/r"]) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: root + "/r/manifest.json"))
        // The demo with an NHS number in a free-text column: the identifier guard stops the run (exit 2).
        try copyDemo(to: root + "/bad")
        var scores = try String(contentsOfFile: root + "/bad/scaling_scores.csv", encoding: .utf8)
        scores = scores.replacingOccurrences(of: ",assessment\n", with: ",943 476 5919\n", options: [], range: scores.range(of: ",assessment\n"))
        try scores.write(toFile: root + "/bad/scaling_scores.csv", atomically: true, encoding: .utf8)
        #expect(try waymark(["run", root + "/bad", "--out", root + "/r", "--extracted-on", "2026-11-05"]) == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/r/manifest.json")) == before)
        #expect(files(root + "/r").contains("index.html"))
        expectNoPartials(root)
    }
}

/// DATA-CONTRACT.md, "A mostly rejected file stops the run".
@Suite(.serialized) struct QuarantineShareTests {
    /// The demo with every score's date written day-first (a date-format typo): every score row is
    /// quarantined, so the run stops (exit 2) and publishes quality.csv, quarantine/ and the manifest only.
    /// With `quality.max_quarantined_share: 1` the same run publishes.
    @Test func aMostlyQuarantinedFileStopsTheRun() throws {
        try #require(FileManager.default.isExecutableFile(atPath: OutputFolderTests.binary))
        let root = try InputFolder([:]).path
        try copyDemo(to: root + "/typo")
        let scores = try String(contentsOfFile: root + "/typo/scaling_scores.csv", encoding: .utf8)
        let dayFirst = try NSRegularExpression(pattern: "(\\d{4})-(\\d{2})-(\\d{2})")
            .stringByReplacingMatches(in: scores, range: NSRange(scores.startIndex..., in: scores), withTemplate: "$3/$2/$1")
        try dayFirst.write(toFile: root + "/typo/scaling_scores.csv", atomically: true, encoding: .utf8)
        let t = OutputFolderTests()
        #expect(try t.waymark(["run", root + "/typo", "--out", root + "/r", "--extracted-on", "2026-11-05"]) == 2)
        #expect(t.files(root + "/r").contains("quality.csv") && t.files(root + "/r").contains("manifest.json"))
        #expect(!t.files(root + "/r").contains("indicators.csv") && !t.files(root + "/r").contains("index.html"))
        let manifest = try String(contentsOfFile: root + "/r/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"status\": \"stopped: a required file was mostly quarantined\""))
        let yaml = """
        name: typo
        inputs:
          folder: \(root)/typo
        run:
          extracted_on: 2026-11-05
          as_of: 2026-10-31
        scales:
          safety: {min: 0, max: 10, direction: higher_is_better}
        quality:
          max_quarantined_share: 1
        """
        try yaml.write(toFile: root + "/typo.yaml", atomically: true, encoding: .utf8)
        #expect(try t.waymark(["run", root + "/typo.yaml", "--out", root + "/r"]) == 0)
        #expect(t.files(root + "/r").contains("indicators.csv"))
    }
}
