"""Comparison of a reference outcome with an implementation outcome, as pure functions.

An *outcome* is either a value (NumPy arrays, possibly nested in tuples) or an
exception. :func:`compare_outcomes` turns a pair into *findings*, each in one
category of the divergence taxonomy (``opinfo.spec.CATEGORIES``). Nothing here
imports a backend, so every rule is unit-testable on plain NumPy data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ml_dtypes
import numpy as np


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


#: Defaults follow torch.testing.assert_close; integers and bools compare exactly. In ulps: float16's
#: rtol 1e-3 is one ulp (2**-10 relative at most); bfloat16 keeps 8 significant bits, so one ulp is up to
#: 2**-7 = 0.0078 relative and 1.6e-2 allows two: NumPy (ml_dtypes) computes in float32 and rounds once,
#: another library's float32 kernel may land across a rounding boundary (one ulp) and may round an
#: intermediate to bfloat16 (one more). atol is float32's: bfloat16 has float32's exponent range.
DEFAULT_TOLERANCES = {
    "float16": Tolerance(1e-3, 1e-5),
    "bfloat16": Tolerance(1.6e-2, 1e-5),
    "float32": Tolerance(1.3e-6, 1e-5),
    "complex64": Tolerance(1.3e-6, 1e-5),
    "float64": Tolerance(1e-7, 1e-7),
    "complex128": Tolerance(1e-7, 1e-7),
}

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


def default_tolerance(dtype) -> Tolerance | None:
    return DEFAULT_TOLERANCES.get(np.dtype(dtype).name)


#: Floating dtypes NumPy computes on but does not define (ml_dtypes registers their ufunc loops).
ML_FLOATS = frozenset({np.dtype(ml_dtypes.bfloat16)})


def numpy_dtype(name) -> np.dtype:
    """The NumPy dtype for a dtype name (or dtype): "bfloat16" is ``ml_dtypes.bfloat16``, which NumPy
    computes on through the ufunc loops ml_dtypes registers (NumPy itself has no bfloat16)."""
    return np.dtype(ml_dtypes.bfloat16) if isinstance(name, str) and name == "bfloat16" else np.dtype(name)


def dtype_kind(dtype) -> str:
    """NumPy's kind letter, with ml_dtypes' bfloat16 (kind 'V' to NumPy) counted as a float: 'f'."""
    dt = np.dtype(dtype)
    return "f" if dt in ML_FLOATS else dt.kind


def finfo(dtype):
    """np.finfo, which also knows bfloat16 (ml_dtypes.finfo; NumPy's own is used for NumPy's floats)."""
    dt = np.dtype(dtype)
    return ml_dtypes.finfo(dt) if dt in ML_FLOATS else np.finfo(dt)


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
    else:  # an infinite complex number: its infinite parts must sit in the same place with the same sign
        for part_r, part_m in ((r.real, m.real), (r.imag, m.imag)):
            inf_r, inf_m = np.isinf(part_r), np.isinf(part_m)
            special |= both_inf & ((inf_r != inf_m) | (inf_r & inf_m & (part_r != part_m)))
    finite = (rc == 0) & (mc == 0)
    if ctx.check_signed_zero:
        for part_r, part_m in ((r.real, m.real), (r.imag, m.imag)) if common is np.complex128 else ((r, m),):
            zero = finite & (part_r == 0) & (part_m == 0)
            special |= zero & (np.signbit(part_r) != np.signbit(part_m))
    if special.any():
        idx = _first(special)
        findings.append(Finding("special-value", f"{int(special.sum())} of {special.size} elements differ in "
                                f"NaN/inf/signed zero; first at {idx}: reference {r[idx]!r}, implementation {m[idx]!r}",
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


# --------------------------------------------------------------------------- op-specific comparators
def _sort_keys(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """np.lexsort keys (primary last) for NumPy's order with -0.0 before 0.0; a complex
    number with a NaN in either part counts as NaN and goes last, whatever its other part."""
    if x.dtype.kind == "c":
        nan = np.isnan(x.real) | np.isnan(x.imag)
        return ~np.signbit(x.imag), ~np.signbit(x.real), x.imag, x.real, nan
    if x.dtype.kind == "f":
        return ~np.signbit(x), x
    return (x,)


def canonical_sort(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Sort along ``axis`` so that equal multisets (signed zeros counted apart) give
    identical arrays, whatever order or tie order they came in."""
    x = np.moveaxis(np.asarray(x), axis, -1)
    return np.take_along_axis(x, np.lexsort(_sort_keys(x), axis=-1), axis=-1)


def compare_sorted(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Sort results. -0.0 and 0.0 are ties, so their relative order matters only when
    ``stable=True`` was asked for; a mismatch that vanishes when both sides are put in a
    canonical order is an ``order`` divergence, not a ``value`` one."""
    findings = ctx.values(ref, impl)
    values = [f for f in findings if f.category in ("value", "special-value")]
    if not values:
        return findings
    structural = [f for f in findings if f not in values]
    kwargs = sample.kwargs if sample is not None else {}
    loose = CompareContext(ctx.tolerance, check_signed_zero=False)
    if not [f for f in loose.values(ref, impl) if f.category in ("value", "special-value")]:
        if kwargs.get("stable"):
            return structural + [Finding("order", "stable=True, but -0.0 and 0.0 come in a different order")]
        return structural
    ref, impl = np.asarray(ref), np.asarray(impl)
    axis = kwargs.get("axis", -1)
    if ref.shape == impl.shape and ref.ndim and not ctx.arrays(canonical_sort(ref, axis), canonical_sort(impl, axis)):
        return structural + [Finding("order", "same values in a different order")]
    return findings


def compare_argsort(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Indices are compared through the values they gather, so ties (-0.0 and 0.0 among them) may
    come in any order, unless ``stable=True`` was asked for: then the tie order is part of the contract."""
    ref, impl = np.asarray(ref), np.asarray(impl)
    findings = [f for f in ctx.arrays(ref, impl) if f.category in ("dtype", "shape")]
    if any(f.category == "shape" for f in findings):
        return findings
    x = np.asarray(sample.args[0])
    axis = sample.kwargs.get("axis", -1)
    if x.ndim == 0 or ref.size == 0:
        return findings
    if impl.dtype.kind not in "iu" or (impl.size and (impl.min() < 0 or impl.max() >= x.shape[axis])):
        return findings + [Finding("value", "implementation returned out-of-range or non-integer indices")]
    # -0.0 and 0.0 are ties: which one an unstable sort puts first is unspecified (stable order: below)
    loose = CompareContext(ctx.tolerance, check_signed_zero=False)
    gathered = loose.arrays(np.take_along_axis(x, ref.astype(np.intp), axis),
                            np.take_along_axis(x, impl.astype(np.intp), axis))
    if gathered:
        return findings + [Finding("value", "indices gather different values: " + gathered[0].detail)]
    if sample.kwargs.get("stable") and not np.array_equal(ref, impl):
        return findings + [Finding("order", "stable=True, but ties come in a different order")]
    return findings


def _canonical_order(values: np.ndarray) -> np.ndarray:
    """Indices that put 1-D ``values`` in the order of :func:`canonical_sort`."""
    return np.lexsort(_sort_keys(values))


def compare_unique(fields: tuple[str, ...]):
    """A comparator for the unique_* family, whose outputs are named by ``fields``
    (``values``, ``indices``, ``inverse``, ``counts``). The order of unique values is
    unspecified, so: values compare as a multiset; counts and first-occurrence indices
    compare after aligning both sides to that canonical order; inverse indices compare
    through what they rebuild (``values[inverse]``), which must be the input."""

    def compare(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
        ref = ref if isinstance(ref, (tuple, list)) else (ref,)
        impl = impl if isinstance(impl, (tuple, list)) else (impl,)
        if len(impl) != len(fields):
            return [Finding("shape", f"reference returns {len(fields)} outputs ({', '.join(fields)}), "
                                     f"implementation {len(impl)}")]
        ref = dict(zip(fields, map(np.asarray, ref)))
        impl = dict(zip(fields, map(np.asarray, impl)))
        rv, mv = ref["values"], impl["values"]
        findings = [f for f in ctx.arrays(rv, mv, "[values]") if f.category in ("dtype", "shape")]
        if rv.ndim != 1 or rv.shape != mv.shape:
            return findings
        r_order, m_order = _canonical_order(rv), _canonical_order(mv)
        findings += [f for f in ctx.arrays(rv[r_order], mv[m_order], "[values]") if f.category not in ("dtype",)]
        for name in ("counts", "indices"):
            if name in fields:
                r, m = ref[name], impl[name]
                if r.shape != m.shape:
                    findings += ctx.arrays(r, m, f"[{name}]")
                else:
                    findings += ctx.arrays(r[r_order], m[m_order], f"[{name}]")
        if "inverse" in fields:
            r, m = ref["inverse"], impl["inverse"]
            findings += [f for f in ctx.arrays(r, m, "[inverse]") if f.category in ("dtype", "shape")]
            if r.shape == m.shape and r.size and m.dtype.kind in "iu":
                if m.min() < 0 or m.max() >= mv.size:
                    findings.append(Finding("value", "inverse indices out of range", path="[inverse]"))
                else:
                    findings += ctx.arrays(rv[r.astype(np.intp)], mv[m.astype(np.intp)], "[inverse]")
        return findings

    compare.__name__ = f"compare_unique_{'_'.join(fields)}"
    return compare


def _matrix_scale(a: np.ndarray) -> float:
    finite = a[np.isfinite(a)]
    return float(np.abs(finite).max()) if finite.size else 1.0


def _eps(dtype) -> float:
    return float(finfo(dtype).eps) if dtype_kind(dtype) in "fc" else float(np.finfo(np.float64).eps)


def match_multisets(ref: np.ndarray, impl: np.ndarray) -> float:
    """Largest distance after greedily pairing each reference value with its nearest unused one."""
    ref, impl = np.asarray(ref).ravel(), list(np.asarray(impl).ravel())
    worst = 0.0
    for value in ref[np.argsort(-np.abs(ref), kind="stable")]:
        dist = [abs(value - other) for other in impl]
        j = int(np.argmin(dist))
        worst = max(worst, float(dist[j]))
        impl.pop(j)
    return worst


def _eigen_tolerance(a: np.ndarray, dtype) -> float:
    n = a.shape[-1] if a.ndim >= 2 else 1
    return 1e3 * max(n, 1) * _eps(dtype) * max(_matrix_scale(a), 1.0)


def _check_eigenvalues(a, w_ref, w_impl, ctx, path="") -> list[Finding]:
    findings = []
    w_ref, w_impl = np.asarray(w_ref), np.asarray(w_impl)
    if w_ref.dtype != w_impl.dtype:
        findings.append(Finding("dtype", f"eigenvalues: reference dtype {w_ref.dtype}, implementation dtype "
                                f"{w_impl.dtype}", path=path))
    if w_ref.shape != w_impl.shape:
        return findings + [Finding("shape", f"eigenvalues: reference shape {w_ref.shape}, implementation "
                                   f"{w_impl.shape}", path=path)]
    if w_ref.size == 0:
        return findings
    if not (np.isfinite(a).all() and np.isfinite(w_ref).all()):
        return findings + [f for f in ctx.arrays(np.sort_complex(w_ref.ravel()), np.sort_complex(w_impl.ravel()))
                           if f.category == "special-value"]
    tol = _eigen_tolerance(a, np.result_type(w_ref.dtype, w_impl.dtype))
    batch = w_ref.reshape(-1, w_ref.shape[-1]) if w_ref.ndim else w_ref.reshape(1, 1)
    batch_impl = w_impl.reshape(batch.shape)
    worst = max((match_multisets(r, m) for r, m in zip(batch, batch_impl)), default=0.0)
    if worst > tol:
        findings.append(Finding("value", f"eigenvalues differ as multisets by {worst:.3g} (tolerance {tol:.3g})",
                                max_abs_err=worst, path=path))
    return findings


def compare_eigvals(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Eigenvalues as a multiset: order is unspecified by NumPy and by the standard."""
    return _check_eigenvalues(np.asarray(sample.args[0]), ref, impl, ctx)


def compare_eig(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Eigenvalues as a multiset, eigenvectors through the residual ``A v = v diag(w)``."""
    if not (isinstance(impl, (tuple, list)) and len(impl) == 2):
        return [Finding("shape", "implementation does not return (eigenvalues, eigenvectors)")]
    a = np.asarray(sample.args[0])
    w_ref, v_ref = (np.asarray(v) for v in ref)
    w, v = (np.asarray(x) for x in impl)
    findings = _check_eigenvalues(a, w_ref, w, ctx, "[0]")
    if v_ref.dtype != v.dtype:
        findings.append(Finding("dtype", f"eigenvectors: reference dtype {v_ref.dtype}, implementation dtype "
                                f"{v.dtype}", path="[1]"))
    if v.shape != v_ref.shape:
        return findings + [Finding("shape", f"eigenvectors: reference shape {v_ref.shape}, implementation {v.shape}",
                                   path="[1]")]
    if a.size and np.isfinite(a).all() and np.isfinite(w_ref).all():
        residual = _residual(a, w, v)
        tol = _eigen_tolerance(a, np.result_type(w.dtype, v.dtype))
        if residual > tol:
            findings.append(Finding("value", f"eigenvectors: residual |A v - v w| = {residual:.3g} (tolerance "
                                    f"{tol:.3g})", max_abs_err=residual, path="[1]"))
    return findings


def _residual(a, w, v) -> float:
    with np.errstate(all="ignore"):
        lhs = a.astype(np.complex128) @ v.astype(np.complex128)
        rhs = v.astype(np.complex128) * w.astype(np.complex128)[..., None, :]
        norms = np.linalg.norm(v.astype(np.complex128), axis=-2, keepdims=True)
        return float(np.nanmax(np.abs(lhs - rhs) / np.where(norms > 0, norms, 1.0), initial=0.0))


def compare_eigh(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Hermitian eigenvalues are real and sorted ascending: compare them; eigenvectors by residual."""
    if not (isinstance(impl, (tuple, list)) and len(impl) == 2):
        return [Finding("shape", "implementation does not return (eigenvalues, eigenvectors)")]
    a = np.asarray(sample.args[0])
    findings = ctx.arrays(np.asarray(ref[0]), np.asarray(impl[0]), "[0]")
    w, v = (np.asarray(x) for x in impl)
    if v.shape == np.asarray(ref[1]).shape and a.size and np.isfinite(a).all():
        residual = _residual(a, w, v)
        tol = _eigen_tolerance(a, v.dtype)
        if residual > tol:
            findings.append(Finding("value", f"eigenvectors: residual {residual:.3g} (tolerance {tol:.3g})",
                                    max_abs_err=residual, path="[1]"))
    elif v.shape != np.asarray(ref[1]).shape:
        findings.append(Finding("shape", f"eigenvectors: shape {np.asarray(ref[1]).shape} vs {v.shape}", path="[1]"))
    return findings


def _reconstruction(sample, ref, impl, ctx, rebuild, label) -> list[Finding]:
    a = np.asarray(sample.args[0])
    if not isinstance(impl, (tuple, list)) or len(impl) != len(ref):
        return [Finding("shape", f"implementation does not return the {len(ref)} factors of {label}")]
    findings = []
    for i, (r, m) in enumerate(zip(ref, impl)):
        findings += [f for f in ctx.arrays(np.asarray(r), np.asarray(m), f"[{i}]") if f.category in ("dtype", "shape")]
    if findings or not a.size or not np.isfinite(a).all():
        return findings
    err = float(np.abs(rebuild(*(np.asarray(x).astype(np.complex128) for x in impl)) - a).max())
    tol = _eigen_tolerance(a, np.asarray(impl[0]).dtype)
    if err > tol:
        findings.append(Finding("value", f"{label}: reconstruction error {err:.3g} (tolerance {tol:.3g})",
                                max_abs_err=err))
    return findings


def compare_qr(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Q and R are unique only up to signs: check Q R = A and that R is upper triangular."""
    findings = _reconstruction(sample, ref, impl, ctx, lambda q, r: q @ r, "qr")
    if not findings and isinstance(impl, (tuple, list)) and len(impl) == 2:
        r = np.asarray(impl[1])
        below = np.abs(np.tril(r, -1)).max(initial=0.0)
        if below > _eigen_tolerance(np.asarray(sample.args[0]), r.dtype):
            findings.append(Finding("value", f"qr: R has entries below the diagonal ({below:.3g})", path="[1]"))
    return findings


def compare_svd(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Singular values compare directly; U and Vh only through U diag(S) Vh = A (sign freedom)."""
    if not (isinstance(impl, (tuple, list)) and len(impl) == 3):
        return [Finding("shape", "implementation does not return (U, S, Vh)")]
    a = np.asarray(sample.args[0])
    tol = _eigen_tolerance(a, np.asarray(ref[1]).dtype)
    findings = [f for f in ctx.arrays(np.asarray(ref[1]), np.asarray(impl[1]), "[1]") if f.category != "value"]
    s_ref, s = np.asarray(ref[1]), np.asarray(impl[1])
    if s_ref.shape == s.shape and s.size and np.isfinite(s_ref).all() and np.isfinite(s).all():
        err = float(np.abs(s_ref.astype(np.float64) - s.astype(np.float64)).max())
        if err > tol:
            findings.append(Finding("value", f"singular values differ by {err:.3g} (tolerance {tol:.3g})",
                                    max_abs_err=err, path="[1]"))
    return findings + _reconstruction(sample, ref, impl, ctx, lambda u, s, vh: (u * s[..., None, :]) @ vh, "svd")

