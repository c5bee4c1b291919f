"""The operator registry: one declarative OpInfo per operator, one module per op family.

Importing this package validates every entry; a malformed one raises
RegistryError with one line naming the op and the field.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from opinfo import (
    creation,
    datatypes,
    elementwise,
    fft,
    linalg,
    linalg_numpy,
    manipulation,
    nanfunctions,
    numeric,
    reductions,
    sets,
    sorting,
    special,
    ufuncs,
)
from opinfo.spec import OpInfo, RegistryError, validate

FAMILY_MODULES = (elementwise, reductions, nanfunctions, sorting, sets, manipulation, creation, linalg, linalg_numpy,
                  fft, datatypes, special, numeric, ufuncs)


def build_registry(entries: Iterable[OpInfo]) -> dict[str, OpInfo]:
    registry: dict[str, OpInfo] = {}
    for op in entries:
        validate(op)
        if op.name in registry:
            raise RegistryError(f"opinfo {op.name!r}: field 'name': declared twice")
        registry[op.name] = op
    return registry


REGISTRY: dict[str, OpInfo] = build_registry(op for module in FAMILY_MODULES for op in module.OPS)


def get_op(name: str) -> OpInfo:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no op {name!r} in the registry") from None


def select(patterns: Iterable[str] | None = None) -> list[OpInfo]:
    """Ops whose name or family matches any glob pattern (all ops when no pattern is given)."""
    patterns = [p for p in (patterns or []) if p]
    if not patterns:
        return list(REGISTRY.values())
    return [op for op in REGISTRY.values()
            if any(fnmatch.fnmatchcase(op.name, p) or fnmatch.fnmatchcase(op.family, p) for p in patterns)]


def unmatched(patterns: Iterable[str]) -> list[str]:
    """The patterns that select nothing (a user error worth one clear line)."""
    return [p for p in patterns if p and not select([p])]
