"""NumPy's namespace with three special-case bugs injected, for tests/test_conformance.py (``conform_special_bug:xp``).

Each is a classic: ``abs`` written as ``where(x < 0, -x, x)`` keeps ``-0``; ``maximum`` taken from
``fmax`` ignores a NaN operand; ``round`` rounds halves away from zero.
"""

import types

import numpy as np

xp = types.SimpleNamespace(**{name: getattr(np, name) for name in dir(np) if not name.startswith("_")})
xp.abs = lambda x: np.where(x < 0, -x, x)
xp.maximum = np.fmax


def _round(x):
    return np.trunc(x + np.copysign(0.5, x)) if np.issubdtype(np.asarray(x).dtype, np.floating) else np.round(x)


xp.round = _round
