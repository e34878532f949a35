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

# dataset N: the folder of generated exports with about N score rows
# (generated on first use), announced on standard output.
dataset() {
  local dir="$data/$1"
  [ -f "$dir/scaling_scores.csv" ] || $bench generate --rows "$1" --out "$dir" >&2
  echo "== $1 score rows ($(du -sh "$dir" | cut -f1) of CSV)" >&2
  echo "$dir"
}
