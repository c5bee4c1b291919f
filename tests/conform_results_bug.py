"""NumPy with planted result-dtype bugs, for tests/test_conform_results.py (``conform_results_bug:xp``).

Each bug is a class of departure the ``results`` area must find, while the same function's other rules
(and its other dtypes) still conform:

- ``prod`` accumulates unsigned integers in int64 (torch's departure): uint8 must give uint64;
- ``argmax`` returns int32 where the info object's default index dtype is int64;
- ``abs`` of a complex array keeps the complex dtype (complex64 must give float32);
- ``broadcast_arrays`` returns a list (2025.12: Tuple[array, ...]);
- ``unique_counts`` returns a named tuple with a misnamed field (``count``), dtypes in place;
- ``fft.rfft`` of float32 returns complex128 (the precision must match: complex64).
"""

from collections import namedtuple

import numpy as np
from patched_namespace import Patched

UniqueCounts = namedtuple("UniqueCounts", ["values", "count"])


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    if dtype is None and x.dtype.kind == "u":
        dtype = np.int64
    return np.prod(x, axis=axis, dtype=dtype, keepdims=keepdims)


def argmax(x, /, *, axis=None, keepdims=False):
    return np.argmax(x, axis=axis, keepdims=keepdims).astype(np.int32)


def abs(x, /):  # noqa: A001 - the namespace's abs
    return np.abs(x).astype(x.dtype) if x.dtype.kind == "c" else np.abs(x)


def broadcast_arrays(*arrays):
    return list(np.broadcast_arrays(*arrays))


def unique_counts(x, /):
    found = np.unique_counts(x)
    return UniqueCounts(found.values, found.counts)


def _rfft(x, /, *, n=None, axis=-1, norm="backward"):
    return np.fft.rfft(x, n=n, axis=axis, norm=norm).astype(np.complex128)


xp = Patched(np, prod=prod, argmax=argmax, abs=abs, broadcast_arrays=broadcast_arrays, unique_counts=unique_counts,
               fft=Patched(np.fft, rfft=_rfft), __version__="0.0-results-bug")
