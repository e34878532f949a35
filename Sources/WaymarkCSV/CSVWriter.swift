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
public final class CSVWriter {
    private var buffer: [UInt8] = []
    private let fd: Int32
    public let path: String

    /// Creates (or truncates) the file at `path`.
    public init(path: String, bom: Bool = true) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw CSVWriteError(path: path, errno: errno) }
        buffer.reserveCapacity(1 << 16)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    public func write(_ cells: [CSVCell]) throws {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            append(cell)
        }
        buffer.append(0x0D)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes `cells`, then one last cell whose bytes `stream` hands over piece
    /// by piece (flushed as they come, so a cell of any length takes bounded
    /// memory). The streamed bytes are written as they are: the caller must
    /// give only bytes that need no quoting and cannot start a formula (such as
    /// `b64:` and the base64 alphabet).
    public func write(_ cells: [CSVCell], streaming stream: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        for cell in cells {
            append(cell)
            buffer.append(0x2C)
        }
        try stream { piece in
            buffer.append(contentsOf: piece)
            if buffer.count >= 1 << 16 { try flush() }
        }
        buffer.append(0x0D)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func append(_ cell: CSVCell) {
        switch cell {
        case .text(let s): CSVWriter.appendText(s, to: &buffer)
        case .number(let v): buffer.append(contentsOf: CSVWriter.format(v).utf8)
        case .integer(let v): buffer.append(contentsOf: String(v).utf8)
        case .empty: break
        }
    }

    public func write(header: [String]) throws { try write(header.map { .text($0) }) }

    public func close() throws {
        try flush()
        _ = systemClose(fd)
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return systemWrite(fd, base + offset, b.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVWriteError(path: path, errno: errno)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Shortest round-trip text for a double; integers without `.0`.
    public static func format(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return "" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func appendText(_ s: String, to out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        var text = bytes
        if let first = bytes.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) {
            text = [0x27] + bytes
        }
        let needsQuotes = text.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes { out.append(contentsOf: text); return }
        out.append(0x22)
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

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
