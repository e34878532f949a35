/// The indicators of METHODS M8 and their companion rows (M13.10), in the
/// order they are written. Ids appear as text only at the CSV and HTML edge
/// (``rawValue``).
public enum IndicatorID: String, Sendable, CaseIterable, Comparable, Hashable, CustomStringConvertible {
    case i1 = "I1", i2 = "I2", i3 = "I3", i4 = "I4", i5 = "I5", i6 = "I6", i7 = "I7", i8 = "I8"
    case i9 = "I9", i10 = "I10", i11 = "I11", i12 = "I12", i13 = "I13"
    case i14 = "I14", i14u = "I14u", i15 = "I15", i15u = "I15u", i16 = "I16"

    /// Position in the catalogue: the order rows are written and ties are broken.
    @inlinable
    public var order: Int {
        switch self {
        case .i1: return 0
        case .i2: return 1
        case .i3: return 2
        case .i4: return 3
        case .i5: return 4
        case .i6: return 5
        case .i7: return 6
        case .i8: return 7
        case .i9: return 8
        case .i10: return 9
        case .i11: return 10
        case .i12: return 11
        case .i13: return 12
        case .i14: return 13
        case .i14u: return 14
        case .i15: return 15
        case .i15u: return 16
        case .i16: return 17
        }
    }

    /// The id as written in CSV and HTML.
    public var description: String { rawValue }

    public static func < (a: IndicatorID, b: IndicatorID) -> Bool { a.order < b.order }
}
