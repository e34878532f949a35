import WaymarkReports
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkIndicators
import WaymarkIngest
import WaymarkTrajectories

/// One step of a run: a typed input to a typed output. Each step's time and
/// row counts go to the manifest (through `RunContext.stage`), and the
/// runner announces it to the console before it starts.
public protocol Stage {
    associatedtype Input
    associatedtype Output
    /// The step's name, as the console shows it.
    var name: String { get }
    func run(_ input: Input, in context: RunContext) throws -> Output
}

/// Rows -> trajectories (and the record-level files when asked for).
public struct TrajectoriesStep: Stage {
    /// Let the score rows go once the series and points are written: for a
    /// run whose later stages read the trajectories only.
    public var releasingScoreRows: Bool
    public init(releasingScoreRows: Bool = false) { self.releasingScoreRows = releasingScoreRows }
    public var name: String { PipelineStage.trajectories.rawValue }
    public func run(_ ingest: IngestResult, in context: RunContext) throws -> Trajectories {
        try TrajectoryStage.run(context, ingest: ingest, releasingScoreRows: releasingScoreRows)
    }
}

/// Trajectories -> raw figures of every month end.
public struct IndicatorsStep: Stage {
    public init() {}
    public var name: String { PipelineStage.indicators.rawValue }
    public func run(_ input: (Trajectories, IngestResult), in context: RunContext) throws -> RawIndicators {
        IndicatorStage.run(context, trajectories: input.0, ingest: input.1)
    }
}

/// Raw figures -> published figures, `indicators.csv` and `matrix.csv`.
public struct DisclosureStep: Stage {
    public init() {}
    public var name: String { PipelineStage.disclosure.rawValue }
    public func run(_ raw: RawIndicators, in context: RunContext) throws -> PublishedIndicators { try DisclosureStage.run(context, raw: raw) }
}

/// Published figures -> what the history remembers of them (and the run's
/// record, made when its folder is moved into place).
public struct HistoryStep: Stage {
    public init() {}
    public var name: String { "history" }
    public func run(_ input: (IngestResult, PublishedIndicators), in context: RunContext) throws -> HistoryView? {
        try HistoryStage.run(context, ingest: input.0, published: input.1)
    }
}

/// Published figures -> `index.html`.
public struct ReportStep: Stage {
    public init() {}
    public var name: String { PipelineStage.report.rawValue }
    public func run(_ input: (IngestResult, Int, PublishedIndicators, HistoryView?), in context: RunContext) throws -> String {
        try ReportStage.run(context, ingest: input.0, sameDayMerges: input.1, indicators: input.2, history: input.3)
    }
}

/// Rows -> the protected evaluation (M12) and its files.
public struct EvaluationStep: Stage {
    public init() {}
    public var name: String { "evaluation" }
    public func run(_ ingest: IngestResult, in context: RunContext) throws -> ProtectedEvaluation { try EvaluationStage.run(context, ingest: ingest) }
}

/// What a run produced, stage by stage (nil for stages the pipeline left out).
public struct RunOutcome: Sendable {
    public var trajectories: Trajectories?
    public var indicators: PublishedIndicators?
    /// The report pack's path, relative to the output folder.
    public var report: String?
    /// The evaluation as shared (`waymark evaluate`).
    public var evaluation: ProtectedEvaluation?
}

/// Runs every command's stages after ingest, in order, each a typed step
/// from the previous one's output: rows -> trajectories -> raw figures ->
/// published figures (and their CSVs) -> `index.html`; or rows -> the
/// evaluation. The commands only parse arguments and print.
public struct StageRunner {
    /// The commands that run stages after ingest.
    public enum Command: Sendable {
        /// `waymark run`: the stages the pipeline file lists (default all).
        case run
        /// `waymark trajectories`: up to the record-level files.
        case trajectories
        /// `waymark indicators`: up to indicators.csv and matrix.csv.
        case indicators
        /// `waymark evaluate`: programme evaluation.
        case evaluate
    }

    let context: RunContext
    let announce: (String) -> Void

    public init(_ context: RunContext, announce: @escaping (String) -> Void = { _ in }) {
        self.context = context
        self.announce = announce
    }

    func step<S: Stage>(_ stage: S, _ input: S.Input) throws -> S.Output {
        announce(stage.name)
        return try stage.run(input, in: context)
    }

    /// Runs `command`'s stages on what ingest accepted.
    public func run(_ command: Command, ingest: IngestResult) throws -> RunOutcome {
        var outcome = RunOutcome()
        if command == .evaluate {
            outcome.evaluation = try step(EvaluationStep(), ingest)
            return outcome
        }
        let wanted: Set<PipelineStage>
        switch command {
        case .run: wanted = Set(context.config.stages)
        case .trajectories: wanted = [.trajectories]
        case .indicators: wanted = [.trajectories, .indicators, .disclosure]
        case .evaluate: wanted = []
        }
        guard wanted.contains(.trajectories) else { return outcome }
        ingest.releaseIngestOnlyColumns()
        // The trajectories hold all that later stages read of the score rows: the build lets
        // them go as soon as it has read them, before it writes the segments.
        let t = try step(TrajectoriesStep(releasingScoreRows: wanted.contains(.indicators)), ingest)
        outcome.trajectories = t
        guard wanted.contains(.indicators) else { return outcome }
        let raw = try step(IndicatorsStep(), (t, ingest))
        guard wanted.contains(.disclosure) else { return outcome }
        let published = try step(DisclosureStep(), raw)
        outcome.indicators = published
        // Every successful `waymark run` is recorded in the history (OUTPUTS.md "History").
        let history = command == .run && context.historyPath != nil ? try step(HistoryStep(), (ingest, published)) : nil
        guard wanted.contains(.report) else { return outcome }
        outcome.report = try step(ReportStep(), (ingest, t.sameDayMerges, published, history))
        return outcome
    }

    /// `waymark run` with the pipeline's stages.
    public static func run(_ context: RunContext, ingest: IngestResult, announce: @escaping (String) -> Void = { _ in }) throws -> RunOutcome {
        try StageRunner(context, announce: announce).run(.run, ingest: ingest)
    }
}
