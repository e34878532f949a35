import Foundation
import Testing
import WaymarkTestSupport
import WaymarkCore

/// The built `waymark` binary, run as a user runs it, writes exactly the
/// bytes recorded in Tests/Golden/*.sha256 (every file but manifest.json,
/// whose times differ), for the demo, the research pipeline, the evaluation
/// and a synthetic council of 5,000 cases. A restructuring must leave these
/// unchanged; a deliberate change regenerates them with scripts/update-golden
/// and says why in its commit.
@Suite(.serialized) struct GoldenTests {
    static let binary = waymarkBinary

    func waymark(_ arguments: [String]) throws -> Int32 { try runWaymark(arguments) }

    /// `relative path -> SHA-256` of every file under `root/name` and `root/name.restricted` but manifest.json.
    func digests(_ root: String, _ name: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for folder in [name, name + ".restricted"] {
            guard let files = FileManager.default.enumerator(atPath: root + "/" + folder) else { continue }
            for case let f as String in files {
                let path = root + "/" + folder + "/" + f
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, !f.hasSuffix("manifest.json") else { continue }
                let digest = SHA256Digest()
                digest.update(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                out[folder + "/" + f] = digest.hexDigest()
            }
        }
        return out
    }

    func expected(_ name: String) throws -> [String: String] {
        let text = try String(contentsOfFile: projectRoot() + "/Tests/Golden/\(name).sha256", encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            out[String(parts[1].drop { $0 == " " })] = String(parts[0])
        }
        return out
    }

    func check(_ name: String, _ arguments: [String], root: String) throws {
        #expect(try waymark(arguments + ["--out", root + "/" + name, "--history", root + "/history.sqlite", "--quiet"]) == 0)
        let got = try digests(root, name), want = try expected(name)
        #expect(Set(got.keys) == Set(want.keys), "\(name): files differ from Tests/Golden/\(name).sha256")
        for (file, digest) in want where got[file] != digest {
            Issue.record("\(file) differs from its golden bytes (scripts/update-golden regenerates them after a deliberate change)")
        }
    }

    @Test func outputsAreByteIdenticalToTheGoldenRuns() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the binary first (scripts/test does): swift build --build-tests")
        let root = try InputFolder([:]).path
        try check("demo", ["run", "Pipelines/monthly.yaml"], root: root)
        try check("research", ["run", "Pipelines/research.yaml"], root: root)
        try check("evaluation", ["evaluate", "Pipelines/research.yaml"], root: root)
        #expect(try waymark(["fixtures", "--cases", "5000", "--seed", "11", "--out", root + "/fixtures-5000"]) == 0)
        let yaml = try String(contentsOfFile: projectRoot() + "/Pipelines/monthly.yaml", encoding: .utf8)
            .replacingOccurrences(of: "folder: ../Fixtures/demo", with: "folder: \(root)/fixtures-5000")
            .replacingOccurrences(of: "name: monthly", with: "name: council-5000")
        try yaml.write(toFile: root + "/council-5000.yaml", atomically: true, encoding: .utf8)
        try check("council-5000", ["run", root + "/council-5000.yaml"], root: root)
    }
}
