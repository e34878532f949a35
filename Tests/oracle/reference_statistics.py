#!/usr/bin/env python3
"""Reference values for Waymark's statistics module (WaymarkStats), from
scipy, statsmodels and lifelines, on a public dataset (lifelines' Waltons
survival data) and on seeded synthetic data. Writes one JSON file holding the
data and the reference values; the Swift tests compute the same statistics
from the same data and compare to 1e-6.

usage: statistics.py OUT.json
"""
import json
import sys

import numpy as np
import scipy.stats as st
import statsmodels.api as sm
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_waltons
from lifelines.statistics import logrank_test
from statsmodels.stats.meta_analysis import effectsize_smd


def km(durations, events):
    f = KaplanMeierFitter().fit(durations, events)
    sf = f.survival_function_.iloc[:, 0]
    ci = f.confidence_interval_
    rows = []
    for t in sorted(set(float(x) for x, e in zip(durations, events) if e)):
        rows.append({"time": t, "survival": float(sf.loc[t]), "lower": float(ci.iloc[:, 0].loc[t]), "upper": float(ci.iloc[:, 1].loc[t])})
    return rows


def main(out):
    result = {}

    # Public data: the Waltons survival data shipped with lifelines.
    w = load_waltons()
    groups = {}
    for g, d in w.groupby("group"):
        groups[g] = {"T": [float(x) for x in d["T"]], "E": [bool(x) for x in d["E"]], "km": km(d["T"], d["E"])}
    names = sorted(groups)
    lr = logrank_test(groups[names[0]]["T"], groups[names[1]]["T"], groups[names[0]]["E"], groups[names[1]]["E"])
    result["waltons"] = {"groups": names, "data": groups, "logrank": {"statistic": float(lr.test_statistic), "p": float(lr.p_value)}}

    # Synthetic: two samples, a regression with clusters, censored durations.
    rng = np.random.default_rng(20261130)
    a = rng.normal(1.2, 2.0, 40).round(3)
    b = rng.normal(0.4, 1.5, 55).round(3)
    t = st.ttest_ind(a, b, equal_var=False)
    smd, _ = effectsize_smd(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b))
    ci = t.confidence_interval(0.95)
    result["two_sample"] = {"a": a.tolist(), "b": b.tolist(), "t": float(t.statistic), "p": float(t.pvalue), "df": float(t.df),
                            "low": float(ci.low), "high": float(ci.high), "hedges_g": float(smd)}

    n = 300
    cluster = rng.integers(0, 60, n)
    x1 = rng.normal(5, 2, n).round(2)
    x2 = rng.integers(0, 2, n).astype(float)
    x3 = rng.exponential(10, n).round(1)
    effect = rng.normal(0, 1, 60)[cluster]
    y = (1.5 - 0.4 * x1 + 0.8 * x2 + 0.03 * x3 + effect + rng.normal(0, 1, n)).round(3)
    X = sm.add_constant(np.column_stack([x1, x2, x3]))
    fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": cluster}, use_t=True)
    result["ols"] = {"x": X.tolist(), "y": y.tolist(), "cluster": cluster.tolist(), "params": fit.params.tolist(),
                     "bse": fit.bse.tolist(), "pvalues": fit.pvalues.tolist()}

    d1 = rng.exponential(100, 80).round(0) + 1
    d2 = rng.exponential(150, 70).round(0) + 1
    e1 = rng.random(80) < 0.7
    e2 = rng.random(70) < 0.7
    lr = logrank_test(d1, d2, e1, e2)
    result["survival"] = {"d1": d1.tolist(), "e1": e1.tolist(), "d2": d2.tolist(), "e2": e2.tolist(),
                          "km1": km(d1, e1), "logrank": {"statistic": float(lr.test_statistic), "p": float(lr.p_value)}}

    # Distributions at tabulated points.
    result["distributions"] = {
        "t_cdf": [[x, df, float(st.t.cdf(x, df))] for x, df in [(2.228, 10), (-1.5, 3.7), (0.3, 120.5), (4.0, 2)]],
        "chi2_sf": [[x, k, float(st.chi2.sf(x, k))] for x, k in [(3.841458820694124, 1), (0.1, 1), (12.0, 3), (40.0, 10)]],
        "norm_ppf": [[p, float(st.norm.ppf(p))] for p in [0.975, 0.5, 1e-10, 0.3, 0.999]],
    }
    json.dump(result, open(out, "w"))


if __name__ == "__main__":
    main(sys.argv[1])
