"""Running cases in this process: where a worker (or ``-n 0``) turns a case into its record.

One :class:`~parity.runner.Runner` per (op, backend, device, surface) is kept for the process;
everything about one case lives in the runner's per-case state, so cached runners carry none. The
runner's observer (:class:`~parity.isolation.CallWatch`) holds inputs to the size budget and
tells the worker's guard which input is being called.
"""

from __future__ import annotations

import json
import re
import tempfile
import traceback
from pathlib import Path

from opinfo import get_op
from parity import conformance, results
from parity.case import Case, case_header
from parity.isolation import CallWatch, Guard, OutOfMemory, PeakMemory, trim_heap
from parity.readback import Unreadable, one_line
from parity.runner import Runner


class Executor:
    def __init__(self, selection, options, guard: Guard | None = None):
        import numpy as np

        self.backends = {b.name: b for b in selection.backends}
        self.options, self.guard = options, guard
        self.watch = CallWatch(guard)
        self.versions = {"numpy": np.__version__} | {b.dist: b.version() for b in selection.backends}
        self._runners: dict[tuple, Runner] = {}
        self.peak = PeakMemory()

    def runner(self, case: Case) -> Runner:
        key = (case.op, case.backend, case.device, case.surface)
        if key not in self._runners:
            for other in {k[1] for k in self._runners}:  # a new op: the library may drop the last one's caches
                self.backends[other].release()
            if self._runners:
                trim_heap()
            self._runners[key] = Runner(get_op(case.op), self.backends[case.backend], device=case.device,
                                        surface=case.surface, observer=self.watch)
        return self._runners[key]

    def run(self, case: Case) -> dict:
        """The record of one case, with the process's peak memory during it; an implementation out of
        memory is a ``crash`` record of it."""
        self.peak.reset()
        record = self._run(case)
        peak = self.peak.mib()
        limit = getattr(self.backends.get(case.backend), "release_above_mib", None)
        if limit is not None and (self.peak.mib("VmRSS") or 0) > limit:
            self.backends[case.backend].release()
            trim_heap()
        return record if peak is None else record | {"peak_rss_mib": peak}

    def sealed(self, case: Case) -> tuple[dict, str]:
        """:meth:`run`, and the record as the controller reads it (:func:`sealed`)."""
        return sealed(self.run(case), case)

    def _run(self, case: Case) -> dict:
        if self.guard:
            self.guard.start(case.id)
        try:
            if case.is_conformance:
                return conformance.run(case, self.backends[case.backend])
            return self.runner(case).run_case(case.dtype, max_examples=self.options.max_examples,
                                              seed=self.options.seed, versions=self.versions)
        except OutOfMemory as exc:
            limit = self.options.memory_bytes
            limit_text = f" (worker memory limit {limit / 2**20:.0f} MiB)" if limit else ""
            return fault_record(case, {
                "status": "crash", "fault": "memory", "input": exc.sample_text,
                "reason": f"out of memory: the implementation raised {exc.outcome.error_type}: "
                          f"{(exc.outcome.error_message or '').strip()[:300]}{limit_text}"})
        except (Exception, Unreadable) as exc:  # noqa: BLE001 - the library's exceptions are outcomes: not this one
            return fault_record(case, {"status": "harness-error", "reason": f"harness error: {one_line(exc)}",
                                       "traceback": keep_traceback(exc, case, self.options.out)})
        finally:
            if self.guard:
                self.guard.stop()


def sealed(record: dict, case: Case) -> tuple[dict, str]:
    """The record as the controller reads it (JSON, and that text), checked against the results schema
    where it was made: a record unfit for results.json is its case's harness-error, not a results file
    that cannot be written when the run ends."""
    text = json.dumps(record, default=str)
    problem = results.record_problem(received := json.loads(text))
    if problem is None:
        return received, text
    record = fault_record(case, {"status": "harness-error",
                                 "reason": f"harness error: its record is not valid ({problem})"})
    return record, json.dumps(record, default=str)


def process_settled() -> None:
    """This process has loaded what it runs with (the registry, the libraries under test): frozen, those
    objects live as long as it and are skipped by the cycle collector, whose full collections walked them
    again and again (~1 s of a torch sweep's worker; a larger first threshold saved nothing: Hypothesis
    keeps many young objects alive through an example)."""
    import gc

    gc.freeze()


def process_ends() -> None:
    """This process ends next and nothing it holds needs the cycle collector again: frozen, its objects
    (a library's heap, every record) are skipped by the collections at exit (1.4 s with torch loaded)."""
    import gc

    gc.freeze()


def keep_traceback(exc: BaseException, case: Case, out: str | None) -> str:
    """Write the whole traceback beside the results (``harness-errors/<case>.txt``); the record keeps its path."""
    folder = Path(out) / "harness-errors" if out else Path(tempfile.gettempdir()) / "array-parity-harness-errors"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w.\-\[\]]+", "_", case.id)[:200] + ".txt")
    path.write_text("".join(traceback.format_exception(exc)))
    return str(path)


def fault_record(case: Case, fault: dict) -> dict:
    """The record of a case that ended in a fault (crash, timeout, harness-error): no divergences."""
    return case_header(case, registry_entry(case)) | fault | {"divergences": []}


def registry_entry(case: Case):
    """The registry entry of an op case; a conformance case has none."""
    return None if case.is_conformance else get_op(case.op)
