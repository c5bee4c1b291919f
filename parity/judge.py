"""Which declaration covers a finding, within the declaration's bounds: pure functions over NumPy data.

Apart from :mod:`parity.taxonomy` (known/new/stale over plain records) because it needs NumPy, which
the pytest plugin must not import when it loads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from opinfo.spec import Sample
from parity.taxonomy import matches

if TYPE_CHECKING:
    from opinfo.compare import Finding
    from opinfo.spec import Expected


def judge(findings: Sequence[Finding], declared: Sequence[Expected], sample: Sample, ref: Any, impl: Any,
          elementwise: bool) -> list[tuple[Finding, int | None]]:
    """Each finding with the index of the declaration covering it (None: new).

    A declaration covers a finding of its category whose detail its ``match`` finds, within its
    bounds: ``max_ulp`` (the finding's ULP distance) and ``where`` (a predicate on the input). For an
    elementwise op a finding that marks elements is judged element by element and split: the elements
    no declaration covers become a finding of their own, so a declared divergence on subnormal inputs
    cannot hide a wrong value on ordinary ones. ``ref``/``impl`` are the two results (values).
    """
    judged = []
    for finding in findings:
        candidates = [i for i, exp in enumerate(declared) if matches(exp, finding.category, finding.detail)]
        if not candidates:
            judged.append((finding, None))
        elif elementwise and finding.mask is not None:
            judged += _judge_elements(finding, candidates, declared, sample, ref, impl)
        else:
            judged.append((finding, _first_covering(candidates, declared, finding, sample, ref, impl)))
    return judged


def _first_covering(candidates, declared, finding, sample, ref, impl) -> int | None:
    return next((i for i in candidates if _covers(declared[i], finding, sample, ref, impl)), None)


def _covers(exp: Expected, finding: Finding, sample: Sample, ref, impl) -> bool:
    if exp.max_ulp is not None and (finding.max_ulp is None or finding.max_ulp > exp.max_ulp):
        return False
    # about the whole call: a predicate that answers per element ("an input is subnormal") holds for the
    # call when it holds for some element of it
    return exp.where is None or bool(np.any(exp.where(sample, ref, impl)))


def _judge_elements(finding, candidates, declared, sample, ref, impl) -> list[tuple[Finding, int | None]]:
    mask = np.asarray(finding.mask, dtype=bool)
    r, m = output_at(ref, finding.path), output_at(impl, finding.path)
    try:
        args = tuple(np.broadcast_to(a, mask.shape)[mask] if isinstance(a, np.ndarray) else a for a in sample.args)
    except ValueError:  # inputs that do not broadcast to the output: judge the finding as a whole
        return [(finding, _first_covering(candidates, declared, finding, sample, ref, impl))]
    owner = np.full(int(mask.sum()), -1)
    for i in candidates:
        exp, free = declared[i], owner < 0
        ok = free.copy()
        if exp.max_ulp is not None:
            ok &= finding.ulps[mask] <= exp.max_ulp if finding.ulps is not None else False
        if exp.where is not None and ok.any():
            ok &= np.broadcast_to(np.asarray(exp.where(Sample(args, dict(sample.kwargs)), r[mask], m[mask]),
                                             dtype=bool), ok.shape)
        owner[ok] = i
    parts = []
    for i in sorted(set(owner.tolist())):
        part = np.zeros_like(mask)
        part[mask] = owner == i
        parts.append((_subset(finding, part, r, m), None if i < 0 else i))
    return parts


def _subset(finding: Finding, part: np.ndarray, r, m) -> Finding:
    """The finding restricted to the elements ``part`` marks (all of them: the finding itself)."""
    if part.sum() == np.asarray(finding.mask).sum():
        return finding
    idx = tuple(int(i) for i in np.argwhere(part)[0])
    ulps = finding.ulps
    worst = float(ulps[part].max()) if ulps is not None else None
    what = f"up to {worst:.3g} ulp; " if worst is not None else ""
    detail = (f"{int(part.sum())} of {part.size} elements differ ({finding.category}; {what}"
              f"first at {idx}: reference {np.asarray(r)[idx]!r}, implementation {np.asarray(m)[idx]!r})")
    return dataclasses.replace(finding, detail=detail, index=idx, count=int(part.sum()), mask=part, max_ulp=worst)


def output_at(value, path: str):
    """The output a finding's ``path`` ("", "[1]", "[0][2]") names, as an array, or None."""
    for part in filter(None, path.replace("]", "").split("[")):
        if not isinstance(value, tuple) or not part.isdigit() or int(part) >= len(value):
            return None
        value = value[int(part)]
    return None if isinstance(value, tuple) else np.asarray(value)
