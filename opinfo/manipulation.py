"""Manipulation: moving, reshaping, joining, repeating and indexing arrays without arithmetic.

Every op here only moves elements, so results compare exactly for every dtype
(NaN payloads and signed zeros included). What differs between libraries is
the calling convention: PyTorch spells axes ``dim``/``dims``, has ``movedim``,
``permute``, ``unsqueeze``, ``repeat_interleave``, ``index_select`` and
``take_along_dim`` where NumPy and the Array API standard have ``moveaxis``,
``permute_dims``, ``expand_dims``, ``repeat``, ``take`` and ``take_along_axis``.
Those spellings are adapters below, never reimplementations. Inputs stay in the
standard's domain (``tril``/``triu`` on >= 2-D, tuple ``repetitions`` for
``tile``, one integer axis for ``expand_dims``, ``take`` without ``axis`` on
1-D input only); NumPy-only extensions are out of scope, real divergences
inside it are declared.
"""

from __future__ import annotations

import dataclasses

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.declared import (
    JAX_BIG_INT,
    TORCH_SHELL_UINTS,
    TORCH_SHELL_UINTS_LINK,
    beyond_standard,
    jax_flushes_subnormals,
    torch_shell_uints,
)
from opinfo.dtypes import ALL, COMPLEX, NUMERIC, REAL
from opinfo.elementwise import TORCH_COMPLEX_ADD
from opinfo.samples import arrays, elements, shapes, special_values
from opinfo.spec import ANY_BACKEND, Expected, Sample, op, uses


# --------------------------------------------------------------------------- torch spellings
def _axes(x, axis):
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _torch_flip(torch, x, axis=None):
    return torch.flip(x, _axes(x, axis))


def _torch_roll(torch, x, shift, axis=None):
    return torch.roll(x, shift, axis)


def _torch_concat(torch, arrays, axis=0):
    return torch.concat(arrays, dim=axis)


def _torch_stack(torch, arrays, axis=0):
    return torch.stack(arrays, dim=axis)


def _torch_repeat(torch, x, repeats, axis=None):
    return torch.repeat_interleave(x, repeats, dim=axis)


def _torch_take(torch, x, indices, axis=None):
    if axis is None:
        return torch.take(x, indices)
    return torch.index_select(x, axis, indices)


def _torch_take_along_axis(torch, x, indices, axis=-1):
    return torch.take_along_dim(x, indices, dim=axis)


def _torch_tri(name):
    def call(torch, x, k=0):
        return getattr(torch, name)(x, diagonal=k)

    call.__name__ = f"torch.{name}"
    return call


# --------------------------------------------------------------------------- fixed inputs
def _block(dtype, shape=(2, 3, 4)) -> np.ndarray:
    """Special values (NaN, -0.0, extremes, ...) laid out in ``shape``: every element distinct where possible."""
    return np.resize(special_values(dtype), shape)


def _idx(*values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _basic(dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A 3-D, a 2-D, a 0-d and an empty array of ``dtype``."""
    dt = np.dtype(dtype)
    return _block(dt), _block(dt, (3, 4)), np.array(special_values(dt)[1]), np.empty((0, 3), dtype=dt)


# --------------------------------------------------------------------------- strategies
def _signed(draw, axis: int, ndim: int) -> int:
    """``axis`` as given or in its negative spelling."""
    return axis - ndim if draw(st.booleans()) else axis


def _array(draw, dtype, min_dims=0, min_side=0):
    """Half the time Hypothesis' own elements; half the time the special values, rotated and laid out in
    the drawn shape: mostly distinct (so a misplaced element shows) and much cheaper to draw."""
    shape = draw(shapes(min_dims=min_dims, min_side=min_side))
    if draw(st.booleans()):
        return draw(arrays(dtype, shape))
    specials = special_values(dtype)
    return np.resize(np.roll(specials, draw(st.integers(0, len(specials) - 1))), shape)


@st.composite
def _moveaxis_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    n = x.ndim
    source = draw(hnp.valid_tuple_axes(n, min_size=1))
    dest = draw(st.permutations(range(n)))[: len(source)]
    dest = tuple(_signed(draw, a, n) for a in dest)
    if len(source) == 1 and draw(st.booleans()):
        return Sample((x, source[0], dest[0]))
    return Sample((x, source, dest))


@st.composite
def _permute_strategy(draw, dtype):
    x = _array(draw, dtype)
    axes = tuple(_signed(draw, a, x.ndim) for a in draw(st.permutations(range(x.ndim))))
    return Sample((x, axes))


@st.composite
def _reshape_strategy(draw, dtype):
    x = _array(draw, dtype)
    dims = list(draw(st.permutations(x.shape)))
    while len(dims) > 1 and draw(st.booleans()):  # merge two neighbours
        i = draw(st.integers(0, len(dims) - 2))
        dims[i: i + 2] = [dims[i] * dims[i + 1]]
    for _ in range(draw(st.integers(0, 2))):  # insert unit axes
        dims.insert(draw(st.integers(0, len(dims))), 1)
    if dims and x.size and draw(st.booleans()):
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    return Sample((x, tuple(dims)))


def _axis_or_axes(draw, ndim, allow_none=True):
    """None, one (possibly negative) axis, or a tuple of distinct axes."""
    choice = draw(st.sampled_from(["none", "int", "tuple"] if allow_none else ["int", "tuple"]))
    if choice == "none":
        return None
    if choice == "int":
        return draw(st.integers(-ndim, ndim - 1))
    return draw(hnp.valid_tuple_axes(ndim, min_size=1))


@st.composite
def _flip_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    axis = _axis_or_axes(draw, x.ndim)
    return Sample((x,), {} if axis is None else {"axis": axis})


@st.composite
def _roll_strategy(draw, dtype):
    x = _array(draw, dtype)
    axis = _axis_or_axes(draw, x.ndim, allow_none=True) if x.ndim else None
    shifts = st.integers(-7, 7)
    shift = tuple(draw(shifts) for _ in axis) if isinstance(axis, tuple) else draw(shifts)
    return Sample((x, shift), {} if axis is None else {"axis": axis})


@st.composite
def _join_strategy(draw, dtype, stack: bool):
    base = list(draw(shapes(min_dims=0 if stack else 1)))
    ndim = len(base) + (1 if stack else 0)
    axis = draw(st.integers(-ndim, ndim - 1))
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        shape = list(base)
        if not stack:
            shape[axis] = draw(st.integers(0, 3))
        parts.append(draw(arrays(dtype, tuple(shape))))
    kwargs = {"axis": axis} if axis or draw(st.booleans()) else {}
    return Sample((parts,), kwargs)


@st.composite
def _squeeze_strategy(draw, dtype):
    shape = list(draw(shapes(min_dims=1)))
    for _ in range(draw(st.integers(1, 2))):
        shape.insert(draw(st.integers(0, len(shape))), 1)
    x = draw(arrays(dtype, tuple(shape)))
    units = [i for i, n in enumerate(shape) if n == 1]
    chosen = draw(st.lists(st.sampled_from(units), min_size=1, max_size=len(units), unique=True))
    axes = tuple(_signed(draw, a, x.ndim) for a in chosen)
    return Sample((x,), {"axis": axes[0] if len(axes) == 1 and draw(st.booleans()) else axes})


@st.composite
def _expand_dims_strategy(draw, dtype):
    x = _array(draw, dtype)
    return Sample((x,), {"axis": draw(st.integers(-x.ndim - 1, x.ndim))})


@st.composite
def _broadcast_to_strategy(draw, dtype):
    x = _array(draw, dtype)
    target = [draw(st.integers(0, 3)) if n == 1 else n for n in x.shape]
    lead = draw(st.lists(st.integers(0, 3), max_size=2))
    return Sample((x, tuple(lead + target)))


@st.composite
def _tile_strategy(draw, dtype):
    x = _array(draw, dtype)
    reps = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=3)))
    return Sample((x, reps))


@st.composite
def _repeat_strategy(draw, dtype):
    x = _array(draw, dtype)
    axis = draw(st.none() | st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
    n = x.size if axis is None else x.shape[axis]
    kind = draw(st.sampled_from(["int", "array", "one-element array"]))
    if kind == "int":
        repeats = draw(st.integers(0, 3))
    else:
        repeats = draw(hnp.arrays(np.int64, 1 if kind == "one-element array" else n, elements=st.integers(0, 3)))
    return Sample((x, repeats), {} if axis is None else {"axis": axis})


@st.composite
def _swapaxes_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    axis = st.integers(-x.ndim, x.ndim - 1)
    return Sample((x, draw(axis), draw(axis)))


def _indices(n: int, max_size: int = 6):
    """1-D int64 indices into an axis of length ``n``, negative ones included."""
    if n == 0:
        return st.just(np.empty((0,), dtype=np.int64))
    return hnp.arrays(np.int64, st.integers(0, max_size), elements=st.integers(-n, n - 1))


@st.composite
def _take_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    if x.ndim == 1 and draw(st.booleans()):  # axis may be omitted for 1-D input only
        return Sample((x, draw(_indices(x.size))))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return Sample((x, draw(_indices(x.shape[axis]))), {"axis": axis})


@st.composite
def _take_along_axis_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[axis]
    shape = list(x.shape)
    shape[axis] = draw(st.integers(0, 4)) if n else 0
    indices = draw(hnp.arrays(np.int64, tuple(shape), elements=st.integers(-max(n, 1), max(n, 1) - 1)))
    return Sample((x, indices), {"axis": axis})


@st.composite
def _tri_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=2)
    return Sample((x,), {"k": draw(st.integers(-5, 5))} if draw(st.booleans()) else {})


# --------------------------------------------------------------------------- fixed samples
def _moveaxis_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((cube, 0, -1)),
        Sample((cube, (0, 1), (-1, -3))),
        Sample((mat, -1, 0)),
        Sample((empty, 0, 1), note="empty"),
        Sample((scalar, (), ()), note="0-d"),
    ]


def _permute_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [Sample((cube, (2, 0, 1))), Sample((cube, (-1, -2, -3)), note="negative axes"),
            Sample((mat, (1, 0))), Sample((empty, (1, 0)), note="empty"), Sample((scalar, ()), note="0-d")]


def _reshape_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((cube, (4, 6))),
        Sample((cube, (-1,)), note="-1: infer"),
        Sample((mat, (2, -1, 3))),
        Sample((scalar, (1, 1)), note="0-d to 2-D"),
        Sample((mat[:1, :1], ()), note="one element to 0-d"),
        Sample((empty, (3, 0)), note="empty"),
        Sample((np.empty((2, 0, 0), dtype=dt), (0,)), note="empty 3-D to 1-D"),
    ]


def _flip_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [Sample((cube,)), Sample((cube,), {"axis": -1}), Sample((cube,), {"axis": (0, 2)}),
            Sample((mat,), {"axis": 0}), Sample((empty,), {"axis": 1}, note="empty"),
            Sample((scalar,), note="0-d")]


def _roll_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((mat, 1), note="axis=None: flattened"),
        Sample((mat, -2), {"axis": -1}),
        Sample((mat, 7), {"axis": 1}, note="shift larger than the axis"),
        Sample((cube, (1, -1)), {"axis": (0, 2)}),
        Sample((cube, (1, 1)), {"axis": (2, 2)}, note="same axis twice: shifts add"),
        Sample((empty, 1), {"axis": 0}, note="empty"),
        Sample((empty, 1), note="empty, flattened"),
        Sample((np.empty((0, 0, 0), dtype=dt), 7), note="empty 3-D, flattened"),
        Sample((scalar, 1), note="0-d"),
    ]


def _concat_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [
        Sample(([mat, mat[:1]],), note="axis=0 by default"),
        Sample(([mat, mat[:, :2], mat[:, :0]],), {"axis": -1}),
        Sample(([cube],), {"axis": 1}, note="one array"),
        Sample(([empty, mat[:, :3]],), {"axis": 0}, note="empty and non-empty"),
        Sample(([mat, cube[0]],), {"axis": None}, note="axis=None: flattened, any shapes"),
    ]


def _stack_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample(([mat, mat[::-1]],)),
        Sample(([mat, mat, mat],), {"axis": -1}),
        Sample(([cube],), {"axis": 3}, note="new last axis"),
        Sample(([scalar, scalar],), note="0-d arrays"),
        Sample(([empty, empty],), {"axis": 1}, note="empty"),
    ]


def _squeeze_samples(dt):
    x = _block(dt, (1, 3, 1))
    return [
        Sample((x,), {"axis": 0}),
        Sample((x,), {"axis": -1}),
        Sample((x,), {"axis": (0, 2)}),
        Sample((np.empty((1, 0), dtype=dt),), {"axis": 0}, note="empty"),
        Sample((x,), {"axis": 1}, note="axis of length 3: must raise"),
    ]


def _expand_dims_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [Sample((mat,), {"axis": 0}), Sample((mat,), {"axis": -1}), Sample((cube,), {"axis": 2}),
            Sample((scalar,), {"axis": 0}, note="0-d"), Sample((empty,), {"axis": -2}, note="empty")]


def _broadcast_to_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((scalar, (2, 3)), note="0-d"),
        Sample((mat[:, :1], (2, 3, 4)), note="size-1 axis and a new leading axis"),
        Sample((mat[0], (2, 4))),
        Sample((mat[:1, :1], (0, 5)), note="to empty"),
        Sample((cube, (2, 3, 4)), note="same shape"),
        Sample((empty, (2, 0, 3))),
    ]


def _tile_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [Sample((mat, (2, 1))), Sample((mat, (2,)), note="fewer repetitions than axes"),
            Sample((mat[0], (2, 1, 2)), note="more repetitions than axes"), Sample((cube, (1, 0, 1))),
            Sample((scalar, (3,)), note="0-d"), Sample((empty, (2, 2)), note="empty")]


def _repeat_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((mat, 2), note="axis=None: flattened"),
        Sample((mat, 2), {"axis": -1}),
        Sample((mat, _idx(1, 0, 3)), {"axis": 0}, note="per-element repeats"),
        Sample((cube, _idx(2)), {"axis": 1}, note="one-element repeats array broadcasts"),
        Sample((scalar, 3), note="0-d"),
        Sample((scalar, _idx(2)), note="0-d, repeats as an array"),
        Sample((empty, 2), {"axis": 1}, note="empty"),
        Sample((empty[:, 0], 2), note="empty 1-D, axis=None"),
    ]


def _swapaxes_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [Sample((cube, 0, 2)), Sample((cube, -1, 1)), Sample((mat, 0, 0), note="same axis"),
            Sample((empty, 0, 1), note="empty")]


def _take_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [
        Sample((mat, _idx(0, 2, 2)), {"axis": 1}),
        Sample((mat, _idx(-1, 0)), {"axis": 0}, note="negative indices (standard since 2024.12)"),
        Sample((cube, _idx(3, 1)), {"axis": -1}),
        Sample((mat[0], _idx(3, 0, 1)), note="1-D, axis omitted"),
        Sample((mat, _idx()), {"axis": 1}, note="no indices"),
        Sample((empty, _idx(2)), {"axis": 1}, note="empty"),
        Sample((empty.T, _idx(0, 2)), {"axis": 0}, note="zero-size array, non-empty axis"),
    ]


def _take_along_axis_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [
        Sample((mat, np.argsort(mat, axis=1, kind="stable")), {"axis": 1}),
        Sample((mat, _idx(2, 0, 1, 1).reshape(1, 4)), {"axis": 0}),
        Sample((cube, np.full((2, 3, 1), -1, dtype=np.int64)), {"axis": -1}, note="negative indices"),
        Sample((empty, np.zeros((0, 3), dtype=np.int64)), {"axis": 1}, note="empty"),
    ]


def _tri_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [Sample((mat,)), Sample((mat,), {"k": 1}), Sample((mat,), {"k": -2}), Sample((mat,), {"k": 9}),
            Sample((cube,), note="batched"), Sample((empty,), note="empty")]


# --------------------------------------------------------------------------- registry
DASK_EMPTY_RESHAPE = Expected(
    "dask", "error", link="https://github.com/dask/dask/issues/2561",
    match="merge or split existing dimensions|reduce\\(\\) of empty iterable|Missing dependency|"
          "tuple index out of range",
    reason="dask reshapes (and rolls the flattened array, which reshapes) zero-size arrays with chunked axes only "
           "in some cases: (0, 3) to (3, 0) raises NotImplementedError ('only supports operations that merge or "
           "split existing dimensions'), (2, 0, 0) to (0,) IndexError ('tuple index out of range'), others fail "
           "with TypeError or a broken task graph; NumPy reshapes them.")


def _op(name, samples, strategy, doc="", torch=None, expected=(), ref=None, dtypes=ALL, **fields):
    fields.setdefault("spellings", {"torch": torch} if torch else {})
    return op(name, "manipulation", ref or getattr(np, name), dtypes, lambda dt: samples(np.dtype(dt)), strategy,
              doc=doc, expected=expected, **fields)


OPS = [
    _op("moveaxis", _moveaxis_samples, _moveaxis_strategy, "Move axes to new positions (torch: moveaxis/movedim).",
        torch="movedim"),
    _op("permute_dims", _permute_samples, _permute_strategy, "Permute all axes.", torch="permute",
        expected=[Expected("jax", "error", match="isn't a permutation of operand dimensions",
                           reason="jnp.permute_dims takes non-negative axes only: (-1, -2, -3) raises TypeError. "
                                  "NumPy (and torch.permute) accept negative axes; the standard asks for a "
                                  "permutation of (0, ..., N-1).")]),
    _op("reshape", _reshape_samples, _reshape_strategy, "New shape, same elements in C order; -1 inferred.",
        expected=[DASK_EMPTY_RESHAPE]),
    _op("flip", _flip_samples, _flip_strategy, "Reverse along axes (all of them by default).", torch=_torch_flip,
        expected=[torch_shell_uints()]),
    _op("roll", _roll_samples, _roll_strategy, "Cyclic shift along axes, or of the flattened array.",
        torch=_torch_roll, expected=[DASK_EMPTY_RESHAPE, Expected(
            "torch", "error", match="shifts and dimensions must align", domain="any",
            reason="One shift for a tuple of axes: NumPy broadcasts it to every axis; torch.roll needs as many shifts "
                   "as dims (RuntimeError 'shifts and dimensions must align').")] + [Expected(
            "dask", "error", match="Must have the same number of shifts as axes", domain="any",
            reason="One shift for a tuple of axes: NumPy broadcasts it to every axis; dask.array.roll needs as many "
                   "shifts as axes (ValueError).")]),
    _op("concat", _concat_samples, lambda dt: _join_strategy(dt, stack=False),
        "Join arrays along an existing axis; axis=None joins them flattened.", torch=_torch_concat,
        expected=[Expected("torch", "error", match="must be int, not NoneType", surface="native",
                           reason="torch.concat/torch.cat have no axis=None (join flattened arrays): dim=None "
                                  "raises TypeError where NumPy and the standard flatten first.")]),
    _op("stack", _stack_samples, lambda dt: _join_strategy(dt, stack=True), "Join arrays along a new axis.",
        torch=_torch_stack),
    _op("squeeze", _squeeze_samples, _squeeze_strategy, "Remove the given size-1 axes.",
        expected=[Expected("torch", "accepts", surface="native",
                           reason="torch.squeeze silently ignores an axis whose length is not 1; NumPy (and the "
                                  "standard: 'must raise') raise ValueError.")]),
    _op("expand_dims", _expand_dims_samples, _expand_dims_strategy, "Insert a size-1 axis.", torch="unsqueeze",
        expected=[Expected("torch", "error", match="argument 'dim' must be int, not tuple", domain="any",
                           surface="native",
                           reason="A tuple of axes: NumPy's expand_dims inserts one size-1 axis per entry; "
                                  "torch.unsqueeze takes one int dim. (The standard's expand_dims takes an int or, "
                                  "since 2025.12, a tuple.)")]),
    _op("broadcast_to", _broadcast_to_samples, _broadcast_to_strategy, "Broadcast to a shape (read-only view)."),
    _op("tile", _tile_samples, _tile_strategy, "Repeat the whole array along each axis (tuple repetitions)."),
    _op("repeat", _repeat_samples, _repeat_strategy, "Repeat each element (torch: repeat_interleave).",
        torch=_torch_repeat, expected=[
            torch_shell_uints(),
            Expected("dask", "error", match="Must supply an integer axis value",
                     reason="da.repeat needs an integer axis: axis=None (repeat the flattened array) raises "
                            "NotImplementedError."),
            Expected("dask", "error", match="Only integer valued repeats supported",
                     reason="da.repeat takes one integer repeat count: an array of per-element repeats raises "
                            "NotImplementedError."),
            Expected("dask", "error", match="Need array\\(s\\) to concatenate",
                     reason="da.repeat of an empty 1-D array raises ValueError ('Need array(s) to concatenate'); "
                            "NumPy returns an empty array."),
        ]),
    _op("swapaxes", _swapaxes_samples, _swapaxes_strategy, "Exchange two axes (NumPy name; not in the standard)."),
    _op("take", _take_samples, _take_strategy, "Elements at 1-D indices along an axis (torch: take/index_select).",
        torch=_torch_take,
        expected=[torch_shell_uints(),
                  Expected("torch", "error", match="index out of range in self|INDICES element is out of DATA bounds",
                           surface="native",
                           reason="torch.index_select (take along an axis) raises IndexError for negative indices; "
                                  "NumPy wraps them, as the standard requires since 2024.12 (array-api PR 894)."),
                  Expected("dask", "error", match="Chunks do not add up to shape",
                           reason="da.take along a non-empty axis of a zero-size array (shape (3, 0), axis=0) builds "
                                  "inconsistent chunks and raises ValueError; NumPy returns the empty result.")]),
    _op("take_along_axis", _take_along_axis_samples, _take_along_axis_strategy,
        "Elements at per-position indices along an axis (torch: take_along_dim).", torch=_torch_take_along_axis,
        expected=[torch_shell_uints()]),
    _op("tril", _tri_samples, _tri_strategy, "Lower triangle of the last two axes, offset k.",
        torch=_torch_tri("tril"), expected=[torch_shell_uints()]),
    _op("triu", _tri_samples, _tri_strategy, "Upper triangle of the last two axes, offset k.",
        torch=_torch_tri("triu"), expected=[torch_shell_uints()]),
]


# --------------------------------------------------------------------------- broadcasting, unstack, clip, diff, nonzero
def _torch_broadcast_arrays(torch, *arrays):
    return torch.broadcast_tensors(*arrays)


def _torch_unstack(torch, x, axis=0):
    return torch.unbind(x, dim=axis)


def _torch_clip(torch, x, min=None, max=None):  # noqa: A002 - the standard's keyword names
    return torch.clip(x, min, max)


def _torch_diff(torch, x, axis=-1, n=1, prepend=None, append=None):
    return torch.diff(x, n=n, dim=axis, prepend=prepend, append=append)


def _torch_nonzero(torch, x):
    return torch.nonzero(x, as_tuple=True)


def _shape_array(shape) -> np.ndarray:
    """A shape (tuple of ints, torch.Size, ...) as a 1-D int64 array, so shapes compare as arrays."""
    return np.asarray(tuple(int(n) for n in shape), dtype=np.int64)


def _broadcast_shapes(xp, *shapes):
    return _shape_array(xp.broadcast_shapes(*shapes))


uses("broadcast_shapes")(_broadcast_shapes)  # a statement, not a decorator: reproducers copy the plain function


def _broadcast_arrays_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [
        Sample((mat[:, :1], mat[:1]), note="column and row"),
        Sample((cube, mat[0], scalar), note="three arrays, 0-d included"),
        Sample((mat,), note="one array"),
        Sample((empty, mat[:1, :3]), note="empty"),
        Sample((mat, cube[:, :2]), note="incompatible shapes: must raise"),
    ]


@st.composite
def _broadcast_arrays_strategy(draw, dtype):
    n = draw(st.integers(1, 3))
    result = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=3, max_side=4))
    return Sample(tuple(draw(arrays(dtype, s)) for s in result.input_shapes))


def _unstack_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [Sample((mat,)), Sample((cube,), {"axis": -1}), Sample((cube,), {"axis": 1}),
            Sample((empty,), {"axis": 1}, note="empty"), Sample((empty,), note="axis of length 0: no arrays")]


@st.composite
def _unstack_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    return Sample((x,), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))} if draw(st.booleans()) else {})


def _clip_samples(dt):
    dt = np.dtype(dt)
    x = special_values(dt)
    lo, hi = (np.array(v, dtype=dt) for v in ((1, 3) if dt.kind in "iu" else (-1.5, 2.0)))
    samples = [
        Sample((x,), {"min": lo, "max": hi}, note="0-d array bounds"),
        Sample((x,), {"min": lo.item()}, note="Python scalar min only"),
        Sample((x,), {"max": hi.item()}, note="Python scalar max only"),
        Sample((x.reshape(-1, 1),), {"min": np.resize(x, (1, 3)), "max": np.resize(x, (1, 3))[::-1]},
               note="array bounds broadcast (min > max in places)"),
        Sample((x,), {"min": lo.item(), "max": lo.item()}, note="min == max"),
        Sample((np.empty((0, 2), dtype=dt),), {"min": lo, "max": hi}, note="empty"),
        Sample((x,), note="no bounds: x unchanged"),
    ]
    if dt.kind == "f":
        nan = np.array(np.nan, dtype=dt)
        samples += [Sample((x,), {"min": nan, "max": hi}, note="NaN min"),
                    Sample((x,), {"min": lo, "max": nan}, note="NaN max"),
                    Sample((x,), {"min": float("nan")}, note="NaN Python scalar min")]
    if dt.name == "uint64":
        samples.append(Sample((x,), {"max": 2**64 - 1}, note="Python int max beyond int64"))
    return samples


@st.composite
def _clip_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x = _array(draw, dt)
    kind = draw(st.sampled_from(["scalars", "arrays", "min only", "max only"]))
    if kind == "arrays":
        shape = draw(hnp.broadcastable_shapes(x.shape, max_dims=x.ndim, min_side=0))
        a, b = draw(arrays(dt, shape)), draw(arrays(dt, shape))
        return Sample((x,), {"min": np.asarray(np.minimum(a, b)), "max": np.asarray(np.maximum(a, b))})
    lo, hi = sorted([draw(elements(dt, finite=True)).item(), draw(elements(dt, finite=True)).item()])
    if kind == "min only":
        return Sample((x,), {"min": lo})
    if kind == "max only":
        return Sample((x,), {"max": hi})
    return Sample((x,), {"min": lo, "max": hi})


def _diff_samples(dt):
    cube, mat, _, empty = _basic(dt)
    return [
        Sample((mat,)),
        Sample((cube,), {"axis": 0}),
        Sample((mat,), {"n": 2, "axis": 1}),
        Sample((mat,), {"n": 0}, note="n=0: x unchanged"),
        Sample((mat,), {"n": 9}, note="n beyond the axis length: empty"),
        Sample((mat,), {"prepend": mat[:, :1], "append": mat[:, -2:]}),
        Sample((mat,), {"axis": 0, "prepend": mat[-1:]}),
        Sample((special_values(dt),), note="special values"),
        Sample((empty,), {"axis": 0}, note="empty"),
    ]


@st.composite
def _diff_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    kwargs = {"axis": axis, "n": draw(st.integers(0, 3))}
    for key in ("prepend", "append"):
        if draw(st.booleans()):
            shape = list(x.shape)
            shape[axis] = draw(st.integers(0, 2))
            kwargs[key] = draw(arrays(dtype, tuple(shape)))
    return Sample((x,), kwargs)


def _nonzero_samples(dt):
    cube, mat, scalar, empty = _basic(dt)
    return [Sample((special_values(dt),), note="special values: NaN is nonzero, -0.0 is zero"), Sample((cube,)),
            Sample((mat,)), Sample((empty,), note="empty"), Sample((np.empty((2, 0, 0), dtype=dt),), note="empty 3-D"),
            Sample((np.zeros((2, 3), dtype=dt),), note="all zero"),
            Sample((scalar,), note="0-d: must raise")]


@st.composite
def _nonzero_strategy(draw, dtype):
    x = _array(draw, dtype, min_dims=1)
    return Sample((np.where(draw(hnp.arrays(np.bool_, x.shape)), x, np.zeros_like(x)),))


def _broadcast_shapes_samples(dt):
    return [
        Sample(((2, 1), (1, 3)), note="two shapes"),
        Sample(((4, 1, 3), (5, 1), ()), note="three shapes, () included"),
        Sample(((0, 1), (1, 3)), note="zero-length axis"),
        Sample(((3,),), note="one shape"),
        Sample((), note="no shapes"),
        Sample(((2, 3), (3, 2)), note="incompatible: must raise"),
    ]


@st.composite
def _broadcast_shapes_strategy(draw, dtype):
    n = draw(st.integers(1, 4))
    result = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=4, max_side=4))
    return Sample(tuple(result.input_shapes))


def _numeric_op(name, samples, strategy, doc, dtypes, torch, expected=(), ref=None, **fields):
    return _op(name, samples, strategy, doc, torch=torch, expected=expected, ref=ref, dtypes=dtypes, **fields)


def _torch_broadcast_error(op: str) -> Expected:
    return Expected("torch", "error-type", match="implementation raised RuntimeError",
                    reason=f"{op} on shapes that do not broadcast raises RuntimeError ('The size of tensor a ... "
                           "must match' / 'Attempting to broadcast a dimension'); NumPy raises ValueError.")


OPS += [
    _op("broadcast_arrays", _broadcast_arrays_samples, _broadcast_arrays_strategy,
        "Broadcast several arrays to their common shape (torch: broadcast_tensors).", torch=_torch_broadcast_arrays,
        expected=[_torch_broadcast_error("torch.broadcast_tensors")]),
    _op("unstack", _unstack_samples, _unstack_strategy, "Split into a tuple of arrays along an axis (torch: unbind).",
        torch=_torch_unstack),
    _numeric_op("clip", _clip_samples, _clip_strategy,
                "Clamp to [min, max]; min/max are arrays or Python scalars, either may be omitted.", REAL,
                _torch_clip, ref=lambda x, min=None, max=None: np.clip(x, min=min, max=max),
                reference_name="numpy.clip",
                check_signed_zero=False,  # the standard leaves the choice between -0.0 and +0.0 unspecified
                expected=[torch_shell_uints(),
                          beyond_standard("jax", "accepts", "Bool input with neither min nor max: NumPy's clip calls "
                                          "the positive ufunc, which has no bool loop; jnp.clip returns x.",
                                          dtypes=("bool",), match="did not contain a loop"),
                          Expected("torch", "error", match="At least one of 'min' or 'max' must not be None",
                                   surface="native",
                                   reason="torch.clip/torch.clamp with neither min nor max raises RuntimeError; "
                                          "the standard (and NumPy 2.1+) return x unchanged."),
                          JAX_BIG_INT,
                          Expected("dask", "error", match="clip does not take the following keyword arguments",
                                   surface="native",
                                   reason="da.clip has NumPy 1's signature (a_min, a_max): the standard's (and NumPy "
                                          "2.1's) keyword arguments min= and max= raise TypeError.")]),
    _numeric_op("diff", _diff_samples, _diff_strategy,
                "n-th forward difference along an axis, with optional prepend/append arrays.", NUMERIC, _torch_diff,
                expected=[torch_shell_uints(),
                          beyond_standard("dask", "error", "A bool array: NumPy's diff takes not_equal of "
                                          "neighbours, dask.array.diff subtracts them, which bool refuses.",
                                          dtypes=("bool",), match="unsupported operand type"),
                          Expected("torch", "special-value", dtypes=COMPLEX, link=TORCH_COMPLEX_ADD,
                                   reason="torch.diff subtracts complex numbers as torch.sub does, as if adding the "
                                          "second operand times -1 with a complex product: (0-0j) - (0+0j) gives "
                                          "0+0j where IEEE subtraction of the parts (NumPy) gives 0-0j.")]),
    _op("nonzero", _nonzero_samples, _nonzero_strategy, "Indices of the nonzero elements, one array per axis.",
        torch=_torch_nonzero,
        expected=[torch_shell_uints(),
                  jax_flushes_subnormals("shape", what="a subnormal counts as zero, so its index is missing"),
                  Expected("torch", "accepts", surface="native",
                           dtypes=tuple(d for d in ALL if d not in TORCH_SHELL_UINTS),
                           reason="torch.nonzero(as_tuple=True) treats a 0-d tensor as 1-D and returns one index "
                                  "array; the standard says 0-d input must raise, and NumPy 2 raises ValueError."),
                  dataclasses.replace(DASK_EMPTY_RESHAPE,
                                      reason="da.nonzero flattens its input with a reshape, which dask cannot do for "
                                      "zero-size arrays in chunks: (0, 3) raises NotImplementedError ('only supports "
                                      "operations that merge or split existing dimensions'), (2, 0, 0) IndexError "
                                      "('tuple index out of range'); NumPy returns empty index arrays."),
                  Expected("torch", "error-type", dtypes=TORCH_SHELL_UINTS, match="raised NotImplementedError",
                           link=TORCH_SHELL_UINTS_LINK, surface="native",
                           reason="On 0-d uint16/32/64 input torch's missing nonzero kernel (shell dtypes) raises "
                                  "NotImplementedError before any rank check; NumPy raises ValueError (0-d input).")]),
    _op("broadcast_shapes", _broadcast_shapes_samples, _broadcast_shapes_strategy,
        "The broadcast shape of several shapes (a tuple of ints, compared as an int64 array).",
        ref=lambda *shapes: _shape_array(np.broadcast_shapes(*shapes)), reference_name="numpy.broadcast_shapes",
        expected=[_torch_broadcast_error("torch.broadcast_shapes")], dtypes=("int64",),
        # dask.array has no broadcast_shapes: without a spelling it is reported unsupported, not as an error
        spellings=dict.fromkeys(("numpy", "torch", "jax", "array_api_strict", "cupy"), _broadcast_shapes),
        array_api_spellings={ANY_BACKEND: _broadcast_shapes}),
]
