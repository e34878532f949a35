import Foundation
import Testing
@testable import WaymarkCSV

/// The writer's full buffers go to the kernel on a thread of their own: the
/// bytes must be those written in place, and a failed write must still stop
/// the caller.
@Suite struct CSVWriterBackgroundTests {
    /// Several buffers' worth of rows, written both ways, give the same file.
    @Test func backgroundWritesGiveTheBytesOfWritesInPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ path: String, background: Bool) throws {
            let w = try CSVWriter(path: path)
            w.background = background
            for k in 0..<60_000 {
                w.text("case \(k % 977), \"quoted\"")
                w.integer(k)
                w.number(Double(k) / 8)
                w.date(year: 2026, month: 1 + k % 12, day: 1 + k % 28)
                try w.endRow()
            }
            try w.close()
        }
        try write(dir + "/a.csv", background: false)
        try write(dir + "/b.csv", background: true)
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.csv"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.csv"))
        #expect(a.count > 2 << 20)   // three 1 MiB buffers or so
        #expect(a == b)
    }

    /// /dev/full refuses every write (ENOSPC): the error reaches the caller by
    /// close at the latest, naming the path.
    @Test func aFailedBackgroundWriteIsThrown() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let w = try CSVWriter(path: "/dev/full")
        #expect(throws: CSVWriteError.self) {
            for k in 0..<200_000 {
                w.text("row \(k)")
                try w.endRow()
            }
            try w.close()
        }
    }
}
