"""Comparison of a reference outcome with an implementation outcome, as pure functions.

An *outcome* is either a value (NumPy arrays, possibly nested in tuples) or an
exception. :func:`compare_outcomes` turns a pair into *findings*, each in one
category of the divergence taxonomy (``opinfo.spec.CATEGORIES``): exceptions by
their families here, values by ``opinfo.compare`` (or the op's own comparator,
``opinfo.comparators``). Nothing here imports a backend, so every rule is
unit-testable on plain NumPy data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opinfo.compare import CompareContext, Finding, compare_values

#: Exception families, most specific first. Both sides raising within one family is parity.
ERROR_FAMILIES = (
    "LinAlgError",
    "IndexError",
    "KeyError",
    "ZeroDivisionError",
    "OverflowError",
    "TypeError",
    "ValueError",
    "ArithmeticError",
    "NotImplementedError",
    "MemoryError",
    "RuntimeError",
)


@dataclass(frozen=True)
class Outcome:
    """What one side did: returned ``value`` or raised (type name, its MRO names, message)."""

    value: Any = None
    error_type: str | None = None
    error_mro: tuple[str, ...] = ()
    error_message: str | None = None

    @property
    def raised(self) -> bool:
        return self.error_type is not None

    @classmethod
    def from_exception(cls, exc: BaseException) -> Outcome:
        mro = tuple(c.__name__.lstrip("_") for c in type(exc).__mro__)
        return cls(error_type=f"{type(exc).__module__}.{type(exc).__qualname__}", error_mro=mro,
                   error_message=str(exc))

    @property
    def family(self) -> str:
        return error_family(self.error_mro)


def error_family(mro: tuple[str, ...]) -> str:
    for name in mro:
        if name in ERROR_FAMILIES:
            return name
    return mro[0] if mro else "Exception"


def compatible_errors(ref_mro: tuple[str, ...], impl_mro: tuple[str, ...]) -> bool:
    """Compatible when either side's family appears in the other's class hierarchy.

    numpy's LinAlgError (a ValueError) is compatible with a plain ValueError and
    with torch's ``_LinAlgError``; a RuntimeError where NumPy raises ValueError is not.
    """
    return error_family(ref_mro) in impl_mro or error_family(impl_mro) in ref_mro


def compare_outcomes(ref: Outcome, impl: Outcome, ctx: CompareContext | None = None,
                     comparator: Callable | None = None, sample=None) -> list[Finding]:
    """All findings for one input; an empty list means parity."""
    ctx = ctx or CompareContext()
    if ref.raised and impl.raised:
        if compatible_errors(ref.error_mro, impl.error_mro):
            return []
        return [Finding("error-type", f"reference raised {ref.family}, implementation raised {impl.family}")]
    if impl.raised:
        message = _first_line(impl.error_message)
        return [Finding("error", f"only the implementation raised {impl.error_type}: {message}")]
    if ref.raised:
        return [Finding("accepts", f"only the reference raised {ref.error_type}: {_first_line(ref.error_message)}")]
    if comparator is not None:
        return comparator(sample, ref.value, impl.value, ctx)
    return compare_values(ref.value, impl.value, ctx)


def _first_line(text: str | None, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
