#!/usr/bin/env python3
"""An independent implementation of METHODS.md M7-M11 (with the M13 readings),
used as a test oracle for Waymark's indicators.csv and matrix.csv.

Written from the specification, not from Waymark's code, and deliberately
naive: for every month end of the trend it rebuilds every series, segment and
support context from the rows dated on or before that day (Waymark instead
builds once and takes prefixes), then counts, breaks down and suppresses.

usage: indicators.py INPUT_FOLDER PARAMS.json OUTPUT_FOLDER
PARAMS.json: as for trajectories.py, plus "trend_months", "after_days",
  "small_count", "min_denominator", "headline_rater", "approaches" (type ->
  approach, the defaults with the pipeline's overrides), "episodes" and
  "children" (true when given) and quarantined lines for all five files.
"""
import csv
import datetime as dt
import json
import math
import os
import statistics
import sys

LEVEL = {"engaged": 4, "completed": 4, "partially_engaged": 3, "accepted": 3, "declined": 2, "disengaged": 2}
CONTEXTS = ["none_offered", "unrecorded", "declined", "partial", "engaged"]
DIRECTIONS = ["worsened", "steady", "improved"]
RATERS = ["practitioner", "parent", "child", "carer", "network", "partner_agency", "group"]
FAMILY = {"parent", "child", "carer"}
TOL = 1e-9
MAX = dt.date.max

# id, unit, rows, kind ("rate"/"mean"), better, needs episodes
CATALOGUE = [
    ("I1", "Mean change since first score", "series", "scale_rater", "mean", "higher", False),
    ("I2", "Reliable improvement", "series", "scale_rater", "rate", "higher", False),
    ("I3", "Reliable deterioration", "series", "scale_rater", "rate", "lower", False),
    ("I4", "Sustained at or above threshold", "series", "scale_rater", "rate", "higher", False),
    ("I5", "Help was on offer when things got worse", "segments", "scale_rater", "rate", "higher", False),
    ("I6", "Improvement while help was taken up", "segments", "scale_rater", "rate", "higher", False),
    ("I7", "Family's own score recorded", "occasions", "scale", "rate", "higher", False),
    ("I8", "Gap between family and practitioner", "occasions", "scale", "mean", "lower", False),
    ("I9", "Offers accepted", "offers", "all", "rate", "higher", False),
    ("I10", "Family response recorded", "offers", "all", "rate", "higher", False),
    ("I11", "Help completed", "offers", "all", "rate", "higher", False),
    ("I12", "Families offered network-based help", "cases", "all", "rate", "higher", False),
    ("I13", "Help from community and voluntary providers", "offers", "all", "rate", "higher", False),
    ("I14", "Support withdrawn or reduced and no improvement followed", "offers", "scale_headline", "rate", "lower", False),
    ("I14u", "Withdrawals whose effect is not yet known", "offers", "scale_headline", "rate", "lower", False),
    ("I15", "Closures that followed measured improvement", "cases", "scale_headline", "rate", "higher", True),
    ("I15u", "Closures without a measured outcome", "cases", "scale_headline", "rate", "lower", True),
    ("I16", "Re-referred within 12 months of closure", "cases", "all", "rate", "lower", True),
]
CHILD_BREAKDOWNS = ["age_band", "sex", "ethnicity_group", "disability"]


def d(s):
    return None if s.strip() == "" else dt.date.fromisoformat(s.strip())


def load(folder, name, quarantined):
    path = os.path.join(folder, name)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    # DictReader does not give physical lines; the fixtures have no line breaks inside values.
    bad = set(quarantined)
    return [dict(r, _line=i + 2) for i, r in enumerate(rows) if i + 2 not in bad]


def month_ends(as_of, n):
    out = [as_of]
    while len(out) < n:
        first = out[-1].replace(day=1)
        out.append(first - dt.timedelta(days=1))
    return sorted(out)


def main(folder, params_path, out):
    p = json.load(open(params_path))
    q = p["quarantined"]
    scales = p["scales"]
    scale_index = {s["name"]: i for i, s in enumerate(scales)}
    window = p["window_days"]
    headline = p["headline_rater"]
    as_of = dt.date.fromisoformat(p["as_of"])
    months = month_ends(as_of, p["trend_months"])

    scores = load(folder, "scaling_scores.csv", q["scaling_scores"])
    ivs = load(folder, "interventions.csv", q["interventions"])
    resps = load(folder, "responses.csv", q["responses"])
    episodes = load(folder, "episodes.csv", q["episodes"]) if p["episodes"] else []
    children = load(folder, "children.csv", q["children"]) if p["children"] else []
    for r in scores:
        r["day"] = d(r["recorded_on"])
        spec = scales[scale_index[r["scale"]]]
        v = float(r["score"])
        r["value"] = v if spec["higher_is_better"] else spec["min"] + spec["max"] - v
    for r in ivs:
        r["offered"], r["started"], r["ended"] = d(r["offered_on"]), d(r.get("started_on", "")), d(r.get("ended_on", ""))
        if r.get("approach", "") == "":
            r["approach"] = p["approaches"].get(r["type"], "")
    for r in resps:
        r["day"] = d(r["recorded_on"])
        r["level"] = LEVEL[r["response"]]
    for r in episodes:
        r["opened"], r["closed"] = d(r["opened_on"]), d(r.get("closed_on", ""))
    child_row = {(r["case_id"], r["child_id"]): r for r in children}
    scores_by_case, ivs_by_case = {}, {}
    for r in scores:
        scores_by_case.setdefault(r["case_id"], []).append(r)
    for r in ivs:
        ivs_by_case.setdefault(r["case_id"], []).append(r)

    raters_on_scale = {s["name"]: [r for r in RATERS if any(x["scale"] == s["name"] and x["rated_by"] == r
                                                            and x["day"] <= as_of for x in scores)] for s in scales}

    def child_groups(case_id, child_id):
        if not p["children"]:
            return {}
        if child_id == "":
            return {b: "family" for b in CHILD_BREAKDOWNS}
        row = child_row.get((case_id, child_id))
        return {b: (row[b] if row and row[b] != "" else "unknown") for b in CHILD_BREAKDOWNS}

    tallies = {}   # (id, scale, rater, E) -> {(breakdown, group): [num, den]}
    matrices = {}  # (scale, rater, E) -> {(context, direction): [count, sum]}
    not_applicable = {}

    def add(ind, scale, rater, E, team, groups, num, den=1):
        t = tallies.setdefault((ind, scale, rater, E), {})
        for key in [("total", "total"), ("team", team)] + list(groups.items()):
            cell = t.setdefault(key, [0.0, 0])
            cell[0] += num
            cell[1] += den

    for E in months:
        start = E - dt.timedelta(days=window)

        def in_window(x):
            return x is not None and start < x <= E

        sc = [r for r in scores if r["day"] <= E]
        iv = [dict(r) for r in ivs if r["offered"] <= E]
        for r in iv:
            r["started"] = r["started"] if r["started"] and r["started"] <= E else None
            if not (r["ended"] and r["ended"] <= E):
                r["ended"], r["end_reason"] = None, ""
        rs = sorted([r for r in resps if r["day"] <= E], key=lambda r: (r["day"], r["_line"]))
        by_iv = {}
        for r in rs:
            by_iv.setdefault(r["intervention_id"], []).append((r["day"], r["level"]))

        def level_at(iid, day):
            pairs = [x for x in by_iv.get(iid, []) if x[0] <= day]
            if not pairs:
                return 1
            last = max(x[0] for x in pairs)
            return max(l for x, l in pairs if x == last)

        for r in iv:
            pairs = by_iv.get(r["intervention_id"], [])
            if r["ended"]:
                r["stop"] = r["ended"]
            elif pairs:
                last = max(x[0] for x in pairs)
                r["stop"] = last if max(l for x, l in pairs if x == last) == 2 else MAX
            elif r["started"] is None:
                r["stop"] = r["offered"] + dt.timedelta(days=p["offer_lapse_days"])
            else:
                r["stop"] = MAX
        iv_by_case = {}
        for r in iv:
            iv_by_case.setdefault(r["case_id"], []).append(r)

        def case_team(case_id, at):
            # M13.7: the latest score with a team dated by `at`, else the latest offer with a team.
            best = None
            for r in scores_by_case.get(case_id, []):
                if r["team"] != "" and r["day"] <= at and (best is None or (r["day"], r["_line"]) >= best[0]):
                    best = ((r["day"], r["_line"]), r["team"])
            if best:
                return best[1]
            for r in ivs_by_case.get(case_id, []):
                if r.get("team", "") != "" and r["offered"] <= at and (best is None or (r["offered"], r["_line"]) >= best[0]):
                    best = ((r["offered"], r["_line"]), r["team"])
            return best[1] if best else "unknown"

        case_team_cache = {}

        def team_of_case(case_id, at):
            k = (case_id, at)
            if k not in case_team_cache:
                case_team_cache[k] = case_team(case_id, at)
            return case_team_cache[k]

        # Series and points.
        groups = {}
        series_by_case = {}
        for r in sorted(sc, key=lambda r: (r["day"], r["_line"])):
            groups.setdefault((r["case_id"], r["child_id"], r["scale"], r["rated_by"]), []).append(r)
        series = []
        for key, rows in groups.items():
            pts = []
            for r in rows:
                if pts and pts[-1]["day"] == r["day"]:
                    pts[-1]["values"].append(r["value"])
                else:
                    pts.append({"day": r["day"], "values": [r["value"]], "team": ""})
                if r["team"] != "":
                    pts[-1]["team"] = r["team"]
                    pts[-1]["team_line"] = r["_line"]
            for pt in pts:
                pt["value"] = sum(pt["values"]) / len(pt["values"])
            series.append({"key": key, "points": pts})
            series_by_case.setdefault(key[0], []).append(series[-1])

        def summary(s, upto):
            pts = [pt for pt in s["points"] if pt["day"] <= upto]
            return pts

        def sustained(spec, pts):
            t = spec.get("sustained_threshold")
            if t is None or len(pts) < 2:
                return None
            a, b = pts[-2], pts[-1]
            return a["value"] >= t - TOL and b["value"] >= t - TOL and (b["day"] - a["day"]).days >= spec["sustained_gap_days"]

        # RCI scale per (scale, rater) at E.
        rci_den = {}
        for spec in scales:
            for rater in RATERS:
                members = [s for s in series if s["key"][2] == spec["name"] and s["key"][3] == rater]
                if spec.get("sd") is None or spec.get("reliability") is None or spec["reliability"] >= 1:
                    continue
                if spec["sd"] == "baseline":
                    base = [s["points"][0]["value"] for s in members if len(s["points"]) >= 2 and in_window(s["points"][-1]["day"])]
                    if len(base) < 2 or statistics.stdev(base) == 0:
                        continue
                    sd = statistics.stdev(base)
                else:
                    sd = spec["sd"]
                rci_den[(spec["name"], rater)] = sd * math.sqrt(2 * (1 - spec["reliability"]))

        # I1-I6 and the matrix.
        for s in series:
            case_id, child_id, scale, rater = s["key"]
            spec = scales[scale_index[scale]]
            pts = s["points"]
            if len(pts) < 2 or not in_window(pts[-1]["day"]):
                continue
            team = pts[-1]["team"] or team_of_case(case_id, E)
            cg = child_groups(case_id, child_id)
            change = pts[-1]["value"] - pts[0]["value"]
            add("I1", scale, rater, E, team, cg, change)
            if (scale, rater) in rci_den:
                rci = change / rci_den[(scale, rater)]
                add("I2", scale, rater, E, team, cg, 1 if rci >= 1.96 - TOL else 0)
                add("I3", scale, rater, E, team, cg, 1 if rci <= -1.96 + TOL else 0)
            su = sustained(spec, pts)
            if su is not None:
                add("I4", scale, rater, E, team, cg, 1 if su else 0)
            belonging = [r for r in iv_by_case.get(case_id, []) if r["child_id"] == "" or child_id == "" or r["child_id"] == child_id]
            for a, b in zip(pts, pts[1:]):
                if not in_window(b["day"]):
                    continue
                ctx = 0
                for r in belonging:
                    if r["offered"] < b["day"] and r["stop"] >= a["day"]:
                        ctx = max(ctx, level_at(r["intervention_id"], b["day"]))
                ch = b["value"] - a["value"]
                direction = 2 if ch >= spec["step"] - TOL else (0 if ch <= -spec["step"] + TOL else 1)
                m = matrices.setdefault((scale, rater, E), {})
                cell = m.setdefault((ctx, direction), [0, 0.0])
                cell[0] += 1
                cell[1] += ch
                if direction == 0:
                    add("I5", scale, rater, E, team, cg, 1 if ctx != 0 else 0)
                if ctx == 4:
                    add("I6", scale, rater, E, team, cg, 1 if direction == 2 else 0)

        # I7, I8: occasions.
        occ = {}
        for s in series:
            case_id, child_id, scale, rater = s["key"]
            for pt in s["points"]:
                if in_window(pt["day"]):
                    occ.setdefault((case_id, scale, pt["day"]), []).append((rater, pt))
        for (case_id, scale, day), entries in occ.items():
            teamed = [pt for _, pt in entries if pt["team"] != ""]
            team = max(teamed, key=lambda pt: pt["team_line"])["team"] if teamed else team_of_case(case_id, E)
            prac = [pt["value"] for r, pt in entries if r == "practitioner"]
            fam = [pt["value"] for r, pt in entries if r in FAMILY]
            add("I7", scale, "all", E, team, {}, 1 if fam else 0)
            if prac and fam:
                add("I8", scale, "all", E, team, {}, abs(sum(prac) / len(prac) - sum(fam) / len(fam)))

        # Offers, endings, withdrawals.
        for r in iv:
            team = r.get("team", "") or team_of_case(r["case_id"], E)
            cg = child_groups(r["case_id"], r["child_id"])
            if in_window(r["offered"]):
                pairs = by_iv.get(r["intervention_id"], [])
                add("I10", "all", "all", E, team, cg, 1 if pairs else 0)
                if pairs:
                    first = min(x[0] for x in pairs)
                    add("I9", "all", "all", E, team, cg, 1 if max(l for x, l in pairs if x == first) >= 3 else 0)
                add("I13", "all", "all", E, team, cg, 1 if r.get("provider", "") in ("community", "voluntary") else 0)
            if in_window(r["ended"]):
                add("I11", "all", "all", E, team, cg, 1 if r["end_reason"] == "completed" else 0)
                if r["end_reason"] in ("service_withdrawn", "reduced"):
                    for spec in scales:
                        diffs = []
                        for s in series_by_case.get(r["case_id"], []):
                            case_id, child_id, scale, rater = s["key"]
                            if case_id != r["case_id"] or scale != spec["name"] or rater != headline:
                                continue
                            if not (r["child_id"] == "" or child_id == "" or r["child_id"] == child_id):
                                continue
                            before = [pt for pt in s["points"] if pt["day"] <= r["ended"]]
                            after = [pt for pt in s["points"] if r["ended"] < pt["day"] <= r["ended"] + dt.timedelta(days=p["after_days"])]
                            if before and after:
                                diffs.append(after[0]["value"] - before[-1]["value"])
                        if diffs:
                            improved = sum(diffs) / len(diffs) >= spec["step"] - TOL
                            add("I14", spec["name"], headline, E, team, cg, 0 if improved else 1)
                        add("I14u", spec["name"], headline, E, team, cg, 0 if diffs else 1)

        # I12: cases with a score or an offer in the window.
        cases = {r["case_id"] for r in sc if in_window(r["day"])} | {r["case_id"] for r in iv if in_window(r["offered"])}
        network = {r["case_id"] for r in iv if in_window(r["offered"]) and r["approach"] == "network"}
        for c in cases:
            add("I12", "all", "all", E, team_of_case(c, E), {}, 1 if c in network else 0)

        # I15, I16.
        eps = [dict(r) for r in episodes if r["opened"] <= E]
        for r in eps:
            if r["closed"] and r["closed"] > E:
                r["closed"] = None
        for r in eps:
            if r["closed"] is None:
                continue
            team = team_of_case(r["case_id"], r["closed"])
            if in_window(r["closed"]):
                for spec in scales:
                    measured, improved = False, True
                    for s in series_by_case.get(r["case_id"], []):
                        case_id, child_id, scale, rater = s["key"]
                        if case_id != r["case_id"] or scale != spec["name"] or rater != headline:
                            continue
                        pts = summary(s, r["closed"])
                        if len(pts) < 2:
                            continue
                        measured = True
                        change = pts[-1]["value"] - pts[0]["value"]
                        reliable = (scale, rater) in rci_den and change / rci_den[(scale, rater)] >= 1.96 - TOL
                        if not (reliable or sustained(spec, pts)):
                            improved = False
                    if measured:
                        add("I15", spec["name"], headline, E, team, {}, 1 if improved else 0)
                    add("I15u", spec["name"], headline, E, team, {}, 0 if measured else 1)
            if E - dt.timedelta(days=730) < r["closed"] <= E - dt.timedelta(days=365):
                again = any(o["case_id"] == r["case_id"] and r["closed"] < o["opened"] <= r["closed"] + dt.timedelta(days=365)
                            for o in eps)
                add("I16", "all", "all", E, team, {}, 1 if again else 0)

        for spec in scales:
            for rater in RATERS:
                not_applicable[("I2", spec["name"], rater, E)] = (spec["name"], rater) not in rci_den
                not_applicable[("I3", spec["name"], rater, E)] = (spec["name"], rater) not in rci_den
                not_applicable[("I4", spec["name"], rater, E)] = spec.get("sustained_threshold") is None
            not_applicable[("I15", spec["name"], headline, E)] = (spec.get("sustained_threshold") is None
                                                                  and (spec["name"], headline) not in rci_den)

    # Rows (M13.8-M13.11) and primary suppression (M11).
    small, min_den = p["small_count"], p["min_denominator"]

    def small_n(x):
        return 1 <= x <= small

    rows = []
    for ind, title, unit, kind_rows, kind, better, needs_episodes in CATALOGUE:
        if kind_rows == "scale_rater":
            keys = [(s["name"], r) for s in scales for r in raters_on_scale[s["name"]]]
        elif kind_rows == "scale":
            keys = [(s["name"], "all") for s in scales]
        elif kind_rows == "scale_headline":
            keys = [(s["name"], headline) for s in scales]
        else:
            keys = [("all", "all")]
        for scale, rater in keys:
            for E in months:
                base = dict(id=ind, title=title, scale=scale, rater=rater, as_of=E.isoformat(), better=better, kind=kind)
                if needs_episodes and not p["episodes"]:
                    rows.append(dict(base, breakdown="total", group="total", num=None, den=None, status="x"))
                    continue
                t = tallies.get((ind, scale, rater, E), {})
                total = t.get(("total", "total"), [0.0, 0])
                if not_applicable.get((ind, scale, rater, E)) or total[1] == 0:
                    rows.append(dict(base, breakdown="total", group="total", num=None, den=None, status="z"))
                    continue
                allowed = ["total", "team"] + (CHILD_BREAKDOWNS if unit in ("series", "segments", "offers") else [])
                for b in ["total", "team"] + CHILD_BREAKDOWNS:
                    if b not in allowed:
                        continue
                    for (bb, g), (num, den) in sorted(t.items(), key=lambda kv: kv[0][1].encode()):
                        if bb != b or den == 0:
                            continue
                        if kind == "mean":
                            sup = 1 <= den <= min_den - 1
                        else:
                            n = round(num)
                            sup = small_n(n) or small_n(den - n) or den < min_den
                        rows.append(dict(base, breakdown=b, group=g, num=num, den=den, status="c" if sup else "published"))

    # The matrix: primary and secondary (M13.17), then I5 and I6 follow it.
    mrows = []
    linked = set()
    for spec in scales:
        for rater in raters_on_scale[spec["name"]]:
            for E in months:
                m = matrices.get((spec["name"], rater, E), {})
                count = {(c, dd): m.get((c, dd), [0, 0.0])[0] for c in range(5) for dd in range(3)}
                sup = {k: small_n(v) for k, v in count.items()}
                lines = [[(c, dd) for dd in range(3)] for c in range(5)] + [[(c, dd) for c in range(5)] for dd in range(3)]
                changed = True
                while changed:
                    changed = False
                    for line in lines:
                        if sum(sup[k] for k in line) == 1:
                            open_cells = [k for k in line if not sup[k]]
                            if open_cells:
                                pick = min(open_cells, key=lambda k: (count[k], line.index(k)))
                                sup[pick] = True
                                changed = True
                if sup[(0, 0)]:
                    linked.add(("I5", spec["name"], rater, E.isoformat()))
                if sup[(4, 2)]:
                    linked.add(("I6", spec["name"], rater, E.isoformat()))
                for c in range(5):
                    for dd in range(3):
                        n, total = m.get((c, dd), [0, 0.0])
                        mrows.append([spec["name"], rater, E.isoformat(), CONTEXTS[c], DIRECTIONS[dd],
                                      "" if sup[(c, dd)] else n,
                                      "" if sup[(c, dd)] or n == 0 else total / n, "c" if sup[(c, dd)] else "published"])
    for r in rows:
        if r["status"] == "published" and (r["id"], r["scale"], r["rater"], r["as_of"]) in linked:
            r["status"] = "c"

    # Secondary suppression within each breakdown with a published total (M13.18).
    by_table = {}
    for r in rows:
        by_table.setdefault((r["id"], r["scale"], r["rater"], r["as_of"]), []).append(r)
    for table in by_table.values():
        total = [r for r in table if r["breakdown"] == "total"][0]
        if total["status"] != "published":
            continue
        for b in ["team"] + CHILD_BREAKDOWNS:
            cells = [r for r in table if r["breakdown"] == b]
            while sum(r["status"] == "c" for r in cells) == 1:
                candidates = [r for r in cells if r["status"] == "published"]
                if not candidates:
                    break
                min(candidates, key=lambda r: (r["den"], r["group"].encode()))["status"] = "c"

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "indicators.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator_id", "title", "scale", "rated_by", "as_of", "breakdown", "group", "numerator", "denominator",
                    "value", "status", "better"])
        for r in rows:
            pub = r["status"] == "published"
            w.writerow([r["id"], r["title"], r["scale"], r["rater"], r["as_of"], r["breakdown"], r["group"],
                        repr(float(r["num"])) if pub else "", r["den"] if pub else "",
                        repr(r["num"] / r["den"]) if pub else "", r["status"], r["better"]])
    with open(os.path.join(out, "matrix.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scale", "rated_by", "as_of", "context", "direction", "segments", "mean_change", "status"])
        for r in mrows:
            w.writerow(r)


if __name__ == "__main__":
    main(*sys.argv[1:4])
