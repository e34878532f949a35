import WaymarkFuzzTargets

/// libFuzzer's entry point for the `pipeline` target (scripts/fuzz pipeline); built only
/// with WAYMARK_FUZZ=1 and `--sanitize=fuzzer`, which links libFuzzer's main.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.pipeline.runOrCrash(data, size)
    return 0
}
