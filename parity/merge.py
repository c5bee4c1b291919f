"""Joining results: the shards of one run (``parity merge``) and an interrupted run with its rest (``--resume``).

``parity run`` keeps the options it was started with in ``run.json`` next to ``records.jsonl``, so
``parity run --resume DIR`` runs exactly the cases that have no record yet, with the same selection
and seed; since each case's inputs depend only on the seed and the case id, the finished
results.json holds the same records as an uninterrupted run. ``parity merge`` joins the
results.json of shards (``--shard K/N``) and refuses inputs that do not belong together: other
seeds, examples, surface or backend settings, other library versions, an unreadable schema, or
the same case twice.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from parity import results

OPTIONS_FILE = "run.json"
OPTIONS_SCHEMA = "array-parity/run-options"
#: What decides a run's cases and their outcomes; stored for --resume (workers and verbosity are not).
RUN_OPTIONS = ("backend", "device", "surface", "ops", "dtypes", "max_examples", "seed", "no_jax_x64", "case_timeout",
               "memory_limit", "shard")
#: Run metadata that must agree between shards.
SAME = (("seed", "seeds"), ("max_examples", "--max-examples"), ("surface", "surfaces"), ("ops", "op selections"),
        ("dtypes", "dtype selections"))


class MergeError(ValueError):
    """One line saying what is wrong and what to do."""


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


# ---- parity run: options, shard and resume

def check_options(args) -> None:
    """The reliability options of ``parity run``, checked before the registry is imported."""
    from parity import shard
    from parity.plugin import parse_memory

    if args.case_timeout < 0:
        raise MergeError("--case-timeout must be 0 (no limit) or a number of seconds")
    try:
        parse_memory(args.memory_limit)
        if args.shard:
            shard.parse(args.shard)
    except ValueError as exc:
        raise MergeError(f"--memory-limit: {exc}" if "memory" in str(exc) else str(exc)) from None


def run_cases(selection, args) -> list:
    """The cases this run will have: its shard of the selection, if any."""
    from parity import shard

    cases = selection.cases()
    return shard.select(cases, *shard.parse(args.shard)) if args.shard else cases


def resume_options(args, defaults: dict) -> None:
    """Replace ``args``' run options by those stored in ``args.resume``/run.json."""
    folder = Path(args.resume)
    path = folder / OPTIONS_FILE
    if not folder.is_dir():
        raise MergeError(f"--resume {folder}: no such directory")
    given = [name for name in (*RUN_OPTIONS, "out") if getattr(args, name) != defaults[name]]
    if given:
        raise MergeError(f"--resume takes the options of the interrupted run from {path}; drop {_flag(given[0])}")
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(f"--resume {folder}: it has no {OPTIONS_FILE}, so no `parity run` was started there; "
                         f"start one with --out {folder}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MergeError(f"{path}: unreadable ({exc}); start a fresh run with --out {folder}") from None
    options = stored.get("options") if isinstance(stored, dict) and stored.get("schema") == OPTIONS_SCHEMA else None
    if not isinstance(options, dict) or any(name not in options for name in RUN_OPTIONS):
        raise MergeError(f"{path}: not the options file of `parity run`; start a fresh run with --out {folder}")
    if stored.get("schema_version") != 1:
        raise MergeError(f"{path}: written by another version of array-parity (schema_version "
                         f"{stored.get('schema_version')!r}); start a fresh run with --out {folder}")
    for name in RUN_OPTIONS:
        setattr(args, name, options[name])
    args.out = str(folder)
    check_resume_files(folder)


def check_resume_files(out: Path) -> list[dict]:
    """The records a run left in ``out``, after checking that its records log and results.json
    (if any) are ours; this needs no registry, so it is done before the selection is resolved."""
    try:
        earlier = results.read_log(out / "records.jsonl")
        if (out / "results.json").exists():
            results.read(out / "results.json")
    except results.ResultsError as exc:
        raise MergeError(f"{exc}; move it out of {out} to resume, or start afresh with --out") from None
    return earlier


def prepare_output(args, cases, out: Path) -> None:
    """Resuming: check that the folder's records and results belong to this run. A fresh run:
    store its options and take away the results of an earlier run there, so that the folder never
    shows one run's results.json next to another's records.jsonl."""
    if not args.resume:
        results.write_atomic(out / OPTIONS_FILE, json.dumps(
            {"schema": OPTIONS_SCHEMA, "schema_version": 1, "options": {k: getattr(args, k) for k in RUN_OPTIONS}},
            indent=1) + "\n")
        for name in ("results.json", "report.html"):
            (out / name).unlink(missing_ok=True)
        return
    log = out / "records.jsonl"
    earlier = check_resume_files(out)
    ids = {c.id for c in cases}
    foreign = next((r["id"] for r in earlier if r["id"] not in ids), None)
    if foreign:
        raise MergeError(f"{log}: holds case {foreign!r}, which the run stored in {out / OPTIONS_FILE} does not "
                         f"select; start afresh with --out")


# ---- parity merge

def _load(path: Path) -> tuple[Path, dict]:
    target = path / "results.json" if path.is_dir() else path
    try:
        return target, results.read(target)
    except results.ResultsError as exc:
        raise MergeError(f"{exc} (parity merge takes the output folders of `parity run --shard K/N`)") from None


def check_compatible(docs: list[tuple[Path, dict]]) -> None:
    """Refuse, in one line, shards that are not parts of one run."""
    (p0, d0), rest = docs[0], docs[1:]
    for path, doc in rest:
        for key, label in SAME:
            if doc["run"].get(key) != d0["run"].get(key):
                raise MergeError(f"cannot merge results with different {label}: {p0} has {d0['run'].get(key)!r}, "
                                 f"{path} has {doc['run'].get(key)!r}")
        libs0, libs = d0["run"]["libraries"], doc["run"]["libraries"]
        for lib in sorted(set(libs0) & set(libs)):  # a backend's library need only be installed where it runs
            if libs0[lib] != libs[lib]:
                raise MergeError(f"cannot merge results of different library versions: {lib} is {libs0[lib]} in "
                                 f"{p0} but {libs[lib]} in {path}")
        settings0 = {b["name"]: (b.get("device"), b.get("settings")) for b in d0["run"]["backends"]}
        for b in doc["run"]["backends"]:
            if b["name"] in settings0 and settings0[b["name"]] != (b.get("device"), b.get("settings")):
                raise MergeError(f"cannot merge results with different settings of backend {b['name']!r}: "
                                 f"{settings0[b['name']]} in {p0}, {(b.get('device'), b.get('settings'))} in {path}")
    shards = [(path, doc["run"].get("shard")) for path, doc in docs]
    counts = {s.split("/")[1] for _, s in shards if s}
    if len(counts) > 1:
        raise MergeError(f"cannot merge shards of different splits: {', '.join(f'{p} is {s}' for p, s in shards)}")
    seen: dict[str, Path] = {}
    for path, doc in docs:
        for r in doc["records"]:
            if r["id"] in seen:
                raise MergeError(f"case {r['id']!r} is in both {seen[r['id']]} and {path}: each shard must be given "
                                 f"once")
            seen[r["id"]] = path


def _whole(shards: set[str]) -> bool:
    """Whether shards K/N are all of 1..N."""
    n = int(next(iter(shards)).split("/")[1])
    return shards == {f"{k}/{n}" for k in range(1, n + 1)}


def merged(docs: list[tuple[Path, dict]]) -> dict:
    """One document from parts: the shards of one or more backends' runs (CI's backends x shards)."""
    runs = [doc["run"] for _, doc in docs]
    parts: dict[tuple, set] = {}  # the backends a run covered -> the shards of it that are here
    for r in runs:
        parts.setdefault(tuple(sorted(b["name"] for b in r["backends"])), set()).add(r.get("shard") or "1/1")
    covered = all(_whole(got) for got in parts.values())
    backends = {b["name"]: b for r in runs for b in r["backends"]}
    run = dict(runs[0]) | {
        "backends": list(backends.values()),
        "libraries": {k: v for r in runs for k, v in r["libraries"].items()},
        "started": min(r["started"] for r in runs),
        "finished": max(r.get("finished", r["started"]) for r in runs),
        "duration_s": round(sum(r.get("duration_s", 0) for r in runs), 2),
        "interrupted": any(r.get("interrupted") for r in runs),
        "complete": covered and all(r.get("complete") for r in runs),
        "cases_selected": sum(r.get("cases_selected", 0) for r in runs),
        "unavailable": {k: v for r in runs for k, v in r.get("unavailable", {}).items()},
        "argv": sys.argv,
        "shard": None,
        "shards": [{"shard": r.get("shard"), "from": str(path), "cases": len(doc["records"]),
                    "duration_s": r.get("duration_s")} for (path, doc), r in zip(docs, runs)],
    }
    return results.document(run, [r for _, doc in docs for r in doc["records"]])


def merge_dirs(dirs: list[Path], out: Path) -> int:
    """``parity merge``: exit 0 when nothing fails the gate, 1 otherwise (like ``parity run``)."""
    from parity import report
    from parity.plugin import _write_reproducers
    from parity.taxonomy import FAILING

    docs = [_load(d) for d in dirs]
    check_compatible(docs)
    if problem := results.unwritable(out):
        raise MergeError(f"{problem}; choose another with -o")
    doc = merged(docs)
    results.write(out / "results.json", doc)
    report.write_html(doc, out / "report.html")
    _write_reproducers(doc, out / "reproducers")
    for line in report.summary_lines(doc):
        print(line)
    print(f"results: {out / 'results.json'}\nreport:  {out / 'report.html'}")
    if not doc["run"]["complete"]:
        given = ", ".join(str(r["shard"]) for r in doc["run"]["shards"])
        print(f"parity merge: incomplete: shards {given} do not cover the whole run, or one was interrupted",
              file=sys.stderr)
    return 1 if any(r["status"] in FAILING for r in doc["records"]) else 0
