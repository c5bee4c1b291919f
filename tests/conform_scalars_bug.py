"""A NumPy namespace whose arrays convert NaN to int 0 instead of raising, for tests/test_conform_scalars.py
(``conform_scalars_bug:xp``): the standard says "If ``self`` is ``NaN``, raise ``ValueError``."."""

import math
import types

import numpy as np


class BadArray(np.ndarray):
    def __int__(self):
        value = self[()].item()
        if isinstance(value, float) and math.isnan(value):
            return 0
        return np.ndarray.__int__(self.view(np.ndarray))


def _asarray(x, dtype=None, **kwargs):
    return np.asarray(x, dtype=dtype).view(BadArray)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(np, name)


xp = _Namespace(asarray=_asarray, __version__="0.0-scalars-bug")
