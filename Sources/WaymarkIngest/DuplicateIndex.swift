import WaymarkCore
import WaymarkMethods

/// Finds the first row with the same id, or with identical content, among the
/// rows accepted so far (DATA-CONTRACT.md, "Duplicates").
///
/// Ids are interned codes, so the id index is a plain array (4 bytes per id).
/// Rows without an id are found by content: an open-addressing table of
/// (32-bit hash, row index) pairs, 8 bytes a slot at load <= 1/2, with
/// equality checked on the stored row itself, so hash collisions cannot merge
/// two different rows.
struct DuplicateIndex {
    private var firstByCode: [Int32] = []
    private var firstByKey: [UInt64: Int32] = [:]
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 1024)
    private var used = 0

    /// The first row with id `code`, or nil (and `row` becomes it).
    mutating func first(code: UInt32, else row: Int32) -> Int32? {
        let c = Int(code)
        if c >= firstByCode.count {
            firstByCode.append(contentsOf: repeatElement(-1, count: max(c + 1 - firstByCode.count, firstByCode.count)))
        }
        let existing = firstByCode[c]
        if existing >= 0 { return existing }
        firstByCode[c] = row
        return nil
    }

    /// The first row with composite key `key`, or nil (and `row` becomes it).
    mutating func first(key: UInt64, else row: Int32) -> Int32? {
        if let existing = firstByKey[key] { return existing }
        firstByKey[key] = row
        return nil
    }

    /// The first row equal to the candidate (by `equals`), or nil (and `row` is added).
    mutating func first(hash: UInt64, else row: Int32, equals: (Int32) -> Bool) -> Int32? {
        let h32 = UInt64(UInt32(truncatingIfNeeded: hash ^ (hash >> 32)))
        var mask = slots.count - 1
        var slot = Int(h32) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry >> 32 == h32 {
                let index = Int32(truncatingIfNeeded: (entry & 0xFFFF_FFFF) - 1)
                if equals(index) { return index }
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = h32 << 32 | UInt64(UInt32(row) + 1)
        used += 1
        if used * 2 > slots.count {
            let old = slots
            slots = [UInt64](repeating: 0, count: old.count * 2)
            mask = slots.count - 1
            for entry in old where entry != 0 {
                var s = Int(entry >> 32) & mask
                while slots[s] != 0 { s = (s + 1) & mask }
                slots[s] = entry
            }
        }
        return nil
    }
}
