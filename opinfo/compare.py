"""Value comparison: the primitives that every comparator builds on, as pure functions.

A comparison turns two results (NumPy arrays, possibly nested in tuples) into
*findings*, each in one category of the divergence taxonomy
(``opinfo.spec.CATEGORIES``). Op-specific comparators (``opinfo.comparators``)
and the engine's outcome comparison build on :func:`compare_values`; nothing
here imports a backend, so every rule is unit-testable on plain NumPy data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opinfo.dtypes import Tolerance, default_tolerance, dtype_kind


@dataclass
class Finding:
    """One divergence seen on one input."""

    category: str
    detail: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    index: tuple[int, ...] | None = None  # first differing element of the output
    path: str = ""  # which output, for multi-output ops ("[0]", "[1]")
    count: int | None = None  # how many elements differ
    mask: np.ndarray | None = field(default=None, repr=False, compare=False)  # which elements differ (not saved)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "mask" and v is not None and v != ""}


@dataclass
class CompareContext:
    """What comparators need besides the two results."""

    tolerance: Callable[[np.dtype], Tolerance | None] = default_tolerance
    check_signed_zero: bool = True

    def looser(self, a: np.dtype, b: np.dtype) -> Tolerance | None:
        tols = [t for t in (self.tolerance(a), self.tolerance(b)) if t is not None]
        if not tols:
            return None
        return Tolerance(max(t.rtol for t in tols), max(t.atol for t in tols))

    def arrays(self, ref, impl, path: str = "") -> list[Finding]:
        return compare_arrays(ref, impl, self, path)

    def values(self, ref, impl, path: str = "") -> list[Finding]:
        return compare_values(ref, impl, self, path)


def compare_values(ref, impl, ctx: CompareContext, path: str = "") -> list[Finding]:
    """Compare possibly nested results: tuples element by element, arrays by :func:`compare_arrays`."""
    ref_seq, impl_seq = isinstance(ref, (tuple, list)), isinstance(impl, (tuple, list))
    if ref_seq or impl_seq:
        if not (ref_seq and impl_seq):
            kind = lambda v: f"{len(v)} outputs" if isinstance(v, (tuple, list)) else "one array"  # noqa: E731
            return [Finding("shape", f"reference returns {kind(ref)}, implementation returns {kind(impl)}", path=path)]
        if len(ref) != len(impl):
            return [Finding("shape", f"reference returns {len(ref)} outputs, implementation {len(impl)}", path=path)]
        findings = []
        for i, (r, m) in enumerate(zip(ref, impl)):
            findings += compare_values(r, m, ctx, f"{path}[{i}]")
        return findings
    return compare_arrays(np.asarray(ref), np.asarray(impl), ctx, path)


def compare_arrays(ref: np.ndarray, impl: np.ndarray, ctx: CompareContext, path: str = "") -> list[Finding]:
    """Shape, dtype, then values: special values (NaN, inf, signed zero) apart from ordinary ones."""
    findings = []
    if ref.dtype != impl.dtype:
        findings.append(Finding("dtype", f"reference dtype {ref.dtype}, implementation dtype {impl.dtype}", path=path))
    if ref.shape != impl.shape:
        findings.append(Finding("shape", f"reference shape {ref.shape}, implementation shape {impl.shape}", path=path))
        return findings
    if ref.size == 0:
        return findings
    kinds = {dtype_kind(ref.dtype), dtype_kind(impl.dtype)}
    if kinds <= set("biu"):
        findings += _compare_exact(ref, impl, path)
    elif kinds <= set("biufc"):
        findings += _compare_inexact(ref, impl, ctx, path)
    else:
        if not np.array_equal(ref, impl):
            findings.append(Finding("value", f"non-numeric results differ ({ref.dtype})", path=path))
    return findings


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _compare_exact(ref, impl, path) -> list[Finding]:
    if ref.dtype == impl.dtype:
        diff = ref != impl
    else:  # mixed signedness: compare as Python integers, never wrap around
        diff = np.asarray(ref.astype(object) != impl.astype(object), dtype=bool)
    if not diff.any():
        return []
    r, m = ref.astype(object)[diff], impl.astype(object)[diff]
    abs_err = max(abs(int(a) - int(b)) for a, b in zip(r.ravel(), m.ravel()))
    return [Finding("value", f"{int(diff.sum())} of {diff.size} elements differ", max_abs_err=float(abs_err),
                    index=_first(diff), path=path, count=int(diff.sum()), mask=diff)]


def _classes(x: np.ndarray) -> np.ndarray:
    """Per element: 0 finite, 1 NaN, 2 infinite (complex: any infinite part wins, as in C99)."""
    if x.dtype.kind == "c":
        inf = np.isinf(x.real) | np.isinf(x.imag)
        nan = (np.isnan(x.real) | np.isnan(x.imag)) & ~inf
    else:
        inf, nan = np.isinf(x), np.isnan(x)
    return np.where(inf, 2, np.where(nan, 1, 0))


def _compare_inexact(ref, impl, ctx: CompareContext, path) -> list[Finding]:
    findings = []
    common = np.complex128 if "c" in {dtype_kind(ref.dtype), dtype_kind(impl.dtype)} else np.float64
    r, m = ref.astype(common), impl.astype(common)
    rc, mc = _classes(r), _classes(m)
    special = rc != mc
    both_inf = (rc == 2) & (mc == 2)
    if common is np.float64:
        special |= both_inf & (r != m)  # +inf against -inf
    else:  # an infinite complex number: its infinite parts must sit in the same place with the same sign,
        # and where the reference's other part is a number, the implementation's must be one too
        # (inf+0j is not inf+nanj); a NaN other part in the reference leaves it free
        for part_r, part_m in ((r.real, m.real), (r.imag, m.imag)):
            inf_r, inf_m = np.isinf(part_r), np.isinf(part_m)
            special |= both_inf & ((inf_r != inf_m) | (inf_r & inf_m & (part_r != part_m)))
            special |= both_inf & np.isfinite(part_r) & np.isnan(part_m)
    finite = (rc == 0) & (mc == 0)
    zero_signs = np.zeros_like(special)
    if ctx.check_signed_zero:
        for part_r, part_m in ((r.real, m.real), (r.imag, m.imag)) if common is np.complex128 else ((r, m),):
            zero = finite & (part_r == 0) & (part_m == 0)
            zero_signs |= zero & (np.signbit(part_r) != np.signbit(part_m))
    if special.any() or zero_signs.any():
        # said apart, so that a declaration can cover signs of zero alone and not a NaN or an infinity
        what = "only in the sign of zero" if not special.any() else "in NaN/inf/signed zero"
        special |= zero_signs
        idx = _first(special)
        findings.append(Finding("special-value", f"{int(special.sum())} of {special.size} elements differ {what}; "
                                f"first at {idx}: reference {r[idx]!r}, implementation {m[idx]!r}",
                                index=idx, path=path, count=int(special.sum()), mask=special))
    if finite.any():
        tol = ctx.looser(ref.dtype, impl.dtype) or Tolerance(0.0, 0.0)
        with np.errstate(all="ignore"):
            abs_err = np.where(finite, np.abs(r - m), 0.0)
            bad = finite & (abs_err > tol.atol + tol.rtol * np.abs(r))
            scale = np.abs(r)
            rel_err = np.where(finite & (scale > 0), abs_err / np.where(scale > 0, scale, 1.0), 0.0)
        if bad.any():
            idx = _first(bad)
            findings.append(Finding(
                "value",
                f"{int(bad.sum())} of {bad.size} elements beyond rtol={tol.rtol:g}, atol={tol.atol:g}; "
                f"first at {idx}: reference {r[idx]!r}, implementation {m[idx]!r}",
                max_abs_err=float(abs_err.max()), max_rel_err=float(rel_err[bad].max()),
                index=idx, path=path, count=int(bad.sum()), mask=bad))
    return findings
