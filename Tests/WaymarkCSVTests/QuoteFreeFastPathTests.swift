import Foundation
import Testing
@testable import WaymarkCSV

/// The quote-free fast path (issue #15) against libcsv, the reference: every
/// fixture and thousands of generated quote-free and mixed lines are read with
/// the fast path on and off, at several chunk sizes and limits, and must give
/// the same records (line, byte span, field bytes, faults), summary and errors.
@Suite struct QuoteFreeFastPathTests {
    /// Everything a read gave, copied out of the reader's buffers.
    struct Outcome: Equatable {
        var records: [String] = []
        var summary: String = ""
        var error: String = ""
    }

    static func read(_ path: String, fastPath: Bool, chunkSize: Int, limits: CSVLimits = CSVLimits(),
                     dialect: CSVDialect = .rfc4180) -> Outcome {
        let reader = CSVReader(path: path, dialect: dialect, limits: limits, chunkSize: chunkSize)
        reader.quoteFreeFastPath = fastPath
        var out = Outcome()
        do {
            let s = try reader.read { r in
                let fields = (0..<r.count).map { Array(r[$0]).map { String($0, radix: 16) }.joined(separator: " ") }
                out.records.append("\(r.line) \(r.byteOffset)+\(r.byteCount) \(fields) \(r.faults.map { "\($0.kind.rawValue)@\($0.column)/\($0.findings)" })")
            }
            out.summary = "\(s)"
        } catch {
            out.error = "\(error)"
        }
        return out
    }

    static func expectSame(_ path: String, limits: CSVLimits = CSVLimits(), dialect: CSVDialect = .rfc4180,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        for chunk in [7, 64, 4096, 1 << 20] {
            let fast = read(path, fastPath: true, chunkSize: chunk, limits: limits, dialect: dialect)
            let reference = read(path, fastPath: false, chunkSize: chunk, limits: limits, dialect: dialect)
            #expect(fast == reference, "\(path) chunk \(chunk)", sourceLocation: sourceLocation)
        }
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fastpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("in.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The repository's root (Tests/WaymarkCSVTests/ is two levels down).
    static var root: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path }

    @Test func everyFixtureAndCorpusFileReadsTheSame() throws {
        var files: [String] = []
        for folder in ["Fixtures", "Tests/FuzzCorpus/csv", "Tests/FuzzCorpus/ingest"] {
            guard let e = FileManager.default.enumerator(atPath: Self.root + "/" + folder) else { continue }
            for case let f as String in e where !f.hasSuffix(".md") && !f.hasSuffix(".yaml") {
                var isDir: ObjCBool = false
                let p = Self.root + "/" + folder + "/" + f
                if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue { files.append(p) }
            }
        }
        #expect(files.count >= 10)
        for f in files {
            Self.expectSame(f)
            Self.expectSame(f, limits: CSVLimits(maxFieldBytes: 16, maxColumns: 6))
        }
    }

    /// Seeded random lines: quote-free ones (delimiters, empty fields, spaces,
    /// tabs, control and non-ASCII bytes, invalid UTF-8, lines near and over
    /// the limits, LF / CRLF / CR and blank lines) and some with quotes, so
    /// the two paths hand over to each other mid-file.
    @Test func generatedLinesReadTheSame() throws {
        var rng = SplitMix(seed: 20261202)
        let alphabet: [UInt8] = Array("abcXYZ019 -/".utf8) + [0x09, 0x01, 0x7F, 0xC3, 0xA9, 0xE2, 0x80, 0x99, 0xFF]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 12) {
                let shape = rng.next() % 10
                var line: [UInt8] = []
                let fields = 1 + Int(rng.next() % 9)
                for f in 0..<fields {
                    if f > 0 { line.append(0x2C) }
                    let length = shape == 9 ? Int(rng.next() % 40) : Int(rng.next() % 6)
                    for _ in 0..<length { line.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
                    if shape == 8 && rng.next() % 3 == 0 { line += Array("\"q,\"\"x\"\"\"".utf8) }
                }
                if shape == 7 { line = [] }
                bytes += line
                bytes += [[0x0A], [0x0D, 0x0A], [0x0D]][Int(rng.next() % 3)]
            }
            if rng.next() % 4 == 0, !bytes.isEmpty { bytes.removeLast() }   // no final line end
            let path = try Self.write(bytes)
            Self.expectSame(path)
            Self.expectSame(path, limits: CSVLimits(maxFieldBytes: 8 + round % 20, maxColumns: 3 + round % 6))
            Self.expectSame(path, dialect: CSVDialect(encoding: .windows1252))
        }
    }

    @Test func theFastPathSplitsOnTheDelimiterExactly() throws {
        // Hand-worked: ",a,,b ,\t\n" has five fields: "", "a", "", "b ", "\t".
        let path = try Self.write(Array("h1,h2,h3,h4,h5\n,a,,b ,\t\n".utf8))
        let rows = try CSVReader.readAll(path: path)
        #expect(rows.count == 2 && rows[1].fields == ["", "a", "", "b ", "\t"] && rows[1].line == 2)
    }
}
