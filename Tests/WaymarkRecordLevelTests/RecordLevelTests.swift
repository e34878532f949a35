import Foundation
import Testing
import WaymarkCore
import WaymarkRecordLevel
import WaymarkTestSupport
import WaymarkTrajectories

/// The record-level files go only to the restricted folder, marked as such.
@Suite struct RecordLevelTests {
    /// One family scored twice: one series, one segment, two points, with the marker line first.
    @Test func oneSeriesIsWrittenToTheRestrictedFolder() throws {
        let (t, ingest) = try Case(scores: ["c1,,T1,2026-01-10,safety,3,practitioner", "c1,,T1,2026-03-10,safety,6,practitioner"]).build()
        let root = try InputFolder([:]).path
        let folders = OutputFolders(reportFolder: root + "/report", restrictedFolder: root + "/restricted")
        try RecordLevelWriter.write(t, ingest: ingest, scales: ["safety", "worry", "wellbeing"], pipeline: "test", folders: folders)
        let readme = try String(contentsOfFile: root + "/restricted/record-level/README.txt", encoding: .utf8)
        #expect(readme.split(whereSeparator: \.isNewline).first.map(String.init) == RecordLevelWriter.marker)
        let series = try String(contentsOfFile: root + "/restricted/record-level/series.csv", encoding: .utf8).split(whereSeparator: \.isNewline)
        try #require(series.count == 2)   // header and one series
        #expect(series[1].hasPrefix("c1,,safety,practitioner,T1,2,2026-01-10,2026-03-10,3,6,3,"))
        #expect(!FileManager.default.fileExists(atPath: root + "/report"))
        #expect(folders.filesWritten.isEmpty && folders.restrictedFilesWritten.count == 4)
    }
}
