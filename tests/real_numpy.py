"""NumPy without its complex dtypes, as a user's namespace (``real_numpy:xp``), for the tests: a library
that lacks a kind of dtype (ndonnx has no complex) must get verdicts in every conformance area, never a
harness error from the harness asking for a dtype the library does not have."""

import types

import numpy as np


class _RealOnly(types.ModuleType):
    def __getattr__(self, name):
        if name in ("complex64", "complex128"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        return getattr(np, name)


xp = _RealOnly("real_numpy.xp")
xp.__array_api_version__ = np.__array_api_version__
