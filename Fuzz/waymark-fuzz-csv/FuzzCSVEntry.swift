import WaymarkFuzzTargets

/// libFuzzer's entry point for the `csv` target (scripts/fuzz csv); built only
/// with WAYMARK_FUZZ=1 and `--sanitize=fuzzer`, which links libFuzzer's main.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.csv.runOrCrash(data, size)
    return 0
}
