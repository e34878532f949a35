/// A manually managed, growable buffer of trivial values with a stable,
/// never-null base address (so a record view can point into it).
struct GrowableBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity {
            var newCapacity = capacity * 2
            while newCapacity < count + extra { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        reserve(1)
        (base + count).initialize(to: value)
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let src = values.baseAddress, values.count > 0 else { return }
        reserve(values.count)
        (base + count).initialize(from: src, count: values.count)
        count += values.count
    }

    mutating func removeAll() { count = 0 }

    var last: Element? { count > 0 ? base[count - 1] : nil }
}
