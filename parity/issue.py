"""``parity reproducer``: one divergence's reproducer, as the script or as the Markdown body of an
upstream bug report (a title line, what happens against NumPy, the script, its output, versions).

The report is written for the library's maintainers, who do not know array-parity: it says what the
library does and what NumPy does on one input, and the script needs only NumPy and the library
(``parity.standalone``). Its output is what running the script here printed.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from parity import results

#: What each category means, said of the library (the title's verb phrase).
PHRASES = {
    "error": "raises an exception where NumPy returns a result",
    "accepts": "returns a result where NumPy raises an exception",
    "error-type": "raises another kind of exception than NumPy",
    "dtype": "returns another dtype than NumPy",
    "shape": "returns another shape than NumPy",
    "value": "returns values that differ from NumPy's",
    "special-value": "differs from NumPy in NaN, infinity or the sign of zero",
    "order": "returns values in another order than NumPy",
}
#: Lines of the script's output kept (the end, where the AssertionError is).
OUTPUT_LINES = 40


class IssueError(ValueError):
    """Bad input to ``parity reproducer``; the message is one line saying what to do."""


def find(doc: dict, case_id: str, category: str | None = None) -> tuple[dict, dict]:
    """The record of ``case_id`` and its divergence (of ``category``; needed when it has several)."""
    records = {r["id"]: r for r in doc["records"]}
    if case_id not in records:
        close = difflib.get_close_matches(case_id, list(records), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise IssueError(f"no case {case_id!r} in these results{hint}; case ids look like 'sort[torch-cpu-complex64]'")
    record = records[case_id]
    found = [d for d in record.get("divergences", []) if d.get("reproducer")]
    if category is not None:
        found = [d for d in found if d["category"] == category]
    if not found:
        what = f"no {category} divergence" if category else "no divergence with a reproducer"
        raise IssueError(f"case {case_id!r} ({record.get('status')}) has {what}; its divergences: "
                         f"{', '.join(d['category'] for d in record.get('divergences', [])) or 'none'}")
    if len(found) > 1 and category is None:
        raise IssueError(f"case {case_id!r} has {len(found)} divergences ({', '.join(d['category'] for d in found)}): "
                         f"choose one with --category")
    return record, found[0]


def load(path: str) -> dict:
    """A results document from ``results.json`` or the folder holding it (ResultsError if unreadable)."""
    return results.read(results.results_file(path))


def run_script(text: str, timeout: float = 300) -> tuple[int | None, str]:
    """Run a reproducer in a fresh interpreter here: its exit status and the end of its output."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reproducer.py"
        path.write_text(text)
        try:
            proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=timeout,
                                  env=os.environ | {"PYTHONWARNINGS": "ignore"})
        except subprocess.TimeoutExpired:
            return None, f"(still running after {timeout:g} s: stopped)"
    out = (proc.stdout + proc.stderr).replace(str(path), "reproducer.py").rstrip()
    lines = out.splitlines()
    return proc.returncode, "\n".join((["..."] if len(lines) > OUTPUT_LINES else []) + lines[-OUTPUT_LINES:])


def markdown(doc: dict, record: dict, divergence: dict, *, run=run_script) -> str:
    """The body of an upstream bug report for one divergence (``run`` runs the script: its output)."""
    lib, op, dtype, category = record["backend"], record["op"], record["dtype"], divergence["category"]
    where = "" if record["device"] == "cpu" else f", {record['device']}"
    script = divergence["reproducer"]
    standalone = "from parity" not in script
    status, output = run(script)
    verdict = {0: "exit status 0: the divergence did not occur here", 1: None}.get(status, f"exit status {status}")
    lines = [f"# {lib}: `{op}` {PHRASES.get(category, category)} ({dtype}{where})", "",
             f"**What happens.** On the input in the script below, {lib}'s `{op}` and NumPy's disagree "
             f"({category}): {divergence['detail']}", "",
             f"- NumPy: `{_one_line(divergence.get('reference', ''))}`",
             f"- {lib}: `{_one_line(divergence.get('implementation', ''))}`", ""]
    if divergence.get("status") == "known":
        lines += [f"array-parity already knows this one: {divergence.get('reason', '')} "
                  f"{divergence.get('link') or ''}".rstrip(), ""]
    needs = f"needs only NumPy and {lib}" if standalone else f"needs {lib} and array-parity (pip install array-parity)"
    lines += [f"**Reproducer** ({needs}; it raises AssertionError while the difference exists and exits 0 "
              "once it is gone):", "", "```python", script.rstrip(), "```", "",
              "**Output**" + (f" ({verdict})" if verdict else ""), "", "```", output, "```", "",
              "**Versions**", "", *[f"- {name} {version}" for name, version in _versions(doc, lib, script)], "",
              f"<sub>Found by array-parity (run of {doc['run'].get('started', '?')}, seed {doc['run'].get('seed')})."
              "</sub>"]
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split()).replace("`", "'")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _versions(doc: dict, lib: str, script: str) -> list[tuple[str, str]]:
    run = doc["run"]
    libraries = run.get("libraries", {})
    backend = next((b for b in run.get("backends", []) if b.get("name") == lib), {})
    named = [(lib, backend.get("version", libraries.get(lib, "unknown")))]
    named += [(n, v) for n, v in libraries.items() if n != lib and n.startswith(lib)]  # jax and jaxlib
    named += [(n, libraries[n]) for n in ("numpy", "scipy", "ml_dtypes") if n in libraries
              and (n == "numpy" or f"import {n}" in script)]
    if backend.get("settings"):
        named.append((f"{lib} settings", ", ".join(f"{k}={v}" for k, v in backend["settings"].items())))
    info = run.get("platform", {})
    named.append(("Python", f"{info.get('python', libraries.get('python', '?'))} on {info.get('system', '?')} "
                            f"{info.get('machine', '')}".rstrip()))
    return named
