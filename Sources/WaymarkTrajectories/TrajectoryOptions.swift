import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// What the trajectory build needs from the pipeline file: the declared
/// scales (in their order: a score's scale code indexes them), the window
/// (M7, for `sd: baseline`) and the offer lapse (M5).
public struct TrajectoryOptions: Sendable {
    public var scales: [ScaleSpec]
    public var windowDays: Int
    public var offerLapseDays: Int

    public init(scales: [ScaleSpec], windowDays: Int = 365, offerLapseDays: Int = 90) {
        self.scales = scales
        self.windowDays = windowDays
        self.offerLapseDays = offerLapseDays
    }
}
