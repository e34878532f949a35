/// A fuzz input split into its leading control bytes (which pick settings)
/// and the rest (the file contents under test). A control byte missing from
/// a short input reads as 0.
struct FuzzInput {
    let bytes: UnsafeRawBufferPointer
    let controlCount: Int

    init(_ bytes: UnsafeRawBufferPointer, controlBytes: Int) {
        self.bytes = bytes
        self.controlCount = controlBytes
    }

    /// Control byte `i` (0-based), or 0 when the input is shorter.
    func control(_ i: Int) -> UInt8 { i < bytes.count && i < controlCount ? bytes[i] : 0 }

    /// Everything after the control bytes.
    var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[min(controlCount, bytes.count)...])
    }
}
