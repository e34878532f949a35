import Foundation
import Testing
import WaymarkTestSupport
import WaymarkPipeline
import WaymarkCore
import WaymarkIngest

/// Inputs must hold still (DATA-CONTRACT.md): a file whose size, modification
/// time or identity changes while it is read stops the run (issue #11: a file
/// rewritten during the read gave exit 0 and a hash of neither version).
@Suite struct InputStabilityTests {
    enum Change: CaseIterable { case appended, rewrittenSameSize, replacedByRename }

    func change(_ path: String, _ how: Change) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        switch how {
        case .appended:
            let h = try #require(FileHandle(forWritingAtPath: path))
            h.seekToEndOfFile()
            h.write(Data("S9,C9,,T1,W1,2026-01-10,safety,4,practitioner,review\n".utf8))
            h.closeFile()
        case .rewrittenSameSize:
            try Data(text.replacingOccurrences(of: ",4,", with: ",5,").utf8).write(to: URL(fileURLWithPath: path))
            // Same size and, on a coarse clock, possibly the same tick: make the new time certain.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: path)
        case .replacedByRename:
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".new"))
            _ = rename(path + ".new", path)
        }
    }

    @Test(arguments: Change.allCases, [Int.max, 0])
    func aFileThatChangesWhileReadStopsTheRun(_ how: Change, _ threshold: Int) throws {
        var rows = ""
        for k in 1...300 { rows += "S\(k),C\(k),,T1,W1,2026-01-10,safety,4,practitioner,review\n" }
        let folder = try Minimal.folder(scores: Minimal.scoresHeader + rows)
        var config = folder.config()
        config.parallelThreshold = threshold
        let ingestor = Ingestor(config: config, extractedOn: Day(iso: "2026-11-05")!)
        let path = folder.path + "/scaling_scores.csv"
        var changed = false
        ingestor.progress = { p in
            guard p.file == .scalingScores, !changed else { return }
            changed = true
            try? change(path, how)
        }
        do {
            _ = try ingestor.run()
            Issue.record("no stop when the file was \(how)")
        } catch IngestError.inputChanged(let stopped) {
            #expect(stopped == path)
        }
        // Left alone, the same file reads cleanly.
        _ = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05")!).run()
        #expect(changed)
    }

    @Test func theStopMessageNamesTheFileAndSaysWhatToDo() {
        let text = IngestError.inputChanged(path: "/in/scaling_scores.csv").description
        #expect(text.hasPrefix("/in/scaling_scores.csv: the file changed while Waymark read it"))
        #expect(text.contains("Nothing was written"))
    }
}
