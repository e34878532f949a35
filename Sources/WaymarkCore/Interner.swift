/// Maps byte strings to small dense integers and back, without allocating per
/// lookup: identifiers are held once in an arena and rows keep 4-byte codes.
///
/// Code 0 is reserved for "blank" (the empty string). Lookup is an
/// open-addressing hash table whose 8-byte slots hold a string's 32-bit hash
/// beside its code, so a probe that meets another string is told apart
/// without touching the arena (one cache miss per lookup on a large pool,
/// not three): O(length) per call. The table is at most three quarters
/// full: a probe run stays within a cache line or two, and a pool of row ids
/// (one per row) takes 8 to 16 bytes of slots a row, not 16 to 32.
public struct Interner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]    // starts[code] .. starts[code + 1]
    private var table: [UInt64]        // slot -> hash << 32 | (code + 1); 0 = empty
    private var mask: Int
    /// A label the owner gives the pool, so that code handed only the pool
    /// can say which one it is (the ingest notes the pool of each value the
    /// identifier guard flags). 0 unless set.
    public var label: UInt8 = 0
    /// For the identifier guard, which scans a value when it is new to its
    /// pool: the waiver bits under which any value of the pool passed the
    /// scan while holding a waived pattern. A value met again in a column
    /// whose waivers cover these bits cannot be flagged there; in any other
    /// column it is scanned again (a waiver covers one column, never a value).
    public var guardWaived: UInt16 = 0
    /// Values the identifier guard flagged: counted once, never again.
    public var guardFlagged: Set<UInt32> = []

    public init(capacity: Int = 1024, label: UInt8 = 0) {
        self.label = label
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        table = HugePages.array(repeating: 0, count: size)
        mask = size - 1
        starts.append(0)   // code 0: the empty string
    }

    /// Number of distinct strings, blank included.
    public var count: Int { starts.count - 1 }

    /// Makes room for about `strings` distinct strings of about `bytesEach`
    /// bytes, so a pool whose size is known roughly (one id per row) is sized
    /// once rather than rehashed at every doubling.
    public mutating func reserve(strings: Int, bytesEach: Int = 12) {
        arena.reserveCapacity(strings * bytesEach)
        starts.reserveCapacity(strings + 2)
        guard strings * 4 > table.count * 3 else { return }
        var size = table.count
        while size * 3 < strings * 4 { size <<= 1 }
        rehash(size: size)
    }

    /// A fast hash for short strings, eight bytes at a time, folding each
    /// 128-bit product (wyhash's "mum") so every input bit reaches the low bits.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let p = bytes.baseAddress else { return 0 }
        let n = bytes.count
        @inline(__always) func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = 0x2D35_8DCC_AA6C_78A5 ^ UInt64(n)
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                h = mum(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x8BB8_4B93_962E_ACC9)
                i += 8
            }
            // The last eight bytes, overlapping what was hashed: no byte loop.
            if i < n { h = mum(h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), 0x8BB8_4B93_962E_ACC9) }
        } else if n >= 4 {
            let w = UInt64(raw.loadUnaligned(as: UInt32.self)) << 32 | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            h = mum(h ^ w, 0x8BB8_4B93_962E_ACC9)
        } else {
            let w = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1])
            h = mum(h ^ w, 0x8BB8_4B93_962E_ACC9)
        }
        h = mum(h, 0x4B33_A62E_D433_D4A3)
        return UInt32(truncatingIfNeeded: h)
    }

    /// The code for `bytes`, adding it if new. Empty input is code 0.
    @inlinable
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if bytes.isEmpty { return 0 }
        return internSlow(bytes)
    }

    /// The value interned last, for ``internSlow(_:)``: its length (-1 for
    /// none), its bytes as two words (``shortWords(_:)``) and its code.
    private var lastLength = -1
    private var lastWords: (UInt64, UInt64) = (0, 0)
    private var lastCode: UInt32 = 0

    /// Interns `bytes`, first comparing them with the value interned last:
    /// an export sorted by case repeats a row's case, child, team and worker
    /// on the next row, and a repeat then costs no hashing and no probe.
    @usableFromInline
    mutating func internSlow(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let w = Interner.shortWords(bytes) else { return intern(bytes, hash: Interner.hash(bytes)) }
        if bytes.count == lastLength && w.first == lastWords.0 && w.last == lastWords.1 { return lastCode }
        let code = intern(bytes, hash: Interner.hash(bytes))
        lastLength = bytes.count
        lastWords = (w.first, w.last)
        lastCode = code
        return code
    }

    /// Two words that, with the length, tell strings of 1 to 16 bytes apart
    /// exactly: the first and last eight bytes (overlapping) from 8 bytes up,
    /// the first and last four from 4, the bytes themselves below; nil when
    /// empty or longer than 16. For strings of one length, equal words mean
    /// equal strings.
    @inline(__always)
    public static func shortWords(_ b: UnsafeBufferPointer<UInt8>) -> (first: UInt64, last: UInt64)? {
        let n = b.count
        guard n >= 1, n <= 16, let p = b.baseAddress else { return nil }
        let r = UnsafeRawPointer(p)
        if n >= 8 { return (r.loadUnaligned(as: UInt64.self), r.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) }
        if n >= 4 { return (UInt64(r.loadUnaligned(as: UInt32.self)), UInt64(r.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))) }
        return (UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]), 0)
    }

    @inline(__always)
    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> UInt32 {
        let tag = UInt64(h) << 32
        var slot = Int(h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equal(code, bytes) { return UInt32(code) }
            }
            slot = (slot + 1) & mask
        }
        let code = count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        table[slot] = tag | UInt64(code + 1)
        if count * 4 > table.count * 3 { rehash(size: table.count * 2) }
        return UInt32(code)
    }

    /// Starts bringing in the slot where `bytes` would be found, so that a
    /// call of ``intern(_:)`` for it a little later (once the rest of a row is
    /// typed) finds it in cache rather than waiting on memory: on a pool of
    /// row ids, one per row, nearly every lookup is otherwise a miss.
    public func prefetch(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty { return }
        prefetch(hash: Interner.hash(bytes))
    }

    private func prefetch(hash h: UInt32) {
        let slot = Int(h) & mask
        table.withUnsafeBufferPointer { t in
            if let base = t.baseAddress { waymark_prefetch(base + slot) }
        }
    }

    /// The code for `bytes` if present, without adding it.
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if bytes.isEmpty { return 0 }
        return lookup(bytes, hash: Interner.hash(bytes))
    }

    private func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> UInt32? {
        let tag = UInt64(h) << 32
        var slot = Int(h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equal(code, bytes) { return UInt32(code) }
            }
            slot = (slot + 1) & mask
        }
    }

    /// For each code of `other`, a code that is equal exactly when the strings
    /// are: this pool's code where the string is here, else `count` plus
    /// `other`'s code. Nothing is added, so the lookups share the work over
    /// `parts` threads. For pools that only tell rows apart (row ids, whose
    /// strings are never read back), this replaces ``absorb(_:)``, which must
    /// insert every string one after another.
    public func joinedCodes(_ other: Interner, parts: Int = 2) -> [UInt32] {
        let n = other.count
        var map = [UInt32](repeating: 0, count: n)
        guard n > 1 else { return map }
        let base = count
        let chunks = max(1, min(parts, n / 65_536))
        map.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendablePointer(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                let from = max(1, n * k / chunks), to = n * (k + 1) / chunks
                other.arena.withUnsafeBufferPointer { a in
                    func bytes(_ code: Int) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: a[other.starts[code]..<other.starts[code + 1]])
                    }
                    // Each string is hashed once, `ahead` codes early, and its slot fetched
                    // then; the hashes wait in a ring until their lookup.
                    let ahead = 16
                    var hashes = [UInt32](repeating: 0, count: ahead)
                    func fetch(_ code: Int) {
                        let h = Interner.hash(bytes(code))
                        hashes[code % ahead] = h
                        prefetch(hash: h)
                    }
                    for code in from..<min(to, from + ahead) { fetch(code) }
                    for code in from..<to {
                        let h = hashes[code % ahead]
                        if code + ahead < to { fetch(code + ahead) }
                        let b = bytes(code)
                        target.pointer[code] = b.isEmpty ? 0 : (lookup(b, hash: h) ?? UInt32(base + code))
                    }
                }
            }
        }
        return map
    }

    /// Interns every string of `other` in its code order and returns, for each
    /// of its codes, the code here (blank stays 0): the codes a single pool
    /// would have given had it seen `other`'s strings after its own. Bytes go
    /// from arena to arena, with no `String` in between.
    ///
    /// When `other` began as a copy of this pool when it held `shared` strings
    /// (a second reader given the pools as they stood before its file), its
    /// first `shared` codes are this pool's own and keep their codes; only the
    /// strings after them are interned.
    public mutating func absorb(_ other: Interner, sharing shared: Int = 0) -> [UInt32] {
        precondition(shared <= count && shared <= other.count, "absorb: more shared strings than either pool holds")
        var map = [UInt32](repeating: 0, count: other.count)
        for code in 0..<shared { map[code] = UInt32(code) }
        let added = other.count - max(1, shared)
        if added > 0 {
            let addedBytes = other.arena.count - other.starts[max(1, shared)]
            reserve(strings: count + added, bytesEach: max(1, addedBytes / added))
        }
        let first = max(1, shared), end = max(1, other.count)
        other.arena.withUnsafeBufferPointer { a in
            func bytes(_ code: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: a[other.starts[code]..<other.starts[code + 1]])
            }
            // Each string is hashed `ahead` codes early and its slot fetched then, so the
            // insert finds it in cache (the table was sized above, so no slot moves).
            let ahead = 16
            var hashes = [UInt32](repeating: 0, count: ahead)
            for code in first..<min(end, first + ahead) {
                let b = bytes(code)
                hashes[code % ahead] = b.isEmpty ? 0 : Interner.hash(b)
                prefetch(hash: hashes[code % ahead])
            }
            for code in first..<end {
                let h = hashes[code % ahead]
                let later = code + ahead
                if later < end {
                    let b = bytes(later)
                    hashes[later % ahead] = b.isEmpty ? 0 : Interner.hash(b)
                    prefetch(hash: hashes[later % ahead])
                }
                let b = bytes(code)
                map[code] = b.isEmpty ? 0 : intern(b, hash: h)
            }
        }
        guardWaived |= other.guardWaived
        for code in other.guardFlagged { guardFlagged.insert(map[Int(code)]) }
        return map
    }

    public mutating func intern(_ text: String) -> UInt32 {
        var t = text
        return t.withUTF8 { intern($0) }
    }

    public func lookup(_ text: String) -> UInt32? {
        var t = text
        return t.withUTF8 { lookup($0) }
    }

    /// Ids and codes are short: up to 16 bytes are compared inline, as two
    /// overlapping 8-byte words or byte by byte, not through a call to memcmp.
    @inline(__always)
    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[code]
        let e = starts[code + 1]
        let n = bytes.count
        guard e - s == n else { return false }
        return arena.withUnsafeBufferPointer { a in
            guard let ap = a.baseAddress, let bp = bytes.baseAddress else { return n == 0 }
            let x = UnsafeRawPointer(ap + s), y = UnsafeRawPointer(bp)
            if n >= 8 && n <= 16 {
                return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
                    && x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            }
            if n < 8 {
                for i in 0..<n where ap[s + i] != bp[i] { return false }
                return true
            }
            return memcmp(x, y, n) == 0
        }
    }

    /// Rebuilds the table at `size` slots (a power of two) from the hashes the slots hold.
    private mutating func rehash(size: Int) {
        let old = table
        table = HugePages.array(repeating: 0, count: size)
        mask = size - 1
        for entry in old where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = entry
        }
    }

    /// The string for a code.
    public func string(_ code: UInt32) -> String {
        let s = starts[Int(code)]
        let e = starts[Int(code) + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }

    /// Bytes held, for memory accounting.
    public var footprint: Int { arena.capacity + starts.capacity * 8 + table.capacity * 8 }
}

/// A pointer handed to the threads of one `concurrentPerform`, each writing
/// its own indices.
struct UncheckedSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

import Dispatch
import CWaymarkPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
