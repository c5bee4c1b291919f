"""Reproducers that run through array-parity, and reproducers rendered again from a record.

A reproducer is standalone where it can be (``parity.standalone``); where an op's own comparator
judges the results, the script (written by :func:`parity.literal.script`) calls :func:`reproduce`,
which runs the reference and the implementation exactly as the sweep does (same spelling,
conversion and comparison). Either raises AssertionError while the divergence exists and exits 0
once it is gone. :func:`rendered_for` renders a recorded divergence again, for another backend too.
"""

from __future__ import annotations

import sys

from opinfo.spec import Sample


def reproduce(op: str, backend: str, args: tuple, kwargs: dict, *, category: str, device: str = "cpu",
              surface: str = "native", settings: dict | None = None) -> None:
    """Run one input through reference and implementation; assert ``category`` does not occur."""
    from opinfo import get_op
    from parity.backends import get_backend
    from parity.runner import Runner

    backend_obj = get_backend(backend, settings)
    runner = Runner(get_op(op), backend_obj, device=device, surface=surface)
    sample = Sample(tuple(args), dict(kwargs))
    ref, impl, findings = runner.evaluate(sample)
    print(f"reference:      {runner.describe(ref)}")
    print(f"implementation: {runner.describe(impl)}")
    for finding in findings:
        print(f"divergence:     {finding.category}: {finding.detail}")
    if any(f.category == category for f in findings):
        raise AssertionError(f"{op} on {backend} ({device}): {category} divergence still present")
    print(f"no {category} divergence: it is gone", file=sys.stderr)


def rendered_for(record: dict, divergence: dict, backend: str | None = None, settings: dict | None = None) -> str:
    """A recorded divergence's reproducer rendered again from its input, on ``backend`` (default: the
    record's own, with ``settings``; another backend is rendered on cpu and its native surface).
    Rendered for ``numpy``, a torch divergence's script must pass: so it asserts that divergence and
    nothing else. ValueError when the input no longer shows it."""
    import ml_dtypes
    import numpy as np

    from opinfo import get_op
    from parity import standalone
    from parity.backends import get_backend
    from parity.runner import Runner

    scope = {"np": np, "nan": np.nan, "inf": np.inf, "ml_dtypes": ml_dtypes}
    exec(divergence["input"], scope)
    sample = Sample(tuple(scope["args"]), dict(scope["kwargs"]), note=divergence.get("note") or "")
    op, where = get_op(record["op"]), dict(device=record["device"], surface=record["surface"])
    ref, impl, findings = Runner(op, get_backend(record["backend"], settings), **where).evaluate(sample)
    same = [f for f in findings if f.category == divergence["category"]]
    if not same:
        raise ValueError(f"{record['id']}: its input no longer shows the {divergence['category']} divergence")
    finding = next((f for f in same if f.detail == divergence["detail"]), same[0])
    own = backend in (None, record["backend"])
    if not own:  # another library: its own device-less, native namespace (NumPy has no other surface to speak of)
        where.update(device="cpu", surface="native")
    runner = Runner(op, get_backend(backend or record["backend"], settings if own else None), **where)
    return standalone.script(op=op.name, backend=runner.backend.name, sample=sample, dtype=record["dtype"],
                             category=finding.category, detail=finding.detail, **where, runner=runner,
                             settings=runner.backend.settings or None,
                             finding=finding, ref=ref, impl=impl)
