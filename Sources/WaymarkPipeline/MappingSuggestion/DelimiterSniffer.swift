import Foundation

/// Picks a file's delimiter (`,` `;` tab or `|`) by counting each in its
/// header line, outside quotes; a comma when none appears.
public enum DelimiterSniffer {
    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    /// The most frequent candidate in `headerLine` (ties go to the earlier candidate).
    public static func sniff(headerLine: [UInt8]) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in headerLine {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        var best = 0
        for k in 1..<counts.count where counts[k] > counts[best] { best = k }
        return counts[best] > 0 ? candidates[best] : candidates[0]
    }

    /// The bytes of a file's first line (at most 64 KB), without a UTF-8 byte-order mark.
    public static func firstLine(path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        var bytes = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var quoted = false
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && (b == 0x0A || b == 0x0D) { return Array(bytes[..<i]) }
        }
        return bytes
    }
}
