"""``parity baseline``: committed baselines, and what a fresh run added or removed against them.

``baselines/<backend>.json`` is the compact form of one backend's results.json: the options that decide
its cases, the library versions that decide their outcomes, the ``parity run`` command that reproduces
it, and per case its status and, per divergence, what ``parity diff`` matches and grades it by
(category, status, detail, sizes). Nothing measured (``parity.results.MEASURED``), no inputs, no
reproducers, no arbiter grades (the arbiter stops after a time budget, so how many elements it graded
varies between two runs of the same code). One case per line, keys in a fixed order: the git diff of a
pull request that changes a baseline reads as the list of cases that changed.

``parity baseline diff RESULTS`` is ``parity diff`` of each backend's baseline against its part of
RESULTS, warning where the run's options or library versions differ from the baseline's: the diff then
shows more than the change under review. Only the standard library (and parity.options, which needs
no more) is imported at module level, so that building ``parity``'s parser stays cheap.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path
from typing import Any

from parity.options import usage_error as _fail

SCHEMA = "array-parity/baseline"
SCHEMA_VERSION = 1
DEFAULT_DIR = "baselines"
#: Distributions that decide every backend's outcomes besides the backend's own. Python by its minor
#: version: its bug-fix releases do not change results, and CI's setup-python takes the newest.
SHARED_LIBRARIES = ("python", "numpy", "scipy", "hypothesis", "array-api-compat")
#: Backend settings that say where something is kept, not how a case runs: neither compared nor rerun.
LOCAL_SETTINGS = {"jax": ("compilation_cache",)}
#: Case statuses whose ``reason`` is what ``parity diff`` shows as the case's own divergence.
REASONED = ("crash", "timeout", "harness-error")
#: What names a conformance divergence (the function and the standard's rule it breaks): not compared, but
#: without it the lines of an area read as one sentence of the standard repeated.
NAMES = ("function", "rule")
#: Options compared here; seed, examples and surface are ``parity.diff.Diff.warnings``'s.
COMPARED_OPTIONS = (("domain", "domains"), ("spec", "versions of the standard"), ("dtypes", "dtype selections"),
                    ("device", "devices"), ("settings", "backend settings"))


class BaselineError(ValueError):
    """One line saying what is wrong and what to do."""


def file_name(backend: str) -> str:
    """A baseline's file name: the backend's name, anything but letters, digits and ``._-`` as ``_``
    (``mylib.xp:namespace`` -> ``mylib.xp_namespace.json``; the file says whose it is)."""
    return re.sub(r"[^\w.-]+", "_", backend, flags=re.ASCII) + ".json"


# ---- the compact form
def compact_divergence(d: dict[str, Any]) -> dict[str, Any]:
    """What ``parity diff`` compares of a divergence; of a nondeterministic one only its presence and status."""
    from parity.diff import COMPARED, NONDETERMINISTIC

    named = {k: d[k] for k in NAMES if d.get(k) is not None}
    if d.get(NONDETERMINISTIC):
        return {"category": d["category"], **named, "status": d["status"], NONDETERMINISTIC: True}
    return {"category": d["category"], **named, **{k: d[k] for k in COMPARED if d.get(k) is not None}}


def compact_record(r: dict[str, Any]) -> str | dict[str, Any]:
    """A case: its status alone when that is all ``parity diff`` reads of it."""
    out: dict[str, Any] = {"status": r["status"]}
    if r["status"] in REASONED:
        out["reason"] = r.get("reason", "")
    if r.get("unreadable"):
        out["unreadable"] = {k: r["unreadable"][k] for k in ("count", "reason") if k in r["unreadable"]}
    if r.get("divergences"):
        out["divergences"] = [compact_divergence(d) for d in r["divergences"]]
    return out["status"] if len(out) == 1 else out


def deciding_settings(backend: str, settings: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(settings.items()) if k not in LOCAL_SETTINGS.get(backend, ())}


def run_options(run: dict[str, Any], backend: str, records: list[dict[str, Any]], whole: bool) -> dict[str, Any]:
    """The options that decided one backend's cases; ``ops`` None for the whole registry."""
    entry = next((b for b in run.get("backends", []) if b["name"] == backend), {})
    specs = sorted({r["spec"] for r in records if r.get("spec")})
    return {"seed": run.get("seed"), "max_examples": run.get("max_examples"), "surface": run.get("surface"),
            "domain": run.get("domain"), "spec": specs[0] if specs else None,
            "ops": None if whole else list(run.get("ops") or ()), "dtypes": run.get("dtypes"),
            "device": entry.get("device"), "settings": deciding_settings(backend, entry.get("settings") or {})}


def libraries(run: dict[str, Any], backend: str) -> dict[str, str]:
    """The versions that decide one backend's outcomes: the shared ones and the backend's own (its
    distributions, or for a namespace that is no distribution its reported version)."""
    have, own = run.get("libraries", {}), _own_libraries(backend)
    out = {lib: have[lib] for lib in (*SHARED_LIBRARIES, *own) if lib in have}
    if not any(lib in have for lib in own):
        entry = next((b for b in run.get("backends", []) if b["name"] == backend), {})
        if entry.get("version"):
            out[backend] = entry["version"]
    if "python" in out:
        out["python"] = ".".join(out["python"].split(".")[:2])
    return out


def _own_libraries(backend: str) -> tuple[str, ...]:
    from parity.backends import get_backend

    try:
        return tuple(lib for lib in get_backend(backend).libraries() if lib)
    except Exception:  # noqa: BLE001 - a backend this machine cannot load: its own versions then come from the run
        return ()


def rerun_command(backend: str, options: dict[str, Any]) -> list[str]:
    """The ``parity run`` command line that runs a baseline's cases again (every option spelled out)."""
    args = ["parity", "run", "--backend", backend]
    for flag, key in (("--device", "device"), ("--surface", "surface"), ("--domain", "domain"), ("--spec", "spec"),
                      ("--seed", "seed"), ("--max-examples", "max_examples")):
        if options.get(key) is not None:
            args += [flag, str(options[key])]
    for flag, key in (("--ops", "ops"), ("--dtypes", "dtypes")):
        if options.get(key):
            args += [flag, ",".join(options[key])]
    for key, value in options.get("settings", {}).items():
        if value is not None:
            args += ["--backend-setting", f"{backend}.{key}={str(value).lower() if isinstance(value, bool) else value}"]
    return args


def compact(doc: dict[str, Any], backend: str, whole: bool) -> dict[str, Any]:
    """One backend's baseline from a results document (``whole``: the run selected the whole registry)."""
    from parity.taxonomy import STATUSES

    run = doc["run"]
    records = sorted((r for r in doc["records"] if r.get("backend") == backend), key=lambda r: r["id"])
    options = run_options(run, backend, records, whole)
    counts = collections.Counter(r["status"] for r in records)
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "backend": backend, "run_started": run.get("started"),
            "command": rerun_command(backend, options), "options": options, "libraries": libraries(run, backend),
            "cases_by_status": {s: counts[s] for s in STATUSES if counts[s]},
            "cases": {r["id"]: compact_record(r) for r in records}}


def _one(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _case_lines(cid: str, case: str | dict[str, Any]) -> str:
    """A case on one line; one with several divergences (a conformance area's) a line per divergence."""
    divergences = case.get("divergences", []) if isinstance(case, dict) else []
    if len(divergences) < 2:
        return f"  {_one(cid)}: {_one(case)}"
    head = _one({k: v for k, v in case.items() if k != "divergences"})[:-1]
    return "\n".join([f'  {_one(cid)}: {head}, "divergences": [', ",\n".join(f"   {_one(d)}" for d in divergences),
                      "  ]}"])


def dumps(baseline: dict[str, Any]) -> str:
    """JSON with one line per field and, under ``cases``, per case (per divergence of a case with several)."""
    head = [f" {_one(k)}: {_one(v)}" for k, v in baseline.items() if k != "cases"]
    cases = [_case_lines(cid, case) for cid, case in baseline["cases"].items()]
    body = "{\n" + ",\n".join(cases) + "\n }" if cases else "{}"
    return "{\n" + ",\n".join([*head, f' "cases": {body}']) + "\n}\n"


def read(path: Path) -> dict[str, Any]:
    """A baseline file, checked; BaselineError (one line) for anything else."""
    redo = "write it again with `parity baseline write RESULTS`"
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc}); {redo}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise BaselineError(f"{path}: not an array-parity baseline (schema is not {SCHEMA!r}); {redo}")
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise BaselineError(f"{path}: baseline schema_version {doc.get('schema_version')!r}, this array-parity reads "
                            f"{SCHEMA_VERSION}; {redo}")
    problem = _problem(doc)
    if problem:
        raise BaselineError(f"{path}: {problem}; {redo}")
    return doc


def _problem(doc: dict[str, Any]) -> str | None:
    from parity.taxonomy import STATUSES

    for key, kind in (("backend", str), ("options", dict), ("libraries", dict), ("cases", dict)):
        if not isinstance(doc.get(key), kind):
            return f"{key} is missing or not a {kind.__name__}"
    for cid, case in doc["cases"].items():
        status = case if isinstance(case, str) else case.get("status") if isinstance(case, dict) else None
        if status not in STATUSES:
            return f"case {cid!r}: status {status!r} is not one of {', '.join(STATUSES)}"
        divergences = case.get("divergences", []) if isinstance(case, dict) else []
        if not (isinstance(divergences, list) and all(isinstance(d, dict) and d.get("status") in STATUSES
                                                      and isinstance(d.get("category"), str) for d in divergences)):
            return f"case {cid!r}: divergences must be a list of objects with a category and a status"
    return None


def expand(baseline: dict[str, Any]) -> dict[str, Any]:
    """The baseline as a document that ``parity.diff.diff`` compares: its run and its records."""
    records = [{"id": cid, "backend": baseline["backend"], **({"status": case} if isinstance(case, str) else case)}
               for cid, case in baseline["cases"].items()]
    options = baseline["options"]
    run = {"started": baseline.get("run_started"), "libraries": baseline["libraries"],
           **{k: options.get(k) for k in ("seed", "max_examples", "surface")}}
    return {"run": run, "records": records}


# ---- reading runs
def load_results(paths) -> dict[str, tuple[str, dict[str, Any]]]:
    """backend -> (its results file, the document) for every backend of ``paths`` (results.json files or
    the folders holding them); a backend in two of them is refused."""
    from parity import results

    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for given in paths:
        path = results.results_file(given)
        try:
            doc = results.read(path)
        except results.ResultsError as exc:
            raise BaselineError(str(exc)) from None
        names = [*(b["name"] for b in doc["run"].get("backends", [])), *(r.get("backend") for r in doc["records"])]
        for name in dict.fromkeys(n for n in names if n):
            if name in found:
                raise BaselineError(f"backend {name!r} is in both {found[name][0]} and {path}: give each backend's "
                                    f"results once")
            found[name] = (str(path), doc)
    return found


def _whole_registry(ops: list[str] | None) -> bool:
    """Whether a run selected every op of the registry (its baseline then reruns whatever the registry holds)."""
    if ops is None:
        return True
    import opinfo

    return set(ops) == set(opinfo.REGISTRY)


def write(paths, folder: Path) -> list[tuple[Path, dict[str, Any], int]]:
    """``parity baseline write``: (file, baseline, bytes) per backend of ``paths``, written to ``folder``."""
    from parity.results import write_atomic

    runs = load_results(paths)
    for path, doc in runs.values():
        run = doc["run"]
        if run.get("shard"):
            raise BaselineError(f"{path} is shard {run['shard']} of a run: a baseline holds every case; join the "
                                f"shards first (parity merge DIR... -o OUT) and write it from OUT")
        if run.get("interrupted") or not run.get("complete", True):
            raise BaselineError(f"{path} is an incomplete run (interrupted, or shards missing): a baseline holds every "
                                f"case; finish it first (parity run --resume DIR)")
    whole = {path: _whole_registry(doc["run"].get("ops")) for path, doc in runs.values()}
    written = []
    for backend, (path, doc) in runs.items():
        baseline = compact(doc, backend, whole[path])
        text = dumps(baseline)
        target = Path(folder) / file_name(backend)
        write_atomic(target, text)
        written.append((target, baseline, len(text.encode())))
    return written


# ---- comparing
def option_warnings(baseline: dict[str, Any], run: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    """Where a run's case-deciding options differ from the baseline's (seed, examples and surface aside:
    ``parity.diff`` warns of those)."""
    backend, was = baseline["backend"], baseline["options"]
    now = run_options(run, backend, records, whole=was.get("ops") is None)
    out = [f"the run used other {label} than the baseline ({now[key]} and {was.get(key)}): some differences may "
           f"come from the options, not from this change" for key, label in COMPARED_OPTIONS
           if key in was and now[key] != was[key] and not (key == "spec" and now[key] is None)]
    ops_of = {i.partition("[")[0] for i in baseline["cases"]}
    missing = sorted(ops_of - {r["id"].partition("[")[0] for r in records})
    if was.get("ops") is not None and set(now["ops"]) != set(was["ops"]):
        out.append(f"the run selected other ops than the baseline ({len(now['ops'])} and {len(was['ops'])} ops)")
    elif missing:
        out.append(f"the run did not check {len(missing)} of the baseline's ops ({', '.join(missing[:5])}"
                   f"{', ...' if len(missing) > 5 else ''}): their cases are not compared")
    return out


def version_warning(d) -> list[str]:
    changes = d.library_changes()
    if not changes:
        return []
    return ["the run's library versions differ from the baseline's (" + ", ".join(f"{k} {a} -> {b}" for k, a, b in
            changes) + "): differences may come from the libraries, not from this change; when the new versions "
            "are the ones to keep, rewrite the baseline (nox -s update_baselines)"]


def compare(paths, folder: Path) -> tuple[list[tuple[str, Path, str, Any]], list[str], list[Path]]:
    """``parity baseline diff``: ([(backend, baseline file, results file, Diff)], backends without a baseline,
    baselines without results)."""
    from parity import diff

    runs, folder = load_results(paths), Path(folder)
    compared, missing = [], []
    for backend, (path, doc) in runs.items():
        target = folder / file_name(backend)
        if not target.is_file():
            missing.append(backend)
            continue
        baseline = read(target)
        if baseline["backend"] != backend:
            raise BaselineError(f"{target} is the baseline of backend {baseline['backend']!r}, not of {backend!r}: "
                                f"rename it, or write {backend}'s with `parity baseline write`")
        records = [r for r in doc["records"] if r.get("backend") == backend]
        run = doc["run"] | {"libraries": libraries(doc["run"], backend)}
        d = diff.diff(expand(baseline), {"run": run, "records": records})
        d.notes += version_warning(d) + option_warnings(baseline, doc["run"], records)
        compared.append((backend, target, path, d))
    if not compared:
        files = ", ".join(str(folder / file_name(b)) for b in runs) or "none"
        raise BaselineError(f"no baseline for any backend of the results ({', '.join(runs) or 'none'}; looked for "
                            f"{files}): write one with `parity baseline write RESULTS -o {folder}`")
    matched = {file_name(b) for b in runs}
    unused = sorted(p for p in folder.glob("*.json") if p.name not in matched)
    return compared, missing, unused


def text_lines(compared, missing, unused, folder: Path) -> list[str]:
    from parity import diff

    lines = []
    for backend, target, path, d in compared:
        lines += [f"== {backend}: {target} (run {d.old['run'].get('started')}) -> {path}", *diff.text_lines(d), ""]
    lines += [f"no baseline for {b} ({Path(folder) / file_name(b)}): not compared; write one with `parity baseline "
              f"write RESULTS -o {folder}`" for b in missing]
    lines += [f"{p}: its backend is not in the results: not compared" for p in unused]
    worse = [b for b, _, _, d in compared if d.exit_status]
    lines.append(f"parity baseline: {len(compared)} backend(s) compared; "
                 + (f"worse than the baseline: {', '.join(worse)}" if worse else "nothing worse than the baselines"))
    return lines


def markdown(compared, missing, unused) -> str:
    """The CI job summary: a headline, then ``parity diff``'s Markdown per backend."""
    from parity.summary import MAX_CHARS, diff_markdown

    worse = [b for b, _, _, d in compared if d.exit_status]
    head = f"❌ worse than the baseline: {', '.join(worse)}" if worse else "✅ nothing worse than the baselines"
    parts = [f"## array-parity baseline: {head} ({len(compared)} backend{'s' if len(compared) != 1 else ''})\n"]
    budget = MAX_CHARS // max(len(compared), 1)
    parts += [diff_markdown(d, max_chars=budget, title=f"### {backend} against `{target}`")
              for backend, target, _, d in compared]
    notes = [f"no baseline for `{b}`" for b in missing] + [f"`{p}` has no results here" for p in unused]
    if notes:
        parts.append("Not compared: " + "; ".join(notes) + ".\n")
    return "\n".join(parts)


def html_file(html: str, backend: str, several: bool) -> Path:
    """Where one backend's HTML diff goes: FILE itself, or FILE-<backend> when several backends share it."""
    path = Path(html)
    return path.with_name(f"{path.stem}-{file_name(backend)[:-5]}{path.suffix}") if several else path


# ---- the command
def add_parser(sub) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("baseline", help="write committed baselines (baselines/<backend>.json), diff a run against them",
                       description="Committed baselines (baselines/<backend>.json): write them from a run, diff a "
                                   "fresh run against them.", formatter_class=raw,
                       epilog='example:\n  parity baseline diff reports/merged --markdown "$GITHUB_STEP_SUMMARY"')
    actions = p.add_subparsers(dest="action", required=True)
    w = actions.add_parser("write", help="write baselines/<backend>.json for each backend of the results",
                           formatter_class=raw, epilog="example:\n  parity baseline write reports/merged -o baselines")
    w.add_argument("results", nargs="+", metavar="RESULTS",
                   help="results.json files or the folders holding them (e.g. a merged run of several backends)")
    w.add_argument("-o", "--out", default=DEFAULT_DIR, metavar="DIR", help=f"where to write (default {DEFAULT_DIR})")
    d = actions.add_parser("diff", help="what a run added or removed against the baselines; exit 1 if worse",
                           formatter_class=raw, epilog="example:\n  parity baseline diff reports/torch --html d.html")
    d.add_argument("results", nargs="+", metavar="RESULTS", help="results.json files or the folders holding them")
    d.add_argument("--baselines", default=DEFAULT_DIR, metavar="DIR", help=f"the baselines (default {DEFAULT_DIR})")
    d.add_argument("--markdown", metavar="FILE", help="append the diff as Markdown (a CI job summary: "
                                                      "$GITHUB_STEP_SUMMARY)")
    d.add_argument("--html", metavar="FILE", help="also write the diff as an HTML page (FILE-<backend> for several)")


def run(args) -> int:
    """write: 0 once written; diff: 0 when nothing is worse, 1 when something is; 2 for bad input."""
    try:
        lines, status = _write(args) if args.action == "write" else _diff(args)
    except BaselineError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename}: {exc.strerror}")
    print("\n".join(lines))
    return status


def _write(args) -> tuple[list[str], int]:
    lines = []
    for target, baseline, size in write(args.results, Path(args.out)):
        counts = ", ".join(f"{n} {s}" for s, n in baseline["cases_by_status"].items())
        lines.append(f"{target}: {len(baseline['cases'])} cases ({counts}), {size / 1024:.0f} KiB")
    return lines, 0


def _diff(args) -> tuple[list[str], int]:
    from parity import diff

    compared, missing, unused = compare(args.results, Path(args.baselines))
    if args.html:
        for backend, target, path, d in compared:
            diff.write_html(d, html_file(args.html, backend, len(compared) > 1), (str(target), path))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as fh:
            fh.write(markdown(compared, missing, unused) + "\n")
    return text_lines(compared, missing, unused, Path(args.baselines)), int(any(d.exit_status for *_, d in compared))
