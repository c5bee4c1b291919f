"""``--shard K/N``: split a run's cases into N parts of about equal expected *time*, deterministically.

Case durations differ by two orders of magnitude (a JAX case compiles every new input shape, a
NumPy elementwise case takes milliseconds), so equal *counts* would leave one machine waiting for
another. Expected cost comes from measured durations shipped as data (``data/case_costs.json``):
a case's mean seconds where its backend and op were measured, else the op's mean seconds on the
reference backend (the one measured over the whole registry) times a factor per backend (the
median ratio of its durations to the reference's over the ops measured on both); ``python -m
parity.shard results.json|records.jsonl ...`` refits it from new sweeps. An op never measured
costs the median op; a backend never measured (``module:attribute`` namespaces, usually
NumPy-like) gets NumPy's factor. Cases are dealt out largest first to the
least-loaded shard (longest-processing-time first), ties broken by case id, so every machine
computes the same partition from the same selection without talking to the others.
"""

from __future__ import annotations

import heapq
import json
import statistics
import sys
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

COSTS_FILE = "case_costs.json"


class ShardError(ValueError):
    pass


def parse(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3); a one-line ShardError otherwise."""
    k, sep, n = str(text).partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit() or not 1 <= int(k) <= int(n):
        raise ShardError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. --shard 2/3")
    return int(k), int(n)


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(resources.files("parity").joinpath("data", COSTS_FILE).read_text(encoding="utf-8"))


def cost(case) -> float:
    """Expected seconds for one case: as measured for its backend and op, else the op's cost on the
    reference backend times the backend's factor."""
    table = _table()
    measured = table["measured"].get(case.backend, {}).get(case.op)
    if measured is not None:
        return measured
    factor = table["backends"].get(case.backend, table["backends"]["numpy"])
    return factor * table["ops"].get(case.op, table["default_op"])


def partition(cases, n: int) -> list[list]:
    """The N shards of ``cases``: largest expected cost first onto the least-loaded shard."""
    costed = sorted(((cost(c), c.id, c) for c in cases), key=lambda t: (-t[0], t[1]))
    heap = [(0.0, i) for i in range(n)]
    shards: list[list] = [[] for _ in range(n)]
    for seconds, _, case in costed:
        load, i = heapq.heappop(heap)
        shards[i].append(case)
        heapq.heappush(heap, (load + seconds, i))
    return shards


def select(cases, k: int, n: int) -> list:
    """Shard K of N (1-based), in the selection's own order."""
    chosen = {c.id for c in partition(cases, n)[k - 1]}
    return [c for c in cases if c.id in chosen]


def fit(documents: list[dict]) -> dict:
    """The cost table from the records (with ``duration_s``) of results documents or records logs.

    An op's cost is its mean duration on the backend measured for the most ops (the reference); a
    backend's factor is the median, over the ops measured on both, of its duration over the
    reference's. Op costs thus come from one full sweep, and a backend measured on a part of the
    registry still gets a factor."""
    durations: dict = defaultdict(lambda: defaultdict(list))
    for doc in documents:
        for r in doc["records"]:
            if r.get("duration_s") is not None and r.get("status") not in ("skipped", "unsupported", "crash",
                                                                            "timeout"):
                durations[r["backend"]][r["op"]].append(r["duration_s"])
    means = {b: {op: max(statistics.fmean(v), 1e-4) for op, v in ops.items()} for b, ops in durations.items()}
    reference = max(means, key=lambda b: len(means[b]))
    ops = dict(means[reference])
    factors = {b: statistics.median(m[op] / ops[op] for op in m if op in ops) for b, m in means.items()}
    for b, m in means.items():  # ops the reference lacks: scaled from the other backends
        for op, seconds in m.items():
            ops.setdefault(op, seconds / factors[b])
    return {
        "about": "expected seconds per case = measured[backend][op], else backends[backend] (numpy's if absent) "
                 "x ops[op] (default_op if absent); fitted by parity.shard.fit from measured sweeps",
        "reference": reference,
        "default_op": round(statistics.median(ops.values()), 4),
        "backends": {b: round(f, 3) for b, f in sorted(factors.items())},
        "ops": {op: round(v, 4) for op, v in sorted(ops.items())},
        "measured": {b: {op: round(v, 4) for op, v in sorted(m.items())} for b, m in sorted(means.items())
                     if b != reference},
    }


def _load(path: str) -> dict:
    from parity import results

    return {"records": results.read_log(Path(path))} if path.endswith(".jsonl") else results.read(Path(path))


if __name__ == "__main__":  # python -m parity.shard results.json|records.jsonl... > parity/data/case_costs.json
    print(json.dumps(fit([_load(p) for p in sys.argv[1:]]), indent=1))
