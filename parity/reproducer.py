"""Standalone reproducers: a short script per divergence, with its input inlined.

The script (written by :func:`parity.literal.script`) raises AssertionError while the divergence
exists and exits 0 once it is gone. It calls :func:`reproduce`, which runs the reference and the
implementation exactly as the sweep does (same spelling, conversion and comparison), so a
reproducer never disagrees with the report that produced it.
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
