import Foundation
import Testing
import WaymarkFuzzTargets
import WaymarkTestSupport

/// Replays every committed regression input of `Tests/FuzzCorpus/<target>/`
/// through the same code the libFuzzer executables run (docs/fuzzing.md): a
/// crash found by `scripts/fuzz` becomes a test by copying its input there.
@Suite(.serialized) struct FuzzCorpusReplayTests {
    @Test(arguments: FuzzTarget.allCases)
    func replaysTheCommittedCorpus(_ target: FuzzTarget) throws {
        let folder = projectRoot() + "/Tests/FuzzCorpus/" + target.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        #expect(!names.isEmpty, "no regression inputs in \(folder)")
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            do {
                try bytes.withUnsafeBytes { try target.run($0) }
            } catch {
                Issue.record("\(target.rawValue)/\(name): \(error)")
            }
        }
    }
}
