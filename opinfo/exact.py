"""The exact value of elementwise ops, for grading both sides of a value divergence (``parity.arbiter``).

Each entry writes an op's mathematical *definition* (what NumPy/SciPy document, not how they compute
it) as an mpmath expression; the engine evaluates it far above the dtype's precision, so the result
is the true value to well under a hundredth of an ulp. An entry returns None where its definition is
not the reference's (outside the domain, a convention the reference sets separately); an op is listed
only where the definition is sure, since an op left out is merely not graded while a wrong entry
would blame the wrong side. mpmath has no signed zero and puts its branch cuts' values on the other
side from C99 (asin(2) has a negative imaginary part, C99's casin(2+0j) a positive one), hence
``zero_sign``: values at a zero, or at a complex input with a zero part, are not graded there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath as mp


@dataclass(frozen=True)
class Exact:
    """How to compute one op's exact value from mpmath inputs (the op's positional arguments)."""

    fn: Callable[..., Any]
    complex: bool = False  # defined on complex inputs, with the reference's principal branches
    zero_sign: bool = False  # the value at a zero input (or zero part) depends on the zero's sign or a cut's side
    result: str | None = None  # the result's precision when it is not the inputs' (float_power: "float64")


def _cbrt(x):
    return mp.sign(x) * mp.cbrt(abs(x))  # mpmath's cbrt of a negative number is the complex principal root


def _logaddexp(x, y):
    return max(x, y) + mp.log1p(mp.exp(-abs(x - y)))  # log(exp(x) + exp(y)) loses a tiny result to rounding


def _log_ndtr(x):
    return mp.log(mp.ncdf(x)) if x < 0 else mp.log1p(-mp.ncdf(-x))  # ncdf(x) rounds to 1 for x > 20


def _ndtri(p):
    if not 0 < p < 1:
        return None
    with mp.extraprec(max(0, -mp.mag(p)) + 10):  # 2p - 1 keeps all of a tiny p
        return mp.sqrt(2) * mp.erfinv(2 * p - 1)


def _polygamma(n, x):
    return mp.polygamma(int(n), x) if n == int(n) and n >= 0 else None


def _positive(*args) -> bool:
    return all(a > 0 for a in args)


def _entr(x):
    return -x * mp.log(x) if x > 0 else (mp.zero if x == 0 else None)


def _rel_entr(x, y):
    if x == 0 and y >= 0:
        return mp.zero
    return x * mp.log(x / y) if _positive(x, y) else None


def _xlogy(x, y):
    return mp.zero if x == 0 else (x * mp.log(y) if y > 0 else None)


def _xlog1py(x, y):
    return mp.zero if x == 0 else (x * mp.log1p(y) if y > -1 else None)


EXACT: dict[str, Exact] = {
    "abs": Exact(mp.fabs, complex=True),
    "square": Exact(lambda x: x * x, complex=True),
    "sqrt": Exact(mp.sqrt, complex=True, zero_sign=True),
    "cbrt": Exact(_cbrt),
    "reciprocal": Exact(lambda x: 1 / x, complex=True),
    "exp": Exact(mp.exp, complex=True),
    "exp2": Exact(lambda x: mp.power(2, x), complex=True),
    "expm1": Exact(mp.expm1, complex=True),
    "log": Exact(mp.log, complex=True, zero_sign=True),
    "log1p": Exact(mp.log1p, complex=True, zero_sign=True),
    "log2": Exact(lambda x: mp.log(x, 2), complex=True, zero_sign=True),
    "log10": Exact(mp.log10, complex=True, zero_sign=True),
    "sin": Exact(mp.sin, complex=True),
    "cos": Exact(mp.cos, complex=True),
    "tan": Exact(mp.tan, complex=True),
    "asin": Exact(mp.asin, complex=True, zero_sign=True),
    "acos": Exact(mp.acos, complex=True, zero_sign=True),
    "atan": Exact(mp.atan, complex=True, zero_sign=True),
    "sinh": Exact(mp.sinh, complex=True),
    "cosh": Exact(mp.cosh, complex=True),
    "tanh": Exact(mp.tanh, complex=True),
    "asinh": Exact(mp.asinh, complex=True, zero_sign=True),
    "acosh": Exact(mp.acosh, complex=True, zero_sign=True),
    "atanh": Exact(mp.atanh, complex=True, zero_sign=True),
    "deg2rad": Exact(lambda x: x * mp.pi / 180),
    "rad2deg": Exact(lambda x: x * 180 / mp.pi),
    "sinc": Exact(mp.sincpi),  # NumPy's sinc is the normalised sin(pi x) / (pi x)
    "i0": Exact(lambda x: mp.besseli(0, x)),
    "add": Exact(lambda x, y: x + y, complex=True),
    "subtract": Exact(lambda x, y: x - y, complex=True),
    "multiply": Exact(lambda x, y: x * y, complex=True),
    "divide": Exact(lambda x, y: x / y, complex=True),
    "pow": Exact(mp.power, complex=True, zero_sign=True),
    "float_power": Exact(mp.power, complex=True, zero_sign=True, result="float64"),
    "atan2": Exact(mp.atan2, zero_sign=True),  # atan2(±0, x < 0) is ±pi
    "hypot": Exact(mp.hypot),
    "logaddexp": Exact(_logaddexp),
    "ldexp": Exact(lambda x, n: mp.ldexp(x, int(n))),
    "special.erf": Exact(mp.erf),
    "special.erfc": Exact(mp.erfc),
    "special.erfinv": Exact(mp.erfinv),
    "special.erfcx": Exact(lambda x: mp.exp(x * x) * mp.erfc(x)),
    "special.ndtr": Exact(mp.ncdf),
    "special.ndtri": Exact(_ndtri),
    "special.log_ndtr": Exact(_log_ndtr),
    "special.gamma": Exact(mp.gamma),
    "special.gammaln": Exact(lambda x: mp.re(mp.loggamma(x))),  # log|Gamma(x)|, also for x < 0
    "special.digamma": Exact(mp.digamma),
    "special.polygamma": Exact(_polygamma),
    "special.gammainc": Exact(lambda a, x: mp.gammainc(a, 0, x, regularized=True) if _positive(a, x) else None),
    "special.gammaincc": Exact(lambda a, x: mp.gammainc(a, x, mp.inf, regularized=True) if _positive(a, x) else None),
    "special.betaln": Exact(lambda a, b: mp.log(abs(mp.beta(a, b)))),  # log|B(a, b)|
    "special.zeta": Exact(lambda x, q: mp.zeta(x, q) if x > 1 and q > 0 else None),  # Hurwitz; SciPy: nan for x < 1
    "special.expit": Exact(lambda x: 1 / (1 + mp.exp(-x))),
    "special.logit": Exact(lambda p: mp.log(p / (1 - p)) if 0 < p < 1 else None),
    "special.entr": Exact(_entr),
    "special.rel_entr": Exact(_rel_entr),
    "special.xlogy": Exact(_xlogy),
    "special.xlog1py": Exact(_xlog1py),
    "special.i0e": Exact(lambda x: mp.besseli(0, x) * mp.exp(-abs(x))),
    "special.i1": Exact(lambda x: mp.besseli(1, x)),
    "special.i1e": Exact(lambda x: mp.besseli(1, x) * mp.exp(-abs(x))),
}
