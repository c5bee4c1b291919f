"""Elementwise functions of the Array API standard, unary and binary, against NumPy's ufuncs.

Elementwise ops are where special values decide parity: every fixed sample
carries NaN, +-inf, +-0.0, subnormals and dtype extremes (binary ops: every
pair of them), so each entry is one line of spec built by ``unary_op`` /
``binary_op``, with every backend's expected divergences declared in it.
``dtypes`` are the dtypes the standard defines the op for, not all that NumPy
accepts. Inputs are restricted only where the standard leaves
the result unspecified and a difference would be a harness false alarm:
shift amounts outside ``[0, bits)``, negative integer exponents (one fixed
sample keeps NumPy's refusal visible).
"""

from __future__ import annotations

import numpy as np

from opinfo.declared import (
    JAX_BIG_INT,
    JAX_COMPLEX_ABS_LINK,
    JAX_COMPLEX_SQRT_LINK,
    JAX_FTZ_LINK,
    beyond_standard,
    jax_complex_special_values,
    jax_flushes_subnormals,
    torch_shell_uints,
    torch_tensor_only,
)
from opinfo.dtypes import ALL, BOOL, COMPLEX, FLOAT, INEXACT, INTEGER, NUMERIC, REAL, SIGNED, floating_extras
from opinfo.samples import (
    binary_samples,
    binary_strategy,
    ordinary_values,
    special_values,
    unary_samples,
    unary_strategy,
)
from opinfo.spec import Expected, OpInfo, Sample, op
from opinfo.where import (
    abs_overflows,
    divisor_zero,
    either,
    int_power_overflows,
    integer_inputs,
    magnitude_above,
    magnitude_below,
    mixed_operands,
    nan_operand,
    reciprocal_subnormal,
    result_below,
    zero_part,
)


# --------------------------------------------------------------------------- factories
def _entry(family, name, dtypes, samples, strategy, *, ref=None, torch=None, **kw) -> OpInfo:
    """An elementwise entry: a NumPy ufunc unless ``ref`` says otherwise, the extra dtypes of its
    floating dtypes, and ``torch``, the torch spelling, when ``spellings`` is not given."""
    kw.setdefault("extra_dtypes", floating_extras(dtypes))
    kw.setdefault("spellings", {"torch": torch} if torch else {})
    return op(name, family, ref or getattr(np, name), dtypes, samples, strategy, elementwise=True, **kw)


def unary_op(name, dtypes, *, family="elementwise-unary", samples=unary_samples, strategy=unary_strategy,
             **kw) -> OpInfo:
    return _entry(family, name, dtypes, samples, strategy, **kw)


def binary_op(name, dtypes, *, family="elementwise-binary", samples=binary_samples, strategy=binary_strategy,
              expected=(), **kw) -> OpInfo:
    """A binary elementwise entry. Its uint64 case also gets a Python int above the int64 range as
    either operand (valid under NEP 50 and the standard), which JAX cannot pass to a jitted computation."""
    if "uint64" in dtypes:
        samples, expected = _with_big_int(samples), (*expected, JAX_BIG_INT)
    return _entry(family, name, dtypes, samples, strategy, expected=expected, **kw)


def _with_big_int(samples):
    def with_big_int(dtype) -> list[Sample]:
        dt = np.dtype(dtype)
        if dt.name != "uint64":
            return samples(dt)
        o = ordinary_values(dt)
        return samples(dt) + [Sample((o, 2**64 - 2), note="Python int beyond int64 on the right"),
                              Sample((2**64 - 2, o), note="Python int beyond int64 on the left")]

    return with_big_int


# --------------------------------------------------------------------------- restricted domains
def _bits(dtype) -> int:
    return np.dtype(dtype).itemsize * 8


def _shift_amounts(dtype) -> np.ndarray:
    bits = _bits(dtype)
    return np.array(sorted({0, 1, 2, 3, bits // 2, bits - 2, bits - 1}), dtype=dtype)


def _pairs(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = (a.ravel() for a in np.meshgrid(xs, ys, indexing="ij"))
    return x, y


def _with_y(dtype, ys: np.ndarray, notes: str) -> list[Sample]:
    """Fixed binary samples whose second operand is drawn only from ``ys``."""
    dt = np.dtype(dtype)
    ordinary = ordinary_values(dt)
    return [
        Sample(_pairs(special_values(dt), ys), note=f"special values with {notes}"),
        Sample((ordinary[:3].reshape(3, 1), ys[:4].reshape(1, -1)), note="broadcasting"),
        Sample((ordinary, ys[1].item()), note="Python scalar on the right"),
        Sample((2, ys), note="Python scalar on the left"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty"),
        Sample((np.array(ordinary[0]), np.array(ys[2])), note="0-d"),
    ]


def _shift_samples(dtype) -> list[Sample]:
    return _with_y(dtype, _shift_amounts(dtype), "every shift amount class in [0, bits)")


def _shift_strategy(dtype):
    return binary_strategy(dtype, y={"lo": 0, "hi": _bits(dtype) - 1})


def _pow_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        tiny = float(np.finfo(dt).smallest_subnormal)
        return binary_samples(dt) + [Sample((np.array([0.0, 2.0], dtype=dt), -tiny), note="negative subnormal power")]
    if dt.kind not in "iu":
        return binary_samples(dt)
    exponents = np.array([0, 1, 2, 3, 7, _bits(dt) - 1, np.iinfo(dt).max], dtype=dt)
    samples = _with_y(dt, exponents, "non-negative exponents")
    if dt.kind == "i":
        samples.append(Sample((np.array([2, 1, -1], dtype=dt), np.array([-1, -2, -3], dtype=dt)),
                              note="negative integer exponents: NumPy raises"))
    return samples + [Sample((5, np.array(5, dtype=dt)), note="Python int base, 0-d exponent")]


def _pow_strategy(dtype):
    return binary_strategy(dtype, y={"lo": 0, "hi": 10}) if np.dtype(dtype).kind in "iu" else binary_strategy(dtype)


# --------------------------------------------------------------------------- expected divergences
TORCH_COMPLEX_ADD = "https://github.com/pytorch/pytorch/issues/82510"

#: torch's uint16/uint32/uint64 are shell dtypes: most CPU kernels are not compiled for them.
TORCH_UINT_SHELL = (torch_shell_uints(),)


def _zero_pair_samples(dtype) -> list[Sample]:
    """Binary samples plus 0-d zeros of opposite signs: torch's 0-d path for maximum/minimum
    returns the first of two equal zeros, its vectorised path (and NumPy) the second."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        return binary_samples(dt)
    return binary_samples(dt) + [Sample((np.array(0.0, dt), np.array(-0.0, dt)), note="0-d zeros of opposite sign")]


TORCH_ZERO_TIE = Expected(
    "torch", "special-value", dtypes=FLOAT, match="only in the sign of zero",
    reason="For two zeros of opposite sign NumPy returns the second argument; torch does so on its vectorised "
           "path but returns the first for 0-d tensors, so maximum(0.0, -0.0) is 0.0 there. The standard leaves "
           "the sign unspecified.")


def _torch_scalar_args(dtypes, which="either operand"):
    return torch_tensor_only(dtypes, which, standard=True)


def _torch_complex_add(op):
    return Expected("torch", "special-value", dtypes=COMPLEX, link=TORCH_COMPLEX_ADD,
                    reason=f"torch.{op} behaves as if the second operand were scaled by alpha=1 with a complex "
                           "product, so its parts mix: 0j and complex(nan, inf) give nan+nanj (NumPy: nan+/-infj), "
                           "and complex(-0.0, -0.0) + itself gives 0-0j (NumPy: -0-0j).")


#: Integer division by zero: NumPy returns 0 (with a RuntimeWarning), torch raises.
_TORCH_INT_DIV_ZERO = (
    Expected("torch", "error", match="ZeroDivisionError", dtypes=SIGNED + ("uint8",),
             reason="Integer division by zero raises RuntimeError('ZeroDivisionError') in torch; NumPy returns 0 "
                    "with a RuntimeWarning (the standard leaves the result unspecified)."),
    Expected("torch", "error", match="ZeroDivisionError", domain="beyond", where=divisor_zero,
             reason="Integer division by zero in a mix of dtypes (a 0-d uint16 with a uint8 array computes in "
                    "uint8): torch raises RuntimeError('ZeroDivisionError'), NumPy returns 0."),
)


_UINT = TORCH_UINT_SHELL
_EITHER = "either operand"
_FIRST = "the first operand"

def _large_argument_samples(dtype) -> list[Sample]:
    """Unary samples plus large (real parts of) arguments short of overflow, where the accuracy of
    sinh and cosh shows (exp(50) ~ 2.6e21); the dense corpus jumps from 28 to 512 there in float32."""
    big = np.array([30.0, -50.0, 50.0, 70.0, 88.0], dtype=dtype)
    return unary_samples(dtype) + [Sample((big,), note="large arguments below overflow")]



# --------------------------------------------------------------------------- jax (CPU, x64), shared wording
_C128 = ("complex128",)
_FTZ_C = "a subnormal imaginary part read as 0 moves the input onto the branch cut's other side"
_SIGNED_ZERO = "the signs of zero parts of the result are not those of C99 (and NumPy)"
_INF_NAN = ("an infinite part with a NaN in the other is not treated as an infinity (jnp.abs(nan+infj) is nan, "
            "C99 cabs gives inf), so log(nan+infj) is nan+nanj where NumPy gives inf+nanj")


def _jax_log(dtypes_value=_C128) -> tuple[Expected, ...]:
    return (jax_complex_special_values(_INF_NAN, JAX_COMPLEX_ABS_LINK),
            jax_flushes_subnormals("value", dtypes_value, what=_FTZ_C),
            jax_flushes_subnormals(what="log(subnormal) is -inf"))


def _torch_float32_overflow(name) -> Expected:
    return beyond_standard("torch", "special-value", where=magnitude_above(88.7), dtypes=("int16", "int32", "int64"),
                           reason=f"torch's float32 {name} overflows to inf for |x| in (88.7, 89.4], where the result "
                                  f"(up to 3.2e38) is finite and NumPy returns it ({name}(89) of an int16 input, "
                                  "computed in float32 by both; wider integers NumPy computes in float64).")


#: jax.numpy on complex numbers NumPy orders lexicographically (functions the standard defines for reals only).
JAX_COMPLEX_COMPARE = beyond_standard(
    "jax", "value", "Comparing complex numbers with a NaN part: NumPy's comparisons are False, jax.numpy's "
    "lexicographic comparison answers from the other part ((0+0j) > (-1+nanj) is True).", where=nan_operand)
JAX_COMPLEX_EXTREMA = beyond_standard(
    "jax", "special-value", "Complex maximum, minimum, fmax and fmin with a NaN part or equal zeros: jax.numpy picks "
    "another operand than NumPy (fmax(0+nanj, -1+0j) is 0+nanj in jax, -1+0j in NumPy; maximum(0j, -0j) keeps the "
    "other zero).", where=either(nan_operand, zero_part))


def _jax_signed_zero(name) -> Expected:
    return jax_complex_special_values(_SIGNED_ZERO + f": e.g. {name} at a complex zero")


def _jax_large_argument(name) -> Expected:
    return Expected("jax", "value", max_ulp=64.0, domain="any",
                    reason=f"jnp.{name} loses accuracy for a large (real part of the) argument: {name}(70) is 25 ulp "
                           "away from NumPy's in float32 and 9 ulp in float64 ({name}(30)), measured.")


def _jax_int64_large(name) -> Expected:
    return beyond_standard("jax", "value", f"jnp.{name} of a large int64 (computed in float64): {name}(512) is 265 ulp "
                           "from NumPy's.", max_ulp=512.0, where=integer_inputs)


def _jax_ulps(name, measured: str, max_ulp: float = 64.0) -> Expected:
    return Expected("jax", "value", dtypes=("float64",), max_ulp=max_ulp,
                    reason=f"XLA's float64 {name} is less accurate than glibc's (1-2 ulp): {measured}, measured.")


def _jax_branch_cut(name) -> tuple[Expected, ...]:
    return (_jax_signed_zero(name),
            jax_complex_special_values("the sign of a zero part does not pick the side of the branch cut "
                                       "(the result lands on the other side)", category="value", where=zero_part))


def _jax_zero_tie(name) -> Expected:
    return Expected("jax", "special-value", dtypes=FLOAT,
                    reason=f"{name} of two zeros of opposite sign returns a different zero from NumPy's "
                           f"({name}(0.0, -0.0) and {name}(-0.0, 0.0)); the standard leaves the sign unspecified.")


#: jnp.power of complex numbers is exp(y log x); shared by pow and float_power
JAX_COMPLEX_POW = (
    Expected("jax", "value", dtypes=COMPLEX, max_ulp=2.0**14,
             reason="jnp.power of complex numbers is exp(y log x), which loses accuracy for large exponents: 112 ulp "
                    "at (-1e-10j) ** (10+2j), 1.1e3 ulp in complex64 near -1, measured."),
    jax_complex_special_values("the sign of a zero part of the base does not pick the side of log's branch cut "
                               "(2.5e6 ulp at (pi-0j) ** z in complex64)", category="value", where=zero_part),
    Expected("jax", "value", dtypes=COMPLEX, where=result_below(1e-290),
             reason="jnp.power of complex numbers is exp(y log x): for results near the bottom of the normal range "
                    "(2.7e-306) an intermediate is subnormal and XLA on CPU flushes it, giving 0."),
)


def _jax_compares_subnormal(name) -> Expected:
    return jax_flushes_subnormals("value", FLOAT + (COMPLEX if name in ("equal", "not_equal") else ()),
                                  what="a subnormal compares equal to 0")


OPS = [
    # ---- unary: arithmetic
    unary_op("abs", NUMERIC, expected=_UINT + (
        jax_complex_special_values("abs(nan+infj) is nan, C99 cabs (and NumPy) give inf", JAX_COMPLEX_ABS_LINK),
    )),
    unary_op("negative", NUMERIC, expected=_UINT + (
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="torch's vectorized complex negation loses the sign of zero parts: on arrays long enough "
                        "for the SIMD path -(0+0j) is 0+0j, NumPy -0-0j (one-element arrays are right)."),
    )),
    unary_op("positive", NUMERIC),
    unary_op("square", NUMERIC, expected=_UINT + (
        beyond_standard("torch", "dtype", "torch squares a bool tensor into int64 (NumPy: int8).",
                        dtype=("int8", "int64")),
        Expected("torch", "special-value", dtypes=COMPLEX, match="elements differ in NaN/inf",
                 reason="torch squares a complex number with the textbook formula (a*a - b*b, 2*a*b): with an "
                        "infinite part or an overflowing product the real part is inf - inf = NaN, where NumPy "
                        "(C99 Annex G) returns an infinity: (max+infj)**2 is -inf+infj in NumPy, nan+infj in "
                        "torch."),
        jax_flushes_subnormals(dtypes=("complex64", "complex128"), what="(0+tiny*j)**2 has real part -0.0, NumPy 0.0"),
    )),
    unary_op("sqrt", INEXACT, expected=(
        jax_complex_special_values("sqrt(0-0j) is 0+0j (C99: 0-0j)", JAX_COMPLEX_SQRT_LINK),
        jax_complex_special_values("the sign of a zero imaginary part does not pick the side of the branch cut: "
                                   "sqrt(-1-0j) is +1j (NumPy -1j)", JAX_COMPLEX_SQRT_LINK, category="value",
                                   where=zero_part),
        jax_flushes_subnormals(what="sqrt(-subnormal) is -0.0, NumPy NaN"),
    )),
    unary_op("reciprocal", INEXACT, expected=(
        beyond_standard(("torch", "jax"), "dtype", "reciprocal of integers or bools computes in a float (float32 "
                        "for these inputs); NumPy keeps the integer dtype (int8 for bool) and truncates.",
                        dtype=(r"u?int\d+", "float(32|64)")),
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="Reciprocal of a complex zero: torch gives inf+nanj (an infinity), NumPy nan+nanj."),
        jax_complex_special_values("1 / (0+0j) is inf+nanj where NumPy gives nan+nanj"),
        jax_flushes_subnormals(dtypes=("float32",), what="1 / subnormal is inf"),
    )),
    unary_op("sign", NUMERIC, expected=_UINT + (
        Expected("torch", "special-value", dtypes=FLOAT, surface="native",
                 link="https://github.com/pytorch/pytorch/issues/41245",
                 reason="torch.sign(NaN) is 0; NumPy and the Array API standard give NaN."),
        Expected("torch", "error", match=r"torch\.sign is not intended to support complex",
                 dtypes=COMPLEX, surface="native",
                 reason="torch.sign refuses complex input ('use torch.sgn'); NumPy 2 and the standard define "
                        "sign(z) = z / |z|."),
        Expected("array_api_strict", "special-value", dtypes=COMPLEX,
                 link="https://github.com/data-apis/array-api-strict/issues/166",
                 reason="array_api_strict returns a complex zero itself, so sign(0-0j) is 0-0j; the standard and "
                        "NumPy give 0+0j for any complex zero."),
        Expected(("array_api_strict", "jax"), "value", dtypes=COMPLEX, where=abs_overflows,
                 reason="array_api_strict and jax.numpy compute z / abs(z), and abs overflows to inf when both parts "
                        "are near the dtype's maximum, giving 0; NumPy gives 1j for max+maxj (neither is the unit "
                        "(1+1j)/sqrt(2))."),
        jax_complex_special_values("sign(0-0j) is 0-0j; NumPy and the standard give 0+0j"),
        jax_flushes_subnormals("value", ("complex64", "complex128"), what="sign(0+subnormal*j) is not 1j"),
        Expected("jax", "special-value", dtypes=("float32", "float64"),
                 reason="jnp.sign(-0.0) is -0.0; NumPy returns 0.0."),
        jax_flushes_subnormals("value", what="sign(subnormal) is 0, NumPy +-1"),
    )),
    unary_op("signbit", FLOAT),
    # ---- unary: exponentials and logarithms
    unary_op("exp", INEXACT, expected=(
        jax_complex_special_values(_SIGNED_ZERO + ": exp(0-0j) is 1+0j (NumPy 1-0j)"),
    )),
    unary_op("expm1", INEXACT, expected=(
        jax_complex_special_values(_SIGNED_ZERO + ": expm1(0-0j) is 0+0j (NumPy 0-0j)"),
    )),
    unary_op("log", INEXACT, expected=_jax_log()),
    unary_op("log1p", INEXACT, ulps={"complex64": 16.0, "complex128": 16.0}, expected=(
        Expected(("torch", "jax"), "value", dtypes=COMPLEX, where=magnitude_below(1e-4, part="abs"),
                 reason="NumPy is the inaccurate side: its complex log1p(z) is log(1 + z) for small |z| too, so "
                        "log1p(-1e-10+0j) is 0j in complex64 (torch and JAX: -1e-10). The complex allowance is 16 "
                        "ulp: 5.6 measured at 0.1j and 9 at 0.1+0.1j in complex64."),
        _jax_ulps("log1p", "16 ulp at -0.375"),
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="log1p(complex(-0.0, 0.0)): torch returns -0+0j, NumPy 0j (log of 1 + z = 1 is +0)."),
        *_jax_log()[:2],
    )),
    unary_op("log2", INEXACT, expected=_jax_log()),
    unary_op("log10", INEXACT, expected=_jax_log()),
    # ---- unary: trigonometric and hyperbolic
    unary_op("sin", INEXACT, expected=(_jax_signed_zero("sin"),)),
    unary_op("cos", INEXACT, expected=(_jax_signed_zero("cos"),)),
    unary_op("tan", INEXACT, expected=(_jax_signed_zero("tan"),)),
    unary_op("asin", INEXACT, expected=_jax_branch_cut("asin")),
    unary_op("acos", INEXACT, expected=(
        Expected("torch", "value", dtypes=("complex128",), where=magnitude_below(1e-6, part="imag"),
                 reason="acos(1 + yj) for a tiny y loses the real part, which is about sqrt(|y|): 4.3e4 ulp at "
                        "y = -1e-10, and 0 for y = 2.2e-308 (NumPy and C99 cacos 1.5e-154)."),
        Expected("torch", "special-value", dtypes=("complex128",),
                 reason="acos(0j) in complex128: torch returns pi/2+0j, NumPy and C99 cacos pi/2-0j "
                        "(complex64 agrees with NumPy)."),
        *_jax_branch_cut("acos"),
    )),
    unary_op("atan", INEXACT, expected=_jax_branch_cut("atan")),
    unary_op("sinh", INEXACT, samples=_large_argument_samples,
             expected=(_jax_signed_zero("sinh"), _jax_large_argument("sinh"), _torch_float32_overflow("sinh"),
                       _jax_int64_large("sinh"),
                       jax_complex_special_values("(exp(z) - exp(-z)) / 2 cancels for a small |z|: 6.4e8 ulp at "
                                                  "-1e-10+0j and -1e-10+pi j, 1.5e4 at 1e-5 in complex64 (a small "
                                                  "real part)", category="value",
                                                  where=magnitude_below(1e-2, part="real")))),
    unary_op("cosh", INEXACT, samples=_large_argument_samples,
             expected=(_jax_signed_zero("cosh"), _jax_large_argument("cosh"), _torch_float32_overflow("cosh"),
                       _jax_int64_large("cosh"))),
    unary_op("tanh", INEXACT, expected=(_jax_signed_zero("tanh"),)),
    unary_op("asinh", INEXACT, expected=_jax_branch_cut("asinh")),
    unary_op("acosh", INEXACT, expected=_jax_branch_cut("acosh")),
    unary_op("atanh", INEXACT, expected=(*_jax_branch_cut("atanh"), _jax_ulps("atanh", "8 ulp at -0.375"))),
    # ---- unary: rounding
    unary_op("floor", REAL, expected=(jax_flushes_subnormals("value", what="floor(-subnormal) is -0.0, NumPy -1"),)),
    unary_op("ceil", REAL, expected=(jax_flushes_subnormals("value", what="ceil(subnormal) is 0, NumPy 1"),)),
    unary_op("trunc", REAL),
    unary_op("round", NUMERIC, expected=(
        Expected("torch", "error", match="not implemented for 'Complex", dtypes=COMPLEX, surface="native",
                 reason="torch.round has no complex kernel ('round_vml_cpu' not implemented for 'ComplexFloat'); "
                        "NumPy and the standard round real and imaginary parts."),
    )),
    # ---- unary: classification, logic, bits, complex parts
    unary_op("isnan", NUMERIC),
    unary_op("isinf", NUMERIC),
    unary_op("isfinite", NUMERIC),
    unary_op("logical_not", BOOL),
    unary_op("bitwise_invert", INTEGER + BOOL, torch="bitwise_not", expected=_UINT),
    unary_op("conj", NUMERIC, expected=(
        beyond_standard(("torch", "jax"), "dtype", "conj of a bool array is bool; NumPy's conjugate of bool is int8.",
                        dtype=("int8", "bool")),
    )),
    unary_op("real", NUMERIC),
    unary_op("imag", COMPLEX),
    # ---- binary: arithmetic
    binary_op("add", NUMERIC, expected=_UINT + (_torch_complex_add("add"),)),
    binary_op("subtract", NUMERIC, expected=_UINT + (
        _torch_complex_add("subtract"),
        beyond_standard("torch", "error", "torch refuses `-` with a bool tensor (RuntimeError: use ~ or "
                        "logical_not()); NumPy promotes bool with a number and subtracts.",
                        match="Subtraction, the `-` operator, with a bool tensor is not supported"),
    )),
    binary_op("multiply", NUMERIC, expected=(
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="torch multiplies complex numbers with the textbook formula and no C99 Annex G recovery: "
                        "an infinite operand or an overflowing product gives NaN parts where NumPy returns "
                        "infinities ((2+infj) * (10-maxj): NumPy inf+infj, torch inf+nanj), and a part that "
                        "underflows to zero can carry the other sign."),
        jax_flushes_subnormals("value", what="subnormal * 2**k is 0"),
        jax_flushes_subnormals(what="subnormal * inf is NaN (0 * inf)"),
        jax_complex_special_values("an infinite operand gives NaN parts where C99 recovers an infinity "
                                   "((max+infj) * (...) is nan+infj, NumPy -inf+infj)"),
    )),
    binary_op("divide", INEXACT, expected=(
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="torch and NumPy divide complex numbers with differently scaled algorithms, so a part "
                        "that is exactly zero or underflows carries a different sign: (-1e-10j) / (0.5+1e-45j) "
                        "is 0-2e-10j in NumPy, -0-2e-10j in torch."),
        jax_flushes_subnormals("value", dtypes=("float32",), what="subnormal / 2**-k is 0"),
        jax_flushes_subnormals(what="0 / subnormal is NaN (0 / 0)"),
        Expected("jax", "value", devices=("cpu",), where=reciprocal_subnormal, link=JAX_FTZ_LINK,
                 reason="XLA computes x / y as x * (1 / y), and for |y| above 1 / (smallest normal) the reciprocal is "
                        "subnormal and flushed to 0: 17 / 4.5e307 is 0 (NumPy 3.8e-307)."),
        jax_complex_special_values("a complex division by an operand with infinite or zero parts gives 0j "
                                   "where NumPy gives nan+nanj, and other special values differ"),
    )),
    binary_op("floor_divide", REAL, expected=_UINT + _TORCH_INT_DIV_ZERO + (
        Expected("jax", "value", where=divisor_zero, dtypes=INTEGER, link="https://github.com/jax-ml/jax/issues/11990",
                 reason="Integer floor division by zero returns XLA's unguarded quotient (-1 for 0 // 0, -2 "
                        "otherwise, wrapped around for unsigned dtypes); NumPy returns 0. The standard leaves it "
                        "implementation-defined."),
        Expected("jax", "special-value", dtypes=FLOAT, link=JAX_FTZ_LINK,
                 reason="A zero quotient does not get floor division's sign: floor_divide(-0.0, 1.0) is 0.0 and "
                        "floor_divide(-0.0, -1.0) is -0.0 (NumPy -0.0 and 0.0); and, as XLA on CPU reads a "
                        "subnormal divisor as 0, floor_divide(0.0, 5e-324) is NaN (NumPy 0.0)."),
        jax_flushes_subnormals("value", what="floor_divide(5e-324, -1.0) is -0.0, NumPy -1.0"),
        Expected("jax", "value", devices=("cpu",), where=reciprocal_subnormal, link=JAX_FTZ_LINK, domain="any",
                 reason="A divisor broadcast against the dividend ((n, 1) with (n,)): XLA then computes x / y as "
                        "x * (1 / y), and for |y| above 1 / (smallest normal) the reciprocal is subnormal and flushed "
                        "to 0, so -max // -max is 0 (NumPy 1; with operands of one shape jax gives 1 too)."),
    )),
    binary_op("remainder", REAL, expected=_UINT + _TORCH_INT_DIV_ZERO + (
        Expected("torch", "special-value", dtypes=FLOAT, link="https://github.com/pytorch/pytorch/issues/193755",
                 reason="A zero remainder keeps the dividend's sign in torch (remainder(0.0, -1.0) is 0.0); NumPy "
                        "and the standard give the divisor's sign (-0.0)."),
        Expected("jax", "special-value", dtypes=FLOAT,
                 reason="A zero remainder keeps the dividend's sign in jnp.remainder (remainder(0.0, -1.0) is 0.0); "
                        "NumPy and the standard give it the divisor's sign (-0.0)."),
        jax_flushes_subnormals("value", what="remainder(5e-324, -1.0) is 5e-324: the subnormal remainder compares "
                                             "equal to 0, so it is not moved to the divisor's sign (NumPy -1.0)"),
    )),
    binary_op("pow", NUMERIC, samples=_pow_samples, strategy=_pow_strategy,
              ulps={"complex64": 8.0, "complex128": 8.0}, expected=_UINT + (
        *JAX_COMPLEX_POW,
        beyond_standard("torch", "dtype", "torch raises a bool tensor to a Python bool power in bool; NumPy "
                        "computes bool ** bool in int8.", dtype=("int8", "bool")),
        beyond_standard("jax", "dtype", "A bool array to the power of a 0-d int64: jnp.power returns int32 (its "
                        "integer power on bool); NumPy int64.", dtypes=("bool+int64", "bool+py-int"),
                        dtype=("int64", "int32")),
        Expected("torch", "value", domain="beyond", max_ulp=256.0, where=mixed_operands,
                 reason="A complex base with a real exponent of another dtype (a float32 or integer array, a 0-d "
                        "operand): torch computes the power through the complex exponential and logarithm, up to 30 "
                        "ulp from NumPy (which also takes 8 ulp on one dtype); (-32j) ** 1.0 has a real part of "
                        "-8.6e-14."),
        Expected("torch", "error", dtypes=("uint64",), match="cannot be converted to type int64_t without overflow",
                 reason="torch.pow converts a Python int exponent through int64: one above 2**63 - 1 raises "
                        "RuntimeError, where NumPy (NEP 50) and the standard take it as uint64."),
        Expected("torch", "accepts", dtypes=SIGNED,
                 reason="Negative integer exponents: NumPy raises ValueError, torch returns truncated integer "
                        "results (2 ** -1 == 0, 1 ** -2 == 1)."),
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="Complex pow with a zero tensor exponent gives nan+nanj for a zero, infinite or NaN base "
                        "(0j ** 0j); NumPy and the standard give 1 for any x ** 0 (so does torch for a Python 0j)."),
        Expected("jax", "accepts", dtypes=SIGNED, link="https://github.com/jax-ml/jax/issues/8866",
                 reason="Negative integer exponents: NumPy raises ValueError; jnp.power returns integer results "
                        "(2 ** -1 is 0), as JAX does not raise on values."),
        Expected("jax", "dtype", dtypes=tuple(d for d in INTEGER if d != "int64"),
                 reason="A Python int base with a 0-d integer exponent array (2 ** array(3, int8)) takes jnp.power's "
                        "integer_pow path and returns int64; NumPy (NEP 50) and the standard keep the array's dtype."),
        Expected("jax", "value", where=int_power_overflows, dtypes=INTEGER,
                 reason="Overflowing integer powers differ: the int64 result of a Python int base with a 0-d exponent "
                        "does not wrap to the array's dtype (5 ** array(5, uint8) is 3125, NumPy 53), and powers "
                        "with an exponent near the dtype's maximum wrap to other values than NumPy's exact modular "
                        "result (3 ** 32767 in int16 is -5717, NumPy -21845). The standard leaves overflow "
                        "unspecified."),
        jax_flushes_subnormals("special-value", ("float32",), what="0.0 ** -1e-45 is 1, NumPy inf"),
        jax_flushes_subnormals("value", INEXACT,
                               what="5e-324 ** -0.5 is 6.4e161 (NumPy 4.5e161), and a subnormal imaginary part "
                                    "moves a complex base across the branch cut; complex64 powers computed as "
                                    "exp(y log x) are also up to ~12 ulp off"),
        jax_complex_special_values("0j ** (1+1j) is nan+nanj (exp(y log 0)); NumPy gives 0j"),
    )),
    binary_op("maximum", REAL, samples=_zero_pair_samples,
              expected=_UINT + (_torch_scalar_args(REAL, _EITHER), TORCH_ZERO_TIE, _jax_zero_tie("maximum"),
                                JAX_COMPLEX_EXTREMA)),
    binary_op("minimum", REAL, samples=_zero_pair_samples,
              expected=_UINT + (_torch_scalar_args(REAL, _EITHER), TORCH_ZERO_TIE, _jax_zero_tie("minimum"),
                                JAX_COMPLEX_EXTREMA)),
    binary_op("atan2", FLOAT, expected=(
        _torch_scalar_args(FLOAT, _EITHER),
        jax_flushes_subnormals("special-value", ("float32",), what="atan2(1e-45, 1e-45) is NaN (0 / 0)"),
        jax_flushes_subnormals("value", what="atan2(5e-324, -1.0) is -pi, NumPy pi"),
    )),
    binary_op("hypot", FLOAT, expected=(_torch_scalar_args(FLOAT, _EITHER),)),
    binary_op("copysign", FLOAT, expected=(_torch_scalar_args(FLOAT, _FIRST),)),
    binary_op("nextafter", FLOAT, expected=(
        _torch_scalar_args(FLOAT, _EITHER),
        jax_flushes_subnormals(what="nextafter(5e-324, -0.0) is -0.0, NumPy 0.0"),
    )),
    binary_op("logaddexp", FLOAT, expected=(_torch_scalar_args(FLOAT, _EITHER),)),
    # ---- binary: comparison
    binary_op("equal", ALL, torch="eq",
              expected=(_torch_scalar_args(ALL, _FIRST), _jax_compares_subnormal("equal"))),
    binary_op("not_equal", ALL, expected=(_torch_scalar_args(ALL, _FIRST), _jax_compares_subnormal("not_equal"))),
    binary_op("less", REAL, expected=_UINT + (_torch_scalar_args(REAL, _FIRST), _jax_compares_subnormal("less"),
                                 JAX_COMPLEX_COMPARE)),
    binary_op("less_equal", REAL,
              expected=_UINT + (_torch_scalar_args(REAL, _FIRST), _jax_compares_subnormal("less_equal"),
                                 JAX_COMPLEX_COMPARE)),
    binary_op("greater", REAL,
              expected=_UINT + (_torch_scalar_args(REAL, _FIRST), _jax_compares_subnormal("greater"),
                                 JAX_COMPLEX_COMPARE)),
    binary_op("greater_equal", REAL,
              expected=_UINT + (_torch_scalar_args(REAL, _FIRST), _jax_compares_subnormal("greater_equal"),
                                 JAX_COMPLEX_COMPARE)),
    # ---- binary: logic and bits
    binary_op("logical_and", BOOL, expected=(_torch_scalar_args(BOOL, _EITHER),)),
    binary_op("logical_or", BOOL, expected=(_torch_scalar_args(BOOL, _EITHER),)),
    binary_op("logical_xor", BOOL, expected=(_torch_scalar_args(BOOL, _EITHER),)),
    binary_op("bitwise_and", INTEGER + BOOL),
    binary_op("bitwise_or", INTEGER + BOOL),
    binary_op("bitwise_xor", INTEGER + BOOL),
    binary_op("bitwise_left_shift", INTEGER, samples=_shift_samples, strategy=_shift_strategy, expected=_UINT),
    binary_op("bitwise_right_shift", INTEGER, samples=_shift_samples, strategy=_shift_strategy, expected=_UINT),
]
