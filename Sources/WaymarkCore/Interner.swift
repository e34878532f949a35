/// Maps byte strings to small dense integers and back, without allocating per
/// lookup: identifiers are held once in an arena and rows keep 4-byte codes.
///
/// Code 0 is reserved for "blank" (the empty string). Lookup is an
/// open-addressing hash table over FNV-1a hashes: O(length) per call.
public struct Interner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]    // starts[code] .. starts[code + 1]
    private var hashes: [UInt32] = [0]
    private var table: [UInt32]        // slot -> code + 1 (0 = empty)
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [UInt32](repeating: 0, count: size)
        mask = size - 1
        starts.append(0)   // code 0: the empty string
    }

    /// Number of distinct strings, blank included.
    public var count: Int { starts.count - 1 }

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

    @usableFromInline
    mutating func internSlow(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let h = Interner.hash(bytes)
        var slot = Int(h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { break }
            let code = Int(entry - 1)
            if hashes[code] == h && equal(code, bytes) { return UInt32(code) }
            slot = (slot + 1) & mask
        }
        let code = count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        table[slot] = UInt32(code + 1)
        if count * 2 > table.count { grow() }
        return UInt32(code)
    }

    /// The code for `bytes` if present, without adding it.
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if bytes.isEmpty { return 0 }
        let h = Interner.hash(bytes)
        var slot = Int(h) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            let code = Int(entry - 1)
            if hashes[code] == h && equal(code, bytes) { return UInt32(code) }
            slot = (slot + 1) & mask
        }
    }

    public mutating func intern(_ text: String) -> UInt32 {
        var t = text
        return t.withUTF8 { intern($0) }
    }

    public func lookup(_ text: String) -> UInt32? {
        var t = text
        return t.withUTF8 { lookup($0) }
    }

    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[code]
        let e = starts[code + 1]
        guard e - s == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            guard let ap = a.baseAddress, let bp = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(ap + s, bp, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for code in 1..<count {
            var slot = Int(hashes[code]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = UInt32(code + 1)
        }
    }

    /// The string for a code.
    public func string(_ code: UInt32) -> String {
        let s = starts[Int(code)]
        let e = starts[Int(code) + 1]
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }

    /// Bytes held, for memory accounting.
    public var footprint: Int { arena.capacity + starts.capacity * 8 + hashes.capacity * 4 + table.capacity * 4 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
