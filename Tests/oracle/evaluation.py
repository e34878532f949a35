#!/usr/bin/env python3
"""Reference statistics for `waymark evaluate` from its own record-level
output (record-level/cohorts.csv): scipy (Welch), statsmodels (Hedges' g,
OLS with case-clustered CR1 errors), lifelines (Kaplan-Meier, log-rank).
The Swift test compares them with evaluation.json to 1e-6. It also gives
the balance table's standardised mean differences (Austin 2009) of the
baseline score (every series) and of engaged hours (series with an outcome).

usage: evaluation.py COHORTS.csv PROGRAMME_NAME OUT.json
"""
import json
import sys

import numpy as np
import pandas as pd
import scipy.stats as st
import statsmodels.api as sm
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from statsmodels.stats.meta_analysis import effectsize_smd


def main(path, programme, out):
    df = pd.read_csv(path, encoding="utf-8-sig", dtype={"case_id": str, "child_id": str}, keep_default_na=False)
    df["in_programme"] = (df["cohort"] == programme).astype(float)
    df["sustained"] = df["sustained"].astype(str).str.lower() == "true"
    m = df[df["change"] != ""].copy()
    m["change"] = m["change"].astype(float)
    a = m[m["in_programme"] == 1]["change"].to_numpy()
    b = m[m["in_programme"] == 0]["change"].to_numpy()
    t = st.ttest_ind(a, b, equal_var=False)
    ci = t.confidence_interval(0.95)
    g, _ = effectsize_smd(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b))
    X = np.column_stack([np.ones(len(m)), m["baseline"].astype(float), m["in_programme"], m["engaged_hours"].astype(float)])
    groups = pd.factorize(m["case_id"])[0]
    fit = sm.OLS(m["change"].to_numpy(), X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    result = {
        "mean_change_programme": float(a.mean()), "mean_change_comparison": float(b.mean()),
        "difference": float(a.mean() - b.mean()), "welch_t": float(t.statistic), "welch_df": float(t.df),
        "welch_p": float(t.pvalue), "difference_ci_low": float(ci.low), "difference_ci_high": float(ci.high), "hedges_g": float(g),
        "coefficient": fit.params.tolist(), "se_cr1": fit.bse.tolist(), "p": fit.pvalues.tolist(),
    }
    d = df["days_to_sustained_or_censoring"].astype(float)
    p, c = df["in_programme"] == 1, df["in_programme"] == 0
    lr = logrank_test(d[p], d[c], df["sustained"][p], df["sustained"][c])
    result["logrank_chi2"] = float(lr.test_statistic)
    result["logrank_p"] = float(lr.p_value)
    curves = []
    for mask in (p, c):
        f = KaplanMeierFitter().fit(d[mask], df["sustained"][mask])
        sf, ci = f.survival_function_.iloc[:, 0], f.confidence_interval_
        times = sorted(set(d[mask][df["sustained"][mask]]))
        curves.append([[t, float(sf.loc[t]), float(ci.iloc[:, 0].loc[t]), float(ci.iloc[:, 1].loc[t])] for t in times])
    result["km"] = curves

    def smd(x, y):
        """Difference in means over sqrt((s1^2 + s2^2) / 2), sample SDs."""
        return float((x.mean() - y.mean()) / np.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2))

    base = df["baseline"].astype(float)
    result["smd_baseline"] = smd(base[p].to_numpy(), base[c].to_numpy())
    result["mean_baseline"] = [float(base[p].mean()), float(base[c].mean())]
    result["sd_baseline"] = [float(base[p].std(ddof=1)), float(base[c].std(ddof=1))]
    hours = m["engaged_hours"].astype(float)
    result["smd_engaged_hours"] = smd(hours[m["in_programme"] == 1].to_numpy(), hours[m["in_programme"] == 0].to_numpy())
    json.dump(result, open(out, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
