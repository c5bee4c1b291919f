"""Known, new and stale: matching found divergences against the registry's declarations.

Pure functions over plain data so the rules can be tested without a backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opinfo.spec import Expected

#: Case statuses, worst first. A case takes the worst status of its divergences.
STATUSES = ("crash", "timeout", "new", "stale", "known", "parity", "unsupported", "skipped")
#: Statuses that fail a CI gate.
FAILING = ("crash", "timeout", "new", "stale")


def worst(statuses: Iterable[str], default: str = "parity") -> str:
    ranked = sorted(statuses, key=STATUSES.index)
    return ranked[0] if ranked else default


def classify(divergences: Sequence[dict[str, Any]], declared: Sequence[Expected]) -> tuple[list[dict], str]:
    """Mark each found divergence known (declared for this case) or new; add a stale entry
    for each declaration that did not occur. Returns the divergences and the case status."""
    out = []
    for div in divergences:
        match = next((e for e in declared if e.category == div["category"]), None)
        if match is None:
            out.append(div | {"status": "new"})
        else:
            out.append(div | {"status": "known", "reason": match.reason, "link": match.link})
    found = {d["category"] for d in divergences}
    for exp in declared:
        if exp.category not in found:
            out.append({"category": exp.category, "status": "stale", "reason": exp.reason, "link": exp.link,
                        "detail": "declared in the registry but did not occur in this run"})
    return out, worst((d["status"] for d in out), default="parity")
