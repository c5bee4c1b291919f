"""Markdown summaries for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.

GitHub renders tables and <details>; a comment holds at most 65,536 characters, so the lists are
cut to fit ``max_chars`` and say how many rows were left out.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any

from parity import report
from parity.results import categories
from parity.taxonomy import CASE_FAULTS, FAILING, STATUSES, failing_status

MAX_CHARS = 60_000


def cell(value: Any, width: int = 140) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped, cut to ``width``."""
    text = " ".join(str(value if value is not None else "").split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], align: str = "") -> list[str]:
    align = align or "-" * len(header)
    marks = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |",
            *("| " + " | ".join(str(c) for c in row) + " |" for row in rows)]


def _rows_within(lines: list[str], rows: list[str], budget: int, what: str) -> list[str]:
    used = sum(len(x) + 1 for x in lines)
    out = []
    for i, row in enumerate(rows):
        if used + len(row) + 200 > budget:
            out.append(f"\n… and {len(rows) - i} more {what}: see report.html or results.json")
            break
        out.append(row)
        used += len(row) + 1
    return out


def markdown(docs: dict[str, Any] | Sequence[dict[str, Any]], limit: int = 100, max_chars: int = MAX_CHARS) -> str:
    """Headline, totals per backend, categories per backend, the cases that fail the gate, the runs."""
    docs = report.as_docs(docs)
    cols, _ = report.columns(docs)
    tot = report.totals(docs, cols)
    merged = report.merged_records(docs)
    gate = report.gate_of(docs)
    flagged = report.attention((r for _, r in merged), gate)
    by_status = collections.Counter(failing_status(r, gate) for _, r in merged)
    failing = {s: by_status[s] for s in STATUSES if by_status[s]}
    if failing:
        head = "❌ " + ", ".join(f"{n} {s}" for s, n in failing.items())
    elif gate == FAILING:
        head = f"✅ every case is parity or known ({tot['overall']['known']} known divergences)"
    else:
        head = f"✅ no case fails the gate (--fail-on {','.join(gate) or 'none'})"
    lines = [f"## array-parity: {head}", "",
             f"{tot['cases']} cases on {len(cols)} backend{'s' if len(cols) != 1 else ''}: "
             + ", ".join(f"{n} {s}" for s, n in tot["overall"].items() if n), ""]
    lines += _table(["backend", "version", *STATUSES],
                    [[c["label"], c["version"], *(tot["per_col"][i][s] or "" for s in STATUSES)]
                     for i, c in enumerate(cols)], "ll" + "r" * len(STATUSES))
    cats = [c for c in (*categories(), *CASE_FAULTS) if any(c in t for t in tot["categories"])]
    if cats:
        lines += ["", "<details><summary>Divergences per category (new and known)</summary>", ""]
        lines += _table(["backend", *cats], [[c["label"], *(tot["categories"][i].get(k, "") for k in cats)]
                                             for i, c in enumerate(cols)], "l" + "r" * len(cats))
        lines += ["", "</details>"]
    if flagged:
        lines += ["", f"### Needs attention ({len(flagged)})", ""]
        header = _table(["status", "case", "category", "detail"], [])
        rows = [f"| **{d['status']}** | `{cell(r['id'], 80)}` | {cell(d['category'])} | {cell(d.get('detail'))} |"
                for r, d in flagged[:limit]]
        lines += header + _rows_within(lines + header, rows, max_chars - 1500, "rows")
        if len(flagged) > limit and len(rows) == limit:
            lines.append(f"\n… and {len(flagged) - limit} more: see report.html or results.json")
    lines += ["", "<details><summary>Runs</summary>", ""]
    for doc in docs:
        run = doc["run"]
        backends = ", ".join(f"{b['name']} {b.get('version', '')} ({b.get('device', '?')})"
                             for b in run.get("backends", []))
        libs = ", ".join(f"{k} {v}" for k, v in run.get("libraries", {}).items())
        lines.append(f"- {run.get('started', '?')}: {backends}; seed {run.get('seed')}, {run.get('max_examples')} "
                     f"examples per case, {run.get('duration_s', 0):.0f} s; {cell(libs, 600)}")
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def diff_markdown(d, limit: int = 100, max_chars: int = MAX_CHARS, title: str = "## array-parity diff") -> str:
    """The result of ``parity diff`` for a pull-request comment (``title``: its heading, e.g. one of several)."""
    mark = "❌" if d.exit_status else "✅"
    lines = [f"{title}: {mark} {d.headline()}", ""]
    libs = d.library_changes()
    if libs:
        lines += ["Library versions: " + ", ".join(f"{k} {a} → {b}" for k, a, b in libs), ""]
    lines += [f"> {w}" for w in d.warnings()]
    counts = collections.Counter(c.kind for c in d.changes)
    rows = []
    for c in d.changes[:limit]:
        status = f"{c.old['status']} → {c.new['status']}" if c.old and c.new and c.old["status"] != c.new["status"] \
            else c.status
        rows.append(f"| {c.kind}{' **worse**' if c.worse else ''} | {status} | `{cell(c.id, 80)}` | "
                    f"{cell(c.category)} | {cell(c.describe())} |")
    if rows:
        header = _table(["change", "status", "case", "category", "detail"], [])
        lines += header + _rows_within(lines + header, rows, max_chars - 500, "changes")
        if len(d.changes) > limit and len(rows) == limit:
            lines.append(f"\n… and {len(d.changes) - limit} more (" + ", ".join(f"{n} {k}" for k, n in counts.items())
                         + " in all)")
    if d.only_old or d.only_new:
        lines += ["", f"Not compared: {len(d.only_old)} cases only in OLD, {len(d.only_new)} only in NEW."]
    return "\n".join(lines) + "\n"
