import WaymarkCSV

/// The identifier guard over a field the reader skips (over the length limit,
/// or malformed), in bounded memory: DATA-CONTRACT.md, "a field over the
/// length limit (in a bounded, streaming way) before its row is quarantined".
///
/// The bytes are scanned in windows of about 64 KiB. Each window ends just
/// before a byte that cannot be part of a token and starts just after one,
/// so no token is cut (a cut token could look like an identifier it is not);
/// consecutive windows overlap by at least ``overlap`` bytes, more than the
/// longest identifier (an e-mail address: 64 + 1 + 253), so none is missed
/// either. A run of letters and digits longer than a window holds no
/// identifier (every pattern is a bounded token) and is passed over.
/// Memory: one window plus one piece from the reader.
final class SkippedFieldScan: SkippedFieldInspector {
    static let window = 1 << 16
    static let overlap = 320

    /// Per source column: the kinds a waiver lets through.
    let waived: [UInt16]
    /// Per source column: dropped by the mapping, so never scanned.
    let dropped: [Bool]
    private var pending: [UInt8] = []
    private var mask: UInt16 = 0
    private var skipColumn = false
    /// Inside a run of letters and digits too long to be an identifier.
    private var inLongRun = false
    private var found: UInt16 = 0

    init(waived: [UInt16], dropped: [Bool]) {
        self.waived = waived
        self.dropped = dropped
        pending.reserveCapacity(Self.window + (1 << 14))
    }

    func begin(column: Int) {
        pending.removeAll(keepingCapacity: true)
        mask = column < waived.count ? waived[column] : 0
        skipColumn = column < dropped.count && dropped[column]
        inLongRun = false
        found = 0
    }

    func inspect(_ bytes: UnsafeBufferPointer<UInt8>) {
        if skipColumn || found != 0 { return }
        var from = 0
        if inLongRun {
            // Pass over the rest of the over-long token.
            while from < bytes.count && IdentifierGuard.isAlnum(bytes[from]) { from += 1 }
            if from == bytes.count { return }
            inLongRun = false
        }
        var start = from
        while start < bytes.count {
            let take = min(bytes.count - start, Self.window - pending.count)
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + take)]))
            start += take
            if pending.count >= Self.window { scanFullWindow() }
            if found != 0 { return }
            if inLongRun {
                while start < bytes.count && IdentifierGuard.isAlnum(bytes[start]) { start += 1 }
                if start == bytes.count { return }
                inLongRun = false
            }
        }
    }

    func end() -> UInt16 {
        if !skipColumn && found == 0 && !pending.isEmpty { scan(pending.count) }
        pending.removeAll(keepingCapacity: true)
        return found
    }

    /// Scans the full window up to its last token boundary and keeps the overlap.
    private func scanFullWindow() {
        guard let e = pending.lastIndex(where: { !IdentifierGuard.isAlnum($0) }) else {
            // One token fills the window: longer than any identifier.
            pending.removeAll(keepingCapacity: true)
            inLongRun = true
            return
        }
        scan(e)
        if found != 0 { return }
        if pending.count - 1 - e > Self.overlap {
            // The window ends in a run of letters and digits longer than any
            // identifier: nothing that straddles e can match.
            pending.removeAll(keepingCapacity: true)
            inLongRun = true
            return
        }
        // Keep from the first token start at or after e - overlap (at most
        // 2 x overlap bytes, so the next window is nearly all new).
        var s = max(1, e - Self.overlap)
        while s <= e && IdentifierGuard.isAlnum(pending[s - 1]) { s += 1 }
        pending.removeSubrange(0..<s)
    }

    private func scan(_ count: Int) {
        if let kind = pending.withUnsafeBufferPointer({ IdentifierGuard.scan(UnsafeBufferPointer(rebasing: $0[0..<count]), waived: mask) }) {
            found |= kind.bit
        }
    }
}
