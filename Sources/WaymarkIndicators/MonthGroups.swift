/// The month ends of a trend split into consecutive groups, one per core:
/// the series of a group's month ends are judged in one pass
/// (``IndicatorRun/seriesAndSegments(_:rciScale:)``).
struct MonthGroups {
    /// Group g is the month ends `bounds[g]..<bounds[g + 1]`.
    let bounds: [Int]

    init(months: Int, groups: Int) {
        let n = max(1, min(groups, months))
        bounds = (0...n).map { $0 * months / n }
    }

    var count: Int { bounds.count - 1 }

    /// The month ends of group `g`.
    func months(_ g: Int) -> Range<Int> { bounds[g]..<bounds[g + 1] }
}
