"""Data-type functions: astype, can_cast, finfo, iinfo, isdtype, result_type; the inspection API.

Their arguments are dtypes (NumPy dtypes in the samples; the runner turns them
into each backend's dtype objects) and, except for ``astype``, their results
are not arrays: dtypes, booleans, or ``finfo``/``iinfo`` objects. Every
spelling maps its result the same way on every side, so the comparison stays
honest: dtypes become their names (:func:`_dtype_name`, compared by
``opinfo.comparators.compare_names``), ``finfo``/``iinfo`` become a tuple of their fields
(:func:`_finfo_fields`, :func:`_iinfo_fields`). Inputs stay in the standard's
domain: ``result_type`` over the promotion lattice only (no mixed kinds, no
uint64 with a signed integer), ``astype`` without complex-to-real casts and
without out-of-range or NaN float-to-integer casts (unspecified behaviour).
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st

from opinfo.comparators import compare_names, compare_text
from opinfo.declared import TORCH_SHELL_UINTS_LINK, jax_flushes_subnormals
from opinfo.dtypes import ALL, BOOL, COMPLEX, FLOAT, INTEGER, SIGNED, UNSIGNED
from opinfo.samples import arrays, shapes, special_values
from opinfo.spec import ANY_BACKEND, Expected, Sample, op
from opinfo.where import casts_across_kinds, same_kind_cast

_BACKENDS = ("numpy", "torch", "jax", "array_api_strict", "dask", "cupy")


# --------------------------------------------------------------------------- result mapping
def _dtype_name(d) -> str:
    """'float32' for np.float32, np.dtype('float32'), torch.float32, array_api_strict.float32, 'float32'."""
    if isinstance(d, np.dtype) or (isinstance(d, type) and issubclass(d, np.generic)):
        return np.dtype(d).name
    return str(d).rsplit(".", 1)[-1]


def _name(d) -> np.ndarray:
    return np.asarray(_dtype_name(d))


def _finfo_fields(f) -> tuple:
    """The standard's finfo fields, as NumPy values (Python floats: exact for float32 too)."""
    return (np.asarray(int(f.bits)), np.asarray(float(f.eps)), np.asarray(float(f.max)), np.asarray(float(f.min)),
            np.asarray(float(f.smallest_normal)), _name(f.dtype))


def _iinfo_fields(f) -> tuple:
    return np.asarray(int(f.bits)), np.asarray(int(f.max)), np.asarray(int(f.min)), _name(f.dtype)


def _everywhere(fn) -> dict:
    """A native spelling for every built-in backend (the Array API surface uses ``ANY_BACKEND``: a user's
    namespace has the inspection API by the standard; its native namespace may not)."""
    return dict.fromkeys(_BACKENDS, fn)


def _native_info(fn) -> dict:
    """dask.array has no finfo/iinfo (its users call NumPy's): without a native spelling the case is unsupported."""
    return {k: v for k, v in _everywhere(fn).items() if k != "dask"}


# --------------------------------------------------------------------------- spellings
def _finfo(xp, t):
    return _finfo_fields(xp.finfo(t))


def _iinfo(xp, t):
    return _iinfo_fields(xp.iinfo(t))


def _result_type(xp, *arrays_and_dtypes):
    return _name(xp.result_type(*arrays_and_dtypes))


def _torch_result_type(torch, *arrays_and_dtypes):
    """torch.result_type takes two tensors/numbers, no dtypes; torch.promote_types takes two dtypes."""
    dtypes = [a.dtype if isinstance(a, torch.Tensor) else a for a in arrays_and_dtypes]
    return _name(functools.reduce(torch.promote_types, dtypes))


def _torch_astype(torch, x, dtype, /, *, copy=True):
    return x.to(dtype, copy=copy)


# --------------------------------------------------------------------------- astype
def _cast_targets(dt: np.dtype) -> tuple[str, ...]:
    """Target dtypes inside the standard's domain: no complex to real (nor to bool, which array-api-strict
    refuses as well)."""
    return COMPLEX if dt.kind == "c" else ALL


def _bounds(src: np.dtype, dst: np.dtype):
    """Value bounds for casting ``src`` to ``dst`` that stay representable (None: no bound needed)."""
    if dst.kind not in "iu" or src.kind == "b":
        return None, None
    lo, hi = np.iinfo(dst).min, np.iinfo(dst).max
    if src.kind in "iu":
        return max(lo, np.iinfo(src).min), min(hi, np.iinfo(src).max)
    return (0, 100) if dst.kind == "u" else (-100, 100)  # floats: well inside every integer range


def _astype_samples(dtype):
    dt = np.dtype(dtype)
    specials = special_values(dt)
    ordinary = np.array([0, 1, 2, 3, 7], dtype=dt) if dt.kind != "b" else np.array([False, True])
    samples = []
    for target in _cast_targets(dt):
        tt = np.dtype(target)
        lo, hi = _bounds(dt, tt)
        if lo is None:
            samples.append(Sample((specials, tt), note=f"special values to {target}"))
        else:
            inside = specials[(specials >= lo) & (specials <= hi)] if dt.kind in "iu" else ordinary
            samples.append(Sample((inside, tt), note=f"in-range values to {target}"))
    if dt.kind == "f":
        samples.append(Sample((np.array([2.75, -2.75, 0.5, -0.5, 99.9], dtype=dt), np.dtype("int32")),
                              note="truncation toward zero"))
    samples += [
        Sample((ordinary.reshape(-1, 1), dt), {"copy": False}, note="same dtype, copy=False"),
        Sample((ordinary, dt), {"copy": True}, note="same dtype, copy=True"),
        Sample((np.array(ordinary[1]), np.dtype("complex128" if dt.kind == "c" else "float64")), note="0-d"),
        Sample((np.empty((0, 2), dtype=dt), np.dtype("int64") if dt.kind != "c" else dt), note="empty"),
    ]
    return samples


@st.composite
def _astype_strategy(draw, dtype):
    dt = np.dtype(dtype)
    tt = np.dtype(draw(st.sampled_from(_cast_targets(dt))))
    lo, hi = _bounds(dt, tt)
    x = draw(arrays(dt, shapes()) if lo is None else arrays(dt, shapes(), lo=int(lo), hi=int(hi)))
    kwargs = {"copy": draw(st.booleans())} if draw(st.booleans()) else {}
    return Sample((x, tt), kwargs)


# --------------------------------------------------------------------------- can_cast / result_type / isdtype
def _can_cast_samples(dtype):
    dt = np.dtype(dtype)
    samples = [Sample((dt, np.dtype(t)), note=f"to {t}") for t in ALL]
    samples.append(Sample((np.zeros((2,), dtype=dt), np.dtype("float64")), note="array as from_"))
    return samples


def _can_cast_strategy(dtype):
    return st.sampled_from(ALL).map(lambda t: Sample((np.dtype(dtype), np.dtype(t))))


def _promotable(dt: np.dtype) -> tuple[str, ...]:
    """Dtypes the standard's promotion lattice pairs with ``dt`` and with each other: one kind (floating and
    complex together), and uint64 only with unsigned integers."""
    if dt.kind == "b":
        return BOOL
    if dt.name == "uint64":
        return UNSIGNED
    if dt.kind in "iu":
        return SIGNED + UNSIGNED[:3]
    return FLOAT + COMPLEX


def _result_type_samples(dtype):
    dt = np.dtype(dtype)
    partners = _promotable(dt)
    return [Sample((dt, np.dtype(t)), note=f"with {t}") for t in partners] + [
        Sample((dt,), note="one dtype"),
        Sample((np.zeros((2,), dtype=dt), np.dtype(partners[-1])), note="an array and a dtype"),
        Sample((np.zeros((2,), dtype=np.dtype(partners[0])), np.zeros((0,), dtype=dt)), note="two arrays"),
        Sample((dt, np.dtype(partners[0]), np.dtype(partners[-1])), note="three dtypes"),
    ]


@st.composite
def _result_type_strategy(draw, dtype):
    dt = np.dtype(dtype)
    pool = [dt] + [np.dtype(t) for t in draw(st.lists(st.sampled_from(_promotable(dt)), max_size=3))]
    args = [np.zeros((draw(st.integers(0, 2)),), dtype=p) if draw(st.booleans()) else p for p in pool]
    return Sample(tuple(draw(st.permutations(args))))


_KINDS = ("bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric")


def _isdtype_samples(dtype):
    dt = np.dtype(dtype)
    samples = [Sample((dt, kind), note=kind) for kind in _KINDS]
    samples += [
        Sample((dt, ("bool", "real floating")), note="tuple of kinds"),
        Sample((dt, ("complex floating", np.dtype("int16"))), note="tuple of a kind and a dtype"),
        Sample((dt, dt), note="the dtype itself"),
        Sample((dt, np.dtype("float64")), note="another dtype"),
    ]
    return samples


@st.composite
def _isdtype_strategy(draw, dtype):
    one = st.sampled_from(_KINDS) | st.sampled_from(ALL).map(np.dtype)
    kind = draw(one | st.lists(one, min_size=1, max_size=3).map(tuple))
    return Sample((np.dtype(dtype), kind))


# --------------------------------------------------------------------------- finfo / iinfo
def _info_samples(dtype):
    # The standard also accepts an array (its dtype's limits); numpy.finfo/iinfo do not, so no array sample.
    return [Sample((np.dtype(dtype),))]


def _info_strategy(dtype):
    return st.just(Sample((np.dtype(dtype),)))


# --------------------------------------------------------------------------- __array_namespace_info__
_INFO_QUERIES = (("capabilities", {}), ("default_dtypes", {}), ("dtypes", {}),
                 *(("dtypes", {"kind": k}) for k in ("bool", "signed integer", "unsigned integer", "integral",
                                                     "real floating", "complex floating", "numeric")))


def _describe_info(value) -> str:
    """An inspection result as one comparable string: dtypes by name, dict keys sorted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_describe_info(v)}" for k, v in sorted(value.items())) + "}"
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    return _dtype_name(value)


def _namespace_info(xp, query, **kwargs):
    """``xp.__array_namespace_info__().<query>(**kwargs)``, described by :func:`_describe_info`.
    Devices are left out: their spellings are library objects with nothing to compare."""
    return np.asarray(_describe_info(getattr(xp.__array_namespace_info__(), query)(**kwargs)))


def _info_query_samples(dtype):
    return [Sample((query,), kwargs) for query, kwargs in _INFO_QUERIES]


def _info_query_strategy(dtype):
    return st.sampled_from(_INFO_QUERIES).map(lambda q: Sample((q[0],), q[1]))


_TORCH_DTYPE_ONLY = "must be torch.dtype, not Tensor"
_TORCH_SHELL_PROMOTION = "Promotion for uint16, uint32, uint64 types is not supported"

# --------------------------------------------------------------------------- registry
OPS = [
    op(
        name="astype", family="data-type", ref=np.astype, dtypes=ALL,
        doc="Copy of an array cast to a dtype (case dtype: the source). torch: Tensor.to(dtype, copy=).",
        samples=_astype_samples, strategy=_astype_strategy, spellings={"torch": _torch_astype},
        expected=(jax_flushes_subnormals("value", what="a subnormal cast to bool is False"),),
    ),
    op(
        name="can_cast", family="data-type", ref=np.can_cast, dtypes=ALL,
        doc="Whether a cast from one dtype (or an array's) to another is allowed (case dtype: from_).",
        samples=_can_cast_samples, strategy=_can_cast_strategy,
        expected=(
            Expected("array_api_strict", "value", where=casts_across_kinds, dtypes=BOOL + INTEGER,
                     reason="NumPy's can_cast uses 'safe' casting, which allows casts across kinds (bool to int8, "
                            "int8 to float32); array-api-strict follows the standard's promotion rules, under "
                            "which a cast across kinds is not allowed (False)."),
            Expected("torch", "error", surface="native", match=_TORCH_DTYPE_ONLY,
                     reason="torch.can_cast takes torch.dtype arguments only (TypeError for a tensor); the "
                            "standard's can_cast(from_, to) accepts an array as from_, as NumPy does."),
            Expected("torch", "value", where=same_kind_cast, surface="native",
                     dtypes=INTEGER + ("float64", "complex128"),
                     reason="torch.can_cast follows 'same_kind' casting: downcasts within a kind (float64 to "
                            "float32, int16 to int8, uint8 to int8) are True; NumPy's 'safe' casting and the "
                            "standard's promotion rules say False."),
        ),
    ),
    op(
        name="finfo", family="data-type", ref=lambda t: _finfo_fields(np.finfo(t)), reference_name="numpy.finfo",
        dtypes=FLOAT + COMPLEX, doc="Floating-point limits: (bits, eps, max, min, smallest_normal, dtype).",
        samples=_info_samples, strategy=_info_strategy, spellings=_native_info(_finfo),
        array_api_spellings={ANY_BACKEND: _finfo},
    ),
    op(
        name="iinfo", family="data-type", ref=lambda t: _iinfo_fields(np.iinfo(t)), reference_name="numpy.iinfo",
        dtypes=INTEGER, doc="Integer limits: (bits, max, min, dtype).",
        samples=_info_samples, strategy=_info_strategy, spellings=_native_info(_iinfo),
        array_api_spellings={ANY_BACKEND: _iinfo},
    ),
    op(
        name="__array_namespace_info__", family="data-type", ref=lambda *a, **k: _namespace_info(np, *a, **k),
        reference_name="numpy.__array_namespace_info__", dtypes=("float64",), compare=compare_text,
        doc="The inspection API: capabilities(), default_dtypes(), dtypes(kind=) (one case; devices not compared).",
        samples=_info_query_samples, strategy=_info_query_strategy, spellings=_everywhere(_namespace_info),
        array_api_spellings={ANY_BACKEND: _namespace_info},
        expected=(
            *(Expected(b, "error", surface="native", match="has no attribute '__array_namespace_info__'",
                       reason=f"{b}'s own namespace has no __array_namespace_info__ (NumPy's has, since 2.0); "
                              f"array_api_compat's {b} namespace provides it.") for b in ("torch", "dask")),
            Expected("torch", "value", surface="array-api", match=r"implementation \{[^}]*int8: int8, uint8: uint8\}",
                     link=TORCH_SHELL_UINTS_LINK,
                     reason="array_api_compat.torch lists no uint16/uint32/uint64 in dtypes(): torch's shell "
                            "dtypes lack most kernels, so the namespace does not offer them."),
            Expected("torch", "value", surface="array-api", match=r"implementation \{complex floating: complex64",
                     reason="default_dtypes() is float32/complex64 for torch (its default dtype), float64/"
                            "complex128 for NumPy."),
            Expected("jax", "value", match="boolean indexing: False, data-dependent shapes: False",
                     link="https://docs.jax.dev/en/latest/notebooks/Common_Gotchas_in_JAX.html#dynamic-shapes",
                     reason="JAX arrays have static shapes under tracing, so capabilities() reports neither boolean "
                            "indexing nor data-dependent shapes (nonzero, unique_*) as supported."),
        ),
    ),
    op(
        name="isdtype", family="data-type", ref=np.isdtype, dtypes=ALL,
        doc="Whether a dtype is of a kind ('integral', 'real floating', ...), a dtype, or a tuple of those.",
        samples=_isdtype_samples, strategy=_isdtype_strategy,
    ),
    op(
        name="result_type", family="data-type", ref=lambda *a: _name(np.result_type(*a)),
        reference_name="numpy.result_type", dtypes=ALL, compare=compare_names,
        doc="The promoted dtype of arrays and dtypes (torch: promote_types over the dtypes), compared by name.",
        samples=_result_type_samples, strategy=_result_type_strategy,
        spellings=_everywhere(_result_type) | {"torch": _torch_result_type},
        array_api_spellings={ANY_BACKEND: _result_type},
        expected=(Expected("torch", "error", surface="native", dtypes=INTEGER, match=_TORCH_SHELL_PROMOTION,
                           link="https://github.com/pytorch/pytorch/issues/58734",
                           reason="torch.promote_types raises RuntimeError for uint16/uint32/uint64 with any other "
                                  "integer dtype (shell dtypes without promotion rules); NumPy and the standard "
                                  "promote them (uint8 + uint16 -> uint16, int8 + uint32 -> int64)."),),
    ),
]
