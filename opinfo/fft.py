"""Fast Fourier transforms: the Array API ``fft`` extension, compared by value.

NumPy's ``numpy.fft`` is the reference. Its keywords are the standard's (``n``,
``axis``, ``norm``; ``s``, ``axes``); torch says ``dim`` for both, so its spellings
are thin adapters that rename the keyword and change nothing else. NumPy's
``fftfreq``/``rfftfreq`` have no ``dtype=`` keyword: the reference computes them
and casts to the requested dtype, as the standard specifies.

Tolerance: a length-n DFT accumulates rounding of about ``log2(n) * eps * ||x||_1``
on *every* output element, near-zero ones included, so a fixed atol cannot fit
both a 1-element and a 125-element input. ``opinfo.comparators.compare_fft`` scales atol by
``2 * ||x||_1`` (the Hermitian extension of hfft/irfft counts each input twice)
of the finite input; generated inputs are finite with parts in [-10, 10] and at
most 5x5x5, so ``log2(n)`` stays below 7 and 1e-5 (single) / 1e-12 (double)
leave about a factor 10 over ``log2(n) * eps``. Signed zeros of computed
outputs carry no meaning (``check_signed_zero=False``). Shifts move elements
and compare exactly; frequencies use the default tolerances.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_fft
from opinfo.declared import DASK_FFT_SINGLE_CHUNK
from opinfo.dtypes import COMPLEX, FLOAT, INEXACT, INTEGER, NUMERIC, Tolerance
from opinfo.samples import arrays, ordinary_values, shapes, special_values
from opinfo.spec import Expected, Sample, op

NORMS = ("backward", "ortho", "forward")
BOUND = {"lo": -10, "hi": 10}
#: Per-element bound relative to 2 * ||x||_1 (atol) and to |reference| (rtol); see the module docstring.
FFT_TOL = {"float32": Tolerance(1e-5, 1e-5), "complex64": Tolerance(1e-5, 1e-5),
           "float64": Tolerance(1e-12, 1e-12), "complex128": Tolerance(1e-12, 1e-12)}


# --------------------------------------------------------------------------- declared divergences
#: error-type details name the two exception types only (the messages are in the reasons).
VALUE_VS_RUNTIME = "reference raised ValueError, implementation raised RuntimeError"
#: Checked by hand on torch 2.13 (CPU, MKL FFT backend) against NumPy 2.4 (pocketfft).
TORCH_EMPTY = Expected(
    "torch", "error-type", match=VALUE_VS_RUNTIME,
    reason="an empty transform axis or n < 1 raises in both, but torch raises RuntimeError ('Invalid number of "
           "data points (0) specified') where NumPy raises ValueError ('Invalid number of FFT data points').")
TORCH_COMPLEX_INF = Expected(
    "torch", "special-value", dtypes=("complex64",),
    reason="complex inputs holding +-inf: the butterflies form inf - inf, and whether an output ends up NaN or "
           "a NaN/inf mix (C99: infinite) depends on the order of operations; torch's complex64 kernel (MKL) "
           "gives nan+nanj where NumPy's pocketfft gives nan-infj. complex128 agrees.")
TORCH_C2R_NAN_IMAG = Expected(
    "torch", "special-value", dtypes=COMPLEX,
    reason="c2r transforms (irfft, hfft) of input with NaN/inf imaginary parts: output[0] depends only on the "
           "real parts (the imaginary parts meet sin(0) = 0); NumPy's pocketfft never forms NaN * 0 and returns "
           "0.0 there, torch (MKL) returns NaN. Found with real parts all zero; both follow IEEE arithmetic.")
TORCH_SHIFT_0D = Expected(
    "torch", "error-type", match=VALUE_VS_RUNTIME,
    reason="fftshift/ifftshift of a 0-d array (no axes to shift) raise in both: NumPy a ValueError from "
           "unpacking an empty shift (np.roll), torch a RuntimeError ('`shifts` required').")

TORCH_EMPTY_BATCH = Expected(
    "torch", "error", match="MKL FFT error: .*Inconsistent configuration parameters", devices=("cpu",), domain="any",
    reason="No transforms at all (an empty (0, 3) array transformed along its length-3 axis): torch's MKL backend "
           "raises RuntimeError ('Intel oneMKL DFTI ERROR: Inconsistent configuration parameters'); NumPy returns an "
           "empty result.")

#: Where XLA's FFT lowering accepts a zero-length axis (rfft, ihfft and 1-D rfftn fail to lower, so raise too).
JAX_EMPTY = Expected(
    "jax", "accepts",
    reason="An empty transform axis: NumPy raises ValueError ('Invalid number of FFT data points (0)'); jnp.fft "
           "returns an empty array.")


def _strict_rejects(dtypes, what):
    """array_api_strict enforces the standard's "should have a ... data type" with TypeError; where NumPy
    raises too (empty or 0-d input) that shows as error-type."""
    reason = (f"array_api_strict raises TypeError for {what}, which the standard does not require it to "
              "accept (\"should have a ... data type\"); NumPy computes, or raises ValueError on empty/0-d input.")
    return (Expected("array_api_strict", "error", dtypes=dtypes, match="Only .*floating-point dtypes are allowed",
                     reason=reason),
            Expected("array_api_strict", "error-type", dtypes=dtypes, match="implementation raised TypeError",
                     reason=reason))


STRICT_REAL_INPUT = _strict_rejects(FLOAT, "real input to fft/ifft/fftn/ifftn (complex input in the standard)")
STRICT_INT_SHIFT = _strict_rejects(INTEGER, "integer input to fftshift/ifftshift (floating-point in the standard)")


# --------------------------------------------------------------------------- torch adapters
def _torch_1d(fname):
    """``fft(x, n=, axis=, norm=)`` -> ``torch.fft.<fname>(x, n=, dim=, norm=)``."""
    def call(torch, x, n=None, axis=-1, norm="backward"):
        return getattr(torch.fft, fname)(x, n=n, dim=axis, norm=norm)
    return call


def _torch_nd(fname):
    """``fftn(x, s=, axes=, norm=)`` -> ``torch.fft.<fname>(x, s=, dim=, norm=)``."""
    def call(torch, x, s=None, axes=None, norm="backward"):
        return getattr(torch.fft, fname)(x, s=s, dim=axes, norm=norm)
    return call


def _torch_shift(fname):
    def call(torch, x, axes=None):
        return getattr(torch.fft, fname)(x, dim=axes)
    return call


def _freq_ref(fname):
    """NumPy's fftfreq/rfftfreq computed in float64, cast to the standard's ``dtype=``."""
    f = getattr(np.fft, fname)

    def ref(n, d=1.0, dtype=None):
        if dtype is not None and np.dtype(dtype).kind != "f":  # NumPy has no dtype=: only the standard's own
            raise TypeError(f"{fname}: dtype= must be a real floating-point dtype, not {np.dtype(dtype)}")
        out = f(n, d=d)
        return out if dtype is None else out.astype(dtype)

    ref.__name__ = fname
    return ref


def _freq_numpy(fname):
    """The same cast for namespaces whose fftfreq lacks ``dtype=`` (numpy, dask)."""
    def call(xp, n, d=1.0, dtype=None):
        out = getattr(xp.fft, fname)(n, d=d)
        return out if dtype is None else out.astype(dtype)
    return call


# --------------------------------------------------------------------------- inputs
def _values(dt, n, offset=0):
    base = ordinary_values(dt)
    return np.resize(np.roll(base, offset), n).astype(dt)


def _samples_1d(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    impulse = np.zeros(8, dtype=dt)
    impulse[0] = 1
    specials = np.array([1.0, np.nan, 2.0, np.inf, -1.0, 0.5], dtype=dt)
    samples = [
        Sample((impulse,), note="impulse"),
        Sample((np.full(5, 3, dtype=dt),), note="constant"),
        Sample((_values(dt, 1),), note="length 1"),
        Sample((_values(dt, 2),), note="length 2"),
        Sample((_values(dt, 7),), note="odd length"),
        Sample((_values(dt, 8),), note="even length"),
        Sample((_values(dt, 6),), {"n": 11}, note="n pads"),
        Sample((_values(dt, 9),), {"n": 4}, note="n truncates"),
        *(Sample((_values(dt, 6, 3),), {"norm": norm}) for norm in NORMS),
        Sample((_values(dt, 12).reshape(3, 4),), {"axis": 0}, note="2-D along axis 0"),
        Sample((_values(dt, 12).reshape(3, 4),), {"axis": -1, "n": 5, "norm": "ortho"}),
        Sample((specials,), note="NaN and inf"),
        Sample((np.empty((0,), dtype=dt),), note="empty: both should raise"),
        Sample((_values(dt, 4),), {"n": 0}, note="n=0: both should raise"),
    ]
    if dt.kind == "c":
        samples.append(Sample((special_values(dt)[:16],), note="complex special values"))
    return samples


def _samples_nd(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    x = _values(dt, 12).reshape(3, 4)
    cube = _values(dt, 24).reshape(2, 3, 4)
    impulse = np.zeros((4, 4), dtype=dt)
    impulse[0, 0] = 1
    return [
        Sample((x,), note="all axes"),
        Sample((impulse,), note="2-D impulse"),
        Sample((np.full((3, 3), 2, dtype=dt),), note="constant"),
        Sample((x,), {"axes": (0,)}),
        Sample((x,), {"axes": (1, 0)}),
        Sample((x,), {"s": (4, 6), "axes": (0, 1)}, note="s pads"),
        Sample((x,), {"s": (2, 3), "axes": (0, 1)}, note="s truncates"),
        *(Sample((x,), {"norm": norm}) for norm in NORMS),
        Sample((cube,), {"axes": (0, 2)}, note="3-D, two axes"),
        Sample((_values(dt, 1).reshape(1, 1),), note="1x1"),
        Sample((np.array([[1.0, np.nan], [np.inf, 2.0]], dtype=dt),), note="NaN and inf"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty: both should raise"),
    ]


@st.composite
def _strategy_1d(draw, dtype):
    x = draw(arrays(dtype, shapes(min_dims=1, min_side=1), **BOUND))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
    if draw(st.booleans()):
        kwargs["n"] = draw(st.integers(1, 8))
    if draw(st.booleans()):
        kwargs["norm"] = draw(st.sampled_from(NORMS))
    return Sample((x,), kwargs)


@st.composite
def _strategy_nd(draw, dtype):
    x = draw(arrays(dtype, shapes(min_dims=1, min_side=1), **BOUND))
    kwargs = {}
    if draw(st.booleans()):
        axes = draw(hnp.valid_tuple_axes(x.ndim, min_size=1))
        kwargs["axes"] = axes
        if draw(st.booleans()):
            kwargs["s"] = tuple(draw(st.integers(1, 6)) for _ in axes)
    if draw(st.booleans()):
        kwargs["norm"] = draw(st.sampled_from(NORMS))
    return Sample((x,), kwargs)


def _shift_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    x = ordinary_values(dt).reshape(3, 4)
    return [
        Sample((ordinary_values(dt)[:7],), note="odd length"),
        Sample((ordinary_values(dt)[:8],), note="even length"),
        Sample((x,), note="all axes"),
        Sample((x,), {"axes": 0}, note="int axes"),
        Sample((x,), {"axes": (-1,)}),
        Sample((x,), {"axes": (1, 0)}),
        Sample((special_values(dt),), note="special values"),
        Sample((np.array(ordinary_values(dt)[0]),), note="0-d"),
        Sample((np.empty((0, 3), dtype=dt),), note="empty"),
    ]


@st.composite
def _shift_strategy(draw, dtype):
    x = draw(arrays(dtype))
    kwargs = {}
    if x.ndim and draw(st.booleans()):
        kwargs["axes"] = draw(hnp.valid_tuple_axes(x.ndim, min_size=1))
    return Sample((x,), kwargs)


def _freq_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    return [Sample((n,), {"d": d, "dtype": dt}) for n, d in ((1, 1.0), (2, 1.0), (5, 1.0), (8, 0.5), (9, 2.0),
                                                             (16, 0.1))]


def _freq_strategy(dtype):
    dt = np.dtype(dtype)
    return st.builds(lambda n, d: Sample((n,), {"d": d, "dtype": dt}), st.integers(1, 40),
                     st.sampled_from([1.0, 0.5, 2.0, 0.1, 3.0, 1e-3]))


# --------------------------------------------------------------------------- factories
def _transform(fname, dtypes, *, nd=False, doc="", expected=()):
    return op(
        name=f"fft.{fname}", family="fft", ref=getattr(np.fft, fname), doc=doc, dtypes=dtypes,
        samples=_samples_nd if nd else _samples_1d,
        strategy=_strategy_nd if nd else _strategy_1d, spellings={"torch": (_torch_nd if nd else _torch_1d)(fname)},
        tolerances=FFT_TOL, compare=compare_fft, check_signed_zero=False,
        expected=(TORCH_EMPTY, DASK_FFT_SINGLE_CHUNK, *(() if nd else (TORCH_EMPTY_BATCH,)), *expected),
    )


def _shift(fname, doc):
    return op(
        name=f"fft.{fname}", family="fft", ref=getattr(np.fft, fname), doc=doc, dtypes=NUMERIC,
        samples=_shift_samples, strategy=_shift_strategy,
        spellings={"torch": _torch_shift(fname)},
        expected=(TORCH_SHIFT_0D, *STRICT_INT_SHIFT,
                  *(Expected(backend, "accepts",
                             reason=f"{module}.{fname} of a 0-d array (no axes to shift) returns it unchanged; NumPy "
                                    "raises ValueError from unpacking an empty shift.")
                    for backend, module in (("dask", "da.fft"), ("jax", "jnp.fft")))),
    )


def _freq(fname, doc):
    return op(
        name=f"fft.{fname}", family="fft", ref=_freq_ref(fname), reference_name=f"numpy.fft.{fname}",
        doc=doc, dtypes=FLOAT, samples=_freq_samples, strategy=_freq_strategy,
        spellings={"numpy": _freq_numpy(fname), "dask": _freq_numpy(fname)},
    )


OPS = [
    _transform("fft", INEXACT, doc="1-D discrete Fourier transform (complex input in the standard).",
               expected=(TORCH_COMPLEX_INF, *STRICT_REAL_INPUT, JAX_EMPTY)),
    _transform("ifft", INEXACT, doc="1-D inverse discrete Fourier transform.",
               expected=(TORCH_COMPLEX_INF, *STRICT_REAL_INPUT, JAX_EMPTY)),
    _transform("fftn", INEXACT, nd=True, doc="n-D discrete Fourier transform over `axes`, sizes `s`.",
               expected=(*STRICT_REAL_INPUT, JAX_EMPTY)),
    _transform("ifftn", INEXACT, nd=True, doc="n-D inverse discrete Fourier transform.",
               expected=(*STRICT_REAL_INPUT, JAX_EMPTY)),
    _transform("rfft", FLOAT, doc="1-D DFT of real input: the n//2+1 non-negative frequencies."),
    _transform("irfft", COMPLEX, doc="Inverse of rfft: real output of length n (default 2*(m-1)).",
               expected=(TORCH_C2R_NAN_IMAG, JAX_EMPTY)),
    _transform("rfftn", FLOAT, nd=True, doc="n-D DFT of real input; the last axis is halved.", expected=(JAX_EMPTY,)),
    _transform("irfftn", COMPLEX, nd=True, doc="Inverse of rfftn: real output.", expected=(JAX_EMPTY,)),
    _transform("hfft", COMPLEX, doc="DFT of a Hermitian-symmetric signal given by its first half: real output.",
               expected=(TORCH_C2R_NAN_IMAG, JAX_EMPTY)),
    _transform("ihfft", FLOAT, doc="Inverse of hfft: real input, the n//2+1 non-negative frequencies."),
    _freq("fftfreq", "Sample frequencies of a length-n DFT, in the requested real floating dtype."),
    _freq("rfftfreq", "Non-negative sample frequencies of a length-n rfft."),
    _shift("fftshift", "Move the zero-frequency term to the centre (a roll by n//2 along `axes`)."),
    _shift("ifftshift", "Inverse of fftshift (a roll by -(n//2) along `axes`)."),
]
