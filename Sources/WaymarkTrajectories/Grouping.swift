import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// Row indices grouped by a small integer key with a counting sort: the rows
/// of group g are `order[starts[g]..<starts[g + 1]]`, in row order. Rows
/// whose key is nil are left out. Cost: two passes over the rows.
package struct Grouping {
    package var starts: [Int32]
    package var order: [Int32]

    package init(rows: Int, groups: Int, key: (Int) -> Int?) {
        var starts = [Int32](repeating: 0, count: groups + 1)
        for k in 0..<rows { if let g = key(k) { starts[g + 1] += 1 } }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var fill = starts
        var order = [Int32](repeating: 0, count: Int(starts[groups]))
        for k in 0..<rows {
            guard let g = key(k) else { continue }
            order[Int(fill[g])] = Int32(k)
            fill[g] += 1
        }
        self.starts = starts
        self.order = order
    }

    /// The index range of group `g` in `order`.
    package func range(_ g: Int) -> Range<Int> { Int(starts[g])..<Int(starts[g + 1]) }
}
