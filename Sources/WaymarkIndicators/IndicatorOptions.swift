import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// What the indicators need from the pipeline file (M7, M8, M13): the
/// scales, the headline rater, the windows and which optional inputs were given.
public struct IndicatorOptions: Sendable {
    public var scales: [ScaleSpec]
    /// The rater of I14 and I15 (M13.8) and of the report's headlines.
    public var headlineRater: Rater
    /// The headline scale, for the report's distribution of change (default: the first scale).
    public var headlineScale: String?
    public var windowDays: Int
    public var trendMonths: Int
    public var offerLapseDays: Int
    public var afterDays: Int
    /// The input files given (optional files decide x statuses and breakdowns).
    public var inputsGiven: Set<InputFile>

    public init(scales: [ScaleSpec], headlineRater: Rater = .practitioner, headlineScale: String? = nil, windowDays: Int = 365,
                trendMonths: Int = 12, offerLapseDays: Int = 90, afterDays: Int = 120, inputsGiven: Set<InputFile>) {
        self.scales = scales
        self.headlineRater = headlineRater
        self.headlineScale = headlineScale
        self.windowDays = windowDays
        self.trendMonths = trendMonths
        self.offerLapseDays = offerLapseDays
        self.afterDays = afterDays
        self.inputsGiven = inputsGiven
    }
}
