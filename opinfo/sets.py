"""Set functions: unique_values, unique_counts, unique_inverse, unique_all, isin.

The standard leaves the order of unique values unspecified (NumPy >= 2.3 returns
``unique_values`` unsorted, PyTorch sorts), so the unique_* ops compare through
``compare_unique``. Two details are where libraries really differ and carry
fixed samples: NaNs are *distinct* under the standard (NumPy's ``unique_*``
functions keep every NaN, while legacy ``np.unique`` collapses them with
``equal_nan=True``), and ``-0.0 == 0.0`` collapse to one value of either sign
("either is acceptable"), so signed zeros are not checked for these ops.
PyTorch has one ``torch.unique`` for all four; it has no first-occurrence
indices, so ``unique_all``'s are derived from its inverse with ``scatter_reduce``.
"""

from __future__ import annotations

import dataclasses

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_unique
from opinfo.declared import TORCH_COMPLEX_ORDER_LINK, jax_flushes_subnormals, torch_shell_uints
from opinfo.dtypes import ALL, COMPLEX, FLOAT, INTEGER
from opinfo.samples import arrays, ordinary_values, shapes, special_values
from opinfo.spec import Expected, Sample, op
from opinfo.where import keyword_true, nan_in_input


# --------------------------------------------------------------------------- torch spellings
def _torch_unique_values(torch, x):
    return torch.unique(x)


def _torch_unique_counts(torch, x):
    return torch.unique(x, return_counts=True)


def _torch_unique_inverse(torch, x):
    return torch.unique(x, return_inverse=True)


def _torch_unique_all(torch, x):
    values, inverse, counts = torch.unique(x, return_inverse=True, return_counts=True)
    positions = torch.arange(x.numel(), device=x.device)
    first = torch.full(values.shape, x.numel(), dtype=torch.int64, device=x.device)
    first = first.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
    return values, first, inverse, counts


# --------------------------------------------------------------------------- inputs
def _nan_samples(dt: np.dtype) -> list[Sample]:
    """Several NaNs (each distinct under the standard) mixed with signed zeros and ties."""
    if dt.kind == "f":
        x = np.array([np.nan, 1.0, np.nan, -0.0, 0.0, 1.0, -np.inf, np.nan], dtype=dt)
    elif dt.kind == "c":
        x = np.empty(6, dtype=dt)
        for i, v in enumerate([complex(np.nan, 0), complex(1, 1), complex(np.nan, 1), complex(0, np.nan),
                               complex(1, 1), complex(-0.0, 0.0)]):
            x[i] = v
    else:
        return []
    return [Sample((x,), note="several NaNs: each one distinct")]


def _unique_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    ties = np.array(ordinary_values(dt, 6).tolist() * 2, dtype=dt)
    return _nan_samples(dt) + [
        Sample((special_values(dt),), note="special values"),
        Sample((ties,), note="ties"),
        Sample((ties.reshape(3, 4),), note="2-D: flattened"),
        Sample((np.array(ties[0]),), note="0-d"),
        Sample((np.empty((0,), dtype=dt),), note="empty"),
        Sample((np.empty((2, 0), dtype=dt),), note="empty 2-D"),
    ]


@st.composite
def _with_repeats(draw, dtype):
    """Arrays with repeated values: drawn from a small pool, so that counts and inverses matter."""
    dt = np.dtype(dtype)
    pool = draw(arrays(dt, shapes(1, 1, min_side=1, max_side=4)))
    shape = draw(shapes())
    x = draw(arrays(dt, shape) | hnp.arrays(dt, shape, elements=st.sampled_from(list(pool))))
    return Sample((x,))


def _isin_samples(dtype) -> list[Sample]:
    dt = np.dtype(dtype)
    specials = special_values(dt)
    some = specials[::2].copy()
    ordinary = ordinary_values(dt)
    return [
        Sample((specials, some), note="special values against every other one (NaN never matches)"),
        Sample((specials, some), {"invert": True}),
        Sample((ordinary.reshape(3, 4), ordinary[:3]), note="2-D elements"),
        Sample((np.array(ordinary[1]), ordinary), note="0-d elements"),
        Sample((ordinary, np.array(ordinary[2])), note="0-d test elements"),
        Sample((ordinary, np.empty((0,), dtype=dt)), note="empty test elements"),
        Sample((np.empty((0,), dtype=dt), ordinary), note="empty elements"),
    ]


@st.composite
def _isin_strategy(draw, dtype):
    dt = np.dtype(dtype)
    x1 = draw(arrays(dt))
    hits = list(x1.ravel()) or [ordinary_values(dt)[0]]
    x2 = draw(arrays(dt) | hnp.arrays(dt, shapes(max_dims=2), elements=st.sampled_from(hits)))
    kwargs = {"invert": True} if draw(st.booleans()) else {}
    return Sample((x1, x2), kwargs)


# --------------------------------------------------------------------------- registry
_UNIQUE_COMPLEX = Expected("torch", "error", dtypes=COMPLEX, link=TORCH_COMPLEX_ORDER_LINK,
                           match="not implemented for 'Complex",
                           reason="torch.unique sorts and has no complex ordering: it raises "
                                  "'\"unique\" not implemented for ComplexFloat' where NumPy finds unique values.")


JAX_UNIQUE = (
    jax_flushes_subnormals("shape", what="a subnormal and 0 come out as one unique value"),
    Expected("jax", "special-value", dtypes=COMPLEX,
             reason="jnp.unique_* return every complex value with a NaN part as nan+0j (0+nanj and nan+1j both "
                    "become nan+0j); NumPy keeps each NaN-holding value as it is."),
)
#: Only unique_all returns first-occurrence indices, where the order of the rewritten NaNs shows.
JAX_UNIQUE_INDICES = Expected(
    "jax", "value", where=nan_in_input, dtypes=COMPLEX,
    reason="NaN-holding complex values are rewritten as nan+0j and ordered among themselves by that, so their "
           "first-occurrence indices follow another order than NumPy's.")


def _unique(name, fields, ref, torch_spelling, doc, expected=(), unique_complex=_UNIQUE_COMPLEX):
    return op(
        name=name, family="set", ref=ref, doc=doc,
        dtypes=ALL, samples=_unique_samples, strategy=_with_repeats, compare=compare_unique(fields),
        check_signed_zero=False, spellings={"torch": torch_spelling},
        expected=(unique_complex, *JAX_UNIQUE, *expected),
    )


OPS = [
    _unique("unique_values", ("values",), np.unique_values, _torch_unique_values,
            "Unique values of the flattened input."),
    _unique("unique_counts", ("values", "counts"), np.unique_counts, _torch_unique_counts,
            "Unique values and how often each occurs."),
    _unique("unique_inverse", ("values", "inverse"), np.unique_inverse, _torch_unique_inverse,
            "Unique values and, per input element, the index of its value (input-shaped)."),
    _unique("unique_all", ("values", "indices", "inverse", "counts"), np.unique_all, _torch_unique_all,
            "Unique values, first-occurrence indices, inverse indices and counts.", expected=(JAX_UNIQUE_INDICES,),
            # array_api_compat.torch's unique_all raises NotImplementedError for every dtype, before torch.unique
            unique_complex=dataclasses.replace(_UNIQUE_COMPLEX, surface="native")),
    op(
        name="isin", family="set", ref=np.isin,
        doc="Elementwise membership of x1 in x2 (Array API 2024.12); NaN is never a member.",
        dtypes=ALL, samples=_isin_samples, strategy=_isin_strategy,
        expected=(
            torch_shell_uints(),
            jax_flushes_subnormals("value", what="a subnormal is a member where 0 is"),
            Expected("torch", "error", match="Unsupported input type encountered for isin", dtypes=("bool",) + COMPLEX,
                     reason="torch.isin raises 'Unsupported input type encountered for isin()' for bool and "
                            "complex tensors; NumPy tests membership for every dtype."),
            Expected("array_api_strict", "error", match="TypeError", dtypes=("bool",) + FLOAT + COMPLEX,
                     reason="array_api_strict.isin accepts integer arrays only (the 2025.12 standard specifies "
                            "integer inputs) and raises TypeError; NumPy tests membership for every dtype."),
            Expected("array_api_strict", "value", where=keyword_true("invert"), dtypes=INTEGER,
                     reason="array_api_strict.isin ignores invert=True: it returns np.isin(x1, x2) without "
                            "passing invert on, so the result is not negated."),
        ),
    ),
]
