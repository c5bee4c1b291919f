"""Reductions and statistics: sum, prod, max/min, mean, std/var, scans, all/any, order statistics,
nan-aware reductions, and the SciPy reductions logsumexp, entropy and cumulative_trapezoid.

Reductions are where libraries disagree in quiet ways: accumulation dtypes (NumPy sums uint8 into
uint64, PyTorch into int64), accumulation order (NumPy sums pairwise, PyTorch in another order, so
float32 results differ by rounding), what an empty reduction does, which axis forms are accepted
(``None``, negative, tuples, ``keepdims``), and how order statistics interpolate. The fixed samples
carry the special values (NaN, +-inf, signed zeros, dtype extremes, empty arrays, every axis form);
the generated ones use bounded, finite values for the ops whose float results depend on summation
order, so that Hypothesis explores shapes and axes rather than rediscovering rounding. At these sizes
(at most 125 elements of magnitude <= 100) torch's float32 sums agreed with NumPy's pairwise ones within
the default tolerances on CPU and CUDA, so no op widens them. Order statistics (max/min, median,
quantiles) do not compare signed zeros: which of tied zeros they return, or the sign of an
interpolated zero, is unspecified, and NumPy is itself order-dependent there.

PyTorch spells many of these differently (``dim``/``keepdim``, ``correction`` for ``ddof``,
``interpolation`` for ``method``, ``quantile(q / 100)`` for ``percentile``, no ``dim=None`` on
``prod``/``median``/``logsumexp``); the adapters (``opinfo.adapters``, and the ``_torch_*`` ones below
for single ops) translate the signature and nothing else, so every remaining difference is PyTorch's own.
"""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
import scipy.integrate
import scipy.special
import scipy.stats
from hypothesis import strategies as st

from opinfo import bounds
from opinfo.adapters import (
    array_api_correction,
    array_api_statistic,
    reference_function,
    torch_reduction,
    torch_scan,
)
from opinfo.comparators import compare_product
from opinfo.declared import (
    TORCH_COMPLEX_ORDER_LINK,
    TORCH_SHELL_UINTS,
    beyond_standard,
    jax_flushes_subnormals,
    strict_real_only,
    torch_shell_uints,
)
from opinfo.dtypes import ALL, COMPLEX, FLOAT, INEXACT, INTEGER, NUMERIC, REAL, SIGNED, UNSIGNED
from opinfo.samples import (
    arrays,
    axis_strategy,
    ordinary_values,
    reduction_samples,
    reduction_strategy,
    shapes,
    special_values,
)
from opinfo.spec import ANY_BACKEND, Expected, Sample, op
from opinfo.where import (
    difference_overflows,
    imaginary_only_element,
    lower_middle_value,
    neighbouring_order_statistic,
    squares_underflow,
    within_input_range,
    wraps_around_int64,
    wraps_in_input_dtype,
)

TORCH_MEDIAN_LOWER = "https://github.com/pytorch/pytorch/issues/39520"
TORCH_ALLANY_UINT8 = "https://github.com/pytorch/pytorch/issues/50342"
TORCH_CUMSUM_NEGZERO = "https://github.com/pytorch/pytorch/issues/195851"
TORCH_NANSUM_COMPLEX = "https://github.com/pytorch/pytorch/issues/139349"
DASK_EMPTY_CHUNKS = "https://github.com/dask/dask/issues/3906"
DASK_MEDIAN = "https://github.com/dask/dask/issues/5062"
#: Bounded, finite values for generated inputs of ops whose float results depend on summation order.
MODERATE = {"lo": -100, "hi": 100}
QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


# --------------------------------------------------------------------------- torch adapters
def _torch_logsumexp(torch, x, axis=None, keepdims=False):
    """torch.logsumexp requires ``dim``; NumPy/SciPy's ``axis=None`` is every dimension."""
    return torch.logsumexp(x, dim=tuple(range(x.ndim)) if axis is None else axis, keepdim=keepdims)


def torch_quantile(scale, fname="quantile"):
    """torch.quantile (or nanquantile) for NumPy's quantile (scale 1) or percentile (scale 100) signature."""
    def call(torch, x, q, axis=None, method="linear", keepdims=False):
        if scale != 1:
            q = q / scale
        return getattr(torch, fname)(x, q, dim=axis, keepdim=keepdims, interpolation=method)

    call.__name__ = f"torch.{fname}" + (f"(q / {scale})" if scale != 1 else "")
    return call


def _torch_entropy(torch, pk, axis=0, base=None, keepdims=False):
    """The idiomatic port of scipy.stats.entropy (torch has none): normalise, then sum entr(p) = -p log p."""
    if axis is None:
        pk, axis = pk.reshape(-1), 0
    p = pk / pk.sum(dim=axis, keepdim=True)
    h = torch.special.entr(p).sum(dim=axis, keepdim=keepdims)
    return h / math.log(base) if base is not None else h


def _torch_cumulative_trapezoid(torch, y, x=None, dx=1.0, axis=-1):
    if x is not None:
        return torch.cumulative_trapezoid(y, x, dim=axis)
    return torch.cumulative_trapezoid(y, dx=dx, dim=axis)


def _jax_logsumexp(jnp, *args, **kwargs):
    from jax.scipy.special import logsumexp

    return logsumexp(*args, **kwargs)


# --------------------------------------------------------------------------- samples and strategies
def _bounded(dtype) -> dict:
    """Moderate values for float/complex sums; integers keep their full range (wrap-around is exact)."""
    return MODERATE if np.dtype(dtype).kind in "fc" else {}


def _beyond_int64(dtype) -> list[Sample]:
    """Unsigned values whose product (and, for uint64, sum) lies in [2**63, 2**64): exact in NumPy's
    uint64 accumulator, negative in an int64 one."""
    dt = np.dtype(dtype)
    if dt.kind != "u":
        return []
    return [Sample((np.full(64 // (8 * dt.itemsize), np.iinfo(dt).max, dtype=dt),), note="result beyond int64")]


def _summing_samples(dtype):
    return reduction_samples(dtype) + _beyond_int64(dtype)


def _summing_strategy(dtype):
    return reduction_strategy(dtype, **_bounded(dtype))


def _std_samples(dtype):
    o = ordinary_values(dtype).reshape(3, 4)
    return reduction_samples(dtype) + [
        Sample((o,), {"axis": 0, "ddof": 1}),
        Sample((o,), {"axis": 1, "ddof": 4}, note="ddof equal to the count: division by zero"),
        Sample((o[:, :1],), {"axis": 1, "ddof": 2}, note="ddof beyond the count"),
    ] + ([Sample((np.array([1, 0], dtype=dtype),), {"ddof": 2}, note="ddof = count, constant imaginary part")]
         if np.dtype(dtype).kind == "c" else [])


@st.composite
def _std_strategy(draw, dtype):
    sample = draw(_summing_strategy(dtype))
    ddof = draw(st.sampled_from([0, 0, 1, 2]))
    return Sample(sample.args, {**sample.kwargs, **({"ddof": ddof} if ddof else {})})


def negative_zeros(dtype) -> np.ndarray:
    """[-0.0, -0.0, 1.0]; complex: both parts -0.0, so a lost sign shows in either part."""
    dt = np.dtype(dtype)
    out = np.empty(3, dtype=dt)
    out[:2] = complex(-0.0, -0.0) if dt.kind == "c" else -0.0
    out[2] = 1
    return out


def _lone_negative_zero(dtype):
    """A 0-d negative zero (complex(0.0, -0.0) for complex): is the sum of one value that value, sign and all?"""
    dt = np.dtype(dtype)
    if dt.kind not in "fc":
        return []
    return [Sample((np.array(complex(0.0, -0.0) if dt.kind == "c" else -0.0, dtype=dt),), note="0-d negative zero")]


def _truth_samples(dtype):
    """Reduction samples plus values whose truth is easy to get wrong: purely imaginary, subnormal."""
    dt = np.dtype(dtype)
    if dt.kind not in "fc":
        return reduction_samples(dt)
    tiny = np.finfo(dt).smallest_subnormal
    x = np.array([1j, -2j, 0.5j] if dt.kind == "c" else [tiny, -tiny, 2 * tiny], dtype=dt)
    return reduction_samples(dt) + [Sample((x,), note="nonzero but small or imaginary"),
                                    Sample((x[:2].reshape(1, 2),), {"axis": 1}, note="nonzero, along an axis")]


def _scan_samples(dtype):
    dt = np.dtype(dtype)
    o = ordinary_values(dt)
    samples = [
        Sample((special_values(dt),), {"axis": 0}, note="special values"),
        Sample((o.reshape(3, 4),), {"axis": 0}),
        Sample((o.reshape(3, 4),), {"axis": -1}),
        Sample((o,), note="1-D, axis omitted"),
        Sample((np.array(o[2]),), note="0-d, axis omitted"),
        Sample((np.empty((0,), dtype=dt),), {"axis": 0}, note="empty"),
        Sample((np.empty((2, 0), dtype=dt),), {"axis": 1}, note="empty axis"),
    ]
    if dt.kind in "fc":
        zeros = negative_zeros(dt)
        samples += [Sample((zeros,), {"axis": 0}, note="leading negative zeros"),
                    Sample((zeros[:2].reshape(1, 2),), {"axis": 0}, note="negative zeros along a length-1 axis")]
    if dt.kind in "iu" and dt.itemsize < 8:
        samples.append(Sample((np.array([np.iinfo(dt).max, 2, 3], dtype=dt),), {"axis": 0},
                              note="running product beyond the input dtype"))
    return samples + _beyond_int64(dt)


def _scan_strategy(dtype):
    return axis_strategy(dtype, **_bounded(dtype))


def _nan_samples(dtype):
    """Reduction samples plus NaN-only slices (numpy: nan/0 with a warning, or a ValueError for nanmax)."""
    dt = np.dtype(dtype)
    samples = reduction_samples(dt) + _beyond_int64(dt)
    if dt.kind in "fc":
        x = ordinary_values(dt).reshape(3, 4)
        x[0, :] = np.nan
        x[1, 1] = np.nan
        samples += [Sample((x,), {"axis": 1}, note="an all-NaN row"), Sample((x,), {"axis": 0, "keepdims": True})]
    return samples


def _empty_result_samples(dtype) -> list[Sample]:
    """Zero-size arrays reduced along an axis: a non-empty axis gives an empty result (NumPy computes it), an
    empty axis has no identity (NumPy raises even though the result would be empty)."""
    dt = np.dtype(dtype)
    return [
        Sample((np.empty((0, 2), dtype=dt),), {"axis": 1}, note="zero-size array, non-empty axis"),
        Sample((np.empty((0, 0), dtype=dt),), {"axis": 0}, note="empty axis, empty result"),
        Sample((np.empty((0, 2, 0), dtype=dt),), {"axis": 1}, note="zero-size 3-D array, non-empty middle axis"),
    ]


def _extremum_samples(dtype):
    return reduction_samples(dtype) + _empty_result_samples(dtype)


def _quantile_samples(scale):
    def build(dtype):
        dt = np.dtype(dtype)
        qdt = dt if dt.kind == "f" else np.dtype(np.float64)
        o = ordinary_values(dt).reshape(3, 4)
        # no q where (n - 1) q is an integer but not exactly representable (1/3 for n=4): one ulp decides
        # lower/higher/nearest there, in NumPy and torch alike
        qs = np.array([0.0, 0.1, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0], dtype=qdt) * scale
        samples = [Sample((o, qs), {"axis": -1, "method": m}, note=m) for m in QUANTILE_METHODS]
        samples += [
            Sample((o, 0.5 * scale), note="all axes"),
            Sample((o, 0.3 * scale), {"axis": 0, "keepdims": True, "method": "nearest"}),
            Sample((o, 0.5 * scale), {"axis": (0, 1)}, note="tuple axis"),
            Sample((special_values(dt), qs), note="special values"),
            Sample((np.array(o[0, 1]), 0.5 * scale), note="0-d"),
            Sample((np.empty((0,), dtype=dt), 0.5 * scale), note="empty"),
            Sample((np.array([1, 1, 1, 0], dtype=dt), 0.0), {"method": "linear"}, note="minimum in the last element"),
            Sample((np.array(o[0, 1]), qs[:2]), note="0-d, array q"),
            Sample((np.array(o[0, 1]), qs[:2]), {"keepdims": True}, note="0-d, array q, keepdims"),
            Sample((np.array(o[0, 1]), 0.5 * scale), {"keepdims": True}, note="0-d, keepdims"),
            Sample((o[0, :1], qs[:2]), {"keepdims": True}, note="one element, array q, keepdims"),
            Sample((o[:1, :2], qs[:2]), {"axis": 0}, note="array q along an axis of length 1"),
        ]
        return samples

    return build


def quantile_strategy(scale, data=None):
    """An array (from ``data(dtype)``, default bounded values), q as a fraction times ``scale`` (a
    Python float or an array), a method, maybe an axis and keepdims. Shared with the nan-functions."""
    @st.composite
    def build(draw, dtype):
        dt = np.dtype(dtype)
        x = draw(data(dt) if data else arrays(dt, shapes(min_side=1), **_bounded(dt)))
        qdt = dt if dt.kind == "f" else np.dtype(np.float64)
        fractions = st.floats(0.0, 1.0, width=32)
        if draw(st.booleans()):
            q = draw(fractions) * scale
        else:
            q = (np.array(draw(st.lists(fractions, min_size=1, max_size=4)), dtype=qdt) * scale).astype(qdt)
        kwargs = {"method": draw(st.sampled_from(QUANTILE_METHODS))}
        if x.ndim and draw(st.booleans()):
            kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
        if draw(st.booleans()):
            kwargs["keepdims"] = True
        return Sample((x, q), kwargs)

    return build


def _logsumexp_samples(dtype):
    dt = np.dtype(dtype)
    inf = np.array([np.inf, -np.inf, 1.0], dtype=dt)
    return reduction_samples(dt) + [
        Sample((np.array([-np.inf, -np.inf], dtype=dt),), note="all -inf"),
        Sample((inf[:1].repeat(2),), note="all +inf"),
        Sample((inf,), note="+inf and -inf"),
        Sample((np.array([1000.0, 1000.0], dtype=dt),), note="large: needs the max shift"),
        Sample((np.array(inf[2]),), {"keepdims": True}, note="0-d, keepdims"),
        Sample((np.empty((2, 0), dtype=dt),), note="empty 2-D, all axes"),
    ]


def _probabilities(dtype):
    dt = np.dtype(dtype)
    counts = np.abs(ordinary_values(dt)).reshape(3, 4)
    specials = special_values(dt)
    return [
        Sample((np.array([0.1, 0.2, 0.3, 0.4], dtype=dt),), note="a probability vector"),
        Sample((counts,), note="counts, normalised along axis 0"),
        Sample((counts,), {"axis": -1, "base": 2}),
        Sample((counts,), {"axis": None}),
        Sample((np.array([0.0, 1.0, 0.0, 3.0], dtype=dt),), note="zeros: 0 log 0 = 0"),
        Sample((np.zeros(3, dtype=dt),), note="all zeros: 0/0"),
        Sample((specials[~(specials < 0)],), note="non-negative special values"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ]


@st.composite
def _probability_strategy(draw, dtype):
    x = draw(arrays(dtype, shapes(min_dims=1, min_side=1), lo=0, hi=100))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["axis"] = draw(st.sampled_from([None, *range(-x.ndim, x.ndim)]))
    if draw(st.booleans()):
        kwargs["base"] = draw(st.sampled_from([2, 10]))
    return Sample((x,), kwargs)


def _trapezoid_samples(dtype):
    dt = np.dtype(dtype)
    o = ordinary_values(dt)
    grid = np.array([0.0, 0.5, 2.0], dtype=np.finfo(dt).dtype)
    return [
        Sample((o,), note="unit spacing"),
        Sample((o.reshape(3, 4),), {"axis": 0, "dx": 0.5}),
        Sample((o.reshape(3, 4), grid), {"axis": 0}, note="sample points along the axis"),
        Sample((o.reshape(4, 3), grid), note="sample points along the last axis"),
        Sample((special_values(dt),), note="special values"),
        Sample((negative_zeros(dt),), note="leading negative zeros"),
        Sample((negative_zeros(dt)[:2],), note="two negative zeros: one -0.0 trapezoid"),
        Sample((o[:1],), note="one point: empty result"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ]


@st.composite
def _trapezoid_strategy(draw, dtype):
    dt = np.dtype(dtype)
    sample = draw(axis_strategy(dt, min_side=1, **MODERATE))
    y, axis = sample.args[0], sample.kwargs["axis"]
    kwargs = {"axis": axis}
    mode = draw(st.sampled_from(["dx", "x", "default"]))
    if mode == "dx":
        kwargs["dx"] = draw(st.floats(0.125, 4.0, width=32))
    elif mode == "x":
        steps = hnp.arrays(np.float64, y.shape[axis], elements=st.floats(0.0, 4.0, width=32))
        grid = np.cumsum(draw(steps)).astype(np.finfo(dt).dtype)
        return Sample((y, grid), kwargs)
    return Sample((y,), kwargs)


# --------------------------------------------------------------------------- shared declarations
def _torch_uint_accumulator(fname, overflow=("uint64",)):
    """torch accumulates unsigned integers in int64: the dtype differs always, the value once a result
    reaches 2**63 (``overflow``: the dtypes whose fixed samples get there)."""
    return (
        Expected("torch", "dtype", dtypes=("uint8",) + TORCH_SHELL_UINTS,
                 reason=f"torch.{fname} accumulates unsigned integers in int64 where NumPy keeps them unsigned "
                        "(uint64)."),
        Expected("torch", "value", where=wraps_around_int64, dtypes=overflow,
                 reason=f"torch.{fname} accumulates unsigned integers in int64, so a result of 2**63 or more wraps "
                        "to a negative number where NumPy's uint64 holds it exactly."),
    )


#: dask reduces chunk by chunk and skips empty chunks (dask PR 9268), so zero-size inputs behave unlike NumPy's.
DASK_EMPTY_MAX = (
    Expected("dask", "error", match="zero-size array to reduction operation", link=DASK_EMPTY_CHUNKS,
             reason="Reducing a non-empty axis of a zero-size array (shape (0, 2), axis=1) raises 'zero-size array "
                    "to reduction operation ... has no identity' in dask; NumPy returns the empty result."),
    Expected("dask", "accepts", link=DASK_EMPTY_CHUNKS,
             reason="Reducing an empty axis whose result is empty too (shape (0, 0), axis=0): NumPy raises (no "
                    "identity), dask returns an empty array."),
    Expected("dask", "shape", link=DASK_EMPTY_CHUNKS,
             reason="Reducing the non-empty middle axis of a zero-size 3-D array ((0, 2, 0), axis=1) gives shape "
                    "(1, 0) in dask, (0, 0) in NumPy."),
)
JAX_COMPLEX_NAN_MAX = Expected(
    "jax", "special-value", dtypes=COMPLEX,
    reason="jnp.max/min of complex numbers do not propagate a NaN part: over the special values (NaN, +-inf "
           "parts) jnp.max returns inf+infj where NumPy returns the first complex number with a NaN (0+nanj).")
JAX_VAR_DDOF = Expected(
    "jax", "special-value",
    reason="With ddof (correction) equal to the count jnp.std/var return NaN; NumPy divides the positive sum of "
           "squares by zero and returns inf.")
JAX_SCAN_0D = Expected(
    "jax", "error", match="must be non-scalar",
    reason="jnp.cumulative_sum/cumulative_prod refuse 0-d input (ValueError 'The input must be non-scalar'); NumPy "
           "treats it as 1-D and returns shape (1,). The standard says x 'should have one or more dimensions'.")
JAX_SCAN_NEGZERO = "jnp.cumulative_{} loses the sign of a leading negative zero ({}); NumPy starts from the first " \
                   "element and keeps it."
TORCH_COMPLEX_MAX = Expected(
    "torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK, match="not implemented for 'Complex",
    reason="PyTorch has no complex ordering: amax/amin raise 'not implemented for ComplexFloat', where "
           "NumPy orders complex numbers lexicographically (real part, then imaginary part).")
TORCH_EMPTY_MAX = Expected(
    "torch", "error-type", match="reference raised ValueError, implementation raised (RuntimeError|IndexError)",
    reason="On an empty reduction NumPy raises ValueError (no identity); torch.amax/amin raise RuntimeError "
           "(no dim) or IndexError (empty dim).")
#: torch's complex variance is var(real) + var(imag), so 0/0 in one part poisons the sum.
#: NumPy squares the deviations in the input's dtype: in float32 data below 1e-19 squares to 0.
SQUARES_UNDERFLOW = Expected(
    "torch", "value", dtypes=("float32",), where=squares_underflow,
    reason="NumPy is the inaccurate side: it squares the deviations in float32, so the standard deviation of "
           "data below about 1e-19 underflows to 0 (std([1e-30, -3e-31, 2e-30, 5e-31]) is 0); torch returns "
           "the small, right value (8e-31).")
TORCH_COMPLEX_VAR = Expected(
    "torch", "special-value", dtypes=COMPLEX,
    reason="torch computes a complex variance as var(real) + var(imag): with ddof (correction) equal to the count "
           "and a constant imaginary part that is inf + 0/0 = NaN, where NumPy divides the total squared deviation "
           "by zero and returns inf.")
#: torch.std/var have no dtype= (NumPy accumulates in it); every dtype but complex128 is asked to widen
TORCH_NO_DTYPE_ARGUMENT = Expected(
    "torch", "error", match=r"(std|var)\(\) received an invalid combination of arguments - got \(Tensor, dtype=",
    domain="any", dtypes=tuple(d for d in ALL if d != "complex128"), surface="native",
    reason="dtype= (NumPy computes in it: np.std(x, dtype=np.float64)): torch.std/torch.var take no dtype and raise "
           "TypeError.")
#: the standard's mean, std and var take no dtype=
STRICT_NO_DTYPE_ARGUMENT = Expected(
    "array_api_strict", "error", match="got an unexpected keyword argument 'dtype'", domain="any",
    dtypes=tuple(d for d in ALL if d != "complex128"), surface="native",
    reason="dtype= (np.mean(x, dtype=np.float64)): the standard's mean, std and var have no dtype parameter, and "
           "array_api_strict raises TypeError. (The Array API surface casts the input instead: "
           "opinfo.adapters.array_api_statistic.)")
#: torch.quantile/nanquantile refuse an empty input, also when the reduced axis is not the empty one
TORCH_EMPTY_QUANTILE = Expected(
    "torch", "error", match=r"quantile\(\) input tensor must be non-empty", domain="any", surface="native",
    reason="An empty input: NumPy returns NaN along an empty axis and an empty result along a non-empty one; "
           "torch.quantile/nanquantile raise RuntimeError ('quantile() input tensor must be non-empty').")
TORCH_SCAN_0D = Expected(
    "torch", "shape",
    reason="On a 0-d input NumPy's cumulative_sum/cumulative_prod treat it as 1-D and return shape (1,); "
           "torch.cumsum/cumprod(x, dim=0) return a 0-d tensor.")
TORCH_NANSUM_CPU = Expected(
    "torch", "error", match="nansum on CPU does not support complex",
    dtypes=COMPLEX, devices=("cpu",), link=TORCH_NANSUM_COMPLEX,
    reason="torch.nansum (and nanmean, built on it) raise 'nansum on CPU does not support complex inputs'; "
           "NumPy ignores complex NaNs.")
TORCH_NANSUM_INTO_COMPLEX = Expected(
    "torch", "error", match="\"nansum_cpu\" not implemented for 'Complex", dtypes=("float32", "float64"),
    devices=("cpu",), link=TORCH_NANSUM_COMPLEX, domain="any",
    reason="A real array summed with dtype=complex128: torch.nansum (and nanmean) have no complex CPU kernel "
           "(NotImplementedError); NumPy accumulates in complex128.")
#: da.percentile is an approximate percentile of 1-D arrays (merging per-chunk percentiles); da.quantile is exact
#: but reduces along given axes only.
DASK_PERCENTILE = (
    Expected("dask", "error",
             match="ndim 0 is not implemented|unexpected keyword argument|only works along an axis|adjust_chunks",
             reason="da.percentile is built for 1-D arrays: a 0-d input raises NotImplementedError, keepdims raises "
                    "TypeError, on more dimensions without an axis it raises da.quantile's NotImplementedError "
                    "('only works along an axis'), and some chunked inputs fail with ValueError ('Dimension 1 has 2 "
                    "blocks, adjust_chunks specified with 1 blocks')."),
    Expected("dask", "error-type", match="reference raised IndexError",
             reason="On an empty input NumPy fails with an IndexError from its indexing internals; da.percentile "
                    "raises ValueError ('No non-trivial arrays found')."),
    Expected("dask", "dtype", dtypes=("float32",),
             reason="da.percentile of float32 data returns float64; NumPy keeps float32."),
    Expected("dask", "special-value", dtypes=FLOAT,
             reason="da.percentile skips NaNs (its per-chunk percentiles are merged), so the percentiles of data "
                    "with a NaN are finite; NumPy propagates the NaN."),
    Expected("dask", "value", where=within_input_range,
             reason="da.percentile approximates: it merges the percentiles of each chunk, so [1, 1, 1, 0] in two "
                    "chunks has 0th percentile 1 (NumPy 0) and interpolated percentiles differ."),
    Expected("dask", "shape",
             reason="da.percentile has no axis argument (**kwargs swallows it): on a (1, 2) array with two q "
                    "and axis=0 it returns shape (1, 2), NumPy (2, 2)."),
)
DASK_QUANTILE = (
    Expected("dask", "error", match="only works along an axis|Provided chunks have 1 dims|adjust_chunks",
             link=DASK_MEDIAN,
             reason="da.quantile reduces along given axes only: axis=None on an array of two or more dimensions "
                    "raises NotImplementedError; a 0-d input with an array q, and some chunked inputs, fail inside "
                    "dask (ValueError 'Provided chunks have 1 dims; expected 2 dims', 'Dimension 1 has 2 blocks, "
                    "adjust_chunks specified with 1 blocks')."),
    Expected("dask", "dtype", dtypes=("float32",),
             reason="da.quantile of float32 data returns float64; NumPy keeps float32."),
    Expected("dask", "shape",
             reason="With an array q and keepdims=True, da.quantile puts the q axis last ((1, 2) for a one-element "
                    "1-D input and two q); NumPy puts it first ((2, 1))."),
)
JAX_EMPTY_GATHER = "Slice size at index [0-9]+ in gather op is out of range"
JAX_LONE_NEGATIVE_ZERO_SUM = Expected(
    "jax", "special-value", dtypes=INEXACT,
    reason="The sum (and mean) of a lone 0-d negative zero keeps its sign in jnp.sum/nansum/mean/nanmean (-0.0, "
           "0-0j for complex(0.0, -0.0)); NumPy adds it to +0 and gives 0.0 (0+0j). Neither documents the sign.")
JAX_TRUTH = (
    Expected("jax", "value", where=imaginary_only_element, dtypes=COMPLEX, link="https://github.com/data-apis/array-api/pull/442",
             reason="jnp.all/jnp.any test only the real part of a complex number: a purely imaginary 1j counts as "
                    "False; NumPy and the standard count a number with any nonzero part as True."),
    jax_flushes_subnormals("value", INEXACT, what="a subnormal (part) counts as zero (False)"),
)
JAX_QUANTILE = (
    Expected("jax", "error-type", match="implementation raised TypeError",
             reason="On an empty input jnp.percentile/quantile fail in an XLA gather (TypeError 'Slice size ... out "
                    "of range'); NumPy raises IndexError from its indexing internals."),
    Expected("jax", "dtype", dtypes=INTEGER,
             reason="jnp.percentile/quantile of integers return float32 for 8- to 32-bit input (and float64 for "
                    "64-bit); NumPy returns float64, or the input dtype for method='nearest'/'lower'/'higher'."),
    Expected("jax", "value", dtypes=SIGNED, where=difference_overflows,
             reason="NumPy is the inaccurate side: it interpolates between two integers in their own dtype, so where "
                    "their difference overflows it wraps (percentile(int8 [86, -42], 50) is 150); jax.numpy "
                    "interpolates in floating point (22)."),
    Expected("jax", "shape", match=r"reference shape \((\d+,)?\), implementation shape \((\d+, )?1,?\)",
             reason="A 0-d input with keepdims=True: jnp.percentile/quantile add a length-1 axis for the 0-d "
                    "input (shape (1,) for a scalar q, (len(q), 1) for an array); NumPy keeps the input's 0 axes."),
)
def jax_nearest(scale: float) -> Expected:
    """percentile (scale 100) and quantile (1): jax's 'nearest' picks the other neighbouring order statistic."""
    return Expected("jax", "value", where=neighbouring_order_statistic(scale),
                    reason="method='nearest' rounds a position halfway between two elements down ((n - 1) q = 1.5 "
                           "picks index 1); NumPy rounds half to even (index 2).")


TORCH_QUANTILE = (
    Expected("torch", "error", match="input tensor must be either float or double", dtypes=INTEGER,
             reason="torch.quantile accepts only float32/float64 input; NumPy computes quantiles of integers "
                    "in float64."),
    Expected("torch", "error",
             match=r"quantile\(\) received an invalid combination of arguments - got \([^)]*dim=tuple",
             reason="torch.quantile reduces over one int dim or all of them; a tuple of axes raises TypeError (for "
                    "integer input too, before it checks the dtype)."),
    Expected("torch", "error-type", match="reference raised IndexError, implementation raised RuntimeError",
             reason="On an empty input NumPy fails with an IndexError from its indexing internals; torch "
                    "raises RuntimeError 'quantile() input tensor must be non-empty'."),
)


def _extremum(name, ref, fname):
    """max/min/amax/amin: one entry each, all spelled as torch.amax/amin (torch.max(x, dim) returns a tuple)."""
    return op(
        name=name, family="reduction" if name in ("max", "min") else "statistics", ref=ref, dtypes=REAL + COMPLEX,
        doc=f"Maximum/minimum over axes, spelled torch.{fname}. Which of tied +0.0/-0.0 is returned is unspecified "
            "(NumPy itself returns -0.0 for [0.0, -0.0] and 0.0 for [-0.0, 0.0]), so signed zeros are not compared.",
        samples=_extremum_samples, strategy=reduction_strategy, check_signed_zero=False,
        spellings={"torch": torch_reduction(fname)},
        expected=(TORCH_COMPLEX_MAX, TORCH_EMPTY_MAX, torch_shell_uints(what=f"{fname} is not implemented"),
                  # dask.array and array_api_strict have max/min only (amax/amin are NumPy's names)
                  *((*DASK_EMPTY_MAX, *strict_real_only(name, COMPLEX, raises_on_empty=True))
                    if name in ("max", "min") else ()),
                  JAX_COMPLEX_NAN_MAX),
    )



#: NumPy refuses bool quantiles (no bool subtraction); dask interpolates them, or fails elsewhere.
DASK_BOOL_PERCENTILE = beyond_standard(
    "dask", "accepts", "Bool data: NumPy's linear interpolation subtracts bools and raises TypeError; dask's "
    "percentile computes a bool result.", dtypes=("bool",), match="numpy boolean subtract")
JAX_BOOL_QUANTILE = (
    beyond_standard("jax", "accepts", "Bool data: NumPy's linear interpolation subtracts bools and raises TypeError; "
                    "jax.numpy computes the quantile in float32.", dtypes=("bool",), match="numpy boolean subtract"),
    beyond_standard("jax", "dtype", "Bool data with a method that takes an element (nearest, lower...): NumPy returns "
                    "bool, jax.numpy float32.", dtypes=("bool",), dtype=("bool", "float32")),
)
DASK_BOOL_QUANTILE = (
    beyond_standard("dask", "error-type", "Bool data: NumPy raises TypeError (no bool subtraction) or IndexError "
                    "(empty input); dask raises another error first (0-d input unsupported, the subtraction).",
                    dtypes=("bool",), match=r"reference raised (TypeError|IndexError)"),
)

OPS = [
    op(
        name="sum", family="reduction", ref=np.sum, dtypes=NUMERIC, call_tolerance=bounds.summation,
        samples=lambda dt: _summing_samples(dt) + _lone_negative_zero(dt), strategy=_summing_strategy,
        spellings={"torch": torch_reduction("sum")},
        expected=(*_torch_uint_accumulator("sum"), JAX_LONE_NEGATIVE_ZERO_SUM),
    ),
    op(
        name="prod", family="reduction", ref=np.prod, dtypes=NUMERIC,
        samples=_summing_samples, strategy=_summing_strategy,
        doc="torch.prod takes one int dim: axis=None is spelled as a call without dim. Signed zeros of complex "
            "products are not compared (they depend on the association order).",
        compare=compare_product,
        spellings={"torch": torch_reduction("prod", int_dim=True)},
        expected=(
            *_torch_uint_accumulator("prod", UNSIGNED),
            Expected("torch", "error", match="must be int, not tuple", surface="native",
                     reason="torch.prod reduces over a single int dim; a tuple of axes "
                                              "raises TypeError where NumPy reduces over all of them."),
        ),
    ),
    _extremum("max", np.max, "amax"),
    _extremum("min", np.min, "amin"),
    _extremum("amax", np.amax, "amax"),
    _extremum("amin", np.amin, "amin"),
    op(
        name="mean", family="statistics", ref=np.mean, dtypes=INEXACT, call_tolerance=bounds.mean,
        samples=lambda dt: reduction_samples(dt) + _lone_negative_zero(dt), strategy=_summing_strategy,
        spellings={"torch": torch_reduction("mean")}, array_api_spellings={ANY_BACKEND: array_api_statistic("mean")},
        expected=(JAX_LONE_NEGATIVE_ZERO_SUM, STRICT_NO_DTYPE_ARGUMENT),
    ),
    op(
        name="std", family="statistics", ref=np.std, dtypes=INEXACT, call_tolerance=bounds.deviation,
        doc="NumPy's ddof is torch's (and the Array API's) correction; both default to the population value.",
        samples=_std_samples, strategy=_std_strategy,
        spellings={"torch": torch_reduction("std", rename={"ddof": "correction"}, correction=0),
                   "array_api_strict": array_api_correction("std")},  # its native namespace is the Array API
        array_api_spellings={ANY_BACKEND: array_api_statistic("std", correction=True)},
        expected=(TORCH_COMPLEX_VAR, *strict_real_only("std", COMPLEX, "real-valued floating-point"), JAX_VAR_DDOF,
                  SQUARES_UNDERFLOW, TORCH_NO_DTYPE_ARGUMENT, STRICT_NO_DTYPE_ARGUMENT),
    ),
    op(
        name="var", family="statistics", ref=np.var, dtypes=INEXACT, call_tolerance=bounds.variance,
        samples=_std_samples, strategy=_std_strategy,
        spellings={"torch": torch_reduction("var", rename={"ddof": "correction"}, correction=0),
                   "array_api_strict": array_api_correction("var")},
        array_api_spellings={ANY_BACKEND: array_api_statistic("var", correction=True)},
        expected=(TORCH_COMPLEX_VAR, *strict_real_only("var", COMPLEX, "real-valued floating-point"), JAX_VAR_DDOF,
                  TORCH_NO_DTYPE_ARGUMENT, STRICT_NO_DTYPE_ARGUMENT),
    ),
    op(
        name="cumulative_sum", family="reduction", ref=np.cumulative_sum, call_tolerance=bounds.summation,
        doc="Array API cumulative_sum (include_initial is not exercised: torch.cumsum has no such argument).",
        dtypes=NUMERIC, samples=_scan_samples, strategy=_scan_strategy,
        spellings={"torch": torch_scan("cumsum")},
        expected=(
            *_torch_uint_accumulator("cumsum"), TORCH_SCAN_0D,
            Expected("torch", "special-value", dtypes=INEXACT, link=TORCH_CUMSUM_NEGZERO,
                     reason="torch.cumsum turns a leading -0.0 into +0.0 (on CPU it accumulates from +0.0; on CUDA "
                            "along a length-1 axis); NumPy starts from the first element and keeps -0.0."),
            JAX_SCAN_0D,
            Expected("jax", "special-value", dtypes=INEXACT,
                     reason=JAX_SCAN_NEGZERO.format("sum", "[-0.0, -0.0, 1.0] gives [0.0, 0.0, 1.0]")),
        ),
    ),
    op(
        name="cumulative_prod", family="reduction", ref=np.cumulative_prod,
        dtypes=NUMERIC, samples=_scan_samples, strategy=_scan_strategy,
        spellings={"torch": torch_scan("cumprod")},
        expected=(
            *_torch_uint_accumulator("cumprod", UNSIGNED), TORCH_SCAN_0D,
            Expected("array_api_strict", "error", match="Only ndim >= 1 arrays are allowed",
                     reason="The standard says x 'should have one or more dimensions'; array_api_strict's "
                            "cumulative_prod enforces it (ValueError for 0-d input), where NumPy treats 0-d input as "
                            "1-D (its cumulative_sum accepts 0-d input)."),
            Expected("torch", "special-value", dtypes=COMPLEX,
                     reason="torch.cumprod of complex numbers loses the signs of a leading complex(-0.0, -0.0) (on "
                            "CPU it multiplies from 1+0j; on CUDA along a length-1 axis); NumPy keeps them."),
            JAX_SCAN_0D,
            Expected("jax", "special-value", dtypes=COMPLEX,
                     reason=JAX_SCAN_NEGZERO.format("prod", "complex(-0.0, -0.0) comes out as 0-0j")),
            Expected("jax", "dtype", dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
                     reason="jnp.cumulative_prod keeps a small integer dtype; NumPy (and the standard) accumulate in "
                            "the default integer dtype (int64, uint64)."),
            Expected("jax", "value", where=wraps_in_input_dtype,
                     dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
                     reason="jnp.cumulative_prod multiplies in the input's small integer dtype and wraps around "
                            "where NumPy's int64 (uint64) products are exact."),
        ),
    ),
    op(
        name="all", family="reduction", ref=np.all, dtypes=ALL,
        samples=_truth_samples, strategy=reduction_strategy,
        spellings={"torch": torch_reduction("all")},
        expected=(Expected("torch", "dtype", dtypes=("uint8",), link=TORCH_ALLANY_UINT8, surface="native",
                           reason="torch.all returns uint8 for uint8 input (kept for backward compatibility); "
                                  "NumPy returns bool."),
                  torch_shell_uints(what="and_cuda is not implemented", devices=("cuda",)), *JAX_TRUTH),
    ),
    op(
        name="any", family="reduction", ref=np.any, dtypes=ALL,
        samples=_truth_samples, strategy=reduction_strategy,
        spellings={"torch": torch_reduction("any")},
        expected=(Expected("torch", "dtype", dtypes=("uint8",), link=TORCH_ALLANY_UINT8, surface="native",
                           reason="torch.any returns uint8 for uint8 input (kept for backward compatibility); "
                                  "NumPy returns bool."),
                  torch_shell_uints(what="or_cuda is not implemented", devices=("cuda",)), *JAX_TRUTH),
    ),
    op(
        name="median", family="statistics", ref=np.median, dtypes=REAL,
        doc="torch.median takes one int dim and returns (values, indices) with it; axis=None is a call without dim. "
            "Signed zeros are not compared (an order statistic of tied zeros may return either); tuple axes are "
            "left to the fixed samples, since torch.median refuses every one.",
        samples=lambda dt: reduction_samples(dt) + [Sample((np.array(ordinary_values(dt)[0]),), {"keepdims": True},
                                                            note="0-d, keepdims")],
        check_signed_zero=False, strategy=lambda dt: reduction_strategy(dt, allow_tuple=False, **_bounded(dt)),
        spellings={"torch": torch_reduction("median", int_dim=True)},
        expected=(
            beyond_standard("torch", "dtype", "torch.median of a bool tensor returns bool (the lower middle value); "
                            "NumPy averages the two middle values in float64.", dtype=("float64", "bool")),
            Expected("torch", "value", where=lower_middle_value,
                     dtypes=tuple(d for d in REAL if d not in TORCH_SHELL_UINTS),
                     link=TORCH_MEDIAN_LOWER,
                     reason="For an even count torch.median returns the lower of the two middle values; NumPy "
                            "returns their mean (torch documents this; torch.quantile(x, 0.5) matches NumPy)."),
            Expected("torch", "dtype", dtypes=INTEGER, link=TORCH_MEDIAN_LOWER,
                     reason="torch.median of integers returns the input's integer dtype (it picks an element); "
                            "NumPy returns float64."),
            torch_shell_uints(what="median is not implemented"),
            Expected("jax", "error", match=JAX_EMPTY_GATHER,
                     reason="jnp.median of an empty array fails in an XLA gather (TypeError 'Slice size ... out of "
                            "range'); NumPy returns NaN."),
            Expected("jax", "dtype", dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
                     reason="jnp.median of 8- to 32-bit integers returns float32; NumPy returns float64."),
            Expected("jax", "shape",
                     reason="A 0-d input with keepdims=True: jnp.median adds a length-1 axis (shape (1,)); NumPy "
                            "keeps the input's 0 axes."),
            Expected("dask", "error", match="only works along an axis", link=DASK_MEDIAN,
                     reason="da.median reduces along given axes only: axis=None raises NotImplementedError ('The "
                            "full algorithm is difficult to do in parallel'), where NumPy reduces the whole array."),
            Expected("torch", "error", match="must be int, not tuple|to have non-zero size",
                     reason="torch.median takes one int dim: a tuple of axes raises TypeError, and a reduction "
                            "over an empty dim raises IndexError where NumPy returns NaN."),
            Expected("torch", "special-value", dtypes=INTEGER,
                     reason="torch.median of an empty integer tensor returns an arbitrary integer (0, or the "
                            "dtype's minimum); NumPy returns NaN (float64)."),
        ),
    ),
    op(
        name="percentile", family="statistics", ref=np.percentile, dtypes=REAL,
        doc="q in [0, 100]; torch spells it torch.quantile(x, q / 100, interpolation=method). Signed zeros are not "
            "compared: the sign of an interpolated zero depends on the formula (a + t (b - a) or b - (1 - t) (b - a)), "
            "which neither library specifies.",
        samples=_quantile_samples(100.0), strategy=quantile_strategy(100.0), check_signed_zero=False,
        spellings={"torch": torch_quantile(100.0)},
        expected=(*TORCH_QUANTILE, TORCH_EMPTY_QUANTILE, *DASK_PERCENTILE, *JAX_QUANTILE, *DASK_BOOL_QUANTILE,
                  *JAX_BOOL_QUANTILE, DASK_BOOL_PERCENTILE, jax_nearest(100.0)),
    ),
    op(
        name="quantile", family="statistics", ref=np.quantile, dtypes=REAL,
        doc="The interpolation methods NumPy (method=) and torch (interpolation=) share; signed zeros not compared "
            "(see percentile).",
        samples=_quantile_samples(1.0), strategy=quantile_strategy(1.0), check_signed_zero=False,
        spellings={"torch": torch_quantile(1.0)},
        expected=(*TORCH_QUANTILE, TORCH_EMPTY_QUANTILE, *DASK_QUANTILE, *JAX_QUANTILE, *DASK_BOOL_QUANTILE,
                  *JAX_BOOL_QUANTILE, jax_nearest(1.0)),
    ),
    op(
        name="nanmean", family="statistics", ref=np.nanmean, dtypes=INEXACT, call_tolerance=bounds.mean,
        samples=lambda dt: _nan_samples(dt) + _lone_negative_zero(dt),
        strategy=lambda dt: reduction_strategy(dt, **_bounded(dt)),
        spellings={"torch": torch_reduction("nanmean")},
        expected=(TORCH_NANSUM_CPU, TORCH_NANSUM_INTO_COMPLEX, JAX_LONE_NEGATIVE_ZERO_SUM),
    ),
    op(
        name="nansum", family="statistics", ref=np.nansum, dtypes=NUMERIC, call_tolerance=bounds.summation,
        samples=lambda dt: _nan_samples(dt) + _lone_negative_zero(dt),
        strategy=lambda dt: reduction_strategy(dt, **_bounded(dt)),
        spellings={"torch": torch_reduction("nansum")},
        expected=(*_torch_uint_accumulator("nansum"), TORCH_NANSUM_CPU, TORCH_NANSUM_INTO_COMPLEX,
                  JAX_LONE_NEGATIVE_ZERO_SUM),
    ),
    op(
        name="nanmax", family="statistics", ref=np.nanmax, dtypes=REAL,
        doc="torch has no nanmax (nor a NaN-ignoring amax), so it is left unsupported there. Which of tied "
            "+0.0/-0.0 is returned is unspecified (as for max and nanmin), so signed zeros are not compared.",
        samples=lambda dt: _nan_samples(dt) + _empty_result_samples(dt)[:1], strategy=reduction_strategy,
        check_signed_zero=False,
        expected=(DASK_EMPTY_MAX[0],),
    ),
    op(
        name="logsumexp", family="statistics", ref=scipy.special.logsumexp,
        dtypes=INEXACT,
        samples=_logsumexp_samples, strategy=lambda dt: reduction_strategy(dt, **_bounded(dt)),
        spellings={"numpy": reference_function(scipy.special.logsumexp), "torch": _torch_logsumexp,
                   "jax": _jax_logsumexp},
        expected=(
            Expected("torch", "shape", surface="native",
                     reason="SciPy's logsumexp returns shape (1,) for a 0-d input with keepdims=True (NumPy "
                            "reductions keep 0-d); torch.logsumexp returns a 0-d tensor."),
            Expected("torch", "accepts", surface="native",
                     reason="SciPy's logsumexp raises IndexError on an empty input of two or more dimensions with "
                            "axis=None (1-D empty gives -inf); torch.logsumexp returns -inf."),
            Expected("jax", "shape",
                     reason="SciPy's logsumexp returns shape (1,) for a 0-d input with keepdims=True (NumPy "
                            "reductions keep 0-d); jax.scipy.special.logsumexp returns a 0-d array."),
            Expected("jax", "accepts",
                     reason="SciPy's logsumexp raises IndexError on an empty input of two or more dimensions with "
                            "axis=None (1-D empty gives -inf); jax.scipy.special.logsumexp returns -inf."),
        ),
    ),
    op(
        name="entropy", family="statistics", ref=scipy.stats.entropy,
        dtypes=FLOAT,
        doc="Shannon entropy of non-negative weights, normalised along an axis. torch has no entropy: its "
            "spelling is the idiomatic port (p / p.sum(dim)) followed by torch.special.entr(p).sum(dim), "
            "divided by log(base).",
        samples=_probabilities, strategy=_probability_strategy,
        spellings={"numpy": reference_function(scipy.stats.entropy), "torch": _torch_entropy},
    ),
    op(
        name="cumulative_trapezoid", family="statistics", ref=scipy.integrate.cumulative_trapezoid,
        dtypes=INEXACT,
        doc="Cumulative trapezoidal rule with unit spacing, a dx, or sample points x (initial= not exercised: "
            "torch has none).",
        samples=_trapezoid_samples, strategy=_trapezoid_strategy,
        spellings={"numpy": reference_function(scipy.integrate.cumulative_trapezoid),
                   "torch": _torch_cumulative_trapezoid},
        expected=(
            Expected("torch", "accepts",
                     reason="SciPy raises ValueError 'At least one point is required along axis' on an empty "
                            "axis; torch.cumulative_trapezoid returns an empty tensor."),
            Expected("torch", "special-value", devices=("cpu",), link=TORCH_CUMSUM_NEGZERO,
                     reason="Signed zeros only: torch accumulates the trapezoids with CPU cumsum, which turns a "
                            "leading -0.0 area into +0.0 (see cumulative_sum); SciPy keeps -0.0."),
            Expected("torch", "special-value", dtypes=COMPLEX, devices=("cuda",),
                     reason="Signed zeros only: on CUDA a leading complex -0.0 area comes out as +0.0; SciPy keeps "
                            "it."),
        ),
    ),
]
