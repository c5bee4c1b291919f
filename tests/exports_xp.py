"""Array API namespaces whose arrays leave only one way out, for the read-back tests (as
``exports_xp:opaque`` and ``exports_xp:exporting``): NumPy underneath, each function's result wrapped.

- ``opaque``: arrays with ``shape`` and ``dtype`` and no way to read them (no ``__dlpack__``,
  ``__array__`` or export method): every case must be ``unreadable``, never a divergence.
- ``exporting``: arrays whose only way out is ``to_numpy()``, whose ``__array__`` refuses, like
  pydata sparse's implicit densification: results must be read and compared as usual.
- ``real_only``: ``exporting`` without complex dtypes (as ndonnx): a mix that computes in complex, or a
  ``dtype=complex128`` argument, cannot be asked of it -- skipped or not run, never its divergence.
"""

import types

import numpy as np


class Opaque:
    def __init__(self, data):
        self._data = np.asarray(data)
        self.shape, self.dtype, self.ndim = self._data.shape, self._data.dtype, self._data.ndim


class Exporting(Opaque):
    def to_numpy(self):
        return self._data.copy()

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("Cannot convert to a NumPy array implicitly; use to_numpy()")


def _namespace(cls, name, dtypes=("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                   "float32", "float64", "complex64", "complex128")):
    def unwrap(x):
        return x._data if isinstance(x, Opaque) else x

    def wrapped(fn):
        def call(*args, **kwargs):
            out = fn(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})
            return cls(out) if isinstance(out, (np.ndarray, np.generic)) else out

        return call

    names = ("sin", "add", "sort", "sum", "abs", "reshape", "zeros", "mean", "astype")
    ns = types.SimpleNamespace(**{n: wrapped(getattr(np, n)) for n in names}, __name__=name,
                               __array_api_version__="2024.12")
    ns.asarray = lambda x, dtype=None, copy=None: cls(np.array(x, dtype=dtype, copy=True))
    for dtype in dtypes:
        setattr(ns, dtype, np.dtype(dtype))
    return ns


opaque = _namespace(Opaque, "exports_xp.opaque")
exporting = _namespace(Exporting, "exports_xp.exporting")
real_only = _namespace(Exporting, "exports_xp.real_only", dtypes=(
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"))
