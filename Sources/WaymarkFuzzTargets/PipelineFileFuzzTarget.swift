import WaymarkCore
import WaymarkIngest
import WaymarkPipeline

/// Fuzzes the pipeline-file parser: the whole input is written as
/// `pipeline.yaml` beside the small valid CSVs of ``IngestFuzzInputs`` and
/// loaded with `PipelineFile.load(path:)`. Any thrown error is bad input.
///
/// A file that loads must keep what `load` promises: every required input is
/// declared, at least one scale with min below max, `as_of` not after
/// `extracted_on`. When every input it names is one of the CSVs beside it,
/// the loaded mappings are also ingested (with the ingest target's checks),
/// so delimiters, encodings, date formats, vocabularies and column maps from
/// YAML reach the reader; other paths are never opened.
public enum PipelineFileFuzzTarget {
    public static func run(_ input: UnsafeRawBufferPointer) throws {
        let folder = fixedFolder
        let path = joinPath(folder, "pipeline.yaml")
        FuzzWorkspace.write(path, input)
        let config: PipelineConfig
        do {
            config = try PipelineFile.load(path: path)
        } catch {
            return
        }
        let context = "PipelineFile.load"
        for file in InputFile.allCases where file.isRequired {
            // `interventions: none` (a scores-only run) is the one way to go without one; never the scores.
            let declaredNone = config.inputsNotGiven.contains(file) && file != .scalingScores
            try FuzzInvariantViolation.require(config.inputs[file] != nil || declaredNone, "\(context): loaded without the required input \(file.rawValue)")
        }
        try FuzzInvariantViolation.require(config.inputsNotGiven.isDisjoint(with: config.inputs.keys), "\(context): an input both given and declared none")
        try FuzzInvariantViolation.require(!config.scales.isEmpty, "\(context): loaded without a scale")
        for scale in config.scales {
            try FuzzInvariantViolation.require(scale.min < scale.max, "\(context): scale \(scale.name) has min \(scale.min) >= max \(scale.max)")
        }
        if let asOf = config.asOf, let extractedOn = config.extractedOn {
            try FuzzInvariantViolation.require(asOf <= extractedOn, "\(context): as_of \(asOf) after extracted_on \(extractedOn)")
        }
        let fixedPaths = Set(InputFile.allCases.map { joinPath(folder, $0.fileName) })
        if config.inputs.values.allSatisfy({ fixedPaths.contains($0.path) }) {
            _ = try IngestFuzzTarget.ingest(config.ingestOptions, context: "the pipeline file's mappings")
        }
    }

    /// The folder with the fixed CSVs, written once per process.
    static let fixedFolder: String = {
        let folder = FuzzWorkspace.folder("pipeline")
        for (file, text) in IngestFuzzInputs.files { FuzzWorkspace.write(joinPath(folder, file.fileName), text) }
        return folder
    }()
}
