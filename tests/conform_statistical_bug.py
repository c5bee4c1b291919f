"""A NumPy namespace with four broken statistical functions, for tests/test_conform_statistical.py
(``conform_statistical_bug:xp``): max skips NaN (nanmax), sum of an empty array raises, var ignores
``correction``, and mean of an empty array is 0. Every other function is NumPy's."""

import types

import numpy as np


def _max(x, /, *, axis=None, keepdims=False):
    return np.nanmax(x, axis=axis, keepdims=keepdims)


def _sum(x, /, *, axis=None, dtype=None, keepdims=False):
    if np.size(x) == 0:
        raise ValueError("cannot sum an empty array")
    return np.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


def _var(x, /, *, axis=None, correction=0.0, keepdims=False):
    return np.var(x, axis=axis, keepdims=keepdims)


def _mean(x, /, *, axis=None, keepdims=False):
    if np.size(x) == 0:
        return np.zeros_like(np.sum(x, axis=axis, keepdims=keepdims))
    return np.mean(x, axis=axis, keepdims=keepdims)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(np, name)


xp = _Namespace(max=_max, sum=_sum, var=_var, mean=_mean, __version__="0.0-statistical-bug")
