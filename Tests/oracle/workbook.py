#!/usr/bin/env python3
"""An independent check of indicators.xlsx (shared/OUTPUTS.md, issue #14
item 8), read back with openpyxl and compared with the CSV files and
legend.txt written beside it in the same report folder.

Written from the output contract, not from Waymark's code: it knows only
the CSV columns, the DfE status symbols and which indicators are means
(I1 and I8, METHODS.md M7); everything else it reads from the CSVs.

usage: workbook.py REPORT_FOLDER PARAMS.json OUTPUT_FOLDER
PARAMS.json: {"headline_ids": [...], "headline_scale": ..., "headline_rater": ...}
  (the report page's tiles and its headline scale and rater).
Exits 1 and lists the problems (also in OUTPUT_FOLDER/problems.txt) on any mismatch.
"""
import csv
import datetime as dt
import json
import os
import re
import sys

import openpyxl

SHEETS = ["Headlines", "Indicators", "Matrix", "Teams", "Equity", "Quality", "Legend"]
SYMBOLS = {"c", "z", "x"}
MEANS = {"I1", "I8"}          # METHODS.md M7: every other indicator is a rate
CHILD_BREAKDOWNS = ["age_band", "sex", "ethnicity_group", "disability"]
PREAMBLE = ["title", "scale", "rated_by", "unit", "better"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

problems = []


def problem(text):
    if len(problems) < 40:
        print(text, file=sys.stderr)
    problems.append(text)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_cell(expected, cell, kind, where):
    """expected: the CSV field; kind: 'text', 'number' or 'date'."""
    v = cell.value
    if expected == "":
        if v is not None:
            problem(f"{where}: expected an empty cell, found {v!r}")
        return
    if kind == "number":
        if not is_number(v):
            problem(f"{where}: expected a number, found {type(v).__name__} {v!r}")
            return
        e = float(expected)
        if abs(v - e) > 1e-15 * max(1.0, abs(e)):
            problem(f"{where}: expected {expected}, found {v!r}")
    elif kind == "date":
        if not isinstance(v, dt.datetime) or v.time() != dt.time(0) or v.date().isoformat() != expected:
            problem(f"{where}: expected the date {expected}, found {v!r}")
        elif cell.number_format != "yyyy-mm-dd":
            problem(f"{where}: a date shown as {cell.number_format!r}")
    else:
        # The CSVs neutralise text starting with a formula character with a leading
        # quote; a workbook's text cell can never be a formula, so it holds the text itself.
        if not isinstance(v, str) or (v != expected and not (expected == "'" + v and v[:1] in FORMULA_STARTS)):
            problem(f"{where}: expected the text {expected!r}, found {v!r}")


def grid(ws):
    """Every row of a sheet as a tuple of cells, read once (openpyxl's ws[n] scans the whole sheet each time)."""
    return list(ws.iter_rows())


def check_table(ws, header, rows, kinds, freeze, sheet, header_row=1):
    cells_by_row = grid(ws)
    got_header = [c.value for c in cells_by_row[header_row - 1]][: len(header)]
    if got_header != header:
        problem(f"{sheet}: header {got_header} is not {header}")
    if ws.max_column != len(header):
        problem(f"{sheet}: {ws.max_column} columns, expected {len(header)}")
    last = header_row + len(rows)
    if ws.max_row != last:
        problem(f"{sheet}: {ws.max_row} rows, expected {last}")
    if ws.freeze_panes != freeze:
        problem(f"{sheet}: frozen at {ws.freeze_panes}, expected {freeze}")
    ref = f"A{header_row}:{openpyxl.utils.get_column_letter(len(header))}{last}"
    if ws.auto_filter.ref != ref:
        problem(f"{sheet}: autofilter {ws.auto_filter.ref}, expected {ref}")
    for i, row in enumerate(rows):
        cells = cells_by_row[header_row + i]
        for j, expected in enumerate(row):
            same_cell(expected, cells[j], kinds[j], f"{sheet}!{cells[j].coordinate}")


def natural_key(s):
    rank = 2 if s == "family" else (1 if s == "unknown" else 0)
    return (rank, [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", s)])


def main():
    folder, params_path, out = sys.argv[1:4]
    params = json.load(open(params_path))
    os.makedirs(out, exist_ok=True)
    wb = openpyxl.load_workbook(os.path.join(folder, "indicators.xlsx"))
    if wb.sheetnames != SHEETS:
        problem(f"sheets {wb.sheetnames}, expected {SHEETS}")

    # Indicators: indicators.csv cell for cell.
    header, rows = read_csv(os.path.join(folder, "indicators.csv"))
    col = {name: k for k, name in enumerate(header)}
    kinds = ["number" if n in ("numerator", "denominator", "value") else ("date" if n == "as_of" else "text") for n in header]
    ws = wb["Indicators"]
    check_table(ws, header, rows, kinds, "B2", "Indicators")
    sheet_rows = grid(ws)
    for i, row in enumerate(rows):
        status = row[col["status"]]
        if status != "published" and status not in SYMBOLS:
            problem(f"indicators.csv row {i + 2}: status {status!r}")
        value, denominator = sheet_rows[i + 1][col["value"]], sheet_rows[i + 1][col["denominator"]]
        if is_number(value.value):
            want = "0.00" if row[col["indicator_id"]] in MEANS else "0.0%"
            if value.number_format != want:
                problem(f"Indicators!{value.coordinate}: shown as {value.number_format!r}, expected {want!r}")
        if is_number(denominator.value) and denominator.number_format != "0":
            problem(f"Indicators!{denominator.coordinate}: the denominator is not shown as a whole number")

    # Matrix and Quality: their CSVs cell for cell.
    m_header, m_rows = read_csv(os.path.join(folder, "matrix.csv"))
    check_table(wb["Matrix"], m_header, m_rows,
                ["number" if n in ("segments", "mean_change") else ("date" if n == "as_of" else "text") for n in m_header],
                "A2", "Matrix")
    q_header, q_rows = read_csv(os.path.join(folder, "quality.csv"))
    check_table(wb["Quality"], q_header, q_rows, ["number" if n == "rows" else "text" for n in q_header], "A2", "Quality")

    # The latest month's rows, by (id, scale, rated_by, breakdown, group).
    latest = max(r[col["as_of"]] for r in rows)
    at_latest = {}
    for r in rows:
        if r[col["as_of"]] == latest:
            at_latest[(r[col["indicator_id"]], r[col["scale"]], r[col["rated_by"]], r[col["breakdown"]], r[col["group"]])] = r
    hs, hr = params["headline_scale"], params["headline_rater"]

    def headline_row(ind, breakdown, group):
        found = [r for (i, s, rb, b, g), r in at_latest.items()
                 if i == ind and s in (hs, "all") and rb in (hr, "all") and b == breakdown and g == group]
        if len(found) > 1:
            problem(f"{ind} {breakdown}: {len(found)} candidate headline rows")
        return found[0] if found else None

    # Headlines: the tiles' total rows of the latest month, in the page's order.
    h_header = [n for n in header if n not in ("breakdown", "group")]
    h_rows = []
    for ind in params["headline_ids"]:
        r = headline_row(ind, "total", "total")
        if r is not None:
            h_rows.append([r[col[n]] for n in h_header])
    check_table(wb["Headlines"], h_header, h_rows, [kinds[col[n]] for n in h_header], "B2", "Headlines")

    def check_wide(sheet, breakdowns, labels):
        ws = wb[sheet]
        cells_by_row = grid(ws)
        header_row = len(PREAMBLE) + 1
        first = len(labels)
        for k, name in enumerate(PREAMBLE):
            if ws.cell(row=k + 1, column=1).value != name:
                problem(f"{sheet}: preamble row {k + 1} is {ws.cell(row=k + 1, column=1).value!r}, expected {name!r}")
        got = [c.value for c in cells_by_row[header_row - 1]]
        if got[:first] != labels:
            problem(f"{sheet}: row labels {got[:first]}, expected {labels}")
        ids = got[first:]
        # Every indicator with a row of these breakdowns in the latest month under the headline scale and rater.
        expected_ids = {i for (i, s, rb, b, g) in at_latest if b in breakdowns and s in (hs, "all") and rb in (hr, "all")}
        if set(ids) != expected_ids:
            problem(f"{sheet}: indicator columns {ids}, expected {sorted(expected_ids)}")
        expected_rows = []
        for b in breakdowns:
            groups = {g for (i, s, rb, bb, g) in at_latest if bb == b and i in ids and s in (hs, "all") and rb in (hr, "all")}
            for g in sorted(groups, key=natural_key):
                expected_rows.append(([b] if first == 2 else []) + [g])
        got_rows = [[c.value for c in r[:first]] for r in ws.iter_rows(min_row=header_row + 1)]
        if got_rows != expected_rows:
            problem(f"{sheet}: rows {got_rows[:6]}..., expected {expected_rows[:6]}...")
        ref = f"A{header_row}:{openpyxl.utils.get_column_letter(first + len(ids))}{header_row + len(got_rows)}"
        if ws.auto_filter.ref != ref:
            problem(f"{sheet}: autofilter {ws.auto_filter.ref}, expected {ref}")
        freeze = f"{openpyxl.utils.get_column_letter(first + 1)}{header_row + 1}"
        if ws.freeze_panes != freeze:
            problem(f"{sheet}: frozen at {ws.freeze_panes}, expected {freeze}")
        for j, ind in enumerate(ids):
            c = first + 1 + j
            scale, rater = ws.cell(row=2, column=c).value, ws.cell(row=3, column=c).value
            unit = ws.cell(row=4, column=c).value
            if unit != ("mean" if ind in MEANS else "rate (%)"):
                problem(f"{sheet}: {ind}'s unit is {unit!r}")
            for k, labels_row in enumerate(got_rows):
                b = labels_row[0] if first == 2 else breakdowns[0]
                g = labels_row[-1]
                r = at_latest.get((ind, scale, rater, b, g))
                cell = ws.cell(row=header_row + 1 + k, column=c)
                if r is None:
                    if cell.value is not None:
                        problem(f"{sheet}!{cell.coordinate}: no such row in indicators.csv, found {cell.value!r}")
                elif r[col["status"]] != "published":
                    same_cell(r[col["status"]], cell, "text", f"{sheet}!{cell.coordinate}")
                else:
                    same_cell(r[col["value"]], cell, "number", f"{sheet}!{cell.coordinate}")

    check_wide("Teams", ["team"], ["team"])
    check_wide("Equity", CHILD_BREAKDOWNS, ["breakdown", "group"])

    # Legend: a note on the workbook, an empty row, then legend.txt, one line a row (an empty line an empty cell).
    with open(os.path.join(folder, "legend.txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    ws = wb["Legend"]
    got = [ws.cell(row=k + 1, column=1).value or "" for k in range(ws.max_row)]
    if len(got) < 3 or not got[0].startswith("In this workbook") or got[2] != "" or got[3:] != lines:
        problem("Legend: is not the workbook's note, an empty row, then legend.txt line for line")

    with open(os.path.join(out, "problems.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(problems))
    if problems:
        print(f"{len(problems)} problems", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
