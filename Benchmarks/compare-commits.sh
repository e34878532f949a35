#!/usr/bin/env bash
# Compare `waymark run` between two revisions on the same synthetic inputs.
#
#   Benchmarks/compare-commits.sh OLD_REV NEW_REV [CASES...]
#
# For each revision: a git worktree (reused from $BENCH_WT/<rev> or
# $BENCH_WT/<short sha> when that is a worktree of the same commit, else made
# under a temporary folder and removed at the end), built with
# `swift build -c release --product waymark` in its own .build. Then, for each
# number of cases (default 1500 20000 100000): inputs from the NEW binary's
# `waymark fixtures --cases N --seed $SEED`, a pipeline file per binary from
# that revision's own Pipelines/monthly.yaml with inputs.folder pointed at the
# inputs and outputs.record_level set to false (the aggregate pipeline only),
# and $RUNS paired runs (old then new, new then old, ... so neither always
# goes first), each under /usr/bin/time -v into its own --out folder, deleted
# after its manifest.json is read.
#
# Prints the median wall time, the ratio, the median peak RSS and CPU time,
# and the median seconds of every manifest stage both revisions have.
#
# Environment:
#   RUNS=5             paired runs per size
#   SEED=11            fixtures seed
#   BENCH_WT=/work/bench-wt   where to look for (and, with KEEP_WORKTREES=1,
#                      leave) worktrees named by revision or short sha
#   KEEP_WORKTREES=1   make new worktrees in $BENCH_WT/<short sha> and keep
#                      them (and their builds) for the next comparison
#   RESULTS=FILE       also keep the per-run rows (TSV) in FILE
#
# The wall time is taken around the /usr/bin/time process with a nanosecond
# clock (time -v itself reports hundredths); peak RSS and user+system CPU come
# from time -v. The machine's load average before each run is kept in the
# per-run rows: other work on the machine shows up there.
set -euo pipefail

usage() { echo "usage: $0 OLD_REV NEW_REV [CASES...]" >&2; exit 64; }
[ $# -ge 2 ] || usage
old_rev=$1 new_rev=$2; shift 2
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(1500 20000 100000)
runs=${RUNS:-5}
seed=${SEED:-11}
bench_wt=${BENCH_WT:-/work/bench-wt}

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
old_sha=$(git -C "$repo" rev-parse --verify "$old_rev^{commit}")
new_sha=$(git -C "$repo" rev-parse --verify "$new_rev^{commit}")
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/waymark-compare.XXXXXX")
made_worktrees=()
cleanup() {
  local wt
  for wt in "${made_worktrees[@]}"; do git -C "$repo" worktree remove --force "$wt" || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# worktree REV SHA: sets wt to the folder of a worktree checked out at SHA
# (not run in a subshell, so that made_worktrees is kept for the cleanup).
worktree() {
  local rev=$1 sha=$2 short name dir
  short=$(git -C "$repo" rev-parse --short "$sha")
  for name in "$rev" "$short" "$sha"; do
    dir="$bench_wt/$name"
    if [ -e "$dir/.git" ] && [ "$(git -C "$dir" rev-parse HEAD 2>/dev/null)" = "$sha" ]; then
      if [ -n "$(git -C "$dir" status --porcelain --untracked-files=no)" ]; then
        echo "warning: $dir has uncommitted changes to tracked files; measuring it as it is" >&2
      fi
      echo "reusing worktree $dir" >&2
      wt=$dir; return
    fi
  done
  if [ "${KEEP_WORKTREES:-0}" = 1 ]; then dir="$bench_wt/$short"; mkdir -p "$bench_wt"
  else dir="$tmp/wt-$short"; made_worktrees+=("$dir"); fi
  git -C "$repo" worktree add --detach "$dir" "$sha" >&2
  wt=$dir
}

# build DIR: builds the release waymark in DIR and prints the binary's path.
# Package.resolved is not in git: when resolution fails in a fresh worktree
# (no internet), the main checkout's Package.resolved is copied in and the
# build tried again (the packages then come from the local mirror git uses).
build() {
  local dir=$1 log="$tmp/build-$(basename "$1").log"
  echo "building $dir ..." >&2
  if ! (cd "$dir" && swift build -c release --product waymark) >"$log" 2>&1; then
    if [ ! -f "$dir/Package.resolved" ] && [ -f "$repo/Package.resolved" ]; then
      echo "build failed; retrying with $repo/Package.resolved" >&2
      cp "$repo/Package.resolved" "$dir/"
      (cd "$dir" && swift build -c release --product waymark) >"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
    else
      tail -30 "$log" >&2; exit 1
    fi
  fi
  grep -E "Compiling|Build complete" "$log" | tail -1 >&2
  echo "$(cd "$dir" && swift build -c release --product waymark --show-bin-path)/waymark"
}

# pipeline SRC_YAML INPUTS OUT_YAML: a copy of SRC_YAML with inputs.folder set
# to INPUTS and outputs.record_level set to false (added when absent).
pipeline() {
  awk -v folder="$2" '
    function close_outputs() { if (section == "outputs" && !done) { print "  record_level: false"; done = 1 } }
    /^[A-Za-z_]+:/ { close_outputs(); section = $1; sub(":.*", "", section) }
    section == "inputs"  && /^  folder:/       { print "  folder: " folder; next }
    section == "outputs" && /^  record_level:/ { print "  record_level: false"; done = 1; next }
    { print }
    END { close_outputs() }
  ' "$1" > "$3"
  grep -q "^  folder: $2\$" "$3" || { echo "could not set inputs.folder in $3" >&2; exit 1; }
}

worktree "$old_rev" "$old_sha"; old_wt=$wt
worktree "$new_rev" "$new_sha"; new_wt=$wt
old_bin=$(build "$old_wt")
new_bin=$(build "$new_wt")

mkdir -p "$tmp/pipelines" "$tmp/out"
rows="$tmp/runs.tsv"
printf 'cases\tlabel\trun\twall_s\ttime_wall\tuser_s\tsys_s\tmaxrss_kb\tload1\tscore_rows\tstages\n' > "$rows"

# one LABEL BIN PIPELINE N R: one timed run, appended to $rows.
one() {
  local label=$1 bin=$2 pipe=$3 n=$4 r=$5 out="$tmp/out/$1-$4-$5" t0 t1 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$tmp/time.txt" "$bin" run "$pipe" --out "$out" -q >"$tmp/run.log" 2>&1; then
    echo "$label run failed on $n cases:" >&2; cat "$tmp/run.log" "$tmp/time.txt" >&2; exit 1
  fi
  t1=$(date +%s%N)
  python3 - "$out/manifest.json" "$tmp/time.txt" "$n" "$label" "$r" "$(( t1 - t0 ))" "$load" >> "$rows" <<'EOF'
import json, sys
manifest, timefile, n, label, r, ns, load = sys.argv[1:]
m = json.load(open(manifest))
t = {}
for line in open(timefile):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
scores = next(i["rows_read"] for i in m["inputs"] if i["file"] == "scaling_scores.csv")
stages = ",".join(f'{s["name"]}={s["seconds"]:.6f}' for s in m["stages"])
print("\t".join([n, label, r, f"{int(ns) / 1e9:.4f}", t["Elapsed (wall clock) time (h:mm:ss or m:ss)"],
                 t["User time (seconds)"], t["System time (seconds)"], t["Maximum resident set size (kbytes)"],
                 load, str(scores), stages]))
EOF
  rm -rf "$out" "$out.restricted"
}

echo "old $old_rev = $old_sha ($old_bin)" >&2
echo "new $new_rev = $new_sha ($new_bin)" >&2
for n in "${cases[@]}"; do
  inputs="$tmp/inputs-$n"
  "$new_bin" fixtures --cases "$n" --seed "$seed" --out "$inputs" >/dev/null
  pipeline "$old_wt/Pipelines/monthly.yaml" "$inputs" "$tmp/pipelines/old-$n.yaml"
  pipeline "$new_wt/Pipelines/monthly.yaml" "$inputs" "$tmp/pipelines/new-$n.yaml"
  if [ "$n" = "${cases[0]}" ] && ! diff <(grep -v '^ *#' "$tmp/pipelines/old-$n.yaml" | sed 's/ *#.*//') \
                                        <(grep -v '^ *#' "$tmp/pipelines/new-$n.yaml" | sed 's/ *#.*//') >&2; then
    echo "(the two revisions' monthly.yaml differ as above; each binary runs its own)" >&2
  fi
  echo "== $n cases ($(du -sh "$inputs" | cut -f1) of CSV): $runs paired runs" >&2
  for r in $(seq "$runs"); do
    if [ $((r % 2)) = 1 ]; then
      one old "$old_bin" "$tmp/pipelines/old-$n.yaml" "$n" "$r"
      one new "$new_bin" "$tmp/pipelines/new-$n.yaml" "$n" "$r"
    else
      one new "$new_bin" "$tmp/pipelines/new-$n.yaml" "$n" "$r"
      one old "$old_bin" "$tmp/pipelines/old-$n.yaml" "$n" "$r"
    fi
  done
  rm -rf "$inputs"
done
[ -z "${RESULTS:-}" ] || cp "$rows" "$RESULTS"

python3 - "$rows" "$old_rev" "$new_rev" <<'EOF'
import csv, statistics, sys
path, old_rev, new_rev = sys.argv[1:]
runs = list(csv.DictReader(open(path), delimiter="\t"))
med = statistics.median
sizes = list(dict.fromkeys(r["cases"] for r in runs))
def pick(n, label): return [r for r in runs if r["cases"] == n and r["label"] == label]
def stages(r): return dict((k, float(v)) for k, v in (s.split("=") for s in r["stages"].split(",")))
print(f"\nold = {old_rev}, new = {new_rev}; medians of {len(pick(sizes[0], 'old'))} paired runs each\n")
print("| cases | score rows | old wall s | new wall s | new/old | old peak RSS MiB | new peak RSS MiB | old CPU s | new CPU s |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    o, w = pick(n, "old"), pick(n, "new")
    ow, nw = med(float(r["wall_s"]) for r in o), med(float(r["wall_s"]) for r in w)
    orss, nrss = (med(int(r["maxrss_kb"]) for r in x) / 1024 for x in (o, w))
    ocpu, ncpu = (med(float(r["user_s"]) + float(r["sys_s"]) for r in x) for x in (o, w))
    print(f"| {int(n):,} | {int(o[0]['score_rows']):,} | {ow:.3f} | {nw:.3f} | {nw / ow:.2f} | {orss:,.0f} | {nrss:,.0f} | {ocpu:.2f} | {ncpu:.2f} |")
print("\nMedian seconds of each manifest stage both revisions have:\n")
print("| cases | stage | old s | new s | new - old s |")
print("|---:|---|---:|---:|---:|")
for n in sizes:
    o, w = pick(n, "old"), pick(n, "new")
    names = [k for k in stages(o[0]) if k in stages(w[0])]
    for k in names:
        os_, ns_ = med(stages(r)[k] for r in o), med(stages(r)[k] for r in w)
        print(f"| {int(n):,} | {k} | {os_:.4f} | {ns_:.4f} | {ns_ - os_:+.4f} |")
    only = [f"{k} (old)" for k in stages(o[0]) if k not in stages(w[0])] + [f"{k} (new)" for k in stages(w[0]) if k not in stages(o[0])]
    if only: print(f"| {int(n):,} | only in one: {', '.join(only)} | | | |")
loads = [float(r["load1"]) for r in runs]
print(f"\n1-minute load average before the runs: {min(loads):.2f} to {max(loads):.2f}")
EOF
