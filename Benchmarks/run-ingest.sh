#!/usr/bin/env bash
# The ingest benchmark. Generates exports of about 1M and 10M score rows with
# the project's generator (kept under $BENCH_DATA, default /tmp/waymark-bench),
# then measures, each in a fresh process and RUNS times (default 3):
#   parse   libcsv parsing of scaling_scores.csv through the reader, no typing
#   scores  full ingest and validation of scaling_scores.csv alone
#   all     full ingest of all five files
# and prints MB/s, rows/s, peak RSS and bytes per accepted score row.
# Usage: Benchmarks/run-ingest.sh [sizes...]   (default: 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; swift $(swift --version 2>&1 | grep -oE 'version [0-9.]+' | head -1)"
for n in "${sizes[@]}"; do
  dir=$(dataset "$n")
  for mode in parse scores all; do
    for r in $(seq "$runs"); do
      $bench "$mode" "$dir" | head -1
    done
  done
done
