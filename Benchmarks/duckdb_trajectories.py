#!/usr/bin/env python3
"""A comparison point for the trajectories benchmark: DuckDB computing the
series summaries and a simplified segment context from the same CSV files.

Simplified against Waymark: no validation or quarantine, no identifier guard,
no lapse or decline stop rule (an offer is active from offered_on to ended_on),
the response level is the best level recorded by the segment's end (not the
latest), no RCI or sustained. So it does less work than Waymark.

usage: python3 Benchmarks/duckdb_trajectories.py DATA_FOLDER [threads]
(pip install duckdb)
"""
import resource
import sys
import time

import duckdb

folder = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
t0 = time.time()
con.execute(f"""
CREATE TABLE scores AS
SELECT case_id, coalesce(child_id, '') AS child_id, scale, rated_by, CAST(recorded_on AS DATE) AS d,
       CASE WHEN scale = 'worry' THEN 10 - CAST(score AS DOUBLE) ELSE CAST(score AS DOUBLE) END AS v
FROM read_csv('{folder}/scaling_scores.csv', header = true, all_varchar = true)
WHERE CAST(recorded_on AS DATE) <= DATE '2026-10-31';
CREATE TABLE iv AS
SELECT intervention_id, case_id, coalesce(child_id, '') AS child_id, CAST(offered_on AS DATE) AS offered,
       CAST(ended_on AS DATE) AS ended, coalesce(TRY_CAST(planned_hours AS DOUBLE), 0) AS hours
FROM read_csv('{folder}/interventions.csv', header = true, all_varchar = true);
CREATE TABLE rs AS
SELECT intervention_id, CAST(recorded_on AS DATE) AS d,
       CASE response WHEN 'engaged' THEN 4 WHEN 'completed' THEN 4 WHEN 'partially_engaged' THEN 3
                     WHEN 'accepted' THEN 3 ELSE 2 END AS level
FROM read_csv('{folder}/responses.csv', header = true, all_varchar = true);
""")
t1 = time.time()
con.execute("""
CREATE TABLE points AS
SELECT case_id, child_id, scale, rated_by, d, avg(v) AS v, count(*) AS n FROM scores GROUP BY ALL;
CREATE TABLE series AS
SELECT case_id, child_id, scale, rated_by, count(*) AS n_points, min(d) AS first_day, max(d) AS last_day,
       arg_min(v, d) AS baseline, arg_max(v, d) AS latest, arg_max(v, d) - arg_min(v, d) AS change,
       regr_slope(v, epoch(d) / 86400) * 30 AS slope_per_30d
FROM points GROUP BY ALL;
CREATE TABLE segments AS
SELECT * FROM (
  SELECT case_id, child_id, scale, rated_by, d AS start, v AS start_value,
         lead(d) OVER w AS "end", lead(v) OVER w AS end_value
  FROM points WINDOW w AS (PARTITION BY case_id, child_id, scale, rated_by ORDER BY d)
) WHERE "end" IS NOT NULL;
CREATE TABLE context AS
SELECT s.case_id, s.child_id, s.scale, s.rated_by, s.start, s."end",
       count(DISTINCT i.intervention_id) AS active,
       coalesce(max(r.level), CASE WHEN count(i.intervention_id) > 0 THEN 1 ELSE 0 END) AS context
FROM segments s
LEFT JOIN iv i ON i.case_id = s.case_id AND (i.child_id = '' OR s.child_id = '' OR i.child_id = s.child_id)
              AND i.offered < s."end" AND coalesce(i.ended, DATE '9999-12-31') >= s.start
LEFT JOIN (SELECT intervention_id, d, max(level) AS level FROM rs GROUP BY ALL) r
       ON r.intervention_id = i.intervention_id AND r.d <= s."end"
GROUP BY ALL;
""")
t2 = time.time()
n_series = con.execute("SELECT count(*) FROM series").fetchone()[0]
n_segments = con.execute("SELECT count(*) FROM context").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"duckdb {duckdb.__version__} ({threads} threads): load {t1 - t0:.2f} s, compute {t2 - t1:.2f} s, total {t2 - t0:.2f} s; "
      f"{n_series} series, {n_segments} segments; peak RSS {peak:.0f} MiB")
