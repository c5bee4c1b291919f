"""NumPy's namespace with special-case bugs injected, for tests/test_conformance.py (``conform_special_bug:xp``).

Each is a classic: ``abs`` written as ``where(x < 0, -x, x)`` keeps ``-0``; ``maximum`` taken from
``fmax`` ignores a NaN operand; ``round`` rounds halves away from zero. Two only an "In the remaining
cases" rule sees: ``isinf`` as ``abs(x) >= finfo.max`` (the largest finite value counts as infinite),
``remainder`` giving an exact multiple the dividend's zero (C ``fmod``'s sign, not Python's). And
``divide`` as ``x1 * (1 / x2)`` (fast math: two roundings) is off by an ulp where the remaining rule's
correctly rounded quotient is required (and also breaks bullets where ``1 / x2`` overflows).
"""

import types

import numpy as np

xp = types.SimpleNamespace(**{name: getattr(np, name) for name in dir(np) if not name.startswith("_")})
xp.abs = lambda x: np.where(x < 0, -x, x)
xp.maximum = np.fmax


def _round(x):
    return np.trunc(x + np.copysign(0.5, x)) if np.issubdtype(np.asarray(x).dtype, np.floating) else np.round(x)


xp.round = _round


def _isinf(x):
    return np.isinf(x) if np.iscomplexobj(x) else np.abs(x) >= np.finfo(np.asarray(x).dtype).max


def _remainder(x1, x2):
    out = np.remainder(x1, x2)
    return np.where((out == 0) & (x1 != 0), np.copysign(0, x1), out)


def _divide(x1, x2):
    if not np.issubdtype(np.asarray(x2).dtype, np.floating):
        return np.divide(x1, x2)
    return np.multiply(x1, np.divide(1, x2, dtype=np.asarray(x2).dtype))


xp.isinf, xp.remainder, xp.divide = _isinf, _remainder, _divide
