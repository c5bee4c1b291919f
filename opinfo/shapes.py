"""Inputs for NumPy's shape rules, derived from each entry's own fixed samples.

An entry's samples are written for the shapes its author had in mind; NumPy accepts more, and
ports trip over exactly that: operands of different ranks, empty arrays whose other dimensions
are not, negative and tuple axes with ``keepdims``, ``dtype=`` on a reduction, stacks of matrices
with broadcast batch dimensions against unbatched matrices or vectors. Each derived call reuses
the values of one of the entry's own samples (so an entry's restrictions on its inputs hold) and
is kept only where NumPy itself accepts it with the shape (or dtype) its rule predicts: NumPy
is the oracle of what its domain is, not a list typed here. Nothing is derived where the entry has
no sample of the form a rule starts from.
"""

from __future__ import annotations

import numpy as np

from opinfo.domain import reference_result
from opinfo.spec import Sample

#: at most this many values per operand in a derived call (broadcasting makes their product)
VALUES = 8
#: the batch of a stack of matrices
BATCH = (2, 3)
#: the dtypes a reduction is asked to accumulate in, where the case's dtype casts to them safely and NumPy
#: honours the argument
ACCUMULATE_IN = ("int64", "float64", "complex128")
#: the families whose functions reduce: they are asked for keepdims and dtype= (NumPy's generalized ufuncs
#: take both too, as ufunc machinery rather than as their own arguments)
REDUCING = ("reduction", "statistics")


def shape_samples(op, dtype: np.dtype, samples: list[Sample]) -> list[Sample]:
    """The derived calls of one single-dtype case of ``op`` (``samples``: its own fixed samples)."""
    reduces = op.family in REDUCING
    if op.elementwise:
        candidates = _broadcasting(samples, unary=True)
    elif op.family == "linalg":
        candidates = _batched(samples) + _axes(op, samples, dtype, reduces)
    else:
        candidates = _broadcasting(samples, unary=False) + _axes(op, samples, dtype, reduces)
    return [sample for sample, check in candidates if check(reference_result(op, sample))]


def _outputs(result) -> list[np.ndarray] | None:
    values = list(result) if isinstance(result, (tuple, list)) else [result]
    if result is None or not values or not all(isinstance(v, (np.ndarray, np.generic)) for v in values):
        return None
    return [np.asarray(v) for v in values]


def _every_output(holds):
    """Accepts a result of arrays each of which ``holds`` (a refusal, None, is never accepted)."""
    def check(result) -> bool:
        outputs = _outputs(result)
        return bool(outputs) and all(holds(o) for o in outputs)
    return check


def _shaped(shape: tuple[int, ...]):
    return _every_output(lambda o: o.shape == shape)


def _leading(batch: tuple[int, ...]):
    return _every_output(lambda o: o.shape[:len(batch)] == batch)


def _typed(dt: np.dtype):
    """NumPy honoured the ``dtype=`` argument."""
    return _every_output(lambda o: o.dtype == dt)


_accepted = _every_output(lambda o: True)


def _few(values: np.ndarray) -> np.ndarray:
    """At most VALUES of a 1-D array, evenly spaced (the first and last kept)."""
    if values.size <= VALUES:
        return values
    return values[np.unique(np.linspace(0, values.size - 1, VALUES).round().astype(int))]


def _first(samples: list[Sample], accept) -> Sample | None:
    return next((s for s in samples if accept(s)), None)


# --------------------------------------------------------------------------- ranks and emptiness
def _broadcasting(samples: list[Sample], *, unary: bool):
    """Operands of different ranks and empty arrays with a non-zero dimension, from the entry's first
    sample whose array operands (positional or keyword) are 1-D or 0-d, the first a 1-D one with more
    than one element: the first as a (k, 1) column against the others as (k,) (a 0-d one repeated),
    and as (0, 1) against them; for a unary ``op`` (0, 3) and (3, 0)."""
    def flat(s: Sample) -> bool:
        first = next((a for a in s.args if isinstance(a, np.ndarray)), None)
        return first is not None and first.ndim == 1 and first.size > 1 and all(
            a.ndim <= 1 for a in (*s.args, *s.kwargs.values()) if isinstance(a, np.ndarray))

    base = _first(samples, flat)
    if base is None:
        return []
    first = next(i for i, a in enumerate(base.args) if isinstance(a, np.ndarray))
    x = base.args[first]
    others = [("arg", i) for i, a in enumerate(base.args) if isinstance(a, np.ndarray) and i != first]
    others += [("kw", k) for k, v in base.kwargs.items() if isinstance(v, np.ndarray)]

    def call(first_value, note, k=None):
        args, kwargs = list(base.args), dict(base.kwargs)
        args[first] = first_value
        for where, key in others:
            table = args if where == "arg" else kwargs
            table[key] = np.resize(_few(np.ravel(table[key])), k)
        return Sample(tuple(args), kwargs, note=note)

    if not others:
        if not unary:
            return []
        return [(call(np.empty((0, 3), dtype=x.dtype), "empty (0, 3)"), _shaped((0, 3))),
                (call(np.empty((3, 0), dtype=x.dtype), "empty (3, 0)"), _shaped((3, 0)))]
    k = _few(x).size
    return [(call(_few(x).reshape(k, 1), f"ranks: ({k}, 1) against ({k},)", k), _shaped((k, k))),
            (call(x[:0].reshape(0, 1), f"empty: (0, 1) against ({k},)", k), _shaped((0, k)))]


# --------------------------------------------------------------------------- linalg: NumPy 2's batching
def _stack(a: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """``a`` repeated over ``batch``, each copy scaled by a different positive factor (1, 2, 3, ...)."""
    stacked = np.broadcast_to(a, batch + a.shape).copy()
    if a.dtype.kind != "b" and stacked.size:
        factors = (np.arange(int(np.prod(batch))) % 3 + 1).reshape(batch + (1,) * a.ndim)
        stacked = (stacked * factors).astype(a.dtype)
    return stacked


def _batched(samples: list[Sample]):
    """From the entry's first sample of single matrices (no array beyond 2-D, one at least 2-D): a
    (2, 3) stack of each matrix beside the unbatched vectors (a batched matrix against a vector
    operand); batch dimensions (2, 1) and (3,) that broadcast, where two matrices are taken; and an
    empty stack (0, n, m) of the first."""
    def single(s: Sample) -> bool:
        arrays = [a for a in s.args if isinstance(a, np.ndarray)]
        return bool(arrays) and all(a.ndim <= 2 for a in arrays) and any(a.ndim == 2 and a.size for a in arrays)

    base = _first(samples, single)
    if base is None:
        return []
    matrices = [i for i, a in enumerate(base.args) if isinstance(a, np.ndarray) and a.ndim == 2]

    def call(batches: dict[int, tuple[int, ...]], note: str) -> Sample:
        args = list(base.args)
        for i, batch in batches.items():
            args[i] = _stack(args[i], batch)
        return Sample(tuple(args), dict(base.kwargs), note=note)

    out = [(call(dict.fromkeys(matrices, BATCH), f"a {BATCH} stack of matrices"), _leading(BATCH))]
    if len(matrices) >= 2:
        out.append((call({matrices[0]: (BATCH[0], 1), matrices[1]: (BATCH[1],)},
                         f"batch dimensions ({BATCH[0]}, 1) and ({BATCH[1]},) broadcast"), _leading(BATCH)))
        out.append((call({matrices[0]: BATCH}, "a stack against a single matrix"), _leading(BATCH)))
    out.append((call({matrices[0]: (0,)}, "an empty stack"), _leading((0,))))
    return out


# --------------------------------------------------------------------------- axes, keepdims, dtype=
def _axes(op, samples: list[Sample], dtype: np.dtype, reduces: bool):
    """From the entry's first sample of a 2-D array (first argument) with an int ``axis``: the same values
    in three dimensions with a negative axis and a tuple of axes; empty arrays with a non-zero dimension
    along either axis; for a reduction also keepdims, and the 2-D call accumulating in each of
    ACCUMULATE_IN that both the input and NumPy's own result dtype cast to safely (sum(int16) in int64,
    float64 or complex128; mean(int16), a float64, not in int64). With a tuple of ``axes`` instead: the
    3-D values over negative axes out of order."""
    def one_matrix(s: Sample) -> bool:
        axis, axes = s.kwargs.get("axis"), s.kwargs.get("axes")
        return (isinstance(s.args[0], np.ndarray) and s.args[0].ndim == 2 and s.args[0].size > 0
                and (isinstance(axis, int) or (isinstance(axes, tuple) and all(isinstance(a, int) for a in axes))))

    base = _first([s for s in samples if s.args], one_matrix)
    if base is None:
        return []
    x = base.args[0]
    cube = np.resize(np.ascontiguousarray(x).ravel(), (2, 3, 4))
    rest = base.args[1:]

    def call(array, note, **kwargs):
        return Sample((array, *rest), dict(base.kwargs) | kwargs, note=note)

    if "axes" in base.kwargs:
        return [(call(cube, "3-D, negative axes out of order", axes=(-1, -3)), _accepted)]
    out = [(call(cube, "3-D, a negative axis", axis=-2), _accepted),
           (call(cube, "3-D, a tuple of axes", axis=(0, -1)), _accepted),
           (call(np.empty((0, 3), dtype=x.dtype), "empty (0, 3) along its empty axis", axis=0), _accepted),
           (call(np.empty((0, 3), dtype=x.dtype), "empty (0, 3) along its non-empty axis", axis=1), _accepted)]
    if not reduces:
        return out
    out.append((call(cube, "3-D, keepdims", axis=-1, keepdims=True), _accepted))
    own = _outputs(reference_result(op, base))
    for name in ACCUMULATE_IN:  # to widen, as NumPy users do (an int sum in int64, a float32 mean in float64)
        if own and name != np.dtype(dtype).name and all(np.can_cast(d, name, "safe") for d in (dtype, own[0].dtype)):
            out.append((call(x, f"dtype={name}", dtype=np.dtype(name)), _typed(np.dtype(name))))
    return out
