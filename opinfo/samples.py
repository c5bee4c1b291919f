"""Shared input builders: special-value corpora, fixed samples, strategies.

Fixed samples are deterministic and always run: they carry the values where
libraries disagree most often (NaN, +-inf, +-0.0, subnormals, dtype extremes,
complex numbers with equal real parts, ties, empty and 0-d arrays), a dense
corpus per dtype for elementwise ops (checked in one vectorized call), and
non-contiguous (transposed, strided) inputs. Strategies
come from ``hypothesis.extra.numpy`` and explore shapes, values, axes, keyword
arguments and Python-scalar operands; Hypothesis shrinks what they find.
"""

from __future__ import annotations

import functools
import itertools

import hypothesis.extra.numpy as hnp
import ml_dtypes
import numpy as np
from hypothesis import strategies as st

from opinfo.domain import SCALAR_KINDS, is_mixed, parts
from opinfo.dtypes import EXTRA_DTYPES, dtype_kind, finfo, numpy_dtype
from opinfo.shapes import shape_samples
from opinfo.spec import Sample

MAX_SIDE = 5
MAX_DIMS = 3


# --------------------------------------------------------------------------- values
def special_values(dtype) -> np.ndarray:
    """The values of ``dtype`` where implementations most often disagree, as a 1-D array."""
    dt = numpy_dtype(dtype)
    if dtype_kind(dt) == "f":
        return _float_specials(dt)
    if dt.kind == "b":
        return np.array([False, True, True, False], dtype=dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        vals = [0, 1, 2, 3, 7, 100 % (info.max + 1), info.max, info.max - 1]
        if dt.kind == "i":
            vals += [-1, -2, -7, info.min, info.min + 1]
        return np.array(vals, dtype=dt)
    real = _float_specials(dt if dt.kind == "f" else np.dtype(f"float{dt.itemsize * 4}"))
    if dt.kind == "f":
        return real
    parts = [0.0, -0.0, 1.0, -1.0, 0.5, np.nan, np.inf, -np.inf]
    vals = [complex(re, im) for re, im in itertools.product(parts, parts)]
    # equal real parts, differing imaginary parts: where complex ordering shows
    vals += [complex(2.0, 3.0), complex(2.0, -1.0), complex(-3.0, 2.0), complex(-3.0, -2.0)]
    out = np.empty(len(vals), dtype=dt)
    for i, v in enumerate(vals):  # complex(nan, x) must keep its parts exactly
        out[i] = v
    return out


def _float_specials(dt: np.dtype) -> np.ndarray:
    info = finfo(dt)
    vals = [
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.5, 3.0, 10.0, 0.1, -7.25,
        np.nan, np.inf, -np.inf,
        float(info.tiny), -float(info.tiny), float(info.smallest_subnormal),
        float(info.max), -float(info.max), float(info.eps), 1e3, -1e3,
    ]  # fmt: skip
    return np.array(vals, dtype=dt)


def corpus_values(dtype) -> np.ndarray:
    """A dense 1-D corpus for the vectorized elementwise check, run once per op and dtype.

    Every special value, plus: for 8-bit integers every value; for wider integers
    [-300, 300] and every power of two +-1 up to the extremes; for floats a sweep of
    magnitudes over the whole exponent range (subnormals to the largest finite, three
    mantissas, both signs), a 1/8 grid over [-10, 10] and multiples of pi/4 (where
    periodic functions have zeros and poles); for complex numbers every pair of parts
    from a set of special and ordinary reals. Signed zeros are kept apart.
    """
    dt = numpy_dtype(dtype)
    if dt.kind == "b":
        return np.array([False, True], dtype=dt)
    if dt.kind in "iu":
        return _integer_corpus(dt.name)
    if dtype_kind(dt) == "f":
        return _float_corpus(dt.name)
    real = np.dtype(f"float{dt.itemsize * 4}")
    parts = np.concatenate([_float_specials(real), np.array([0.25, 3.5, -1e3, 1e10, -1e-10, np.pi], dtype=real)])
    re, im = (a.ravel() for a in np.meshgrid(parts, parts, indexing="ij"))
    out = np.empty(re.size, dtype=dt)
    out.real, out.imag = re, im
    return out


@functools.cache
def _integer_corpus(dtype: str) -> np.ndarray:
    dt = np.dtype(dtype)
    info = np.iinfo(dt)
    if dt.itemsize == 1:
        return np.arange(info.min, info.max + 1, dtype=dt)
    vals = set(range(max(info.min, -300), 301))
    for k in range(1, dt.itemsize * 8):
        vals.update(v for v in (2**k - 1, 2**k, 2**k + 1, -(2**k) - 1, -(2**k), 1 - 2**k) if info.min <= v <= info.max)
    vals.update((info.min, info.min + 1, info.max - 1, info.max))
    return np.array(sorted(vals), dtype=dt)


@functools.cache
def _float_corpus(dtype: str) -> np.ndarray:
    dt = numpy_dtype(dtype)
    info = finfo(dt)
    exponents = np.unique(np.linspace(info.minexp - info.nmant, info.maxexp - 1, 64).round().astype(int))
    with np.errstate(all="ignore"):
        mags = np.array([np.ldexp(m, e) for e in exponents for m in (1.0, 1.3, 1.75)]).astype(dt)
    mags = mags[np.isfinite(mags) & (mags != 0)]
    values = np.concatenate([_float_specials(dt), mags, -mags, np.arange(-80, 81).astype(dt) / 8,
                             (np.pi * np.arange(-8, 9) / 4).astype(dt), [info.max, -info.max]]).astype(dt)
    bits = values.view(f"u{dt.itemsize}")
    _, first = np.unique(bits, return_index=True)  # by bit pattern, so -0.0 and 0.0 both stay
    return values[np.sort(first)]


def corpus_pairs(dtype, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Every pair drawn from an evenly spaced ``n``-value subset of :func:`corpus_values`."""
    corpus = corpus_values(dtype)
    subset = corpus[np.unique(np.linspace(0, corpus.size - 1, min(n, corpus.size)).round().astype(int))]
    x, y = (a.ravel() for a in np.meshgrid(subset, subset, indexing="ij"))
    return x, y


def ordinary_values(dtype, n: int = 12) -> np.ndarray:
    """Well-behaved values (small, finite, with a tie) for samples that must not hit edge cases."""
    dt = numpy_dtype(dtype)
    base = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8][:n], dtype=np.int64)
    if dt.kind == "b":
        return (base % 2).astype(dt)
    if dt.kind in "iu":
        return base.astype(dt)
    if dtype_kind(dt) == "f":
        return (base * 0.75 - 2.0).astype(dt)
    return (base * 0.75 - 2.0 + 1j * (base[::-1] * 0.5 - 1.0)).astype(dt)


# --------------------------------------------------------------------------- layouts
LAYOUTS = ("contiguous", "transposed", "strided")


def with_layout(x: np.ndarray, layout: str) -> np.ndarray:
    """The same values in another memory layout: a transposed (Fortran-order) view, or a view
    with every other element of a doubled last axis. Backends with strides get the same layout."""
    if layout == "transposed" and x.ndim >= 2:
        return np.asfortranarray(x)
    if layout == "strided" and x.ndim >= 1:
        return np.repeat(x, 2, axis=-1)[..., ::2]
    return x


def python_scalar(dtype):
    """A Python scalar of the kind that pairs with ``dtype`` under NEP 50 / Array API promotion."""
    kind = dtype_kind(numpy_dtype(dtype))
    return {"b": True, "i": 2, "u": 2, "f": 1.5, "c": complex(1.5, -0.5)}[kind]


# --------------------------------------------------------------------------- fixed samples
def unary_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    specials = special_values(dt)
    return [
        Sample((corpus_values(dt),), note="dense corpus"),
        Sample((specials,), note="special values"),
        Sample((ordinary_values(dt).reshape(3, 4),), note="2-D"),
        Sample((with_layout(ordinary_values(dt).reshape(3, 4), "transposed"),), note="transposed view"),
        Sample((with_layout(specials, "strided"),), note="strided view"),
        Sample((np.array(specials[1], dtype=dt),), note="0-d"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ]


def binary_samples(dtype) -> list[Sample]:
    """Every pair of special values, broadcasting, and a Python-scalar operand on each side."""
    dt = np.dtype(dtype)
    specials = special_values(dt)
    x, y = (a.ravel() for a in np.meshgrid(specials, specials, indexing="ij"))
    ordinary = ordinary_values(dt)
    scalar = python_scalar(dt)
    return [
        Sample((x, y), note="all pairs of special values"),
        Sample(corpus_pairs(dt), note="dense corpus pairs"),
        Sample((ordinary[:3].reshape(3, 1), ordinary[:4].reshape(1, 4)), note="broadcasting"),
        Sample((with_layout(ordinary.reshape(3, 4), "transposed"),
                with_layout(ordinary[::-1].reshape(3, 4), "strided")), note="transposed and strided views"),
        Sample((ordinary, scalar), note="Python scalar on the right"),
        Sample((scalar, ordinary), note="Python scalar on the left"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty"),
        Sample((np.array(ordinary[0]), np.array(ordinary[1])), note="0-d"),
    ]


def reduction_samples(dtype, *, empty: bool = True, keepdims: bool = True) -> list[Sample]:
    """A reduction over every axis form: None, one axis, negative axis, tuple, keepdims."""
    dt = np.dtype(dtype)
    ordinary = ordinary_values(dt).reshape(3, 4)
    specials = special_values(dt)
    samples = [
        Sample((ordinary,), note="all axes"),
        Sample((ordinary,), {"axis": 0}),
        Sample((ordinary,), {"axis": -1}),
        Sample((ordinary,), {"axis": (0, 1)}),
        Sample((with_layout(ordinary, "transposed"),), {"axis": 0}, note="transposed view"),
        Sample((with_layout(ordinary, "strided"),), {"axis": -1}, note="strided view"),
        Sample((specials,), note="special values"),
        Sample((np.array(ordinary[0, 0]),), note="0-d"),
    ]
    if keepdims:
        samples.append(Sample((ordinary,), {"axis": 1, "keepdims": True}))
    if dtype_kind(dt) in "fc":
        # finite values of very different sizes, where a lost small term or an absolute tolerance shows
        spread = np.array([1.5, -2.0**-20, 3e-7, 1e-12, -0.75, 2.0**-60, 7.0, -1e-9], dtype=np.float64)
        samples.append(Sample((spread.astype(dt),), note="magnitudes 1e-18 to 7"))
        samples.append(Sample((np.array([1e-30, -3e-31, 2e-30, 5e-31]).astype(dt),), note="tiny values only"))
    if empty:
        samples.append(Sample((np.empty((0,), dtype=dt),), note="empty"))
        samples.append(Sample((np.empty((2, 0), dtype=dt),), {"axis": 1}, note="empty axis"))
    return samples


# --------------------------------------------------------------------------- strategies
def elements(dtype, *, lo=None, hi=None, finite: bool = False):
    """Element values of ``dtype``; floats include NaN/inf/subnormals unless bounded or finite."""
    return _elements(numpy_dtype(dtype).name, lo, hi, finite)


@functools.cache
def _elements(dtype: str, lo, hi, finite: bool):
    # Strategies are immutable; building and validating one per draw showed up in the sweep's profile.
    dt = numpy_dtype(dtype)
    if dt.name in EXTRA_DTYPES:
        return _extra_float_elements(dt, lo, hi, finite)
    if dt.kind in "fc":
        bounded = lo is not None or hi is not None
        kw = {"allow_nan": not (finite or bounded), "allow_infinity": not (finite or bounded)}
        if dt.kind == "c" and bounded:  # each part within [lo, hi], as for a real dtype
            part = _elements(np.dtype(f"float{dt.itemsize * 4}").name, lo, hi, finite)
            return st.builds(complex, part, part)
        if dt.kind == "f":
            kw.update(min_value=lo, max_value=hi)
        return hnp.from_dtype(dt, **kw)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return hnp.from_dtype(dt, min_value=max(info.min, lo) if lo is not None else None,
                              max_value=min(info.max, hi) if hi is not None else None)
    return hnp.from_dtype(dt)


@functools.cache
def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 0, max_side: int = MAX_SIDE):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(dtype, shape=None, **element_kw):
    """Arrays of ``dtype``; ``shape`` is a tuple or a shape strategy (default: up to 3-D, sides up to 5)."""
    return _arrays(numpy_dtype(dtype).name, shape if shape is not None else shapes(), tuple(sorted(element_kw.items())))


@functools.lru_cache(maxsize=4096)
def _arrays(dtype: str, shape, element_kw: tuple):
    if dtype == "bfloat16":  # float32 arrays, rounded: see _extra_float_elements
        kw = dict(element_kw)
        drawn = hnp.arrays(np.float32, shape, elements=_extra_float_elements(numpy_dtype(dtype), **kw, as_float32=True))
        return drawn.map(lambda a: a.astype(ml_dtypes.bfloat16))
    return hnp.arrays(numpy_dtype(dtype), shape, elements=elements(dtype, **dict(element_kw)))


def _extra_float_elements(dt: np.dtype, lo=None, hi=None, finite: bool = False, as_float32: bool = False):
    """float16 comes from Hypothesis. bfloat16, which Hypothesis lacks, is drawn as a float32 and rounded
    to nearest: every bfloat16 value is a float32, so each one (NaN, +-inf, +-0, subnormals) can come out,
    and draws keep Hypothesis's weighting towards special and boundary values and its shrinking towards
    simple ones (0, 1, small integers); a uint16 bit-pattern draw alone would shrink towards tiny
    subnormals, so bit patterns (every subnormal and NaN payload) are only a second branch.
    Bounds are rounded inwards to the dtype (Hypothesis refuses a float16 bound it cannot represent;
    the registry's bounds are written for float32/float64), so rounded draws stay within them (rounding
    is monotonic); with ``finite`` the bounds are the largest finite values: nothing rounds up to inf."""
    info = finfo(dt)
    bounded = lo is not None or hi is not None
    if finite or bounded:
        lo = _inward(dt, -float(info.max) if lo is None else max(float(lo), -float(info.max)), up=True)
        hi = _inward(dt, float(info.max) if hi is None else min(float(hi), float(info.max)), up=False)
    kw = {"allow_nan": not (finite or bounded), "allow_infinity": not (finite or bounded), "min_value": lo,
          "max_value": hi}
    if dt.name != "bfloat16":
        return hnp.from_dtype(dt, **kw)
    drawn = hnp.from_dtype(np.dtype(np.float32), **kw)
    if not (finite or bounded):  # float32 draws seldom land on a bfloat16 subnormal: add raw bit patterns
        drawn = st.one_of(drawn, st.integers(0, 0xFFFF).map(_bfloat16_bits_as_float32))  # shrinks to the first
    return drawn if as_float32 else drawn.map(ml_dtypes.bfloat16)


def _bfloat16_bits_as_float32(bits: int) -> np.float32:
    """The float32 whose value is the bfloat16 with these 16 bits (its upper half; the rest zero)."""
    return np.array(bits << 16, dtype=np.uint32).view(np.float32)[()]


def _inward(dt: np.dtype, bound: float, *, up: bool) -> float:
    """The value of ``dt`` nearest to ``bound`` at or above it (``up``) or at or below it, as a float."""
    value = np.array(bound, dtype=dt)
    if (up and float(value) < bound) or (not up and float(value) > bound):
        value = np.nextafter(value, np.array(np.inf if up else -np.inf, dtype=dt))
    return float(value)


@functools.lru_cache(maxsize=4096)
def laid_out(strategy):
    """Arrays from ``strategy`` in a layout Hypothesis draws (shrinking towards contiguous). One strategy
    object per array strategy: a new one per draw was validated anew each time (a fifth of generation)."""
    return st.tuples(strategy, st.sampled_from(LAYOUTS)).map(lambda xl: with_layout(*xl))


def unary_strategy(dtype, **element_kw):
    return laid_out(arrays(dtype, **element_kw)).map(lambda x: Sample((x,)))


@st.composite
def _binary(draw, dtype, x_kw, y_kw):
    dt = np.dtype(dtype)
    mode = draw(st.sampled_from(["arrays", "scalar-right", "scalar-left"]))
    if mode == "arrays":
        shape_x, shape_y = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=MAX_DIMS,
                                                                  max_side=MAX_SIDE)).input_shapes
        return Sample((draw(laid_out(arrays(dt, shape_x, **x_kw))), draw(laid_out(arrays(dt, shape_y, **y_kw)))))
    if mode == "scalar-right":
        return Sample((draw(arrays(dt, **x_kw)), draw(elements(dt, **y_kw)).item()), note=mode)
    return Sample((draw(elements(dt, **x_kw)).item(), draw(arrays(dt, **y_kw))), note=mode)


def binary_strategy(dtype, y: dict | None = None, **element_kw):
    """Two broadcastable arrays, or an array and a Python scalar on either side. ``element_kw``
    bounds the first operand's values and, unless ``y`` gives its own, the second's."""
    return _binary(dtype, element_kw, element_kw if y is None else y)


@st.composite
def _axis_kwargs(draw, ndim, allow_none=True, allow_tuple=True, keepdims=True):
    kwargs = {}
    choices = ["int"] if ndim else []
    if allow_none or not ndim:
        choices.append("none")
    if allow_tuple and ndim:
        choices.append("tuple")
    kind = draw(st.sampled_from(choices))
    if kind == "int":
        kwargs["axis"] = draw(st.integers(-ndim, ndim - 1))
    elif kind == "tuple":
        kwargs["axis"] = draw(hnp.valid_tuple_axes(ndim, min_size=1))
    if keepdims and draw(st.booleans()):
        kwargs["keepdims"] = True
    return kwargs


@st.composite
def _reduction(draw, dtype, element_kw, allow_none, allow_tuple, keepdims, min_side, min_dims=0):
    x = draw(laid_out(arrays(dtype, shapes(min_dims=min_dims, min_side=min_side), **element_kw)))
    kwargs = draw(_axis_kwargs(x.ndim, allow_none=allow_none, allow_tuple=allow_tuple, keepdims=keepdims))
    return Sample((x,), kwargs)


def reduction_strategy(dtype, *, allow_none=True, allow_tuple=True, keepdims=True, min_side=0, **element_kw):
    """An array plus an axis argument (None, int incl. negative, tuple) and maybe keepdims."""
    return _reduction(dtype, element_kw, allow_none, allow_tuple, keepdims, min_side)


def axis_strategy(dtype, *, min_side=0, **element_kw):
    """An array and one (possibly negative) axis, for scans and sorts; 0-d arrays excluded."""
    return _reduction(dtype, element_kw, False, False, False, min_side, min_dims=1)


# --------------------------------------------------------------------------- mixed dtypes (NumPy's domain)
#: Values per operand in a dtype-pair corpus: every pair of them is one element of one call.
MIXED_VALUES = 40


def operand_values(samples, dtype, index: int) -> np.ndarray | None:
    """The distinct values an entry's own fixed samples give operand ``index`` (0 or 1) for ``dtype``:
    its first sample with two array operands (the special-value pairs), so that an entry's
    restrictions (shift amounts in [0, bits), non-negative integer exponents) hold in every mix.
    At most MIXED_VALUES, evenly spaced; None when the entry has no such sample."""
    values = _operand_values(samples, numpy_dtype(dtype).name, index)
    return None if values is None else values.copy()


@functools.lru_cache(maxsize=1024)
def _operand_values(samples, dtype: str, index: int) -> np.ndarray | None:
    dt = numpy_dtype(dtype)
    try:
        built = samples(dt)
    except Exception:  # the entry's samples cannot be built for this dtype: no corpus from them
        return None
    for sample in built:
        arrays = [a for a in sample.args if isinstance(a, np.ndarray)]
        if len(sample.args) == 2 and len(arrays) == 2 and not sample.kwargs and arrays[index].size \
                and arrays[index].dtype == dt:  # an operand of another dtype (ldexp's exponents) is no mix
            values = np.ravel(arrays[index])
            bits = np.ascontiguousarray(values).view(np.uint8).reshape(values.size, -1)
            _, first = np.unique(bits, axis=0, return_index=True)  # by bit pattern: -0.0 and 0.0 both stay
            values = values[np.sort(first)]
            if values.size > MIXED_VALUES:
                values = values[np.unique(np.linspace(0, values.size - 1, MIXED_VALUES).round().astype(int))]
            return values
    return None


def _ordinary(values: np.ndarray) -> np.ndarray:
    """One value of a corpus for a 0-d operand: the third (1.0 of the special floats, 2 of the integers)."""
    return np.array(values[min(2, values.size - 1)], dtype=values.dtype)


def _scalars(kind: str, array_dtype) -> list:
    dt = numpy_dtype(array_dtype)
    if kind == "py-int-out":
        if dt.kind not in "iu":
            return []
        info = np.iinfo(dt)
        return [int(info.max) + 1, int(info.min) - 1]
    return {"py-bool": [True], "py-int": [2], "py-float": [1.5], "py-complex": [complex(1.5, -0.5)]}[kind]


def _wraps_into(value: int, dtype, values: np.ndarray) -> bool:
    """Whether the value an out-of-range int wraps to in ``dtype`` (max + 1 to min, min - 1 to max) is
    one the entry's own samples use: an entry that keeps the extremes out (gcd: |min| does not exist,
    and jnp.gcd of it loops forever) keeps them out of its mixes too."""
    info = np.iinfo(numpy_dtype(dtype))
    wrapped = int(info.min) if value > int(info.max) else int(info.max)
    return bool((values.astype(object) == wrapped).any())


def mixed_samples(samples, left: str, right: str) -> list[Sample]:
    """The calls of one mixed case: a vectorized corpus per dtype pair, not one example per pair.

    Two array dtypes: every pair of the two operands' values in one call whose operands have
    different ranks ((n, 1) with (m,): broadcasting), and a 0-d operand on each side with a 1-d one
    (NumPy 2 promotes 0-d arrays like any other; libraries with value- or rank-based promotion do
    not). An array with a Python scalar kind: the scalar on the right and on the left.
    """
    x = operand_values(samples, left, 0)
    if right in SCALAR_KINDS:
        y = operand_values(samples, left, 1)
        if x is None or y is None:
            return []
        out = []
        for s in _scalars(right, left):
            if right == "py-int-out" and not _wraps_into(s, left, np.concatenate([x, y])):
                continue
            out += [Sample((x, s), note=f"Python {type(s).__name__} {s!r} on the right"),
                    Sample((s, y), note=f"Python {type(s).__name__} {s!r} on the left")]
        return out
    y = operand_values(samples, right, 1)
    if x is None or y is None:
        return []
    return [
        Sample((x.reshape(-1, 1), y), note=f"every value pair, ({x.size}, 1) with ({y.size},)"),
        Sample((_ordinary(x), y), note="0-d on the left"),
        Sample((x, _ordinary(y)), note="0-d on the right"),
    ]


def case_samples(op, case_dtype: str) -> list[Sample]:
    """The fixed samples of one case of ``op``: its own samples and those derived for NumPy's shape rules
    (:mod:`opinfo.shapes`) for one dtype, the mixed corpus for a pair."""
    if is_mixed(case_dtype):
        return mixed_samples(op.samples, *parts(case_dtype))
    dt = numpy_dtype(case_dtype)
    own = op.samples(dt)
    return own + shape_samples(op, dt, own)
