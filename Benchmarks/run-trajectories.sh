#!/usr/bin/env bash
# The trajectories benchmark: from the three required CSV files to every
# series summary, every segment's support context and the matrices (M1-M6,
# M9), for about 1M and 10M score rows (generated like run-ingest.sh), RUNS
# times each; then DuckDB on the same files for comparison when
# `python3 -c "import duckdb"` works (pip install duckdb).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh
for n in "${sizes[@]}"; do
  dir=$(dataset "$n")
  for r in $(seq "$runs"); do $bench trajectories "$dir"; done
  if python3 -c "import duckdb" 2>/dev/null; then
    python3 Benchmarks/duckdb_trajectories.py "$dir" 2
  fi
done
