#if canImport(Glibc)
import Glibc
#endif

/// Arrays that are read and written at random positions (hash tables of
/// millions of slots) asked to be backed by transparent huge pages. On a large
/// table nearly every probe is a TLB miss with 4 KiB pages, and a page walk
/// costs hundreds of nanoseconds on a virtual machine; with 2 MiB pages the
/// walks mostly go. The kernel's `madvise` mode of THP (Debian's default)
/// gives huge pages only to ranges that ask, which is what this does. Where
/// THP is off or unknown the advice is ignored and nothing else changes.
public enum HugePages {
    /// Below this size an array keeps ordinary pages: the TLB covers it.
    public static let threshold = 4 << 20
    static let huge = 2 << 20

    /// An array of `count` copies of `value`, its pages advised huge before
    /// they are first touched when it is at least ``threshold`` bytes.
    public static func array<T: BitwiseCopyable>(repeating value: T, count: Int) -> [T] {
        let bytes = count * MemoryLayout<T>.stride
        guard bytes >= threshold else { return [T](repeating: value, count: count) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base), bytes: bytes) }
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// Advises the whole 2 MiB pages inside `bytes` bytes from `pointer`.
    public static func advise(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: pointer) + bytes) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, 14 /* MADV_HUGEPAGE */)
        #endif
    }
}
