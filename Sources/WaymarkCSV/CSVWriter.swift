#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One cell of a CSV that Waymark writes.
public enum CSVCell: Sendable, Equatable {
    /// Text: quoted when it must be, and neutralised (a leading `'`) when it
    /// starts with `=`, `+`, `-`, `@`, tab or carriage return, so a spreadsheet
    /// never runs it as a formula.
    case text(String)
    /// A number, written as the shortest text that reads back the same.
    case number(Double)
    case integer(Int)
    /// Nothing at all (a blank cell).
    case empty
}

/// Writes RFC 4180 CSV with a UTF-8 byte-order mark (so Excel reads UTF-8),
/// CRLF line ends, and formula-safe text cells.
///
/// Two ways to write a row: `write([CSVCell])`, or cell by cell with
/// `text`, `integer`, `number`, `date` and `raw`, then `endRow()`, which
/// formats straight into the output buffer with no allocation per cell
/// (record-level exports write millions of rows this way; docs/performance.md).
public final class CSVWriter {
    private var buffer: [UInt8] = []
    private let fd: Int32
    public let path: String
    /// Cells written so far in the current row (a comma goes before every cell but the first).
    private var cellsInRow = 0
    private static let flushAt = 1 << 20
    /// Writes full buffers while the next is formatted.
    private let writes: BackgroundWrites
    private var closed = false
    /// Whether full buffers are written on a thread of their own (the
    /// default); `false` writes them in place, as the benchmark's reference.
    /// Each writer takes the value when it is made: set it before any writer
    /// of a run exists, never while one writes.
    nonisolated(unsafe) public static var writesInBackground = true
    /// This writer's choice, from ``writesInBackground`` when it was made.
    var background = CSVWriter.writesInBackground

    /// Creates (or truncates) the file at `path`.
    public init(path: String, bom: Bool = true) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw CSVWriteError(path: path, errno: errno) }
        writes = BackgroundWrites(fd: fd)
        buffer.reserveCapacity(CSVWriter.flushAt + 4096)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    public func write(_ cells: [CSVCell]) throws {
        for cell in cells { append(cell) }
        try endRow()
    }

    /// Writes `cells`, then one last cell whose bytes `stream` hands over piece
    /// by piece (flushed as they come, so a cell of any length takes bounded
    /// memory). The streamed bytes are written as they are: the caller must
    /// give only bytes that need no quoting and cannot start a formula (such as
    /// `b64:` and the base64 alphabet).
    public func write(_ cells: [CSVCell], streaming stream: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        for cell in cells { append(cell) }
        separate()
        try stream { piece in
            buffer.append(contentsOf: piece)
            if buffer.count >= CSVWriter.flushAt { try flush() }
        }
        try endRow()
    }

    public func append(_ cell: CSVCell) {
        switch cell {
        case .text(let s): text(s)
        case .number(let v): number(v)
        case .integer(let v): integer(v)
        case .empty: empty()
        }
    }

    // MARK: cell by cell

    @inline(__always)
    private func separate() {
        if cellsInRow > 0 { buffer.append(0x2C) }
        cellsInRow += 1
    }

    /// A text cell (quoted when it must be, formula-safe).
    public func text(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { CSVWriter.appendText($0, to: &buffer) }
    }

    /// A cell of bytes that need no quoting and cannot start a formula (the
    /// caller vouches: for example text it escaped once with ``escaped(_:)``
    /// and reuses on many rows).
    public func raw(_ bytes: [UInt8]) {
        separate()
        buffer.append(contentsOf: bytes)
    }

    /// The same as ``raw(_:)`` for bytes held elsewhere (a table of
    /// pre-formatted cells, such as dates).
    public func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        separate()
        buffer.append(contentsOf: bytes)
    }

    public func integer(_ v: Int) {
        separate()
        CSVWriter.appendInteger(v, to: &buffer)
    }

    /// A number as the shortest text that reads back the same (``format(_:)``).
    public func number(_ v: Double) {
        separate()
        CSVWriter.appendNumber(v, to: &buffer)
    }

    /// A number, or a blank cell for nil.
    public func number(_ v: Double?) {
        if let v { number(v) } else { empty() }
    }

    /// A date as YYYY-MM-DD.
    public func date(year: Int, month: Int, day: Int) {
        separate()
        CSVWriter.appendDigits(year, width: 4, to: &buffer)
        buffer.append(0x2D)
        CSVWriter.appendDigits(month, width: 2, to: &buffer)
        buffer.append(0x2D)
        CSVWriter.appendDigits(day, width: 2, to: &buffer)
    }

    public func empty() { separate() }

    /// Ends the row (CRLF), flushing when the buffer is full.
    public func endRow() throws {
        buffer.append(0x0D)
        buffer.append(0x0A)
        cellsInRow = 0
        if buffer.count >= CSVWriter.flushAt { try flush() }
    }

    public func write(header: [String]) throws { try write(header.map { .text($0) }) }

    public func close() throws {
        guard !closed else { return }
        closed = true
        defer { _ = systemClose(fd) }
        do {
            try flush()
        } catch {
            _ = writes.finish()   // never close under a write in flight
            throw error
        }
        let e = writes.finish()
        if e != 0 { throw CSVWriteError(path: path, errno: e) }
    }

    /// A writer dropped without `close()` (a run stopping on an error) waits
    /// for its write in flight and closes its file; what was not flushed is lost,
    /// as the run has failed anyway.
    deinit {
        if !closed {
            _ = writes.finish()
            _ = systemClose(fd)
        }
    }

    /// Hands the buffer to the writing thread and carries on with the other.
    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if !background {
            let e = BackgroundWrites.writeAll(fd, buffer)
            if e != 0 { throw CSVWriteError(path: path, errno: e) }
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var full: [UInt8] = []
        swap(&full, &buffer)
        switch writes.submit(consume full) {
        case .success(let next):
            buffer = next
            if buffer.capacity < CSVWriter.flushAt { buffer.reserveCapacity(CSVWriter.flushAt + 4096) }
        case .failure(let failure):
            throw CSVWriteError(path: path, errno: failure.errno)
        }
    }

    // MARK: formatting

    /// Shortest round-trip text for a double; integers without `.0`.
    public static func format(_ v: Double) -> String {
        var out: [UInt8] = []
        appendNumber(v, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of ``format(_:)``, appended. Integral values below 1e15 are
    /// written as integers; values below 1e9 in magnitude with at most four
    /// decimals (scores, halves, hours) as fixed point, which is then the
    /// shortest text that reads back the same (a decimal m / 10^k parses to the
    /// double nearest it, and Double(m) / 10^k is that same correctly rounded
    /// quotient; below 1e9 only one m per k can match). Anything else takes
    /// Swift's shortest round-trip description. A test checks both against
    /// `description` on a million values.
    public static func appendNumber(_ v: Double, to out: inout [UInt8]) {
        if v.isNaN || v.isInfinite { return }
        if v == v.rounded() && abs(v) < 1e15 { appendInteger(Int(v), to: &out); return }
        let magnitude = abs(v)
        if magnitude < 1e9 && magnitude >= 1e-4 {
            var scale = 1.0
            for k in 1...4 {
                scale *= 10
                let m = (magnitude * scale).rounded()
                if m / scale == magnitude {
                    let whole = Int(m) / Int(scale), fraction = Int(m) % Int(scale)
                    if v < 0 { out.append(0x2D) }
                    appendInteger(whole, to: &out)
                    out.append(0x2E)
                    appendDigits(fraction, width: k, to: &out)
                    return
                }
            }
        }
        out.append(contentsOf: "\(v)".utf8)
    }

    /// Decimal digits of `v`, with a minus sign when negative.
    public static func appendInteger(_ v: Int, to out: inout [UInt8]) {
        if v < 0 {
            out.append(0x2D)
            if v == Int.min { out.append(contentsOf: String(v).utf8.dropFirst()); return }
        }
        var n = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = 0x30 + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }

    /// `v` (not negative) in exactly `width` digits, zero-padded. Widths 2
    /// and 4 (a date's parts) divide by constants, which compile to multiplies.
    @inline(__always)
    static func appendDigits(_ v: Int, width: Int, to out: inout [UInt8]) {
        if width == 2 {
            out.append(0x30 + UInt8(truncatingIfNeeded: (v / 10) % 10))
            out.append(0x30 + UInt8(truncatingIfNeeded: v % 10))
            return
        }
        if width == 4 {
            out.append(0x30 + UInt8(truncatingIfNeeded: (v / 1000) % 10))
            out.append(0x30 + UInt8(truncatingIfNeeded: (v / 100) % 10))
            out.append(0x30 + UInt8(truncatingIfNeeded: (v / 10) % 10))
            out.append(0x30 + UInt8(truncatingIfNeeded: v % 10))
            return
        }
        var p = 1
        for _ in 1..<max(1, width) { p *= 10 }
        var n = v
        while p > 0 {
            out.append(0x30 + UInt8((n / p) % 10))
            n %= p
            p /= 10
        }
    }

    /// The cell text of `s` as ``text(_:)`` writes it: for ``raw(_:)``.
    public static func escaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var s = s
        s.withUTF8 { appendText($0, to: &out) }
        return out
    }

    static func appendText(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let formula = text.first.map { $0 == 0x3D || $0 == 0x2B || $0 == 0x2D || $0 == 0x40 || $0 == 0x09 || $0 == 0x0D } ?? false
        let needsQuotes = text.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes {
            if formula { out.append(0x27) }
            out.append(contentsOf: text)
            return
        }
        out.append(0x22)
        if formula { out.append(0x27) }
        for b in text {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}

/// Writing an output file failed.
public struct CSVWriteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let errno: Int32
    public var description: String { "\(path): cannot write the file (system error \(errno)). Check the output folder is writable and the disk has space." }
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
