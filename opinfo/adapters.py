"""Spelling adapters: a NumPy (or SciPy) call translated to another namespace's names and keywords.

An ``OpInfo.spellings`` entry may be a callable ``f(xp, *args, **kwargs)``; the ones here are the
generic kind, parametrised by the function they call: they rename keywords (``axis`` -> ``dim``,
``ddof`` -> ``correction``) and change nothing else, so every remaining difference is the
library's own. Adapters for one op's peculiar signature stay with that op.
"""

from __future__ import annotations

from collections.abc import Callable

from opinfo.spec import reference_name

#: The standard's (and NumPy's) keyword names -> torch's.
TORCH_KEYWORDS = {"axis": "dim", "keepdims": "keepdim", "axes": "dims"}


def _attribute(namespace, dotted: str):
    for part in dotted.split("."):
        namespace = getattr(namespace, part)
    return namespace


def torch_keywords(fname: str, **rename: str) -> Callable:
    """``torch.<fname>`` (dotted) with keyword names translated (:data:`TORCH_KEYWORDS`, then ``rename``)."""
    names = TORCH_KEYWORDS | rename

    def call(torch, *args, **kwargs):
        return _attribute(torch, fname)(*args, **{names.get(k, k): v for k, v in kwargs.items()})

    call.__name__ = f"torch.{fname}"
    return call


def _values(out):
    """torch.median/max with a dim return (values, indices); keep the values."""
    return out[0] if isinstance(out, tuple) else out


def torch_reduction(fname: str, *, int_dim: bool = False, rename=(), **defaults) -> Callable:
    """``torch.<fname>(x, dim=axis, keepdim=keepdims)``; ``rename`` maps NumPy keyword names to torch's
    and ``defaults`` gives torch NumPy's default where the two differ (std/var: correction=0).

    ``int_dim``: torch has no ``dim=None`` overload (prod, median): reduce everything by calling
    without a dim (and restore the kept dimensions). A tuple axis is passed through as it is.
    """

    def call(torch, x, *args, axis=None, keepdims=False, **kwargs):
        f = getattr(torch, fname)
        kwargs = defaults | {dict(rename).get(k, k): v for k, v in kwargs.items()}
        if axis is None and int_dim:
            out = f(x, *args, **kwargs)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return _values(f(x, *args, dim=axis, keepdim=keepdims, **kwargs))

    call.__name__ = f"torch.{fname}"
    return call


def torch_scan(fname: str) -> Callable:
    """``torch.cumsum(x, dim)``: torch requires the dim that NumPy lets 1-D (and 0-d) inputs omit."""

    def call(torch, x, axis=None, **kwargs):
        return getattr(torch, fname)(x, dim=0 if axis is None and x.ndim <= 1 else axis, **kwargs)

    call.__name__ = f"torch.{fname}"
    return call


def array_api_correction(fname: str) -> Callable:
    """``xp.<fname>(x, correction=ddof)``: the Array API spells NumPy's ``ddof`` as ``correction``."""

    def call(xp, x, axis=None, keepdims=False, ddof=0, **kwargs):
        return getattr(xp, fname)(x, axis=axis, keepdims=keepdims, correction=ddof, **kwargs)

    return call


def array_api_statistic(fname: str, *, correction: bool = False) -> Callable:
    """The Array API surface's ``xp.<fname>`` (mean; std and var with ``correction``) in the standard's own
    signature: NumPy's ``ddof`` is the standard's ``correction``, an axis given positionally is passed by
    keyword, and NumPy's ``dtype=`` ("the type to use in computing"; the result has that dtype), which these
    functions of the standard lack, is spelled as the standard can: the input cast to it first
    (``xp.astype(x, dtype)``). A deviation is real-valued even in complex arithmetic, so for a real input and a
    complex ``dtype`` (``np.std(x, dtype=np.complex128)``) it is computed in the matching real dtype, where the
    standard defines std and var, and the result cast to ``dtype`` as NumPy's is."""

    def call(xp, x, axis=None, dtype=None, *, keepdims=False, **kwargs):
        if correction:
            kwargs["correction"] = kwargs.pop("ddof", 0)
        if dtype is None:
            return getattr(xp, fname)(x, axis=axis, keepdims=keepdims, **kwargs)
        compute_in = dtype
        if correction and xp.isdtype(dtype, "complex floating") and not xp.isdtype(x.dtype, "complex floating"):
            compute_in = xp.float32 if dtype == xp.complex64 else xp.float64
        out = getattr(xp, fname)(xp.astype(x, compute_in), axis=axis, keepdims=keepdims, **kwargs)
        return out if out.dtype == dtype else xp.astype(out, dtype)

    call.__name__ = f"xp.{fname}"
    return call


def reference_function(func: Callable) -> Callable:
    """A SciPy reference as the numpy backend's spelling (the numpy namespace has no such name)."""

    def call(np_, *args, **kwargs):
        return func(*args, **kwargs)

    call.__name__ = reference_name(func.__name__, func) or func.__name__
    return call
