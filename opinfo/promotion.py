"""Type promotion rules as pure functions: NumPy 2's (NEP 50) and the documented rules of libraries
that differ from it, so a declaration can say *which* result dtype a library is expected to give.

Each rule maps the operands of one call -- arrays as (dtype name, ndim), Python scalars as their
type ("bool", "int", "float", "complex") -- to a dtype name, or None where the library refuses
the mix. A declaration built on a rule covers a dtype divergence only where the implementation's
result dtype is exactly the rule's and NumPy's is not: a library that promotes some *other* way
there is still new.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

KINDS = ("b", "iu", "f", "c")
TORCH_PROMOTION_LINK = "https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc"
JAX_PROMOTION_LINK = "https://docs.jax.dev/en/latest/type_promotion.html"
Operand = tuple[str, int] | str


def operands(args: Sequence) -> list[Operand]:
    """The promotion-relevant view of a call's positional arguments."""
    out: list[Operand] = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append((a.dtype.name, a.ndim))
        elif isinstance(a, (bool, int, float, complex)):
            out.append(type(a).__name__)
    return out


def _category(dtype: str) -> int:
    return next(i for i, kinds in enumerate(KINDS) if np.dtype(dtype).kind in kinds)


def _join(dtypes: Sequence[str]) -> str | None:
    """NumPy's join of array dtypes (the standard's table where it has one)."""
    try:
        return np.result_type(*[np.dtype(d) for d in dtypes]).name
    except TypeError:
        return None


# --------------------------------------------------------------------------- torch
_TORCH_SHELL = {"uint16", "uint32", "uint64"}
#: What a Python scalar counts as (torch's "wrapped numbers"): the default dtypes of its category.
_TORCH_WRAPPED = {"bool": "bool", "int": "int64", "float": "float32", "complex": "complex64"}


def torch_promote(a: str | None, b: str | None) -> str | None:
    """torch.promote_types: the higher category wins (an integer never widens a float); a float
    beside a complex widens the complex; a shell unsigned type (uint16/32/64) promotes with itself
    and with floats only; otherwise NumPy's join."""
    if a is None or b is None:
        return a or b
    if a == b:
        return a
    if (a in _TORCH_SHELL or b in _TORCH_SHELL) and 2 not in (_category(a), _category(b)):
        return None
    ca, cb = _category(a), _category(b)
    if ca != cb:
        high, low = (a, b) if ca > cb else (b, a)
        if _category(high) == 3 and _category(low) == 2 and np.dtype(low).itemsize == 8:
            return "complex128"
        return high
    return _join([a, b])


def _torch_fold(dtypes: Sequence[str]) -> str | None:
    result = None
    for d in dtypes:
        if result is None:
            result = d
            continue
        result = torch_promote(result, d)
        if result is None:
            raise _Refused
    return result


class _Refused(Exception):
    pass


def _combine_categories(higher: str | None, lower: str | None) -> str | None:
    """c10's combine_categories: the lower class counts only where its category is higher."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if _category(higher) == 3:
        return higher
    if _category(lower) == 3:
        if _category(higher) == 2:
            return "complex128" if higher == "float64" else "complex64"
        return lower
    if _category(higher) == 2:
        return higher
    if higher == "bool" or _category(lower) == 2:
        promoted = torch_promote(higher, lower)
        if promoted is None:
            raise _Refused
        return promoted
    return higher


def torch_result(ops: Sequence[Operand]) -> str | None:
    """torch.result_type: dimensioned tensors, then 0-d tensors, then Python scalars (as their
    category's default dtype), each class counting only where its category is higher (c10's
    ResultTypeState); None where torch refuses the mix."""
    arrays = [o for o in ops if not isinstance(o, str)]
    try:
        dims = _torch_fold([d for d, n in arrays if n > 0])
        zero = _torch_fold([d for d, n in arrays if n == 0])
        wrapped = _torch_fold([_TORCH_WRAPPED[o] for o in ops if isinstance(o, str)])
        return _combine_categories(dims, _combine_categories(zero, wrapped))
    except _Refused:
        return None


# --------------------------------------------------------------------------- jax
def _jax_pair(a: str, b: str) -> str:
    """JAX's lattice (x64): bool below everything; every integer below every float (int64 + float32 is
    float32); uint64 with a signed integer is float64 (the default float); else NumPy's join."""
    ca, cb = _category(a), _category(b)
    if a == b:
        return a
    if ca != cb and 0 in (ca, cb):
        return b if ca == 0 else a
    if {ca, cb} == {1, 2} or {ca, cb} == {1, 3}:
        return a if ca > cb else b
    if ca == cb == 1 and {np.dtype(a).kind, np.dtype(b).kind} == {"i", "u"} and "uint64" in (a, b):
        return "float64"
    return _join([a, b])


def jax_result(ops: Sequence[Operand]) -> str | None:
    """jax.numpy's result dtype with 64-bit types: 0-d arrays count like any array; a Python scalar is
    weakly typed: it takes the array's dtype within its category, the default dtype of a higher one."""
    arrays = [d for d, _ in (o for o in ops if not isinstance(o, str))]
    if not arrays:
        return None
    result = arrays[0]
    for d in arrays[1:]:
        result = _jax_pair(result, d)
    for s in (o for o in ops if isinstance(o, str)):
        cat = {"bool": 0, "int": 1, "float": 2, "complex": 3}[s]
        if cat > _category(result):
            if cat == 3:
                result = "complex64" if result == "float32" else "complex128"
            else:
                result = {1: "int64", 2: "float64"}[cat]
    return result


def torch_inexact(common: str, numpy_result: str) -> str:
    """The float torch computes integer and bool inputs in: its default dtype (float32; complex64)."""
    return "complex64" if np.dtype(numpy_result).kind == "c" else "float32"


def jax_inexact(common: str, numpy_result: str) -> str:
    """The float jax.numpy computes integer and bool inputs in (64-bit types on): float64 for 64-bit
    integers, float32 for narrower ones (complex alike)."""
    wide = np.dtype(common).itemsize == 8
    if np.dtype(numpy_result).kind == "c":
        return "complex128" if wide else "complex64"
    return "float64" if wide else "float32"
