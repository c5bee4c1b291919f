"""Linear algebra: matmul and the ``linalg`` extension, compared by value.

Where a result is not unique (eigenvectors, SVD and QR factors) the op carries
a comparator that checks what *is* determined: eigenvalues as a multiset,
residuals ``A v = v diag(w)``, reconstructions ``Q R = A``, ``U S Vh = A``.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.adapters import torch_keywords
from opinfo.comparators import compare_eig, compare_eigh, compare_eigvals, compare_qr, compare_svd
from opinfo.declared import beyond_standard, torch_shell_uints
from opinfo.dtypes import ALL, FLOAT, INEXACT, INTEGER, NUMERIC, UNSIGNED, Tolerance
from opinfo.samples import elements, ordinary_values
from opinfo.spec import Expected, OpInfo, Sample, op
from opinfo.where import (
    conjugate_transpose_of_reference,
    empty_input,
    integer_inputs,
    one_row_matrix,
    same_truth,
    wrapped_to_reference,
)

EIG_DTYPE_ISSUE = "https://github.com/data-apis/array-api/issues/978"


SMALL_INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


def _dask_2d_only(fname: str, match: str) -> Expected:
    return Expected("dask", "error", match=match + "|All chunks must be a square matrix|chunked in one dimension only",
                    reason=f"da.linalg.{fname} takes 2-D arrays only, in a restricted chunk layout (square chunks; "
                           "qr and svd tall-and-skinny chunking): a stack of matrices, or another chunking, raises, "
                           "where NumPy and the standard work on the last two axes of any batch.")


#: dask contracts chunk by chunk and adds the partial products in a 64-bit accumulator.
_DASK_BOOL_REASON = ("A contraction of bool arrays: dask combines the products within each chunk with logical or "
                     "and then sums the chunks' results as int64 (the number of chunks holding a True product); "
                     "NumPy returns bool.")
#: dask's contractions (dot, matmul, tensordot, vdot, einsum) of bool arrays.
DASK_BOOL_CONTRACTION = (
    beyond_standard("dask", "dtype", _DASK_BOOL_REASON, dtype=("bool", "int64")),
    beyond_standard("dask", "value", _DASK_BOOL_REASON, where=same_truth),
)
#: dask's dot, vdot and einsum of small integers accumulate in int64.
DASK_SMALL_INT_DOT = beyond_standard(
    "dask", "dtype", dtype=(r"u?int(8|16|32)", r"u?int64"),
    reason="dask contracts 8-, 16- and 32-bit integers in int64 (uint64), its partial-sum accumulator, and returns "
           "that; NumPy keeps the input dtype.")

#: jax.numpy's linalg computes integer and bool matrices in float32 (float64 for 64-bit integers).
JAX_INTEGER_LINALG = (
    beyond_standard("jax", "dtype", "Integer or bool matrices: jax.numpy's linalg computes them in float32 (complex64 "
                    "eigenvalues, complex128 for 64-bit integers); NumPy converts them to float64.",
                    dtype=(r"(float64|complex128)", r"(float32|complex64|complex128)")),
    beyond_standard("jax", "value", "Integer matrices computed in float32 by jax.numpy (NumPy: float64): results "
                    "agree to float32's precision only.", where=integer_inputs),
)
#: torch's eigh, eigvalsh and cond return early on an empty stack, before refusing (or converting) integers.
TORCH_EMPTY_INTEGER_STACK = beyond_standard(
    "torch", "dtype", "An empty stack of integer or bool matrices: torch.linalg.eigh/eigvalsh/cond return an empty "
    "result of the input's dtype (on a non-empty one they refuse integers); NumPy converts to float64.",
    where=empty_input, match=r"reference dtype float64, implementation dtype (bool|u?int\d+)$")
#: NumPy refuses some bool matrices outright; jax.numpy converts them.
JAX_BOOL_LINALG = beyond_standard(
    "jax", "accepts", "A singular bool matrix: NumPy's SVD does not converge and raises LinAlgError, jax.numpy "
    "converts it to float32 and computes.", where=integer_inputs, match="did not converge")

DASK_INT_ACCUMULATOR = (
    Expected("dask", "dtype", dtypes=SMALL_INTS,
             reason="dask's matmul/tensordot of 8-, 16- and 32-bit integers returns int64 (uint64), the dtype of its "
                    "partial-sum accumulator; NumPy keeps the input dtype."),
    Expected("dask", "value", where=wrapped_to_reference, dtypes=SMALL_INTS,
             reason="dask adds the per-chunk partial products in int64 (uint64) without wrapping back, so a sum "
                    "that overflows the input dtype is exact in dask and wraps around in NumPy."),
)


#: da.linalg.lu (behind inv and solve) pivots inside each diagonal block only, never across blocks.
DASK_BLOCK_PIVOTING = Expected(
    "dask", "error", match="singular matrix",
    reason="da.linalg.lu, which inv and solve use, factorises block by block and pivots only inside a diagonal "
           "chunk: a zero leading entry of a chunk makes it raise LinAlgError('singular matrix') for an invertible "
           "matrix that NumPy (LAPACK getrf, partial pivoting over the whole column) inverts.")


def _overflowing_dot(dtype) -> list[Sample]:
    """Two partial products that each fit the integer dtype but whose sum does not: NumPy wraps around."""
    dt = np.dtype(dtype)
    if dt.kind not in "iu" or dt.itemsize == 8:
        return []
    v = int(np.sqrt(np.iinfo(dt).max))
    return [Sample((np.full((1, 2), v, dtype=dt), np.full((2, 1), v, dtype=dt)), note="sum overflows the dtype")]


def _jax_no_raise(fname: str, what: str, result: str) -> Expected:
    """JAX does not raise on values (it would need a device-to-host sync); a failed factorisation shows as NaN."""
    return Expected("jax", "accepts",
                    reason=f"jnp.linalg.{fname} of {what} returns {result} entries where NumPy raises LinAlgError: "
                           "JAX never raises on array values, as that would need a device-to-host sync.")


def _always_complex(backend: str, fname: str) -> Expected:
    """NumPy < 2.5's eig/eigvals return real arrays when every eigenvalue is real; most libraries never do."""
    return Expected(backend, "dtype", dtypes=FLOAT, versions={"numpy": "<2.5"}, link=EIG_DTYPE_ISSUE,
                    reason=f"{backend}'s {fname} always returns complex; NumPy < 2.5 returns real arrays when every "
                           "eigenvalue is real (a value-dependent dtype). The standard made the dtype "
                           "implementation-defined; NumPy 2.5 returns complex always.")
#: Factorisations of float32 inputs accumulate rounding; compare as float32 solvers are specified.
LINALG_TOL = {"float32": Tolerance(1e-4, 1e-4), "complex64": Tolerance(1e-4, 1e-4),
              "float64": Tolerance(1e-9, 1e-9), "complex128": Tolerance(1e-9, 1e-9)}


def _m(rows, dtype) -> np.ndarray:
    return np.array(rows, dtype=np.dtype(dtype))


def _square_samples(dtype) -> list[Sample]:
    """Symmetric (real spectrum), rotation (complex spectrum), triangular, batched, 1x1, empty."""
    dt = np.dtype(dtype)
    samples = [
        Sample((_m([[2.0, 1.0], [1.0, 3.0]], dt),), note="symmetric: real eigenvalues"),
        Sample((_m([[0.0, -1.0], [1.0, 0.0]], dt),), note="rotation: complex eigenvalues"),
        Sample((_m([[4.0, 1.0, 0.0], [0.0, 4.0, 1.0], [0.0, 0.0, 2.0]], dt),), note="defective, repeated eigenvalue"),
        Sample((np.stack([_m([[1.0, 2.0], [3.0, 4.0]], dt), _m([[5.0, 0.0], [0.0, -1.0]], dt)]),), note="batched"),
        Sample((_m([[7.5]], dt),), note="1x1"),
        Sample((np.empty((0, 0), dtype=dt),), note="empty"),
    ]
    if dt.kind == "c":
        samples.append(Sample((_m([[1 + 1j, 2 - 1j], [0.5j, 3.0]], dt),), note="complex entries"))
    return samples


def _spd(rows, dtype):
    b = np.array(rows, dtype=np.dtype(dtype))
    return (b @ np.conj(np.swapaxes(b, -1, -2)) + np.eye(b.shape[-1], dtype=b.dtype)).astype(dtype)


def _spd_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    samples = [
        Sample((_spd([[1.0, 2.0], [0.5, -1.0]], dt),), note="symmetric positive definite"),
        Sample((_spd([[[1.0, 0.0, 2.0], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]]] * 2, dt),), note="batched"),
        Sample((_m([[1.0, 2.0], [2.0, 1.0]], dt),), note="indefinite: both should raise"),
        Sample((_m([[4.0]], dt),), note="1x1"),
    ]
    if dt.kind == "c":
        samples.append(Sample((_spd([[1 + 1j, 2.0], [0.5j, -1.0]], dt),), note="Hermitian positive definite"))
    return samples


def _entries(dt: np.dtype):
    """Matrix entries of moderate scale: 0 or 1e-3 <= |x| <= 10. Badly scaled inputs (which
    once crashed torch.linalg.eig with heap corruption) belong in explicit samples."""
    width = 32 if dt.name in ("float32", "complex64") else 64
    magnitude = st.floats(2.0**-10, 10.0, width=width)
    real = st.just(0.0) | st.builds(lambda m, s: m * s, magnitude, st.sampled_from([-1.0, 1.0]))
    return st.builds(complex, real, real) if dt.kind == "c" else real


def matrices(dtype, *, square=True, min_n=1, max_n=4, batch=True):
    """Matrices (optionally a stack of two) of ``dtype`` with moderately scaled entries."""
    dt = np.dtype(dtype)
    entries = _entries(dt)

    @st.composite
    def build(draw):
        n = draw(st.integers(min_n, max_n))
        m = n if square else draw(st.integers(min_n, max_n))
        lead = draw(st.sampled_from([(), (2,)])) if batch else ()
        return draw(hnp.arrays(dt, lead + (n, m), elements=entries))

    return build()


def _square_strategy(dtype):
    return matrices(dtype).map(lambda a: Sample((a,)))


def well_conditioned_strategy(dtype):
    """Diagonally dominant matrices: invertible with a modest condition number."""
    def dominate(a):
        n = a.shape[-1]
        return (a + np.eye(n, dtype=a.dtype) * (np.abs(a).sum(axis=-1, keepdims=True) + 1)).astype(a.dtype)

    return matrices(dtype).map(lambda a: Sample((dominate(a),)))


def _spd_strategy(dtype):
    return matrices(dtype).map(lambda b: Sample((_spd(b, b.dtype),)))


def _hermitian_strategy(dtype):
    return matrices(dtype).map(lambda b: Sample((((b + np.conj(np.swapaxes(b, -1, -2))) / 2).astype(b.dtype),)))


def _rect_strategy(dtype):
    return matrices(dtype, square=False).map(lambda a: Sample((a,)))


def _rect_samples(dtype):
    dt = np.dtype(dtype)
    return [
        Sample((_m([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dt),), note="wide"),
        Sample((_m([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dt),), note="tall"),
        Sample((_m([[1.0, 2.0], [2.0, 4.0]], dt),), note="rank deficient"),
        Sample((np.stack([_m([[3.0, 0.0], [0.0, -2.0]], dt)] * 2),), note="batched"),
    ]


def _solve_samples(dtype):
    dt = np.dtype(dtype)
    a = _m([[3.0, 1.0], [1.0, 2.0]], dt)
    return [
        Sample((a, _m([[9.0], [8.0]], dt)), note="one right-hand side as a column"),
        Sample((np.stack([a, a * 2]), _m([[[1.0], [2.0]], [[3.0], [4.0]]], dt)), note="batched"),
        Sample((_m([[1.0, 2.0], [2.0, 4.0]], dt), _m([[1.0], [1.0]], dt)), note="singular: both should raise"),
        Sample((_m([[0.0, 2.0], [1.0, 3.0]], dt), _m([[1.0], [2.0]], dt)),
               note="zero leading pivot"),
    ]


@st.composite
def _solve_strategy(draw, dtype):
    a = draw(well_conditioned_strategy(dtype)).args[0]
    k = draw(st.integers(1, 3))
    b = draw(hnp.arrays(a.dtype, a.shape[:-1] + (k,), elements=hnp.from_dtype(a.dtype, min_value=-5, max_value=5)
                        if a.dtype.kind == "f" else hnp.from_dtype(a.dtype, max_magnitude=5, allow_nan=False,
                                                                    allow_infinity=False)))
    return Sample((a, b))


def _matmul_samples(dtype):
    dt = np.dtype(dtype)
    a = np.arange(6).reshape(2, 3).astype(dt)
    return [
        Sample((a, a.T.copy())),
        Sample((a[0], a.T.copy()), note="1-D @ 2-D"),
        Sample((np.stack([a, a]), a.T.copy()), note="batched with broadcasting"),
        Sample((a[0], a[1]), note="1-D @ 1-D gives 0-d"),
        Sample((np.empty((2, 0), dtype=dt), np.empty((0, 3), dtype=dt)), note="empty inner dimension"),
        *_overflowing_dot(dt),
    ]


@st.composite
def _matmul_strategy(draw, dtype):
    dt = np.dtype(dtype)
    values = elements(dt, lo=-100, hi=100) if dt.kind != "b" else elements(dt)
    n, k, m = (draw(st.integers(0, 4)) for _ in range(3))
    lead = draw(st.sampled_from([(), (2,)]))
    a = draw(hnp.arrays(dt, lead + (n, k), elements=values))
    b = draw(hnp.arrays(dt, (k, m), elements=values))
    return Sample((a, b))


def linalg_op(**spec) -> OpInfo:
    """Linear-algebra defaults: looser float32 tolerance; signed zeros of computed factors carry no meaning."""
    return op(family="linalg", check_signed_zero=False, tolerances=LINALG_TOL, **spec)


OPS = [
    linalg_op(
        name="linalg.eig", ref=np.linalg.eig,
        doc="Eigen-decomposition of general square matrices (Array API 2025.12).",
        dtypes=INEXACT, samples=_square_samples, strategy=_square_strategy, compare=compare_eig,
        expected=(
            Expected("torch", "dtype", dtypes=FLOAT, versions={"numpy": "<2.5"}, link=EIG_DTYPE_ISSUE,
                     reason="torch.linalg.eig always returns complex eigenvalues and eigenvectors; NumPy < 2.5 "
                            "returns real arrays when every eigenvalue is real (a value-dependent dtype). The "
                            "standard made the dtype implementation-defined; NumPy 2.5 returns complex always."),
            _always_complex("array_api_strict", "linalg.eig"),
            _always_complex("jax", "linalg.eig"),
            *JAX_INTEGER_LINALG,
        ),
    ),
    linalg_op(
        name="linalg.eigvals", ref=np.linalg.eigvals,
        doc="Eigenvalues of general square matrices (Array API 2025.12), compared as a multiset.",
        dtypes=INEXACT, samples=_square_samples, strategy=_square_strategy, compare=compare_eigvals,
        expected=(
            Expected("torch", "dtype", dtypes=FLOAT, versions={"numpy": "<2.5"}, link=EIG_DTYPE_ISSUE,
                     reason="torch.linalg.eigvals always returns complex; NumPy < 2.5 returns real when all "
                            "eigenvalues are real (value-dependent dtype)."),
            _always_complex("array_api_strict", "linalg.eigvals"),
            _always_complex("jax", "linalg.eigvals"),
            *JAX_INTEGER_LINALG,
        ),
    ),
    linalg_op(
        name="linalg.eigh", ref=np.linalg.eigh,
        dtypes=INEXACT, samples=_spd_samples, strategy=_hermitian_strategy, compare=compare_eigh,
        expected=(TORCH_EMPTY_INTEGER_STACK,),
    ),
    linalg_op(
        name="linalg.cholesky", ref=np.linalg.cholesky,
        doc="Lower Cholesky factor of Hermitian positive-definite matrices; indefinite input must raise.",
        dtypes=INEXACT, samples=_spd_samples, strategy=_spd_strategy,
        expected=(
            beyond_standard("dask", "error", "A bool matrix: dask.array.linalg.cholesky factors it without converting "
                            "to float and finds [[True]] not positive definite; NumPy converts to float64.",
                            dtypes=("bool",), match="Matrix is not positive definite"),
            _dask_2d_only("cholesky", "Dimension must be 2"),
            Expected("dask", "value", where=conjugate_transpose_of_reference,
                     reason="da.linalg.cholesky(a, lower=False) returns the upper factor by default; NumPy and the "
                            "standard (upper=False) return the lower one."),
            _jax_no_raise("cholesky", "an indefinite matrix", "NaN"),
        ),
    ),
    linalg_op(
        name="linalg.det", ref=np.linalg.det,
        dtypes=INEXACT, samples=_square_samples, strategy=well_conditioned_strategy,
    ),
    linalg_op(
        name="linalg.inv", ref=np.linalg.inv,
        dtypes=INEXACT, samples=lambda dt: [s for s in _square_samples(dt) if "defective" not in s.note]
        + [Sample((_m([[1.0, 2.0], [2.0, 4.0]], dt),), note="singular: both should raise"),
           Sample((_m([[0.0, 2.0], [1.0, 3.0]], dt),), note="zero leading pivot")],
        strategy=well_conditioned_strategy,
        expected=(
            _dask_2d_only("inv", "Dimension must be 2"),
            DASK_BLOCK_PIVOTING,
            _jax_no_raise("inv", "a singular matrix", "inf or NaN"),
            Expected("dask", "dtype", dtypes=("float32", "complex64"),
                     reason="da.linalg.inv of an empty 0 x 0 float32 (complex64) matrix returns float64 "
                            "(complex128); NumPy keeps the input dtype."),
        ),
    ),
    linalg_op(
        name="linalg.solve", ref=np.linalg.solve,
        dtypes=INEXACT, samples=_solve_samples, strategy=_solve_strategy,
        expected=(
            beyond_standard("dask", "dtype", "Integer input: dask.array.linalg.solve returns float32 for 8- and "
                            "16-bit integers (the LU of its chunks); NumPy solves integers in float64.",
                            dtype=("float64", "float32")),
            _dask_2d_only("solve", "Dimension must be 2"), DASK_BLOCK_PIVOTING,
                  _jax_no_raise("solve", "a singular matrix", "inf or NaN")),
    ),
    linalg_op(
        name="linalg.qr", ref=np.linalg.qr,
        doc="Reduced QR; Q and R are unique only up to signs, so compared through Q R = A.",
        dtypes=INEXACT, compare=compare_qr, strategy=_rect_strategy,
        samples=lambda dt: _rect_samples(dt) + ([Sample((np.array([[1j, 1j]], dtype=dt),), note="1 x 2, imaginary")]
                                                if np.dtype(dt).kind == "c" else []),
        expected=(
            _dask_2d_only("qr", "tall-and-skinny|Input must have the following properties"),
            Expected("dask", "value", where=one_row_matrix, dtypes=("complex64", "complex128"),
                     reason="da.linalg.qr of the complex 1 x 2 matrix [[1j, 1j]] (two chunks) returns R = [[-1, 1]] "
                            "with Q = [[1j]], whose product is not the input; NumPy's Q R reproduces it."),
        ),
    ),
    linalg_op(
        name="linalg.svd", ref=np.linalg.svd,
        doc="Reduced SVD; singular values compared directly, U and Vh through U diag(S) Vh = A.",
        dtypes=INEXACT,
        samples=lambda dt: [Sample(s.args, {"full_matrices": False}, s.note) for s in _rect_samples(dt)],
        strategy=lambda dt: _rect_strategy(dt).map(lambda s: Sample(s.args, {"full_matrices": False})),
        compare=compare_svd, expected=(
            *JAX_INTEGER_LINALG,_dask_2d_only("svd", "Array must be 2D"),),
    ),
    linalg_op(
        name="linalg.svdvals", ref=lambda a: np.linalg.svd(a, compute_uv=False),
        reference_name="numpy.linalg.svd(compute_uv=False)",
        dtypes=INEXACT, samples=_rect_samples, strategy=_rect_strategy,
    ),
    linalg_op(
        name="linalg.slogdet", ref=np.linalg.slogdet,
        dtypes=INEXACT, samples=_square_samples, strategy=well_conditioned_strategy,
    ),
    linalg_op(
        name="matmul", ref=np.matmul,
        dtypes=NUMERIC, samples=_matmul_samples, strategy=_matmul_strategy,
        expected=(torch_shell_uints(), *DASK_INT_ACCUMULATOR, *DASK_BOOL_CONTRACTION),
    ),
]


# --------------------------------------------------------------------------- the rest of the linalg extension
def _torch_trace(torch, x, offset=0):
    return torch.diagonal(x, offset, -2, -1).sum(-1)


def _torch_matrix_transpose(torch, x):
    return x.mT


def _values(dt):
    """Bounded finite values for products of integers and floats alike (no overflow, no NaN/inf)."""
    return elements(dt, lo=-20, hi=20) if dt.kind != "b" else elements(dt)


def _ordinary(dt, shape):
    n = int(np.prod(shape))
    return np.resize(ordinary_values(dt), n).reshape(shape)


# ---- vector products
def _cross_samples(dtype):
    dt = np.dtype(dtype)
    a, b = _ordinary(dt, (2, 3)), _ordinary(dt, (2, 3))[::-1].copy()
    return [
        Sample((a[0], b[0]), note="3-vectors"),
        Sample((a, b), note="batched"),
        Sample((a, b[0]), note="broadcasting"),
        Sample((a.T.copy(), b.T.copy()), {"axis": -2}, note="negative axis"),
        Sample((np.empty((0, 3), dtype=dt), np.empty((0, 3), dtype=dt)), note="empty batch"),
    ]


@st.composite
def _cross_strategy(draw, dtype):
    dt = np.dtype(dtype)
    lead = draw(st.sampled_from([(), (2,), (2, 1)]))
    axis = draw(st.integers(-len(lead) - 1, -1))  # the standard requires a negative axis
    shape = list(lead)
    shape.insert(axis % (len(lead) + 1), 3)
    kwargs = {} if axis == -1 and draw(st.booleans()) else {"axis": axis}
    x, y = (draw(hnp.arrays(dt, tuple(shape), elements=_values(dt))) for _ in range(2))
    return Sample((x, y), kwargs)


def _vecdot_samples(dtype):
    dt = np.dtype(dtype)
    a = _ordinary(dt, (3, 4))
    return [
        Sample((a[0], a[1]), note="1-D"),
        Sample((a, a[::-1].copy()), note="batched"),
        Sample((a, a[0]), note="broadcasting"),
        Sample((a, a), {"axis": -2}, note="negative axis"),
        Sample((np.empty((2, 0), dtype=dt), np.empty((2, 0), dtype=dt)), note="empty: zeros"),
    ]


@st.composite
def _vecdot_strategy(draw, dtype):
    dt = np.dtype(dtype)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    axis = draw(st.integers(-len(shape), -1))  # the standard requires a negative axis
    x, y = (draw(hnp.arrays(dt, shape, elements=_values(dt))) for _ in range(2))
    return Sample((x, y), {} if axis == -1 else {"axis": axis})


def _outer_samples(dtype):
    dt = np.dtype(dtype)
    a = ordinary_values(dt)
    return [
        Sample((a[:3], a[3:7])),
        Sample((a[:1], a[:5]), note="length 1"),
        Sample((np.empty((0,), dtype=dt), a[:3]), note="empty"),
    ]


@st.composite
def _outer_strategy(draw, dtype):
    dt = np.dtype(dtype)
    return Sample(tuple(draw(hnp.arrays(dt, draw(st.integers(0, 5)), elements=_values(dt))) for _ in range(2)))


def _tensordot_samples(dtype):
    dt = np.dtype(dtype)
    a, b = _ordinary(dt, (2, 3, 4)), _ordinary(dt, (3, 4, 2))
    return [
        Sample((a, b), note="default axes=2"),
        Sample((a, _ordinary(dt, (4, 2))), {"axes": 1}, note="contract one axis"),
        Sample((a, a), {"axes": 0}, note="outer product"),
        Sample((a, b), {"axes": ((1, 2), (0, 1))}),
        Sample((a, _ordinary(dt, (4, 2, 3))), {"axes": ((1, 2), (2, 0))}, note="permuted axes"),
        Sample((np.empty((2, 0), dtype=dt), np.empty((0, 3), dtype=dt)), {"axes": 1}, note="empty contraction"),
        *(Sample(s.args, {"axes": 1}, s.note) for s in _overflowing_dot(dt)),
    ]


@st.composite
def _tensordot_strategy(draw, dtype):
    dt = np.dtype(dtype)
    k = draw(st.integers(0, 2))
    contracted = tuple(draw(st.integers(0, 3)) for _ in range(k))
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    tail = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    x = draw(hnp.arrays(dt, lead + contracted, elements=_values(dt)))
    y = draw(hnp.arrays(dt, contracted + tail, elements=_values(dt)))
    return Sample((x, y), {} if k == 2 and draw(st.booleans()) else {"axes": k})


# ---- matrix views and reductions
def _diagonal_samples(dtype):
    dt = np.dtype(dtype)
    a = _ordinary(dt, (3, 4))
    return [
        Sample((a,)),
        Sample((a,), {"offset": 1}),
        Sample((a,), {"offset": -1}),
        Sample((_ordinary(dt, (2, 3, 3)),), {"offset": 1}, note="batched"),
        Sample((a,), {"offset": 5}, note="offset past the edge: empty"),
        Sample((np.empty((0, 0), dtype=dt),), note="empty"),
    ]


@st.composite
def _diagonal_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4), elements=_values(dt)))
    offset = draw(st.integers(-3, 3))
    return Sample((x,), {"offset": offset} if offset else {})


def _transpose_samples(dtype):
    dt = np.dtype(dtype)
    return [
        Sample((_ordinary(dt, (3, 4)),)),
        Sample((_ordinary(dt, (2, 3, 1)),), note="batched"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty"),
    ]


def _transpose_strategy(dtype):
    dt = np.dtype(dtype)
    return hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4),
                      elements=_values(dt)).map(lambda x: Sample((x,)))


MATRIX_ORDS = (1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc")
VECTOR_ORDS = (0, 1, 2, 3, -1, np.inf, -np.inf)


def _matrix_norm_samples(dtype):
    dt = np.dtype(dtype)
    a = _m([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], dt)
    return [Sample((a,), {"ord": o}, note=f"ord={o}") for o in MATRIX_ORDS] + [
        Sample((np.stack([a, -a * 2]),), {"ord": "nuc", "keepdims": True}, note="batched, keepdims"),
        Sample((np.stack([a, a]),), {"ord": 1}, note="batched"),
        Sample((np.stack([a, a]),), note="default ord='fro'"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty: 'fro' is 0"),
    ]


@st.composite
def _matrix_norm_strategy(draw, dtype):
    x = draw(matrices(dtype, square=False))
    kwargs = {"ord": draw(st.sampled_from(MATRIX_ORDS))}
    if draw(st.booleans()):
        kwargs["keepdims"] = True
    return Sample((x,), kwargs)


def _vector_norm_samples(dtype):
    dt = np.dtype(dtype)
    a = _ordinary(dt, (3, 4))
    a[0, 1] = 0
    return [Sample((a[0],), {"ord": o}, note=f"ord={o}, with a zero") for o in VECTOR_ORDS] + [
        Sample((a,), note="2-D, all axes"),
        Sample((a,), {"axis": -1, "keepdims": True}, note="negative axis, keepdims"),
        Sample((a,), {"axis": (0, 1), "ord": 1}),
        Sample((a,), {"axis": 0, "ord": np.inf}),
        Sample((np.empty((0,), dtype=dt),), note="empty: 0"),
    ]


@st.composite
def _vector_norm_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(hnp.arrays(dt, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4), elements=_entries(dt)))
    kwargs = {"ord": draw(st.sampled_from(VECTOR_ORDS))}
    axis = draw(st.none() | st.integers(-x.ndim, x.ndim - 1) | hnp.valid_tuple_axes(x.ndim, min_size=1))
    if axis is not None:
        kwargs["axis"] = axis
    if draw(st.booleans()):
        kwargs["keepdims"] = True
    return Sample((x,), kwargs)


def _trace_ref(x, offset=0):
    return np.linalg.trace(x, offset=offset)


# ---- powers, ranks and pseudo-inverses
def _power_samples(dtype):
    dt = np.dtype(dtype)
    a = _m([[2, 1], [1, 1]], dt)
    samples = [
        Sample((a, 0), note="identity"),
        Sample((a, 1)),
        Sample((a, 3)),
        Sample((np.stack([a, _m([[1, 0], [1, 1]], dt)]), 2), note="batched"),
        Sample((np.empty((0, 0), dtype=dt), 2), note="empty"),
    ]
    if dt.kind in "fc":
        samples += [Sample((a, -2), note="negative power: inverse")]
    return samples


@st.composite
def _power_strategy(draw, dtype):
    dt = np.dtype(dtype)
    if dt.kind in "fc":
        x = draw(well_conditioned_strategy(dtype)).args[0]
        return Sample((x, draw(st.integers(-2, 3))))
    n = draw(st.integers(0, 3))
    lead = draw(st.sampled_from([(), (2,)]))
    x = draw(hnp.arrays(dt, lead + (n, n), elements=elements(dt, lo=-2, hi=2)))
    return Sample((x, draw(st.integers(0, 3))))


def _deficient_samples(dtype):
    """Rectangular, rank-deficient (also exactly zero), batched; singular values far from any cut-off."""
    dt = np.dtype(dtype)
    return _rect_samples(dt) + [
        Sample((np.zeros((2, 3), dtype=dt),), note="zero matrix: rank 0"),
        Sample((_m([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 1.0, 0.0]], dt),), note="rank 2 of 3"),
        Sample((_m([[1.0, 0.0], [0.0, 1e-3]], dt),), {"rtol": 0.1}, note="rtol cuts a small singular value"),
        Sample((np.empty((0, 2), dtype=dt),), note="empty"),
    ]


@st.composite
def _deficient_strategy(draw, dtype):
    """A diagonally dominant square matrix with some rows zeroed and maybe some columns dropped: by
    interlacing its nonzero singular values stay >= the square matrix's smallest, far above the cut-off."""
    a = draw(well_conditioned_strategy(dtype)).args[0].copy()
    n = a.shape[-1]
    zero = draw(st.lists(st.integers(0, n - 1), max_size=n, unique=True))
    a[..., zero, :] = 0
    return Sample((a[..., :draw(st.integers(1, n))],))


TORCH_INT_VECDOT = Expected(
    "torch", "error", dtypes=INTEGER, match="Expected a floating point or complex tensor", surface="native",
    reason="torch.linalg.vecdot is defined for floating and complex tensors only; the standard defines vecdot "
           "for every numeric dtype.")


def _pinv_ref(a, rtol=None):
    """rtol=None: the standard's default cut-off, not NumPy's 1e-15. NumPy's rtol=None path takes finfo
    of the input dtype and raises 'not inexact' for integer and bool matrices, which its default call
    converts to float64: so does this reference (an empty one keeps its dtype, as the default call's)."""
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return np.linalg.pinv(a) if a.size == 0 else np.linalg.pinv(a.astype(np.float64), rtol=rtol)
    return np.linalg.pinv(a, rtol=rtol)


OPS += [
    linalg_op(
        name="linalg.cross", ref=np.linalg.cross,
        dtypes=NUMERIC, samples=_cross_samples, strategy=_cross_strategy,
        spellings={"torch": torch_keywords("linalg.cross")},
        expected=(
            torch_shell_uints(),
            Expected("torch", "error", match="same number of dimensions", surface="native",
                     reason="torch.linalg.cross broadcasts only inputs of equal rank; the standard (and NumPy) "
                            "broadcast x2 of shape (3,) against x1 of shape (2, 3)."),
        ),
    ),
    linalg_op(
        name="linalg.diagonal", ref=np.linalg.diagonal,
        dtypes=ALL, samples=_diagonal_samples, strategy=_diagonal_strategy,
    ),
    linalg_op(
        name="linalg.eigvalsh", ref=np.linalg.eigvalsh,
        dtypes=INEXACT, samples=_spd_samples, strategy=_hermitian_strategy, expected=(TORCH_EMPTY_INTEGER_STACK,),
    ),
    linalg_op(
        name="linalg.matmul", ref=np.linalg.matmul,
        dtypes=NUMERIC, samples=_matmul_samples, strategy=_matmul_strategy,
        expected=(torch_shell_uints(),),
    ),
    linalg_op(
        name="linalg.matrix_norm", ref=np.linalg.matrix_norm,
        dtypes=INEXACT, samples=_matrix_norm_samples, strategy=_matrix_norm_strategy,
        spellings={"torch": torch_keywords("linalg.matrix_norm")},
    ),
    linalg_op(
        name="linalg.matrix_power", ref=np.linalg.matrix_power,
        dtypes=NUMERIC, samples=_power_samples, strategy=_power_strategy,
        expected=(
            torch_shell_uints(what="matrix_power, also n=0 via eye"),
            Expected("array_api_strict", "error", dtypes=INTEGER, match="Only floating-point dtypes",
                     reason="The standard says x 'should have a floating-point data type' and the result 'must have "
                            "a floating-point data type'; array_api_strict enforces it and raises TypeError for "
                            "integer matrices, which NumPy raises to integer powers."),
        ),
    ),
    linalg_op(
        name="linalg.matrix_rank", ref=np.linalg.matrix_rank,
        doc="Rank by the standard's default cut-off max(M, N) * eps * largest singular value, on inputs whose "
            "singular values are zero or far above it (integers compare exactly).",
        dtypes=INEXACT, samples=_deficient_samples, strategy=_deficient_strategy,
        expected=(
            Expected("array_api_strict", "error", match="zero-size array to reduction operation",
                     link="https://github.com/numpy/numpy/pull/30422",
                     reason="array_api_strict's matrix_rank takes the largest singular value with S.max(), which "
                            "raises on a matrix with no rows or columns; NumPy returns rank 0 there since the "
                            "linked fix (the rank of an empty matrix is 0)."),
            Expected("jax", "error", match="zero-size array to reduction operation",
                     link="https://github.com/numpy/numpy/pull/30422",
                     reason="jnp.linalg.matrix_rank takes the largest singular value with a max reduction, which "
                            "raises on a matrix with no rows or columns; NumPy returns rank 0 there since the linked "
                            "fix (the rank of an empty matrix is 0)."),
        ),
    ),
    linalg_op(
        name="linalg.matrix_transpose", ref=np.linalg.matrix_transpose,
        doc="torch spells it as the tensor attribute x.mT.",
        dtypes=ALL, samples=_transpose_samples, strategy=_transpose_strategy,
        spellings={"torch": _torch_matrix_transpose},
    ),
    linalg_op(
        name="linalg.outer", ref=np.linalg.outer,
        doc="torch has no linalg.outer: compared with torch.outer.",
        dtypes=NUMERIC, samples=_outer_samples, strategy=_outer_strategy,
        spellings={"torch": "outer"},
    ),
    linalg_op(
        name="linalg.pinv", ref=_pinv_ref, reference_name="numpy.linalg.pinv(rtol=None)",
        doc="Reference with rtol=None, the standard's max(M, N) * eps cut-off (NumPy's own default is 1e-15).",
        dtypes=INEXACT, samples=_deficient_samples, strategy=_deficient_strategy,
        expected=(
            beyond_standard("jax", "dtype", "An empty integer or bool matrix: NumPy's pinv returns an empty array of "
                            "the input's dtype (a non-empty one gives float64), jax.numpy a float one.",
                            dtype=(r"(u?int\d+|bool)", r"float(32|64)")),
        ),
    ),
    linalg_op(
        name="linalg.tensordot", ref=np.linalg.tensordot,
        doc="torch has no linalg.tensordot: compared with torch.tensordot(dims=axes).",
        dtypes=NUMERIC, samples=_tensordot_samples, strategy=_tensordot_strategy,
        spellings={"torch": torch_keywords("tensordot")}, expected=(torch_shell_uints(),),
    ),
    linalg_op(
        name="linalg.trace", ref=_trace_ref, reference_name="numpy.linalg.trace",
        doc="torch has no linalg.trace and torch.trace is 2-D only: compared with "
            "torch.diagonal(x, offset, -2, -1).sum(-1).",
        dtypes=NUMERIC, samples=_diagonal_samples, strategy=_diagonal_strategy,
        spellings={"torch": _torch_trace},
        expected=(
            Expected("torch", "dtype", dtypes=UNSIGNED,
                     reason="torch's sum promotes every integer dtype, unsigned ones included, to int64; the "
                            "standard and NumPy give unsigned input the default unsigned dtype uint64."),
        ),
    ),
    linalg_op(
        name="linalg.vecdot", ref=np.linalg.vecdot,
        dtypes=NUMERIC, samples=_vecdot_samples, strategy=_vecdot_strategy,
        spellings={"torch": torch_keywords("linalg.vecdot")}, expected=(TORCH_INT_VECDOT,),
    ),
    linalg_op(
        name="linalg.vector_norm", ref=np.linalg.vector_norm,
        dtypes=INEXACT, samples=_vector_norm_samples, strategy=_vector_norm_strategy,
        spellings={"torch": torch_keywords("linalg.vector_norm")},
        expected=(
            beyond_standard("jax", "dtype", "A bool vector: jnp.linalg.vector_norm counts (ord=0) or sums in int64 "
                            "(uint64 for unsigned input) or takes the max in the input's dtype (ord=inf); NumPy "
                            "converts to float64.", dtype=("float64", r"(u?int\d+|bool)")),
            beyond_standard("jax", "error", "Unsigned input with a negative ord: jnp.linalg.vector_norm converts the "
                            "exponent -1 to the unsigned dtype and raises OverflowError; NumPy computes in float64.",
                            match="Python integer -1 out of bounds for uint", where=integer_inputs),
            beyond_standard("jax", "value", "An integer or bool vector with ord other than 0, 1 or inf: "
                            "jnp.linalg.vector_norm raises the elements to the power in integers and the root comes "
                            "out wrong (NumPy converts to float64 first).", where=integer_inputs),
        ),
    ),
    linalg_op(
        name="matrix_transpose", ref=np.matrix_transpose,
        doc="torch spells it as the tensor attribute x.mT.",
        dtypes=ALL, samples=_transpose_samples, strategy=_transpose_strategy,
        spellings={"torch": _torch_matrix_transpose},
    ),
    linalg_op(
        name="tensordot", ref=np.tensordot,
        dtypes=NUMERIC, samples=_tensordot_samples, strategy=_tensordot_strategy,
        spellings={"torch": torch_keywords("tensordot")},
        expected=(torch_shell_uints(), *DASK_INT_ACCUMULATOR, *DASK_BOOL_CONTRACTION),
    ),
    linalg_op(
        name="vecdot", ref=np.vecdot,
        doc="torch has no top-level vecdot: compared with torch.linalg.vecdot(dim=axis).",
        dtypes=NUMERIC, samples=_vecdot_samples, strategy=_vecdot_strategy,
        spellings={"torch": torch_keywords("linalg.vecdot")}, expected=(TORCH_INT_VECDOT,),
    ),
]
