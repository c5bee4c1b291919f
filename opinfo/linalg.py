"""Linear algebra: matmul and the ``linalg`` extension, compared by value.

Where a result is not unique (eigenvectors, SVD and QR factors) the op carries
a comparator that checks what *is* determined: eigenvalues as a multiset,
residuals ``A v = v diag(w)``, reconstructions ``Q R = A``, ``U S Vh = A``.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.declared import torch_shell_uints
from opinfo.samples import FLOAT, INEXACT, NUMERIC, elements
from opinfo.spec import Expected, OpInfo, Sample
from parity.compare import Tolerance, compare_eig, compare_eigh, compare_eigvals, compare_qr, compare_svd

COMPLEX = ("complex64", "complex128")
EIG_DTYPE_ISSUE = "https://github.com/data-apis/array-api/issues/978"
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


def _matrices(dtype, *, square=True, min_n=1, max_n=4, batch=True):
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
    return _matrices(dtype).map(lambda a: Sample((a,)))


def _well_conditioned_strategy(dtype):
    """Diagonally dominant matrices: invertible with a modest condition number."""
    def dominate(a):
        n = a.shape[-1]
        return (a + np.eye(n, dtype=a.dtype) * (np.abs(a).sum(axis=-1, keepdims=True) + 1)).astype(a.dtype)

    return _matrices(dtype).map(lambda a: Sample((dominate(a),)))


def _spd_strategy(dtype):
    return _matrices(dtype).map(lambda b: Sample((_spd(b, b.dtype),)))


def _hermitian_strategy(dtype):
    return _matrices(dtype).map(lambda b: Sample((((b + np.conj(np.swapaxes(b, -1, -2))) / 2).astype(b.dtype),)))


def _rect_strategy(dtype):
    return _matrices(dtype, square=False).map(lambda a: Sample((a,)))


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
    ]


@st.composite
def _solve_strategy(draw, dtype):
    a = draw(_well_conditioned_strategy(dtype)).args[0]
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


def _linalg(**spec) -> OpInfo:
    """Linear-algebra defaults: looser float32 tolerance; signed zeros of computed factors carry no meaning."""
    return OpInfo(family="linalg", check_signed_zero=False, tolerances=LINALG_TOL, **spec)


OPS = [
    _linalg(
        name="linalg.eig", ref=np.linalg.eig, reference_name="numpy.linalg.eig",
        doc="Eigen-decomposition of general square matrices (Array API 2025.12).",
        dtypes=INEXACT, samples=_square_samples, strategy=_square_strategy, compare=compare_eig,
        expected=(
            Expected("torch", "dtype", dtypes=FLOAT, versions={"numpy": "<2.5"}, link=EIG_DTYPE_ISSUE,
                     reason="torch.linalg.eig always returns complex eigenvalues and eigenvectors; NumPy < 2.5 "
                            "returns real arrays when every eigenvalue is real (a value-dependent dtype). The "
                            "standard made the dtype implementation-defined; NumPy 2.5 returns complex always."),
        ),
    ),
    _linalg(
        name="linalg.eigvals", ref=np.linalg.eigvals, reference_name="numpy.linalg.eigvals",
        doc="Eigenvalues of general square matrices (Array API 2025.12), compared as a multiset.",
        dtypes=INEXACT, samples=_square_samples, strategy=_square_strategy, compare=compare_eigvals,
        expected=(
            Expected("torch", "dtype", dtypes=FLOAT, versions={"numpy": "<2.5"}, link=EIG_DTYPE_ISSUE,
                     reason="torch.linalg.eigvals always returns complex; NumPy < 2.5 returns real when all "
                            "eigenvalues are real (value-dependent dtype)."),
        ),
    ),
    _linalg(
        name="linalg.eigh", ref=np.linalg.eigh, reference_name="numpy.linalg.eigh",
        dtypes=INEXACT, samples=_spd_samples, strategy=_hermitian_strategy, compare=compare_eigh,
    ),
    _linalg(
        name="linalg.cholesky", ref=np.linalg.cholesky, reference_name="numpy.linalg.cholesky",
        doc="Lower Cholesky factor of Hermitian positive-definite matrices; indefinite input must raise.",
        dtypes=INEXACT, samples=_spd_samples, strategy=_spd_strategy,
    ),
    _linalg(
        name="linalg.det", ref=np.linalg.det, reference_name="numpy.linalg.det",
        dtypes=INEXACT, samples=_square_samples, strategy=_well_conditioned_strategy,
    ),
    _linalg(
        name="linalg.inv", ref=np.linalg.inv, reference_name="numpy.linalg.inv",
        dtypes=INEXACT, samples=lambda dt: [s for s in _square_samples(dt) if "defective" not in s.note]
        + [Sample((_m([[1.0, 2.0], [2.0, 4.0]], dt),), note="singular: both should raise")],
        strategy=_well_conditioned_strategy,
    ),
    _linalg(
        name="linalg.solve", ref=np.linalg.solve, reference_name="numpy.linalg.solve",
        dtypes=INEXACT, samples=_solve_samples, strategy=_solve_strategy,
    ),
    _linalg(
        name="linalg.qr", ref=np.linalg.qr, reference_name="numpy.linalg.qr",
        doc="Reduced QR; Q and R are unique only up to signs, so compared through Q R = A.",
        dtypes=INEXACT, samples=_rect_samples, strategy=_rect_strategy, compare=compare_qr,
    ),
    _linalg(
        name="linalg.svd", ref=np.linalg.svd, reference_name="numpy.linalg.svd",
        doc="Reduced SVD; singular values compared directly, U and Vh through U diag(S) Vh = A.",
        dtypes=INEXACT,
        samples=lambda dt: [Sample(s.args, {"full_matrices": False}, s.note) for s in _rect_samples(dt)],
        strategy=lambda dt: _rect_strategy(dt).map(lambda s: Sample(s.args, {"full_matrices": False})),
        compare=compare_svd,
    ),
    _linalg(
        name="linalg.svdvals", ref=lambda a: np.linalg.svd(a, compute_uv=False),
        reference_name="numpy.linalg.svd(compute_uv=False)",
        dtypes=INEXACT, samples=_rect_samples, strategy=_rect_strategy,
    ),
    _linalg(
        name="linalg.slogdet", ref=np.linalg.slogdet, reference_name="numpy.linalg.slogdet",
        dtypes=INEXACT, samples=_square_samples, strategy=_well_conditioned_strategy,
    ),
    _linalg(
        name="matmul", ref=np.matmul, reference_name="numpy.matmul",
        dtypes=NUMERIC, samples=_matmul_samples, strategy=_matmul_strategy,
        expected=(torch_shell_uints(),),
    ),
]
