"""How ``parity/conform_results.py`` calls each function: small valid inputs, as data.

A :class:`Recipe` lists a call's positional arguments as tokens and its keywords: ``"x"`` is the input
array of the dtype under test (``VALUES[shape]`` cast to it), ``"y"`` a second one like it, ``"xs"`` the
list ``[x, y]``, ``"c"`` a boolean condition, ``"i"`` an index array of the default index dtype, ``"fill"``
a Python scalar of ``x``'s kind, ``"dtype"`` the dtype a ``dtype=`` rule passes; anything else is passed as
it is. A function without a recipe is called as ``f(x)`` on a 1-d array. Creation functions that take
Python scalars (``arange``, ``linspace``, ``full``, ``asarray``) take them per kind from :data:`SCALARS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

VECTOR, MATRIX, ROW = (4,), (2, 2), (1, 4)
#: One set of values per shape: positive and distinct (valid for log, acosh, searchsorted, unique), and a
#: symmetric positive definite matrix (cholesky, inv, eigh).
VALUES = {VECTOR: np.asarray([1, 2, 3, 4]), MATRIX: np.asarray([[2, 1], [1, 2]]), (3,): np.asarray([1, 2, 3]),
          ROW: np.asarray([[1, 2, 3, 4]])}
#: A fill value of each kind (``full_like``: the standard leaves a fill of another kind unspecified).
FILL = {"b": True, "i": 1, "u": 1, "f": 1.0, "c": 1 + 1j}


@dataclass(frozen=True)
class Recipe:
    args: tuple = ("x",)
    kwargs: dict[str, Any] = field(default_factory=dict)
    shape: tuple[int, ...] = VECTOR


def _r(*args, shape=VECTOR, **kwargs) -> Recipe:
    return Recipe(args, kwargs, shape)


_LINALG = ("cholesky", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matrix_norm", "matrix_rank",
           "pinv", "qr", "slogdet", "svd", "svdvals", "trace", "matrix_transpose")
RECIPES: dict[str, Recipe] = {
    **{f"linalg.{n}": _r("x", shape=MATRIX) for n in _LINALG},
    **{n: _r("x", shape=MATRIX) for n in ("matrix_transpose", "tril", "triu", "unstack")},
    "linalg.cross": _r("x", "y", shape=(3,)),
    "linalg.outer": _r("x", "y"), "linalg.vecdot": _r("x", "y"), "vecdot": _r("x", "y"),
    "linalg.solve": _r("x", "y", shape=MATRIX), "linalg.matmul": _r("x", "y", shape=MATRIX),
    "linalg.matrix_power": _r("x", 2, shape=MATRIX),
    "linalg.tensordot": _r("x", "y", axes=1), "tensordot": _r("x", "y", axes=1),
    "searchsorted": _r("x", "y"), "where": _r("c", "x", "y"), "clip": _r("x", "y", "y"), "isin": _r("x", "y"),
    "take": _r("x", "i"), "take_along_axis": _r("x", "i"), "repeat": _r("x", 2), "reshape": _r("x", (2, 2)),
    "tile": _r("x", (2,)), "roll": _r("x", 1), "squeeze": _r("x", shape=ROW, axis=0), "expand_dims": _r("x", axis=0),
    "moveaxis": _r("x", 0, 1, shape=MATRIX), "permute_dims": _r("x", (1, 0), shape=MATRIX),
    "broadcast_to": _r("x", (2, 4)), "broadcast_arrays": _r("x", "y"), "meshgrid": _r("x", "y"),
    "concat": _r("xs"), "stack": _r("xs"), "full_like": _r("x", "fill"), "astype": _r("x", "dtype"),
    "empty": _r((2,)), "ones": _r((2,)), "zeros": _r((2,)), "eye": _r(2),
    "fft.fftfreq": _r(4), "fft.rfftfreq": _r(4),
}
#: Per scalar kind, the Python scalars a creation function infers its dtype from.
SCALARS = {
    "arange": {"int": (0, 4), "float": (0.0, 4.0)},
    "linspace": {"float": (0.0, 1.0, 3), "complex": (0j, 1 + 1j, 3)},
    "full": {"bool": ((2,), True), "int": ((2,), 1), "float": ((2,), 1.0), "complex": ((2,), 1 + 1j)},
    "asarray": {"bool": (True,), "int": (1,), "float": (1.0,), "complex": (1 + 1j,)},
}
#: The dtypes a ``dtype=`` keyword is given when no input dtype decides it (creation functions), unless the
#: standard restricts them (``fftfreq``: "Must be a real-valued floating-point data type").
GIVEN = ("int16", "float32", "complex64")
#: ``astype(x, dtype)``: a dtype other than x's, of a kind the cast may reach (no complex to real).
ASTYPE = {"complex64": "complex128", "complex128": "complex64", "float32": "int16", "float64": "int16"}


def widest(dtype: str) -> str:
    """``sum(x, dtype=...)``'s given dtype: x's kind at 64 bits (128 for complex)."""
    kind = np.dtype(dtype).kind
    return {"b": "int64", "i": "int64", "u": "uint64", "f": "float64", "c": "complex128"}[kind]
