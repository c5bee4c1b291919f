"""Reproducers that run through array-parity, and reproducers rendered again from a record.

A reproducer is standalone where it can be (``parity.standalone``); where an op's own comparator
judges the results, the script (written by :func:`parity.literal.script`) calls :func:`reproduce`,
which runs the reference and the implementation exactly as the sweep does (same spelling,
conversion and comparison). Either raises AssertionError while the divergence exists and exits 0
once it is gone. :func:`rendered_for` renders a recorded divergence again, for another backend too.
"""

from __future__ import annotations

import collections
import contextlib
import io
import runpy
import sys
import warnings
from pathlib import Path

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


def run_script(text: str, path: Path) -> str:
    """"raise" (AssertionError), "pass" (exit 0) or "crash: ..." for a script run as __main__ in this
    process (runpy: a full torch sweep's reproducers in seconds, where a subprocess each takes minutes)."""
    path.write_text(text)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(str(path), run_name="__main__")
    except AssertionError:
        return "raise"
    except SystemExit as exc:
        return "pass" if not exc.code else f"crash: exit {exc.code}"
    except Exception as exc:  # a reproducer that breaks otherwise is what this check looks for
        return f"crash: {type(exc).__name__}: {str(exc)[:160]}"
    return "pass"


def check_reproducers(doc: dict, folder: Path) -> tuple[collections.Counter, list[str]]:
    """Run every reproducer of a results document and its NumPy control. A reproducer must raise
    (the sweep just saw its divergence) and the same input and check rendered for ``numpy`` must
    pass (the script asserts that divergence and nothing else). Returns counts per
    (standalone/fallback, script/numpy, outcome) and one line per reproducer that lies or breaks."""
    settings = {b["name"]: b.get("settings") for b in doc["run"]["backends"]}
    counts, bad = collections.Counter(), []
    for record in doc["records"]:
        for d in record["divergences"]:
            if not d.get("reproducer"):
                continue
            kind = "fallback" if "from parity.reproducer import" in d["reproducer"] else "standalone"
            said = run_script(d["reproducer"], folder / "script.py")
            try:
                control = run_script(rendered_for(record, d, "numpy", settings.get(record["backend"])),
                                     folder / "control.py")
            except ValueError as exc:  # the input no longer shows the divergence here
                control = f"crash: {exc}"
            counts[(kind, "script", said.split(":")[0])] += 1
            counts[(kind, "numpy", control.split(":")[0])] += 1
            if said != "raise" or control != "pass":
                bad.append(f"{record['id']} {d['category']}: script {said}; numpy control {control}")
    return counts, bad
