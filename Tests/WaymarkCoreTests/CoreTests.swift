import Foundation
import Testing
import WaymarkCore

/// Days, decimals, paths and output folders, worked by hand.
@Suite struct CoreTests {
    /// 1970-01-01 is day 0; 2024 is a leap year; the month before 2026-03-15 ends on 2026-02-28.
    @Test func days() throws {
        #expect(Day(iso: "1970-01-01")?.number == 0)
        #expect(Day(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2026-03-15")!.endOfPreviousMonth.description == "2026-02-28")
        #expect(Day(iso: "2026-10-31")! - Day(iso: "2025-10-31")! == 365)
    }

    /// Decimal text reads to the nearest double: "0.1" is 0.1, "-2.5" is -2.5, "1e3" is not plain decimal.
    @Test func decimals() {
        func parse(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer { DecimalText.parse($0) } }
        #expect(parse("0.1") == 0.1)
        #expect(parse("-2.5") == -2.5)
        #expect(parse("7") == 7)
        #expect(parse("1e3") == nil)
        #expect(parse("") == nil)
    }

    /// Lexical paths: `.` and `..` go; an absolute second part wins.
    @Test func paths() {
        #expect(joinPath("Reports/monthly", "../Restricted") == "Reports/Restricted")
        #expect(joinPath("/a/b", "/c") == "/c")
        #expect(normalisePath("./a//b/./c/..") == "a/b")
        #expect(lastPathComponent("/x/y/") == "y")
        #expect(parentFolder("/x/y") == "/x")
    }

    /// The restricted folder is never the report folder or inside it, and defaults to DIR.restricted.
    @Test func restrictedFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-core-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = root + "/report"
        #expect(OutputFolders.restrictedSibling(of: report) == report + ".restricted")
        let folders = OutputFolders(reportFolder: report, restrictedFolder: OutputFolders.restrictedSibling(of: report))
        #expect(throws: RunError.self) { try folders.useRestrictedFolder(report + "/inside") }
        #expect(throws: RunError.self) { try folders.useRestrictedFolder(report) }
        try folders.useRestrictedFolder(root + "/elsewhere")
        let path = try folders.restrictedPath("record-level/series.csv")
        #expect(path == root + "/elsewhere/record-level/series.csv")
        #expect(FileManager.default.fileExists(atPath: root + "/elsewhere/record-level"))
        folders.wroteRestricted("record-level/series.csv")
        #expect(folders.restrictedFilesWritten == ["record-level/series.csv"])
        #expect(folders.filesWritten.isEmpty)
        #expect(folders.restrictedFolderFromReport == "../elsewhere")
    }
}
