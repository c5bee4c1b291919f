"""The registry: every family module's entries, validated, by name.

Importing this module imports every family module and validates every entry, so a malformed one
fails here with a one-line RegistryError naming the op and the field (an entry that cannot even be
built, such as a direct ``OpInfo(...)`` call missing a field, names its module instead).
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Iterable
from types import ModuleType

from opinfo.spec import FAMILY_MODULE_NAMES, OpInfo, RegistryError, validate  # the family modules, in order


def _family(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"opinfo.{name}")
    except TypeError as exc:  # an entry built without a required field, or with an unknown one
        raise RegistryError(f"{exc} (in opinfo/{name}.py)") from exc


FAMILY_MODULES: tuple[ModuleType, ...] = tuple(_family(name) for name in FAMILY_MODULE_NAMES)


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
