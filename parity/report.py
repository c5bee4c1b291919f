"""Renderings of results.json: the HTML page (Jinja2, one self-contained file) and the terminal summary.

The page is rendered from one or more results documents (runs of different backends, devices or
library versions merge into one page). The summary, run metadata and chart are plain HTML/SVG; the
matrix and the divergence cards are drawn by a small inline script from the records embedded as
compact JSON: every text is split into lines and each distinct line is stored once (inputs,
details and reproducers share most of their lines), and cards are built only when scrolled to.
That keeps the page of a full five-backend run near half a megabyte and filtering instant.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from parity.results import categories
from parity.taxonomy import CASE_FAULTS, STATUSES, worst

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("parity", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
#: Colours of statuses and divergence categories, shared by the page, the chart and the diff page.
STATUS_COLOURS = {"crash": "#6a1b9a", "timeout": "#8e24aa", "harness-error": "#212121", "new": "#c62828",
                  "stale": "#ef6c00", "unreadable": "#8d6e63", "known": "#1565c0",
                  "parity": "#2e7d32", "unsupported": "#9e9e9e", "skipped": "#bdbdbd"}
CATEGORY_COLOURS = {"error": "#d32f2f", "accepts": "#f57c00", "error-type": "#fbc02d", "dtype": "#7b1fa2",
                    "shape": "#5d4037", "value": "#1976d2", "special-value": "#0097a7", "order": "#388e3c",
                    "crash": "#4a148c", "timeout": "#880e4f", "harness-error": "#212121", "unreadable": "#8d6e63",
                    "special-case": "#00796b", "promotion": "#ad1457",
                    "operator": "#6a1b9a", "scalar-conversion": "#827717", "name": "#455a64",
                    "statistical": "#00695c", "indexing": "#4e342e", "device": "#283593", "copy": "#c2185b",
                    "dlpack": "#37474f", "data-type-function": "#5d4037",
                    "result": "#6d4c41"}
#: Divergence fields with a place of their own in the embedded data; any others travel as-is.
DIVERGENCE_FIELDS = ("category", "status", "detail", "input", "reference", "implementation", "reason", "link",
                     "reproducer", "note", "source", "max_abs_err", "max_rel_err")
_TEXT_FIELDS = {"detail", "input", "reference", "implementation", "reason", "link", "reproducer", "note"}
OCCURRED = ("new", "known")  # divergence statuses of something that happened (stale: declared, did not happen)


def as_docs(docs: dict[str, Any] | Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [docs] if isinstance(docs, dict) else list(docs)


def _backend_versions(doc: dict[str, Any]) -> dict[str, str]:
    return {b["name"]: b.get("version", "") for b in doc["run"].get("backends", [])}


def columns(docs: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[tuple, int]]:
    """One column per backend/device/surface/version; runs agreeing on all four (shards) share it."""
    found: dict[tuple, dict[str, Any]] = {}
    for run_index, doc in enumerate(docs):
        versions = _backend_versions(doc)
        for r in doc["records"]:
            backend = r.get("backend", "?")
            key = (backend, r.get("device", "?"), r.get("surface", "native"), versions.get(backend, ""))
            found.setdefault(key, {"backend": key[0], "device": key[1], "surface": key[2], "version": key[3],
                                   "runs": set()})["runs"].add(run_index)
    cols = [found[k] for k in sorted(found)]
    base = collections.Counter((c["backend"], c["device"], c["surface"]) for c in cols)
    for c in cols:
        label = f"{c['backend']}:{c['device']}" + ("" if c["surface"] == "native" else " (array-api)")
        if base[(c["backend"], c["device"], c["surface"])] > 1:
            label += f" {c['version']}"
        c["label"] = label
        c["runs"] = sorted(c["runs"])
    return cols, {k: i for i, k in enumerate(sorted(found))}


def merged_records(docs: Sequence[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(column, record) pairs of all documents; a case repeated in a later document replaces the earlier."""
    _, index = columns(docs)
    out: dict[tuple, tuple[int, dict]] = {}
    for doc in docs:
        versions = _backend_versions(doc)
        for r in doc["records"]:
            backend = r.get("backend", "?")
            col = index[(backend, r.get("device", "?"), r.get("surface", "native"), versions.get(backend, ""))]
            out[(col, r["id"])] = (col, r)
    return list(out.values())


def entries(record: dict[str, Any]) -> list[dict[str, Any]]:
    """What a card is drawn for: each divergence, and the case itself when it crashed, timed out, or
    the harness failed on it or could not convert some of its inputs or results."""
    out = list(record.get("divergences") or ())
    if record["status"] in ("crash", "timeout", "harness-error"):
        out.append({"category": record["status"], "status": record["status"], "detail": record.get("reason", ""),
                    "input": record.get("input")})
    elif record.get("unreadable"):
        fault = record["unreadable"]
        out.append({"category": "unreadable", "status": "unreadable", "input": fault.get("input"),
                    "detail": f"{fault.get('count', 1)} input(s) not checked: {fault.get('reason', '')}"})
    return out


class _Strings:
    """Line-level string table: a text becomes one index (one line) or a list of indices."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def line(self, s: str) -> int:
        if s not in self.index:
            self.index[s] = len(self.index)
        return self.index[s]

    def text(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            value = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
        parts = [self.line(s) for s in value.split("\n")]
        return parts[0] if len(parts) == 1 else parts


def embedded_data(docs: Sequence[dict[str, Any]], cols: list[dict[str, Any]]) -> dict[str, Any]:
    strings = _Strings()
    records = []
    for col, r in merged_records(docs):
        divs = []
        for d in entries(r):
            row = [strings.text(d.get(k)) if k in _TEXT_FIELDS else d.get(k) for k in DIVERGENCE_FIELDS]
            extra = {k: v for k, v in d.items() if k not in DIVERGENCE_FIELDS}
            divs.append(row + ([extra] if extra else []))
        records.append([strings.line(r.get("op") or r["id"]), strings.line(r.get("family") or r.get("kind", "")),
                        strings.line(r.get("dtype", "")), col, r["status"],
                        strings.text(r.get("reason")), divs, strings.line(r.get("domain", "standard")),
                        r.get("checked")])
    return {"t": list(strings.index), "cols": [{k: c[k] for k in ("label", "backend", "device", "surface",
                                                                   "version")} for c in cols],
            "statuses": list(STATUSES), "categories": list(categories()), "fields": list(DIVERGENCE_FIELDS),
            "r": records}


def totals(docs: Sequence[dict[str, Any]], cols: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per status (all, per column) and occurred divergences per category per column."""
    per_col = [collections.Counter() for _ in cols]
    cats = [collections.Counter() for _ in cols]
    new = [0] * len(cols)
    for col, r in merged_records(docs):
        per_col[col][r["status"]] += 1
        for d in entries(r):
            if d["status"] in OCCURRED or d["status"] in CASE_FAULTS:
                cats[col][d["category"]] += 1
                new[col] += d["status"] == "new"
    overall = sum(per_col, collections.Counter())
    return {"overall": {s: overall[s] for s in STATUSES}, "cases": sum(overall.values()),
            "per_col": [{s: c[s] for s in STATUSES} for c in per_col],
            "categories": [{k: c[k] for k in CATEGORY_COLOURS if c[k]} for c in cats], "new": new}


def chart(cols: list[dict[str, Any]], tot: dict[str, Any], width: int = 560) -> dict[str, Any]:
    """Geometry of the stacked bar chart: divergences per category, one bar per column."""
    biggest = max([sum(c.values()) for c in tot["categories"]] + [1])
    bars = []
    for i, (col, counts) in enumerate(zip(cols, tot["categories"])):
        x, segments = 0.0, []
        for cat, n in counts.items():
            w = width * n / biggest
            segments.append({"cat": cat, "n": n, "x": round(x, 1), "w": round(w, 1), "colour": CATEGORY_COLOURS[cat]})
            x += w
        bars.append({"label": col["label"], "y": 10 + i * 30, "segments": segments, "total": sum(counts.values()),
                     "new": tot["new"][i], "end": round(x, 1)})
    used = [c for c in CATEGORY_COLOURS if any(c in counts for counts in tot["categories"])]
    return {"bars": bars, "width": width, "height": 20 + 30 * len(cols),
            "legend": [{"cat": c, "colour": CATEGORY_COLOURS[c]} for c in used]}


def runs(docs: Sequence[dict[str, Any]], sources: Sequence[str] | None) -> list[dict[str, Any]]:
    out = []
    for i, doc in enumerate(docs):
        run = doc["run"]
        out.append({"source": sources[i] if sources else "", "run": run,
                    "records": len(doc["records"]),
                    "backends": "; ".join(f"{b['name']} {b.get('version', '')} ({b.get('device', '?')})"
                                          + (f" {json.dumps(b['settings'])}" if b.get("settings") else "")
                                          for b in run.get("backends", []))})
    return out


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '<' at all, so no '</script>' or '<!--' can end it early."""
    return json.dumps(data, separators=(",", ":"), default=str).replace("<", "\\u003c")


def render_html(docs: dict[str, Any] | Sequence[dict[str, Any]], sources: Sequence[str] | None = None) -> str:
    docs = as_docs(docs)
    cols, _ = columns(docs)
    tot = totals(docs, cols)
    return _ENV.get_template("report.html.j2").render(
        docs=docs, runs=runs(docs, sources), cols=cols, totals=tot, chart=chart(cols, tot),
        statuses=STATUSES, status_colours=STATUS_COLOURS,
        category_colours=CATEGORY_COLOURS, data=_script_json(embedded_data(docs, cols)),
        generated=datetime.now(UTC).isoformat(timespec="seconds"))


def write_html(docs: dict[str, Any] | Sequence[dict[str, Any]], path: Path,
               sources: Sequence[str] | None = None) -> None:
    from parity.results import write_atomic

    write_atomic(Path(path), render_html(docs, sources))


def matrix(doc: dict[str, Any]) -> dict[str, Any]:
    """Ops (grouped by family) x column, each cell the worst status with counts (as the page shows it)."""
    docs = [doc]
    cols, _ = columns(docs)
    cells: dict[tuple[str, int], list[dict]] = collections.defaultdict(list)
    families: dict[str, set[str]] = collections.defaultdict(set)
    for col, r in merged_records(docs):
        op = r.get("op") or r["id"]
        cells[(op, col)].append(r)
        families[r.get("family", "")].add(op)
    rows = []
    for family in sorted(families):
        for op in sorted(families[family]):
            row = {"family": family, "op": op, "cells": []}
            for col in range(len(cols)):
                recs = cells.get((op, col), [])
                counts = collections.Counter(r["status"] for r in recs)
                row["cells"].append({"status": worst((r["status"] for r in recs), default="none"),
                                     "counts": {s: counts[s] for s in STATUSES if counts[s]},
                                     "dtypes": sorted((r.get("dtype", ""), r["status"]) for r in recs)})
            rows.append(row)
    return {"columns": [c["label"] for c in cols], "rows": rows}


def summary_lines(doc: dict[str, Any], limit: int = 40) -> list[str]:
    """A compact text summary: totals per backend, then new and stale divergences."""
    s = doc["summary"]
    lines = [f"array-parity: {s['cases']} cases, " + ", ".join(f"{v} {k}" for k, v in s["by_status"].items())]
    seconds = collections.Counter()
    for r in doc["records"]:
        seconds[f"{r['backend']}:{r['device']}"] += r.get("duration_s") or 0
    for backend, counts in s["by_backend"].items():  # and how long its cases took
        took = seconds[backend]
        lines.append(f"  {backend:28} " + "  ".join(f"{k} {v}" for k, v in counts.items())
                     + f"  ({took:.{0 if took >= 10 else 1}f} s of cases)")
    for r in doc["run"].get("unavailable", {}).items():
        lines.append(f"  {r[0]:28} unavailable: {r[1]}")
    flagged = attention(doc["records"], gate_of(doc))
    if flagged:
        lines.append(f"{len(flagged)} divergences need attention ({', '.join(gate_of(doc))}):")
        for r, d in flagged[:limit]:
            graded = arbiter_text(r, d)
            lines.append(f"  {d['status'].upper():7} {r['id']:48} {d['category']:13} {d.get('detail', '')[:90]}"
                         + (f" [{graded}]" if graded else ""))
        if len(flagged) > limit:
            lines.append(f"  ... and {len(flagged) - limit} more in results.json")
    return lines


def arbiter_text(record: dict[str, Any], divergence: dict[str, Any]) -> str:
    """Who is right, in one phrase ("NumPy 0.5 ulp, torch 37 ulp"), for a divergence the arbiter graded."""
    a = divergence.get("arbiter")
    if not a:
        return ""
    reference = "SciPy" if str(record.get("op", "")).startswith("special.") else "NumPy"
    return (f"{reference} {a['reference_max_ulp']:g} ulp, {record.get('backend', 'implementation')} "
            f"{a['implementation_max_ulp']:g} ulp")


def attention(records: Iterable[dict[str, Any]],
              gate: Sequence[str] | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record, divergence) pairs that fail the gate (default: parity.taxonomy.FAILING), worst first."""
    from parity.taxonomy import FAILING

    gate = FAILING if gate is None else gate
    found = []
    for r in records:
        found += [(r, d) for d in entries(r) if d["status"] in gate]
        if r["status"] in gate and r["status"] in ("unsupported", "skipped"):  # no divergence: the case itself
            found.append((r, {"category": r["status"], "status": r["status"], "detail": r.get("reason", "")}))
    return sorted(found, key=lambda rd: STATUSES.index(rd[1]["status"]))


def failure_text(record: dict[str, Any], gate: Sequence[str]) -> str:
    """A case that fails the gate, as pytest shows its failure: each failing entry, its input and outputs."""
    lines = [f"{record['id']}: {record['status']}"]
    if record.get("reason"):
        lines.append(f"- {record['reason']}")
    for d in record["divergences"]:
        if d["status"] not in gate:
            continue
        lines.append(f"- {d['status']} {d['category']}: {d.get('detail', '')}")
        if d.get("reason"):
            lines.append(f"  declared reason: {d['reason']}")
        if d.get("input"):
            lines += ["  input:", *("    " + ln for ln in d["input"].splitlines()),
                      f"  reference:      {d['reference'][:400]}", f"  implementation: {d['implementation'][:400]}"]
    return "\n".join(lines)


def gate_of(docs: dict[str, Any] | Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """The statuses that fail a run (``--fail-on``; runs before it had parity.taxonomy.FAILING); of several
    runs (shards, merged documents), every status that fails any of them, worst first."""
    from parity.taxonomy import FAILING

    named = {s for doc in as_docs(docs) for s in doc["run"].get("fail_on", FAILING)}
    return tuple(s for s in STATUSES if s in named)


def closing_lines(doc: dict[str, Any], out: Path | None) -> list[str]:
    """What a run or a merge prints at its end: the summary, where its outputs are, the gate's verdict."""
    where = [f"results: {out / 'results.json'}", f"report:  {out / 'report.html'}"] if out else []
    return [*summary_lines(doc), *where, *gate_lines(doc, out)]


def gate_lines(doc: dict[str, Any], out: Path | None) -> list[str]:
    """The gate's verdict: every case that fails it, each with what to run or read next (its reproducer
    scripts, its traceback, or why it could not be checked), so that a red CI log names its cases."""
    from parity.results import reproducer_file
    from parity.taxonomy import failing_status

    gate = gate_of(doc)
    named = ",".join(gate) or "none"
    failing = sorted((STATUSES.index(status), r["id"], status, r) for r in doc["records"]
                     if (status := failing_status(r, gate)))
    if not failing:
        return [f"gate (--fail-on {named}): passed"]
    lines = [f"gate (--fail-on {named}): {len(failing)} case{'s' * (len(failing) != 1)} fail it:"]
    for *_, status, r in failing:
        scripts = [str(Path(out or ".") / reproducer_file(r, d)) for d in r.get("divergences") or ()
                   if d["status"] in gate and d.get("reproducer")]
        where = ", ".join(scripts) or r.get("traceback") or _first_reason(r, gate)
        lines.append(f"  {status:13} {r['id']}  {where}")
    return lines


def _first_reason(record: dict[str, Any], gate: Sequence[str]) -> str:
    """A case without a script to run: what its record says (a stale declaration's reason, why it was skipped)."""
    text = next((d.get("reason") or d.get("detail") for d in record.get("divergences") or ()
                 if d["status"] in gate), None) or record.get("reason") or ""
    return " ".join(text.split())[:100] if text else "(see report.html)"
