"""NumPy linear algebra beyond the Array API standard: norm, lstsq, multi_dot, cond, tensorsolve,
tensorinv, einsum, and the top-level products dot, inner, outer, kron, vdot, trace, matvec, vecmat.

Values are compared, not only shapes. Where a result is not unique or is sensitive to conditioning
the comparator checks what *is* determined: a least-squares solution through the normal equations
``A^H (A x - b) = 0`` and its norm (the minimum-norm solution is the smallest), a condition number
relative to the rounding it amplifies (``n eps cond``). Matrices are drawn with moderate entries
(``opinfo.linalg``'s strategies); ill-conditioned, singular and rank-deficient ones are fixed samples.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.linalg import linalg_op, matrices, well_conditioned_strategy
from opinfo.numeric import DASK_EMPTY_FLATTEN
from opinfo.samples import INEXACT, elements, ordinary_values
from opinfo.spec import Expected, Sample
from parity.compare import CompareContext, Finding

INT = ("int32", "int64")


def _m(rows, dtype) -> np.ndarray:
    return np.array(rows, dtype=np.dtype(dtype))


def _o(dtype, shape) -> np.ndarray:
    return np.resize(ordinary_values(np.dtype(dtype)), int(np.prod(shape))).reshape(shape)


def _values(dt):
    """Bounded finite values, so products of integers do not overflow and floats stay exact-ish."""
    return elements(dt, lo=-20, hi=20) if dt.kind != "b" else elements(dt)


def _eps(dtype) -> float:
    dt = np.dtype(dtype)
    return float(np.finfo(dt).eps) if dt.kind in "fc" else float(np.finfo(np.float64).eps)


def _torch_kw(fname, **rename):
    """``torch.<fname>`` with NumPy keyword names renamed (axis -> dim, keepdims -> keepdim, ...)."""
    rename = {"axis": "dim", "keepdims": "keepdim", **rename}

    def call(torch, *args, **kwargs):
        f = torch
        for part in fname.split("."):
            f = getattr(f, part)
        return f(*args, **{rename.get(k, k): v for k, v in kwargs.items()})

    call.__name__ = f"torch.{fname}"
    return call


# --------------------------------------------------------------------------- norm
MATRIX_ORDS = (None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2)
VECTOR_ORDS = (None, 0, 1, -1, 2, -2, 3, np.inf, -np.inf)


def _norm_samples(dtype):
    dt = np.dtype(dtype)
    v = _m([3.0, -4.0, 0.0, 1.0], dt)
    a = _m([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], dt)
    stack = np.stack([a, -2 * a, np.zeros_like(a)])
    return [Sample((v,), {"ord": o}, note=f"vector, ord={o}") for o in VECTOR_ORDS] + \
        [Sample((a,), {"ord": o}, note=f"matrix, ord={o}") for o in MATRIX_ORDS] + [
        Sample((a,), note="2-D, no ord: Frobenius"),
        Sample((stack,), note="3-D, no ord, no axis: 2-norm of the flattened array"),
        Sample((stack,), {"axis": (1, 2), "ord": "nuc"}, note="batched matrices"),
        Sample((stack,), {"axis": (-1, -2), "ord": 1}, note="batched, swapped axes"),
        Sample((a,), {"axis": 1, "ord": 3}, note="vectors along an axis"),
        Sample((a,), {"axis": 0, "keepdims": True}),
        Sample((stack,), {"axis": (1, 2), "ord": np.inf, "keepdims": True}),
        Sample((_m([[1.0, 2.0], [2.0, 4.0]], dt),), {"ord": -2}, note="singular: smallest singular value 0"),
        Sample((np.empty((0,), dtype=dt),), note="empty vector: 0"),
    ]


@st.composite
def _norm_strategy(draw, dtype):
    dt = np.dtype(dtype)
    if draw(st.booleans()):
        x = draw(matrices(dt, square=False))
        kwargs = {"ord": draw(st.sampled_from(MATRIX_ORDS))}
        if x.ndim == 3:
            kwargs["axis"] = draw(st.sampled_from([(1, 2), (-1, -2), (0, 2)]))
        elif kwargs["ord"] is not None and draw(st.booleans()):
            kwargs["axis"] = (0, 1)
    else:
        x = draw(matrices(dt, square=False))
        kwargs = {"ord": draw(st.sampled_from(VECTOR_ORDS)), "axis": draw(st.integers(-x.ndim, x.ndim - 1))}
    if draw(st.booleans()):
        kwargs["keepdims"] = True
    if kwargs.get("ord") is None:
        del kwargs["ord"]
    return Sample((x,), kwargs)


# --------------------------------------------------------------------------- lstsq
def _lstsq_samples(dtype):
    dt = np.dtype(dtype)
    tall = _m([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0], [1.0, 4.0]], dt)
    y = _m([6.0, 5.0, 7.0, 10.0], dt)
    return [
        Sample((_m([[3.0, 1.0], [1.0, 2.0]], dt), _m([9.0, 8.0], dt)), note="square, exact"),
        Sample((tall, y), note="tall, full rank: line fit with residual"),
        Sample((tall, np.stack([y, -y], axis=1)), note="two right-hand sides"),
        Sample((tall.T.copy(), _m([1.0, 2.0], dt)), note="wide: minimum-norm solution"),
        Sample((_m([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], dt), _m([1.0, 2.0, 2.0], dt)),
               note="rank deficient: minimum-norm solution, no residual"),
        Sample((_m([[1.0, 0.0], [0.0, 1e-3], [0.0, 0.0]], dt), _m([1.0, 1.0, 1.0], dt)), {"rcond": 1e-2},
               note="rcond cuts the small singular value"),
        Sample((_m([[2.0]], dt), _m([4.0], dt)), note="1 x 1: no residuals (M <= N)"),
        Sample((np.zeros((2, 2), dtype=dt), _m([1.0, 1.0], dt)), note="zero matrix: rank 0, x = 0"),
        Sample((_m([[0.0, 2.0]], dt), _m([4.0], dt)), note="a zero leading column: needs pivoting"),
        Sample((_m([[0.0, 2.0], [0.0, 1.0]], dt), _m([4.0, 1.0], dt)), note="rank 1, zero leading column"),
        Sample((_m([[0.0, 2.0, 0.0], [0.0, 0.0, 3.0]], dt), _m([4.0, 1.0], dt)), note="wide, zero leading column"),
        Sample((_m([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]], dt), _m([1.0, 1.0, 1.0], dt)),
               note="shifted identity, rank 2"),
        Sample((_m([[1.0, 1.0], [1.0, 1.0 + 1e-4]], dt), _m([2.0, 2.0], dt)), note="ill-conditioned"),
    ]


@st.composite
def _lstsq_strategy(draw, dtype):
    dt = np.dtype(dtype)
    a = draw(matrices(dt, square=False, batch=False))
    if draw(st.booleans()):  # rank deficiency by duplicating a column
        a = np.concatenate([a, a[:, :1]], axis=1)
    shape = (a.shape[0],) if draw(st.booleans()) else (a.shape[0], draw(st.integers(1, 2)))
    b = draw(hnp.arrays(dt, shape, elements=_values(dt)))
    return Sample((a, b))


def _lstsq_ref(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)


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


# --------------------------------------------------------------------------- multi_dot, cond
def _multi_dot_samples(dtype):
    dt = np.dtype(dtype)
    a, b, c, d = _o(dt, (2, 3)), _o(dt, (3, 4)), _o(dt, (4, 1)), _o(dt, (1, 5))
    return [
        Sample(([a, b],), note="two matrices"),
        Sample(([a, b, c],), note="three"),
        Sample(([a, b, c, d],), note="four: the order of products is chosen by cost"),
        Sample(([a[0], b, c],), note="first 1-D: a row vector"),
        Sample(([a, b, c[:, 0]],), note="last 1-D: a column vector"),
        Sample(([a[0], b[:, 0]],), note="both 1-D: a 0-d result"),
        Sample(([np.empty((2, 0), dtype=dt), np.empty((0, 3), dtype=dt), c[:3]],), note="empty inner dimension"),
    ]


@st.composite
def _multi_dot_strategy(draw, dtype):
    dt = np.dtype(dtype)
    dims = draw(st.lists(st.integers(1, 4), min_size=3, max_size=5))
    mats = [draw(hnp.arrays(dt, (dims[i], dims[i + 1]), elements=_values(dt))) for i in range(len(dims) - 1)]
    if draw(st.booleans()):
        mats[0] = mats[0][0]
    return Sample((mats,))


CONDS = (None, 1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc")


def _cond_samples(dtype):
    dt = np.dtype(dtype)
    a = _m([[3.0, 1.0], [1.0, 2.0]], dt)
    ill = _m([[1.0, 1.0], [1.0, 1.001]], dt)
    return [Sample((a,), {"p": p}, note=f"p={p}") for p in CONDS] + [
        Sample((ill,), note="ill-conditioned, cond ~ 4e3"),
        Sample((ill,), {"p": "fro"}, note="ill-conditioned, through the inverse"),
        Sample((np.stack([a, ill]),), {"p": 1}, note="batched"),
        Sample((np.zeros((2, 2), dtype=dt),), note="zero matrix: inf"),
        Sample((np.zeros((2, 2), dtype=dt),), {"p": "fro"}, note="zero matrix through the inverse: inf"),
    ]


@st.composite
def _cond_strategy(draw, dtype):
    sample = draw(well_conditioned_strategy(dtype))
    p = draw(st.sampled_from(CONDS))
    return Sample(sample.args, {} if p is None else {"p": p})


def compare_cond(sample, ref, impl, ctx: CompareContext) -> list[Finding]:
    """A condition number is computed to about n eps cond relative accuracy: the tolerance grows with it."""
    ref, impl = np.asarray(ref), np.asarray(impl)
    findings = [f for f in ctx.arrays(ref, impl) if f.category != "value"]
    if ref.shape != impl.shape or not ref.size:
        return findings
    n = np.asarray(sample.args[0]).shape[-1]
    finite = np.isfinite(ref) & np.isfinite(impl)
    with np.errstate(all="ignore"):
        rel = np.where(finite, np.abs(impl - ref) / np.where(ref != 0, np.abs(ref), 1.0), 0.0)
        allowed = np.maximum(ctx.tolerance(ref.dtype).rtol, 1e2 * n * _eps(ref.dtype) * np.abs(ref))
    bad = rel > allowed
    if bad.any():
        findings.append(Finding("value", f"{int(bad.sum())} condition numbers differ by a relative "
                                f"{float(rel.max()):.3g}", max_rel_err=float(rel.max())))
    return findings


# --------------------------------------------------------------------------- tensorsolve, tensorinv
def _dominant(n, dt):
    """An n x n diagonally dominant (so invertible, well-conditioned) matrix of ordinary values."""
    a = _o(dt, (n, n))
    return (a + np.eye(n, dtype=dt) * (np.abs(a).sum(axis=-1, keepdims=True) + 1)).astype(dt)


def _tensorsolve_samples(dtype):
    dt = np.dtype(dtype)
    a6 = _dominant(6, dt)
    b = _o(dt, (6,))
    return [
        Sample((a6.reshape(6, 2, 3), b.reshape(6)), note="a (6, 2, 3), b (6,)"),
        Sample((a6.reshape(2, 3, 6), b.reshape(2, 3)), note="a (2, 3, 6), b (2, 3)"),
        Sample((a6.reshape(2, 3, 2, 3), b.reshape(2, 3)), note="a (2, 3, 2, 3)"),
        Sample((a6.reshape(6, 3, 2), b), {"axes": (2,)}, note="axes moved to the end"),
        Sample((np.ones((2, 2, 2), dtype=dt).reshape(4, 2), b[:4].reshape(2, 2)), note="shape mismatch: raise"),
    ]


@st.composite
def _tensorsolve_strategy(draw, dtype):
    dt = np.dtype(dtype)
    split = draw(st.sampled_from([(2, 2), (2, 3), (3, 2), (1, 4)]))
    n = split[0] * split[1]
    a = _grow(draw, dt, n)
    b = draw(hnp.arrays(dt, split, elements=_values(dt)))
    return Sample((a.reshape(split + split), b))


def _grow(draw, dt, n):
    """A diagonally dominant n x n matrix (the linalg strategies stop at 4 x 4)."""
    from opinfo.linalg import _entries

    a = draw(hnp.arrays(dt, (n, n), elements=_entries(dt)))
    return (a + np.eye(n, dtype=dt) * (np.abs(a).sum(axis=-1, keepdims=True) + 1)).astype(dt)


def _tensorinv_samples(dtype):
    dt = np.dtype(dtype)
    a6 = _dominant(6, dt)
    return [
        Sample((a6.reshape(6, 2, 3),), {"ind": 1}, note="(6, 2, 3), ind=1: inverse (2, 3, 6)"),
        Sample((a6.reshape(2, 3, 6),), {"ind": 2}, note="(2, 3, 6), ind=2"),
        Sample((a6.reshape(2, 3, 3, 2),), note="default ind=2"),
        Sample((np.ones((2, 2), dtype=dt),), {"ind": 1}, note="singular: both should raise"),
    ]


@st.composite
def _tensorinv_strategy(draw, dtype):
    dt = np.dtype(dtype)
    left = draw(st.sampled_from([(4,), (2, 2), (2, 3), (3,)]))
    n = int(np.prod(left))
    right = draw(st.sampled_from([s for s in [(n,), (1, n), (n, 1), left[::-1]] if int(np.prod(s)) == n]))
    a = _grow(draw, dt, n)
    return Sample((a.reshape(left + right),), {"ind": len(left)})


# --------------------------------------------------------------------------- einsum
#: (subscripts, operand index strings): what einsum is used for.
EINSUM_PATTERNS = (
    ("ij,jk->ik", ("ij", "jk")),
    ("ij,jk", ("ij", "jk")),
    ("ii->", ("ii",)),
    ("ii->i", ("ii",)),
    ("ij->ji", ("ij",)),
    ("bij,bjk->bik", ("bij", "bjk")),
    ("i,j->ij", ("i", "j")),
    ("ij->", ("ij",)),
    ("ij->j", ("ij",)),
    ("i,i->", ("i", "i")),
    ("ij,ij->i", ("ij", "ij")),
    ("...ij,...jk->...ik", ("bij", "bjk")),
    ("ijk->kji", ("ijk",)),
    ("ij,j->i", ("ij", "j")),
)


def _einsum_operands(dt, indices, sizes, draw=None):
    ops = []
    for idx in indices:
        shape = tuple(sizes[c] for c in idx)
        ops.append(draw(hnp.arrays(dt, shape, elements=_values(dt))) if draw else _o(dt, shape))
    return ops


def _einsum_samples(dtype):
    dt = np.dtype(dtype)
    sizes = {"i": 3, "j": 3, "k": 2, "b": 2}
    samples = [Sample((subs, *_einsum_operands(dt, idx, sizes)), note=subs) for subs, idx in EINSUM_PATTERNS]
    return samples + [Sample(("ij,jk->ik", np.empty((2, 0), dtype=dt), np.empty((0, 3), dtype=dt)),
                             note="empty contraction: zeros")]


@st.composite
def _einsum_strategy(draw, dtype):
    dt = np.dtype(dtype)
    subs, indices = draw(st.sampled_from(EINSUM_PATTERNS))
    n = draw(st.integers(0, 4))
    sizes = {c: (n if c in "ij" and "ii" in subs else draw(st.integers(0, 4))) for c in "ijkb"}
    if "ii" in subs:
        sizes["j"] = sizes["i"]
    return Sample((subs, *_einsum_operands(dt, indices, sizes, draw)))


# --------------------------------------------------------------------------- products
def _dot_samples(dtype):
    dt = np.dtype(dtype)
    a, b = _o(dt, (2, 3)), _o(dt, (3, 4))
    return [
        Sample((a[0], b[:, 0]), note="1-D . 1-D"),
        Sample((a, b), note="2-D . 2-D"),
        Sample((a, b[:, 0]), note="2-D . 1-D"),
        Sample((a[0], b), note="1-D . 2-D"),
        Sample((np.array(a[0, 0]), b), note="0-d . 2-D: scaling"),
        Sample((_o(dt, (2, 2, 3)), _o(dt, (2, 3, 2))), note="N-D: last axis with second-to-last"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty: 0"),
    ]


@st.composite
def _dot_strategy(draw, dtype):
    dt = np.dtype(dtype)
    k = draw(st.integers(0, 4))
    lead_a = draw(st.sampled_from([(), (2,), (2, 3)]))
    shape_b = draw(st.sampled_from([(k,), (k, 2), (2, k, 3)]))
    a = draw(hnp.arrays(dt, lead_a + (k,), elements=_values(dt)))
    b = draw(hnp.arrays(dt, shape_b, elements=_values(dt)))
    return Sample((a, b))


def _inner_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (2, 3))
    return [
        Sample((a[0], a[1]), note="1-D"),
        Sample((a, a[::-1].copy()), note="2-D: a @ b.T"),
        Sample((_o(dt, (2, 2, 3)), a), note="3-D with 2-D"),
        Sample((np.array(a[0, 1]), a), note="0-d: scaling"),
        Sample((np.empty((2, 0), dtype=dt), np.empty((3, 0), dtype=dt)), note="empty: zeros"),
    ]


@st.composite
def _inner_strategy(draw, dtype):
    dt = np.dtype(dtype)
    k = draw(st.integers(0, 4))
    a = draw(hnp.arrays(dt, draw(st.sampled_from([(), (2,), (2, 3)])) + (k,), elements=_values(dt)))
    b = draw(hnp.arrays(dt, draw(st.sampled_from([(), (3,)])) + (k,), elements=_values(dt)))
    return Sample((a, b))


def _outer_samples(dtype):
    dt = np.dtype(dtype)
    a = ordinary_values(dt)
    return [
        Sample((a[:3], a[3:7])),
        Sample((a[:4].reshape(2, 2), a[:3]), note="2-D input is flattened"),
        Sample((np.array(a[0]), a[:3]), note="0-d input"),
        Sample((np.empty((0,), dtype=dt), a[:3]), note="empty"),
        Sample((np.empty((0, 3), dtype=dt), np.empty((3, 0), dtype=dt)), note="empty 2-D"),
    ]


@st.composite
def _pair_strategy(draw, dtype, max_dims=2):
    dt = np.dtype(dtype)
    return Sample(tuple(draw(hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=3),
                                        elements=_values(dt))) for _ in range(2)))


def _kron_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (2, 2))
    return [
        Sample((a, np.eye(2, dtype=dt)), note="block diagonal"),
        Sample((a[0], _o(dt, (3,))), note="1-D"),
        Sample((a, _o(dt, (3,))), note="2-D with 1-D"),
        Sample((_o(dt, (2, 1, 2)), a), note="3-D with 2-D"),
        Sample((np.array(a[0, 0]), a), note="0-d: scaling"),
        Sample((np.empty((0, 2), dtype=dt), a), note="empty"),
    ]


def _vdot_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (2, 3))
    return [
        Sample((a[0], a[1]), note="1-D, first conjugated"),
        Sample((a, a[::-1].copy()), note="2-D: flattened"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty: 0"),
        Sample((np.empty((0, 3), dtype=dt), np.empty((0, 3), dtype=dt)), note="empty 2-D"),
        Sample((np.empty((3, 0), dtype=dt), np.empty((3, 0), dtype=dt)), note="empty 2-D, no columns"),
    ]


@st.composite
def _vdot_strategy(draw, dtype):
    dt = np.dtype(dtype)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4))
    return Sample(tuple(draw(hnp.arrays(dt, shape, elements=_values(dt))) for _ in range(2)))


def _trace_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (3, 4))
    return [
        Sample((a,)),
        Sample((a,), {"offset": 1}),
        Sample((a,), {"offset": -2}),
        Sample((_o(dt, (2, 3, 3)),), note="3-D: axes 0 and 1 by default"),
        Sample((_o(dt, (2, 3, 3)),), {"axis1": 1, "axis2": 2}, note="batched over the first axis"),
        Sample((np.empty((0, 0), dtype=dt),), note="empty: 0"),
    ]


@st.composite
def _trace_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4), elements=_values(dt)))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["offset"] = draw(st.integers(-3, 3))
    if x.ndim == 3 and draw(st.booleans()):
        kwargs.update(axis1=1, axis2=2)
    return Sample((x,), kwargs)


def _matvec_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (2, 3))
    return [
        Sample((a, a[1]), note="matrix and vector"),
        Sample((_o(dt, (2, 2, 3)), a), note="batched, broadcast"),
        Sample((np.empty((0, 3), dtype=dt), a[0]), note="no rows"),
    ]


def _vecmat_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (2, 3))
    return [
        Sample((a[:, 0].copy(), a), note="vector (conjugated) and matrix"),
        Sample((a[:, :2].T.copy(), _o(dt, (2, 2, 3))), note="batched, broadcast"),
        Sample((np.empty((0,), dtype=dt), np.empty((0, 3), dtype=dt)), note="empty contraction: zeros"),
    ]


@st.composite
def _matvec_strategy(draw, dtype, vecmat=False):
    dt = np.dtype(dtype)
    m, n = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    lead = draw(st.sampled_from([(), (2,)]))
    mat = draw(hnp.arrays(dt, lead + (m, n), elements=_values(dt)))
    vec = draw(hnp.arrays(dt, draw(st.sampled_from([(), lead])) + ((m,) if vecmat else (n,)), elements=_values(dt)))
    return Sample((vec, mat) if vecmat else (mat, vec))


NUMBERS = INT + INEXACT
DASK_EMPTY_INT32 = Expected(
    "dask", "dtype", dtypes=("int32",),
    reason="An empty int32 contraction: dask sums the (empty) chunk products with the default integer, int64; NumPy "
           "keeps int32.")


def _torch_1d(fname, numpy_does="handles scalars and N-D arrays", match="1D tensors expected"):
    return Expected("torch", "error", match=match,
                    reason=f"{fname} takes 1-D tensors only; NumPy {numpy_does}.")


OPS = [
    linalg_op(
        name="linalg.norm", ref=np.linalg.norm, reference_name="numpy.linalg.norm",
        doc="Vector and matrix norms by ord, axis (int or pair) and keepdims.",
        dtypes=INEXACT, samples=_norm_samples, strategy=_norm_strategy,
        spellings={"torch": _torch_kw("linalg.norm")},
        expected=(
            Expected("dask", "error",
                     match="chunked in one dimension only|not implemented for ndim > 2|Improper number of dimensions",
                     reason="dask.array.linalg.norm computes ord=2, -2 and 'nuc' by a tall-and-skinny SVD, which "
                            "needs the matrix chunked along one dimension only (users must rechunk) and is not "
                            "batched; with no ord and no axis it refuses 3-D input (NumPy flattens it)."),
        ),
    ),
    linalg_op(
        name="linalg.lstsq", ref=_lstsq_ref, reference_name="numpy.linalg.lstsq",
        doc="(x, residuals, rank, s); x compared through the normal equations and its norm.",
        dtypes=INEXACT, samples=_lstsq_samples, strategy=_lstsq_strategy, compare=compare_lstsq,
        expected=(
            Expected("torch", "shape", match="singular values|residuals",
                     reason="torch.linalg.lstsq's default CPU driver, gelsy, computes neither residuals nor singular "
                            "values (empty tensors); numpy.linalg.lstsq (gelsd) returns both (residuals for tall "
                            "full-rank input)."),
            Expected("torch", "value", match="rank|solution", link="https://github.com/pytorch/pytorch/issues/187411",
                     reason="torch.linalg.lstsq's gelsy driver passes LAPACK an uninitialised pivot array, so on "
                            "rank-deficient input (a zero leading column) it often skips pivoting and returns rank 0 "
                            "and x = 0; nondeterministic, several fixed samples make it show."),
            Expected("jax", "shape", match="residuals",
                     reason="jnp.linalg.lstsq returns residuals also for rank-deficient or wide input unless "
                            "numpy_resid=True; NumPy returns an empty array there."),
            Expected("dask", "shape", match="residuals",
                     reason="dask.array.linalg.lstsq returns residuals also for square input; NumPy returns an "
                            "empty array unless M > N."),
            Expected("dask", "error",
                     match="tall-and-skinny|[Ss]ingular matrix|a.shape\\[1\\] and b.shape\\[0\\] must be equal|"
                           "unexpected keyword argument 'rcond'",
                     reason="dask.array.linalg.lstsq solves through a tall-and-skinny QR and a triangular solve: a "
                            "matrix split into several column chunks raises NotImplementedError (users must rechunk), "
                            "rank-deficient input LinAlgError and wide input ValueError, and it has no rcond; "
                            "NumPy returns the minimum-norm solution."),
        ),
    ),
    linalg_op(
        name="linalg.multi_dot", ref=np.linalg.multi_dot, reference_name="numpy.linalg.multi_dot",
        dtypes=NUMBERS, samples=_multi_dot_samples, strategy=_multi_dot_strategy,
    ),
    linalg_op(
        name="linalg.cond", ref=np.linalg.cond, reference_name="numpy.linalg.cond",
        doc="Condition numbers for every p; compared to n eps cond relative accuracy.",
        dtypes=INEXACT, samples=_cond_samples, strategy=_cond_strategy, compare=compare_cond,
        expected=(
            Expected("torch", "special-value",
                     reason="The condition number of a zero matrix (p=None: s_max / s_min = 0 / 0): NumPy returns "
                            "inf, torch.linalg.cond NaN."),
            Expected("jax", "special-value",
                     reason="The condition number of a zero matrix (p=None: s_max / s_min = 0 / 0): NumPy returns "
                            "inf, jnp.linalg.cond NaN."),
        ),
    ),
    linalg_op(
        name="linalg.tensorsolve", ref=np.linalg.tensorsolve, reference_name="numpy.linalg.tensorsolve",
        dtypes=INEXACT, samples=_tensorsolve_samples, strategy=_tensorsolve_strategy,
        expected=(
            Expected("torch", "error", match="unexpected keyword argument 'axes'",
                     reason="torch.linalg.tensorsolve has no axes argument (NumPy's moves those axes of a to the "
                            "end); torch users permute first."),
            Expected("torch", "error-type",
                     reason="Mismatched shapes: NumPy raises LinAlgError, torch RuntimeError."),
        ),
    ),
    linalg_op(
        name="linalg.tensorinv", ref=np.linalg.tensorinv, reference_name="numpy.linalg.tensorinv",
        dtypes=INEXACT, samples=_tensorinv_samples, strategy=_tensorinv_strategy,
        expected=(
            Expected("jax", "accepts",
                     reason="A singular matrix: NumPy raises LinAlgError; jnp.linalg.tensorinv (traceable, so it "
                            "cannot raise on values) returns inf/NaN entries."),
        ),
    ),
    linalg_op(
        name="einsum", ref=np.einsum, reference_name="numpy.einsum",
        doc="Subscripts for matmul, trace, diagonal, transpose, batched matmul, outer, sums and broadcasting.",
        dtypes=NUMBERS, samples=_einsum_samples, strategy=_einsum_strategy,
        expected=(
            Expected("torch", "dtype", dtypes=("int32",),
                     reason="A summing einsum ('ij->') of int32: torch sums through torch.sum, which promotes "
                            "integers to int64; NumPy keeps int32."),
            DASK_EMPTY_INT32,
        ),
    ),
    linalg_op(name="dot", ref=np.dot, reference_name="numpy.dot", dtypes=NUMBERS, samples=_dot_samples,
              strategy=_dot_strategy, expected=(
                  _torch_1d("torch.dot"), DASK_EMPTY_INT32,
                  Expected("dask", "error", match="list index out of range",
                           reason="dask.array.dot of a 0-d array fails with IndexError inside dask's tensordot; NumPy "
                                  "scales the other operand."),
              )),
    linalg_op(name="inner", ref=np.inner, reference_name="numpy.inner", dtypes=NUMBERS, samples=_inner_samples,
              strategy=_inner_strategy),
    linalg_op(name="outer", ref=np.outer, reference_name="numpy.outer", dtypes=NUMBERS, samples=_outer_samples,
              strategy=_pair_strategy, expected=(_torch_1d("torch.outer", "flattens other inputs", "Expected 1-D"),
                                                 DASK_EMPTY_FLATTEN)),
    linalg_op(name="kron", ref=np.kron, reference_name="numpy.kron", dtypes=NUMBERS, samples=_kron_samples,
              strategy=lambda dt: _pair_strategy(dt, max_dims=3)),
    linalg_op(name="vdot", ref=np.vdot, reference_name="numpy.vdot", dtypes=NUMBERS, samples=_vdot_samples,
              strategy=_vdot_strategy, expected=(_torch_1d("torch.vdot", "flattens other inputs"), DASK_EMPTY_FLATTEN,
                                                 DASK_EMPTY_INT32)),
    linalg_op(name="trace", ref=np.trace, reference_name="numpy.trace", dtypes=NUMBERS, samples=_trace_samples,
              strategy=_trace_strategy, expected=(
                  Expected("torch", "error", match="expected a matrix|unexpected keyword|takes 1 positional",
                           reason="torch.trace takes a 2-D matrix only, with no offset or axis arguments; numpy.trace "
                                  "also takes an offset and sums diagonals of N-D arrays over axis1/axis2."),
              )),
    linalg_op(name="matvec", ref=np.matvec, reference_name="numpy.matvec", dtypes=NUMBERS, samples=_matvec_samples,
              strategy=_matvec_strategy),
    linalg_op(name="vecmat", ref=np.vecmat, reference_name="numpy.vecmat", dtypes=NUMBERS, samples=_vecmat_samples,
              strategy=lambda dt: _matvec_strategy(dt, vecmat=True)),
]

