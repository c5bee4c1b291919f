"""NaN-aware reductions, scans and order statistics: NumPy's nan* functions (nanmax, nanmean and nansum are in
reductions.py).

NumPy's nan* functions treat NaN as missing: ignored in sums, products, extrema and order statistics,
replaced by 0 (or 1) in scans. The cases that decide parity are slices that are *all* NaN (nanmin and
nanargmin: NaN with a warning, or a ValueError; nanstd/nanvar: NaN; nanmedian/nanquantile: NaN), NaN
mixed into every axis form, and empty inputs; the fixed samples carry each of them. Generated inputs
are bounded, finite values (summation order would otherwise dominate) with NaNs put back in at drawn
positions, so Hypothesis explores where the NaNs sit rather than rediscovering rounding.

Only the inexact dtypes are exercised where NaN is the point (integers have no NaN: nansum of int is sum,
already covered by the plain reductions); nanmin and nanargmax/nanargmin keep every real dtype, since
their integer paths are their own code. NaN-aware order statistics do not compare signed zeros (see
reductions.py: which of tied zeros an order statistic returns is unspecified).

PyTorch has only nanmedian and nanquantile of these (plus nansum/nanmean in reductions.py); the small
``_torch_*`` adapters translate the signature (``dim``/``keepdim``, ``interpolation`` for ``method``,
``q / 100`` for percentile) and nothing else.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo import bounds
from opinfo.comparators import compare_product
from opinfo.declared import beyond_standard
from opinfo.dtypes import FLOAT, INEXACT, REAL
from opinfo.reductions import (
    DASK_BOOL_QUANTILE,
    JAX_BOOL_QUANTILE,
    TORCH_EMPTY_QUANTILE,
    TORCH_MEDIAN_LOWER,
    negative_zeros,
    quantile_strategy,
    torch_quantile,
)
from opinfo.samples import (
    arrays,
    axis_strategy,
    ordinary_values,
    reduction_samples,
    reduction_strategy,
    shapes,
    special_values,
)
from opinfo.sorting import DASK_ARG_TIES, tied_extremes
from opinfo.spec import Expected, OpInfo, Sample, op
from opinfo.where import empty_input, lower_middle_value, neighbouring_order_statistic

MODERATE = {"lo": -100, "hi": 100}
QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")
#: dask's nanquantile/nanpercentile pass the axis on to NumPy as a list, and subtract bools
DASK_NANQUANTILE_EMPTY = (
    Expected("dask", "error", match="'list' object cannot be interpreted as an integer", domain="any",
             reason="Along an empty axis: dask.array.nanquantile/nanpercentile raise TypeError (they hand the axis "
                    "to numpy as a list); NumPy returns NaN."),
    beyond_standard("dask", "error", "Bool data along an empty axis: dask subtracts bools and raises TypeError "
                    "('numpy boolean subtract'); NumPy returns NaN.", dtypes=("bool",), match="numpy boolean subtract"),
)
JAX_NANQUANTILE_EMPTY = (
    Expected("jax", "error", match="Slice size at index 0 in gather op is out of range", domain="any",
             reason="Along an empty axis: jnp.nanquantile/nanpercentile fail inside a gather (TypeError 'Slice size at "
                    "index 0 in gather op is out of range'); NumPy returns NaN."),
    beyond_standard("jax", "dtype", "Bool data, an empty result: NumPy returns float64, jax.numpy float32.",
                    dtypes=("bool",), dtype=("float64", "float32"), where=empty_input),
)
#: torch.nanquantile reduces over one int dim or all of them
TORCH_NANQUANTILE_AXES = Expected(
    "torch", "error", match=r"nanquantile\(\) received an invalid combination of arguments - got \([^)]*dim=tuple",
    domain="any",
    reason="A tuple of axes: torch.nanquantile reduces over one int dim or all of them and raises TypeError; NumPy "
           "reduces over every axis in the tuple.")


# --------------------------------------------------------------------------- samples
def _nan_rows(dtype) -> np.ndarray:
    """A 3x4 array with an all-NaN first row and one more NaN (complex: NaN real part)."""
    x = ordinary_values(dtype).reshape(3, 4)
    x[0, :] = np.nan
    x[1, 1] = np.nan
    return x


def nan_samples(dtype, *, keepdims: bool = True, tuple_axis: bool = True) -> list[Sample]:
    """Reduction samples plus NaN mixed in: an all-NaN row along each axis form, an all-NaN array."""
    dt = np.dtype(dtype)
    samples = reduction_samples(dt, keepdims=keepdims)
    if not tuple_axis:
        samples = [s for s in samples if not isinstance(s.kwargs.get("axis"), tuple)]
    if dt.kind in "fc":
        x = _nan_rows(dt)
        samples += [
            Sample((x,), {"axis": 1}, note="an all-NaN row"),
            Sample((x,), {"axis": 0}, note="NaN in two columns"),
            Sample((x,), note="NaN, all axes"),
            Sample((np.full(3, np.nan, dtype=dt),), note="all NaN"),
        ]
        if keepdims:
            samples.append(Sample((x,), {"axis": 0, "keepdims": True}))
    samples.append(Sample((np.empty((0, 3), dtype=dt),), {"axis": 1}, note="empty result over a non-empty axis"))
    return samples


@st.composite
def _with_nans(draw, base, dtype):
    """A drawn sample whose first array gets NaNs at drawn positions (inexact dtypes only)."""
    sample = draw(base)
    x = sample.args[0]
    if np.dtype(dtype).kind in "fc" and x.size:
        mask = draw(hnp.arrays(np.bool_, x.shape))
        x = x.copy()
        x[mask] = np.nan
    return Sample((x, *sample.args[1:]), sample.kwargs)


def nan_strategy(dtype, *, allow_tuple=True, keepdims=True, min_side=0):
    """Bounded values with NaNs mixed in, over every axis form."""
    dt = np.dtype(dtype)
    bounded = MODERATE if dt.kind in "fc" else {}
    return _with_nans(reduction_strategy(dt, allow_tuple=allow_tuple, keepdims=keepdims, min_side=min_side,
                                         **bounded), dt)


def _median_samples(dtype):
    o = ordinary_values(dtype)
    return nan_samples(dtype) + [Sample((np.array(o[1]),), {"keepdims": True}, note="0-d, keepdims")]


def _std_samples(dtype):
    x = _nan_rows(dtype)
    return nan_samples(dtype) + [
        Sample((x,), {"axis": 1, "ddof": 1}, note="ddof=1 with an all-NaN row and a row of 3"),
        Sample((x,), {"axis": 1, "ddof": 3}, note="ddof equal to the non-NaN count"),
        Sample((x,), {"axis": 0, "ddof": 2}, note="ddof beyond the non-NaN count"),
    ]


@st.composite
def _std_strategy(draw, dtype):
    sample = draw(nan_strategy(dtype))
    ddof = draw(st.sampled_from([0, 0, 1, 2]))
    return Sample(sample.args, {**sample.kwargs, **({"ddof": ddof} if ddof else {})})


def _arg_samples(dtype):
    """nanargmax/nanargmin: no tuple axes (NumPy takes an int or None); an all-NaN slice raises."""
    dt = np.dtype(dtype)
    o = ordinary_values(dt).reshape(3, 4)
    samples = [
        Sample((special_values(dt),), note="special values"),
        Sample((o,), note="ties, flattened"),
        Sample((o,), {"axis": 0}),
        Sample((o,), {"axis": -1, "keepdims": True}),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
        *tied_extremes(dt),
    ]
    if dt.kind == "f":
        x = _nan_rows(dt)
        samples += [
            Sample((x,), {"axis": 0}, note="NaN in two columns"),
            Sample((x,), note="NaN, all axes"),
            Sample((x,), {"axis": 1}, note="an all-NaN row: NumPy raises"),
            Sample((np.array([[np.nan, np.nan, 0], [0, np.nan, np.nan], [np.nan] * 3], dtype=dt),),
                   note="tied extremes in different blocks, flattened"),
        ]
    return samples


def _scan_samples(dtype):
    dt = np.dtype(dtype)
    o = ordinary_values(dt)
    x = _nan_rows(dt)
    return [
        Sample((special_values(dt),), {"axis": 0}, note="special values"),
        Sample((o.reshape(3, 4),), {"axis": 0}),
        Sample((o.reshape(3, 4),), {"axis": -1}),
        Sample((x,), {"axis": 1}, note="an all-NaN row"),
        Sample((x,), {"axis": 0}, note="NaN in two columns"),
        Sample((x,), note="flattened, axis omitted"),
        Sample((np.empty((0,), dtype=dt),), {"axis": 0}, note="empty"),
        Sample((negative_zeros(dt),), {"axis": 0}, note="leading negative zeros"),
    ]


@st.composite
def _scan_strategy(draw, dtype):
    return draw(_with_nans(axis_strategy(dtype, **MODERATE), dtype))


def _quantile_samples(scale):
    def build(dtype):
        dt = np.dtype(dtype)
        x = _nan_rows(dt)
        o = ordinary_values(dt).reshape(3, 4)
        # no q where (n - 1) q is an integer but not exactly representable (see reductions.py)
        qs = np.array([0.0, 0.1, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0], dtype=dt) * scale
        samples = [Sample((x, qs), {"axis": -1, "method": m}, note=f"{m}, an all-NaN row") for m in QUANTILE_METHODS]
        samples += [
            Sample((o, qs), {"axis": 0}, note="no NaN"),
            Sample((x, 0.5 * scale), note="all axes"),
            Sample((x, 0.3 * scale), {"axis": 0, "keepdims": True, "method": "nearest"}),
            Sample((special_values(dt), qs), note="special values"),
            Sample((np.full(3, np.nan, dtype=dt), 0.5 * scale), note="all NaN"),
            Sample((np.array(o[0, 1]), 0.5 * scale), note="0-d"),
            Sample((np.array(o[0, 1]), qs[:2]), note="0-d, an array of q"),
            Sample((np.array(o[0, 1]), 0.5 * scale), {"keepdims": True}, note="0-d, keepdims"),
            Sample((o[0, :1], qs[:2]), {"keepdims": True}, note="one element, keepdims, an array of q"),
            Sample((o[0], qs[:2]), {"keepdims": True}, note="1-D, keepdims, an array of q"),
        ]
        return samples

    return build


def _quantile_strategy(scale):
    """reductions.quantile_strategy over arrays with NaNs mixed in."""
    def data(dt):
        return _with_nans(arrays(dt, shapes(min_side=1), **MODERATE).map(lambda a: Sample((a,))), dt).map(
            lambda sample: sample.args[0])

    return quantile_strategy(scale, data)


# --------------------------------------------------------------------------- torch adapters
def _torch_nanmedian(torch, x, axis=None, keepdims=False):
    """torch.nanmedian takes one int dim and returns (values, indices) with it; axis=None is no dim."""
    if axis is None:
        out = torch.nanmedian(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    return torch.nanmedian(x, dim=axis, keepdim=keepdims).values


# --------------------------------------------------------------------------- expected divergences
DASK_DDOF = Expected(
    "dask", "special-value",
    reason="With ddof equal to the number of non-NaN values dask divides by zero and returns inf; NumPy returns NaN "
           "(with a 'Degrees of freedom <= 0' warning).")
DASK_SCAN_AXIS = Expected(
    "dask", "error", match="required positional argument: 'axis'",
    reason="dask.array.nancumsum/nancumprod require axis; NumPy's default (axis=None) scans the flattened array.")
JAX_ALL_NAN_ARG = Expected(
    "jax", "accepts", dtypes=FLOAT,
    reason="On an all-NaN slice NumPy raises ValueError ('All-NaN slice encountered'); jax.numpy returns -1.")
DASK_QUANTILE = (
    Expected("dask", "dtype", dtypes=("float32",),
             reason="dask.array.nanquantile/nanpercentile return float64 for float32 input; NumPy keeps float32."),
    Expected("dask", "error", match="Provided chunks have",
             reason="dask.array.nanquantile/nanpercentile of a 0-d input with an array of q raise ValueError "
                    "('Provided chunks have 1 dims; expected 2 dims'); NumPy returns one value per q."),
    Expected("dask", "error", match="only works along an axis",
             reason="dask.array.nanquantile/nanpercentile refuse axis=None on an input of two or more dimensions "
                    "(NotImplementedError: 'only works along an axis'); NumPy uses the flattened array."),
    Expected("dask", "shape",
             reason="With keepdims=True and q a dask array, NumPy puts the q axis first (shape (len(q), 1) for a 1-D "
                    "input), dask last ((1, len(q)))."),
    Expected("dask", "error", match="adjust_chunks",
             reason="With keepdims=True and q a dask array of several blocks, dask.array.nanquantile raises "
                    "ValueError ('Dimension 1 has 2 blocks, adjust_chunks specified with 1 blocks')."),
)
def _jax_nearest(scale: float) -> Expected:
    return Expected("jax", "value", where=neighbouring_order_statistic(scale),
                    link="https://github.com/numpy/numpy/issues/28910",
                    reason="method='nearest' at an index exactly halfway between two order statistics: NumPy rounds "
                           "to the even index (q = 0.75 of 3 values: index 2), jax.numpy rounds down (index 1).")


JAX_QUANTILE = (
    Expected("jax", "shape",
             reason="For a 0-d input with keepdims=True jax.numpy returns shape (1,) per q (it treats the input as "
                    "1-D); NumPy keeps 0-d."),
)
TORCH_NANMEDIAN = (
    Expected("torch", "value", where=lower_middle_value, link=TORCH_MEDIAN_LOWER,
             reason="For an even count of non-NaN values torch.nanmedian returns the lower of the two middle values; "
                    "NumPy returns their mean (torch documents this)."),
    Expected("torch", "error", match="must be int, not tuple|to have non-zero size",
             reason="torch.nanmedian takes one int dim: a tuple of axes raises TypeError, and a reduction over an "
                    "empty dim raises IndexError where NumPy returns NaN."),
)


# --------------------------------------------------------------------------- entries
def _op(name, family, dtypes, samples, strategy, **kw) -> OpInfo:
    return op(name, family, getattr(np, name), dtypes, samples, strategy, **kw)


OPS = [
    _op("nanmin", "statistics", REAL, nan_samples, nan_strategy, check_signed_zero=False,
        doc="Which of tied +0.0/-0.0 is returned is unspecified (as for min), so signed zeros are not compared.",
        expected=(Expected("dask", "error", match="zero-size array to reduction operation fmin",
                           reason="An empty result over a non-empty axis (shape (0, 3), axis=1): dask applies fmin to "
                                  "its empty blocks and raises ValueError; NumPy returns an empty array."),)),
    _op("nanprod", "statistics", INEXACT, nan_samples, nan_strategy, compare=compare_product,
        doc="Signed zeros of complex products are not compared (they depend on the association order)."),
    _op("nanstd", "statistics", INEXACT, _std_samples, _std_strategy, expected=(DASK_DDOF,),
        call_tolerance=bounds.deviation),
    _op("nanvar", "statistics", INEXACT, _std_samples, _std_strategy, expected=(DASK_DDOF,),
        call_tolerance=bounds.variance),
    _op("nanargmax", "searching", REAL, _arg_samples, lambda dt: nan_strategy(dt, allow_tuple=False, min_side=1),
        expected=(DASK_ARG_TIES, JAX_ALL_NAN_ARG)),
    _op("nanargmin", "searching", REAL, _arg_samples, lambda dt: nan_strategy(dt, allow_tuple=False, min_side=1),
        expected=(DASK_ARG_TIES, JAX_ALL_NAN_ARG)),
    _op("nanmedian", "statistics", FLOAT, _median_samples, nan_strategy, check_signed_zero=False,
        spellings={"torch": _torch_nanmedian},
        expected=TORCH_NANMEDIAN + (
            beyond_standard("torch", "dtype", "torch.nanmedian of an integer or bool tensor keeps its dtype (the lower "
                            "middle value); NumPy averages the two middle values in float64.",
                            dtype=("float64", r"(u?int\d+|bool)")),
            Expected("jax", "error", match="out of bounds|out of range",
                     reason="jax.numpy.nanmedian of an empty input or over an empty axis raises (IndexError 'index "
                            "is out of bounds', TypeError 'Slice size ... out of range'); NumPy returns NaN."),
            Expected("jax", "shape",
                     reason="For a 0-d input with keepdims=True jax.numpy.nanmedian returns shape (1,); NumPy keeps "
                            "0-d."),
            Expected("dask", "error", match="only works along an axis",
                     reason="dask.array.nanmedian refuses axis=None (NotImplementedError: 'only works along an axis "
                            "or a subset of axes'); NumPy reduces the flattened array."),
            Expected("dask", "error", match="cannot be interpreted as an integer",
                     reason="dask.array.nanmedian over an empty axis raises TypeError (it passes its axis to "
                            "numpy.nanmedian as a list); NumPy returns NaN."),
        )),
    _op("nanpercentile", "statistics", FLOAT, _quantile_samples(100.0), _quantile_strategy(100.0),
        check_signed_zero=False, spellings={"torch": torch_quantile(100.0, "nanquantile")},
        expected=(TORCH_EMPTY_QUANTILE, TORCH_NANQUANTILE_AXES, *DASK_NANQUANTILE_EMPTY, *JAX_NANQUANTILE_EMPTY,
                  *DASK_QUANTILE, *JAX_QUANTILE, *DASK_BOOL_QUANTILE, *JAX_BOOL_QUANTILE, _jax_nearest(100.0))),
    _op("nanquantile", "statistics", FLOAT, _quantile_samples(1.0), _quantile_strategy(1.0),
        check_signed_zero=False, spellings={"torch": torch_quantile(1.0, "nanquantile")},
        expected=(TORCH_EMPTY_QUANTILE, TORCH_NANQUANTILE_AXES, *DASK_NANQUANTILE_EMPTY, *JAX_NANQUANTILE_EMPTY,
                  *DASK_QUANTILE, *JAX_QUANTILE, *DASK_BOOL_QUANTILE, *JAX_BOOL_QUANTILE, _jax_nearest(1.0))),
    _op("nancumsum", "reduction", INEXACT, _scan_samples, _scan_strategy, call_tolerance=bounds.summation, expected=(
        DASK_SCAN_AXIS,
        Expected("jax", "special-value", link="https://github.com/pytorch/pytorch/issues/195851",
                 reason="jax.numpy.nancumsum accumulates from +0.0, so a leading -0.0 (or a complex zero with a -0.0 "
                        "part) becomes +0.0; NumPy starts from the first element and keeps it (torch's cumsum does "
                        "the same as JAX, see the link)."),
    )),
    _op("nancumprod", "reduction", INEXACT, _scan_samples, _scan_strategy, compare=compare_product,
        doc="Signed zeros of complex products are not compared (they depend on the association order).",
        expected=(DASK_SCAN_AXIS,)),
]

