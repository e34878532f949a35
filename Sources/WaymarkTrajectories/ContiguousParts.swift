import Foundation

/// Contiguous runs of groups (cases, usually) holding about the same number
/// of rows each, so that work over the groups can be shared among cores and
/// its results put back together in group order. A result never depends on
/// how many parts there are: each part writes only its own groups' output.
package struct ContiguousParts: Sendable {
    /// Part p is the groups `bounds[p]..<bounds[p + 1]`.
    package let bounds: [Int]

    /// Splits the groups whose rows are `starts[g]..<starts[g + 1]` (a
    /// prefix sum, as ``Grouping`` makes) into at most `parts` runs.
    package init(starts: [Int32], parts: Int) {
        let groups = starts.count - 1
        let total = Int(starts[groups])
        let n = max(1, min(parts, groups))
        var bounds = [0]
        var g = 0
        // Part p starts at the first group with at least p / n of the rows before it.
        for p in stride(from: 1, to: n, by: 1) {
            let target = total * p / n
            while g < groups && Int(starts[g]) < target { g += 1 }
            bounds.append(g)
        }
        bounds.append(groups)
        self.bounds = bounds
    }

    package var count: Int { bounds.count - 1 }

    /// The groups of part `p`.
    package func groups(_ p: Int) -> Range<Int> { bounds[p]..<bounds[p + 1] }

    /// How many parts to make on this machine: a few per core, so that one
    /// part landing on a busy core does not hold the others up.
    package static var perMachine: Int { ProcessInfo.processInfo.activeProcessorCount * 4 }

    /// Runs `body` once for every part, on as many cores as there are.
    /// The parts write disjoint output, which the callers' buffers cannot tell the compiler.
    package func forEach(_ body: (Int) -> Void) {
        if count == 1 { body(0); return }
        withoutActuallyEscaping(body) { body in
            let work = PartWork(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { work.body($0) }
        }
    }
}

/// A part's work handed to the worker threads; the parts touch disjoint memory.
private struct PartWork: @unchecked Sendable {
    let body: (Int) -> Void
}
