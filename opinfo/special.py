"""Special functions against SciPy (``scipy.special``) and NumPy's own (``i0``, ``sinc``).

Named ``special.<scipy name>`` (PyTorch's ``torch.special`` spells them the same way, so its
spelling is the default); JAX's are in ``jax.scipy.special``, NumPy's namespace has none (the numpy
backend calls SciPy, the false-positive check). ``i0`` and ``sinc`` keep their NumPy names, which
every native namespace has. Dask and the Array API have no special functions: unsupported there.

Elementwise entries run the shared elementwise samples (every special value: NaN, +-inf, +-0.0,
subnormals, dtype extremes; binary ones every pair, broadcasting and Python scalars) and strategies
over the full float range. Inputs are restricted only where an argument is not a real number
(polygamma's order ``n``, multigammaln's dimension ``d``) or the function is undefined (multigammaln
below (d - 1) / 2, where SciPy raises: one fixed sample keeps that visible).

Tolerances: SciPy computes float32 in float32 loops that mostly cast to double and round once
(<= 1 ulp), other libraries evaluate float32 polynomials and continued fractions in float32, which
the default float32 rtol (1.3e-6, about 11 ulp at eps = 1.19e-7) covers for most functions. Where a
function is computed by a different algorithm whose float32 error is larger (documented per entry),
the tolerance is widened to the measured error rounded up, never beyond what is stated there.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from hypothesis import strategies as st

from opinfo.adapters import reference_function
from opinfo.declared import JAX_FTZ, JAX_FTZ_LINK, TORCH_SCALARS_LINK, beyond_standard
from opinfo.dtypes import FLOAT
from opinfo.elementwise import binary_op, unary_op
from opinfo.samples import (
    arrays,
    binary_samples,
    binary_strategy,
    ordinary_values,
    reduction_samples,
    reduction_strategy,
    special_values,
)
from opinfo.spec import Expected, OpInfo, Sample, op
from opinfo.where import (
    either,
    input_above,
    input_below,
    integer_inputs,
    magnitude_above,
    magnitude_below,
    mixed_operands,
    near_pole,
    result_below,
    subnormal_involved,
)

SCIPY_LOOP_ORDER = (
    "SciPy registers this ufunc's float64 loop before its float32 one, so NumPy's loop search pairs a "
    "float32 array with a Python float in float64; torch and JAX keep float32 (a Python scalar is weak, NEP 50)."
)


# --------------------------------------------------------------------------- spellings
def _jax_special(name):
    """``jax.scipy.special.<name>``: the JAX spelling of a SciPy special function."""

    def call(jnp, *args, **kwargs):
        import jax.scipy.special

        return getattr(jax.scipy.special, name)(*args, **kwargs)

    call.__name__ = f"jax.scipy.special.{name}"
    return call


def _spellings(name, *, jax=True, **extra):
    table = {"numpy": reference_function(getattr(scipy.special, name))}
    if jax:
        table["jax"] = _jax_special(name)
    return table | extra


#: ULP allowance of the special functions: SciPy's Cephes and Boost kernels, torch's and XLA's document
#: or show errors of several ulps (tools/measure_ulps.py: erfc 10, i1 13, gammainc 15 between SciPy and
#: torch or JAX), far from the two or three of a libm's exp or log.
SPECIAL_ULPS = {"float32": 16.0, "float64": 16.0}


def _special(factory, name, dtypes=FLOAT, *, jax=True, spellings=None, expected=(), **kw) -> OpInfo:
    """An elementwise scipy.special function as ``special.<name>`` in family "special"."""
    kw["ulps"] = SPECIAL_ULPS | kw.get("ulps", {})
    return factory(f"special.{name}", dtypes, family="special", ref=getattr(scipy.special, name), expected=expected,
                   spellings=_spellings(name, jax=jax, **(spellings or {})), **kw)


def unary(name, dtypes=FLOAT, **kw) -> OpInfo:
    return _special(unary_op, name, dtypes, **kw)


def binary(name, dtypes=FLOAT, **kw) -> OpInfo:
    return _special(binary_op, name, dtypes, **kw)


# --------------------------------------------------------------------------- gammainc
#: JAX's gammainc iterates a number of times that grows with its arguments: a = x = 1e30 runs for minutes,
#: a hang rather than a divergence the sweep can report. Finite arguments stay within +-GAMMAINC_BOUND.
GAMMAINC_BOUND = 1e4


def _gammainc_samples(dtype):
    """The elementwise fixed samples without pairs holding a finite value beyond GAMMAINC_BOUND
    (NaN, +-inf, +-0, subnormals and the rest of the corpus stay)."""
    out = []
    for sample in binary_samples(dtype):
        arrays_ = [a for a in sample.args if isinstance(a, np.ndarray)]
        if len(arrays_) == 2 and arrays_[0].shape == arrays_[1].shape and arrays_[0].ndim == 1:
            a, x = arrays_
            keep = ~np.any([np.isfinite(v) & (np.abs(v) > GAMMAINC_BOUND) for v in (a, x)], axis=0)
            sample = Sample((a[keep], x[keep]), sample.kwargs, note=sample.note)
        out.append(sample)
    return out


def _gammainc_strategy(dtype):
    return binary_strategy(dtype, lo=-GAMMAINC_BOUND, hi=GAMMAINC_BOUND)


# --------------------------------------------------------------------------- polygamma
POLYGAMMA_ORDERS = (0, 1, 2, 3)


def _polygamma_samples(dtype) -> list[Sample]:
    """Every special value at each order n (a Python int, as torch requires), and broadcasting."""
    dt = np.dtype(dtype)
    o = ordinary_values(dt).reshape(3, 4)
    return [Sample((n, special_values(dt)), note=f"n={n}, special values") for n in POLYGAMMA_ORDERS] + [
        Sample((1, o), note="2-D"),
        *(Sample((n, np.array([-0.5, -2.25, -9.5, -100.5], dtype=dt)), note=f"n={n}, negative non-integers")
          for n in POLYGAMMA_ORDERS),
        Sample((2, np.array(o[0, 0])), note="0-d"),
        Sample((1, np.empty((0,), dtype=dt)), note="empty"),
    ]


@st.composite
def _polygamma_strategy(draw, dtype):
    """Generated x within [-1e4, 1e4]: torch's polygamma(n >= 2, x) takes time proportional to |x| for large negative
    x (4.8 s at -2.2e7, so a drawn -1e15 never returns); the fixed samples keep the extremes, NaN and inf."""
    return Sample((draw(st.sampled_from(POLYGAMMA_ORDERS)), draw(arrays(dtype, lo=-1e4, hi=1e4))))


def _torch_polygamma(torch, n, x):
    return torch.special.polygamma(n, x)


# --------------------------------------------------------------------------- multigammaln
def _multigammaln_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    specials = special_values(dt)
    samples = []
    for d in (1, 2, 3):
        valid = specials[~(specials <= (d - 1) / 2)]  # keeps NaN, which SciPy's check lets through
        samples.append(Sample((valid, d), note=f"d={d}, special values above (d - 1) / 2"))
    samples += [
        Sample((np.abs(ordinary_values(dt)).reshape(3, 4) + 2, 3), note="2-D"),
        Sample((np.array(2.5, dtype=dt), 4), note="0-d"),
        Sample((np.array([1.0, 0.5], dtype=dt), 2), note="an element at (d - 1) / 2: SciPy raises"),
    ]
    return samples


@st.composite
def _multigammaln_strategy(draw, dtype):
    d = draw(st.integers(1, 5))
    return Sample((draw(arrays(dtype, lo=(d - 1) / 2 + 0.5, hi=1e6)), d))


# --------------------------------------------------------------------------- softmax
def _torch_softmax(fname):
    """``torch.special.softmax(x, dim)``: dim is required and one int; SciPy's axis=None is the
    flattened array (reshaped back)."""

    def call(torch, x, axis=None):
        f = getattr(torch.special, fname)
        if axis is None:
            return f(x.reshape(-1), dim=0).reshape(x.shape)
        return f(x, dim=axis)

    call.__name__ = f"torch.special.{fname}"
    return call


def _softmax_samples(dtype):
    dt = np.dtype(dtype)
    return reduction_samples(dt, keepdims=False) + [
        Sample((np.array([1000.0, 1000.0, -np.inf], dtype=dt),), note="large: needs the max shift"),
        Sample((np.array([-np.inf, -np.inf], dtype=dt),), note="all -inf"),
        Sample((np.empty((2, 0), dtype=dt),), {"axis": (0, 1)}, note="empty, tuple axis"),
    ]


def _softmax_strategy(dtype):
    return reduction_strategy(dtype, keepdims=False)


TORCH_SOFTMAX = (
    Expected("torch", "error", match="must be int, not tuple",
             reason="torch.special.softmax/log_softmax take one int dim; a tuple of axes raises TypeError where SciPy "
                    "normalises over all of them together."),
    Expected("torch", "accepts",
             reason="On an empty input SciPy raises ValueError (it takes the maximum of a zero-size array for its "
                    "shift); torch returns an empty result."),
    Expected("torch", "error-type", match="reference raised ValueError, implementation raised TypeError",
             reason="Empty input with a tuple of axes: SciPy raises ValueError (zero-size maximum), torch TypeError "
                    "(tuple dim)."),
    Expected("jax", "accepts",
             reason="On an empty input SciPy raises ValueError (it takes the maximum of a zero-size array for its "
                    "shift); jax.scipy.special returns an empty result."),
)


# --------------------------------------------------------------------------- expected divergences


def _jax(category, reason, *, ftz=False, dtypes=None, link=None, where=None, max_ulp=None) -> Expected:
    """A JAX divergence; ``ftz``: caused at least in part by XLA's flushing of subnormals (``reason`` says how;
    a value divergence is then bounded to subnormal inputs or results, unless ``where`` says otherwise)."""
    return Expected("jax", category, dtypes=dtypes, link=link or (JAX_FTZ_LINK if ftz else None), max_ulp=max_ulp,
                    where=where or (subnormal_involved if ftz and category == "value" else None),
                    reason=f"{JAX_FTZ}: {reason}" if ftz else reason)


def _loop_order(*backends) -> Expected:
    return Expected(backends, "dtype", dtypes=("float32",), reason=SCIPY_LOOP_ORDER)


def _torch_tensor_only(fname):
    return Expected("torch", "error", surface="native", link=TORCH_SCALARS_LINK, match="must be Tensor",
                    reason=f"torch.special.{fname} takes only tensors: a Python scalar operand raises TypeError, "
                           "where SciPy's ufunc accepts it.")


TORCH_GAMMAINC_NAN = Expected(
    "torch", "special-value", link="https://github.com/pytorch/pytorch/issues/132614",
    reason="torch's regularized incomplete gamma returns finite results for some NaN arguments (a = NaN with x = 0 "
           "or inf; a = inf with x = NaN) where SciPy returns NaN.")

JAX_GAMMAINC = (
    _jax("value", max_ulp=2.0**17,
         reason="JAX's regularized incomplete gamma functions are accurate to a few tens of ulp for moderate "
                "arguments (46 in float32, 28 in float64 at gammainc(10, 1)), to 2.5e3 at a = x = 1000 (float32) and "
                "592 for results near 1e-164, 4.4e4 near 1.5e-307 (gammainc(9784, 6530)), measured."),
    _jax("special-value", ftz=True,
         reason="the regularized incomplete gamma functions at a = 0 (or a subnormal a, taken as 0) are NaN in JAX; "
                "SciPy returns the limit (P(0, x) = 1 and Q(0, x) = 0 for x > 0)."),
    _jax("value", ftz=True,
         reason="a subnormal x is taken as 0 (gammainc(0.1, 1.4e-45) is 0, SciPy 3.4e-5), and for the smallest "
                "normal a (1.2e-38, 2.2e-308) JAX returns P = 0 and Q = 1 where SciPy gives "
                "P ~ 1 and Q ~ a E1(x)."),
)


def _zeta_terms_underflow(sample, ref, impl):
    """q**-x, the first term of Hurwitz zeta's series, is below 2**24 times the smallest normal number"""
    x, q = (np.asarray(a, dtype=np.float64) for a in sample.args[:2])
    tiny = float(np.finfo(np.asarray(ref).dtype).smallest_normal)
    with np.errstate(all="ignore"):
        return np.power(np.abs(q), -x) < tiny * 2.0**24


# --------------------------------------------------------------------------- entries
OPS = [
    # ---- error function and the normal distribution
    unary("erf"),
    unary("erfc"),
    unary("erfinv", expected=(
        Expected("torch", "special-value", reason="erfinv(-0.0): torch returns -0.0 (erfinv is odd), SciPy +0.0."),
        _jax("special-value", "erfinv(-0.0): JAX returns -0.0 (erfinv is odd), SciPy +0.0."),
    )),
    unary("erfcx", expected=(
        *(beyond_standard("jax", category, "Complex arguments: jax.scipy.special.erfcx of a complex number differs "
                          "from SciPy's Faddeeva-based one by a few ulp, and gives a zero imaginary part the other "
                          "sign.",
                          dtypes=("complex64", "complex128"), max_ulp=2048.0 if category == "value" else None)
          for category in ("value", "special-value")),
        _jax("value", ftz=True, dtypes=("float32",), where=either(subnormal_involved, input_above(9.0)),
             reason="float32 erfcx(x) for x in about (9.2, 9.4) is 0 (SciPy 0.06): JAX evaluates exp(x**2) * erfc(x) "
                    "there, and erfc(x) ~ 4e-39 is subnormal, so it is flushed to zero."),
    )),
    unary("ndtr", expected=(
        Expected("torch", "value", where=input_below(0.0),
                 reason="In the left tail torch computes ndtr(x) as (1 + erf(x/sqrt 2))/2, which cancels: 31 ulp at "
                        "x = -2.5 and 0 for x < -6 (float64: ndtr(-8.375) = 2.8e-17, torch 0)."),
        _jax("value", where=input_below(0.0), dtypes=("float32",),
             reason="float32 ndtr in the left tail loses up to 30 ulp (ndtr(-7.25)), measured."),
    )),
    unary("ndtri", expected=(
        _jax("special-value", ftz=True,
             reason="ndtri(p) of a positive subnormal p is -inf (SciPy: the finite quantile, -38.5 for 5e-324) and "
                    "of a negative subnormal -inf (SciPy: NaN, outside [0, 1])."),
    )),
    unary("log_ndtr", expected=(
        _jax("value", where=input_above(0.0),
             reason="log_ndtr(x) for x > 0 is computed as log(ndtr(x)) with ndtr(x) rounded first: in float32 241 "
                    "ulp at x = 3, 4% off at x = 5 (-2.98e-7, SciPy -2.87e-7); in float64 2.5e5 ulp at x = 4.75."),
        Expected(("torch", "jax"), "value", max_ulp=256,
                 reason="log_ndtr in the right tail (x > 3), where the result is -ndtr(-x) and tiny: torch 59 ulp "
                        "(float32) and 27 (float64), JAX 47 in float64, measured on the corpus."),
    )),
    # ---- gamma family
    unary("gamma", ulps={"float32": 64.0}, expected=(
        beyond_standard("jax", "special-value", "Complex arguments: jax.scipy.special.gamma is defined for reals and "
                        "returns nan+nanj where SciPy's complex gamma returns a number (0j at the poles' limit).",
                        dtypes=("complex64", "complex128")),
        beyond_standard("jax", "value", "Complex arguments: jax.scipy.special.gamma's complex results are up to 523 "
                        "ulp from SciPy's (gamma(10j)).", max_ulp=1024.0, dtypes=("complex64", "complex128")),
        beyond_standard("jax", "value", "Complex arguments next to a pole: jax.scipy.special.gamma(-1 + 2e-16j) is "
                        "-0.42+...j where SciPy's complex gamma is -0.83+4.5e15j (1.5e15 ulp).",
                        dtypes=("complex64", "complex128"), where=near_pole(1e-3)),
        beyond_standard("jax", "value", "Large integer arguments (gamma(170) of an int64): jax.scipy.special.gamma "
                        "loses accuracy near float64's overflow, up to 2.4e3 ulp.", max_ulp=4096.0,
                        where=integer_inputs),
        _jax("value", max_ulp=2048.0, dtypes=("float64",),
             reason="jax.scipy.special.gamma loses accuracy at large results and near the poles: 445 ulp in float64 "
                    "(gamma(1e-263)), 48 in float32, measured."),
        _jax("special-value", ftz=True, dtypes=("float32",),
             reason="gamma of a float32 subnormal is +-inf (gamma(0)); SciPy, computing in double, returns the "
                    "finite 1/x (1.7e38 for 5.9e-39)."),
    )),
    unary("gammaln", expected=(
        Expected("torch", "special-value", link="https://github.com/scipy/scipy/issues/13399",
                 reason="gammaln(-inf): torch follows C99 lgamma (+inf), SciPy returns -inf; and in float64 SciPy "
                        "returns inf for the smallest subnormal (it overflows gamma first), torch the finite "
                        "-log(x) = 744.44."),
        _jax("value", where=result_below(1e-2),
             reason="Near the zeros of gammaln (x = 1 and 2) JAX's float32 error is absolute, about one float32 eps "
                    "(gammaln(1) = 4.8e-7, SciPy 0), so the relative error there is unbounded."),
        _jax("value", max_ulp=2048.0,
             reason="jax.scipy.special.gammaln for negative arguments: 416 ulp at -2.75 in float64, measured."),
        _jax("special-value", link="https://github.com/jax-ml/jax/issues/38264",
             reason="gammaln(-inf): JAX returns +inf (C99 lgamma), SciPy -inf; and float32 subnormals give inf, as "
                    "XLA on CPU treats subnormal inputs as zero (SciPy: the finite -log(x), 103.3 for 1.4e-45)."),
    )),
    unary("digamma", expected=(
        _jax("value", max_ulp=512.0, reason="jax.scipy.special.digamma is accurate to about 100 ulp near its zeros "
                                            "(115 at -0.5 in float64), measured."),
        Expected("torch", "value", max_ulp=256,
                 reason="torch's digamma loses relative accuracy near its zeros (x = 1.4616, -0.5, -1.5708): up to "
                        "84 ulp measured (SciPy evaluates around the roots with their own series)."),
        _jax("special-value", ftz=True,
             reason="digamma(+-0.0) is NaN in JAX, where SciPy returns -inf for +0.0 and +inf for -0.0 (the pole's "
                    "one-sided limits), and subnormal inputs, taken as zero, give NaN too."),
    )),
    _special(unary_op, "polygamma", ("float64",), samples=_polygamma_samples, strategy=_polygamma_strategy,
             spellings={"torch": _torch_polygamma},
             doc="float64 only: SciPy's polygamma is a Python function that computes in float64 whatever the input "
                 "(float32 in, float64 out), so a float32 case would compare float64 values, overflows included, "
                 "with float32 ones.",
             expected=(
                 _jax("value", max_ulp=512.0,
                      reason="polygamma(0, x) is JAX's digamma: 115 ulp at -0.5 in float64, measured."),
                 _jax("value", link="https://github.com/jax-ml/jax/issues/11481", where=input_below(-1.0, arg=1),
                      reason="polygamma(n >= 1, x) for negative non-integer x below about -9 is far off (polygamma(1, "
                             "-9.5) is -2.9e12, SciPy 9.77): XLA evaluates Hurwitz zeta by an Euler-Maclaurin series "
                             "that does not converge for negative arguments, with no reflection formula."),
                 Expected("torch", "value", max_ulp=2.0**23,
                          reason="torch's polygamma(n, x) is accurate to about 5e-10 relative (polygamma(1, 1) = "
                                 "1.6449340676, pi**2/6 = 1.6449340668): up to 3.6e6 ulp in float64, measured."),
                 Expected("torch", "special-value",
                          reason="At the poles (negative integers) torch's polygamma(1, x) returns a large finite "
                                 "value (6.6e32 at -1) where SciPy returns inf, and at +-inf torch returns NaN where "
                                 "SciPy returns the limit (0 for x = +inf, inf for n = 1 at -inf)."),
                 _jax("special-value", ftz=True,
                      reason="polygamma(n, x) at x = +-0.0 (and subnormal x, taken as zero) is NaN in JAX, where "
                             "SciPy returns the pole's signed infinity, and polygamma(n >= 1, +inf) is NaN where "
                             "SciPy returns the limit 0."),
             )),
    binary("gammainc", samples=_gammainc_samples, strategy=_gammainc_strategy, expected=(
        _torch_tensor_only("gammainc"), TORCH_GAMMAINC_NAN, _loop_order("jax"), *JAX_GAMMAINC,
        Expected("torch", "value", max_ulp=2.0**21,
                 reason="torch's gammainc for large equal arguments is accurate to about 1e-10 relative "
                        "(gammainc(1000, 1000): 0.50420524412, SciPy 0.50420524418; 5.3e5 ulp in float64), and "
                        "in float32 to 41 ulp for tiny results (gammainc(10, 0.1)), measured."),
        Expected("torch", "value", dtypes=("float32",), where=subnormal_involved,
                 reason="float32 gammainc(a, x) for a subnormal a (1.4e-45, 7.2e-43): torch returns 0, SciPy the "
                        "limit 1 (P(a, x) -> 1 as a -> 0 for x > 0)."),
    )),
    binary("gammaincc", samples=_gammainc_samples, strategy=_gammainc_strategy,
           expected=(_torch_tensor_only("gammaincc"), TORCH_GAMMAINC_NAN, _loop_order("jax"), *JAX_GAMMAINC,
                     beyond_standard("jax", "value", "Integer arguments computed in float32 by jax.scipy (NumPy: "
                                     "float32 for 16-bit, float64 for wider): gammaincc(65535, x) is 1.4e5 ulp off.",
                                     max_ulp=2.0**18, where=integer_inputs),
                     Expected(("torch", "jax"), "value", where=magnitude_below(1e-3, arg=0),
                              reason="torch's gammaincc(a, x) for a tiny a is far off: gammaincc(1.5e-123, 0.125) = "
                                     "3.3e-123, SciPy 2.5e-123 (35%); 1.2e6 ulp in float32 at a = 3.6e-15; JAX "
                                     "returns a negative number (gammaincc(2.2e-16, 0.5) = -2.8e-14)."),
                     Expected("torch", "value", max_ulp=2.0**21,
                              reason="Elsewhere torch's gammaincc is accurate to a few hundred ulp (144 at "
                                     "(0.5, 1.0) in float64), to 1e-10 relative at a = x = 1000 (1.05e6 ulp), "
                                     "measured."))),
    binary("betaln", expected=(
        _loop_order("jax"),
        _jax("value", max_ulp=2.0**31,
             reason="JAX's betaln is accurate to about 2e-7 relative in float64 (9.3e8 ulp at betaln(1, 10)) and 23 "
                    "ulp in float32, measured."),
        _jax("value", where=either(input_below(0.0, arg=0), input_below(0.0, arg=1), result_below(1e-3),
                                   input_above(1e30, arg=0), input_above(1e30, arg=1)),
             reason="JAX's betaln is wrong for negative non-integer arguments (betaln(10, -9.75) = 4952.9, SciPy "
                    "-1.514), for huge ones (betaln(1, 1.8e308) = -708.78, SciPy -709.78) and has an absolute error "
                    "near its zeros (betaln(1, 1) = 9.5e-7 in float32, SciPy 0)."),
        _jax("special-value", reason="betaln(0, 0) is NaN in JAX, inf in SciPy (B(a, b) has a pole at a = 0)."),
    )),
    binary("zeta", expected=(
        beyond_standard("jax", "value", "A float32 with a uint64 operand: jax.numpy computes the mix in float32 (its "
                        "promotion), where a tiny zeta underflows to 0 (5.4e-20 in NumPy's float64).",
                        max_ulp=2.0**24, where=mixed_operands, domain="beyond"),
        beyond_standard("jax", "value", "Integer arguments computed in float32 by jax.scipy (32-bit and narrower) "
                        "or float64: zeta(6, 8388609) underflows in float32 (1.3e7 ulp), zeta(155, 81) is 123 ulp off.",
                        max_ulp=2.0**24, where=integer_inputs),
        Expected("torch", "value", where=input_above(1e30, arg=1), dtypes=("float64",),
                 reason="Hurwitz zeta(x, q) for a huge q (4e57, 1e268): torch returns 0 where the value is still "
                        "normal (6.7e-304, 1.9e-134): q**-x underflows before it is summed."),
        Expected("torch", "special-value", link="https://github.com/pytorch/pytorch/issues/187294",
                 reason="Hurwitz zeta(x, q) for q = +inf (or x and q both huge): torch returns NaN, SciPy the limit "
                        "0."),
        _jax("value", where=_zeta_terms_underflow,
             reason="Hurwitz zeta(x, q) where the series' terms q**-x underflow (q = 1.7e5, x = 7.375 in float32; "
                    "q = 1.8e308): JAX returns 0 where the value is normal (7e-35, 1.5e-154)."),
        _jax("value", where=input_below(0.0, arg=1),
             reason="Hurwitz zeta(x, q) for a negative non-integer q (zeta(10, -9.75)): JAX returns a huge value of "
                    "the wrong sign (-7.4e30; SciPy 1.05e6)."),
        _jax("special-value", link="https://github.com/jax-ml/jax/issues/38637",
             reason="zeta(0, 0) is inf in JAX, NaN in SciPy (x < 1 is outside the domain SciPy defines for q != 1); "
                    "zeta(x, +inf) is NaN in JAX where SciPy returns the limit 0."),
    )),
    # ---- logistic and information theory
    unary("expit"),
    unary("logit", expected=(
        _jax("special-value", ftz=True,
             reason="logit(p) of a subnormal p is -inf (SciPy: the finite log(p), -744.4 for 5e-324)."),
    )),
    unary("entr", expected=(
        _jax("special-value", reason="entr(-0.0) is -0.0 in JAX (-x log x), +0.0 in SciPy (entr(0) = 0)."),
    )),
    binary("rel_entr", expected=(
        beyond_standard("jax", "value", "A float32 with a 0-d float64: jax.scipy.special.rel_entr's result is "
                        "float64 but only float32-accurate (1.9e8 ulp of float64 near x = y).", max_ulp=2.0**29,
                        where=mixed_operands, domain="beyond"),
        beyond_standard("jax", "value", "Integer arguments: jax.scipy.special.rel_entr computes 8- and 16-bit "
                        "integers in float32 and rounds x / y first, 592 ulp at rel_entr(127, 126).", max_ulp=1024.0,
                        where=integer_inputs),
        _jax("value", max_ulp=512.0,
             reason="jax.scipy.special.rel_entr(x, y) = x log(x / y) rounds x / y first: 70 ulp near x = y "
                    "(rel_entr(10, 9.625) in float64), measured."),
        _jax("special-value", reason="rel_entr(0, NaN) is inf in JAX, NaN in SciPy (a NaN operand propagates)."),
    )),
    binary("xlogy", expected=(
        _loop_order("torch", "jax"),
        _jax("special-value", ftz=True, reason="xlogy(x, y) for a subnormal y is -inf (SciPy: x log y, finite)."),
    )),
    binary("xlog1py", expected=(
        _loop_order("torch", "jax"),
        _jax("value", ftz=True,
             reason="xlog1py(x, y) for a subnormal y is 0 where x y is not (x = float max: SciPy 2.4e-4)."),
        _jax("special-value", ftz=True, reason="xlog1py(inf, y) for a subnormal y is NaN (inf * 0), SciPy inf."),
    )),
    # ---- Bessel functions
    unary("i0e"),
    unary("i1", expected=(
        _jax("special-value", reason="i1(-0.0) is -0.0 in JAX (i1 is odd), +0.0 in SciPy."),
        beyond_standard("torch", "special-value", "torch's float32 i1 overflows to inf for |x| near 89 (integer "
                        "inputs compute in float32), where the result (1.4e38 at x = 89) is finite and SciPy's, in "
                        "float32 or float64, is too.",
                        where=magnitude_above(88.0)),
    )),
    unary("i1e", expected=(_jax("special-value", reason="i1e(-0.0) is -0.0 in JAX (i1e is odd), +0.0 in SciPy."),)),
    # ---- NumPy's own special functions
    unary_op("i0", FLOAT, family="special", ulps=SPECIAL_ULPS),
    unary_op("sinc", FLOAT, family="special", ulps=SPECIAL_ULPS, expected=(
        beyond_standard("jax", "special-value", "jnp.sinc of a complex infinity is 1+0j (its limit at 0 taken as the "
                        "value), NumPy's sin(pi z) / (pi z) is inf+nanj.", dtypes=("complex64", "complex128"),
                        match="NaN/inf"),
        beyond_standard(("torch", "jax"), "special-value", "sinc of a complex number with a zero imaginary part gives "
                        "the zero the opposite sign from NumPy's sin(pi z) / (pi z).",
                        dtypes=("complex64", "complex128"),
                        match="only in the sign of zero"),
    )),
    # ---- not elementwise
    op(
        name="special.multigammaln", family="special", ref=scipy.special.multigammaln,
        dtypes=FLOAT,
        samples=_multigammaln_samples, strategy=_multigammaln_strategy,
        spellings=_spellings("multigammaln"),
        doc="Multivariate log-gamma of dimension d (a Python int); SciPy raises ValueError unless every "
            "a > (d - 1) / 2.",
        expected=(
            beyond_standard("jax", "dtype", "Complex input: SciPy's multigammaln computes the real part in float64; "
                            "jax.scipy keeps complex64 input in float32.", dtypes=("complex64",),
                            dtype=("float64", "float32")),
            beyond_standard("jax", "error-type", "Complex input: SciPy raises ValueError, jax.scipy TypeError.",
                            dtypes=("complex64", "complex128"), match="implementation raised TypeError"),
            beyond_standard("torch", "error-type", "Complex input: SciPy raises ValueError (no complex multigammaln), "
                            "torch NotImplementedError (no complex kernel).", dtypes=("complex64", "complex128"),
                            match="implementation raised NotImplementedError"),
            beyond_standard("torch", "dtype", "Complex input: SciPy's multigammaln computes the real part in "
                            "float64; torch keeps complex64 input in float32.", dtypes=("complex64",),
                            dtype=("float64", "float32")),
            Expected("torch", "dtype", dtypes=("float32",),
                     reason="SciPy's multigammaln sums gammaln terms with a float64 constant, so float32 input gives a "
                            "float64 result; torch keeps float32."),
            Expected("torch", "accepts",
                     reason="With an element at or below (d - 1) / 2 SciPy raises ValueError; "
                            "torch.special.multigammaln does not check its domain and returns inf at (d - 1) / 2 "
                            "(a finite value below it)."),
            Expected("torch", "special-value", dtypes=("float64",), link="https://github.com/scipy/scipy/issues/13399",
                     reason="SciPy's gammaln returns inf for the smallest float64 subnormal (see special.gammaln), so "
                            "multigammaln(5e-324, 1) is inf there; torch gives the finite 744.44."),
            _jax("dtype", dtypes=("float32",),
                 reason="SciPy's multigammaln returns float64 for float32 input (see torch); JAX keeps float32."),
            _jax("accepts",
                 reason="With an element at or below (d - 1) / 2 SciPy raises ValueError; JAX does not check its "
                        "domain and returns inf (or a value) there."),
            _jax("special-value", ftz=True, dtypes=("float32",),
                 reason="multigammaln of a float32 subnormal is inf (gammaln(0)); SciPy, in float64, returns "
                        "-log(x) = 103.3 for 1.4e-45."),
        ),
    ),
    op(
        name="special.softmax", family="special", ref=scipy.special.softmax,
        dtypes=FLOAT,
        samples=_softmax_samples, strategy=_softmax_strategy,
        spellings=_spellings("softmax", torch=_torch_softmax("softmax")), expected=TORCH_SOFTMAX,
    ),
    op(
        name="special.log_softmax", family="special", ref=scipy.special.log_softmax,
        dtypes=FLOAT,
        samples=_softmax_samples, strategy=_softmax_strategy,
        spellings=_spellings("log_softmax", torch=_torch_softmax("log_softmax")), expected=TORCH_SOFTMAX,
    ),
]
