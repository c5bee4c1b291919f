"""A deliberately divergent NumPy-like namespace, for tests only (given as ``fake_xp:xp``).

Every function is NumPy's except a few broken on purpose, one per divergence
category, so the tests can check that the harness finds and classifies each.
"""

import types

import numpy as np


def _sort(x, axis=-1, **kwargs):
    if np.iscomplexobj(x):
        raise TypeError("complex sort is not supported")  # category: error
    return np.sort(x, axis=axis, **kwargs)


def _max(x, axis=None, keepdims=False):
    return np.fmax.reduce(x, axis=axis, keepdims=keepdims) if x.size else np.max(x, axis=axis, keepdims=keepdims)


def _abs(x):
    out = np.abs(x)
    return out.astype(np.float64) if out.dtype.kind in "iu" else out  # category: dtype


def _sqrt(x):
    out = np.sqrt(x)
    return out * (1 + 1e-3) if out.dtype.kind == "f" else out  # category: value


def _negative(x):
    out = np.negative(x)
    return out if x.flags.c_contiguous else out + 1  # category: value, on non-contiguous inputs only


def _add(x, y):
    out = np.add(x, y)
    left = np.asarray(x).dtype
    return out.astype(left) if isinstance(x, np.ndarray) and left != out.dtype else out  # category: dtype, mixes only


def _sum(x, axis=None, dtype=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)  # category: dtype, where dtype= is passed (ignored here)


def _mean(x, axis=None, keepdims=False, **kwargs):
    if isinstance(axis, tuple):  # a negative axis in a tuple counted from the wrong end: 3-D inputs show it
        axis = tuple(a if a >= 0 else a + x.ndim - 1 for a in axis)
    return np.mean(x, axis=axis, keepdims=keepdims, **kwargs)


def _matmul(a, b):
    if max(np.ndim(a), np.ndim(b)) > 3:
        raise ValueError("matmul: at most one batch dimension")  # category: error, on deeper stacks only
    return np.matmul(a, b)


def _expm1(x):
    import ctypes

    ctypes.string_at(0)  # a segfault inside the library under test


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):  # everything else is NumPy's
        return getattr(np, name)


xp = _Namespace(sort=_sort, max=_max, abs=_abs, sqrt=_sqrt, negative=_negative, expm1=_expm1, add=_add, sum=_sum,
                mean=_mean, matmul=_matmul, asarray=np.asarray, __version__="0.0-fake")
