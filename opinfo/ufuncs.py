"""NumPy-only ufuncs users port: rounding with decimals, degree conversions, exp2, cbrt, spacing,
frexp/modf, fmax/fmin/fmod, heaviside, float_power, ldexp, gcd/lcm.

They use the elementwise factories, so each is checked on the dense special-value corpus (all
pairs for binary ufuncs, Python scalars included); the extra samples cover what the corpus cannot:
``decimals`` (negative: tens), exponents that over- and underflow ``ldexp``, integer extremes for
``gcd`` (the binary factory adds a Python int above the int64 range to the uint64 cases).
"""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.declared import beyond_standard, jax_flushes_subnormals, torch_shell_uints, torch_tensor_only
from opinfo.dtypes import COMPLEX, FLOAT, INEXACT, INTEGER, REAL, SIGNED
from opinfo.elementwise import JAX_COMPLEX_EXTREMA, JAX_COMPLEX_POW, binary_op, unary_op
from opinfo.samples import arrays, binary_strategy, ordinary_values, special_values, unary_samples, unary_strategy
from opinfo.spec import Expected, Sample
from opinfo.where import (
    bool_inputs,
    divisor_zero,
    input_above,
    integer_inputs,
    mixed_operands,
    result_below,
    subnormal_involved,
)

INT = ("int32", "int64")


def _around_samples(dtype):
    dt = np.dtype(dtype)
    samples = unary_samples(dt)
    x = np.array([1.25, -2.35, 15.0, 25.0, 123.456, -0.5], dtype=dt) if dt.kind in "fc" else \
        np.array([15, 25, -35, 123, 7], dtype=dt)
    return samples + [Sample((x,), {"decimals": 1}), Sample((x,), {"decimals": 2}),
                      Sample((x,), {"decimals": -1}, note="negative decimals: tens")]


@st.composite
def _around_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = draw(arrays(dt, **({"lo": -1e4, "hi": 1e4} if dt.kind in "fc" else {})))
    decimals = draw(st.integers(-2, 3) if dt.kind in "fc" else st.integers(-2, 0))
    return Sample((x,), {"decimals": decimals} if decimals else {})


def _torch_round(torch, x, decimals=0):
    return torch.round(x, decimals=decimals)


def _exp2_samples(dtype):
    """Unary samples plus integer exponents across the range, whose powers of two are exact."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        return unary_samples(dt)
    info = np.finfo(dt)
    powers = np.unique(np.linspace(info.minexp, info.maxexp - 1, 24).round()).astype(dt)
    return unary_samples(dt) + [Sample((powers,), note="integer exponents: exact powers of two")]


def _ldexp_samples(dtype):
    dt = np.dtype(dtype)
    e = np.array([0, 1, -1, 3, -3, 10, -10, 200, -200, 1100, -1100], dtype=np.int32)
    x, n = (a.ravel() for a in np.meshgrid(special_values(dt), e, indexing="ij"))
    return [
        Sample((x, n), note="special values times 2 ** n, over- and underflowing"),
        Sample((np.resize(ordinary_values(dt), 3).reshape(3, 1), e[:4].reshape(1, 4)), note="broadcasting"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=np.int32)), note="empty"),
    ]


@st.composite
def _ldexp_strategy(draw, dtype):
    shape_x, shape_n = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=4)).input_shapes
    return Sample((draw(arrays(dtype, shape_x)), draw(arrays(np.int32, shape_n, lo=-300, hi=300))))


def _frexp_strategy(dtype):
    return unary_strategy(dtype)


def _gcd_samples(dtype, extreme=True):
    """Zeros, negatives, common factors; for gcd also a value near the dtype's minimum (lcm leaves
    it out: its lcm overflows, and the wrapped result is unspecified)."""
    dt = np.dtype(dtype)
    values = np.array([0, 1, 2, 6, 9, 12, 35, 100 % (np.iinfo(dt).max + 1)], dtype=dt)
    if dt.kind == "i":
        values = np.concatenate([values, np.array([-4, -9] + [np.iinfo(dt).min + 2] * extreme, dtype=dt)])
    x, y = (a.ravel() for a in np.meshgrid(values, values, indexing="ij"))
    if not extreme:
        fits = np.array([math.lcm(int(a), int(b)) <= np.iinfo(dt).max for a, b in zip(x, y)], dtype=bool)
        x, y = x[fits], y[fits]
    return [
        Sample((x, y), note="all pairs, zeros and negatives"),
        Sample((values[:3].reshape(3, 1), values[3:7].reshape(1, 4)), note="broadcasting"),
        Sample((values, 2), note="Python scalar on the right"),
        Sample((2, values), note="Python scalar on the left"),
        Sample((np.empty((0,), dtype=dt), np.empty((0,), dtype=dt)), note="empty"),
    ]


def _gcd_strategy(dtype, extreme=True):
    """lcm: operands up to sqrt(max), so that the result cannot overflow. Never the dtype's minimum:
    its absolute value is not representable, and jnp.gcd(int8(-128), 6) loops forever (a hang)."""
    dt = np.dtype(dtype)
    hi = min(1000 if extreme else int(np.sqrt(np.iinfo(dt).max)), int(np.iinfo(dt).max))
    return binary_strategy(dt, lo=-hi, hi=hi) if dt.kind == "i" else binary_strategy(dt, hi=hi)


OPS = [
    unary_op("around", FLOAT + COMPLEX + INT, samples=_around_samples, strategy=_around_strategy,
             torch=_torch_round, expected=(
                 Expected("torch", "error", dtypes=COMPLEX + INT, match="not implemented for",
                          reason="torch.round has no complex or integer kernel ('round_vml_cpu' not implemented for "
                                 "'ComplexFloat' / 'Long'); NumPy rounds complex parts and integers (to tens with "
                                 "negative decimals)."),
                 beyond_standard("jax", "error", "jnp.round of narrower integers with negative decimals raises "
                                 "NotImplementedError; NumPy rounds to tens, hundreds, ...", match="decimals < 0"),
                 beyond_standard("jax", "error-type", "Bool input: NumPy raises TypeError (no rounding loop), "
                                 "jnp.round ValueError ('not inexact').", dtypes=("bool",),
                                 match="implementation raised ValueError"),
                 Expected("jax", "error", dtypes=INT, match="decimals < 0",
                          reason="jnp.round of integers with negative decimals raises NotImplementedError; NumPy "
                                 "rounds to tens, hundreds, ..."),
             )),
    unary_op("deg2rad", FLOAT),
    unary_op("rad2deg", FLOAT),
    unary_op("exp2", INEXACT, samples=_exp2_samples, expected=(
        beyond_standard("jax", "value", "An integer exponent computed in float32 by jnp.exp2 (exp(x log 2)): "
                        "exp2(-126) underflows to a subnormal that XLA on CPU flushes to 0 (NumPy: the smallest "
                        "normal).", where=result_below(1.2e-38)),
        beyond_standard("jax", "special-value", "An int64 exponent: jnp.exp2(1024) is 1.797e308 (exp(x log 2) rounds "
                        "below the overflow), NumPy's exact power of two overflows to inf.", where=integer_inputs),
        Expected("jax", "special-value", dtypes=COMPLEX,
                 reason="exp2(complex(0.0, -0.0)): NumPy returns 1-0j (the sign of a zero imaginary part carries "
                        "through, as in C cexp); jnp.exp2 returns 1+0j."),
        Expected("jax", "value", max_ulp=2.0**20, dtypes=("float32", "float64", "complex128"),
                 reason="jnp.exp2 is exp(x log 2), not exact for integer exponents and far from correctly rounded for "
                        "large |x| (308 ulp at exp2(1000.0) in float64, 3.1e5 at exp2(-1000-1e-10j)), measured; "
                        "jnp.exp2 is not exact for integer exponents: exp2(98.0) in float32 is 3.169118e29, 2.7e-6 "
                        "from 2**98 (NumPy, like C exp2, returns the power of two exactly), and exp2(-126.0) "
                        "underflows to a subnormal that XLA on CPU flushes to 0."),
    )),
    unary_op("cbrt", FLOAT),
    unary_op("spacing", FLOAT),
    unary_op("frexp", FLOAT, strategy=_frexp_strategy, expected=(
        beyond_standard("jax", "value", "Integers computed in float32 by jnp.frexp (NumPy: float64): 2**31 - 1 "
                        "rounds to 2**31, mantissa 0.5 and exponent 32 (NumPy 0.99999999953 and 31).",
                        where=integer_inputs),
        Expected("jax", "value", where=subnormal_involved,
                 reason="jnp.frexp of the smallest subnormal returns exponent -1074 with mantissa 0.5 (so "
                        "mantissa * 2**exponent is half the input); NumPy and C frexp return 0.5 and -1073."),
    )),
    unary_op("modf", FLOAT, expected=(
        Expected("jax", "special-value",
                 reason="modf(-0.0): NumPy (as C modf) returns (-0.0, -0.0); jnp.modf returns a +0.0 fractional "
                        "part."),
    )),
    *(binary_op(name, REAL, check_signed_zero=False,
                expected=(torch_shell_uints(), torch_tensor_only(REAL), JAX_COMPLEX_EXTREMA),
                doc="Signed zeros not compared: C99 leaves the sign of a tied +-0 unspecified, and NumPy's own depends "
                    "on the element's place in the array (fmax([0., 0.], [-0.]) is [0., -0.]).")
      for name in ("fmax", "fmin")),
    binary_op("fmod", REAL, expected=(
        beyond_standard("jax", "value", "fmod of bools: jnp.fmod computes in int32 and returns 0 where NumPy's int8 "
                        "loop returns the bool operand (fmod(True, True) differs)", where=bool_inputs),
        jax_flushes_subnormals(what="fmod(0.0, 5e-324) is NaN"),
        torch_shell_uints(), torch_tensor_only(REAL, "the first operand"),
        Expected("torch", "error", dtypes=SIGNED + ("uint8",), match="ZeroDivisionError",
                 reason="Integer fmod by zero raises RuntimeError('ZeroDivisionError') in torch; NumPy returns 0 "
                        "with a RuntimeWarning."),
        Expected("torch", "error", match="ZeroDivisionError", domain="beyond", where=divisor_zero,
                 reason="Integer fmod by zero in a mix of dtypes (a 0-d uint16 with a uint8 array computes in uint8): "
                        "torch raises RuntimeError('ZeroDivisionError'), NumPy returns 0."),
        Expected("torch", "special-value", dtypes=FLOAT,
                 reason="torch.fmod gives NaN where the quotient x / y overflows (a subnormal or tiny divisor) on "
                        "its vectorised CPU path (fmod(1.0, 1e-45) is NaN for arrays, 0 for one element); NumPy and "
                        "C fmod return the exact remainder."),
    )),
    binary_op("heaviside", FLOAT, expected=(
        torch_tensor_only(FLOAT),
        Expected("torch", "error", domain="beyond", where=mixed_operands,
                 match="heaviside is not yet implemented for tensors with different dtypes",
                 reason="torch.heaviside takes two tensors of one dtype; NumPy promotes the two operands."),
        beyond_standard("torch", "dtype", "torch.heaviside of integer or bool tensors keeps their dtype; NumPy "
                        "computes in a float (float16 for 8-bit integers and bool).",
                        dtype=(r"float\d+", r"(u?int\d+|bool)")),
        Expected("torch", "special-value",
                 reason="heaviside(NaN, h): NumPy returns NaN; torch.heaviside returns 0."),
        jax_flushes_subnormals("value", what="heaviside(5e-324, h) is h, not 1"),
        jax_flushes_subnormals(what="heaviside(5e-324, NaN) is NaN, not 1"),
    )),
    binary_op("float_power", INT + INEXACT, ulps={"complex64": 8.0, "complex128": 8.0}, expected=(
        *JAX_COMPLEX_POW,
        Expected("jax", "dtype", dtypes=("int32", "float32", "complex64"),
                 reason="numpy.float_power computes in at least float64 (complex128); jnp.float_power keeps 32-bit "
                        "input in float32 (complex64)."),
        *(Expected("jax", category, dtypes=dtypes, devices=("cpu",), max_ulp=2.0**30 if category == "value" else None,
                   reason="jnp.float_power keeps 32-bit input in float32/complex64 (NumPy computes in float64), so "
                          "large exponents round (-1 ** 2147483647 is 1) and results beyond float32 overflow to inf; "
                          "XLA on CPU flushes subnormal operands to zero (5e-324 ** -0.5, 0j ** 5e-324); complex "
                          "powers of zero are exp(y log 0) = nan+nanj. Float32 precision is up to 2**30 ulp of "
                          "float64.")
          for category, dtypes in (("value", ("int32",) + INEXACT), ("special-value", ("int32", "float32") + COMPLEX))),
        Expected("torch", "special-value", dtypes=COMPLEX,
                 reason="torch.float_power(0j, 0j) is nan+nanj; NumPy (and C cpow) give 1 for z ** 0."),
        Expected("torch", "value", domain="beyond", max_ulp=256.0, where=mixed_operands,
                 reason="A complex base with a real exponent of another dtype (a float32 or integer array, a 0-d "
                        "operand): torch computes the power through the complex exponential and logarithm, up to 212 "
                        "ulp from NumPy; (-32j) ** 1.0 has a real part of -8.6e-14."),
        beyond_standard("jax", "dtype", "jnp.float_power keeps integers narrower than 64 bits (and bool) in float32; "
                        "numpy.float_power computes in float64.", dtype=("float64", "float32")),
        *(beyond_standard("jax", category, "jnp.float_power computes integers narrower than 64 bits in float32 "
                          "(NumPy in float64): results beyond float32 overflow to inf (int8 100 ** 24 is 1e48), "
                          "others round to float32 (up to 2**30 ulp of float64).",
                          max_ulp=2.0**30 if category == "value" else None)
          for category in ("value", "special-value")),
    )),
    binary_op("ldexp", FLOAT, samples=_ldexp_samples, strategy=_ldexp_strategy, expected=(
        beyond_standard("torch", "special-value", "torch.ldexp computes x * 2**e, and 2**e overflows float32 for e "
                        "above 127: ldexp(0, 200) is 0 * inf = NaN (an integer or bool mantissa computes in "
                        "float32); NumPy scales exactly and returns 0.", where=input_above(127, arg=1)),
        beyond_standard("jax", "dtype", "jnp.ldexp of an unsigned or narrow integer mantissa computes in float32; "
                        "NumPy in float64.", dtype=("float64", "float32")),
        beyond_standard("torch", "dtype", "torch.ldexp of an integer or bool mantissa computes in float32 (its "
                        "default dtype); NumPy in float64 (float16 for 8-bit integers and bool).",
                        dtype=(r"float(16|64)", "float32")),
        jax_flushes_subnormals("value", FLOAT, what="ldexp(5e-324, 200) comes out unscaled"),
        jax_flushes_subnormals("special-value", ("float32",), what="ldexp(1e-45, 1100) is not inf"),
    )),
    binary_op("gcd", INTEGER, samples=_gcd_samples, strategy=_gcd_strategy,
              expected=(torch_shell_uints(), torch_tensor_only(INTEGER))),
    binary_op("lcm", INTEGER, samples=lambda dt: _gcd_samples(dt, extreme=False),
              strategy=lambda dt: _gcd_strategy(dt, extreme=False),
              expected=(torch_shell_uints(), torch_tensor_only(INTEGER))),
]
