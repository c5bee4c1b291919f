"""Renderings of results.json: the HTML page (Jinja2, self-contained) and the terminal summary."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import jinja2

from parity.taxonomy import STATUSES, worst

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("parity", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def matrix(doc: dict[str, Any]) -> dict[str, Any]:
    """Ops (grouped by family) x backend:device, each cell the worst status with counts."""
    columns = sorted({f"{r['backend']}:{r['device']}" for r in doc["records"]})
    cells: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    families: dict[str, set[str]] = collections.defaultdict(set)
    for r in doc["records"]:
        cells[(r["op"], f"{r['backend']}:{r['device']}")].append(r)
        families[r.get("family", "")].add(r["op"])
    rows = []
    for family in sorted(families):
        for op in sorted(families[family]):
            row = {"family": family, "op": op, "cells": []}
            for col in columns:
                recs = cells.get((op, col), [])
                counts = collections.Counter(r["status"] for r in recs)
                row["cells"].append({
                    "status": worst((r["status"] for r in recs), default="none"),
                    "counts": {s: counts[s] for s in STATUSES if counts[s]},
                    "dtypes": sorted((r["dtype"], r["status"]) for r in recs),
                })
            rows.append(row)
    return {"columns": columns, "rows": rows}


def render_html(doc: dict[str, Any]) -> str:
    divergent = [r for r in doc["records"] if r.get("divergences")]
    return _ENV.get_template("report.html.j2").render(doc=doc, matrix=matrix(doc), divergent=divergent,
                                                      statuses=STATUSES)


def write_html(doc: dict[str, Any], path: Path) -> None:
    from parity.results import write_atomic

    write_atomic(path, render_html(doc))


def summary_lines(doc: dict[str, Any], limit: int = 40) -> list[str]:
    """A compact text summary: totals per backend, then new and stale divergences."""
    s = doc["summary"]
    lines = [f"array-parity: {s['cases']} cases, " + ", ".join(f"{v} {k}" for k, v in s["by_status"].items())]
    for backend, counts in s["by_backend"].items():
        lines.append(f"  {backend:28} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
    for r in doc["run"].get("unavailable", {}).items():
        lines.append(f"  {r[0]:28} unavailable: {r[1]}")
    flagged = [(r, d) for r in doc["records"] for d in r.get("divergences", []) if d["status"] in ("new", "stale")]
    flagged += [(r, {"status": r["status"], "category": r["status"], "detail": r.get("reason", "")})
                for r in doc["records"] if r["status"] in ("crash", "timeout")]
    if flagged:
        lines.append(f"{len(flagged)} divergences need attention (new, stale, crash, timeout):")
        for r, d in flagged[:limit]:
            lines.append(f"  {d['status'].upper():7} {r['id']:48} {d['category']:13} {d.get('detail', '')[:90]}")
        if len(flagged) > limit:
            lines.append(f"  ... and {len(flagged) - limit} more in results.json")
    return lines
