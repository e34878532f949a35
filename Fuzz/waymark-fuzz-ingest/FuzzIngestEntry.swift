import WaymarkFuzzTargets

/// libFuzzer's entry point for the `ingest` target (scripts/fuzz ingest); built only
/// with WAYMARK_FUZZ=1 and `--sanitize=fuzzer`, which links libFuzzer's main.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.ingest.runOrCrash(data, size)
    return 0
}
