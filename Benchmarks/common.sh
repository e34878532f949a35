# Shared by the benchmark scripts: installs what is missing, builds the release
# benchmark, and sets bench (the binary), data (where generated data is kept),
# runs (repetitions) and sizes (score rows; the script's arguments, default 1M and 10M).
scripts/install-deps
swift build -c release --product waymark-bench 2>&1 | grep -E "error|Build complete" || true
bench=.build/release/waymark-bench
data=${BENCH_DATA:-/tmp/waymark-bench}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
