import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// What programme evaluation (M12) needs from the pipeline file besides its
/// `evaluation` section: the scales and the headline scale and rater, which
/// a cohort comparison defaults to.
public struct EvaluationOptions: Sendable {
    public var scales: [ScaleSpec]
    public var headlineScale: String?
    public var headlineRater: Rater

    public init(scales: [ScaleSpec], headlineScale: String?, headlineRater: Rater) {
        self.scales = scales
        self.headlineScale = headlineScale
        self.headlineRater = headlineRater
    }

    public func scale(named name: String) -> ScaleSpec? { scales.first { $0.name == name } }
}
