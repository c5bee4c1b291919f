"""Derive an entry's NumPy domain by calling its reference: the source of ``opinfo/data/numpy_domain.json``.

A dtype is in NumPy's domain when the entry's own fixed samples can be built for it, its strategy
can draw an input for it, and the reference returns a numeric result for at least one sample: the
question is what NumPy *accepts*, and the entry's samples are the inputs the sweep will send. A
binary elementwise entry also gets every ordered pair of array dtypes and every kind of Python
scalar beside each dtype (:func:`opinfo.samples.mixed_samples`) where the reference accepts the
mix. Run by ``tools/derive_numpy_domain.py``; a test checks the shipped file against a fresh probe.
"""

from __future__ import annotations

import functools
import warnings

import hypothesis
import numpy as np
from hypothesis import HealthCheck, Phase, settings

from opinfo.domain import SCALAR_KINDS, mixed, probe_ok, reference_result
from opinfo.dtypes import ALL
from opinfo.samples import mixed_samples, operand_values
from opinfo.spec import OpInfo, Sample


def _accepts(op: OpInfo, sample: Sample) -> bool:
    return probe_ok(reference_result(op, sample))


def _draws(op: OpInfo, dtype: np.dtype) -> str | None:
    """None when the entry's strategy draws an input for ``dtype``, else why not."""
    try:
        strategy = op.strategy(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hypothesis.find(strategy, lambda _: True,
                            settings=settings(max_examples=5, database=None, phases=[Phase.generate],
                                              suppress_health_check=list(HealthCheck)))
    except hypothesis.errors.NoSuchExample:
        return "its strategy draws no input"
    except Exception as exc:  # a strategy written for other dtypes
        return f"its strategy cannot draw: {type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    return None


def is_binary(op: OpInfo) -> bool:
    """An elementwise entry whose samples have two array operands (a binary function or operator)."""
    return op.elementwise and operand_values(op.samples, op.dtypes[0], 1) is not None


def derive(op: OpInfo) -> dict:
    """{"dtypes": what NumPy accepts, "mixed": the pairs and scalar kinds it accepts, "gaps": {dtype: why
    the sweep cannot run it}} for one entry."""
    dtypes, gaps = [], {}
    for name in ALL:
        dt = np.dtype(name)
        try:
            samples = op.samples(dt)
        except Exception as exc:
            if name in op.dtypes:
                raise
            gaps[name] = f"its samples cannot be built: {type(exc).__name__}"
            continue
        if not any(_accepts(op, s) for s in samples):
            continue  # NumPy refuses it: outside NumPy's domain
        problem = None if name in op.dtypes else _draws(op, dt)
        if problem:
            gaps[name] = problem
        else:
            dtypes.append(name)
    found = []
    if is_binary(op):
        samples = functools.cache(op.samples)  # each dtype's samples serve 26 mixes
        for left in ALL:
            for right in ALL + SCALAR_KINDS:
                if right == left:
                    continue
                probe_kind = "py-int" if right == "py-int-out" else right
                calls = mixed_samples(samples, left, probe_kind)
                if calls and _accepts(op, calls[0]) and mixed_samples(samples, left, right):
                    found.append(mixed(left, right))
    return {"dtypes": dtypes, "mixed": found, "gaps": gaps}
