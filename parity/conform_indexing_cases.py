"""The indexing rules ``parity/conform_indexing.py`` checks: one :class:`Rule` per (rule, index kind).

Each rule names the standard's sentence by where it stands (a section of ``indexing.rst``, or
``__getitem__``/``__setitem__`` for their docstrings) and a fragment of it; the sentence itself, and
whether it binds (``modal``), come from ``parity/data/array_api_<version>.json``, so a rule whose
sentence a version does not have is not checked against that version. Inputs are written as the
expressions they are: ``x1[4:0:-1]`` on the arrays of :data:`ARRAYS`; ``I(...)`` is an index array of
the default index dtype, ``M(...)`` a boolean mask, ``V(...)`` a value array (of ``self``'s dtype
unless named), ``Index(2)`` an object that only has ``__index__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: The arrays indexed, as NumPy arrays of int64 values; each check casts them to its dtype.
ARRAYS = {"x0": np.asarray(7), "x1": np.arange(5), "x2": np.arange(12).reshape(3, 4),
          "x3": np.arange(24).reshape(2, 3, 4)}
SOURCES = {"x0": "asarray(7)", "x1": "arange(5)", "x2": "arange(12).reshape(3, 4)",
           "x3": "arange(24).reshape(2, 3, 4)"}
#: An integer and a floating dtype: a rule's inputs take them in turn.
DTYPES = ("int32", "float64")

# kinds of check
VALUE = "value"  # the result equals NumPy's (shape and elements) and has self's dtype
SHAPE = "shape"  # only the result's shape is NumPy's
ARRAY0 = "0-d array"  # the result is an array object (not a scalar) of shape () holding NumPy's element
DTYPE = "dtype"  # per standard dtype: the result has self's dtype
INDEX_ERROR = "IndexError"  # must raise IndexError
ERROR = "exception"  # must raise (any exception)
OPEN = "open"  # the standard leaves it open: recorded, never a violation
SET = "set"  # after x[key] = value, x equals NumPy's and keeps its dtype


@dataclass(frozen=True)
class Arr:
    """An array inside a key or a value, built on the target: ``dtype`` None is the indexed array's."""

    values: Any
    dtype: str | None
    shape: tuple[int, ...] | None = None  # for an empty array of several dimensions

    def numpy(self, like: str) -> np.ndarray:
        out = np.asarray(self.values, dtype=self.dtype or like)
        return out if self.shape is None else out.reshape(self.shape)

    def source(self) -> str:
        if self.shape is not None:
            return f"zeros({self.shape}, dtype={self.dtype})"
        default = self.dtype in (None, "int64", "bool") and np.size(self.values)  # an empty one names its dtype
        return f"asarray({np.asarray(self.values).tolist()!r}" + ("" if default else f", dtype={self.dtype}") + ")"


def I(*values, dtype="int64"):  # noqa: E743 - reads as the index array it stands for
    return Arr(values[0] if len(values) == 1 else list(values), dtype)


def M(rows):
    """A boolean mask from 0/1 (nested) lists, or a bool for a 0-d mask."""
    return Arr(np.asarray(rows, dtype=bool).tolist(), "bool")


def V(values, dtype=None):
    return Arr(values, dtype)


@dataclass(frozen=True)
class Index:
    """An integer index that is only ``operator.index``-able (not an int)."""

    value: int

    def __index__(self):
        return self.value


class _Subject:
    def __init__(self, name):
        self.name = name

    def __getitem__(self, key):
        return (self.name, key)


x0, x1, x2, x3 = (_Subject(n) for n in ARRAYS)


@dataclass(frozen=True)
class Rule:
    function: str
    label: str
    where: str  # a section of indexing.rst, or "__getitem__"/"__setitem__" (its docstring)
    fragment: str  # a part of the sentence, enough to find it there
    kind: str
    inputs: tuple  # (name, key) for __getitem__, ((name, key), value) for __setitem__
    dtypes: tuple[str, ...] = DTYPES  # () for every standard dtype
    why: str | None = None  # for an open rule: why the standard leaves it open (else its sentence says)


SINGLE, SLICES, MULTI = "Single-axis Indexing", "Slice Syntax", "Multi-axis Indexing"
INTEGER, BOOLEAN, RETURNS = "Integer Array Indexing", "Boolean Array Indexing", "Return Values"
GET, SET_ = "__getitem__", "__setitem__"
M34 = M([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]])
M23 = M([[1, 0, 1], [0, 1, 1]])


def _get(label, where, fragment, kind, *inputs, dtypes=DTYPES, why=None):
    return Rule(GET, label, where, fragment, kind, inputs, dtypes, why)


def _set(label, where, fragment, kind, *inputs, dtypes=DTYPES, why=None):
    return Rule(SET_, label, where, fragment, kind, inputs, dtypes, why)


RULES = (
    # ---- single-axis integers
    _get("integer index, nonnegative", SINGLE, "Nonnegative indices must start at ``0``", VALUE,
         x1[0], x1[4], x2[0, 3], x3[1, 2, 0]),
    _get("integer index, negative", SINGLE, "Negative indices must count backward", VALUE,
         x1[-1], x1[-5], x2[-1, -4], x3[-2, -1, -3]),
    _get("integer index, operator.index object", SINGLE, "An integer index must be an object satisfying", VALUE,
         x1[Index(2)], x2[Index(1), Index(-1)]),
    _get("integer index, out of bounds", SINGLE, "The behavior for out-of-bounds integer indices", OPEN,
         x1[5], x1[-6], x2[3, 0]),
    _get("single value, 0-d array", SINGLE, "the result must be a zero-dimensional array", ARRAY0,
         x1[2], x1[-1], x2[1, -1], x3[0, 1, 2], x2[I(1), I(2)]),
    # ---- slices
    _get("slice, start inclusive and stop exclusive", SINGLE, "Colons ``:`` must be used for", VALUE,
         x1[1:3], x1[0:5], x1[-4:-1], x1[1:4:2]),
    _get("slice, steps", SLICES, "must select ``m`` elements with index values", VALUE,
         x1[0:5:2], x1[1:5:3], x1[0:5:7], x1[4:0:-1], x1[4:0:-2], x1[-1:-5:-2], x1[3:1:-1]),
    _get("slice, step omitted", SLICES, "If ``k`` is not provided", VALUE, x1[0:4], x1[1:3:], x1[-3:]),
    _get("slice, positive step, start omitted", SLICES, "If ``k`` is greater than ``0`` and ``i`` is not provided",
         VALUE, x1[:4:2], x1[::3]),
    _get("slice, positive step, stop omitted", SLICES, "If ``k`` is greater than ``0`` and ``j`` is not provided",
         VALUE, x1[1::2], x1[-4::3]),
    _get("slice, negative step, start omitted", SLICES, "If ``k`` is less than ``0`` and ``i`` is not provided",
         VALUE, x1[:1:-2], x1[:-4:-1]),
    _get("slice, negative step, stop omitted", SLICES, "If ``k`` is less than ``0`` and ``j`` is not provided",
         VALUE, x1[3::-2], x1[::-1], x1[-2::-1]),
    _get("slice, start equals stop", SLICES, "If ``i`` equals ``j``, a slice must return an empty array", VALUE,
         x1[2:2], x1[-2:-2], x1[0:0:2], x2[1:1, :], x1[2:2:-1]),
    _get("slice, : and ::", SLICES, "Indexing via ``:`` and ``::`` must be equivalent", VALUE,
         x1[:], x1[::], x2[:, ::]),
    _get("slice, bounds in the required ranges", SLICES, "ranges for the start and stop values of a slice must be",
         VALUE, x1[-5:5], x1[5:], x1[:-5], x1[-5::2], x1[0:-5], x1[5::-1], x1[-5::-1], x1[:4:-1], x1[4:-6:-1],
         x1[:-6:-2]),
    _get("slice, bounds out of the required ranges", SLICES, "The behavior outside of these bounds is unspecified",
         OPEN, x1[0:100], x1[10:], x1[-100:2], x1[100::-1], x1[:-100:-1], x1[7:9]),
    # ---- several axes
    _get("selection tuple", MULTI, "Multi-dimensional arrays must extend the concept", VALUE,
         x2[1:3, 2], x2[0, 1:], x3[1, :, 2], x3[:, 1:3, ::2], x3[-1, 0:2, 1], x2[0:0, 1]),
    _get("integer as a slice, nonnegative", MULTI, "Providing a single nonnegative integer ``i``", VALUE,
         x2[1, :], x3[:, 2, :]),
    _get("integer as a slice, negative", MULTI, "Providing a single negative integer ``i``", VALUE,
         x2[-1, :], x3[:, :, -3]),
    _get("integer reduces the rank", MULTI, "Providing a single integer as a single-axis index must reduce", SHAPE,
         x3[1, :, :], x3[:, 1, :], x2[:, 0]),
    _get("slice keeps the rank", MULTI, "Providing a slice must retain array dimensions", SHAPE,
         x2[:, :], x3[1:2, :, ::2], x1[3:]),
    _get("ellipsis", MULTI, "must apply ``:`` to each dimension necessary", VALUE,
         x3[...], x3[1, ...], x3[..., 2], x3[0:1, ..., 1:], x1[...], x3[1, 2, 3, ...], x3[..., 1, 2, 3]),
    _get("more than one ellipsis", MULTI, "An ``IndexError`` exception must be raised if more than one ellipsis",
         INDEX_ERROR, x3[..., 1, ...], x1[..., ...]),
    _get("rank 0 with () and ...", MULTI, "Providing an empty tuple or an ellipsis to an array of rank ``0``",
         ARRAY0, x0[()], x0[...]),
    _get("None", MULTI, "Each ``None`` in the selection tuple must expand", VALUE,
         x2[None, :, :], x2[:, None, :], x2[None, 1, None, :], x1[..., None], x0[None], x3[0, None, ..., None, 1]),
    _get("fewer expressions than axes", MULTI, "An ``IndexError`` exception should be raised if the number", OPEN,
         x2[1], x3[0:1, 1], x3[-1]),
    _get("more expressions than axes", MULTI, "An ``IndexError`` exception must be raised if the number", INDEX_ERROR,
         x1[0, 0], x2[1, 2, 0], x2[:, :, :], x0[0], x2[..., 0, 0, 0], x1[None, 0, 0]),
    # ---- integer arrays
    _get("integer arrays, one per axis", INTEGER, "An array must support indexing by an indexing tuple", VALUE,
         x1[I(0, 2, 4)], x2[I(0, 2), I(1, 3)], x3[I(1, 0), I(2, 2), I(3, 0)]),
    _get("0-d integer arrays", INTEGER, "Providing a zero-dimensional integer array ``tk``", VALUE,
         x1[I(3)], x2[I(1), I(-1)], x3[I(0), 2, I(1)]),
    _get("integers with integer arrays", INTEGER, "Conversely, each integer index ``tk`` must be equivalent", VALUE,
         x2[1, I(0, 2, 3)], x3[I(1, 0), 2, I(3)]),
    _get("integer arrays, negative elements", INTEGER, "each element in ``tk`` must independently satisfy", VALUE,
         x1[I(-1, 0, -5)], x2[I(-1, 0), I(-4, 3)]),
    _get("integer arrays, duplicates", INTEGER, "containing duplicate valid integer indices", VALUE,
         x1[I(1, 1, 3, 1)], x2[I(2, 2), I(0, 0)]),
    _get("integer arrays, broadcast", INTEGER, "all elements of ``T`` must be broadcast against each other", VALUE,
         x2[I([[0], [2]]), I(0, 3, 1)], x3[I([[0], [1]]), I(0, 2), I([[1, 3]])]),
    _get("integer arrays, not broadcastable", INTEGER, "not broadcast-compatible with the others, an exception", ERROR,
         x2[I(0, 1), I(0, 1, 2)]),
    _get("integer arrays, gather", INTEGER, "must be constructed by gathering elements", VALUE,
         x2[I(0, 1), I(2, 3)], x2[I([[0, 1], [2, 0]]), I([[3, 3], [0, 1]])]),
    _get("integer arrays, result shape", INTEGER, "must be an array having the broadcasted shape", SHAPE,
         x2[I([[0, 1, 2]]), I([[0], [1]])], x1[I([[0, 1], [2, 3]])]),
    _get("integer arrays with slices", INTEGER, "Behavior for such indexing tuples is left unspecified", OPEN,
         x2[:, I(0, 2)], x2[I(0, 2), 1:3], x3[I(0, 1), ..., I(1, 2)]),
    _get("integer arrays, fewer than the axes", INTEGER, "having length ``N``", OPEN, x2[I(0, 2)], x3[I(1), I(0)]),
    _get("array-like index", INTEGER, "Behavior when indexing an array using array-like elements", OPEN,
         x1[[0, 2]], x2[[0, 1], [1, 2]]),
    _get("integer arrays of other integer dtypes", INTEGER, "``tk`` should have the default array index data type",
         OPEN, x1[I(0, 2, dtype="int32")], x1[I(0, 2, dtype="int8")], x1[I(0, 2, dtype="uint8")]),
    _get("integer arrays, out of bounds", INTEGER, "The behavior for out-of-bounds integer indices", OPEN,
         x1[I(0, 7)], x1[I(-6)], x2[I(3), I(0)]),
    # ---- boolean arrays
    _get("mask, rank at most the array's", BOOLEAN, "then ``A[B]`` must replace the first ``M`` dimensions", SHAPE,
         x1[M([1, 0, 1, 1, 0])], x2[M34], x3[M23], x2[M([1, 0, 1])], x3[M([0, 1])], x2[M([[0] * 4] * 3)]),
    _get("mask, row-major order", BOOLEAN, "The values in the resulting array must be in row-major", VALUE,
         x2[M34], x3[M23], x3[M([[[1, 0, 0, 1]] * 3, [[0, 1, 1, 0]] * 3])]),
    _get("mask of higher rank", BOOLEAN, "If ``N < M``, then an ``IndexError``", INDEX_ERROR,
         x1[M([[1, 0]] * 5)], x0[M([1])]),
    _get("mask, wrong size", BOOLEAN, "If a dimension size does not equal the size", INDEX_ERROR,
         x1[M([1, 0, 1])], x2[M([[1, 0, 1]] * 3)], x2[M([1, 0])]),
    _get("mask, dimension of size 0", BOOLEAN, "must equal the size of the corresponding dimension in ``A`` or be",
         VALUE, x1[Arr([], "bool")], x2[Arr([], "bool", (0, 4))]),
    _get("0-d mask", BOOLEAN, "A zero-dimensional boolean index array (equivalent to", VALUE,
         x2[M(True)], x2[M(False)], x0[M(True)], x1[M(False)]),
    _get("mask with other index expressions", BOOLEAN, "The prohibition against combining boolean array indices",
         OPEN, x2[M([1, 0, 1]), 0], x2[None, M34], x3[M23, 1:]),
    # ---- the result's dtype: every standard dtype
    _get("result dtype", RETURNS, "must be an array of the same data type as the indexed array", DTYPE,
         x1[1], x1[M([1, 0, 1, 1, 0])], x1[I(3, 0)], dtypes=()),
    # ---- __setitem__
    _set("integer index", SET_, "Must be compatible with ``self[key]``", SET,
         (x1[2], 9), (x1[-1], 9), (x2[1, -1], 9), (x2[1, 2], V(9)), (x3[0, 1, :], V([8, 9, 8, 9]))),
    _set("slice", SET_, "Must be compatible with ``self[key]``", SET,
         (x1[1:4], 9), (x1[1:4], V([7, 8, 9])), (x2[1:, ::2], V([8, 9])), (x2[:, 1:3], V([[8], [9], [7]]))),
    _set("slice, negative step", SET_, "Must be compatible with ``self[key]``", SET,
         (x1[::-2], 9), (x1[3:0:-1], V([7, 8, 9])), (x2[:, ::-3], V([8, 9]))),
    _set("ellipsis", SET_, "Must be compatible with ``self[key]``", SET,
         (x2[...], 9), (x3[..., 1], V([8, 9, 7])), (x3[0, ...], V([6, 7, 8, 9])), (x2[1, ..., 0], 9)),
    _set("rank 0 with () and ...", SET_, "Must be compatible with ``self[key]``", SET,
         (x0[()], 9), (x0[...], V(9))),
    _set("mask", SET_, "Must be compatible with ``self[key]``", SET,
         (x2[M34], 9), (x2[M34], V([9])), (x2[M([1, 0, 1])], V([6, 7, 8, 9])), (x1[M([0, 1, 1, 0, 1])], V(9))),
    _set("0-d mask", SET_, "Must be compatible with ``self[key]``", SET, (x2[M(True)], 9), (x1[M(False)], V(9))),
    _set("every dtype", SET_, "Must be compatible with ``self[key]``", SET,  # a kernel missing for one dtype
         (x1[1], V(1)), (x1[1:3], V([0, 1])), (x1[M([0, 1, 1, 0, 1])], V(1)), (x2[..., 0], V([1, 0, 1])), dtypes=()),
    _set("integer arrays", SET_, "Indexing semantics when ``key`` is an integer array", OPEN,
         (x1[I(0, 2)], 9), (x2[I(0, 2), I(1, 3)], V([8, 9]))),
    _set("None", SET_, "See :ref:`indexing` for details", OPEN, (x2[None, 0, :], 9), (x1[..., None], V([9])),
         why="__setitem__'s key is {key}: no None"),
    _set("dtype kept", SET_, "Setting array values must not affect the data type", SET,
         (x1[1:3], V([7, 8], "int8")), (x2[0, :], V(9, "int16")), dtypes=("int32",)),
    _set("dtype kept, float", SET_, "Setting array values must not affect the data type", SET,
         (x1[1:3], V([7.5, 8], "float32")), (x2[0, :], 9), dtypes=("float64",)),
    _set("Python scalar", SET_, "When ``value`` is a Python scalar", SET, (x1[0], 9), (x2[0, 1], 2),
         dtypes=("float64",)),
    _set("Python scalar of another kind", SET_, "When ``value`` is a Python scalar", OPEN,
         (x1[0], 2.5), (x1[1:3], True), dtypes=("int32",), why="mixing an int32 array with a float or bool scalar "
                                                               "is not in the standard's guidance"),
    _set("value of another dtype", SET_, "how values are cast to the data type of ``self``", OPEN,
         (x1[1:3], V([7, 8], "int8")), (x1[1:3], V([7.5, 8.5], "float32"))),
    _set("value promoted to self's dtype", SET_, "must be promoted to the data type of ``self``", SET,
         (x1[1:3], V([7, 8], "int8")), (x2[0, :], V([6, 7, 8, 9], "int16")), (x1[0], 9), dtypes=("int32",)),
    _set("value promoted to self's dtype, float", SET_, "must be promoted to the data type of ``self``", SET,
         (x1[1:3], V([7.5, 8], "float32")), (x2[0, :], 9), dtypes=("float64",)),
    _set("value not promotable to self's dtype", SET_, "If this is not supported according to", OPEN,
         (x1[0], 2.5), (x1[1:3], True), (x1[1:3], V([7.5, 8.5], "float64")), dtypes=("int32",)),
)
#: The sentence whose failure is an immutable array's: the method does not set anything.
ASSIGNMENT = Rule(SET_, "item assignment", SET_, "Sets ``self[key]`` to ``value``", SET, ((x1[0], 9),), ("int32",))
