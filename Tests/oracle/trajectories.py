#!/usr/bin/env python3
"""An independent implementation of METHODS.md M1-M6 (with the M13 readings)
in pandas, used as a test oracle for Waymark's record-level exports.

Written from the specification, not from Waymark's code. It reads canonical
CSV files, drops the lines Waymark quarantined (given in the parameters, so
this checks trajectories, not ingest), and writes series.csv, segments.csv and
points.csv with Waymark's columns.

usage: trajectories.py INPUT_FOLDER PARAMS.json OUTPUT_FOLDER
PARAMS.json: {"as_of": "YYYY-MM-DD", "window_days": 365, "offer_lapse_days": 90,
              "scales": [{"name", "min", "max", "higher_is_better", "step", "sd"
                          (number, "baseline" or null), "reliability", "sustained_threshold",
                          "sustained_gap_days"}],
              "quarantined": {"scaling_scores": [lines], "interventions": [...], "responses": [...]}}
"""
import json
import math
import os
import statistics
import sys

import numpy as np
import pandas as pd

LEVEL = {"engaged": 4, "completed": 4, "partially_engaged": 3, "accepted": 3, "declined": 2, "disengaged": 2}
CONTEXT = {0: "none_offered", 1: "unrecorded", 2: "declined", 3: "partial", 4: "engaged"}
TOL = 1e-9


def load(folder, name, quarantined):
    df = pd.read_csv(os.path.join(folder, name), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df["_line"] = df.index + 2
    return df[~df["_line"].isin(set(quarantined))].copy()


def day(s):
    return pd.NaT if s == "" else pd.Timestamp(s)


def main(folder, params_path, out):
    p = json.load(open(params_path))
    E = pd.Timestamp(p["as_of"])
    window_start = E - pd.Timedelta(days=p["window_days"])
    lapse = pd.Timedelta(days=p["offer_lapse_days"])
    scales = {s["name"]: s for s in p["scales"]}
    q = p["quarantined"]

    sc = load(folder, "scaling_scores.csv", q["scaling_scores"])
    iv = load(folder, "interventions.csv", q["interventions"])
    rs = load(folder, "responses.csv", q["responses"])

    # M7/M13.4: only rows dated on or before E.
    sc["day"] = sc["recorded_on"].map(day)
    sc = sc[sc["day"] <= E].copy()
    iv["offered"] = iv["offered_on"].map(day)
    iv = iv[iv["offered"] <= E].copy()
    iv["started"] = iv["started_on"].map(day).where(lambda d: d <= E)
    iv["ended"] = iv["ended_on"].map(day).where(lambda d: d <= E)
    iv.loc[iv["ended"].isna(), "end_reason"] = ""
    rs["day"] = rs["recorded_on"].map(day)
    rs = rs[rs["day"] <= E].copy()
    rs["level"] = rs["response"].map(LEVEL)

    # M1: orientation.
    def orient(row):
        s = scales[row["scale"]]
        v = float(row["score"])
        return v if s["higher_is_better"] else s["min"] + s["max"] - v
    sc["value"] = sc.apply(orient, axis=1)

    # Responses per intervention, and each offer's stop (M5).
    responses = {k: list(zip(g["day"], g["level"])) for k, g in rs.sort_values(["day", "_line"]).groupby("intervention_id")}

    def latest_level(pairs):
        # The latest day's responses; on a tie of days the higher level wins.
        last = max(d for d, _ in pairs)
        return last, max(l for d, l in pairs if d == last)

    def level_at(iid, d):
        pairs = [x for x in responses.get(iid, []) if x[0] <= d]
        return latest_level(pairs)[1] if pairs else 1

    stops = {}
    for r in iv.itertuples():
        pairs = responses.get(r.intervention_id, [])
        if not pd.isna(r.ended):
            stops[r.intervention_id] = r.ended
        elif pairs:
            last, level = latest_level(pairs)
            stops[r.intervention_id] = last if level == 2 else pd.Timestamp.max
        elif pd.isna(r.started):
            stops[r.intervention_id] = r.offered + lapse
        else:
            stops[r.intervention_id] = pd.Timestamp.max
    by_case = {k: list(g.itertuples()) for k, g in iv.groupby("case_id")}

    # M13.7: the case's latest team as at E.
    case_team = {}
    for r in sc[sc["team"] != ""].sort_values(["day", "_line"]).itertuples():
        case_team[r.case_id] = r.team
    scored = set(case_team)
    if "team" in iv:
        for r in iv[iv["team"] != ""].sort_values(["offered", "_line"]).itertuples():
            if r.case_id not in scored:
                case_team[r.case_id] = r.team

    series_rows, segment_rows, point_rows = [], [], []
    keys = ["case_id", "child_id", "scale", "rated_by"]
    for key, g in sc.sort_values(keys + ["day", "_line"]).groupby(keys, sort=True):
        case_id, child_id, scale, rater = key
        spec = scales[scale]
        pts = []
        for d, h in g.groupby("day", sort=True):
            teams = [t for t in h["team"] if t != ""]
            pts.append((d, h["value"].sum() / len(h), len(h), teams[-1] if teams else None))
        for d, v, n, _ in pts:
            point_rows.append(list(key) + [d.strftime("%Y-%m-%d"), v, n])
        # M4: same case, and either side's child blank or both equal.
        belonging = [r for r in by_case.get(case_id, []) if r.child_id == "" or child_id == "" or r.child_id == child_id]
        contexts = []
        for (a, va, _, _), (b, vb, _, _) in zip(pts, pts[1:]):
            ctx, active, hours, withdrawn = 0, 0, 0.0, False
            for r in belonging:
                if r.end_reason in ("service_withdrawn", "reduced") and a <= r.ended < b:
                    withdrawn = True
                if r.offered < b and stops[r.intervention_id] >= a:
                    active += 1
                    hours += float(r.planned_hours) if r.planned_hours != "" else 0.0
                    ctx = max(ctx, level_at(r.intervention_id, b))
            change = vb - va
            direction = "improved" if change >= spec["step"] - TOL else ("worsened" if change <= -spec["step"] + TOL else "steady")
            contexts.append(ctx)
            segment_rows.append(list(key) + [a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d"), va, vb, change, direction,
                                             CONTEXT[ctx], "true" if withdrawn else "false", hours, active])
        team = pts[-1][3] or case_team.get(case_id) or "unknown"
        n = len(pts)
        row = {"key": key, "team": team, "n": n, "first": pts[0][0], "last": pts[-1][0], "baseline": pts[0][1],
               "latest": pts[-1][1], "change": None, "slope": None, "sustained": None, "exposure": None}
        if n >= 2:
            row["change"] = pts[-1][1] - pts[0][1]
            x = np.array([(d - pts[0][0]).days for d, *_ in pts], dtype=float)
            y = np.array([v for _, v, *_ in pts])
            row["slope"] = float(np.polyfit(x, y, 1)[0]) * 30
            if spec.get("sustained_threshold") is not None:
                t = spec["sustained_threshold"]
                (d1, v1, *_), (d2, v2, *_) = pts[-2], pts[-1]
                row["sustained"] = v1 >= t - TOL and v2 >= t - TOL and (d2 - d1).days >= spec["sustained_gap_days"]
            row["exposure"] = CONTEXT[max(contexts)]
        series_rows.append(row)

    # M6: RCI per scale and rater.
    for (scale, rater) in {(r["key"][2], r["key"][3]) for r in series_rows}:
        spec = scales[scale]
        members = [r for r in series_rows if r["key"][2] == scale and r["key"][3] == rater]
        if spec.get("sd") is None or spec.get("reliability") is None or spec["reliability"] >= 1:
            continue
        if spec["sd"] == "baseline":
            base = [r["baseline"] for r in members if r["n"] >= 2 and window_start < r["last"] <= E]
            if len(base) < 2 or statistics.stdev(base) == 0:
                continue
            sd = statistics.stdev(base)
        else:
            sd = spec["sd"]
        for r in members:
            if r["change"] is not None:
                r["rci"] = r["change"] / (sd * math.sqrt(2 * (1 - spec["reliability"])))

    def cls(rci):
        if rci is None:
            return ""
        return "reliable_improvement" if rci >= 1.96 - TOL else ("reliable_deterioration" if rci <= -1.96 + TOL else "no_reliable_change")

    def opt(v):
        return "" if v is None else v

    os.makedirs(out, exist_ok=True)
    pd.DataFrame([list(r["key"]) + [r["team"], r["n"], r["first"].strftime("%Y-%m-%d"), r["last"].strftime("%Y-%m-%d"),
                                    r["baseline"], r["latest"], opt(r["change"]), opt(r["slope"]), opt(r.get("rci")),
                                    cls(r.get("rci")), "" if r["sustained"] is None else ("true" if r["sustained"] else "false"),
                                    opt(r["exposure"])] for r in series_rows],
                 columns=["case_id", "child_id", "scale", "rated_by", "team", "n_points", "first_day", "last_day", "baseline",
                          "latest", "change", "slope_per_30d", "rci", "reliable", "sustained", "exposure"]
                 ).to_csv(os.path.join(out, "series.csv"), index=False, float_format="%.17g")
    pd.DataFrame(segment_rows, columns=["case_id", "child_id", "scale", "rated_by", "start", "end", "start_value", "end_value",
                                        "change", "direction", "context", "withdrawn", "planned_hours", "active_interventions"]
                 ).to_csv(os.path.join(out, "segments.csv"), index=False, float_format="%.17g")
    pd.DataFrame(point_rows, columns=["case_id", "child_id", "scale", "rated_by", "day", "value", "raw_scores"]
                 ).to_csv(os.path.join(out, "points.csv"), index=False, float_format="%.17g")


if __name__ == "__main__":
    main(*sys.argv[1:4])
