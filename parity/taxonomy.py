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
            out.append(div | {"status": "known", "reason": declared[index].reason, "link": declared[index].link})
    for i, exp in enumerate(declared):  # stale: no divergence of its category and match at all
        occurred = i in covered_by or any(declaration_for(d["category"], d.get("detail", ""), [exp]) == 0
                                          for d in divergences)
        if not (occurred or exp.wide):
            out.append({"category": exp.category, "status": "stale", "reason": exp.reason, "link": exp.link,
                        "detail": "declared in the registry but did not occur in this run"})
    return out, worst((d["status"] for d in out), default="parity")
