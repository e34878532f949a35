#!/usr/bin/env bash
# Bounded memory for over-long fields (issue #11 item 4): peak RSS of a run
# whose scaling_scores.csv holds one single-line field of FIELD_MIB MiB
# (default 200) must stay under 3 x max_field_bytes plus the peak RSS of the
# same run without that field. Runs `waymark run` on a copy of the demo export
# both ways, RUNS times each (default 3), and prints the figures and the verdict.
#
#   Benchmarks/long-field.sh            # 200 MiB field
#   FIELD_MIB=50 Benchmarks/long-field.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps >/dev/null
swift build -c release --product waymark 2>&1 | grep -E "error|Build of product" || true
bin=$PWD/.build/release/waymark
mib=${FIELD_MIB:-200}
runs=${RUNS:-3}
max_field_bytes=65536
work=$(mktemp -d /tmp/waymark-long-field.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/plain" "$work/long"
cp Fixtures/demo/*.csv "$work/plain/"
cp Fixtures/demo/*.csv "$work/long/"
# One more score row whose team field is FIELD_MIB MiB of letters on one line.
python3 - "$work/long/scaling_scores.csv" "$mib" <<'PY'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
with open(path, "ab") as f:
    f.write(b"S-long,C-long,,")
    block = b"x" * (1 << 20)
    for _ in range(mib):
        f.write(block)
    f.write(b",W1,2026-01-10,safety,4,practitioner,review\n")
PY
for which in plain long; do
  sed -e "s|folder: ../Fixtures/demo.*|folder: $work/$which|" -e "s|root: ../Reports|root: $work/out-$which|" \
      -e "s|restricted_root: ../Restricted|restricted_root: $work/restricted-$which|" Pipelines/monthly.yaml > "$work/$which.yaml"
done

# peak KiB, seconds and exit code of one run
measure() {
  local log="$work/time.log"
  local start end
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%M" -o "$log" "$bin" run "$work/$1.yaml" --out "$work/out-$1" --restricted-out "$work/restricted-$1" --no-history --force >/dev/null 2>"$work/$1.err"
  local code=$?
  set -e
  end=$(date +%s.%N)
  echo "$(tail -1 "$log") $(echo "$end - $start" | bc) $code"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; field: $mib MiB; max_field_bytes: $max_field_bytes; runs: $runs"
best_plain=0; best_long=0
for k in $(seq "$runs"); do
  read -r plain_kib plain_s plain_code <<<"$(measure plain)"
  read -r long_kib long_s long_code <<<"$(measure long)"
  echo "run $k: without the field ${plain_kib} KiB (${plain_s} s, exit $plain_code); with it ${long_kib} KiB (${long_s} s, exit $long_code)"
  [ "$best_plain" -eq 0 ] || [ "$plain_kib" -lt "$best_plain" ] && best_plain=$plain_kib
  [ "$best_long" -eq 0 ] || [ "$long_kib" -lt "$best_long" ] && best_long=$long_kib
done
grep -h "field_too_long" "$work/out-long/quality.csv" | head -1 | cut -c1-120 || true
limit=$(( best_plain + 3 * max_field_bytes / 1024 ))
echo "peak RSS: without the field $best_plain KiB, with it $best_long KiB (difference $(( best_long - best_plain )) KiB); limit $limit KiB (baseline + 3 x max_field_bytes)"
if [ "$best_long" -le "$limit" ]; then echo "PASS"; else echo "FAIL"; exit 1; fi
