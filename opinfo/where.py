"""Where a declared divergence may occur: named input predicates for ``Expected(where=...)``.

A declaration without a bound would cover any future bug of its category on its op (a wrong value
anywhere passes as the known one), so a ``value`` declaration says how far (``max_ulp``) and/or where.
Each predicate here is ``pred(sample, reference, implementation) -> bool or bool array``: for an
elementwise op the runner asks about the differing elements only (``sample.args`` are their inputs,
broadcast; the outputs are theirs) and the answer is per element; otherwise it is about the whole
call. The docstring is the predicate's description in reports and generated docs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from opinfo.dtypes import dtype_kind, finfo


def _parts(x: np.ndarray) -> tuple[np.ndarray, ...]:
    x = np.asarray(x)
    if dtype_kind(x.dtype) == "c":
        return x.real.astype(np.float64), x.imag.astype(np.float64)
    return (x.astype(np.float64),)


def _inexact(x) -> bool:
    return isinstance(x, np.ndarray) and dtype_kind(x.dtype) in "fc"


def _subnormal(x: np.ndarray, margin: float = 1.0) -> np.ndarray:
    tiny = margin * float(finfo(x.dtype).smallest_normal)
    out = np.zeros(np.shape(x), dtype=bool)
    for part in _parts(x):
        out |= (part != 0) & (np.abs(part) < tiny)
    return out


def _per_element(ref, hits) -> np.ndarray:
    """Per element of the result, whether any of ``hits`` holds there; a hit array of another shape
    (an input of a whole call, not broadcast to the output) counts for the whole result."""
    out = np.zeros(np.shape(ref), dtype=bool)
    for hit in hits:
        out = out | (hit if hit.shape == out.shape else hit.any())
    return out


def _as_inputs(sample, ref) -> list[np.ndarray]:
    """The inexact inputs as arrays; a Python float or complex takes the result's dtype, as NEP 50 has it."""
    ref_dtype = np.asarray(ref).dtype
    scalar_dtype = ref_dtype if dtype_kind(ref_dtype) in "fc" else np.dtype(np.float64)
    out = []
    for x in sample.args:
        if _inexact(x):
            out.append(np.asarray(x))
        elif type(x) in (float, complex):
            real_result = dtype_kind(scalar_dtype) != "c"
            dtype = np.dtype(np.complex128) if type(x) is complex and real_result else scalar_dtype
            with np.errstate(all="ignore"):
                out.append(np.asarray(x, dtype=dtype))
    return out


def subnormal_involved(sample, ref, impl):
    """an input or NumPy's result is subnormal or within 16x of the subnormal range (an intermediate of
    the computation then is subnormal: 0.5 * smallest normal, or 1 / y before x * (1 / y))"""
    result = [np.asarray(ref)] if _inexact(np.asarray(ref)) else []
    return _per_element(ref, (_subnormal(x, margin=16.0) for x in (*_as_inputs(sample, ref), *result)))


def _complex_inputs(sample) -> list[np.ndarray]:
    return [x for x in sample.args if isinstance(x, np.ndarray) and dtype_kind(x.dtype) == "c"]


def zero_part(sample, ref, impl):
    """a complex input has a zero or subnormal real or imaginary part (its sign picks a branch cut's side)"""
    return _per_element(ref, (_magnitude(x, "any") < float(finfo(x.dtype).smallest_normal)
                              for x in _complex_inputs(sample)))


def abs_overflows(sample, ref, impl):
    """the modulus of a complex input overflows its dtype (both parts near the maximum)"""
    with np.errstate(over="ignore"):
        return _per_element(ref, [_magnitude(x, "abs") > float(finfo(x.dtype).max) for x in _complex_inputs(sample)])


def reciprocal_subnormal(sample, ref, impl):
    """1 / (input 1) is subnormal (a library computing x / y as x * (1 / y) flushes it to 0)"""
    y = np.asarray(sample.args[1])
    if dtype_kind(y.dtype) not in "fc":
        return np.zeros(np.shape(ref), dtype=bool)
    return _magnitude(y, "abs") > 1 / float(finfo(y.dtype).smallest_normal)


def describe(pred: Callable) -> str:
    """What a predicate accepts, in one line: its docstring's first paragraph (its first line may stop
    mid-sentence)."""
    return " ".join((pred.__doc__ or "").strip().split("\n\n")[0].split())


def predicate(doc: str):
    """Name a predicate made by a factory: its docstring is ``doc``."""
    def wrap(fn: Callable) -> Callable:
        fn.__doc__ = doc
        return fn
    return wrap


def magnitude_below(limit: float, arg: int = 0, part: str = "any") -> Callable:
    """Elements whose input ``arg`` is below ``limit`` in magnitude (complex: ``part`` "real", "imag",
    "any" part or "abs" the modulus)."""
    @predicate(f"input {arg}{'' if part == 'any' else ' ' + part} below {limit:g} in magnitude")
    def where(sample, ref, impl):
        return _magnitude(sample.args[arg], part) < limit
    return where


def magnitude_above(limit: float, arg: int = 0, part: str = "any") -> Callable:
    """Elements whose input ``arg`` is above ``limit`` in magnitude."""
    @predicate(f"input {arg}{'' if part == 'any' else ' ' + part} above {limit:g} in magnitude")
    def where(sample, ref, impl):
        return _magnitude(sample.args[arg], part, largest=True) > limit
    return where


def _magnitude(x, part: str, largest: bool = False) -> np.ndarray:
    x = np.asarray(x)
    if dtype_kind(x.dtype) != "c":
        return np.abs(x.astype(np.float64))
    if part == "real":
        return np.abs(x.real.astype(np.float64))
    if part == "imag":
        return np.abs(x.imag.astype(np.float64))
    if part == "abs":
        return np.abs(x.astype(np.complex128))
    pick = np.maximum if largest else np.minimum
    return pick(np.abs(x.real.astype(np.float64)), np.abs(x.imag.astype(np.float64)))


def input_below(limit: float, arg: int = 0) -> Callable:
    """Elements whose (real) input ``arg`` is below ``limit``."""
    @predicate(f"input {arg} below {limit:g}")
    def where(sample, ref, impl):
        return np.asarray(sample.args[arg], dtype=np.float64) < limit
    return where


def input_above(limit: float, arg: int = 0) -> Callable:
    """Elements whose (real) input ``arg`` is above ``limit``."""
    @predicate(f"input {arg} above {limit:g}")
    def where(sample, ref, impl):
        return np.asarray(sample.args[arg], dtype=np.float64) > limit
    return where


def result_below(limit: float) -> Callable:
    """Elements whose reference result is below ``limit`` in magnitude."""
    @predicate(f"NumPy's result below {limit:g} in magnitude")
    def where(sample, ref, impl):
        return _magnitude(ref, "abs") < limit
    return where


def either(*preds: Callable) -> Callable:
    """Elements any of ``preds`` accepts."""
    @predicate(" or ".join(describe(p) for p in preds))
    def where(sample, ref, impl):
        out = np.asarray(preds[0](sample, ref, impl), dtype=bool)
        for p in preds[1:]:
            out = out | np.asarray(p(sample, ref, impl), dtype=bool)
        return out
    return where


# ---- whole-call predicates (reductions, order statistics)
def index_of_same_value(sample, ref, impl):
    """the implementation's index points at an element equal to the one NumPy's index points at"""
    x = np.asarray(sample.args[0])
    axis = sample.kwargs.get("axis", sample.args[1] if len(sample.args) > 1 else None)
    r, m = np.asarray(ref), np.asarray(impl)
    if axis is None:
        flat = x.ravel()
        return bool(np.array_equal(flat[r], flat[m], equal_nan=True))
    xm = np.moveaxis(x, axis, -1)
    if sample.kwargs.get("keepdims"):
        r, m = np.squeeze(r, axis), np.squeeze(m, axis)
    return bool(np.array_equal(np.take_along_axis(xm, r[..., None], -1), np.take_along_axis(xm, m[..., None], -1),
                               equal_nan=True))


def wraps_around_int64(sample, ref, impl):
    """the result is NumPy's wrapped into int64 (an accumulator of 64 signed bits overflowed)"""
    r, m = np.asarray(ref).ravel(), np.asarray(impl).ravel()
    return r.size == m.size and all(int(b) == (int(a) + 2**63) % 2**64 - 2**63 for a, b in zip(r, m))


def within_input_range(sample, ref, impl):
    """every result value lies between the input's minimum and maximum (an approximation, not a wrong value)"""
    x = np.asarray(sample.args[0], dtype=np.float64)
    got = np.asarray(impl, dtype=np.float64)
    return bool(((got >= np.nanmin(x)) & (got <= np.nanmax(x))).all()) if x.size else False


def divisor_zero(sample, ref, impl):
    """input 1 (the divisor) is zero"""
    return np.asarray(sample.args[1]) == 0


def int_power_overflows(sample, ref, impl):
    """the exact integer power lies outside the result's dtype"""
    base, exp = (np.broadcast_to(np.asarray(a), np.shape(ref)) for a in sample.args[:2])
    info = np.iinfo(np.asarray(ref).dtype)
    out = np.zeros(np.shape(ref), dtype=bool)
    for index in np.ndindex(out.shape):
        b, e = int(base[index]), int(exp[index])
        out[index] = e > 0 and abs(b) > 1 and (e * (abs(b).bit_length() - 1) > 64 or not info.min <= b**e <= info.max)
    return out


def wraps_in_input_dtype(sample, ref, impl):
    """the result is NumPy's wrapped into the input's dtype (the product kept in the input's small integers)"""
    dtype = np.asarray(sample.args[0]).dtype
    r = np.asarray(ref).astype(object).ravel()
    bits = 8 * dtype.itemsize
    low = -(2 ** (bits - 1)) if dtype.kind == "i" else 0
    return all(int(b) == (int(a) - low) % 2**bits + low for a, b in zip(r, np.asarray(impl).ravel()))


def wrapped_to_reference(sample, ref, impl):
    """NumPy's result is the implementation's wrapped into NumPy's dtype (wider sums not wrapped back)"""
    r, m = np.asarray(ref), np.asarray(impl)
    return r.shape == m.shape and bool((m.astype(r.dtype) == r).all())


def imaginary_only_element(sample, ref, impl):
    """the input holds a number with a zero real part and a non-zero imaginary part"""
    x = np.asarray(sample.args[0])
    return bool(((x.real == 0) & (x.imag != 0)).any())


def nan_in_input(sample, ref, impl):
    """the input holds a NaN (in either part)"""
    x = np.asarray(sample.args[0]).astype(np.complex128)
    return bool((np.isnan(x.real) | np.isnan(x.imag)).any())


def keyword_true(name: str) -> Callable:
    """Calls that pass ``name=True``."""
    @predicate(f"the call passes {name}=True")
    def where(sample, ref, impl):
        return sample.kwargs.get(name) is True
    return where


def conjugate_transpose_of_reference(sample, ref, impl):
    """the result is the conjugate transpose of NumPy's (the other triangular factor)"""
    r, m = np.asarray(ref), np.asarray(impl)
    return r.shape == m.shape and bool(np.allclose(np.conj(np.swapaxes(r, -1, -2)), m, rtol=1e-4, atol=1e-5))


def one_row_matrix(sample, ref, impl):
    """the input matrix has one row"""
    return np.ndim(sample.args[0]) >= 2 and np.shape(sample.args[0])[-2] == 1


def _dtype_of(x) -> np.dtype:
    return x.dtype if isinstance(x, np.ndarray) else np.dtype(x)


def casts_across_kinds(sample, ref, impl):
    """a cast between two kinds (bool, signed, unsigned, floating, complex)"""
    return _dtype_of(sample.args[0]).kind != _dtype_of(sample.args[1]).kind


def same_kind_cast(sample, ref, impl):
    """a cast NumPy's 'safe' casting refuses within one category: integers (signed or unsigned alike),
    floating or complex numbers, or real to complex (a downcast)"""
    source, target = _dtype_of(sample.args[0]), _dtype_of(sample.args[1])
    integers = source.kind in "iu" and target.kind in "iu"
    return (integers or np.can_cast(source, target, "same_kind")) and not np.can_cast(source, target, "safe")


def decreasing_bins(sample, ref, impl):
    """the bins (input 1) are decreasing"""
    bins = np.asarray(sample.args[1])
    return bins.size > 1 and bool((np.diff(bins) < 0).all())


def squares_underflow(sample, ref, impl):
    """the input's squares are all below the smallest normal number (a variance computed from them is 0)"""
    x = np.asarray(sample.args[0])
    if dtype_kind(x.dtype) not in "fc" or not x.size:
        return False
    big = float(np.nanmax(np.abs(x.astype(np.complex128))))
    return big * big < float(finfo(x.dtype).smallest_normal)


def difference_overflows(sample, ref, impl):
    """the input is integer and its largest minus its smallest element overflows its dtype"""
    x = np.asarray(sample.args[0])
    if x.dtype.kind not in "iu" or not x.size:
        return False
    return not int(x.max()) - int(x.min()) <= int(np.iinfo(x.dtype).max)


def lower_middle_value(sample, ref, impl):
    """the result is, per reduced slice, the lower of its two middle values (NaN skipped), as torch.median
    documents for an even count"""
    x = np.asarray(sample.args[0])
    axis = sample.kwargs.get("axis", sample.args[1] if len(sample.args) > 1 else None)
    if isinstance(axis, tuple) or x.dtype.kind not in "biuf":
        return False
    data = x.reshape(1, -1) if axis is None else np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
    lower = []
    for row in data.astype(np.float64):
        kept = np.sort(row[~np.isnan(row)])
        lower.append(kept[(kept.size - 1) // 2] if kept.size else np.nan)
    got = np.asarray(impl, dtype=np.float64).ravel()
    return got.size == len(lower) and bool(np.array_equal(got, np.array(lower), equal_nan=True))


def neighbouring_order_statistic(scale: float) -> Callable:
    """Results that are, per slice and per q, one of the two order statistics around the position
    q / scale * (n - 1) (NaN skipped): a 'nearest' rounding that picks the other neighbour."""
    @predicate(f"each result is one of the two order statistics around q/{scale:g} * (n - 1) of its slice")
    def where(sample, ref, impl):
        x = np.asarray(sample.args[0])
        q = np.asarray(sample.args[1], dtype=np.float64).ravel() / scale
        axis = sample.kwargs.get("axis")
        if x.dtype.kind not in "biuf" or not x.size:
            return False
        if axis is None:
            data = x.reshape(1, -1)
        else:  # the reduced axes last, flattened: one row per slice, in the result's order
            axes = [a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,))]
            moved = np.moveaxis(x, axes, range(x.ndim - len(axes), x.ndim))
            data = moved.reshape(-1, int(np.prod([x.shape[a] for a in axes])))
        got = np.asarray(impl, dtype=np.float64)
        if got.size != q.size * data.shape[0]:
            return False
        got = got.reshape(q.size, data.shape[0])
        for i, position in enumerate(q):
            for j, row in enumerate(data.astype(np.float64)):
                kept = np.sort(row[~np.isnan(row)])
                if not 0 <= position <= 1:
                    return False
                if not kept.size:  # an all-NaN slice: NaN on both sides, or a different divergence
                    if not np.isnan(got[i, j]):
                        return False
                    continue
                p = position * (kept.size - 1)
                if got[i, j] not in (kept[int(np.floor(p))], kept[int(np.ceil(p))]):
                    return False
        return True
    return where


# --------------------------------------------------------------------------- NumPy's domain: promotion
def _outputs(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _dtype_names(value) -> tuple[str, ...]:
    return tuple(np.asarray(v).dtype.name for v in _outputs(value))


def _cast_call(ref, sample, dtype):
    """NumPy's result for ``sample`` with every array and Python scalar operand cast to ``dtype``
    first (what a library computing in ``dtype`` should give); None where NumPy refuses."""
    def cast(a):
        if isinstance(a, np.ndarray):
            return a.astype(dtype)
        if type(a) in (bool, int, float, complex):
            try:
                return np.asarray(a, dtype=dtype)
            except OverflowError:  # an int outside the dtype stays a Python int (NumPy's rule for it applies)
                return a
        return a

    first = next((i for i, a in enumerate(sample.args) if isinstance(a, np.ndarray)), None)
    for args in ([cast(a) for a in sample.args],  # every operand; else the data only (ldexp's exponent stays int)
                 [cast(a) if i == first else a for i, a in enumerate(sample.args)]):
        try:
            with np.errstate(all="ignore"):
                return ref(*args, **dict(sample.kwargs))
        except Exception:  # NumPy cannot compute in that dtype this way
            continue
    return None


def promoted_as(library: str, rule: Callable, inexact: Callable, ref: Callable) -> Callable:
    """Calls whose result dtype is what ``library`` documents: NumPy's result dtype for the operands
    first cast to the library's common dtype (``rule``, :mod:`opinfo.promotion`), where an op that
    makes floats of integers makes ``inexact(common)`` of them. Only where NumPy's dtype differs."""
    from opinfo.promotion import operands

    @predicate(f"the result dtype is the one {library}'s type promotion gives: NumPy's for the operands cast to "
               f"{library}'s common dtype, integers computed in {library}'s float")
    def where(sample, reference, implementation):
        common = rule(operands(sample.args))
        if common is None:
            return False
        cast = _cast_call(ref, sample, common)
        if cast is None:
            return False
        expected = tuple(inexact(common, d) if np.dtype(common).kind in "biu" and np.dtype(d).kind in "fc" else d
                         for d in _dtype_names(cast))
        got = _dtype_names(implementation)
        return got == expected and got != _dtype_names(reference)
    return where


def computed_in_result_dtype(ref: Callable, ulps: float, classes: bool = False) -> Callable:
    """Elements that NumPy, computing in the implementation's result dtype (every operand cast to it),
    gives within ``ulps`` (NaN where NumPy's is NaN, the same infinity): a value explained by a result
    dtype that differs from NumPy's, which a dtype declaration covers. Never where the dtypes agree.
    ``classes``: only the kind of value must agree (NaN, the same infinity, finite, the sign of a zero),
    for special-value divergences (float16's overflow to inf where float32 stays finite)."""
    from opinfo.compare import ulp_distance

    @predicate("the result dtype differs from NumPy's, and NumPy computing in the implementation's dtype gives "
               + ("the same kind of value (NaN, infinity, finite, signed zero)" if classes else
                  f"the same value (within {ulps:g} ulp)"))
    def where(sample, reference, implementation):
        if isinstance(implementation, (tuple, list)) or isinstance(reference, (tuple, list)):
            return False  # a whole multi-output result: judged output by output where the judge splits it
        impl = np.asarray(implementation)
        if impl.dtype == np.asarray(reference).dtype:
            return False
        cast = _cast_call(ref, sample, impl.dtype)
        if isinstance(cast, (tuple, list)):  # the output of the implementation's dtype (frexp's mantissa)
            cast = next((c for c in cast if np.asarray(c).dtype == impl.dtype), None)
        if cast is None:
            return False
        cast = np.broadcast_to(np.asarray(cast), impl.shape) if np.ndim(cast) <= impl.ndim else np.asarray(cast)
        if cast.shape != impl.shape:
            return False
        if dtype_kind(impl.dtype) not in "fc":
            return cast.astype(impl.dtype) == impl
        with np.errstate(all="ignore"):
            close = np.isfinite(impl) & np.isfinite(cast) & (ulp_distance(cast, impl, impl.dtype) <= ulps)
        exact = np.ones(impl.shape, dtype=bool)
        kinds = np.ones(impl.shape, dtype=bool)
        for c, m in zip(_parts(cast), _parts(impl)):
            exact &= (np.isnan(c) & np.isnan(m)) | ((c == m) & (np.signbit(c) == np.signbit(m)))
            zero_sign = (c != 0) | (m != 0) | (np.signbit(c) == np.signbit(m))
            kinds &= (np.isnan(c) == np.isnan(m)) & (np.isinf(c) == np.isinf(m)) & \
                (~np.isinf(c) | (c == m)) & zero_sign
        return kinds if classes else exact | close
    return where


def refused_by(library: str, rule: Callable) -> Callable:
    """Calls whose operands ``library``'s type promotion refuses to mix (``rule`` gives None)."""
    from opinfo.promotion import operands

    @predicate(f"{library}'s type promotion refuses to mix these operands")
    def where(sample, reference, implementation):
        return rule(operands(sample.args)) is None
    return where


def common_dtype_in(library: str, rule: Callable, dtypes: tuple[str, ...]) -> Callable:
    """Calls that ``library`` computes in one of ``dtypes`` (its common dtype of the operands)."""
    from opinfo.promotion import operands

    @predicate(f"{library} computes the call in {', '.join(dtypes)}")
    def where(sample, reference, implementation):
        return rule(operands(sample.args)) in dtypes
    return where


def python_scalar_operand(sample, ref, impl):
    """an operand is a Python scalar"""
    return any(type(a) in (bool, int, float, complex) for a in sample.args)


def int_out_of_range(sample, ref, impl):
    """a Python int operand lies outside its array operand's integer dtype (NEP 50: NumPy raises OverflowError)"""
    arrays = [a for a in sample.args if isinstance(a, np.ndarray) and a.dtype.kind in "iu"]
    ints = [a for a in sample.args if type(a) is int]
    return any(not np.iinfo(x.dtype).min <= i <= np.iinfo(x.dtype).max for x in arrays for i in ints)


def empty_input(sample, ref, impl):
    """an array input is empty (a zero-length dimension)"""
    return any(isinstance(a, np.ndarray) and a.size == 0 for a in sample.args)


def integer_inputs(sample, ref, impl):
    """an array input is of an integer or bool dtype"""
    return any(isinstance(a, np.ndarray) and a.dtype.kind in "biu" for a in sample.args)


def mixed_operands(sample, ref, impl):
    """the operands are of different dtypes, or one is a Python scalar"""
    arrays = {a.dtype for a in sample.args if isinstance(a, np.ndarray)}
    return len(arrays) > 1 or (bool(arrays) and python_scalar_operand(sample, ref, impl))


def first_input_integer(sample, ref, impl):
    """the first array input (the data) is of an integer or bool dtype"""
    first = next((a for a in sample.args if isinstance(a, np.ndarray)), None)
    return first is not None and first.dtype.kind in "biu"


def all_elements(pred: Callable) -> Callable:
    """A per-element predicate asked about a whole call (a non-elementwise op): it holds where it holds
    for every element (the judge would otherwise accept a call where it holds for one)."""
    @predicate(f"for every element: {pred.__doc__.strip()}")
    def where(sample, ref, impl):
        return bool(np.all(pred(sample, ref, impl)))
    return where


def same_truth(sample, ref, impl):
    """NumPy's result is bool and the implementation's values are nonzero exactly where it is True"""
    r, m = np.asarray(ref), np.asarray(impl)
    return r.dtype == bool and r.shape == m.shape and bool(np.all((m != 0) == r))


def bool_inputs(sample, ref, impl):
    """every array input is bool"""
    arrays = [a for a in sample.args if isinstance(a, np.ndarray)]
    return bool(arrays) and all(a.dtype == bool for a in arrays)


def nan_operand(sample, ref, impl):
    """an operand has a NaN (in either part) at the element"""
    hits = []
    for a in sample.args:
        if _inexact(a):
            x = np.asarray(a)
            hits.append(np.isnan(x.real) | np.isnan(x.imag) if dtype_kind(x.dtype) == "c" else np.isnan(x))
    return _per_element(ref, hits)


def integer_dtype_argument(sample, ref, impl):
    """the dtype= argument is an integer dtype"""
    dtype = dict(sample.kwargs).get("dtype")
    return dtype is not None and np.dtype(dtype).kind in "biu"


def near_pole(tol: float) -> Callable:
    """Elements whose (complex) input lies within ``tol`` of a non-positive integer, gamma's poles."""
    @predicate(f"input 0 within {tol:g} of a non-positive integer")
    def where(sample, ref, impl):
        z = np.asarray(sample.args[0]).astype(np.complex128)
        nearest = np.minimum(np.round(z.real), 0)
        return (np.abs(z.real - nearest) < tol) & (np.abs(z.imag) < tol)
    return where
