"""Creation: arange, linspace, zeros, ones, full, eye, empty, *_like, meshgrid, asarray, from_dlpack.

Each case passes ``dtype=`` explicitly (a NumPy dtype the runner turns into the
backend's); the float64 (and complex128) cases add samples *without* ``dtype=``,
because default dtypes are where libraries differ most: PyTorch creates float32
and complex64 by default, NumPy float64 and complex128. The contents of
``empty``/``empty_like`` are unspecified, so only their dtype and shape are
compared (``opinfo.comparators.compare_dtype_and_shape``). ``from_dlpack`` imports each
library's own arrays through the DLPack protocol (a NumPy array on the reference
side), strided views included.
Values stay in the standard's domain (fill values representable in the dtype,
exactly representable ``arange`` steps so that both sides compute exactly).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_dtype_and_shape
from opinfo.declared import TORCH_SHELL_UINTS, beyond_standard, torch_shell_uints
from opinfo.dtypes import ALL, COMPLEX, INEXACT, REAL
from opinfo.samples import arrays, elements, ordinary_values, shapes, special_values
from opinfo.spec import Expected, Sample, op
from opinfo.where import integer_dtype_argument

_FLOAT_DEFAULTS = ("float64", "complex128")


def _default_dtype(op: str, dtypes=("float64",)) -> Expected:
    return Expected("torch", "dtype", dtypes=dtypes,
                    reason=f"Without dtype=, torch.{op} returns torch's default dtype (float32, complex64 for complex "
                           "input); NumPy returns float64 (complex128).")


def _defaults(dt: np.dtype, *samples: Sample) -> list[Sample]:
    """Samples without ``dtype=``, only in the float64 case (where NumPy's default lands)."""
    return list(samples) if dt.name == "float64" else []


def _fills(dt: np.dtype) -> list:
    """Python scalars representable in ``dt``: specials for floats, extremes for integers."""
    return [v.item() for v in special_values(dt)[:: max(1, len(special_values(dt)) // 8)]]


# --------------------------------------------------------------------------- arange / linspace
def _arange_samples(dtype):
    dt = np.dtype(dtype)
    samples = [
        Sample((5,), {"dtype": dt}, note="stop only"),
        Sample((2, 11, 3), {"dtype": dt}),
        Sample((10, 1, -3), {"dtype": dt}, note="negative step"),
        Sample((5, 2), {"dtype": dt}, note="empty: stop before start"),
        Sample((0,), {"dtype": dt}, note="empty"),
    ]
    if dt.kind == "f":
        samples += [Sample((-1.5, 2.0, 0.25), {"dtype": dt}), Sample((1.0, -1.0, -0.5), {"dtype": dt})]
    return samples + _defaults(dt, Sample((0.5, 3.0), note="default dtype"), Sample((7,), note="default int dtype"))


@st.composite
def _arange_strategy(draw, dtype):
    dt = np.dtype(dtype)
    if dt.kind == "f":  # multiples of 1/4: exact in float32, so no rounding can differ
        quarter = st.integers(-40, 40).map(lambda k: k / 4)
        start, stop = draw(quarter), draw(quarter)
        step = draw(st.integers(1, 12).map(lambda k: k / 4)) * draw(st.sampled_from([1, -1]))
    else:
        lo = 0 if dt.kind == "u" else -20
        start, stop = draw(st.integers(lo, 20)), draw(st.integers(lo, 20))
        step = draw(st.integers(1, 5)) * draw(st.sampled_from([1, -1]))
    form = draw(st.sampled_from(["stop", "start-stop", "start-stop-step"]))
    args = {"stop": (abs(stop),), "start-stop": (start, stop), "start-stop-step": (start, stop, step)}[form]
    return Sample(args, {"dtype": dt})


def _linspace_samples(dtype):
    dt = np.dtype(dtype)
    samples = [
        Sample((0.0, 1.0, 5), {"dtype": dt}),
        Sample((3.0, -3.0, 4), {"dtype": dt}, note="descending"),
        Sample((2.0, 2.0, 3), {"dtype": dt}, note="start == stop"),
        Sample((-1.0, 1.0, 1), {"dtype": dt}, note="one point: start"),
        Sample((-1.0, 1.0, 0), {"dtype": dt}, note="no points"),
        Sample((0.0, 1.0, 4), {"dtype": dt, "endpoint": False}, note="endpoint=False"),
        Sample((-0.0, 1.0, 1), {"dtype": dt}, note="one point, start -0.0"),
        Sample((0.0, -0.0, 4), {"dtype": dt}, note="stop -0.0: NumPy ends exactly on stop"),
    ]
    if dt.kind == "c":
        samples.append(Sample((complex(1, 1), complex(2, -1), 3), {"dtype": dt}, note="complex end points"))
    return samples + _defaults(dt, Sample((0.0, 1.0, 5), note="default dtype"))


@st.composite
def _linspace_strategy(draw, dtype):
    dt = np.dtype(dtype)
    point = st.floats(-10, 10, width=32)
    if dt.kind == "c":
        point = st.builds(complex, point, point)
    return Sample((draw(point), draw(point), draw(st.integers(0, 12))), {"dtype": dt})


# --------------------------------------------------------------------------- zeros / ones / full / eye
def _shape_arg(draw):
    shape = draw(shapes())
    return shape[0] if len(shape) == 1 and draw(st.booleans()) else shape


def _filled_samples(dtype):
    dt = np.dtype(dtype)
    return [
        Sample(((2, 3),), {"dtype": dt}),
        Sample((4,), {"dtype": dt}, note="int shape"),
        Sample(((),), {"dtype": dt}, note="0-d"),
        Sample(((0, 3),), {"dtype": dt}, note="empty"),
    ] + _defaults(dt, Sample(((2,),), note="default dtype"))


@st.composite
def _filled_strategy(draw, dtype):
    return Sample((_shape_arg(draw),), {"dtype": np.dtype(dtype)})


def _full_samples(dtype):
    dt = np.dtype(dtype)
    samples = [Sample(((2, 2), v), {"dtype": dt}) for v in _fills(dt)]
    samples += [
        Sample(((), _fills(dt)[1]), {"dtype": dt}, note="0-d"),
        Sample(((0, 2), _fills(dt)[1]), {"dtype": dt}, note="empty"),
        Sample((3, _fills(dt)[1]), {"dtype": dt}, note="int shape"),
    ]
    return samples + _defaults(dt, Sample(((2,), 1.5), note="default dtype"),
                               Sample(((2,), 7), note="Python int: default int dtype"))


@st.composite
def _full_strategy(draw, dtype):
    dt = np.dtype(dtype)
    shape = draw(shapes())
    return Sample((shape, draw(elements(dt)).item()), {"dtype": dt})


def _eye_samples(dtype):
    dt = np.dtype(dtype)
    return [
        Sample((3,), {"dtype": dt}),
        Sample((2, 4), {"dtype": dt}, note="wide"),
        Sample((4, 2), {"dtype": dt}, note="tall"),
        Sample((0,), {"dtype": dt}, note="empty"),
        Sample((2, 0), {"dtype": dt}, note="no columns"),
        Sample((3, 4), {"k": 1, "dtype": dt}, note="offset diagonal"),
    ] + _defaults(dt, Sample((2,), note="default dtype"))


@st.composite
def _eye_strategy(draw, dtype):
    n = draw(st.integers(0, 5))
    args = (n,) if draw(st.booleans()) else (n, draw(st.integers(0, 5)))
    return Sample(args, {"dtype": np.dtype(dtype)})


# --------------------------------------------------------------------------- *_like
def _like_inputs(dt):
    specials = special_values(dt)
    return [specials, ordinary_values(dt).reshape(3, 4), np.array(specials[2]), np.empty((0, 3), dtype=dt)]


def _like_samples(dtype):
    dt = np.dtype(dtype)
    other = np.dtype("int32") if dt.kind in "fc" else np.dtype("float64")
    return [Sample((x,)) for x in _like_inputs(dt)] + [
        Sample((ordinary_values(dt),), {"dtype": dt}, note="explicit dtype"),
        Sample((ordinary_values(dt),), {"dtype": other}, note="other dtype"),
    ]


@st.composite
def _like_strategy(draw, dtype):
    dt = np.dtype(dtype)
    return Sample((draw(arrays(dt)),), {"dtype": dt} if draw(st.booleans()) else {})


def _full_like_samples(dtype):
    dt = np.dtype(dtype)
    return [Sample((ordinary_values(dt).reshape(3, 4), v)) for v in _fills(dt)] + [
        Sample((x, _fills(dt)[1])) for x in _like_inputs(dt)[2:]
    ] + [Sample((ordinary_values(dt), 1), {"dtype": np.dtype("int16")}, note="other dtype")]


@st.composite
def _full_like_strategy(draw, dtype):
    dt = np.dtype(dtype)
    return Sample((draw(arrays(dt)), draw(elements(dt)).item()))


# --------------------------------------------------------------------------- meshgrid / asarray
def _meshgrid_samples(dtype):
    dt = np.dtype(dtype)
    a, b, c = special_values(dt)[:2], ordinary_values(dt)[:3], special_values(dt)[-4:]
    return [
        Sample((a, b), {"indexing": "xy"}),
        Sample((a, b), {"indexing": "ij"}),
        Sample((a, b, c), {"indexing": "xy"}, note="three arrays"),
        Sample((b,), {"indexing": "xy"}, note="one array"),
        Sample((a, np.empty((0,), dtype=dt)), {"indexing": "ij"}, note="empty"),
        Sample((a, b), note="default indexing"),
    ]


@st.composite
def _meshgrid_strategy(draw, dtype):
    dt = np.dtype(dtype)
    grids = draw(st.lists(arrays(dt, shapes(1, 1, max_side=4)), min_size=1, max_size=3))
    return Sample(tuple(grids), {"indexing": draw(st.sampled_from(["xy", "ij"]))})


def _asarray_samples(dtype):
    dt = np.dtype(dtype)
    specials = special_values(dt)
    ordinary = ordinary_values(dt).reshape(3, 4)
    samples = [
        Sample((specials.tolist(),), {"dtype": dt}, note="list of Python scalars"),
        Sample((ordinary.tolist(),), {"dtype": dt}, note="nested lists"),
        Sample((specials[1].item(),), {"dtype": dt}, note="Python scalar: 0-d"),
        Sample(([],), {"dtype": dt}, note="empty list"),
        Sample((ordinary,), note="array: dtype kept"),
        Sample((ordinary,), {"dtype": dt}),
    ]
    if dt.name == "complex128":
        samples.append(Sample(([complex(1, 2), 3.0],), note="default complex dtype"))
    return samples + _defaults(dt, Sample(([1.5, 2],), note="default dtype"),
                               Sample(([[1, 2], [3, 4]],), note="default int dtype"))


@st.composite
def _asarray_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt))
    if draw(st.booleans()):
        return Sample((x.tolist(),), {"dtype": dt}, note="nested lists")
    return Sample((x,), {"dtype": dt} if draw(st.booleans()) else {})


# --------------------------------------------------------------------------- empty / from_dlpack
def _dlpack_samples(dtype):
    dt = np.dtype(dtype)
    grid = np.resize(ordinary_values(dt), (4, 6))
    return [
        Sample((special_values(dt),), note="special values"),
        Sample((grid,), note="2-D"),
        Sample((grid[:, ::2],), note="strided view"),
        Sample((grid.T,), note="transposed view"),
        Sample((np.array(ordinary_values(dt)[0]),), note="0-d"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty"),
    ]


def _dlpack_strategy(dtype):
    return arrays(dtype).map(lambda x: Sample((x,)))


# --------------------------------------------------------------------------- registry
def _op(name, dtypes, samples, strategy, doc="", torch=None, expected=(), ref=None, compare=None):
    return op(name, "creation", ref or getattr(np, name), dtypes, samples, strategy, doc=doc,
              spellings={"torch": torch} if torch else {}, expected=expected, compare=compare)


OPS = [
    _op("arange", REAL, _arange_samples, _arange_strategy, "Evenly spaced values in [start, stop) by step.",
        expected=[torch_shell_uints(surface="native"), _default_dtype("arange"),
                  beyond_standard("torch", "error-type", "A bool dtype: NumPy's arange raises TypeError (no bool "
                                  "arithmetic), torch NotImplementedError (no bool kernel).", dtypes=("bool",),
                                  match="reference raised TypeError, implementation raised NotImplementedError",
                                  surface="native"),
                  Expected("torch", "error", match="upper bound and lower bound inconsistent with step sign",
                           surface="native",
                           dtypes=tuple(d for d in REAL if d not in TORCH_SHELL_UINTS),
                           reason="torch.arange raises 'upper bound and lower bound inconsistent with step sign' "
                                  "when stop lies before start for the step's sign; NumPy and the standard return "
                                  "an empty array.")]),
    _op("linspace", INEXACT, _linspace_samples, _linspace_strategy, "num evenly spaced values from start to stop.",
        expected=[_default_dtype("linspace"),
                  beyond_standard("jax", "value", "An integer dtype: jnp.linspace computes the points in float32 and "
                                  "truncates (3 - 2 * 0.99999994 becomes 0), NumPy computes in float64 and floors "
                                  "exact points (1).", where=integer_dtype_argument),
                  beyond_standard("torch", "error", "torch.linspace with an unsigned integer dtype refuses a start or "
                                  "stop outside the dtype ('value cannot be converted to type uint16_t without "
                                  "overflow'); NumPy computes in float64 and casts.",
                                  match="value cannot be converted to type uint\\d+_t without overflow"),
                  Expected("torch", "error", match=r"linspace\(\) received an invalid .*endpoint=", surface="native",
                           reason="torch.linspace has no endpoint argument (endpoint=False raises TypeError); "
                                  "NumPy and the standard leave stop out with endpoint=False."),
                  Expected("torch", "special-value",
                           reason="Signed zeros at the ends differ: for num=1 NumPy computes 0 * step + start, "
                                  "turning a start of -0.0 into 0.0, where torch returns start itself; NumPy sets "
                                  "the last point to stop (-0.0 stays -0.0), torch computes it (0.0)."),
                  Expected("jax", "special-value",
                           reason="For num=1 NumPy computes 0 * step + start, turning a start of -0.0 into 0.0; "
                                  "jnp.linspace returns start itself (-0.0)."),
                  Expected("dask", "special-value",
                           reason="da.linspace computes every point as start + i * step, so a stop of -0.0 comes out "
                                  "as 0.0; NumPy sets the last point to stop itself, keeping -0.0."),
                  Expected("dask", "error", dtypes=COMPLEX, match="not 'complex'",
                           reason="da.linspace converts start and stop with float(), so complex end points raise "
                                  "TypeError; NumPy and the standard (complex dtypes) accept them.")]),
    _op("zeros", ALL, _filled_samples, _filled_strategy, "Array of zeros.", expected=[_default_dtype("zeros")]),
    _op("ones", ALL, _filled_samples, _filled_strategy, "Array of ones.", expected=[_default_dtype("ones")]),
    _op("full", ALL, _full_samples, _full_strategy, "Array filled with a Python scalar.",
        expected=[_default_dtype("full"),
                  Expected("torch", "error", match="must be tuple of ints, not int", surface="native",
                           reason="torch.full requires a sequence for size: an int shape raises TypeError "
                                  "('must be tuple of ints, not int'), which NumPy and the standard accept.")]),
    _op("eye", ALL, _eye_samples, _eye_strategy, "Ones on the k-th diagonal, zeros elsewhere.",
        expected=[torch_shell_uints(surface="native"), _default_dtype("eye"),
                  Expected("torch", "error", match=r"eye\(\) received an invalid combination of arguments.*k=",
                           surface="native",
                           reason="torch.eye has no diagonal offset: k= raises TypeError where NumPy and the "
                                  "standard shift the diagonal."),
                  *(Expected("dask", category, surface="native", match=match,
                             reason="da.eye(N, chunks='auto', M=None, ...) takes chunks as its second positional "
                                    "argument, so eye(2, 4) is a 2 x 2 identity in chunks of 4 and eye(2, 0) divides "
                                    "by a zero chunk size; NumPy's (and the standard's) second argument is the number "
                                    "of columns.")
                    for category, match in (("shape", None), ("error", "division or modulo by zero")))]),
    _op("empty", ALL, _filled_samples, _filled_strategy, "Uninitialised array: dtype and shape compared.",
        compare=compare_dtype_and_shape, expected=[_default_dtype("empty")]),
    _op("empty_like", ALL, _like_samples, _like_strategy, "Uninitialised array like x: dtype and shape compared.",
        compare=compare_dtype_and_shape),
    _op("from_dlpack", ALL, _dlpack_samples, _dlpack_strategy,
        "The library's own array imported through DLPack (NumPy's on the reference side)."),
    _op("zeros_like", ALL, _like_samples, _like_strategy, "Zeros with the shape (and dtype) of x."),
    _op("ones_like", ALL, _like_samples, _like_strategy, "Ones with the shape (and dtype) of x."),
    _op("full_like", ALL, _full_like_samples, _full_like_strategy, "fill_value with the shape (and dtype) of x."),
    _op("meshgrid", ALL, _meshgrid_samples, _meshgrid_strategy, "Coordinate grids from 1-D arrays.",
        expected=[Expected("torch", "shape", surface="native",
                           reason="torch.meshgrid defaults to indexing='ij' (with a UserWarning); NumPy and the "
                                  "standard default to 'xy', which swaps the first two axes of every grid."),
                  Expected("jax", "error", match="Arguments to jax.numpy.meshgrid must be 1D", domain="any",
                           reason="An input of more than one dimension: NumPy's meshgrid flattens it, jnp.meshgrid "
                                  "raises ValueError. (The standard asks for 1-D inputs.)"),
                  Expected("torch", "error", match="Expected 0D or 1D tensor", domain="any",
                           reason="An input of more than one dimension: NumPy's meshgrid flattens it, torch.meshgrid "
                                  "raises RuntimeError. (The standard asks for 1-D inputs.)")]),
    _op("asarray", ALL, _asarray_samples, _asarray_strategy, "Array from nested sequences, scalars or arrays.",
        expected=[_default_dtype("asarray", _FLOAT_DEFAULTS)]),
]
