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

from opinfo.adapters import torch_keywords
from opinfo.comparators import compare_cond, compare_lstsq
from opinfo.declared import beyond_standard
from opinfo.dtypes import INEXACT
from opinfo.linalg import (
    DASK_BOOL_CONTRACTION,
    DASK_SMALL_INT_DOT,
    JAX_BOOL_LINALG,
    JAX_INTEGER_LINALG,
    TORCH_EMPTY_INTEGER_STACK,
    linalg_op,
    matrices,
    well_conditioned_strategy,
)
from opinfo.numeric import DASK_EMPTY_FLATTEN
from opinfo.samples import elements, ordinary_values
from opinfo.spec import Expected, Sample
from opinfo.where import integer_inputs, wrapped_to_reference

INT = ("int32", "int64")


def _m(rows, dtype) -> np.ndarray:
    return np.array(rows, dtype=np.dtype(dtype))


def _o(dtype, shape) -> np.ndarray:
    return np.resize(ordinary_values(np.dtype(dtype)), int(np.prod(shape))).reshape(shape)


def _values(dt):
    """Bounded finite values, so products of integers do not overflow and floats stay exact-ish."""
    return elements(dt, lo=-20, hi=20) if dt.kind != "b" else elements(dt)


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
        name="linalg.norm", ref=np.linalg.norm,
        doc="Vector and matrix norms by ord, axis (int or pair) and keepdims.",
        dtypes=INEXACT, samples=_norm_samples, strategy=_norm_strategy,
        spellings={"torch": torch_keywords("linalg.norm")},
        expected=(
            beyond_standard("dask", "value", "Integer input with ord other than 0, 1, 2 or inf: dask.array.linalg.norm "
                            "raises |x| to the power in the input's integer dtype, which wraps (|6|**3 in int8 is "
                            "-40); NumPy converts to float64 first.", where=integer_inputs),
            beyond_standard("dask", "dtype", "An integer or bool vector: dask counts the nonzero elements as int64 "
                            "(ord=0) and takes max |x| (ord=inf) in the input's dtype; NumPy returns float64.",
                            dtype=("float64", r"(u?int\d+|bool)")),
            beyond_standard("dask", "error", "Integer or bool input with a negative ord: dask raises |x| to a "
                            "negative power in the integer dtype, which Python's integers refuse; NumPy converts to "
                            "float64.", where=integer_inputs,
                            match=r"unsupported operand type\(s\) for \*\* or pow\(\)"),
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
            *JAX_INTEGER_LINALG,
            Expected("torch", "shape", match="singular values|residuals",
                     reason="torch.linalg.lstsq's default CPU driver, gelsy, computes neither residuals nor singular "
                            "values (empty tensors); numpy.linalg.lstsq (gelsd) returns both (residuals for tall "
                            "full-rank input)."),
            Expected("torch", "value", match="rank|solution", link="https://github.com/pytorch/pytorch/issues/187411",
                     reason="torch.linalg.lstsq's gelsy driver passes LAPACK an uninitialised pivot array, so on "
                            "rank-deficient input (a zero leading column) it often skips pivoting and returns rank 0 "
                            "and x = 0; nondeterministic, several fixed samples make it show.",
                     nondeterministic=True),
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
        name="linalg.multi_dot", ref=np.linalg.multi_dot,
        dtypes=NUMBERS, samples=_multi_dot_samples, strategy=_multi_dot_strategy,
    ),
    linalg_op(
        name="linalg.cond", ref=np.linalg.cond,
        doc="Condition numbers for every p; compared to n eps cond relative accuracy.",
        dtypes=INEXACT, samples=_cond_samples, strategy=_cond_strategy, compare=compare_cond,
        expected=(
            JAX_BOOL_LINALG, TORCH_EMPTY_INTEGER_STACK,
            Expected("torch", "special-value",
                     reason="The condition number of a zero matrix (p=None: s_max / s_min = 0 / 0): NumPy returns "
                            "inf, torch.linalg.cond NaN."),
            Expected("jax", "special-value",
                     reason="The condition number of a zero matrix (p=None: s_max / s_min = 0 / 0): NumPy returns "
                            "inf, jnp.linalg.cond NaN."),
        ),
    ),
    linalg_op(
        name="linalg.tensorsolve", ref=np.linalg.tensorsolve,
        dtypes=INEXACT, samples=_tensorsolve_samples, strategy=_tensorsolve_strategy,
        expected=(
            Expected("torch", "error", match="unexpected keyword argument 'axes'",
                     reason="torch.linalg.tensorsolve has no axes argument (NumPy's moves those axes of a to the "
                            "end); torch users permute first."),
            Expected("torch", "error-type", match="reference raised LinAlgError, implementation raised RuntimeError",
                     reason="Mismatched shapes: NumPy raises LinAlgError, torch RuntimeError."),
        ),
    ),
    linalg_op(
        name="linalg.tensorinv", ref=np.linalg.tensorinv,
        dtypes=INEXACT, samples=_tensorinv_samples, strategy=_tensorinv_strategy,
        expected=(
            Expected("jax", "accepts",
                     reason="A singular matrix: NumPy raises LinAlgError; jnp.linalg.tensorinv (traceable, so it "
                            "cannot raise on values) returns inf/NaN entries."),
        ),
    ),
    linalg_op(
        name="einsum", ref=np.einsum,
        doc="Subscripts for matmul, trace, diagonal, transpose, batched matmul, outer, sums and broadcasting.",
        dtypes=NUMBERS, samples=_einsum_samples, strategy=_einsum_strategy,
        expected=(
            beyond_standard("torch", "dtype", "A summing or contracting einsum of bool arrays: torch sums the "
                            "products as int64 counts; NumPy combines them with logical or and returns bool.",
                            dtype=("bool", "int64")),
            *DASK_BOOL_CONTRACTION, DASK_SMALL_INT_DOT,
            beyond_standard("torch", "dtype", "A summing einsum of integers: torch sums through torch.sum, which "
                            "promotes integers to int64 (unsigned ones too); NumPy keeps the input dtype.",
                            dtype=(r"u?int\d+", "int64")),
            Expected("torch", "dtype", dtypes=("int32",),
                     reason="A summing einsum ('ij->') of int32: torch sums through torch.sum, which promotes "
                            "integers to int64; NumPy keeps int32."),
            DASK_EMPTY_INT32,
        ),
    ),
    linalg_op(name="dot", ref=np.dot, dtypes=NUMBERS, samples=_dot_samples,
              strategy=_dot_strategy, expected=(
                  _torch_1d("torch.dot"), DASK_EMPTY_INT32, *DASK_BOOL_CONTRACTION, DASK_SMALL_INT_DOT,
                  beyond_standard("dask", "value", "8-, 16- and 32-bit integers: dask.array.dot sums the products in "
                                  "int64 (uint64) and returns that, so a sum that overflows the input dtype is exact "
                                  "in dask and wraps around in NumPy.", where=wrapped_to_reference),
                  Expected("dask", "error", match="list index out of range",
                           reason="dask.array.dot of a 0-d array fails with IndexError inside dask's tensordot; NumPy "
                                  "scales the other operand."),
              )),
    linalg_op(name="inner", ref=np.inner, dtypes=NUMBERS, samples=_inner_samples,
              strategy=_inner_strategy),
    linalg_op(name="outer", ref=np.outer, dtypes=NUMBERS, samples=_outer_samples,
              strategy=_pair_strategy, expected=(_torch_1d("torch.outer", "flattens other inputs", "Expected 1-D"),
                                                 DASK_EMPTY_FLATTEN)),
    linalg_op(name="kron", ref=np.kron, dtypes=NUMBERS, samples=_kron_samples,
              strategy=lambda dt: _pair_strategy(dt, max_dims=3)),
    linalg_op(name="vdot", ref=np.vdot, dtypes=NUMBERS, samples=_vdot_samples,
              strategy=_vdot_strategy, expected=(_torch_1d("torch.vdot", "flattens other inputs"), DASK_EMPTY_FLATTEN,
                                                 DASK_EMPTY_INT32, *DASK_BOOL_CONTRACTION, DASK_SMALL_INT_DOT)),
    linalg_op(name="trace", ref=np.trace, dtypes=NUMBERS, samples=_trace_samples,
              strategy=_trace_strategy, expected=(
                  beyond_standard("torch", "dtype", "torch.trace of uint8 sums in int64 (it has no uint64 "
                                  "accumulator); NumPy sums unsigned integers in uint64.", dtype=("uint64", "int64")),
                  Expected("torch", "error", match="expected a matrix|unexpected keyword|takes 1 positional",
                           reason="torch.trace takes a 2-D matrix only, with no offset or axis arguments; numpy.trace "
                                  "also takes an offset and sums diagonals of N-D arrays over axis1/axis2."),
              )),
    linalg_op(name="matvec", ref=np.matvec, dtypes=NUMBERS, samples=_matvec_samples,
              strategy=_matvec_strategy),
    linalg_op(name="vecmat", ref=np.vecmat, dtypes=NUMBERS, samples=_vecmat_samples,
              strategy=lambda dt: _matvec_strategy(dt, vecmat=True)),
]

