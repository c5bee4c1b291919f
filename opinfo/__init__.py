"""The operator registry: one declarative OpInfo per operator, one module per op family.

Importing the package is light: the vocabulary (``opinfo.spec``, ``opinfo.dtypes``) can be used
without building the registry. The registry's names (``REGISTRY``, ``get_op``, ``select``,
``unmatched``, ``FAMILY_MODULES``, ``build_registry``) load ``opinfo.registry`` on first use,
which imports every family module and validates every entry: a malformed one raises
RegistryError with one line naming the op and the field.
"""

from __future__ import annotations

import importlib

_REGISTRY_NAMES = frozenset({"REGISTRY", "get_op", "select", "unmatched", "FAMILY_MODULES", "build_registry"})


def __getattr__(name: str):
    if name in _REGISTRY_NAMES:
        return getattr(importlib.import_module("opinfo.registry"), name)
    raise AttributeError(f"module 'opinfo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _REGISTRY_NAMES)
