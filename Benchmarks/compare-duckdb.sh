#!/usr/bin/env bash
# Waymark against DuckDB on the same synthetic export, in one pass (issue #15).
#
#   Benchmarks/compare-duckdb.sh [ROWS...]        (default: 1000000 10000000)
#
# For each size: the export from `waymark-bench generate --rows N` (five files,
# kept under $BENCH_DATA, default /tmp/waymark-bench), a pipeline file from
# Pipelines/monthly.yaml with inputs.folder pointed at it and record-level
# exports off, then $RUNS paired runs (Waymark then DuckDB, DuckDB then
# Waymark, ... so neither always goes first) of
#   waymark run PIPELINE --no-history           (release build)
#   python3 Benchmarks/duckdb_trajectories.py   (DuckDB, 2 threads)
# each under /usr/bin/time -v. Prints the median wall time of each, the
# ratio, the median peak RSS, and the median seconds of every stage in
# Waymark's manifest with its bytes per score row of peak RSS.
# With RECORD_LEVEL=1, Waymark's runs also write the record-level files, and
# their size over the stage's seconds is printed (MB/s).
#
# Environment: RUNS=3, BENCH_DATA=/tmp/waymark-bench, RECORD_LEVEL=0, RESULTS=FILE (keep the per-run rows).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
runs=${RUNS:-3}
data=${BENCH_DATA:-/tmp/waymark-bench}
record_level=${RECORD_LEVEL:-0}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb >/dev/null 2>&1 \
  || { echo "needs the duckdb Python package (pip install duckdb)" >&2; exit 1; }
scripts/install-deps >/dev/null
swift build -c release --product waymark 2>&1 | grep -E "error|Build complete" >&2 || true
swift build -c release --product waymark-bench 2>&1 | grep -E "error|Build complete" >&2 || true
bin=$(swift build -c release --product waymark --show-bin-path)/waymark
bench=$(swift build -c release --product waymark-bench --show-bin-path)/waymark-bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/waymark-duckdb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rows="$tmp/runs.tsv"
printf 'rows\tlabel\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\tload1\tscore_rows\trecord_level_bytes\tstages\tpeaks\n' > "$rows"

# one LABEL N R COMMAND...: one timed run, appended to $rows.
one() {
  local label=$1 n=$2 r=$3; shift 3
  local load t0 t1 out="$tmp/out"
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$out" "$out.restricted"
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$tmp/time.txt" "$@" >"$tmp/run.log" 2>&1; then
    echo "$label failed on $n rows:" >&2; tail -20 "$tmp/run.log" >&2; exit 1
  fi
  t1=$(date +%s%N)
  python3 - "$out" "$tmp/time.txt" "$n" "$label" "$r" "$(( t1 - t0 ))" "$load" >> "$rows" <<'PY'
import json, os, sys
out, timefile, n, label, r, ns, load = sys.argv[1:]
t = {}
for line in open(timefile):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
scores, stages, rl = "", "", 0
if os.path.exists(out + "/manifest.json"):
    m = json.load(open(out + "/manifest.json"))
    scores = str(next(i["rows_read"] for i in m["inputs"] if i["file"] == "scaling_scores.csv"))
    stages = ",".join(f'{s["name"]}={s["seconds"]:.6f}' for s in m["stages"])
    peaks = ",".join(f'{s["name"]}={s.get("peak_rss_bytes", 0)}' for s in m["stages"])
    folder = out + ".restricted/record-level"
    if os.path.isdir(folder):
        rl = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
print("\t".join([n, label, r, f"{int(ns) / 1e9:.4f}", t["User time (seconds)"], t["System time (seconds)"],
                 t["Maximum resident set size (kbytes)"], load, scores, str(rl), stages, peaks if stages else ""]))
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F)" >&2
for n in "${sizes[@]}"; do
  dir="$data/$n"
  [ -f "$dir/scaling_scores.csv" ] || "$bench" generate --rows "$n" --out "$dir" >&2
  pipe="$tmp/monthly-$n.yaml"
  awk -v folder="$dir" -v rl="$([ "$record_level" = 1 ] && echo true || echo false)" '
    function close_outputs() { if (section == "outputs" && !done) { print "  record_level: " rl; done = 1 } }
    /^[A-Za-z_]+:/ { close_outputs(); section = $1; sub(":.*", "", section) }
    section == "inputs"  && /^  folder:/       { print "  folder: " folder; next }
    section == "outputs" && /^  record_level:/ { print "  record_level: " rl; done = 1; next }
    { print }
    END { close_outputs() }
  ' Pipelines/monthly.yaml > "$pipe"
  echo "== $n score rows ($(du -sh "$dir" | cut -f1) of CSV): $runs paired runs" >&2
  for r in $(seq "$runs"); do
    w=(one waymark "$n" "$r" "$bin" run "$pipe" --out "$tmp/out" --no-history -q)
    d=(one duckdb "$n" "$r" python3 Benchmarks/duckdb_trajectories.py "$dir" 2)
    if [ $((r % 2)) = 1 ]; then "${w[@]}"; "${d[@]}"; else "${d[@]}"; "${w[@]}"; fi
  done
done
[ -z "${RESULTS:-}" ] || cp "$rows" "$RESULTS"

python3 - "$rows" <<'PY'
import csv, statistics, sys
runs = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = statistics.median
sizes = list(dict.fromkeys(r["rows"] for r in runs))
def pick(n, label): return [r for r in runs if r["rows"] == n and r["label"] == label]
def stages(r): return dict((k, float(v)) for k, v in (s.split("=") for s in r["stages"].split(",")))
print(f"\nmedians of {len(pick(sizes[0], 'waymark'))} paired runs\n")
print("| score rows | Waymark s | DuckDB s | DuckDB / Waymark | Waymark peak RSS MiB | bytes per score row | DuckDB peak RSS MiB |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    w, d = pick(n, "waymark"), pick(n, "duckdb")
    ww, dw = med(float(r["wall_s"]) for r in w), med(float(r["wall_s"]) for r in d)
    wr, dr = (med(int(r["maxrss_kb"]) for r in x) for x in (w, d))
    score_rows = int(w[0]["score_rows"])
    print(f"| {score_rows:,} | {ww:.2f} | {dw:.2f} | {dw / ww:.2f} | {wr / 1024:,.0f} | {wr * 1024 / score_rows:.0f} | {dr / 1024:,.0f} |")
def peaks(r): return dict((k, int(v)) for k, v in (s.split("=") for s in r["peaks"].split(","))) if r.get("peaks") else {}
print("\nWaymark's stages (median seconds, and the peak resident memory so far at the stage's end, from manifest.json):\n")
print("| score rows | stage | s | peak RSS so far MiB | bytes per score row |")
print("|---:|---|---:|---:|---:|")
for n in sizes:
    w = pick(n, "waymark")
    score_rows = int(w[0]["score_rows"])
    for k in stages(w[0]):
        p = med(peaks(r).get(k, 0) for r in w)
        print(f"| {score_rows:,} | {k} | {med(stages(r)[k] for r in w):.3f} | {p / 2**20:,.0f} | {p / score_rows:.0f} |")
    rl = int(w[0]["record_level_bytes"])
    if rl:
        secs = med(stages(r).get("record-level", 0) for r in w)
        if secs > 0:
            print(f"\nrecord-level files: {rl / 1e6:,.0f} MB in {secs:.2f} s = {rl / 1e6 / secs:,.0f} MB/s")
PY
