#if canImport(Glibc)
import Glibc
#endif

/// Faults in, on another thread, the pages that a table's columns will take
/// next, so that the thread appending to them does not stop for each page.
///
/// The merge of a two-core read appends the second half's rows (180 MB of
/// score columns at 10M rows) on one thread while the other core is idle;
/// on a virtual machine each first touch of a page costs microseconds. The
/// pages are populated with `madvise(MADV_POPULATE_WRITE)` (Linux 5.14), which
/// maps them as if written without writing anything: the columns' contents
/// are not touched, so the appends race with nothing. The regions are given
/// only when every column has room for all the rows to come, so no column
/// moves while its pages are populated. Where the call is not supported it
/// fails and nothing else changes.
enum SparePages {
    /// A range of a column's capacity past its count.
    struct Region: @unchecked Sendable {
        var start: UnsafeRawPointer
        var bytes: Int
    }

    /// Populates the pages of every region, in order.
    static func populate(_ regions: [Region]) {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for r in regions {
            let from = Int(bitPattern: r.start) & ~(page - 1)
            let to = Int(bitPattern: r.start) + r.bytes
            guard to > from, let p = UnsafeMutableRawPointer(bitPattern: from) else { continue }
            _ = madvise(p, to - from, 23 /* MADV_POPULATE_WRITE */)
        }
        #endif
    }
}
