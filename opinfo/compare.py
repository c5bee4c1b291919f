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

from opinfo.dtypes import Tolerance, default_tolerance, dtype_kind, finfo


@dataclass
class Finding:
    """One divergence seen on one input."""

    category: str
    detail: str
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    max_ulp: float | None = None  # largest distance in units in the last place of the reference (inexact only)
    index: tuple[int, ...] | None = None  # first differing element of the output
    path: str = ""  # which output, for multi-output ops ("[0]", "[1]")
    count: int | None = None  # how many elements differ
    mask: np.ndarray | None = field(default=None, repr=False, compare=False)  # which elements differ (not saved)
    ulps: np.ndarray | None = field(default=None, repr=False, compare=False)  # per element ULP distance (not saved)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("mask", "ulps") and v is not None and v != ""}


@dataclass
class CompareContext:
    """What comparators need besides the two results."""

    tolerance: Callable[[np.dtype], Tolerance | None] = default_tolerance
    check_signed_zero: bool = True
    #: The ULP allowance per result dtype, for ops whose every output element is a function of the
    #: input elements at its place (elementwise ops): there, values are compared in ulps, not by
    #: rtol/atol. None (or a dtype it gives None for) keeps rtol/atol.
    ulps: Callable[[np.dtype], float | None] | None = None

    def looser(self, a: np.dtype, b: np.dtype) -> Tolerance | None:
        tols = [t for t in (self.tolerance(a), self.tolerance(b)) if t is not None]
        if not tols:
            return None
        return Tolerance(max(t.rtol for t in tols), max(t.atol for t in tols))

    def allowance(self, a: np.dtype, b: np.dtype) -> float | None:
        if self.ulps is None:
            return None
        allowed = [u for u in (self.ulps(a), self.ulps(b)) if u is not None]
        return max(allowed) if allowed else None

    def arrays(self, ref, impl, path: str = "") -> list[Finding]:
        return compare_arrays(ref, impl, self, path)

    def values(self, ref, impl, path: str = "") -> list[Finding]:
        return compare_values(ref, impl, self, path)


def ulp(x: np.ndarray, dtype) -> np.ndarray:
    """The unit in the last place of each |x| in ``dtype`` (float64 array): 2**(e - mantissa bits),
    with e clamped to the smallest normal exponent, so a zero or subnormal value has the smallest
    subnormal as its ulp. Computed from finfo rather than np.spacing, which bfloat16 lacks."""
    info = finfo(dtype)
    a = np.abs(np.asarray(x, dtype=np.float64))
    with np.errstate(all="ignore"):
        exponent = np.frexp(a)[1].astype(np.int64) - 1
    exponent = np.where(a < float(info.smallest_normal), int(info.minexp), exponent)
    return np.ldexp(1.0, exponent - int(info.nmant))


def ulp_distance(ref: np.ndarray, impl: np.ndarray, dtype) -> np.ndarray:
    """|ref - impl| in ulps of the reference in ``dtype`` (float64 array; finite inputs expected).

    A complex value is measured normwise: both parts in ulps of its larger part. Componentwise,
    a part that cancels (the real part of (1+1e-8j)**2) has no accuracy contract in any library.
    The one absolute slack: where the reference is zero or subnormal, a difference up to the
    smallest normal number counts as 0 ulp, so flushing subnormal results to zero (XLA on CPU,
    CUDA's fast paths) is not a value divergence, while everything at normal magnitudes is.
    """
    ref, impl = np.asarray(ref), np.asarray(impl)
    tiny = float(finfo(dtype).smallest_normal)
    with np.errstate(all="ignore"):
        if ref.dtype.kind == "c" or impl.dtype.kind == "c":
            r, m = ref.astype(np.complex128), impl.astype(np.complex128)
            size = np.maximum(np.abs(r.real), np.abs(r.imag))
            diff = np.maximum(np.abs(r.real - m.real), np.abs(r.imag - m.imag))
        else:
            size = np.abs(ref.astype(np.float64))
            diff = np.abs(ref.astype(np.float64) - impl.astype(np.float64))
        return np.where((size < tiny) & (diff <= tiny), 0.0, diff / ulp(size, dtype))


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
        findings += _compare_finite(ref, impl, r, m, finite, ctx, path)
    return findings


def coarser(a: np.dtype, b: np.dtype) -> np.dtype:
    """Of two inexact dtypes, the one with the larger machine epsilon (ulps are counted in it)."""
    return max((a, b), key=lambda d: float(finfo(d).eps) if dtype_kind(d) in "fc" else 0.0)


def _compare_finite(ref, impl, r, m, finite, ctx: CompareContext, path) -> list[Finding]:
    """Elements finite on both sides: within the op's ULP allowance, else within rtol/atol."""
    unit_dtype = coarser(ref.dtype, impl.dtype)
    with np.errstate(all="ignore"):
        ulps = np.where(finite, ulp_distance(np.where(finite, r, 0), np.where(finite, m, 0), unit_dtype), 0.0)
        abs_err = np.where(finite, np.abs(r - m), 0.0)
        scale = np.abs(r)
        rel_err = np.where(finite & (scale > 0), abs_err / np.where(scale > 0, scale, 1.0), 0.0)
        allowed = ctx.allowance(ref.dtype, impl.dtype)
        if allowed is not None:
            bad = finite & (ulps > allowed)
            bound = f"{allowed:g} ulp"
        else:
            tol = ctx.looser(ref.dtype, impl.dtype) or Tolerance(0.0, 0.0)
            bad = finite & (abs_err > tol.atol + tol.rtol * scale)
            bound = f"rtol={tol.rtol:g}, atol={tol.atol:.3g}"
    if not bad.any():
        return []
    idx = _first(bad)
    worst = float(ulps[bad].max())
    return [Finding(
        "value",
        f"{int(bad.sum())} of {bad.size} elements beyond {bound} (up to {_ulp_text(worst)}); "
        f"first at {idx}: reference {r[idx]!r}, implementation {m[idx]!r}",
        max_abs_err=float(abs_err[bad].max()), max_rel_err=float(rel_err[bad].max()), max_ulp=worst,
        index=idx, path=path, count=int(bad.sum()), mask=bad, ulps=ulps)]


def _ulp_text(n: float) -> str:
    return f"{n:.3g} ulp" if n < 1e6 else f"{n:.2e} ulp"
