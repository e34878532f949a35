#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WaymarkCSV
import WaymarkCore

/// Every file-system call ingest makes besides the CSV reader's own reads:
/// sizes, hashes and a look at a file's head. One place, so what ingest
/// touches on disk is plain to see (and the input-stability checks of
/// DATA-CONTRACT.md have one home).
enum InputFileSystem {
    /// The file's size in bytes, or 0 if it cannot be examined.
    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// What must hold still while a file is read (DATA-CONTRACT.md, "Inputs
    /// must hold still"): the device and inode the path names, the size and the
    /// modification time to the nanosecond.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    /// The file's identity now, or nil if it cannot be examined.
    static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Glibc)
        let mtime = st.st_mtim
        #else
        let mtime = st.st_mtimespec
        #endif
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                        modifiedSeconds: Int64(mtime.tv_sec), modifiedNanoseconds: Int64(mtime.tv_nsec))
    }

    /// SHA-256 of a whole file, read in 1 MB chunks.
    static func hash(_ path: String, into digest: SHA256Digest) throws {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVReadError.cannotRead(path: path, errno: errno) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Up to `count` bytes of the file from `offset` (empty if it cannot be read).
    static func bytes(_ path: String, at offset: Int, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return [] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(max(0, offset))) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }
}
