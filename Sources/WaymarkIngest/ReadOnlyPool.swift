import WaymarkCore

/// A pool that rows are looked up in but never add to (the interventions a
/// response names), held by reference.
///
/// A closure that captured an ``Interner`` copied it on every call, so each
/// lookup retained and released its buffers (7% of the samples of the reading
/// of responses.csv); a class's constant is borrowed, by either reading thread.
final class ReadOnlyPool: Sendable {
    let interner: Interner

    init(_ interner: Interner) { self.interner = interner }
}
