/// The code under fuzzing, one case per libFuzzer executable and per folder of
/// `Tests/FuzzCorpus/`: the executables and the corpus replay test call the
/// same ``run(_:)``.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `WaymarkCSV.CSVReader` with small chunks and limits (``CSVReaderFuzzTarget``).
    case csv
    /// `WaymarkIngest.Ingestor` and the identifier guard (``IngestFuzzTarget``).
    case ingest
    /// `WaymarkPipeline.PipelineFile.load(path:)` (``PipelineFileFuzzTarget``).
    case pipeline

    /// Runs one input. Errors the code under test throws for bad input are
    /// expected and swallowed; a broken invariant throws ``FuzzInvariantViolation``.
    public func run(_ input: UnsafeRawBufferPointer) throws {
        switch self {
        case .csv: try CSVReaderFuzzTarget.run(input)
        case .ingest: try IngestFuzzTarget.run(input)
        case .pipeline: try PipelineFileFuzzTarget.run(input)
        }
    }

    /// Runs one input and turns a broken invariant into a crash, which is what
    /// libFuzzer looks for (the body of `LLVMFuzzerTestOneInput`).
    public func runOrCrash(_ start: UnsafePointer<UInt8>?, _ count: Int) {
        do {
            try run(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
        } catch {
            fatalError("fuzz target \(rawValue): \(error)")
        }
    }
}
