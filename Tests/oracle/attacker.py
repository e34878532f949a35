#!/usr/bin/env python3
"""A disclosure attacker for Waymark's published aggregates, used as a test oracle.

It reads the two aggregate tables of a report folder, indicators.csv and
matrix.csv, treats every suppressed ("c") number as an unknown, writes down
everything an outsider knows about those unknowns as linear equalities and
inequalities, and then asks a linear programme (scipy.optimize.linprog, HiGHS)
for the smallest and largest value each suppressed quantity can take. When the
two agree (max - min <= 1e-6) the quantity is PINNED: the suppression did not
hide it. A pinned small count is a DISCLOSURE.

Written from the description of the published tables, not from Waymark's code.

usage: attacker.py DIR [DIR ...] [--json] [--small-count 5] [--min-denominator 10]
                   [--show-info] [--seed N]
       attacker.py --selftest
Exit status: 1 when any folder has a disclosure (or a folder could not be read),
0 otherwise. --selftest exits 0 when the hand-made cases behave as expected.

The tables
----------
indicators.csv: indicator_id,title,scale,rated_by,as_of,breakdown,group,
numerator,denominator,value,status,better. status is published, c (suppressed),
z (not applicable) or x (not available); only published rows carry numbers.
Per indicator, scale, rated_by and as_of there is a total row (breakdown =
group = total) and, per breakdown (team, age_band, sex, ethnicity_group,
disability; some indicators have only some of them), one row per group with a
NON-ZERO denominator. I1 and I8 are means: their numerator is a real-valued sum
(ignored here), their denominator a count. All other indicators are rates of
counts, 0 <= numerator <= denominator.
matrix.csv: scale,rated_by,as_of,context,direction,segments,mean_change,status,
5 contexts x 3 directions per scale, rated_by, as_of; segments is the count.

Knowledge of the attacker
-------------------------
A row is "known" when it is published (its numbers are constants) or c (its
numbers are LP variables). z and x rows give no information. The quantity
(indicator, scale, rated_by, as_of, breakdown, group, field) is looked up as:
  * the row exists, published or c -> constant or variable;
  * the row exists with z/x, or it is a total row that does not exist -> unknown
    (every relation using it is skipped);
  * a group row that is not listed, while the indicator's total row is published
    or c AND that breakdown is emitted for the indicator (at least one group row
    exists) -> 0 (groups are listed exactly when their denominator is non-zero).
    When the breakdown is not emitted at all (I12, I15, I16, I7, I8 only have
    team), the group is unknown.
Relations (all at the same scale, rated_by, as_of, breakdown and group unless
said otherwise; a relation is used only when every quantity in it is known):
  R1 sum        the groups of one breakdown partition the total: the groups'
                denominators (and numerators of rates) sum to the total's.
                Skipped for a breakdown in which some group row is z/x.
  R2 bounds     every listed published/c row has denominator >= 1; a rate's
                numerator lies in [0, denominator]; matrix counts >= 0. (Counts
                are integers; the LP relaxation is used, so the attacker is, if
                anything, weaker than a real one.)
  R3 same-den   I1, I2, I3 and I4 have the same denominator (series in scope).
  R4 I2+I3      I2.numerator + I3.numerator <= I2.denominator.
  R5 I14/I15    I14.denominator = I14u.denominator - I14u.numerator, and the same
                for I15/I15u (matched on scale, rated_by, as_of, breakdown, group).
  R6 I9/I10/I13 I9.denominator = I10.numerator; I10.denominator = I13.denominator.
  R7 I7/I8      I8.denominator <= I7.numerator.
  R8 matrix     per scale, rated_by, as_of, with the I5/I6 TOTAL rows of the same
                scale, rated_by, as_of: sum of the worsened column = I5.denominator;
                none_offered x worsened = I5.denominator - I5.numerator; sum of the
                engaged row = I6.denominator; engaged x improved = I6.numerator.
A relation with no unknowns in it is checked against the published numbers; a
failure is reported as an INCONSISTENCY (it means the attacker's model of the
tables is wrong, or the tables are).

Attack
------
The unknowns split into connected components (variables sharing a relation);
one LP per component. For every c row of a rate: numerator, denominator and
denominator - numerator; for a c row of a mean: denominator; for a c matrix
cell: the count. Pinned when max - min <= tol. Reported as DISCLOSURE when the
pinned value v (rounded) is small: 1 <= v <= small_count for a numerator,
denominator - numerator or matrix count; 1 <= v <= min_denominator - 1 for a
denominator. Other pinned quantities are reported as info.

Speed: before the min/max pairs, a few LPs with random objectives give a pool
of feasible points; a quantity that takes two clearly different values in the
pool cannot be pinned, so its min/max pair is skipped (every later min/max
solution joins the pool too). This only ever skips quantities that are
provably not pinned. For each pinned quantity the constraints with non-zero
dual values in its min and max LPs are reported as "why" (a certificate).
"""
import argparse
import json
import os
import sys
import time
from collections import defaultdict

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

MEAN_IDS = {"I1", "I8"}
BREAKDOWNS = ["team", "age_band", "sex", "ethnicity_group", "disability"]
CONTEXTS = ["none_offered", "unrecorded", "declined", "partial", "engaged"]
DIRECTIONS = ["worsened", "steady", "improved"]
KNOWN = ("published", "c")
DIFF_TOL = 1e-5  # two pool points this far apart prove "not pinned"
DUAL_TOL = 1e-9


class Model:
    """Unknowns, relations and quantities of one report folder."""

    def __init__(self):
        self.var_desc = []  # per variable: dict describing it
        self.lb = []
        self.rows = {"eq": [], "ub": []}  # (vars, coefs, rhs, label)
        self.quantities = []  # (desc dict, vars, coefs, const, kind)
        self.inconsistent = []  # (label, residual)
        self.n_c_rows = 0
        self.n_c_cells = 0
        self.stats = defaultdict(lambda: [0, 0])  # relation -> [with unknowns, checked]

    def new_var(self, desc, lb):
        self.var_desc.append(desc)
        self.lb.append(lb)
        return len(self.var_desc) - 1

    def add(self, sense, terms, label):
        """terms: list of (coef, quantity) where quantity is ('v', idx) or
        ('k', value). Adds sum(coef*q) == 0 (sense 'eq') or <= 0 (sense 'ub')."""
        coefs = defaultdict(float)
        const = 0.0
        for c, q in terms:
            if q[0] == "v":
                coefs[q[1]] += c
            else:
                const += c * q[1]
        vs = [v for v, c in coefs.items() if c != 0.0]
        self.stats[label.split()[0]][0 if vs else 1] += 1
        if not vs:
            bad = abs(const) > 1e-6 if sense == "eq" else const > 1e-6
            if bad:
                self.inconsistent.append((label, const))
            return
        self.rows[sense].append((vs, [coefs[v] for v in vs], -const, label))


def _num(s):
    return float(s) if s != "" else None


def build_model(ind, mat):
    """Turn the two tables (DataFrames of strings) into a Model."""
    m = Model()
    rows = {}  # (id, scale, rater, as_of, bd, group) -> (status, num q, den q)
    emitted = set()  # (id, scale, rater, as_of, bd) with some group row
    group_bad = set()  # (id, scale, rater, as_of, bd) with a z/x group row
    for r in ind.itertuples(index=False):
        key = (r.indicator_id, r.scale, r.rated_by, r.as_of, r.breakdown, r.group)
        kid = key[:5]
        if r.breakdown != "total":
            emitted.add(kid)
            if r.status not in KNOWN:
                group_bad.add(kid)
        rate = r.indicator_id not in MEAN_IDS
        desc = dict(indicator=key[0], scale=key[1], rater=key[2], as_of=key[3],
                    breakdown=key[4], group=key[5])
        if r.status == "published":
            den = ("k", _num(r.denominator))
            num = ("k", _num(r.numerator)) if rate else None
            if den[1] is None or den[1] < 1 - 1e-9:
                m.inconsistent.append(("R2 published denominator < 1 " + "/".join(key), den[1]))
            if rate and num[1] is not None and not (-1e-9 <= num[1] <= den[1] + 1e-9):
                m.inconsistent.append(("R2 published numerator outside [0, den] " + "/".join(key), num[1]))
        elif r.status == "c":
            m.n_c_rows += 1
            den = ("v", m.new_var(dict(desc, field="denominator"), 1.0))
            num = ("v", m.new_var(dict(desc, field="numerator"), 0.0)) if rate else None
            if rate:
                m.add("ub", [(1, num), (-1, den)], "R2 num<=den " + "/".join(key))
                m.quantities.append((dict(desc, quantity="numerator"), num, None, "count"))
                m.quantities.append((dict(desc, quantity="denominator-numerator"), den, num, "count"))
            m.quantities.append((dict(desc, quantity="denominator"), den, None, "den"))
        else:
            den = num = None
        rows[key] = (r.status, num, den)

    def q(iid, scale, rater, as_of, bd, grp, field):
        """The quantity for a field, or None when the attacker knows nothing."""
        if field == "num" and iid in MEAN_IDS:
            return None
        key = (iid, scale, rater, as_of, bd, grp)
        if key in rows:
            st, num, den = rows[key]
            if st not in KNOWN:
                return None
            return num if field == "num" else den
        if bd == "total":
            return None
        tot = rows.get((iid, scale, rater, as_of, "total", "total"))
        if tot is None or tot[0] not in KNOWN or key[:5] not in emitted:
            return None
        return ("k", 0.0)

    ids = defaultdict(set)  # id -> set of (scale, rater, as_of, bd, group)
    for key in rows:
        ids[key[0]].add(key[1:])

    # R1 breakdown sums
    by_bd = defaultdict(list)
    for key in rows:
        if key[4] != "total":
            by_bd[key[:5]].append(key)
    for kid, gkeys in by_bd.items():
        tot = rows.get(kid[:4] + ("total", "total"))
        if tot is None or tot[0] not in KNOWN or kid in group_bad:
            continue
        label = "R1 sum %s/%s/%s/%s %s" % kid
        _, tnum, tden = tot
        m.add("eq", [(1, rows[g][2]) for g in gkeys] + [(-1, tden)], label + " (den)")
        if kid[0] not in MEAN_IDS:
            m.add("eq", [(1, rows[g][1]) for g in gkeys] + [(-1, tnum)], label + " (num)")

    def union(*iids):
        out = set()
        for i in iids:
            out |= ids.get(i, set())
        return sorted(out)

    def tag(k):
        return "/".join(k)

    # R3 I1..I4 share the denominator
    for k in union("I1", "I2", "I3", "I4"):
        qs = [(i, q(i, *k, "den")) for i in ("I1", "I2", "I3", "I4")]
        qs = [(i, x) for i, x in qs if x is not None]
        for (i1, a), (i2, b) in zip(qs, qs[1:]):
            m.add("eq", [(1, a), (-1, b)], "R3 %s.den=%s.den %s" % (i1, i2, tag(k)))
    # R4 I2.num + I3.num <= I2.den
    for k in union("I2", "I3"):
        a, b, d = q("I2", *k, "num"), q("I3", *k, "num"), q("I2", *k, "den")
        if None not in (a, b, d):
            m.add("ub", [(1, a), (1, b), (-1, d)], "R4 I2.num+I3.num<=I2.den %s" % tag(k))
    # R5 I14/I15 denominators from I14u/I15u
    for i, u in (("I14", "I14u"), ("I15", "I15u")):
        for k in union(i, u):
            d, ud, un = q(i, *k, "den"), q(u, *k, "den"), q(u, *k, "num")
            if None not in (d, ud, un):
                m.add("eq", [(1, d), (-1, ud), (1, un)], "R5 %s.den=%s.den-%s.num %s" % (i, u, u, tag(k)))
    # R6 I9.den = I10.num; I10.den = I13.den
    for k in union("I9", "I10"):
        a, b = q("I9", *k, "den"), q("I10", *k, "num")
        if None not in (a, b):
            m.add("eq", [(1, a), (-1, b)], "R6 I9.den=I10.num %s" % tag(k))
    for k in union("I10", "I13"):
        a, b = q("I10", *k, "den"), q("I13", *k, "den")
        if None not in (a, b):
            m.add("eq", [(1, a), (-1, b)], "R6 I10.den=I13.den %s" % tag(k))
    # R7 I8.den <= I7.num
    for k in union("I7", "I8"):
        a, b = q("I8", *k, "den"), q("I7", *k, "num")
        if None not in (a, b):
            m.add("ub", [(1, a), (-1, b)], "R7 I8.den<=I7.num %s" % tag(k))

    # R8 matrix
    cells = {}
    for r in mat.itertuples(index=False):
        key = (r.scale, r.rated_by, r.as_of, r.context, r.direction)
        if r.status == "published":
            v = _num(r.segments)
            cells[key] = ("k", v)
            if v is None or v < -1e-9:
                m.inconsistent.append(("R2 published matrix count < 0 " + tag(key), v))
        elif r.status == "c":
            m.n_c_cells += 1
            desc = dict(indicator="matrix", scale=r.scale, rater=r.rated_by, as_of=r.as_of,
                        breakdown=r.context, group=r.direction)
            v = ("v", m.new_var(dict(desc, field="segments"), 0.0))
            cells[key] = v
            m.quantities.append((dict(desc, quantity="segments"), v, None, "cell"))
    for srd in sorted({k[:3] for k in cells}):
        tk = ("total", "total")
        i5d, i5n = q("I5", *srd, *tk, "den"), q("I5", *srd, *tk, "num")
        i6d, i6n = q("I6", *srd, *tk, "den"), q("I6", *srd, *tk, "num")
        col = [cells.get(srd + (c, "worsened")) for c in CONTEXTS]
        row = [cells.get(srd + ("engaged", d)) for d in DIRECTIONS]
        now, eni = cells.get(srd + ("none_offered", "worsened")), cells.get(srd + ("engaged", "improved"))
        t = tag(srd)
        if i5d is not None and None not in col:
            m.add("eq", [(1, x) for x in col] + [(-1, i5d)], "R8 sum(worsened)=I5.den " + t)
        if None not in (i5d, i5n, now):
            m.add("eq", [(1, now), (-1, i5d), (1, i5n)], "R8 none_offered.worsened=I5.den-I5.num " + t)
        if i6d is not None and None not in row:
            m.add("eq", [(1, x) for x in row] + [(-1, i6d)], "R8 sum(engaged)=I6.den " + t)
        if None not in (i6n, eni):
            m.add("eq", [(1, eni), (-1, i6n)], "R8 engaged.improved=I6.num " + t)
    return m


def _sparse(rowlist, n):
    r, c, v = [], [], []
    for i, (vs, cs, _, _) in enumerate(rowlist):
        r.extend([i] * len(vs))
        c.extend(vs)
        v.extend(cs)
    A = sp.csr_matrix((v, (r, c)), shape=(len(rowlist), n))
    b = np.array([x[2] for x in rowlist], dtype=float)
    return A, b


def attack(m, small_count=5, min_denominator=10, tol=1e-6, seed=0, n_random=4):
    """Solve min/max for every quantity of Model m. Returns a result dict."""
    rng = np.random.default_rng(seed)
    n = len(m.var_desc)
    res = dict(lps=0, variables=n, c_rows=m.n_c_rows, c_cells=m.n_c_cells, solves=0,
               disclosures=[], pinned_info=[], infeasible=[],
               inconsistencies=[dict(relation=l, residual=r) for l, r in m.inconsistent],
               relations={k: dict(with_unknowns=v[0], checked=v[1]) for k, v in sorted(m.stats.items())})
    if n == 0:
        return res
    Aeq, beq = _sparse(m.rows["eq"], n)
    Aub, bub = _sparse(m.rows["ub"], n)
    lb = np.array(m.lb)
    # components of the graph "two variables share a relation"
    A = sp.vstack([abs(Aeq), abs(Aub)]).tocsr()
    G = (A.T @ A) + sp.identity(n, format="csr")
    ncomp, comp = connected_components(G, directed=False)
    # a relation belongs to the component of any of its variables
    eq_comp = comp[np.asarray(abs(Aeq).argmax(axis=1)).ravel()] if Aeq.shape[0] else np.array([], int)
    ub_comp = comp[np.asarray(abs(Aub).argmax(axis=1)).ravel()] if Aub.shape[0] else np.array([], int)
    qby = defaultdict(list)
    for qi, (desc, a, b, kind) in enumerate(m.quantities):
        qby[comp[a[1]]].append(qi)
    labels_eq = [x[3] for x in m.rows["eq"]]
    labels_ub = [x[3] for x in m.rows["ub"]]

    for ci in range(ncomp):
        if ci not in qby:
            continue
        cols = np.flatnonzero(comp == ci)
        ers = np.flatnonzero(eq_comp == ci)
        urs = np.flatnonzero(ub_comp == ci)
        if len(ers) == 0 and len(urs) == 0:
            continue  # a lone unknown bounded only below: nothing pinned
        pos = {v: i for i, v in enumerate(cols)}
        k = len(cols)
        Ae = Aeq[ers][:, cols] if len(ers) else None
        be = beq[ers] if len(ers) else None
        Au = Aub[urs][:, cols] if len(urs) else None
        bu = bub[urs] if len(urs) else None
        bounds = np.column_stack([lb[cols], np.full(k, np.inf)])
        res["lps"] += 1

        def solve(c):
            res["solves"] += 1
            return linprog(c, A_ub=Au, b_ub=bu, A_eq=Ae, b_eq=be, bounds=bounds, method="highs")

        # objective rows of the quantities: value = Q x (all quantities are pure variable combos)
        qis = qby[ci]
        Q = np.zeros((len(qis), k))
        for j, qi in enumerate(qis):
            _, a, b, _ = m.quantities[qi]
            Q[j, pos[a[1]]] += 1
            if b is not None:
                Q[j, pos[b[1]]] -= 1
        lo = np.full(len(qis), np.inf)
        hi = np.full(len(qis), -np.inf)

        def absorb(x):
            vals = Q @ x
            np.minimum(lo, vals, out=lo)
            np.maximum(hi, vals, out=hi)

        r0 = solve(np.zeros(k))
        if r0.status == 2:
            res["infeasible"].append(dict(
                variables=[m.var_desc[v] for v in cols[:20]],
                relations=sorted({labels_eq[i] for i in ers} | {labels_ub[i] for i in urs})[:40]))
            continue
        if r0.status == 0:
            absorb(r0.x)
        for _ in range(n_random):
            r = solve(rng.standard_normal(k))
            if r.status == 0:
                absorb(r.x)
        for j, qi in enumerate(qis):
            if hi[j] - lo[j] > DIFF_TOL:
                continue  # two feasible points differ: not pinned
            why = set()
            ext = []
            for sign in (1, -1):
                r = solve(sign * Q[j])
                if r.status != 0:
                    ext.append(None)  # unbounded (or failed): not pinned
                    break
                absorb(r.x)
                ext.append(sign * r.fun)
                if sign == 1 and hi[j] - lo[j] > DIFF_TOL:
                    break  # the minimiser already differs from a pool point
                why |= {labels_eq[ers[i]] for i in np.flatnonzero(np.abs(r.eqlin.marginals) > DUAL_TOL)}
                if Au is not None:
                    why |= {labels_ub[urs[i]] for i in np.flatnonzero(np.abs(r.ineqlin.marginals) > DUAL_TOL)}
                for i in np.flatnonzero(np.abs(r.lower.marginals) > DUAL_TOL):
                    d = m.var_desc[cols[i]]
                    why.add("R2 bound %s>=%g %s" % (d["field"], lb[cols[i]], "/".join(
                        d[x] for x in ("indicator", "scale", "rater", "as_of", "breakdown", "group"))))
            if None in ext or len(ext) < 2 or ext[1] - ext[0] > tol:
                continue
            desc, _, _, kind = m.quantities[qi]
            v = int(round((ext[0] + ext[1]) / 2))
            small = 1 <= v <= (min_denominator - 1 if kind == "den" else small_count)
            item = dict(desc, value=v, interval=[ext[0], ext[1]], why=sorted(why))
            (res["disclosures"] if small else res["pinned_info"]).append(item)
    return res


def read_folder(d):
    kw = dict(encoding="utf-8-sig", dtype=str, keep_default_na=False)
    ind = pd.read_csv(os.path.join(d, "indicators.csv"), **kw)
    mp = os.path.join(d, "matrix.csv")
    mat = pd.read_csv(mp, **kw) if os.path.exists(mp) else pd.DataFrame(
        columns=["scale", "rated_by", "as_of", "context", "direction", "segments", "mean_change", "status"])
    return ind, mat


def analyse(ind, mat, **kw):
    t = time.time()
    res = attack(build_model(ind, mat), **kw)
    res["seconds"] = round(time.time() - t, 2)
    return res


def fmt_item(x):
    return "%s %s/%s %s %s=%s %s = %d  [%.6g, %.6g]" % (
        x["indicator"], x["scale"], x["rater"], x["as_of"], x["breakdown"], x["group"],
        x["quantity"], x["value"], x["interval"][0], x["interval"][1])


def print_report(d, res, show_info=False):
    print("== %s" % d)
    print("  LPs %d, variables %d, c rows %d, c matrix cells %d, solves %d, %.2f s" % (
        res["lps"], res["variables"], res["c_rows"], res["c_cells"], res["solves"], res["seconds"]))
    print("  disclosures %d, pinned (not small) %d, inconsistencies %d, infeasible LPs %d" % (
        len(res["disclosures"]), len(res["pinned_info"]), len(res["inconsistencies"]), len(res["infeasible"])))
    print("  relations (with unknowns/all published and checked): " + ", ".join(
        "%s %d/%d" % (k, v["with_unknowns"], v["checked"]) for k, v in res["relations"].items()))
    for x in res["disclosures"]:
        print("  DISCLOSURE " + fmt_item(x))
        print("      why: " + "; ".join(x["why"][:8]) + (" ..." if len(x["why"]) > 8 else ""))
    if show_info:
        for x in res["pinned_info"]:
            print("  info pinned " + fmt_item(x))
    for x in res["inconsistencies"][:20]:
        print("  INCONSISTENT %s (residual %s)" % (x["relation"], x["residual"]))
    for x in res["infeasible"][:5]:
        print("  INFEASIBLE LP, relations: " + "; ".join(x["relations"][:10]))


# ---------------------------------------------------------------- self test

IND_COLS = ["indicator_id", "title", "scale", "rated_by", "as_of", "breakdown", "group",
            "numerator", "denominator", "value", "status", "better"]
MAT_COLS = ["scale", "rated_by", "as_of", "context", "direction", "segments", "mean_change", "status"]
D = "2026-01-31"


def _ind(rows):
    out = []
    for iid, scale, rater, bd, grp, num, den, st in rows:
        pub = st == "published"
        out.append([iid, "t", scale, rater, D, bd, grp, str(num) if pub else "", str(den) if pub else "",
                    str(num / den) if pub else "", st, "higher"])
    return pd.DataFrame(out, columns=IND_COLS)


def _mat(cells):
    out = []
    for (ctx, dirn), (v, st) in cells.items():
        out.append(["safety", "practitioner", D, ctx, dirn, str(v) if st == "published" else "", "", st])
    return pd.DataFrame(out, columns=MAT_COLS)


def selftest():
    P, S = "published", "c"
    sr = ("safety", "practitioner")
    empty = pd.DataFrame(columns=MAT_COLS)

    def find(res, **kv):
        return [x for x in res["disclosures"] + res["pinned_info"]
                if all(x[k] == v for k, v in kv.items())]

    # (a) subtraction within a breakdown: team C = total - A - B
    r = analyse(_ind([("I5", *sr, "total", "total", 50, 100, P),
                      ("I5", *sr, "team", "A", 20, 40, P),
                      ("I5", *sr, "team", "B", 27, 57, P),
                      ("I5", *sr, "team", "C", 0, 0, S)]), empty)
    got = {x["quantity"]: x["value"] for x in find(r, group="C")}
    assert got == {"numerator": 3, "denominator": 3, "denominator-numerator": 0}, got
    assert {x["quantity"] for x in r["disclosures"]} == {"numerator", "denominator"}, r["disclosures"]
    assert any("R1 sum" in w for x in r["disclosures"] for w in x["why"])
    print("selftest (a) subtraction: ok")

    # (b) bounds: total den 12, female 10, two suppressed groups share 2 -> each den >= 1 forces 1
    r = analyse(_ind([("I4", *sr, "total", "total", 6, 12, P),
                      ("I4", *sr, "sex", "female", 5, 10, P),
                      ("I4", *sr, "sex", "male", 0, 0, S),
                      ("I4", *sr, "sex", "other", 0, 0, S)]), empty)
    dens = {x["group"]: x["value"] for x in r["disclosures"] if x["quantity"] == "denominator"}
    assert dens == {"male": 1, "other": 1}, r["disclosures"]
    assert not find(r, quantity="numerator"), "numerators share 1 and are not pinned"
    assert any(w.startswith("R2 bound") for x in r["disclosures"] for w in x["why"])
    print("selftest (b) bounds: ok")

    # (c) cross-indicator: I14 total suppressed, I14u published -> I14.den = 43 - 40 = 3
    r = analyse(_ind([("I14u", *sr, "total", "total", 40, 43, P),
                      ("I14", *sr, "total", "total", 0, 0, S)]), empty)
    got = [(x["indicator"], x["quantity"], x["value"]) for x in r["disclosures"]]
    assert got == [("I14", "denominator", 3)], got
    assert any(w.startswith("R5") for w in r["disclosures"][0]["why"])
    print("selftest (c) cross-indicator: ok")

    # (d) matrix: I5 total 96/100 published, none_offered x worsened suppressed -> 4
    cells = {(c, d): (10, P) for c in CONTEXTS for d in DIRECTIONS}
    cells[("none_offered", "worsened")] = (0, S)
    cells[("unrecorded", "worsened")] = (30, P)
    cells[("declined", "worsened")] = (30, P)
    cells[("partial", "worsened")] = (26, P)
    r = analyse(_ind([("I5", *sr, "total", "total", 96, 100, P)]), _mat(cells))
    got = [(x["indicator"], x["breakdown"], x["group"], x["value"]) for x in r["disclosures"]]
    assert got == [("matrix", "none_offered", "worsened", 4)], got
    assert any(w.startswith("R8") for w in r["disclosures"][0]["why"])
    print("selftest (d) matrix: ok")

    # (e) nothing pinned: two suppressed groups share 60/30
    r = analyse(_ind([("I4", *sr, "total", "total", 50, 100, P),
                      ("I4", *sr, "team", "A", 20, 40, P),
                      ("I4", *sr, "team", "B", 0, 0, S),
                      ("I4", *sr, "team", "C", 0, 0, S)]), empty)
    assert not r["disclosures"] and not r["pinned_info"], r
    assert not r["inconsistencies"] and not r["infeasible"], r
    print("selftest (e) nothing pinned: ok")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--small-count", type=int, default=5)
    ap.add_argument("--min-denominator", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show-info", action="store_true", help="list pinned quantities that are not small")
    a = ap.parse_args(argv)
    if a.selftest:
        return selftest()
    if not a.dirs:
        ap.error("give at least one report folder, or --selftest")
    out, bad = {}, False
    for d in a.dirs:
        try:
            ind, mat = read_folder(d)
        except (OSError, ValueError, KeyError) as e:
            print("== %s\n  cannot read: %s" % (d, e), file=sys.stderr)
            bad = True
            continue
        res = analyse(ind, mat, small_count=a.small_count, min_denominator=a.min_denominator,
                      tol=a.tol, seed=a.seed)
        out[d] = res
        bad |= bool(res["disclosures"])
        if not a.json:
            print_report(d, res, a.show_info)
    if a.json:
        json.dump(out, sys.stdout, indent=1)
        print()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
