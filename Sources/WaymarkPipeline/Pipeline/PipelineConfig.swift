import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The stages of a run, in the only order they can run: each consumes what
/// the one before it produced (typed rows, trajectories, raw figures,
/// protected figures).
public enum PipelineStage: String, Sendable, CaseIterable, Comparable {
    case ingest, trajectories, indicators, disclosure, report
    public static func < (a: PipelineStage, b: PipelineStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Everything a run needs to know: the parsed and checked pipeline file.
public struct PipelineConfig: Sendable {
    public var name: String
    /// The pipeline file's one-line description, shown in the report's header.
    public var description = ""
    /// The stages `waymark run` executes, in order (default: all of them).
    public var stages: [PipelineStage] = PipelineStage.allCases
    /// The pipeline file's path, or nil for a folder of canonical files.
    public var sourcePath: String?
    /// SHA-256 of the pipeline file's bytes, or nil.
    public var sourceHash: String?
    /// Mapping per input file; optional files that were not given are absent.
    public var inputs: [InputFile: FileMapping] = [:]
    /// Inputs the pipeline file declares `none` (`interventions: none`): a
    /// scores-only run; indicators that need them are `x`.
    public var inputsNotGiven: Set<InputFile> = []
    public var scales: [ScaleSpec] = []
    public var limits = CSVLimits()
    public var asOf: Day?
    public var extractedOn: Day?
    public var headlineScale: String?
    public var headlineRater: Rater = .practitioner
    public var windowDays = 365
    public var trendMonths = 12
    public var offerLapseDays = 90
    public var afterDays = 120
    public var smallCount = 5
    public var minDenominator = 10
    /// Intervention type -> approach, over the defaults of METHODS.md M13.15.
    public var approaches: [String: Approach] = Approach.defaultByType
    /// Folder under which `<name>/<as_of>/` is written.
    public var outputRoot: String = "Reports"
    /// Folder under which the record-level files' `<name>/<as_of>/` is written
    /// (OUTPUTS.md: never inside the shared report folder).
    public var restrictedRoot: String = "Restricted"
    /// Write the record-level research exports.
    public var recordLevel = true
    /// The history database (`outputs.history`); nil: `<outputs.root>/<name>/history.sqlite`.
    public var historyPath: String?
    /// Practice milestones marked on the report's long views.
    public var milestones: [Milestone] = []
    /// Programme evaluation (`waymark evaluate`), when the file declares one.
    public var evaluation: EvaluationSpec?
    /// Scores files at least this many bytes are read on two cores.
    public var parallelThreshold = 4 << 20
    /// DATA-CONTRACT.md: when more than this share of a required file's data
    /// rows is quarantined, the run stops (`quality.max_quarantined_share`).
    public var maxQuarantinedShare = 0.5
    /// The identifier guard's waivers (`identifier_guard.allow`), each one pattern in one column.
    public var identifierWaivers: [IdentifierWaiver] = []

    public init(name: String) { self.name = name }

    public func scale(named name: String) -> ScaleSpec? { scales.first { $0.name == name } }

    /// The built-in scales used for a folder of canonical files without a pipeline file.
    public static let defaultScales: [ScaleSpec] = {
        var safety = ScaleSpec(name: "safety", min: 0, max: 10, higherIsBetter: true)
        safety.sustainedThreshold = 7
        let worry = ScaleSpec(name: "worry", min: 0, max: 10, higherIsBetter: false)
        let wellbeing = ScaleSpec(name: "wellbeing", min: 0, max: 10, higherIsBetter: true)
        return [safety, worry, wellbeing]
    }()

    /// A configuration for a folder of canonical files: every file at its
    /// canonical name, default mapping and the built-in scales.
    public static func canonicalFolder(_ folder: String, fileExists: (String) -> Bool) -> PipelineConfig {
        var config = PipelineConfig(name: lastPathComponent(folder))
        for file in InputFile.allCases {
            let path = joinPath(folder, file.fileName)
            if file.isRequired || fileExists(path) { config.inputs[file] = FileMapping(path: path) }
        }
        config.scales = defaultScales
        config.headlineScale = "safety"
        return config
    }
}


extension PipelineConfig {
    /// The ingest layer's share of the pipeline file.
    public var ingestOptions: IngestOptions {
        IngestOptions(inputs: inputs, scales: scales, limits: limits, approaches: approaches, parallelThreshold: parallelThreshold,
                      waivers: identifierWaivers, pipelinePath: sourcePath, notGiven: inputsNotGiven)
    }
}

extension Ingestor {
    /// An ingest of the files a pipeline file names.
    public convenience init(config: PipelineConfig, extractedOn: Day) {
        self.init(options: config.ingestOptions, extractedOn: extractedOn)
    }
}

extension PipelineConfig {
    /// The trajectory layer's share of the pipeline file.
    public var trajectoryOptions: TrajectoryOptions {
        TrajectoryOptions(scales: scales, windowDays: windowDays, offerLapseDays: offerLapseDays)
    }
}

extension TrajectoryBuilder {
    /// The trajectories of a pipeline's rows as at `asOf` (with
    /// `releasingScoreRows`, the score rows are let go once read).
    public static func build(_ ingest: IngestResult, config: PipelineConfig, asOf: Day, releasingScoreRows: Bool = false) -> Trajectories {
        build(ingest, options: config.trajectoryOptions, asOf: asOf, releasingScoreRows: releasingScoreRows)
    }
}

extension PipelineConfig {
    /// The indicator layer's share of the pipeline file.
    public var indicatorOptions: IndicatorOptions {
        IndicatorOptions(scales: scales, headlineRater: headlineRater, headlineScale: headlineScale, windowDays: windowDays,
                         trendMonths: trendMonths, offerLapseDays: offerLapseDays, afterDays: afterDays, inputsGiven: Set(inputs.keys))
    }

    /// The disclosure rule's thresholds (M11).
    public var disclosure: Disclosure { Disclosure(smallCount: smallCount, minDenominator: minDenominator) }
}

extension IndicatorEngine {
    /// Every indicator of a pipeline's trajectories (raw: not yet protected).
    public static func compute(_ t: Trajectories, ingest: IngestResult, config: PipelineConfig) -> RawIndicators {
        compute(t, ingest: ingest, options: config.indicatorOptions)
    }
}

extension PipelineConfig {
    /// The evaluation layer's share of the pipeline file.
    public var evaluationOptions: EvaluationOptions {
        EvaluationOptions(scales: scales, headlineScale: headlineScale, headlineRater: headlineRater)
    }
}

extension EvaluationDisclosure {
    /// The evaluation as it may be shared, with the pipeline's thresholds.
    public static func protect(_ r: EvaluationResult, config: PipelineConfig) -> ProtectedEvaluation {
        protect(r, smallCount: config.smallCount, minDenominator: config.minDenominator)
    }
}
