"""A NumPy namespace with four copy= bugs, for tests/test_conform_copy.py (``conform_copy_bug:xp``):
asarray(copy=True) of an array returns a view; asarray(copy=False) of a NumPy array silently copies;
astype(same dtype, copy=False) returns a copy, not the input; reshape(copy=False) of an array that
has no view copies instead of raising."""

import types

import numpy as np


class BugArray(np.ndarray):
    pass


def _mine(a):
    return np.asarray(a).view(BugArray)


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    if copy is True and isinstance(obj, BugArray) and dtype in (None, obj.dtype):
        return obj.view(BugArray)  # bug: a view, not a copy
    if copy is False and type(obj) is np.ndarray and dtype in (None, obj.dtype):
        return _mine(obj.copy())  # bug: copies without a word
    return _mine(np.asarray(obj, dtype=dtype, copy=copy))


def astype(x, dtype, /, *, copy=True, device=None):
    return _mine(np.astype(x.view(np.ndarray), dtype, copy=True))  # bug: copy=False ignored


def reshape(x, /, shape, *, copy=None):
    if copy is False:
        return _mine(np.reshape(x.view(np.ndarray), shape))  # bug: copies where no view exists
    return _mine(np.reshape(x.view(np.ndarray), shape, copy=copy))


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(np, name)


xp = _Namespace(asarray=asarray, astype=astype, reshape=reshape, __version__="0.0-copy-bug")
