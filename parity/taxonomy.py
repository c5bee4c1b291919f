"""Known, new and stale: matching found divergences against the registry's declarations.

Pure functions over plain data so the rules can be tested without a backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opinfo.spec import Expected

#: Case statuses, worst first. A case takes the worst status of its divergences. ``harness-error``: the
#: harness's own code failed on the case; ``unreadable``: inputs it could not hand to the library or
#: results it could not read back (those were not checked) -- both the harness's side, never the library's.
STATUSES = ("crash", "timeout", "harness-error", "new", "stale", "unreadable", "known", "parity", "unsupported",
            "skipped")
#: Statuses that fail a CI gate: a divergence, or a case that could not be checked in full.
FAILING = ("crash", "timeout", "harness-error", "new", "stale", "unreadable")
#: Statuses of a case as a whole (drawn as one card of their own, beside any divergences).
CASE_FAULTS = ("crash", "timeout", "harness-error", "unreadable")


def worst(statuses: Iterable[str], default: str = "parity") -> str:
    ranked = sorted(statuses, key=STATUSES.index)
    return ranked[0] if ranked else default


def declaration_for(category: str, detail: str, declared: Sequence[Expected]) -> int | None:
    """Index of the first declaration covering a divergence: same category, and its ``match``
    pattern (if any) found in the divergence's detail, so that one declared error does not
    hide a different, new error of the same op."""
    return next((i for i, exp in enumerate(declared) if matches(exp, category, detail)), None)


def matches(exp: Expected, category: str, detail: str | None) -> bool:
    """A declaration's category and ``match`` pattern against a divergence (its bounds aside)."""
    return exp.category == category and (exp.match is None or re.search(exp.match, detail or "") is not None)


def classify(divergences: Sequence[dict[str, Any]], declared: Sequence[Expected],
             covered_by: Sequence[int | None] | None = None) -> tuple[list[dict], str]:
    """Mark each found divergence known (declared for this case) or new; add a stale entry
    for each declaration that did not occur. Returns the divergences and the case status.
    ``covered_by`` gives, per divergence, the covering declaration's index as :func:`judge` found
    it; without it, category and ``match`` decide (for records read back, where bounds are gone)."""
    if covered_by is None:
        covered_by = [declaration_for(d["category"], d.get("detail", ""), declared) for d in divergences]
    out = []
    for div, index in zip(divergences, covered_by):
        if index is None:
            out.append(div | {"status": "new"})
        else:
            exp = declared[index]
            varies = {"nondeterministic": True} if exp.nondeterministic else {}
            out.append(div | {"status": "known", "reason": exp.reason, "link": exp.link} | varies)
    for i, exp in enumerate(declared):  # stale: no divergence of its category and match at all
        occurred = i in covered_by or any(declaration_for(d["category"], d.get("detail", ""), [exp]) == 0
                                          for d in divergences)
        if not (occurred or exp.wide):
            out.append({"category": exp.category, "status": "stale", "reason": exp.reason, "link": exp.link,
                        "detail": "declared in the registry but did not occur in this run"})
    return out, worst((d["status"] for d in out), default="parity")


#: What ``--fail-on`` may name: every status but parity (``none`` alone: nothing fails the run).
GATEABLE = tuple(s for s in STATUSES if s != "parity")


def parse_fail_on(values: Iterable[str]) -> tuple[str, ...]:
    """``--fail-on`` (comma-separated, repeatable) -> the statuses that fail a run, in :data:`STATUSES`
    order; nothing given is today's gate (:data:`FAILING`). Raises ValueError with one line."""
    names = [v.strip() for value in values for v in str(value).split(",") if v.strip()]
    if not names:
        return FAILING
    if names == ["none"]:
        return ()
    unknown = [n for n in names if n not in GATEABLE]
    if unknown:
        raise ValueError(f"--fail-on: {unknown[0]!r} is not a status; choose from {','.join(GATEABLE)} or none")
    return tuple(s for s in STATUSES if s in names)


def statuses_of(record: dict[str, Any]) -> set[str]:
    """Every status a case shows: its own, its divergences' (a case that is new may also hold a stale
    declaration) and ``unreadable`` where some of its inputs or results could not be checked."""
    found = {record["status"], *(d["status"] for d in record.get("divergences") or ())}
    return found | ({"unreadable"} if record.get("unreadable") else set())


def failing_status(record: dict[str, Any], gate: Sequence[str] = FAILING) -> str | None:
    """The worst status by which a case fails a run gated on ``gate`` (``--fail-on``); None if it passes."""
    shown = statuses_of(record).intersection(gate)
    return worst(shown) if shown else None


def fails(record: dict[str, Any], gate: Sequence[str] = FAILING) -> bool:
    """Whether a case fails a run gated on ``gate``."""
    return failing_status(record, gate) is not None
