"""Conformance: the Array API standard as a second reference, checked rule by rule.

A conformance case is one *area* of the standard (its elementwise special cases, type promotion,
operators, ...) on one backend, device and surface, against one version of the standard; its id
reads ``conformance/special-cases[torch-cpu-2025.12]`` (the case's ``dtype`` field holds the
version). Each area module (``parity/conform_*.py``) turns the standard's rules into
:class:`Check` verdicts on a :class:`Target`, vectorized and deterministic: no random draws.

A violated rule is a divergence whose ``reference`` is what the standard requires and ``numpy``
what NumPy does for the same input; like an op's divergences it is ``known`` when a gap declared
in :mod:`opinfo.conformance` covers it (backend, area, function, a fragment of the rule, dtype),
``new`` otherwise, and a declared gap whose rule now conforms is ``stale``. Rules the standard
leaves open (``unspecified``) or states twice with different answers (``ambiguous``) are
counted, never failures.
"""

from __future__ import annotations

import importlib
import re
import time
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opinfo import conformance as spec
from parity.backend import Backend
from parity.readback import Unreadable
from parity.taxonomy import STATUSES

VERDICTS = ("violates", "ambiguous", "unspecified", "conforms", "n/a")
#: Area -> the module (``parity.conform_<name>``) whose ``checks(target)`` yields its verdicts.
MODULES = {area: f"parity.conform_{area.replace('-', '_')}" for area in spec.AREAS}


@dataclass(frozen=True)
class Check:
    """The verdict on one rule (for one dtype, where the rule is per dtype).

    ``function`` is what the rule is about (a function, a method such as ``__add__``, a constant);
    ``rule`` identifies the rule within its area and function (the sentence, or a short statement
    such as ``int8 + uint8 -> int16``); the rest describes a violation: the inputs, what the standard
    requires, what NumPy and the library give, and how many of the rule's inputs break it."""

    function: str
    rule: str
    verdict: str
    dtype: str | None = None
    sentence: str | None = None  # the standard's wording, when it is not ``rule`` itself
    input: str | None = None
    required: str | None = None
    numpy: str | None = None
    library: str | None = None
    follows: str | None = None  # "numpy" when the library does what NumPy does, else "neither"
    elements: int = 0
    elements_total: int = 0
    tags: tuple[str, ...] = ()  # what every failing input has in common ("subnormal"), for a gap's ``where``

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")


@dataclass
class Target:
    """The namespace under test and how arrays travel to it and back."""

    backend: Any
    device: str
    surface: str
    version: str
    ns: Any = field(init=False)

    def __post_init__(self):
        self.backend.namespace()  # first: it applies the backend's settings (JAX's 64-bit mode)
        self.ns = self.backend.surface_namespace(self.surface, self.device)

    @property
    def lazy(self) -> bool:
        """Whether the backend builds lazy results that it computes on reading them (Dask's)."""
        return type(self.backend).finalize is not Backend.finalize

    def asarray(self, x: np.ndarray):
        return self.backend.from_numpy(np.asarray(x), self.device)

    def to_numpy(self, value) -> np.ndarray:
        """A result read back by the backend's chain (:mod:`parity.readback`: Unreadable is the harness's
        and stops the area); what is no array of the library is taken as NumPy takes it, as before."""
        value = self.backend.finalize(value)
        if self.backend.is_array(value):
            return self.backend.read_back(value)
        return np.asarray(value)

    def dtype(self, name: str):
        return self.backend.dtype(name, self.ns)

    def supports(self, name: str) -> bool:
        return self.backend.supports_dtype(name, self.ns)

    def function(self, name: str):
        """The namespace's function ``name`` (``linalg.norm`` through its extension), or None."""
        obj = self.ns
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj


#: How a library says it has no kernel for a dtype: torch's ``"add_stub" not implemented for 'UInt16'``
#: and ``Promotion for uint16, uint32, uint64 types is not supported, attempted to promote UInt16 and Int8``.
UNIMPLEMENTED = (re.compile(r"not implemented for '(\w+)'"),
                 re.compile(r"for ([\w, ]+?) types? (?:is|are) not supported"))


def unimplemented(error: str, dtypes) -> tuple[str, ...]:
    """A ``where`` tag ``unimplemented:<dtype>`` for each of ``dtypes`` (the call's operands') that the
    error text says the library implements nothing for; a dtype the text does not name gets none."""
    named = {n.strip().lower() for p in UNIMPLEMENTED for m in p.finditer(error) for n in m[1].split(",")}
    return tuple(f"unimplemented:{d}" for d in dict.fromkeys(dtypes) if d in named)


def raised(exc: BaseException, width: int = 160) -> str:
    """A check shows what the library raised in one line: multi-line messages (exception groups) give their first."""
    first = str(exc).splitlines()[0][:width] if str(exc) else ""
    return f"raises {type(exc).__name__}" + (f": {first}" if first else "")


class Raised:
    """An exception a call raised, kept as its class and its :func:`raised` text (an outcome besides values)."""

    def __init__(self, exc: BaseException):
        self.cls, self.text = type(exc), raised(exc)

    def __repr__(self):
        return self.text


@contextmanager
def quiet():
    """Warnings and NumPy's floating-point errors silenced: a library call is judged by what it returns or
    raises, not by what it warns."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def attempt(f, *args, **kwargs):
    """``f(*args, **kwargs)`` called quietly, or the :class:`Raised` it raised."""
    try:
        with quiet():
            return f(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - what the library raises is the finding
        return Raised(exc)


def header(case, area: str) -> dict:
    return {"kind": "conformance", "id": case.id, "op": case.op, "family": "conformance", "area": area,
            "backend": case.backend, "device": case.device, "surface": case.surface, "dtype": case.dtype,
            "spec": case.dtype, "domain": "standard"}


def run(case, backend) -> dict:
    """The record of one conformance case."""
    started = time.perf_counter()
    area = case.op.removeprefix(spec.PREFIX)
    head = header(case, area)
    try:
        target = Target(backend, case.device, case.surface, case.dtype)
    except Exception as exc:  # noqa: BLE001 - e.g. no Array API namespace for this library
        return head | {"status": "unsupported", "divergences": [],
                       "reason": f"no namespace to check: {raised(exc, 300).removeprefix('raises ')}"}
    module = importlib.import_module(MODULES[area])
    try:
        checks = list(module.checks(target))
    except Unreadable as exc:  # the area could not be checked: the harness's status, no verdict on the library
        return head | {"status": "unreadable", "divergences": [], "unreadable": {"reason": str(exc), "count": 1},
                       "duration_s": round(time.perf_counter() - started, 4)}
    divergences = judge(checks, spec.gaps_for(backend.name, area, case.surface), area)
    status = min((d["status"] for d in divergences), key=STATUSES.index, default="parity")
    return head | {"status": status, "divergences": divergences, "checked": tally(checks),
                   "duration_s": round(time.perf_counter() - started, 4)}


def tally(checks: list[Check]) -> dict[str, dict[str, int]]:
    """Per function, how many of its checks got each verdict (the report's conformance view)."""
    out: dict[str, Counter] = {}
    for c in checks:
        out.setdefault(c.function, Counter())[c.verdict] += 1
    return {f: dict(sorted(v.items())) for f, v in sorted(out.items())}


def _stable(text: str | None) -> str | None:
    """An outcome's text without memory addresses (``<built-in method size at 0x7f...>``): two runs of the
    same library give the same record, which ``parity diff`` and resumed runs rely on."""
    return None if text is None else re.sub(r" at 0x[0-9a-fA-F]+", "", text)


def judge(checks: list[Check], gaps: list, area: str) -> list[dict]:
    """Violations as divergences (known where a declared gap covers them, else new), then the gaps
    whose rules were checked and conformed (stale)."""
    category = spec.AREAS[area]["category"]
    used: set[int] = set()
    out = []
    for c in checks:
        if c.verdict != "violates":
            continue
        gap = next((g for g in gaps if g.covers(c.function, c.rule, c.sentence, c.dtype, c.tags)), None)
        d = {"category": category, "status": "known" if gap else "new", "function": c.function, "rule": c.rule,
             "detail": c.sentence or c.rule, "dtype": c.dtype, "input": c.input, "reference": c.required,
             "implementation": _stable(c.library), "numpy": _stable(c.numpy), "follows": c.follows,
             "failing": c.elements, "checked": c.elements_total, "tags": list(c.tags) or None}
        if gap:
            used.add(id(gap))
            d |= {"reason": gap.reason, "link": gap.link}
        out.append({k: v for k, v in d.items() if v is not None})
    for gap in gaps:
        if id(gap) in used:
            continue
        checked = [c for c in checks
                   if c.verdict == "conforms" and gap.covers(c.function, c.rule, c.sentence, c.dtype, None)]
        if checked:
            out.append({"category": category, "status": "stale", "function": gap.function, "rule": gap.rule,
                        "detail": f"declared gap did not occur: {gap.rule}", "reason": gap.reason,
                        **({"link": gap.link} if gap.link else {})})
    return out
