"""Sorting and searching: sort, argsort, searchsorted, argmax/argmin, nonzero, where, count_nonzero.

Complex inputs are the interesting part: NumPy orders complex numbers
lexicographically (real part, then imaginary part); the Array API standard
leaves complex ordering unspecified and PyTorch refuses to sort them.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_argsort, compare_sorted
from opinfo.declared import (
    TORCH_COMPLEX_ORDER_LINK,
    beyond_standard,
    jax_flushes_subnormals,
    strict_real_only,
    torch_shell_uints,
)
from opinfo.dtypes import ALL, COMPLEX, NUMERIC, REAL
from opinfo.samples import arrays, axis_strategy, ordinary_values, reduction_strategy, shapes, special_values
from opinfo.spec import Expected, Sample, op
from opinfo.where import index_of_same_value, nan_operand

DASK_ARG_TIES = Expected(
    "dask", "value", where=index_of_same_value,
    reason="With axis=None on a multi-chunk array dask's argmax/argmin return the first extremum of the first chunk "
           "that holds one, which is not the first in C order when a tie spans chunks ([[0, 0, 1], [1, 0, 0], ...] "
           "in 2x2 chunks: 3, NumPy 2).")
TORCH_EMPTY_ARG_REDUCTION = Expected(
    "torch", "error-type", match="reference raised ValueError, implementation raised (RuntimeError|IndexError)",
    reason="On an empty input NumPy raises ValueError ('attempt to get argmax of an empty sequence'); torch "
           "raises IndexError (empty dim) or RuntimeError (whole empty tensor).")


def _torch_sort(torch, x, axis=-1, stable=False):
    return torch.sort(x, dim=axis, stable=stable).values


def _torch_argsort(torch, x, axis=-1, stable=False):
    return torch.argsort(x, dim=axis, stable=stable)


def _sort_samples(dtype):
    dt = np.dtype(dtype)
    specials = special_values(dt)
    ties = np.array(ordinary_values(dt, 6).tolist() * 2, dtype=dt)
    samples = [
        Sample((specials,), note="special values"),
        Sample((ties,), {"stable": True}, note="ties"),
        Sample((ties.reshape(3, 4),), {"axis": 0}),
        Sample((ordinary_values(dt).reshape(3, 4),), {"axis": -1, "stable": True}),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ]
    if dt.kind == "c":
        equal_real = np.array([complex(1, 2), complex(1, -1), complex(0, 5), complex(1, 0)], dtype=dt)
        samples.insert(0, Sample((equal_real,), note="complex values with equal real parts"))
    return samples


@st.composite
def _sort_strategy(draw, dtype):
    sample = draw(axis_strategy(dtype))
    kwargs = dict(sample.kwargs)
    if draw(st.booleans()):
        kwargs["stable"] = True
    return Sample(sample.args, kwargs)


def _arg_reduction_samples(dtype):
    dt = np.dtype(dtype)
    return [
        Sample((special_values(dt),), note="special values"),
        Sample((ordinary_values(dt).reshape(3, 4),), note="ties, flattened"),
        Sample((ordinary_values(dt).reshape(3, 4),), {"axis": 0}),
        Sample((ordinary_values(dt).reshape(3, 4),), {"axis": -1, "keepdims": True}),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
    ] + tied_extremes(dt)


def tied_extremes(dtype) -> list[Sample]:
    """The first extremum in C order, (0, 2), and a later tie, (1, 0): a blocked library must not
    return the tie it meets first."""
    return [
        Sample((np.array([[0, 0, 1], [1, 0, 0], [0, 0, 0]], dtype=dtype),), note="tied maxima: first in C order"),
        Sample((np.array([[1, 1, 0], [0, 1, 1], [1, 1, 1]], dtype=dtype),), note="tied minima: first in C order"),
    ]


@st.composite
def _arg_reduction_strategy(draw, dtype):
    sample = draw(axis_strategy(dtype, min_side=1))
    kwargs = dict(sample.kwargs)
    if draw(st.booleans()):
        kwargs.pop("axis")
    elif draw(st.booleans()):
        kwargs["keepdims"] = True
    return Sample(sample.args, kwargs)


def _torch_arg_reduction(name):
    def call(torch, x, axis=None, keepdims=False):
        return getattr(torch, name)(x, dim=axis, keepdim=keepdims)

    call.__name__ = f"torch.{name}"
    return call


def _searchsorted_samples(dtype):
    dt = np.dtype(dtype)
    haystack = np.sort(ordinary_values(dt))
    needles = special_values(dt)
    return [
        Sample((haystack, needles), note="special values as needles"),
        Sample((haystack, needles), {"side": "right"}),
        Sample((haystack, np.array(haystack[3], dtype=dt)), note="0-d needle"),
        Sample((np.empty((0,), dtype=dt), needles)),
        Sample((np.empty((0,), dtype=dt), np.array(haystack[3], dtype=dt)), note="empty haystack, 0-d needle"),
        Sample((np.empty((0,), dtype=dt), np.empty((0, 2), dtype=dt)), note="empty haystack, zero-size 2-D needles"),
    ]


@st.composite
def _searchsorted_strategy(draw, dtype):
    haystack = np.sort(draw(arrays(dtype, shapes(1, 1), finite=True)))
    present = hnp.arrays(np.dtype(dtype), shapes(0, 2), elements=st.sampled_from(list(haystack) or [0]))
    needles = draw(arrays(dtype, shapes(0, 2), finite=True) | present)
    side = draw(st.sampled_from(["left", "right"]))
    return Sample((haystack, needles), {"side": side})


def _where_samples(dtype):
    dt = np.dtype(dtype)
    cond = np.array([True, False, True, False])
    return [
        Sample((cond, special_values(dt)[:4], ordinary_values(dt)[:4])),
        Sample((cond.reshape(4, 1), ordinary_values(dt)[:3], ordinary_values(dt)[3:6]), note="broadcasting"),
        Sample((np.array(True), ordinary_values(dt)[:2], ordinary_values(dt)[2:4])),
    ]


@st.composite
def _where_strategy(draw, dtype):
    shapes3 = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=4)).input_shapes
    cond = draw(hnp.arrays(np.bool_, shapes3[0]))
    return Sample((cond, draw(arrays(dtype, shapes3[1])), draw(arrays(dtype, shapes3[2]))))


#: jnp.sort orders complex numbers part by part, NaN last in each part; NumPy moves any NaN-holding value to the end.
JAX_COMPLEX_NAN_ORDER = ("jnp.sort orders complex numbers by real part, then imaginary part, with NaN last within each "
                         "part, so 0+nanj comes before 1+0j; NumPy puts every value with a NaN part after all others "
                         "(R+Rj < R+nanj < nan+Rj < nan+nanj).")

OPS = [
    op(
        name="sort", family="sorting", ref=np.sort,
        doc="Sorted copy along an axis (NumPy's signature: axis, stable).",
        dtypes=REAL + COMPLEX,
        samples=_sort_samples, strategy=_sort_strategy,
        spellings={"torch": _torch_sort},
        compare=compare_sorted,
        expected=(
            *strict_real_only("sort", COMPLEX),
            Expected("torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK, match="does not support complex",
                     reason="PyTorch does not order complex numbers: sort raises 'Sort does not support complex "
                            "dtypes', where NumPy sorts lexicographically (real part, then imaginary part)."),
            Expected("jax", "order", dtypes=COMPLEX, reason=JAX_COMPLEX_NAN_ORDER),
        ),
    ),
    op(
        name="argsort", family="sorting", ref=np.argsort,
        doc="Indices that sort an array; compared through the values they gather, ties by index only if stable.",
        dtypes=REAL + COMPLEX,
        samples=_sort_samples, strategy=_sort_strategy,
        spellings={"torch": _torch_argsort},
        compare=compare_argsort,
        expected=(
            *strict_real_only("argsort", COMPLEX),
            Expected("torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK, match="does not support complex",
                     reason="PyTorch does not order complex numbers: argsort raises where NumPy orders "
                            "lexicographically."),
            # bounded to a different order: indices that are not a permutation stay new
            Expected("jax", "value", dtypes=COMPLEX, reason=JAX_COMPLEX_NAN_ORDER, match="^indices gather different"),
        ),
    ),
    op(
        name="argmax", family="searching", ref=np.argmax,
        dtypes=REAL + COMPLEX, samples=_arg_reduction_samples, strategy=_arg_reduction_strategy,
        spellings={"torch": _torch_arg_reduction("argmax")},
        expected=(
            *strict_real_only("argmax", COMPLEX, raises_on_empty=True),
            Expected("jax", "error", dtypes=COMPLEX, match="does not accept dtype complex",
                     reason="jnp.argmax refuses complex input (TypeError from lax's comparison); NumPy orders complex "
                            "numbers lexicographically. The standard defines argmax for real-valued dtypes."),
            Expected("torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK, match="does not support complex",
                     reason="PyTorch has no complex ordering: argmax raises 'argmax(): does not support complex "
                            "input', where NumPy orders lexicographically."),
            TORCH_EMPTY_ARG_REDUCTION,
            torch_shell_uints(),
            DASK_ARG_TIES,
        ),
    ),
    op(
        name="argmin", family="searching", ref=np.argmin,
        dtypes=REAL + COMPLEX, samples=_arg_reduction_samples, strategy=_arg_reduction_strategy,
        spellings={"torch": _torch_arg_reduction("argmin")},
        expected=(
            *strict_real_only("argmin", COMPLEX, raises_on_empty=True),
            Expected("jax", "error", dtypes=COMPLEX, match="does not accept dtype complex",
                     reason="jnp.argmin refuses complex input (TypeError from lax's comparison); NumPy orders complex "
                            "numbers lexicographically. The standard defines argmin for real-valued dtypes."),
            Expected("torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK, match="does not support complex",
                     reason="PyTorch has no complex ordering: argmin raises 'argmin(): does not support complex "
                            "input', where NumPy orders lexicographically."),
            TORCH_EMPTY_ARG_REDUCTION,
            torch_shell_uints(),
            DASK_ARG_TIES,
        ),
    ),
    op(
        name="searchsorted", family="searching", ref=np.searchsorted,
        dtypes=REAL, samples=_searchsorted_samples, strategy=_searchsorted_strategy,
        expected=(
            torch_shell_uints(),
            Expected("jax", "dtype",
                     reason="jnp.searchsorted returns int32 indices even with 64-bit types enabled; NumPy returns "
                            "int64 (intp), and the standard the default array index dtype (int64 here)."),
            beyond_standard("jax", "value", "Complex haystacks with NaN parts: NumPy sorts NaN parts to the end "
                            "lexicographically, jnp.searchsorted compares them otherwise, so insertion points "
                            "differ.", where=nan_operand, dtypes=("complex64", "complex128")),
            Expected("dask", "error", match="does not support item assignment",
                     reason="da.searchsorted with an empty haystack and a 0-d needle fails inside dask ('numpy.int64' "
                            "object does not support item assignment); NumPy returns 0."),
            Expected("dask", "shape",
                     reason="da.searchsorted with an empty haystack and zero-size 2-D needles returns shape (1, 0); "
                            "NumPy returns the needles' shape (0, 2)."),
        ),
    ),
    op(
        name="count_nonzero", family="searching", ref=np.count_nonzero,
        dtypes=ALL, samples=_arg_reduction_samples, strategy=reduction_strategy,
        expected=(
            Expected("torch", "error", match="keepdims", surface="native",
                     reason="torch.count_nonzero(input, dim) has no keepdims argument; NumPy's and the standard's "
                            "count_nonzero take keepdims=True."),
            Expected("dask", "error", match="keepdims", surface="native",
                     reason="da.count_nonzero(a, axis) has no keepdims argument; NumPy's and the standard's "
                            "count_nonzero take keepdims=True."),
            jax_flushes_subnormals("value", what="a subnormal is not counted as nonzero"),
            torch_shell_uints(),
        ),
    ),
    op(
        name="where", family="searching", ref=np.where,
        dtypes=NUMERIC, samples=_where_samples, strategy=_where_strategy, elementwise=True,
    ),
]
