"""The pytest plugin: one pytest item per case, results collected into results.json.

``pytest --parity-backend torch`` adds one item per (op, backend, device, dtype)
to whatever else pytest collects; ``parity run`` drives the same plugin with
``--parity-only``. Under pytest-xdist each worker runs cases and attaches the
record to its report; the controller (or the single process) appends records
to ``records.jsonl`` as they arrive and writes results.json and report.html at
the end, including for an interrupted run.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parity import results
from parity.taxonomy import FAILING

RECORD_KEY = "parity_record"
_STATE = pytest.StashKey["ParityState"]()


def pytest_addoption(parser):
    group = parser.getgroup("array-parity", "array-parity: compare array libraries with NumPy")
    group.addoption("--parity-backend", action="append", default=[],
                    help="backend to check (numpy, array_api_strict, torch, jax, dask, cupy, or module:attribute); "
                         "repeat or comma-separate")
    group.addoption("--parity-device", default=None, help="device for every backend (default: its CPU device)")
    group.addoption("--parity-surface", default="native", choices=["native", "array-api"],
                    help="the backend's own namespace (native) or its Array API namespace")
    group.addoption("--parity-ops", action="append", default=[], help="op name or family glob patterns")
    group.addoption("--parity-dtypes", action="append", default=[], help="dtype names, comma-separated")
    group.addoption("--parity-max-examples", type=int, default=10, help="Hypothesis examples per case")
    group.addoption("--parity-seed", type=int, default=0, help="seed: the same seed gives the same cases and results")
    group.addoption("--parity-out", default=None, help="directory for results.json and report.html")
    group.addoption("--parity-no-jax-x64", action="store_true", help="run JAX with 32-bit default types")
    group.addoption("--parity-all-backends", action="store_true", help="every available CPU backend")
    group.addoption("--parity-only", action="store_true", help="run only parity cases, deselect other tests")


class ParityState:
    def __init__(self, config):
        opt = config.getoption
        self.enabled = bool(opt("--parity-backend") or opt("--parity-all-backends"))
        self.max_examples = opt("--parity-max-examples")
        self.seed = opt("--parity-seed")
        self.out = Path(opt("--parity-out")) if opt("--parity-out") else None
        self.selection = None
        self.cases: dict = {}
        self.records: dict[str, dict] = {}
        self.log = None
        self.started = time.time()
        self.is_worker = hasattr(config, "workerinput")
        if not self.enabled:
            return
        import numpy as np  # imported late: the registry pulls in Hypothesis, which pytest must see first

        from parity.selection import SelectionError, resolve

        try:
            self.selection = resolve(opt("--parity-backend"), opt("--parity-device"), opt("--parity-ops"),
                                     opt("--parity-dtypes"), opt("--parity-surface"),
                                     jax_x64=not opt("--parity-no-jax-x64"))
        except SelectionError as exc:
            raise pytest.UsageError(f"array-parity: {exc}") from None
        self.cases = {c.id: c for c in self.selection.cases()}
        self.versions = {"numpy": np.__version__} | {b.dist: b.version() for b in self.selection.backends}
        if self.out and not self.is_worker:
            self.log = results.JsonlLog(self.out / "records.jsonl")


    def add(self, record: dict) -> None:
        self.records[record["id"]] = record
        if self.log:
            self.log.append(record)

    def pytest_collection_modifyitems(self, session, config, items):
        if config.getoption("--parity-only"):
            items.clear()
        items.extend(ParityItem.from_parent(session, name=case.id, case=case) for case in self.cases.values())

    def pytest_runtest_logreport(self, report):
        if self.is_worker:
            return
        props = dict(report.user_properties)
        if RECORD_KEY in props and report.when == "call":
            self.add(json.loads(props[RECORD_KEY]))
            return
        # a crashed xdist worker's report is made by the controller, without the item's properties
        cid = props.get("parity_case") or report.nodeid.rsplit("::", 1)[-1]
        if report.failed and cid in self.cases and cid not in self.records:
            text = str(report.longrepr)
            kind = "worker crashed" if "crashed" in text else "harness error"
            self.add(_case_record(self.cases[cid])
                     | {"status": "crash", "reason": f"{kind}: {_last_line(text)}", "divergences": []})

    def pytest_sessionfinish(self, session, exitstatus):
        if self.is_worker:
            return
        doc = build_document(self, session.config, interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
        self.document = doc
        if self.out:
            if self.log:
                self.log.close()
            from parity import report

            results.write(self.out / "results.json", doc)
            report.write_html(doc, self.out / "report.html")
            _write_reproducers(doc, self.out / "reproducers")

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        doc = getattr(self, "document", None)
        if doc is None:
            return
        from parity import report

        terminalreporter.section("array-parity")
        for line in report.summary_lines(doc):
            terminalreporter.write_line(line)
        if self.out:
            terminalreporter.write_line(f"results: {self.out / 'results.json'}")
            terminalreporter.write_line(f"report:  {self.out / 'report.html'}")


def pytest_configure(config):
    state = ParityState(config)
    config.stash[_STATE] = state
    if state.enabled:
        config.pluginmanager.register(state, "array-parity-state")


class ParityItem(pytest.Item):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.user_properties.append(("parity_case", case.id))

    def runtest(self):
        state = self.config.stash[_STATE]
        record = _runner(state, self.case).run_case(self.case.dtype, max_examples=state.max_examples,
                                                    seed=state.seed, versions=state.versions)
        self.user_properties.append((RECORD_KEY, json.dumps(record, default=str)))
        if record["status"] in FAILING:
            raise ParityFailure(record)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ParityFailure):
            return excinfo.value.describe()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, self.name


class ParityFailure(Exception):
    def __init__(self, record):
        super().__init__(record["id"])
        self.record = record

    def describe(self) -> str:
        lines = [f"{self.record['id']}: {self.record['status']}"]
        for d in self.record["divergences"]:
            if d["status"] not in FAILING:
                continue
            lines.append(f"- {d['status']} {d['category']}: {d.get('detail', '')}")
            if d.get("reason"):
                lines.append(f"  declared reason: {d['reason']}")
            if d.get("input"):
                lines += ["  input:", *("    " + ln for ln in d["input"].splitlines()),
                          f"  reference:      {d['reference'][:400]}", f"  implementation: {d['implementation'][:400]}"]
        return "\n".join(lines)


_RUNNERS: dict[tuple, object] = {}


def _runner(state: ParityState, case):
    from opinfo import get_op
    from parity.runner import Runner

    key = (case.op, case.backend, case.device, case.surface)
    if key not in _RUNNERS:
        backend = next(b for b in state.selection.backends if b.name == case.backend)
        _RUNNERS[key] = Runner(get_op(case.op), backend, device=case.device, surface=case.surface)
    return _RUNNERS[key]


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:500] if lines else ""


def _case_record(case) -> dict:
    from opinfo import get_op

    return {"kind": "op-parity", "id": case.id, "op": case.op, "family": get_op(case.op).family,
            "backend": case.backend, "device": case.device, "surface": case.surface, "dtype": case.dtype}


def _write_reproducers(doc, folder: Path):
    for r in doc["records"]:
        for d in r.get("divergences", []):
            if d.get("reproducer"):
                name = f"{r['id']}-{d['category']}".replace("[", "-").replace("]", "").replace(":", "_")
                results.write_atomic(folder / f"{name}.py", d["reproducer"])


def build_document(state: ParityState, config, interrupted: bool = False) -> dict:
    sel = state.selection
    run = {
        "started": datetime.fromtimestamp(state.started, UTC).isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - state.started, 2),
        "interrupted": interrupted,
        "complete": len(state.records) == len(state.cases),
        "cases_selected": len(state.cases),
        "seed": state.seed,
        "max_examples": state.max_examples,
        "surface": sel.surface,
        "ops": [op.name for op in sel.ops],
        "dtypes": sel.dtypes,
        "backends": [b.describe() | {"device": sel.devices[b.name]} for b in sel.backends],
        "unavailable": sel.unavailable,
        "libraries": results.library_versions(),
        "platform": results.platform_info(),
        "argv": sys.argv,
        "workers": getattr(config.option, "numprocesses", None) or 0,
    }
    return results.document(run, list(state.records.values()))
