import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a ``CSVWriter``'s full buffers to its file on a thread of its own,
/// one buffer at a time, so formatting the next buffer overlaps the kernel's
/// copy of the last (at 10M score rows the record-level files are 1.7 GB and
/// the `write` calls alone take about 3 s: docs/performance.md).
///
/// Two buffers take turns: ``submit(_:)`` waits until the previous write is
/// done, hands the full buffer over and returns the other one, emptied. A
/// failed write is reported by the next ``submit(_:)`` or by ``finish()``.
final class BackgroundWrites: @unchecked Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "waymark.csv-writer")
    /// Signalled when no write is in flight; `spare` and `failure` are only
    /// touched by whoever holds it.
    private let idle = DispatchSemaphore(value: 1)
    private var spare: [UInt8] = []
    private var failure: Int32 = 0

    init(fd: Int32) { self.fd = fd }

    /// Starts writing `full` and returns an empty buffer to fill next, or the
    /// errno of an earlier write that failed (nothing more is written then).
    func submit(_ full: consuming [UInt8]) -> Result<[UInt8], WriteFailure> {
        idle.wait()
        if failure != 0 {
            let e = failure
            idle.signal()
            return .failure(WriteFailure(errno: e))
        }
        var next: [UInt8] = []
        swap(&next, &spare)
        next.removeAll(keepingCapacity: true)
        let data = UncheckedBytes(full)
        queue.async { [self] in
            var bytes = data.take()
            let e = BackgroundWrites.writeAll(fd, bytes)
            if e != 0 { failure = e }
            bytes.removeAll(keepingCapacity: true)
            spare = bytes
            idle.signal()
        }
        return .success(next)
    }

    /// Waits for the write in flight; the errno of any write that failed, or 0.
    func finish() -> Int32 {
        idle.wait()
        defer { idle.signal() }
        return failure
    }

    /// Writes all of `bytes`, retrying after signals; 0 or the errno.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                #if canImport(Glibc)
                return Glibc.write(fd, base + offset, b.count - offset)
                #else
                return Darwin.write(fd, base + offset, b.count - offset)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    struct WriteFailure: Error { let errno: Int32 }
}

/// A buffer handed to the writing thread, which becomes its only owner.
private final class UncheckedBytes: @unchecked Sendable {
    private var bytes: [UInt8]
    init(_ bytes: consuming [UInt8]) { self.bytes = bytes }
    func take() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &bytes)
        return out
    }
}
