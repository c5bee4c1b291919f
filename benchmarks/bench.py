"""Time and memory of parity sweeps on the installed libraries, every figure from one run of this script.

    python benchmarks/bench.py [--backends numpy,array_api_strict,torch,dask,jax] [--seed 0] [--skip PART,...]
        [--ops PATTERNS] [--array-api-tests PATH [--aat-backends torch,...] [--aat-tests SEL] [--aat-args ARGS]
        [--aat-env NAME=VALUE]...] [--baseline RESULTS.json|DIR] [--logs DIR] [--out benchmarks/RESULTS.md]
        [--json benchmarks/results.json]

Parts, in the order they run (--skip any of them): startup (``parity backends`` and ``parity list``, median
of 3), backends (the default sweep of each backend; JAX with a fresh, cold compilation cache), jax-warm
(JAX again on that same cache), all (the Quickstart's ``parity run``: every available CPU backend, cold JAX
cache), scaling (the numpy sweep at -n 2 and at -n 0), aat (data-apis/array-api-tests on the same
backends, from the checkout given with --array-api-tests).

Every sweep is a subprocess ``python -m parity.cli run`` (the ``parity`` command, run from the repository
root, so the working tree's code), timed around the process; its results.json gives cases, fixed samples,
examples, statuses and the seconds spent inside the reference's and the implementation's calls (calls_s),
hence the per-case overhead. Peak resident memory
is each process's VmHWM (the kernel's own high-water mark) polled over the process tree every 0.5 s, and
wait4's ru_maxrss (the largest process of the tree, as the kernel saw it) as a check. Ratios are between
numbers measured in this run on this machine; RESULTS.md and the JSON hold nothing else. Only the
standard library: tests/test_bench.py imports this file for its pure functions and runs no sweep.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("numpy", "array_api_strict", "torch", "dask", "jax")
PARTS = ("startup", "backends", "jax-warm", "all", "scaling", "aat")
#: The namespace array-api-tests is pointed at (ARRAY_API_TESTS_MODULE) for each backend.
AAT_MODULES = {"torch": "array_api_compat.torch", "numpy": "numpy", "array_api_strict": "array_api_strict",
               "jax": "jax.numpy", "dask": "array_api_compat.dask.array"}
AAT_ENV = {"jax": {"JAX_ENABLE_X64": "1"}}  # parity runs JAX with 64-bit types by default: test the same
#: Beyond the suite's defaults: the same examples every run (parity's sweeps are seeded too), and no Hypothesis
#: deadline (800 ms), which on a loaded 2-core machine fails tests at random and then spends minutes shrinking
#: them; parity's sweeps run without one as well.
AAT_ARGS = ("--derandomize", "--disable-deadline")
DISTRIBUTIONS = ("numpy", "torch", "jax", "jaxlib", "dask", "array-api-strict", "array-api-compat", "hypothesis",
                 "pytest", "pytest-xdist")
POLL_S = 0.5
GIB = 2**30
SCHEMA = "array-parity/bench"
#: (key, what, limit, comparison); the limits are the issue's, for a 2-core machine.
TARGETS = (
    ("quickstart", "Quickstart `parity run` (every CPU backend, defaults, cold JAX cache): sweep wall time",
     240.0, "<"),
    ("jax-cold", "JAX full sweep, cold compilation cache: wall time", 120.0, "<"),
    ("torch-vs-aat", "torch sweep / array-api-tests on array_api_compat.torch (wall times)", 0.3, "<="),
    ("startup-backends", "`parity backends` wall time (median of 3)", 2.0, "<"),
    ("startup-list", "`parity list` wall time (median of 3)", 2.0, "<"),
    ("worker-rss", "peak resident memory of the largest worker, full sweep", 2.0 * GIB, "<"),
)


class BenchError(RuntimeError):
    """A measured command failed: the message names it and ends with its stderr."""


# ---- the process tree and its memory (pure parsers, then /proc)

def parse_vmhwm(status: str) -> int | None:
    """Bytes of VmHWM in a /proc/PID/status text (absent for a zombie or a kernel thread)."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024  # always in kB
    return None


def parse_ppid(stat: str) -> int:
    """The parent pid in a /proc/PID/stat text; the command name, in parentheses, may hold spaces itself."""
    return int(stat[stat.rindex(")") + 1:].split()[1])


def descendants(parents: dict[int, int], root: int) -> set[int]:
    """Every pid below ``root`` in a pid -> parent pid map: xdist workers and whatever they start."""
    children = defaultdict(list)
    for pid, ppid in parents.items():
        children[ppid].append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _read(path) -> str:
    try:
        return Path(path).read_text()
    except OSError:  # the process ended between listing and reading
        return ""


def _parents() -> dict[int, int]:
    out = {}
    for entry in os.scandir("/proc"):
        stat = _read(f"/proc/{entry.name}/stat") if entry.name.isdigit() else ""
        if stat:
            out[int(entry.name)] = parse_ppid(stat)
    return out


class PeakSampler(threading.Thread):
    """Each process's VmHWM in a tree. The kernel keeps the high-water mark, so a poll only has to see a
    process once before it ends; the last growth of one that ends between polls is caught by wait4 alone."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peaks, self.done = root, {}, threading.Event()

    def run(self):
        while True:
            for pid in {self.root} | descendants(_parents(), self.root):
                hwm = parse_vmhwm(_read(f"/proc/{pid}/status"))
                if hwm:
                    self.peaks[pid] = max(hwm, self.peaks.get(pid, 0))
            if self.done.wait(POLL_S):
                return


def measure(argv: list[str], env: dict[str, str], cwd: Path, logs: Path) -> dict:
    """Wall time, exit status and peak memory of one command; its output goes to files under ``logs``."""
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / "stdout", "w") as out, open(logs / "stderr", "w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=os.environ | env, stdout=out, stderr=err)
        sampler = PeakSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 also reports the tree's ru_maxrss
        wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    others = [v for pid, v in sampler.peaks.items() if pid != proc.pid]
    return {"wall_s": round(wall, 3), "returncode": proc.returncode,
            "controller_rss": sampler.peaks.get(proc.pid), "worker_rss": max(others, default=None),
            "processes": len(others), "tree_rss": usage.ru_maxrss * 1024,
            "stdout": (logs / "stdout").read_text(errors="replace"),
            "stderr": (logs / "stderr").read_text(errors="replace")}


# ---- summaries of documents (pure)

def _totals(records: list[dict]) -> dict:
    timed = [r for r in records if "calls_s" in r]
    hypothesis = [r for r in records if r.get("examples", 0) > 0]
    examples = sum(r.get("examples", 0) for r in records)
    return {
        "cases": len(records),
        "conformance": sum(r.get("kind") == "conformance" for r in records),
        "fixed_samples": sum(r.get("fixed_samples", 0) for r in records),
        "examples": examples,
        "examples_per_case": round(examples / len(hypothesis), 2) if hypothesis else None,
        "duration_s": round(sum(r.get("duration_s", 0.0) for r in records), 3),
        "calls_s": round(sum(r["calls_s"] for r in timed), 3) if timed else None,
        "timed_cases": len(timed),
        "timed_duration_s": round(sum(r.get("duration_s", 0.0) for r in timed), 3),
        "statuses": dict(Counter(r["status"] for r in records).most_common()),
    }


def summarise(doc: dict) -> dict:
    """What a results document says about coverage and time: totals, and the same per backend."""
    records, run = doc["records"], doc["run"]
    out = _totals(records)
    out["by_backend"] = {b: _totals([r for r in records if r.get("backend") == b])
                         for b in sorted({r.get("backend") for r in records if r.get("backend")})}
    out.update(run_duration_s=run.get("duration_s"), workers=run.get("workers"), seed=run.get("seed"),
               max_examples=run.get("max_examples"), backends=[b["name"] for b in run.get("backends", [])],
               unavailable=run.get("unavailable") or {}, complete=run.get("complete"))
    return out


def overhead(sweep: dict) -> dict:
    """Wall time per second inside the calls (the issue's measure), the same within cases, and the
    harness's own milliseconds per timed case (duration_s less calls_s)."""
    s = sweep["summary"]
    calls = s.get("calls_s")
    if not calls:
        return {"wall_per_call_s": None, "case_per_call_s": None, "harness_ms_per_case": None}
    return {"wall_per_call_s": round(sweep["wall_s"] / calls, 2),
            "case_per_call_s": round(s["timed_duration_s"] / calls, 2),
            "harness_ms_per_case": round(1000 * (s["timed_duration_s"] - calls) / s["timed_cases"], 2)}


def parse_pytest_summary(output: str) -> dict[str, int]:
    """Counts from pytest's last summary line ('3 failed, 120 passed, 4 skipped in 9.87s')."""
    lines = [ln for ln in output.splitlines() if re.search(r"\b(passed|failed|skipped|error|no tests ran)\b", ln)]
    if not lines:
        return {}
    return {word.rstrip("s") if word in ("errors", "warnings") else word: int(n)
            for n, word in re.findall(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|warnings?|deselected)",
                                      lines[-1])}


def aat_max_examples(conftest: str) -> int | None:
    """array-api-tests' default --max-examples, from its conftest.py (its README's figure has gone stale)."""
    match = re.search(r'"--max-examples",[^)]*?default=(\d+)', conftest)
    return int(match.group(1)) if match else None


def coverage(data: dict) -> dict[str, dict]:
    """Per backend: cases, fixed samples and examples, from its own sweep, else from the all-backends one."""
    out = {}
    sweeps = data.get("sweeps", {})
    for label, sweep in sweeps.items():
        if label == "jax warm" or label.startswith("numpy -n"):
            continue
        for backend, t in sweep["summary"]["by_backend"].items():
            own = label in (backend, f"{backend} cold")
            if own or backend not in out:
                out[backend] = {k: t[k] for k in ("cases", "fixed_samples", "examples", "examples_per_case")}
                out[backend]["source"] = label
    return dict(sorted(out.items()))


def coverage_deltas(before: dict[str, dict], now: dict[str, dict]) -> list[dict]:
    """Before vs now per backend and measure; ``loss`` is set where now is smaller (or missing)."""
    rows = []
    for backend in sorted(set(before) | set(now)):
        for key in ("cases", "fixed_samples", "examples", "examples_per_case"):
            b, n = before.get(backend, {}).get(key), now.get(backend, {}).get(key)
            rows.append({"backend": backend, "measure": key, "before": b, "now": n,
                         "loss": b is not None and (n is None or n < b)})
    return rows


def baseline_coverage(doc: dict) -> dict[str, dict]:
    """Coverage from an earlier run of this script (its JSON) or from a parity results.json."""
    if doc.get("schema") == SCHEMA:
        return doc["coverage"]
    if doc.get("schema") == "array-parity/results":
        return coverage({"sweeps": {"baseline": {"summary": summarise(doc)}}})
    raise ValueError(f"not a results file of this script ({SCHEMA}) nor of parity run: schema {doc.get('schema')!r}")


def baseline_selection(doc: dict) -> dict:
    """The seed and op selection behind a baseline, to say when it is not the same as this run's."""
    if doc.get("schema") == SCHEMA:
        return {"seed": doc["options"]["seed"], "ops": doc["options"]["ops"]}
    return {"seed": doc["run"].get("seed"), "ops": None}  # a results.json lists resolved op names, not patterns


def _compare(value, limit, op) -> bool:
    return value < limit if op == "<" else value <= limit


def _target_value(data: dict, key: str) -> tuple[float | None, str]:
    """The measured value of one target and a note on where it comes from (or why it is missing)."""
    sweeps, startup, aat = data.get("sweeps", {}), data.get("startup", {}), data.get("aat", {})
    if key == "quickstart":
        s = sweeps.get("all")
        if s is None:
            return None, "part 'all' not run"
        ran = s["summary"]["backends"]
        note = "" if s.get("quickstart") else f"--backends given: {', '.join(ran)}, not the Quickstart command"
        if s.get("quickstart") and len(ran) < len(BACKENDS):
            note = f"only {len(ran)} backends available: {', '.join(ran)}"
        return s["wall_s"], note
    if key == "jax-cold":
        s = sweeps.get("jax cold")
        return (s["wall_s"], "") if s else (None, "JAX sweep not run")
    if key == "torch-vs-aat":
        ratio = aat.get("runs", {}).get("torch", {}).get("ratio")
        return (ratio, "") if ratio is not None else (None, aat.get("status") or "array-api-tests not run on torch")
    if key.startswith("startup-"):
        s = startup.get(key.removeprefix("startup-"))
        return (s["median_s"], "") if s else (None, "part 'startup' not run")
    if key == "worker-rss":
        full = [(label, s) for label, s in sweeps.items() if label == "all"] or \
               [(label, s) for label, s in sweeps.items() if not label.startswith("numpy -n")]
        peaks = [(s["worker_rss"] or s["controller_rss"] or 0, label) for label, s in full]
        if not peaks:
            return None, "no sweep run"
        peak, label = max(peaks)
        return peak, f"sweep '{label}'"
    raise KeyError(key)


def evaluate_targets(data: dict) -> list[dict]:
    """Each target: measured value, met / not met, or why it could not be judged."""
    partial = bool(data.get("options", {}).get("ops"))
    rows = []
    for key, what, limit, op in TARGETS:
        value, note = _target_value(data, key)
        if value is None:
            status = "not measured"
        elif partial and not key.startswith("startup-"):
            status, note = "not assessable", "; ".join(filter(None, [note, "partial sweeps (--ops)"]))
        else:
            status = "met" if _compare(value, limit, op) else "not met"
        rows.append({"key": key, "what": what, "limit": limit, "op": op, "value": value, "status": status,
                     "note": note})
    return rows


# ---- rendering (pure: a dict of numbers in, Markdown out)

def _s(x) -> str:
    return "—" if x is None else f"{x:.1f} s" if x >= 10 else f"{x:.2f} s"


def _gib(x) -> str:
    return "—" if not x else f"{x / GIB:.2f} GiB"


def _n(x) -> str:
    return "—" if x is None else f"{x:,}" if isinstance(x, int) else f"{x:,.2f}"


def _x(x) -> str:
    return "—" if x is None else f"{x:.2f}x"


def _table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(str(c) for c in row) + " |" for row in rows)]


def _limit(row: dict) -> str:
    limit = row["limit"]
    shown = _gib(limit) if row["key"] == "worker-rss" else _x(limit) if row["key"] == "torch-vs-aat" else _s(limit)
    return f"{row['op']} {shown}"


def _value(row: dict) -> str:
    return (_gib if row["key"] == "worker-rss" else _x if row["key"] == "torch-vs-aat" else _s)(row["value"])


def section_targets(data: dict) -> list[str]:
    rows = [[r["what"], _limit(r), _value(r), f"**{r['status']}**", r["note"]] for r in data["targets"]]
    cores = data["machine"]["cores"]
    note = [] if cores == 2 else ["", f"The targets are for 2 cores; this machine has {cores}."]
    return ["## Targets", "", *_table(["target", "limit", "measured", "status", "note"], rows), *note]


def section_sweeps(data: dict) -> list[str]:
    rows = []
    for label, s in data["sweeps"].items():
        t = s["summary"]
        statuses = ", ".join(f"{k} {v:,}" for k, v in t["statuses"].items())
        rows.append([label, _s(s["wall_s"]), _s(t["run_duration_s"]), t["workers"], _n(t["cases"]),
                     _n(t["fixed_samples"]), _n(t["examples"]), _n(t["examples_per_case"]), statuses,
                     s["returncode"]])
    lines = ["## Sweeps", "", "Wall time around the process; `run` is the sweep's own duration_s (results.json).", "",
             *_table(["sweep", "wall", "run", "workers", "cases", "fixed samples", "examples", "examples/case",
                      "statuses", "exit"], rows)]
    cold, warm = data["sweeps"].get("jax cold"), data["sweeps"].get("jax warm")
    if cold and warm:
        lines += ["", f"JAX cold / warm cache: {_s(cold['wall_s'])} / {_s(warm['wall_s'])} = "
                      f"{_x(cold['wall_s'] / warm['wall_s'])}"]
    return lines


def section_overhead(data: dict) -> list[str]:
    rows = []
    for label, s in data["sweeps"].items():
        o, t = s["overhead"], s["summary"]
        rows.append([label, _s(t["calls_s"]), _s(t["timed_duration_s"]), _x(o["wall_per_call_s"]),
                     _x(o["case_per_call_s"]), _n(o["harness_ms_per_case"]), _gib(s["controller_rss"]),
                     _gib(s["worker_rss"]), s["processes"], _gib(s["tree_rss"])])
    return ["## Per-case overhead and memory", "",
            "`calls` is the sum of calls_s (inside the reference's and the implementation's calls), `in cases` the "
            "sum of duration_s of the same cases; `wall/calls` is the issue's per-case overhead (with 2 workers, "
            "calls run in parallel: wall × workers / calls is the CPU-side figure), `harness ms/case` is "
            "(duration_s − calls_s) per case. Memory: VmHWM polled every 0.5 s; `tree max` is wait4's ru_maxrss.", "",
            *_table(["sweep", "calls", "in cases", "wall/calls", "cases/calls", "harness ms/case", "controller peak",
                     "largest worker peak", "child processes", "tree max"], rows)]


def section_scaling(data: dict) -> list[str]:
    sc = data.get("scaling") or {}
    if not sc:
        return []
    return ["## Scaling", "", f"numpy sweep: -n 0 {_s(sc['n0_s'])}, -n 2 {_s(sc['n2_s'])}; "
                              f"speed-up of -n 2: {_x(sc['speedup'])}"]


def section_startup(data: dict) -> list[str]:
    rows = [[f"`parity {name}`", ", ".join(_s(t) for t in s["times_s"]), _s(s["median_s"])]
            for name, s in data.get("startup", {}).items()]
    return ["## Start-up", "", *_table(["command", "runs", "median"], rows)] if rows else []


def section_aat(data: dict) -> list[str]:
    aat = data.get("aat", {})
    if not aat.get("runs"):
        return ["## array-api-tests", "", aat.get("status", "not run")]
    rows = []
    for backend, r in aat["runs"].items():
        counts = ", ".join(f"{k} {v:,}" for k, v in r["counts"].items())
        rows.append([backend, f"`{r['module']}`", _s(r["wall_s"]), counts, _s(r.get("parity_wall_s")),
                     _x(r.get("ratio")), r["returncode"]])
    extra = f" and the extra arguments `{aat['extra_args']}`" if aat.get("extra_args") else ""
    about = (f"Checkout {aat['path']} at {aat.get('revision') or 'unknown revision'} (its default --max-examples is "
             f"{aat.get('max_examples') or 'unknown'}), with `{' '.join(AAT_ARGS)}`{extra} "
             "(the same examples every run; "
             "no 800 ms deadline, which fails tests at random on a loaded machine). Without an xfails file "
             "(--aat-args) Hypothesis shrinks every failure, known ones included, and that time is counted. "
             "`ratio` is the parity sweep's wall time / array-api-tests' (for JAX, the sweep with a cold cache).")
    return ["## array-api-tests", "", about, "",
            *_table(["backend", "module", "wall", "tests", "parity sweep", "ratio", "exit"], rows)]


def section_coverage(data: dict) -> list[str]:
    cov = data.get("coverage", {})
    rows = [[b, _n(c["cases"]), _n(c["fixed_samples"]), _n(c["examples"]), _n(c["examples_per_case"]), c["source"]]
            for b, c in cov.items()]
    lines = ["## Coverage per backend", "", f"Seed {data['options']['seed']}; examples/case is the mean over the "
                                            "cases that generated examples.", "",
             *_table(["backend", "cases", "fixed samples", "examples", "examples/case", "from sweep"], rows)]
    base = data.get("baseline")
    if base:
        losses = [r for r in base["deltas"] if r["loss"]]
        rows = [[r["backend"], r["measure"], _n(r["before"]), _n(r["now"]), "**LOSS**" if r["loss"] else ""]
                for r in base["deltas"]]
        sel, opts = base.get("selection", {}), data["options"]
        differs = sel.get("seed") != opts["seed"] or (sel.get("ops") is not None and sel["ops"] != opts["ops"])
        lines += ["", f"Against the baseline {base['path']} (seed {sel.get('seed')}"
                      + (f", ops {sel['ops'] or 'all'}" if sel.get("ops") is not None else "") + "): "
                      + (f"{len(losses)} losses of coverage." if losses else "no loss of coverage.")
                      + (" **Not the same selection as this run**: compare like with like." if differs else ""), "",
                  *_table(["backend", "measure", "before", "now", "flag"], rows)]
    return lines


def render_markdown(data: dict) -> str:
    """RESULTS.md from the numbers of one run."""
    m, rev = data["machine"], data["revision"]
    versions = [[name, v] for name, v in data["versions"].items()]
    head = ["# Benchmark results", "",
            f"Measured {data['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']:.1f} GiB memory "
            f"(load average {m['load_start']} at the start, {m.get('load_end', '—')} at the end).",
            f"array-parity {rev['commit']}{' (working tree with changes)' if rev['dirty'] else ''}; seed "
            f"{data['options']['seed']}; backends {', '.join(data['options']['backends'])}"
            + (f"; ops {data['options']['ops']}" if data["options"]["ops"] else "")
            + (f"; skipped: {', '.join(data['options']['skip'])}" if data["options"]["skip"] else "") + ".",
            "Every figure below comes from this one run of `benchmarks/bench.py`.", ""]
    errors = ["## Errors", "", *(f"- {e}" for e in data["errors"]), ""] if data.get("errors") else []
    body = [section_targets(data), section_sweeps(data), section_overhead(data), section_scaling(data),
            section_startup(data), section_aat(data), section_coverage(data)]
    tail = ["## Versions", "", *_table(["library", "version"], versions), "", "## Commands", "",
            f"`python` is {data['python']}; `$TMP` a fresh temporary folder.", "", "```",
            *data["commands"], "```"]
    lines = head + errors
    for section in body:
        if section:
            lines += section + [""]
    return "\n".join(lines + tail) + "\n"


# ---- the machine

def machine_info() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in _read("/proc/cpuinfo").splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown CPU")
    mem = next((int(ln.split()[1]) * 1024 for ln in _read("/proc/meminfo").splitlines()
                if ln.startswith("MemTotal:")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem / GIB, "load_start": _load()}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _git(cwd: Path, *args: str) -> str | None:
    proc = subprocess.run(["git", "--no-optional-locks", *args], cwd=cwd, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def revision(cwd: Path) -> dict:
    status = _git(cwd, "status", "--porcelain")
    return {"commit": _git(cwd, "rev-parse", "--short", "HEAD") or "unknown",
            "dirty": bool(status), "changed_paths": len(status.splitlines()) if status else 0}


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


# ---- the parts

class Bench:
    """One run: the options, a temporary folder, and the numbers gathered so far (``data``)."""

    def __init__(self, args, tmp: Path):
        self.args, self.tmp = args, tmp
        self.logs = args.logs.resolve() if args.logs else tmp / "logs"
        self.data = {"schema": SCHEMA, "version": 1, "date": datetime.now(UTC).isoformat(timespec="seconds"),
                     "machine": machine_info(), "versions": versions(), "revision": revision(ROOT),
                     "python": sys.executable,
                     "options": {"backends": list(args.backends), "seed": args.seed, "ops": args.ops or "",
                                 "skip": list(args.skip)},
                     "commands": [], "sweeps": {}, "startup": {}, "scaling": {}, "aat": {}, "errors": []}

    def _record_command(self, argv: list[str], env: dict[str, str], cwd: Path) -> str:
        shown = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        text = (shown + " " if shown else "") + shlex.join(["python" if a == sys.executable else a for a in argv])
        text = text if cwd == ROOT else f"cd {shlex.quote(str(cwd))} && {text}"
        text = text.replace(str(self.tmp), "$TMP")
        self.data["commands"].append(text)
        return text

    def _run(self, label: str, argv: list[str], env: dict[str, str], cwd: Path, ok=(0, 1)) -> dict:
        command = self._record_command(argv, env, cwd)
        m = measure(argv, env, cwd, self.logs / _slug(label))
        if m["returncode"] not in ok:  # pytest reports its own errors on stdout
            tail = (m["stderr"].strip() or m["stdout"].strip())[-600:]
            raise BenchError(f"`{command}` exited {m['returncode']}: {tail}")
        return m

    def sweep(self, label: str, backends: list[str], *, cache: Path | None = None, workers: str | None = None):
        """One ``parity run``; a fresh JAX cache folder unless ``cache`` is given (the warm run)."""
        out = self.tmp / _slug(label)
        if cache is None:
            cache = self.tmp / f"jax-cache-{_slug(label)}"
            cache.mkdir()
        argv = [sys.executable, "-m", "parity.cli", "run", *(x for b in backends for x in ("--backend", b)),
                "--seed", str(self.args.seed), *(["--ops", self.args.ops] if self.args.ops else []),
                *(["-n", workers] if workers else []), "--out", str(out)]
        m = self._run(label, argv, {"ARRAY_PARITY_JAX_CACHE": str(cache)}, ROOT)
        try:
            summary = summarise(json.loads((out / "results.json").read_text()))
        except (OSError, ValueError, KeyError) as exc:
            raise BenchError(f"`{self.data['commands'][-1]}` wrote no readable results.json: {exc}") from None
        result = {k: v for k, v in m.items() if k not in ("stdout", "stderr")} | {"summary": summary}
        result["overhead"] = overhead(result)
        self.data["sweeps"][label] = result
        print(f"{label}: {_s(m['wall_s'])} ({summary['cases']:,} cases, {summary['examples']:,} examples, "
              f"wall/calls {_x(result['overhead']['wall_per_call_s'])}, largest worker "
              f"{_gib(m['worker_rss'])}, exit {m['returncode']})", flush=True)
        return result, cache

    def part_startup(self):
        for name in ("backends", "list"):
            argv = [sys.executable, "-m", "parity.cli", name]
            times = [self._run(f"startup-{name}-{i}", argv, {}, ROOT, ok=(0,))["wall_s"] for i in range(3)]
            del self.data["commands"][-2:]  # the same command three times
            self.data["startup"][name] = {"times_s": times, "median_s": statistics.median(times)}
            print(f"parity {name}: {', '.join(_s(t) for t in times)} (median {_s(statistics.median(times))})",
                  flush=True)

    def part_backends(self):
        for backend in self.args.backends:
            if backend != "jax":
                self.sweep(backend, [backend])
                continue
            _, cache = self.sweep("jax cold", ["jax"])
            if "jax-warm" not in self.args.skip:
                self.sweep("jax warm", ["jax"], cache=cache)

    def part_all(self):
        quickstart = tuple(self.args.backends) == BACKENDS
        result, _ = self.sweep("all", [] if quickstart else list(self.args.backends))
        result["quickstart"] = quickstart  # no --backend: the Quickstart's own command

    def part_scaling(self):
        n2, _ = self.sweep("numpy -n 2", ["numpy"], workers="2")
        n0, _ = self.sweep("numpy -n 0", ["numpy"], workers="0")
        speedup = n0["wall_s"] / n2["wall_s"]
        self.data["scaling"] = {"n2_s": n2["wall_s"], "n0_s": n0["wall_s"], "speedup": round(speedup, 2)}
        print(f"numpy -n 2 vs -n 0: speed-up {_x(speedup)}", flush=True)

    def part_aat(self):
        path = self.args.array_api_tests
        aat = self.data["aat"] = {"path": str(path), "revision": _git(path, "rev-parse", "--short", "HEAD"),
                                  "max_examples": aat_max_examples(_read(path / "conftest.py")),
                                  "extra_args": self.args.aat_args, "runs": {}}
        for backend in self.args.aat_backends:
            # a fresh working directory: a fresh Hypothesis example database (.hypothesis) for each run, as on a
            # first CI run, and nothing written into the checkout
            cwd = self.tmp / f"aat-{backend}"
            cwd.mkdir()
            argv = [sys.executable, "-m", "pytest", str(path / self.args.aat_tests), "-n", "2", "-q",
                    "-p", "no:cacheprovider", *AAT_ARGS, *shlex.split(self.args.aat_args)]
            env = {"ARRAY_API_TESTS_MODULE": AAT_MODULES[backend], **AAT_ENV.get(backend, {}),
                   **dict(kv.split("=", 1) for kv in self.args.aat_env)}
            m = self._run(f"aat-{backend}", argv, env, cwd)
            parity = self.data["sweeps"].get(backend) or self.data["sweeps"].get(f"{backend} cold")
            run = {"module": AAT_MODULES[backend], "wall_s": m["wall_s"], "returncode": m["returncode"],
                   "counts": parse_pytest_summary(m["stdout"]), "worker_rss": m["worker_rss"],
                   "parity_wall_s": parity["wall_s"] if parity else None}
            run["ratio"] = round(parity["wall_s"] / m["wall_s"], 3) if parity else None
            aat["runs"][backend] = run
            print(f"array-api-tests {backend}: {_s(m['wall_s'])} ({run['counts']}); parity sweep / array-api-tests "
                  f"{_x(run['ratio'])}", flush=True)

    def run_parts(self):
        parts = {"startup": (self.part_startup, section_startup), "backends": (self.part_backends, section_sweeps),
                 "all": (self.part_all, section_sweeps), "scaling": (self.part_scaling, section_scaling),
                 "aat": (self.part_aat, section_aat)}
        for name, (part, section) in parts.items():
            if name in self.args.skip:
                continue
            if name == "aat" and self.args.array_api_tests is None:
                self.data["aat"] = {"status": "not run (no --array-api-tests PATH)"}
                continue
            print(f"== {name}", flush=True)
            try:
                part()
            except BenchError as exc:  # keep what was measured; RESULTS.md lists the error
                self.data["errors"].append(f"{name}: {exc}")
                print(f"error in part {name}: {exc}", file=sys.stderr, flush=True)
                continue
            print("\n".join(section(self.data)) + "\n", flush=True)

    def finish(self, baseline: dict | None):
        d = self.data
        d["machine"]["load_end"] = _load()
        d["coverage"] = coverage(d)
        d["targets"] = evaluate_targets(d)
        if baseline:
            d["baseline"] = {"path": baseline["path"], "selection": baseline["selection"],
                             "deltas": coverage_deltas(baseline["coverage"], d["coverage"])}


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-")


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def load_baseline(path: Path) -> dict:
    file = path / "results.json" if path.is_dir() else path
    try:
        doc = json.loads(file.read_text())
        return {"path": str(file), "coverage": baseline_coverage(doc), "selection": baseline_selection(doc)}
    except (OSError, ValueError, KeyError) as exc:
        raise SystemExit(f"bench: --baseline {path}: {exc}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", type=_split, default=list(BACKENDS), help="default: all five CPU backends")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--skip", type=_split, default=[], help=f"parts to skip, comma-separated: {', '.join(PARTS)}")
    p.add_argument("--ops", default=None, help="passed to every sweep (a quick check of this script, not a benchmark)")
    p.add_argument("--array-api-tests", type=Path, default=None, metavar="PATH",
                   help="a checkout of data-apis/array-api-tests: run it on --aat-backends")
    p.add_argument("--aat-backends", type=_split, default=["torch"],
                   help=f"backends to run array-api-tests on (default torch): {', '.join(AAT_MODULES)}")
    p.add_argument("--aat-tests", default="array_api_tests", metavar="SEL",
                   help="what to collect, relative to the checkout (default array_api_tests: the whole suite)")
    p.add_argument("--aat-args", default="", metavar="ARGS",
                   help="extra arguments for array-api-tests' pytest, one string (e.g. '-k test_abs')")
    p.add_argument("--aat-env", action="append", default=[], metavar="NAME=VALUE",
                   help="an environment variable for array-api-tests, e.g. ARRAY_API_TESTS_XFAIL_MARK=skip; repeat")
    p.add_argument("--logs", type=Path, default=None, metavar="DIR",
                   help="keep each command's stdout and stderr here (default: a temporary folder, deleted)")
    p.add_argument("--baseline", type=Path, default=None, metavar="FILE_OR_DIR",
                   help="an earlier --json of this script, or a parity results.json (or its folder): coverage "
                        "before vs now")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    unknown = sorted(set(args.skip) - set(PARTS)) or sorted(set(args.aat_backends) - set(AAT_MODULES))
    if unknown:
        raise SystemExit(f"bench: unknown part or array-api-tests backend {unknown[0]!r}")
    if any("=" not in kv for kv in args.aat_env):
        raise SystemExit("bench: --aat-env takes NAME=VALUE")
    if args.array_api_tests is not None:
        args.array_api_tests = args.array_api_tests.resolve()
        if not (args.array_api_tests / "conftest.py").is_file():
            raise SystemExit(f"bench: {args.array_api_tests} is not a checkout of array-api-tests (no conftest.py)")
    baseline = load_baseline(args.baseline) if args.baseline else None  # before --json may overwrite it
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        bench.run_parts()
        bench.finish(baseline)
    data = bench.data
    for section in (section_targets(data), section_coverage(data)):
        print("\n".join(section) + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_markdown(data))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out} and {args.json}")
    return 1 if data["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
