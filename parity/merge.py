"""``parity merge``: join the results of shards (``parity run --shard K/N``) into one run.

It refuses inputs that do not belong together: other seeds, examples, surface or backend settings,
other library versions, an unreadable schema, or the same case twice. (Finishing an interrupted
run, ``--resume``, is the session's: :mod:`parity.session`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from parity import results

#: Run metadata that must agree between shards.
SAME = (("seed", "seeds"), ("max_examples", "--max-examples"), ("surface", "surfaces"), ("ops", "op selections"),
        ("dtypes", "dtype selections"))


class MergeError(ValueError):
    """One line saying what is wrong and what to do."""


def _load(path: Path) -> tuple[Path, dict]:
    target = results.results_file(path)
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


def merge_dirs(dirs: list[Path], out: Path, fail_on: tuple[str, ...] = ()) -> int:
    """``parity merge``: exit 0 when nothing fails the gate, 1 otherwise (like ``parity run``). The gate is
    ``fail_on`` when given, else every status that failed any of the shards' runs."""
    from parity import report
    from parity.session import write_outputs
    from parity.taxonomy import fails, parse_fail_on

    try:
        asked = parse_fail_on(fail_on) if fail_on else None
    except ValueError as exc:
        raise MergeError(str(exc)) from None
    docs = [_load(d) for d in dirs]
    check_compatible(docs)
    if problem := results.unwritable(out):
        raise MergeError(f"{problem}; choose another with -o")
    doc = merged(docs)
    gate = asked if asked is not None else report.gate_of([d for _, d in docs])
    doc["run"]["fail_on"] = list(gate)
    write_outputs(doc, out)
    print("\n".join(report.closing_lines(doc, out)))
    if not doc["run"]["complete"]:
        given = ", ".join(str(r["shard"]) for r in doc["run"]["shards"])
        print(f"parity merge: incomplete: shards {given} do not cover the whole run, or one was interrupted",
              file=sys.stderr)
    return 1 if any(fails(r, gate) for r in doc["records"]) else 0
