import Foundation

/// One result per task of a `DispatchQueue.concurrentPerform`, filled from
/// several threads (each writes its own slot) and read once all are done.
public final class ThreadSlots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    public init(count: Int) { values = Array(repeating: nil, count: count) }
    public func set(_ k: Int, _ v: T) { lock.lock(); values[k] = v; lock.unlock() }
    /// Slot `k`, which must have been set.
    public func get(_ k: Int) -> T { lock.lock(); defer { lock.unlock() }; return values[k]! }
    /// The first slot set, in task order, or nil.
    public var first: T? { lock.lock(); defer { lock.unlock() }; return values.lazy.compactMap { $0 }.first }
}
