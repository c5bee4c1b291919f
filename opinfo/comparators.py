"""Op-specific comparators: how a result is compared where plain value equality would be wrong.

Each is ``compare(sample, ref, impl, ctx) -> list[Finding]`` (``OpInfo.compare``), kept here in one
place so that the rules for non-unique results (sorting ties, unique values in any order, eigenvectors,
factorisations, least-squares solutions) can be read and tested together, apart from the op families
that use them. They build on :mod:`opinfo.compare` and import no backend.
"""

from __future__ import annotations

import numpy as np

from opinfo.compare import CompareContext, Finding, compare_values
from opinfo.dtypes import Tolerance, dtype_kind, finfo


# --------------------------------------------------------------------------- plain values, relaxed
def compare_product(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """prod, nanprod, nancumprod: the signs of zero parts of a complex product depend on the association
    order (a c - b d with zero terms; torch's vectorised kernels group differently) and on whether the
    product starts from 1+0j, which neither library specifies. Real products keep the signed-zero check:
    their sign is the xor of the factors' signs, whatever the order."""
    if sample is not None and np.asarray(sample.args[0]).dtype.kind == "c":
        ctx = CompareContext(ctx.tolerance, check_signed_zero=False)
    return ctx.values(ref, impl)


def compare_dtype_and_shape(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """empty/empty_like: the contents are unspecified, so only dtype and shape can differ."""
    blank = lambda a: np.zeros(np.shape(a), np.asarray(a).dtype)  # noqa: E731
    return ctx.values(blank(ref), blank(impl))


def _with_atol(ctx: CompareContext, atol) -> CompareContext:
    """``ctx`` with each dtype's absolute tolerance replaced by ``atol(tolerance, dtype)`` (relative unchanged)."""

    def tolerance(dtype):
        tol = ctx.tolerance(dtype)
        return tol and Tolerance(tol.rtol, atol(tol, dtype))

    return CompareContext(tolerance, ctx.check_signed_zero)


def compare_fft(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Values with atol scaled by the input's l1 norm: the DFT's rounding bound (see ``opinfo.fft``)."""
    x = sample.args[0] if sample is not None and sample.args else None
    scale = 1.0
    if isinstance(x, np.ndarray) and x.size:
        finite = np.isfinite(x)
        scale = max(1.0, 2.0 * float(np.abs(x[finite]).sum()))
    return compare_values(ref, impl, _with_atol(ctx, lambda tol, dtype: tol.atol * scale))


def compare_convolution(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """convolve, correlate: each output is a sum of at most k = min(len(a), len(v)) products, whose
    rounding error is bounded by k eps sum |a_i v_j| <= k eps max|a| sum|v|, whatever the result. A
    sum that cancels to zero may come out as a few ulps of its terms on one side and exactly 0.0 on
    the other, depending on the summation order; the absolute tolerance is scaled to that bound."""
    a, v = (np.asarray(x) for x in sample.args[:2]) if sample is not None else (np.empty(0), np.empty(0))
    if not (a.size and v.size and dtype_kind(a.dtype) in "fc"):
        return ctx.values(ref, impl)
    finite_a, finite_v = np.abs(a[np.isfinite(a)]), np.abs(v[np.isfinite(v)])
    scale = min(a.size, v.size) * float(finite_a.max(initial=0.0)) * float(finite_v.sum())
    return compare_values(ref, impl, _with_atol(ctx, lambda tol, dtype: max(tol.atol, _eps(dtype) * scale)))


# --------------------------------------------------------------------------- text results
def compare_names(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Dtype names (0-d string arrays): a different name is a dtype divergence, named in the detail."""
    r, m = str(np.asarray(ref)), str(np.asarray(impl))
    return [] if r == m else [Finding("dtype", f"reference {r}, implementation {m}")]


def compare_text(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Results described as one string (the inspection API): any difference is a value divergence."""
    r, m = str(np.asarray(ref)), str(np.asarray(impl))
    return [] if r == m else [Finding("value", f"reference {r}, implementation {m}")]


# --------------------------------------------------------------------------- sorting and sets
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
    if not _is_permutation(impl, axis):
        return findings + [Finding("value", "indices are not a permutation: an index repeats, so another is missing")]
    if sample.kwargs.get("stable") and not np.array_equal(ref, impl):
        return findings + [Finding("order", "stable=True, but ties come in a different order")]
    return findings


def _is_permutation(indices: np.ndarray, axis: int) -> bool:
    """Whether every lane of ``indices`` along ``axis`` holds each of 0..n-1 exactly once."""
    lanes = np.sort(np.moveaxis(indices, axis, -1), axis=-1)
    return bool((lanes == np.arange(lanes.shape[-1])).all())


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


# --------------------------------------------------------------------------- linear algebra
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


def _orthonormal_error(q: np.ndarray, rows: bool = False) -> float:
    """max |Q^H Q - I| over a stack (columns orthonormal; ``rows``: Q Q^H for rows)."""
    q = q.astype(np.complex128)
    qh = np.conj(np.swapaxes(q, -1, -2))
    gram = q @ qh if rows else qh @ q
    with np.errstate(all="ignore"):
        return float(np.abs(gram - np.eye(gram.shape[-1])).max(initial=0.0))


def _unit_error(v: np.ndarray) -> float:
    """max | |v_j| - 1 | over the columns of a stack of eigenvector matrices."""
    with np.errstate(all="ignore"):
        return float(np.abs(np.linalg.norm(v.astype(np.complex128), axis=-2) - 1.0).max(initial=0.0))


def _factor_tolerance(a: np.ndarray, dtype) -> float:
    """Orthonormality of computed factors: backward-stable algorithms keep it within a modest multiple
    of n eps, whatever the scale of A."""
    n = max(a.shape[-2:], default=1) if a.ndim >= 2 else 1
    return 1e3 * max(n, 1) * _eps(dtype)


def _check_factor(value: float, tol: float, what: str, path: str) -> list[Finding]:
    if value > tol or np.isnan(value):
        return [Finding("value", f"{what} {value:.3g} (tolerance {tol:.3g})", max_abs_err=value, path=path)]
    return []


def compare_eigvals(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Eigenvalues as a multiset: order is unspecified by NumPy and by the standard."""
    return _check_eigenvalues(np.asarray(sample.args[0]), ref, impl, ctx)


def compare_eig(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Eigenvalues as a multiset, eigenvectors through the residual ``A v = v diag(w)`` and their unit
    norm (a zero or unscaled vector satisfies the residual too)."""
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
        findings += _check_factor(_unit_error(v), _factor_tolerance(a, v.dtype),
                                  "eigenvectors: not of unit norm (NumPy's are), | |v| - 1 | =", "[1]")
    return findings + _finiteness(a, (w_ref, v_ref), (w, v), "eig", factors=(1,))


def _finiteness(a, ref, impl, label: str, factors=None) -> list[Finding]:
    """For a non-finite input, where the factors' values mean nothing, what both sides still define:
    whether each factor comes out finite. NumPy returning finite factors where the implementation returns
    NaN (or the other way round) is a special-value divergence; ``factors`` picks the outputs to check."""
    if not np.asarray(a).size or np.isfinite(a).all():
        return []
    findings = []
    for i in factors if factors is not None else range(len(ref)):
        r, m = np.asarray(ref[i]), np.asarray(impl[i])
        if r.shape != m.shape:
            continue
        r_ok, m_ok = bool(np.isfinite(r).all()), bool(np.isfinite(m).all())
        if r_ok != m_ok:
            word = {True: "finite", False: "not finite"}
            findings.append(Finding("special-value", f"{label} of a non-finite input: NumPy's factor [{i}] is "
                                    f"{word[r_ok]}, the implementation's is {word[m_ok]}", path=f"[{i}]"))
    return findings


def _residual(a, w, v) -> float:
    with np.errstate(all="ignore"):
        lhs = a.astype(np.complex128) @ v.astype(np.complex128)
        rhs = v.astype(np.complex128) * w.astype(np.complex128)[..., None, :]
        norms = np.linalg.norm(v.astype(np.complex128), axis=-2, keepdims=True)
        return float(np.nanmax(np.abs(lhs - rhs) / np.where(norms > 0, norms, 1.0), initial=0.0))


def compare_eigh(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Hermitian eigenvalues are real and sorted ascending: compare them; eigenvectors by residual and
    as an orthonormal basis (V^H V = I), which the residual alone does not require."""
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
        findings += _check_factor(_orthonormal_error(v), _factor_tolerance(a, v.dtype),
                                  "eigenvectors: not orthonormal, max |V^H V - I| =", "[1]")
    elif v.shape != np.asarray(ref[1]).shape:
        findings.append(Finding("shape", f"eigenvectors: shape {np.asarray(ref[1]).shape} vs {v.shape}", path="[1]"))
    return findings + _finiteness(a, ref, impl, "eigh", factors=(1,))


def _reconstruction(sample, ref, impl, ctx, rebuild, label, factors=None) -> list[Finding]:
    a = np.asarray(sample.args[0])
    if not isinstance(impl, (tuple, list)) or len(impl) != len(ref):
        return [Finding("shape", f"implementation does not return the {len(ref)} factors of {label}")]
    findings = []
    for i, (r, m) in enumerate(zip(ref, impl)):
        findings += [f for f in ctx.arrays(np.asarray(r), np.asarray(m), f"[{i}]") if f.category in ("dtype", "shape")]
    if findings or not a.size:
        return findings
    if not np.isfinite(a).all():
        return _finiteness(a, ref, impl, label, factors)
    err = float(np.abs(rebuild(*(np.asarray(x).astype(np.complex128) for x in impl)) - a).max())
    tol = _eigen_tolerance(a, np.asarray(impl[0]).dtype)
    if err > tol:
        findings.append(Finding("value", f"{label}: reconstruction error {err:.3g} (tolerance {tol:.3g})",
                                max_abs_err=err))
    return findings


def compare_qr(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Q and R are unique only up to signs: check Q R = A, that Q has orthonormal columns and that R
    is upper triangular (Q = A, R = I rebuilds A too)."""
    findings = _reconstruction(sample, ref, impl, ctx, lambda q, r: q @ r, "qr")
    a = np.asarray(sample.args[0])
    if not findings and isinstance(impl, (tuple, list)) and len(impl) == 2 and a.size and np.isfinite(a).all():
        q, r = np.asarray(impl[0]), np.asarray(impl[1])
        below = np.abs(np.tril(r, -1)).max(initial=0.0)
        if below > _eigen_tolerance(a, r.dtype):
            findings.append(Finding("value", f"qr: R has entries below the diagonal ({below:.3g})", path="[1]"))
        findings += _check_factor(_orthonormal_error(q), _factor_tolerance(a, q.dtype),
                                  "qr: Q's columns are not orthonormal, max |Q^H Q - I| =", "[0]")
    return findings


def compare_svd(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """Singular values compare directly and must be non-negative and descending; U and Vh, free up to
    signs (phases), through U diag(S) Vh = A and as orthonormal columns and rows."""
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
    findings += _reconstruction(sample, ref, impl, ctx, lambda u, s, vh: (u * s[..., None, :]) @ vh, "svd",
                                factors=(0, 2))  # S is compared above
    if findings or not a.size or not np.isfinite(a).all():
        return findings
    if s.size and ((s < 0).any() or (np.diff(s.astype(np.float64), axis=-1) > tol).any()):
        findings.append(Finding("value", "singular values are not non-negative and in descending order", path="[1]"))
    u, vh = np.asarray(impl[0]), np.asarray(impl[2])
    factor_tol = _factor_tolerance(a, u.dtype)
    findings += _check_factor(_orthonormal_error(u), factor_tol, "svd: U's columns are not orthonormal, max "
                              "|U^H U - I| =", "[0]")
    findings += _check_factor(_orthonormal_error(vh, rows=True), factor_tol, "svd: Vh's rows are not orthonormal, "
                              "max |Vh Vh^H - I| =", "[2]")
    return findings


def compare_lstsq(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """(x, residuals, rank, singular values). The minimum-norm least-squares solution is unique, but
    in floating point only as determined as A's conditioning allows: x is checked through the normal
    equations A_k^H (A_k x - b) = 0 of A truncated to the reference's rank (what rcond solves), and
    its norm must not exceed the reference's (a larger one is another, non-minimal, solution).
    Residuals and singular values compare with a tolerance scaled to A and b; the rank exactly, by
    value (NumPy returns a Python-level int)."""
    if not (isinstance(impl, (tuple, list)) and len(impl) == 4):
        return [Finding("shape", "lstsq: implementation does not return (x, residuals, rank, s)")]
    a, b = (np.asarray(v) for v in sample.args[:2])
    x_ref, res_ref, rank_ref, s_ref = (np.asarray(v) for v in ref)
    x, res, rank, s = (np.asarray(v) for v in impl)
    findings = []
    for label, r, m in (("solution", x_ref, x), ("residuals", res_ref, res), ("singular values", s_ref, s)):
        for f in ctx.arrays(r, m):
            if f.category in ("dtype", "shape"):
                findings.append(Finding(f.category, f"{label}: {f.detail}"))
    if not np.isfinite(a).all() or not np.isfinite(b).all():
        return findings
    eps = _eps(np.result_type(a.dtype, x.dtype))
    n = max(a.shape)
    amax = float(np.abs(a).max(initial=0.0))
    bmax = float(np.abs(b).max(initial=0.0))
    xmax = float(np.abs(x_ref).max(initial=0.0))
    scale = 1e3 * n * eps * max(amax * xmax + bmax, 1.0)
    if x.shape == x_ref.shape and x.size:
        a64, x64, b64 = a.astype(np.complex128), x.astype(np.complex128), b.astype(np.complex128)
        u, sv, vh = np.linalg.svd(a64, full_matrices=False)
        k = int(rank_ref)  # the matrix the reference solved: A truncated to its effective rank (rcond)
        a_k = (u[:, :k] * sv[:k]) @ vh[:k]
        normal = np.abs(a_k.conj().T @ (a_k @ x64 - b64)).max()
        if not np.isfinite(x).all() or normal > scale * max(amax, 1.0):
            findings.append(Finding("value", f"solution: normal-equation residual {normal:.3g} "
                                    f"(tolerance {scale * max(amax, 1.0):.3g})", max_abs_err=float(normal)))
        norm, norm_ref = np.linalg.norm(x64, axis=0).max(), np.linalg.norm(x_ref.astype(np.complex128), axis=0).max()
        if norm > norm_ref + scale * max(xmax, 1.0):
            findings.append(Finding("value", f"solution: norm {norm:.6g} exceeds the minimum norm {norm_ref:.6g}"))
    if res.shape == res_ref.shape and res.size:
        err = float(np.abs(res.astype(np.float64) - res_ref.astype(np.float64)).max())
        if err > scale * max(bmax, 1.0):
            findings.append(Finding("value", f"residuals differ by {err:.3g}", max_abs_err=err))
    if rank.size != 1 or int(rank) != int(rank_ref):
        findings.append(Finding("value", f"rank: reference {int(rank_ref)}, implementation {rank.tolist()}"))
    if s.shape == s_ref.shape and s.size:
        err = float(np.abs(s.astype(np.float64) - s_ref.astype(np.float64)).max())
        if err > 1e3 * n * eps * max(amax, 1.0):
            findings.append(Finding("value", f"singular values differ by {err:.3g}", max_abs_err=err))
    return findings


def compare_cond(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """A condition number is computed to about n eps kappa relative accuracy, kappa the matrix's 2-norm
    condition number (every norm's goes through the inverse or the smallest singular value), so the
    tolerance grows with kappa, measured on the input in double precision. p=-2, the smallest singular
    value over the largest, is 1/kappa: it is accurate to about n eps absolutely (a singular matrix gives
    1.7e-17 in float64 and 6.7e-9 in float32, both zero to working precision). eps is the coarser
    dtype's: a declared dtype divergence (float32 where NumPy computes float64) is not also a value one."""
    ref, impl = np.asarray(ref), np.asarray(impl)
    findings = [f for f in ctx.arrays(ref, impl) if f.category != "value"]
    if ref.shape != impl.shape or not ref.size:
        return findings
    a = np.asarray(sample.args[0])
    n = a.shape[-1]
    p = sample.kwargs.get("p", sample.args[1] if len(sample.args) > 1 else None)
    absolute = not isinstance(p, str) and p is not None and p == -2
    eps = max(_eps(ref.dtype), _eps(impl.dtype))
    finite = np.isfinite(ref) & np.isfinite(impl)
    with np.errstate(all="ignore"):
        if absolute:
            err = np.where(finite, np.abs(impl - ref), 0.0)
            allowed = np.maximum(ctx.tolerance(ref.dtype).atol, 1e2 * n * eps)
        else:
            err = np.where(finite, np.abs(impl - ref) / np.where(ref != 0, np.abs(ref), 1.0), 0.0)
            allowed = np.maximum(ctx.tolerance(ref.dtype).rtol, 1e2 * n * eps * np.maximum(np.abs(ref), _kappa(a)))
    bad = err > allowed
    if bad.any():
        worst = float(err.max())
        findings.append(Finding("value", f"{int(bad.sum())} condition numbers differ "
                                f"{'absolutely' if absolute else 'by a relative'} {worst:.3g}",
                                **({"max_abs_err": worst} if absolute else {"max_rel_err": worst})))
    return findings


def _kappa(a: np.ndarray) -> np.ndarray | float:
    """Each matrix's 2-norm condition number in double precision; inf where it cannot be computed (NaN entries)."""
    try:
        with np.errstate(all="ignore"):
            return np.linalg.cond(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    except np.linalg.LinAlgError:
        return np.inf
