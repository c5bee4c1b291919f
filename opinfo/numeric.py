"""NumPy's numeric routines beyond the Array API standard: histograms and binning, interpolation,
convolution, polynomials, closeness tests, numerical calculus and covariance (NumPy-only ufuncs:
:mod:`opinfo.ufuncs`).

These are the functions users port most often from NumPy without a standard to hold the ports to,
so each entry exercises the keyword arguments that change the result (bins as a count or as edges,
``range``, ``weights``, ``minlength``, ``left``/``right``/``period``, convolution ``mode``,
``rtol``/``atol``/``equal_nan``, ``dx``/``x``/``axis``, ``ddof``/``bias``/``rowvar``, ``decimals``).
Entries carry fixed samples for empty inputs, NaN and ties, and bounded generated inputs, since a sum or a
bin boundary computed in another order would otherwise be rediscovered as rounding. The ``_torch_*``
adapters translate signatures (``axis`` -> ``dim``, ``weights`` -> ``weight``, ``ddof`` ->
``correction``) and nothing else.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_convolution
from opinfo.declared import beyond_standard, torch_tensor_only
from opinfo.dtypes import ALL, FLOAT, INEXACT, REAL, SIGNED
from opinfo.elementwise import binary_op, unary_op
from opinfo.samples import (
    arrays,
    binary_samples,
    binary_strategy,
    ordinary_values,
    reduction_samples,
    reduction_strategy,
    shapes,
    special_values,
    unary_samples,
    unary_strategy,
)
from opinfo.spec import Expected, OpInfo, Sample, op
from opinfo.where import bool_inputs, decreasing_bins, first_input_integer, integer_inputs, mixed_operands, nan_operand

#: torch.isclose / allclose compare tensors of one dtype only.
_TORCH_ONE_DTYPE = Expected("torch", "error", domain="beyond", where=mixed_operands, match=r"\w+ did not match \w+",
                            reason="torch.isclose and torch.allclose take two tensors of one dtype (RuntimeError "
                                   "'Float did not match Double'); NumPy promotes the two operands and compares.")

#: Bounded finite values for generated inputs whose results depend on summation order or bin edges.
MODERATE = {"lo": -100, "hi": 100}
INT = ("int32", "int64")


def _o(dtype, shape=None) -> np.ndarray:
    """Ordinary values (with ties) of ``dtype``, resized to ``shape``."""
    dt = np.dtype(dtype)
    base = ordinary_values(dt)
    if shape is None:
        return base
    return np.resize(base, int(np.prod(shape))).reshape(shape)


def _real(dtype) -> np.dtype:
    """The real dtype of the same precision (float64 for integers)."""
    dt = np.dtype(dtype)
    return np.finfo(dt).dtype if dt.kind in "fc" else np.dtype(np.float64)


def _numeric(name, *, family="numeric", ref=None, **kw) -> OpInfo:
    return op(name, family, ref or getattr(np, name), **kw)


# --------------------------------------------------------------------------- histograms and binning
#: Ordinary values none of which lies on an interior edge of the fixed samples' bins (a count is
#: discontinuous in its edges, and an edge like -1.25 + 5 * 0.6 is exact only to an ulp).
HIST_DATA = (0.25, -1.25, 1.0, -1.25, 1.5, 4.75, -0.5, 2.5, 1.5, 0.25, 1.5, 4.0)


def _hist_samples(dtype):
    dt = np.dtype(dtype)
    o = np.array(HIST_DATA, dtype=dt)
    weights = np.linspace(0.5, 2.0, o.size).astype(dt)
    return [
        Sample((o,), note="default: 10 bins over the data's range"),
        Sample((o, 4), note="4 bins"),
        Sample((o, np.array([-2.0, 0.0, 1.0, 5.0], dtype=dt)), note="bin edges; the last bin is closed"),
        Sample((o,), {"bins": 3, "range": (0.0, 4.0)}, note="range drops values outside it"),
        Sample((o,), {"bins": 5, "weights": weights}),
        Sample((o,), {"bins": 4, "density": True}),
        Sample((o.reshape(3, 4), 3), note="2-D input is flattened"),
        Sample((np.full(3, 2.5, dtype=dt), 2), note="all equal: range widened by 0.5 either side"),
        Sample((np.empty((0,), dtype=dt), 3), note="empty: range (0, 1)"),
        Sample((special_values(dt)[12:13], 2), note="NaN: both should raise"),
    ]


@st.composite
def _hist_strategy(draw, dtype, edges_only=False):
    """Values k + 1/4 and integer edges or ranges split into 1, 2 or 4 bins: every edge is then a
    dyadic number computed exactly by any formula, so a count cannot hinge on an edge's last ulp."""
    dt = np.dtype(dtype)
    x = (draw(arrays(np.int8, shapes(min_dims=1, max_dims=2, min_side=0, max_side=6), lo=-100, hi=100)) + 0.25)
    x = x.astype(dt)
    kwargs = {}
    mode = draw(st.sampled_from(["count", "edges", "range"]))
    if mode == "edges":
        edges = draw(st.lists(st.integers(-100, 100), min_size=2, max_size=5, unique=True))
        kwargs["bins"] = np.array(sorted(edges), dtype=dt)
    else:
        kwargs["bins"] = draw(st.sampled_from([1, 2, 4]))
    if mode == "range":
        lo, hi = sorted(draw(st.lists(st.integers(-100, 100), min_size=2, max_size=2, unique=True)))
        kwargs["range"] = (float(lo), float(hi))
    if not edges_only and draw(st.booleans()):  # small integers: NumPy sums weights by cumsum differences
        kwargs["weights"] = draw(arrays(np.int8, x.shape, lo=0, hi=10)).astype(dt)
    if not edges_only and draw(st.booleans()):
        kwargs["density"] = True
    return Sample((x,), kwargs)


def _torch_histogram(torch, a, bins=10, range=None, weights=None, density=False):  # noqa: A002
    """torch.histogram takes ``weight`` for NumPy's ``weights`` and does not flatten its input."""
    kwargs = {"density": density, "weight": None if weights is None else weights.reshape(-1)}
    if range is not None:  # the overload taking a tensor of edges has no range keyword
        kwargs["range"] = range
    return torch.histogram(a.reshape(-1), bins, **kwargs)


def _edges_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    return [s for s in _hist_samples(dt) if "weights" not in s.kwargs and "density" not in s.kwargs] + [
        Sample((o,), {"bins": "sturges"}, note="a named estimator"),
        Sample((o,), {"bins": "fd"}),
    ]


def _bincount_samples(dtype):
    dt = np.dtype(dtype)
    x = np.array([0, 1, 1, 3, 2, 1, 7], dtype=dt)
    return [
        Sample((x,)),
        Sample((x,), {"weights": np.linspace(-1.0, 2.0, x.size)}, note="float64 weights"),
        Sample((x,), {"minlength": 10}, note="minlength beyond the largest value"),
        Sample((x,), {"minlength": 3}, note="minlength below the largest value"),
        Sample((np.empty((0,), dtype=dt),), note="empty: length 0"),
        Sample((np.empty((0,), dtype=dt),), {"minlength": 4}, note="empty with minlength"),
        Sample((np.empty((0,), dtype=dt),), {"weights": np.empty((0,))}, note="empty with weights: NumPy gives int64"),
    ] + ([Sample((np.array([1, -1, 2], dtype=dt),), note="negative value: NumPy raises")] if dt.kind == "i" else [])


@st.composite
def _bincount_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt, st.integers(0, 8).map(lambda n: (n,)), lo=0, hi=12))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["weights"] = draw(arrays(np.float64, x.shape, **MODERATE))
    if draw(st.booleans()):
        kwargs["minlength"] = draw(st.integers(0, 15))
    return Sample((x,), kwargs)


def _digitize_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    bins = np.array([-1, 0, 2, 4], dtype=dt)
    samples = [
        Sample((o, bins), note="values on the edges"),
        Sample((o, bins), {"right": True}),
        Sample((o.reshape(3, 4), bins), note="2-D"),
        Sample((o, np.array([0, 2, 2, 5], dtype=dt)), note="repeated edge"),
        Sample((o, bins[::-1].copy()), note="decreasing bins"),
        Sample((o, bins[::-1].copy()), {"right": True}, note="decreasing bins, right"),
        Sample((np.empty((0,), dtype=dt), bins), note="empty"),
    ]
    if dt.kind == "f":
        samples.append(Sample((special_values(dt), bins), note="special values"))
    return samples


@st.composite
def _digitize_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt, shapes(min_dims=0, max_dims=2), lo=-20, hi=20))
    bins = np.array(sorted(draw(st.lists(st.integers(-20, 20), min_size=1, max_size=5))), dtype=dt)
    return Sample((x, bins), {"right": True} if draw(st.booleans()) else {})


def _torch_digitize(torch, x, bins, right=False):
    """digitize(right=False) counts edges <= x, which is torch.bucketize(right=True), and vice versa."""
    return torch.bucketize(x, bins, right=not right)


# --------------------------------------------------------------------------- interpolation, convolution, polynomials
def _interp_samples(dtype):
    dt = np.dtype(dtype)
    xp = np.array([0.0, 1.0, 2.5, 4.0], dtype=dt)
    fp = np.array([1.0, -1.0, 3.0, 0.5], dtype=dt)
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.9, 4.0, 5.0], dtype=dt)
    return [
        Sample((x, xp, fp), note="inside, on and outside the sample points"),
        Sample((x, xp, fp), {"left": -9.0, "right": 9.0}),
        Sample((x.reshape(2, 4), xp, fp), note="2-D x"),
        Sample((x * 100, np.array([0.0, 90.0, 180.0, 270.0], dtype=dt), fp), {"period": 360.0},
               note="periodic"),
        Sample((special_values(dt), xp, fp), note="special values of x"),
        Sample((x, xp[:1], fp[:1]), note="one sample point"),
        Sample((np.empty((0,), dtype=dt), xp, fp), note="empty x"),
        Sample((x, xp[:0], fp[:0]), note="no sample points: both should raise"),
    ]


@st.composite
def _interp_strategy(draw, dtype):
    dt = np.dtype(dtype)
    points = sorted(draw(st.lists(st.integers(-40, 40), min_size=1, max_size=6, unique=True)))
    xp = np.array(points, dtype=dt) / 4
    fp = draw(arrays(dt, xp.shape, **MODERATE))
    x = draw(arrays(dt, shapes(max_dims=2), lo=-12, hi=12))
    kwargs = {}
    if draw(st.booleans()):
        kwargs.update(left=-50.0, right=50.0)
    if draw(st.booleans()):
        kwargs["period"] = draw(st.sampled_from([5.0, 24.0]))
    return Sample((x, xp, fp), kwargs)


MODES = ("full", "same", "valid")


def _convolve_samples(dtype):
    dt = np.dtype(dtype)
    a, v = _o(dt, (6,)), _o(dt, (3,))[::-1].copy()
    return [Sample((a, v), {"mode": m}, note=m) for m in MODES] + [
        Sample((v, a), note="second operand longer"),
        Sample((v, a), {"mode": "valid"}, note="valid, second operand longer"),
        Sample((a, v[:1]), {"mode": "same"}, note="length-1 kernel"),
        Sample((a[:4], v[:2]), {"mode": "same"}, note="even kernel: which side is kept"),
        Sample((np.empty((0,), dtype=dt), v), note="empty: both should raise"),
    ]


@st.composite
def _convolve_strategy(draw, dtype):
    dt = np.dtype(dtype)
    bound = {"lo": -20, "hi": 20}
    a = draw(arrays(dt, st.integers(1, 7).map(lambda n: (n,)), **bound))
    v = draw(arrays(dt, st.integers(1, 7).map(lambda n: (n,)), **bound))
    return Sample((a, v), {"mode": draw(st.sampled_from(MODES))})


def _polyval_samples(dtype):
    dt = np.dtype(dtype)
    p = np.array([2, -1, 0, 3], dtype=dt)
    x = _o(dt, (3, 4))
    return [
        Sample((p, x), note="cubic, 2-D x"),
        Sample((p, x[0, 0].item()), note="Python scalar x"),
        Sample((p[:1], x), note="constant"),
        Sample((p, np.empty((0,), dtype=dt)), note="empty x"),
        Sample((np.empty((0,), dtype=dt), x), note="no coefficients: zeros"),
    ]


@st.composite
def _polyval_strategy(draw, dtype):
    dt = np.dtype(dtype)
    p = draw(arrays(dt, st.integers(1, 5).map(lambda n: (n,)), lo=-5, hi=5))
    x = draw(arrays(dt, shapes(max_dims=2), lo=-3, hi=3))
    return Sample((p, x))


# --------------------------------------------------------------------------- closeness
def _close_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    samples = binary_samples(dt) + [
        Sample((o, o + 1), {"atol": 1.0}, note="atol"),
        Sample((o, o * 2), {"rtol": 0.6}, note="rtol, relative to the second argument"),
    ]
    if dt.kind in "fc":
        nan = special_values(dt)
        samples.append(Sample((nan, nan), {"equal_nan": True}, note="equal_nan"))
    return samples


@st.composite
def _close_strategy(draw, dtype):
    sample = draw(binary_strategy(dtype))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["rtol"] = draw(st.sampled_from([0.0, 1e-3, 0.5]))
    if draw(st.booleans()):
        kwargs["atol"] = draw(st.sampled_from([0.0, 1e-3, 1.0]))
    if np.dtype(dtype).kind in "fc" and draw(st.booleans()):
        kwargs["equal_nan"] = True
    return Sample(sample.args, kwargs)


def _allclose_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    samples = [
        Sample((o, o.copy()), note="equal"),
        Sample((o, o[::-1].copy()), note="different"),
        Sample((o.reshape(3, 4), o[:4]), note="broadcasting"),
        Sample((o, o + 1), {"atol": 1.0}, note="atol"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty: True"),
    ]
    if dt.kind in "fc":
        x = o.copy()
        x[1] = np.nan
        samples += [Sample((x, x.copy()), note="NaN: False"), Sample((x, x.copy()), {"equal_nan": True})]
    return samples


@st.composite
def _allclose_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt, **MODERATE))
    y = x + draw(arrays(dt, x.shape, lo=0, hi=1)) if draw(st.booleans()) else draw(arrays(dt, x.shape, **MODERATE))
    return Sample((x, np.asarray(y, dtype=dt)), {"atol": 1.0} if draw(st.booleans()) else {})


def _equal_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    samples = [
        Sample((o, o.copy()), note="equal"),
        Sample((o, o[::-1].copy()), note="different"),
        Sample((o[:4], o.reshape(3, 4)), note="different shapes: False, not broadcast"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty: True"),
    ]
    if dt.kind in "fc":
        x = special_values(dt)
        samples += [Sample((x, x.copy()), note="NaN: False"), Sample((x, x.copy()), {"equal_nan": True})]
    return samples


@st.composite
def _equal_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt))
    y = x.copy() if draw(st.booleans()) else draw(arrays(dt, x.shape if draw(st.booleans()) else shapes()))
    return Sample((x, y), {"equal_nan": True} if dt.kind in "fc" and draw(st.booleans()) else {})


# --------------------------------------------------------------------------- calculus and differences
def _trapezoid_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    grid = np.array([0.0, 0.5, 2.0], dtype=_real(dt))
    return [
        Sample((o,), note="unit spacing"),
        Sample((o.reshape(3, 4),), {"axis": 0, "dx": 0.5}),
        Sample((o.reshape(3, 4), grid), {"axis": 0}, note="sample points along the axis"),
        Sample((o.reshape(4, 3), grid), note="sample points along the last axis"),
        Sample((special_values(dt),), note="special values"),
        Sample((o[:1],), note="one point: zero"),
        Sample((np.empty((0,), dtype=dt),), note="empty: zero"),
    ]


@st.composite
def _trapezoid_strategy(draw, dtype):
    dt = np.dtype(dtype)
    y = draw(arrays(dt, shapes(min_dims=1, min_side=1), **MODERATE))
    axis = draw(st.integers(-y.ndim, y.ndim - 1))
    mode = draw(st.sampled_from(["dx", "x", "default"]))
    if mode == "x":
        steps = draw(hnp.arrays(np.float64, y.shape[axis], elements=st.floats(0.0, 4.0, width=32)))
        return Sample((y, np.cumsum(steps).astype(_real(dt))), {"axis": axis})
    kwargs = {"axis": axis}
    if mode == "dx":
        kwargs["dx"] = draw(st.floats(0.125, 4.0, width=32))
    return Sample((y,), kwargs)


def _torch_trapezoid(torch, y, x=None, dx=None, axis=-1):
    if x is not None:
        return torch.trapezoid(y, x, dim=axis)
    return torch.trapezoid(y, dx=1.0 if dx is None else dx, dim=axis)


def _gradient_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    coords = np.array([0.0, 0.5, 2.0, 2.5], dtype=_real(dt))
    return [
        Sample((o,), note="1-D: one array"),
        Sample((o, 0.5), note="scalar spacing"),
        Sample((o[:4], coords), note="coordinates"),
        Sample((o,), {"edge_order": 2}),
        Sample((o.reshape(3, 4),), note="2-D: one array per axis"),
        Sample((o.reshape(3, 4),), {"axis": 1}),
        Sample((o.reshape(3, 4), 2.0), {"axis": -2}),
        Sample((special_values(dt),), note="special values"),
        Sample((o[:1],), note="one point: both should raise"),
    ]


@st.composite
def _gradient_strategy(draw, dtype):
    dt = np.dtype(dtype)
    f = draw(arrays(dt, shapes(min_dims=1, max_dims=2, min_side=3), **MODERATE))
    args, kwargs = [f], {}
    if f.ndim > 1 and draw(st.booleans()):
        kwargs["axis"] = draw(st.integers(-f.ndim, f.ndim - 1))
    if f.ndim == 1 or "axis" in kwargs:
        spacing = draw(st.sampled_from(["none", "scalar", "coordinates"]))
        if spacing == "scalar":
            args.append(draw(st.sampled_from([0.5, 2.0])))
        elif spacing == "coordinates":
            n = f.shape[kwargs.get("axis", 0)]
            args.append(np.cumsum(np.arange(1, n + 1)).astype(_real(dt)))
    if draw(st.booleans()):
        kwargs["edge_order"] = 2
    return Sample(tuple(args), kwargs)


def _torch_gradient(torch, f, *varargs, axis=None, edge_order=1):
    """torch.gradient(spacing=, dim=): NumPy's positional spacing (one scalar or coordinates per axis)."""
    kwargs = {"edge_order": edge_order}
    if axis is not None:
        kwargs["dim"] = axis
    if len(varargs) == 1 and not torch.is_tensor(varargs[0]):
        kwargs["spacing"] = varargs[0]
    elif varargs:
        kwargs["spacing"] = tuple(varargs)
    return torch.gradient(f, **kwargs)


def _ediff1d_samples(dtype):
    dt = np.dtype(dtype)
    o = _o(dt)
    return [
        Sample((o,)),
        Sample((o.reshape(3, 4),), note="2-D is flattened"),
        Sample((o,), {"to_end": o[:2]}),
        Sample((o,), {"to_begin": o[3].item(), "to_end": o[2].item()}, note="scalars at both ends"),
        Sample((o[:1],), note="one element: empty"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty 2-D"),
        Sample((np.empty((3, 0), dtype=dt),), note="empty 2-D, no columns"),
    ]


def _unwrap_samples(dtype):
    dt = np.dtype(dtype)
    phase = np.array([0.0, 3.0, 6.5, -2.0, 0.5, 7.0, 14.0], dtype=dt)
    return [
        Sample((phase,)),
        Sample((phase,), {"discont": 4.0}),
        Sample((phase * 60,), {"period": 360.0}, note="degrees"),
        Sample((np.stack([phase, -phase]),), {"axis": 0}),
        Sample((special_values(dt),), note="special values"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ]


@st.composite
def _unwrap_strategy(draw, dtype):
    dt = np.dtype(dtype)
    p = draw(arrays(dt, shapes(min_dims=1, max_dims=2, min_side=1), lo=-20, hi=20))
    kwargs = {"axis": draw(st.integers(-p.ndim, p.ndim - 1))}
    if draw(st.booleans()):
        kwargs["period"] = draw(st.sampled_from([4.0, 10.0]))
    return Sample((p,), kwargs)


# --------------------------------------------------------------------------- statistics
def _cov_samples(dtype):
    dt = np.dtype(dtype)
    m = _o(dt, (3, 4))
    return [
        Sample((m,), note="rows are variables"),
        Sample((m[0],), note="1-D: a 0-d variance"),
        Sample((m,), {"ddof": 0}),
        Sample((m,), {"bias": True}),
        Sample((m.T.copy(),), {"rowvar": False}, note="columns are variables"),
        Sample((m,), {"aweights": np.array([1.0, 2.0, 0.5, 1.0])}),
        Sample((m,), {"fweights": np.array([1, 2, 1, 3])}),
        Sample((m[:, :1],), note="one observation: divides by zero"),
        Sample((np.array([[1.0, np.inf, 2.0]], dtype=dt),), note="infinity"),
    ]


@st.composite
def _cov_strategy(draw, dtype):
    dt = np.dtype(dtype)
    m = draw(arrays(dt, st.tuples(st.integers(1, 4), st.integers(2, 5)), **MODERATE))
    kwargs = {}
    choice = draw(st.sampled_from(["none", "ddof", "bias", "aweights", "fweights"]))
    if choice == "ddof":
        kwargs["ddof"] = draw(st.integers(0, 1))
    elif choice == "bias":
        kwargs["bias"] = True
    elif choice == "aweights":
        kwargs["aweights"] = draw(hnp.arrays(np.float64, m.shape[1], elements=st.floats(0.5, 4.0, width=32)))
    elif choice == "fweights":
        kwargs["fweights"] = draw(hnp.arrays(np.int64, m.shape[1], elements=st.integers(1, 3)))
    return Sample((m,), kwargs)


def _torch_cov(torch, m, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    """NumPy's ddof/bias are torch's correction; rowvar=False is the transposed input."""
    correction = ddof if ddof is not None else (0 if bias else 1)
    return torch.cov(m if rowvar else m.T, correction=correction, fweights=fweights, aweights=aweights)


def _corrcoef_samples(dtype):
    dt = np.dtype(dtype)
    m = _o(dt, (3, 4))
    return [
        Sample((m,)),
        Sample((m[:2],), note="two variables"),
        Sample((m[0],), note="1-D: 1"),
        Sample((np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]], dtype=dt),), note="a constant variable: NaN"),
    ]


@st.composite
def _corrcoef_strategy(draw, dtype):
    """Integer-valued variables that are not constant: a constant one is 0 / 0, and whether its rounded
    deviations from the mean come out exactly zero (NaN) or not (+-1) decides the answer (a fixed sample
    holds an exactly constant one)."""
    dt = np.dtype(dtype)
    m = draw(hnp.arrays(np.int8, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=st.integers(-50, 50)))
    m = m.astype(dt)
    return Sample((m,)) if np.all(np.ptp(m.real, axis=1) > 0) else Sample((m + np.arange(m.shape[1], dtype=dt),))


def _average_samples(dtype):
    dt = np.dtype(dtype)
    a = _o(dt, (3, 4))
    w = np.array([1.0, 2.0, 0.5, 1.5])
    return [
        Sample((a,), note="no weights: the mean"),
        Sample((a,), {"axis": 1, "weights": w}, note="1-D weights along an axis"),
        Sample((a,), {"weights": np.resize(w, (3, 4))}, note="full weights"),
        Sample((a,), {"axis": 0, "weights": w[:3], "returned": True}, note="returned: (average, sum of weights)"),
        Sample((a,), {"axis": -1, "keepdims": True}),
        Sample((a,), {"axis": (0, 1)}),
        Sample((a[0],), {"weights": np.zeros(4)}, note="weights summing to zero: NumPy raises"),
    ]


@st.composite
def _average_strategy(draw, dtype):
    dt = np.dtype(dtype)
    sample = draw(reduction_strategy(dt, min_side=1, **MODERATE))
    a, kwargs = sample.args[0], dict(sample.kwargs)
    if isinstance(kwargs.get("axis"), int) and draw(st.booleans()):
        kwargs["weights"] = draw(hnp.arrays(np.float64, a.shape[kwargs["axis"]], elements=st.floats(0.25, 4.0)))
    elif draw(st.booleans()):
        kwargs["weights"] = draw(hnp.arrays(np.float64, a.shape, elements=st.floats(0.25, 4.0)))
    if draw(st.booleans()):
        kwargs["returned"] = True
    return Sample((a,), kwargs)


# --------------------------------------------------------------------------- element-wise with options
def _nan_to_num_samples(dtype):
    dt = np.dtype(dtype)
    s = special_values(dt)
    return unary_samples(dt) + [
        Sample((s,), {"nan": 1.5}),
        Sample((s,), {"posinf": 9.0, "neginf": -9.0}),
        Sample((s,), {"nan": -1.0, "posinf": 2.0, "neginf": -2.0}),
    ]


@st.composite
def _nan_to_num_strategy(draw, dtype):
    x = draw(arrays(dtype))
    kwargs = {k: draw(st.sampled_from([-3.0, 0.5, 7.0])) for k in ("nan", "posinf", "neginf") if draw(st.booleans())}
    return Sample((x,), kwargs)


def _cross_samples(dtype):
    dt = np.dtype(dtype)
    a, b = _o(dt, (2, 3)), _o(dt, (2, 3))[::-1].copy()
    return [
        Sample((a[0], b[0]), note="3-vectors"),
        Sample((a, b), note="batched"),
        Sample((a, b[0]), note="broadcasting"),
        Sample((a.T.copy(), b.T.copy()), {"axis": 0}),
        Sample((a.T.copy(), b), {"axisa": 0}, note="axisa"),
        Sample((a[:, :2].copy(), b[:, :2].copy()), note="2-vectors: the z component"),
        Sample((np.empty((0, 3), dtype=dt), np.empty((0, 3), dtype=dt)), note="empty batch"),
    ]


@st.composite
def _cross_strategy(draw, dtype):
    dt = np.dtype(dtype)
    lead = draw(st.sampled_from([(), (2,), (2, 1)]))
    axis = draw(st.integers(-len(lead) - 1, len(lead)))
    shape = list(lead)
    shape.insert(axis % (len(lead) + 1), 3)
    x, y = (draw(arrays(dt, tuple(shape), lo=-20, hi=20)) for _ in range(2))
    return Sample((x, y), {} if axis == -1 else {"axis": axis})


def _torch_cross(torch, a, b, axis=None, axisa=-1, axisb=-1, axisc=-1):
    """torch.cross(dim=): NumPy's ``axis`` (default -1) is the vector axis of inputs and output."""
    if axis is None and (axisa, axisb, axisc) != (-1, -1, -1):
        return torch.movedim(torch.cross(torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1), dim=-1), -1, axisc)
    return torch.cross(a, b, dim=-1 if axis is None else axis)


# --------------------------------------------------------------------------- declarations
#: Flattening an empty 2-D dask array fails inside dask's reshape (which ones depends on the chunks).
DASK_EMPTY_FLATTEN = Expected(
    "dask", "error", match="reduce\\(\\) of empty iterable|merge or split existing dimensions",
    reason="Flattening an empty 2-D dask array fails inside dask's reshape (TypeError 'reduce() of empty iterable' "
           "or NotImplementedError 'merge or split existing dimensions evenly', depending on the chunks); NumPy "
           "returns an empty result.")
def _dtype_kept(backend, fname, dtypes, numpy_does):
    return Expected(backend, "dtype", dtypes=dtypes,
                    reason=f"{numpy_does}; {fname} keeps the input's precision.")


_NUMPY_COV = "numpy.cov/corrcoef compute in at least float64 (result_type(m, float64)), so float32 input gives float64"
JAX_NO_EMPTY_RANGE = Expected(
    "jax", "error", match="zero-size array",
    reason="On an empty input with no range NumPy uses the range (0, 1); jnp.histogram takes min/max of the empty "
           "array and raises ValueError 'zero-size array to reduction operation min'.")
JAX_NAN_RANGE = Expected(
    "jax", "accepts",
    reason="NumPy refuses an autodetected range that is not finite (NaN in the data) with ValueError; jnp.histogram "
           "(traceable, so it cannot raise on values) returns NaN edges.")
OPS = [
    # ---- histograms and binning
    _numeric(
        "histogram", dtypes=FLOAT, samples=_hist_samples, strategy=_hist_strategy,
        doc="Counts and edges, for a number of bins, explicit edges, a range, weights and density.",
        spellings={"torch": _torch_histogram},
        expected=(
            beyond_standard("jax", "value", "Bool data: jnp.histogram counts bools into other bins than NumPy (which "
                            "takes the range [False, True] as numbers).", where=bool_inputs),
            Expected("torch", "dtype",
                     reason="torch.histogram returns counts in the input's floating dtype; NumPy returns unweighted "
                            "counts as int64 (intp)."),
            Expected("torch", "error-type", match="reference raised ValueError, implementation raised RuntimeError",
                     reason="NaN in the data with an autodetected range: NumPy raises ValueError, torch RuntimeError "
                            "('range [nan, nan] is not finite')."),
            Expected("jax", "dtype",
                     reason="jnp.histogram returns counts in a floating dtype; NumPy returns unweighted counts as "
                            "int64 (intp)."),
            JAX_NO_EMPTY_RANGE, JAX_NAN_RANGE,
            beyond_standard("dask", "dtype", "Complex data: NumPy returns complex bin edges, dask real ones (float64).",
                            dtypes=("complex64", "complex128"), dtype=(r"complex\d+", "float64")),
            Expected("dask", "error", match="requires either specifying bins",
                     reason="dask.array.histogram needs bins as edges, or a number of bins together with range (it "
                            "cannot scan the data for its range lazily); NumPy takes the data's min and max."),
            Expected("dask", "dtype", dtypes=("float32",),
                     reason="With a number of bins and a range, dask.array.histogram's edges are float64 "
                            "(linspace over the Python range); NumPy's edges keep the data's float32."),
        ),
    ),
    _numeric(
        "histogram_bin_edges", dtypes=FLOAT, samples=_edges_samples,
        strategy=lambda dt: _hist_strategy(dt, edges_only=True),
        expected=(JAX_NO_EMPTY_RANGE, JAX_NAN_RANGE,
                  Expected("jax", "error", match="string values for `bins`",
                           reason="jnp.histogram_bin_edges implements no named estimators ('sturges', 'fd', ...): "
                                  "NotImplementedError."),
                  beyond_standard("jax", "dtype", "Bool or integer data: jnp.histogram_bin_edges returns float32 "
                                  "edges; NumPy float64 (the integer dtype for integer bins).",
                                  dtype=(r"(float64|u?int\d+)", r"float(32|64)")),
                  beyond_standard("jax", "error-type", "Complex data: NumPy raises TypeError ('a must be an array of "
                                  "real numbers'), jax.numpy another error first.", dtypes=("complex64", "complex128"),
                                  match="reference raised TypeError"),),
    ),
    _numeric(
        "bincount", dtypes=SIGNED + ("uint8",), samples=_bincount_samples, strategy=_bincount_strategy,
        expected=(
            Expected("torch", "error-type", match="reference raised ValueError, implementation raised RuntimeError",
                     dtypes=SIGNED,
                     reason="A negative value: NumPy raises ValueError, torch.bincount RuntimeError."),
            Expected("jax", "accepts", dtypes=SIGNED,
                     reason="A negative value: NumPy raises ValueError; jnp.bincount (traceable, so it cannot "
                            "raise on values) clips it into bin 0."),
            Expected(("jax", "dask"), "dtype",
                     reason="An empty input with (float) weights: NumPy returns an empty int64 array, ignoring the "
                            "weights' dtype; this backend returns the weights' dtype, as for non-empty input."),
        ),
    ),
    _numeric(
        "digitize", dtypes=FLOAT + INT, samples=_digitize_samples, strategy=_digitize_strategy,
        doc="torch has no digitize: compared with torch.bucketize, whose right= is the complement of NumPy's.",
        spellings={"torch": _torch_digitize},
        expected=(
            beyond_standard(("torch", "jax"), "accepts", "bool bins that are not monotonic ([False, True, False]): "
                            "NumPy raises ValueError, the library searches them anyway.", dtypes=("bool",),
                            match="bins must be monotonically increasing or decreasing"),
            Expected("torch", "value", where=decreasing_bins,
                     reason="numpy.digitize accepts decreasing bins (it searches them reversed); torch.bucketize "
                            "requires increasing boundaries and returns meaningless indices for decreasing ones."),
            Expected("jax", "dtype",
                     reason="jnp.digitize returns int32 indices even with 64-bit types enabled; NumPy returns intp "
                            "(int64)."),
        ),
    ),
    # ---- interpolation, convolution, polynomials
    _numeric(
        "interp", dtypes=FLOAT, samples=_interp_samples, strategy=_interp_strategy,
        expected=(
            _dtype_kept("jax", "jnp.interp", ("float32",), "numpy.interp computes and returns float64 for real input"),
            Expected("jax", "error-type", match="reference raised ValueError",
                     reason="No sample points: NumPy raises ValueError 'array of sample points is empty'; jnp.interp "
                            "fails inside a gather with TypeError."),
            beyond_standard("jax", "error-type", "Complex x values: NumPy raises TypeError (no cast to float64), "
                            "jnp.interp ValueError ('complex x values not supported').",
                            dtypes=("complex64", "complex128"), match="reference raised TypeError, implementation "
                            "raised ValueError"),
        ),
    ),
    _numeric(
        "convolve", dtypes=INT + INEXACT, samples=_convolve_samples, strategy=_convolve_strategy,
        check_signed_zero=False, compare=compare_convolution,
        doc="Signed zeros not compared: whether a sum of products starts from +0 or from its first term is "
            "unspecified. Values within the rounding bound of a sum of products (see compare_convolution).",
        expected=(Expected("jax", "dtype", dtypes=INT,
                           reason="jnp.convolve returns a floating result for integer input; NumPy keeps the "
                                  "integer dtype."),
                  beyond_standard("jax", "dtype", "jnp.convolve of bool or narrow integer arrays returns a float "
                                  "(float64 for uint64); NumPy keeps the input dtype (bool: combines with or).",
                                  dtype=(r"(bool|u?int\d+)", r"float(32|64)")),),
    ),
    _numeric(
        "correlate", dtypes=INT + INEXACT, samples=_convolve_samples, strategy=_convolve_strategy,
        check_signed_zero=False, compare=compare_convolution, doc="Signed zeros and values compared as for convolve.",
        expected=(Expected("jax", "dtype", dtypes=INT,
                           reason="jnp.correlate returns a floating result for integer input; NumPy keeps the "
                                  "integer dtype."),
                  beyond_standard("jax", "dtype", "jnp.correlate of bool or narrow integer arrays returns a float "
                                  "(float64 for uint64); NumPy keeps the input dtype (bool: combines with or).",
                                  dtype=(r"(bool|u?int\d+)", r"float(32|64)")),),
    ),
    _numeric(
        "polyval", dtypes=("int64",) + INEXACT, samples=_polyval_samples, strategy=_polyval_strategy,
        expected=(
            Expected("jax", "dtype", dtypes=("float32", "complex64"),
                     reason="numpy.polyval turns a Python scalar x into a float64 array (asanyarray) before Horner's "
                            "rule, so float32 coefficients give float64; jnp.polyval treats it as weakly typed and "
                            "keeps float32."),
        ),
    ),
    # ---- closeness and equality
    binary_op("isclose", ("int64",) + INEXACT, samples=_close_samples, strategy=_close_strategy,
              expected=(torch_tensor_only(("int64",) + INEXACT), _TORCH_ONE_DTYPE)),
    _numeric("allclose", dtypes=("int64",) + INEXACT, samples=_allclose_samples, strategy=_allclose_strategy,
             expected=(_TORCH_ONE_DTYPE,)),
    _numeric("array_equal", dtypes=ALL, samples=_equal_samples, strategy=_equal_strategy),
    unary_op("nan_to_num", INEXACT, samples=_nan_to_num_samples, strategy=_nan_to_num_strategy, expected=(
        Expected("dask", "error", match="does not take the following keyword arguments",
                 reason="dask.array.nan_to_num has no nan/posinf/neginf arguments (NumPy >= 1.17 has)."),
    )),
    # ---- calculus and differences
    _numeric(
        "trapezoid", dtypes=INEXACT, samples=_trapezoid_samples, strategy=_trapezoid_strategy,
        check_signed_zero=False, doc="Signed zeros not compared: the sign of a zero area depends on the formula.",
        spellings={"torch": _torch_trapezoid},
        expected=(
            Expected("jax", "error", match="out of bounds",
                     reason="An empty axis: NumPy integrates to 0; jnp.trapezoid raises IndexError."),
            beyond_standard("torch", "dtype", "torch.trapezoid of an integer or bool tensor keeps its dtype (the "
                            "area truncated); NumPy integrates in float64.", dtype=("float64", r"(u?int\d+|bool)")),
            beyond_standard("torch", "error", "torch.trapezoid refuses a bool y by name; NumPy integrates it as "
                            "numbers.", match="received a bool input for `y`, but bool is not supported"),
            beyond_standard("jax", "value", "A bool y: jnp.trapezoid averages neighbouring bools with bool "
                            "arithmetic (True + True is True) before weighting; NumPy integrates them as numbers.",
                            where=first_input_integer),
        ),
    ),
    _numeric(
        "gradient", dtypes=INEXACT, samples=_gradient_samples, strategy=_gradient_strategy, check_signed_zero=False,
        doc="Central differences inside, one-sided (edge_order 1 or 2) at the ends; scalar spacing or coordinates. "
            "Signed zeros not compared: the sign of a zero difference quotient depends on the formula.",
        spellings={"torch": _torch_gradient},
        expected=(
            Expected("torch", "shape", match="returns one array",
                     reason="For one axis numpy.gradient returns an array; torch.gradient always returns a tuple "
                            "of tensors (here of one)."),
            Expected("torch", "error-type", match="reference raised ValueError, implementation raised RuntimeError",
                     reason="Fewer than edge_order + 1 points: NumPy raises ValueError, torch RuntimeError."),
            Expected("jax", "error", match="edge_order",
                     reason="jnp.gradient does not implement edge_order (NotImplementedError); NumPy supports "
                            "first- and second-order one-sided differences at the ends."),
            Expected("dask", "shape", match="returns one array",
                     reason="For one axis numpy.gradient returns an array; dask.array.gradient returns a list of "
                            "one array."),
            Expected("dask", "error", match="Chunk size must be larger than edge_order|coordinated is not supported",
                     reason="dask.array.gradient needs every chunk along the axis to hold more than edge_order + 1 "
                            "points (users must rechunk), and takes no sample coordinates (NotImplementedError); "
                            "NumPy has no chunks and takes coordinates."),
        ),
    ),
    _numeric(
        "ediff1d", dtypes=SIGNED + FLOAT, samples=_ediff1d_samples,
        strategy=lambda dt: unary_strategy(dt, **(MODERATE if np.dtype(dt).kind == "f" else {})),
        expected=(
            DASK_EMPTY_FLATTEN,
            Expected("dask", "dtype", dtypes=("int8", "int16", "int32", "float32"),
                     reason="Python scalars for to_begin/to_end: dask.array.ediff1d concatenates them as int64/"
                            "float64 arrays, so the result is promoted; NumPy casts them to the input's dtype."),
            beyond_standard("dask", "dtype", "Python scalars for to_begin/to_end with complex64 input: dask "
                            "concatenates them as a complex128 array; NumPy casts them to complex64.",
                            dtypes=("complex64",), dtype=("complex64", "complex128")),
            beyond_standard(("dask", "jax"), "accepts", "Python ints for to_begin/to_end with unsigned input: NumPy "
                            "refuses them under the same_kind rule, the library concatenates them.",
                            match="must be compatible with input `ary` under the `same_kind` rule"),
        ),
    ),
    _numeric("unwrap", dtypes=FLOAT, samples=_unwrap_samples, strategy=_unwrap_strategy, expected=(
        beyond_standard("jax", "value", "Integer input: jnp.unwrap adds the multiples of the period in the input's "
                        "integer dtype, which wraps (int8 -120 + 360 is 240, NumPy -120); NumPy computes in float64.",
                        where=integer_inputs),
    )),
    _numeric(
        "cross", dtypes=("int64",) + INEXACT, samples=_cross_samples, strategy=_cross_strategy,
        doc="numpy.cross: 3-vectors (and 2-vectors) along any axis; torch.cross(dim=) for the torch side.",
        spellings={"torch": _torch_cross},
        expected=(
            Expected("torch", "error", match="must have length 3", surface="native",
                     reason="numpy.cross also takes 2-vectors (returning the z component; deprecated since NumPy "
                            "2.0); torch.cross only 3-vectors."),
            Expected("torch", "error", match="same number of dimensions",
                     reason="torch.cross broadcasts only inputs of equal rank; NumPy broadcasts a (3,) vector "
                            "against a (2, 3) stack."),
        ),
    ),
    # ---- statistics
    _numeric(
        "cov", family="statistics", dtypes=INEXACT, samples=_cov_samples, strategy=_cov_strategy,
        spellings={"torch": _torch_cov},
        expected=(_dtype_kept("torch", "torch.cov", ("float32", "complex64"), _NUMPY_COV),
                  _dtype_kept("jax", "jnp.cov", ("float32", "complex64"), _NUMPY_COV)),
    ),
    _numeric(
        "corrcoef", family="statistics", dtypes=INEXACT, samples=_corrcoef_samples,
        strategy=_corrcoef_strategy,
        expected=(_dtype_kept("torch", "torch.corrcoef", ("float32", "complex64"), _NUMPY_COV),
                  _dtype_kept("jax", "jnp.corrcoef", ("float32", "complex64"), _NUMPY_COV)),
    ),
    _numeric(
        "average", family="statistics", dtypes=("int64",) + INEXACT, samples=_average_samples,
        strategy=_average_strategy,
        expected=(
            Expected("dask", "accepts",
                     reason="Weights summing to zero: NumPy raises ZeroDivisionError; dask.array.average (lazy, so "
                            "it cannot raise on values) divides by zero."),
            Expected("jax", "accepts",
                     reason="Weights summing to zero: NumPy raises ZeroDivisionError; jnp.average (traceable, so it "
                            "cannot raise on values) divides by zero."),
        ),
    ),
    _numeric(
        "ptp", family="statistics", dtypes=REAL, check_signed_zero=False,
        samples=lambda dt: reduction_samples(dt, empty=False), strategy=lambda dt: reduction_strategy(dt, min_side=1),
        doc="Peak to peak, max - min (wraps around for integers, as in NumPy).",
        expected=(Expected("dask", "error", match="unexpected keyword argument 'keepdims'",
                           reason="dask.array.ptp has no keepdims argument (NumPy's has)."),
                  Expected("dask", "error", match="zero-size array to reduction operation", domain="any",
                           reason="An empty (0, 3) array along its length-3 axis: NumPy returns an empty result; "
                                  "dask.array.ptp raises ValueError ('zero-size array to reduction operation')."),
                  beyond_standard("jax", "special-value", "Complex data with NaN parts: NumPy's ptp (max - min in "
                                  "lexicographic order) propagates the NaN, jnp.ptp returns infinities.",
                                  where=nan_operand, dtypes=("complex64", "complex128")),),
    ),
]
