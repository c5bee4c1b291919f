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


def _expm1(x):
    import ctypes

    ctypes.string_at(0)  # a segfault inside the library under test


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):  # everything else is NumPy's
        return getattr(np, name)


xp = _Namespace(sort=_sort, max=_max, abs=_abs, sqrt=_sqrt, negative=_negative, expm1=_expm1, add=_add,
                asarray=np.asarray, __version__="0.0-fake")
