"""Coverage of the Array API standard: per standard function, registry entry, presence, signature.

The standard's function list and signatures are data shipped with the package
(``parity/data/array_api_<version>.json``, derived from the standard's published
stubs by ``tools/derive_array_api_spec.py``), so several versions can be asked for.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any


class SpecError(ValueError):
    pass


def available_specs() -> list[str]:
    files = resources.files("parity") / "data"
    return sorted(p.name.removeprefix("array_api_").removesuffix(".json") for p in files.iterdir()
                  if p.name.startswith("array_api_") and p.name.endswith(".json"))


def load_spec(version: str) -> dict[str, Any]:
    if version not in available_specs():
        raise SpecError(f"unknown Array API version {version!r}; shipped: {', '.join(available_specs())}")
    return json.loads((resources.files("parity") / "data" / f"array_api_{version}.json").read_text())


@dataclass
class Row:
    name: str
    category: str
    has_entry: bool
    present: bool | None = None  # None: no backend asked for
    signature: str | None = None  # "match", "differs: ...", "not inspectable"


def lookup(namespace, dotted: str):
    target = namespace
    for part in dotted.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def signature_problems(spec_params: list[dict], fn) -> list[str] | None:
    """What keeps ``fn`` from accepting every call the standard allows; None if not inspectable.

    Positional-only parameters are matched by position (names are free); keyword-only ones by
    name, and may be keyword-or-positional or absorbed by ``**kwargs`` in the implementation.
    """
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    problems = []
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    var_positional = any(p.kind == p.VAR_POSITIONAL for p in params)
    var_keyword = any(p.kind == p.VAR_KEYWORD for p in params)
    by_name = {p.name: p for p in params}
    spec_positional = [p for p in spec_params if p["kind"] in ("positional-only", "positional-or-keyword")]
    if len(positional) < len(spec_positional) and not var_positional:
        problems.append(f"takes {len(positional)} positional parameters, the standard {len(spec_positional)}")
    for p in spec_params:
        if p["kind"] == "keyword-only":
            impl = by_name.get(p["name"])
            if impl is None and not var_keyword:
                problems.append(f"no keyword {p['name']!r}")
            elif impl is not None and impl.kind == impl.POSITIONAL_ONLY:
                problems.append(f"{p['name']!r} is positional-only")
        elif p["kind"] == "var-positional" and not var_positional:
            problems.append(f"no *{p['name']}")
    return problems


def coverage(version: str, registry: dict, namespace=None) -> list[Row]:
    rows = []
    for fn in load_spec(version)["functions"]:
        row = Row(fn["name"], fn["category"], fn["name"] in registry)
        if namespace is not None:
            impl = lookup(namespace, fn["name"])
            row.present = impl is not None
            if impl is not None:
                problems = signature_problems(fn["params"], impl)
                row.signature = ("not inspectable" if problems is None
                                 else "match" if not problems else "differs: " + "; ".join(problems))
        rows.append(row)
    return rows


def as_json(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]
