#!/usr/bin/env bash
# The indicators benchmark: after ingest and trajectories, every indicator of
# the catalogue over a 12-month trend with team and equity breakdowns and
# disclosure control (M7-M11), for about 1M and 10M score rows, RUNS times
# each. The time reported is the indicator stage alone (the issue's target:
# under 5 s at 10M rows after trajectories are built).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh
for n in "${sizes[@]}"; do
  dir=$(dataset "$n")
  for r in $(seq "$runs"); do $bench indicators "$dir"; done
done
