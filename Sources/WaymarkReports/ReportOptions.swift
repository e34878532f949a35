import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// What the report pack needs to say about its run, besides the published
/// figures: names, dates, the headline, the thresholds it states and which
/// optional inputs were given.
public struct ReportOptions: Sendable {
    public var name: String
    public var description: String
    public var asOf: Day
    public var extractedOn: Day
    /// The headline scale and rater (resolved: never empty when a scale exists).
    public var headlineScale: String
    public var headlineRater: String
    public var windowDays: Int
    public var afterDays: Int
    public var smallCount: Int
    public var minDenominator: Int
    public var inputsGiven: Set<InputFile>
    /// The identifier guard's waivers in force, as text (file.column: pattern allowed).
    public var identifierWaivers: [String] = []
    /// True when the export was taken before the reporting month ended.
    public var provisional = false

    public init(name: String, description: String, asOf: Day, extractedOn: Day, headlineScale: String, headlineRater: String,
                windowDays: Int, afterDays: Int, smallCount: Int, minDenominator: Int, inputsGiven: Set<InputFile>) {
        self.name = name
        self.description = description
        self.asOf = asOf
        self.extractedOn = extractedOn
        self.headlineScale = headlineScale
        self.headlineRater = headlineRater
        self.windowDays = windowDays
        self.afterDays = afterDays
        self.smallCount = smallCount
        self.minDenominator = minDenominator
        self.inputsGiven = inputsGiven
    }
}
