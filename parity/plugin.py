"""The pytest plugin: one pytest item per case, results collected into results.json.

``pytest --parity-backend torch`` adds one item per (op, backend, device, dtype)
to whatever else pytest collects; ``parity run`` drives the same plugin with
``--parity-only``. Under pytest-xdist each worker runs cases and attaches the
record to its report; the controller (or the single process) appends records
to ``records.jsonl`` as they arrive and writes results.json and report.html at
the end, including for an interrupted run.

The library under test may crash, hang or eat memory; under xdist each worker
therefore guards the case it runs. It tells the controller through two small
files per worker (in a private folder) what it is running: the case and the
input being called, and Python's faulthandler output. A fatal signal (SIGSEGV,
SIGABRT, ...) is written there by faulthandler before the worker dies; a case
that outlives ``--parity-case-timeout`` is ended by faulthandler's watchdog,
a C thread that needs no GIL, so even a hang inside C code is stopped. xdist
replaces the dead worker, and the controller turns the lost case into a
``crash`` or ``timeout`` record naming the signal or the limit and the input.
Each worker's data segment is capped (``--parity-memory-limit``), so runaway
allocation raises MemoryError inside the op, recorded as a crash of that case,
instead of the system's out-of-memory killer taking the machine.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parity import results
from parity.taxonomy import FAILING

RECORD_KEY = "parity_record"
_STATE = pytest.StashKey["ParityState"]()
DEFAULT_CASE_TIMEOUT = 600.0  # seconds: a JAX case compiling every shape took up to 231 s on an overloaded
# 2-core machine; a hang costs one worker this long
#: Elements in one call's inputs (all arrays together). The largest fixed sample in the registry has
#: 9,248 (all pairs of complex special values); generated ones at most 2 x 5**3.
INPUT_BUDGET = 1 << 16
FATAL_SIGNALS = {"Segmentation fault": "SIGSEGV", "Aborted": "SIGABRT", "Bus error": "SIGBUS",
                 "Floating-point exception": "SIGFPE", "Floating point exception": "SIGFPE",
                 "Illegal instruction": "SIGILL"}


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
    group.addoption("--parity-case-timeout", type=float, default=DEFAULT_CASE_TIMEOUT,
                    help=f"seconds before a case is stopped and recorded as timeout (xdist workers only; 0: no "
                         f"limit; default {DEFAULT_CASE_TIMEOUT:g})")
    group.addoption("--parity-memory-limit", default="auto",
                    help="data-segment limit of each xdist worker, e.g. 2G or 512M; 'auto': physical memory / "
                         "(workers + 1); 'none': no limit")
    group.addoption("--parity-shard", default=None, help="run shard K of N (K/N) of the cases, balanced by cost")
    group.addoption("--parity-resume", action="store_true",
                    help="keep the records already in the output folder's records.jsonl and run only the rest")


class ParityState:
    def __init__(self, config):
        opt = config.getoption
        self.enabled = bool(opt("--parity-backend") or opt("--parity-all-backends"))
        self.max_examples = opt("--parity-max-examples")
        self.seed = opt("--parity-seed")
        self.out = Path(opt("--parity-out")) if opt("--parity-out") else None
        self.case_timeout = opt("--parity-case-timeout")
        self.shard = opt("--parity-shard")
        self.selection = None
        self.cases: dict = {}
        self.records: dict[str, dict] = {}
        self.resumed: dict[str, dict] = {}
        self.log = None
        self.started = time.time()
        self.is_worker = hasattr(config, "workerinput")
        self.guard = None
        self.fault_dir = None
        if not self.enabled:
            return
        import numpy as np  # imported late: the registry pulls in Hypothesis, which pytest must see first

        from parity import shard
        from parity.selection import SelectionError, resolve

        try:
            self.selection = resolve(opt("--parity-backend"), opt("--parity-device"), opt("--parity-ops"),
                                     opt("--parity-dtypes"), opt("--parity-surface"),
                                     jax_x64=not opt("--parity-no-jax-x64"))
            cases = self.selection.cases()
            if self.shard:
                cases = shard.select(cases, *shard.parse(self.shard))
            self.memory_limit = parse_memory(opt("--parity-memory-limit"))
        except (SelectionError, shard.ShardError, ValueError) as exc:
            raise pytest.UsageError(f"array-parity: {exc}") from None
        self.cases = {c.id: c for c in cases}
        self.versions = {"numpy": np.__version__} | {b.dist: b.version() for b in self.selection.backends}
        if self.is_worker:
            self.resumed = dict.fromkeys(config.workerinput.get("parity_done", ()))
            if config.workerinput.get("parity_fault_dir"):
                self.guard = Guard(Path(config.workerinput["parity_fault_dir"]), config.workerinput["workerid"],
                                   self.case_timeout)
                set_memory_limit(self.memory_limit, config.workerinput.get("workercount", 1))
            return
        if opt("--parity-resume"):
            if not self.out:
                raise pytest.UsageError("array-parity: --parity-resume needs --parity-out")
            try:
                earlier = results.read_log(self.out / "records.jsonl")
            except results.ResultsError as exc:
                raise pytest.UsageError(f"array-parity: {exc}") from None
            foreign = [r["id"] for r in earlier if r["id"] not in self.cases]
            if foreign:
                raise pytest.UsageError(f"array-parity: {self.out / 'records.jsonl'} holds case {foreign[0]!r}, "
                                        "which this selection does not have: resume with the options of that run")
            self.resumed = {r["id"]: r for r in earlier}
            self.records.update(self.resumed)
        if self.out:
            self.log = results.JsonlLog(self.out / "records.jsonl",
                                        list(self.resumed.values()) if opt("--parity-resume") else None)
        if getattr(config.option, "numprocesses", None):  # workers report what they were doing here
            if self.out:
                self.fault_dir = self.out / ".workers"
                shutil.rmtree(self.fault_dir, ignore_errors=True)
                self.fault_dir.mkdir(parents=True)
            else:
                self.fault_dir = Path(tempfile.mkdtemp(prefix="array-parity-workers-"))

    def add(self, record: dict) -> None:
        self.records[record["id"]] = record
        if self.log:
            self.log.append(record)

    def pytest_collection_modifyitems(self, session, config, items):
        if config.getoption("--parity-only"):
            items.clear()
        items.extend(ParityItem.from_parent(session, name=case.id, case=case) for case in self.cases.values()
                     if case.id not in self.resumed)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node):
        """xdist, controller side: every worker (also a replacement) skips the same resumed cases."""
        node.workerinput["parity_done"] = sorted(self.resumed)
        if self.fault_dir:
            node.workerinput["parity_fault_dir"] = str(self.fault_dir)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        """xdist, controller side: keep a dead worker's exit status, which names a killing signal."""
        popen = getattr(getattr(node.gateway, "_io", None), "popen", None)
        if error and popen is not None and self.fault_dir:
            try:
                code = popen.wait(timeout=10)
            except Exception:  # noqa: BLE001 - best effort: the fault file usually says more
                return
            (self.fault_dir / f"{node.gateway.id}.exit").write_text(str(code))

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
            worker = re.search(r"worker '?(\w+)'? crashed", text)
            if worker and self.fault_dir:
                fault = lost_worker_record(self.fault_dir, worker.group(1), cid, self.case_timeout)
            else:
                fault = {"status": "crash", "fault": "harness", "reason": f"harness error: {_last_line(text)}"}
            self.add(_case_record(self.cases[cid]) | fault | {"divergences": []})

    def pytest_sessionfinish(self, session, exitstatus):
        if self.is_worker:
            return
        if self.fault_dir:
            shutil.rmtree(self.fault_dir, ignore_errors=True)
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


# ---- guarding a worker against the library under test

def parse_memory(text) -> int | None:
    """'2G', '512M', '1.5g', a number of bytes, 'auto' (None here: decided per worker) or 'none' (0)."""
    text = str(text).strip().lower()
    if text == "auto":
        return None
    if text in ("none", "0", "off"):
        return 0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", text)
    if not match:
        raise ValueError(f"memory limit {text!r}: expected a size such as 2G or 512M, 'auto' or 'none'")
    size = int(float(match.group(1)) * 1024 ** " kmgt".index(match.group(2) or " "))
    if size < 256 * 2**20:
        raise ValueError(f"memory limit {text!r} is below 256M, too little to import the libraries")
    return size


def set_memory_limit(limit: int | None, workers: int) -> None:
    """Cap this worker's data segment (heap and anonymous mappings, not the address space that
    JAX and PyTorch reserve), so that runaway allocation fails with MemoryError."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    if limit is None:
        try:
            limit = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (int(workers) + 1)
        except (ValueError, OSError):
            return
    if not limit:
        return
    kind = getattr(resource, "RLIMIT_DATA", None) or resource.RLIMIT_AS
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(kind, (limit, hard))


class OutOfMemory(BaseException):
    """The implementation raised MemoryError: stop the case (a BaseException, so Hypothesis does
    not shrink by allocating again) and record it."""

    def __init__(self, outcome, sample_text):
        super().__init__(outcome.error_message)
        self.outcome, self.sample_text = outcome, sample_text


class Guard:
    """One worker's watch over the case it runs (see the module docstring)."""

    def __init__(self, folder: Path, worker: str, timeout: float):
        self.timeout = timeout
        self.fault = open(folder / f"{worker}.fault", "w+b")  # noqa: SIM115 - faulthandler keeps writing to it
        self.current = os.open(folder / f"{worker}.input", os.O_RDWR | os.O_CREAT, 0o600)

    def start(self, case_id: str) -> None:
        self.case_id = case_id
        self.fault.seek(0)
        self.fault.truncate()
        self.note("")
        faulthandler.enable(file=self.fault, all_threads=False)
        if self.timeout and self.timeout > 0:
            faulthandler.dump_traceback_later(self.timeout, exit=True, file=self.fault)

    def note(self, sample_text: str) -> None:
        """Record the input about to be called (a write(2) survives the process dying next)."""
        data = f"{self.case_id}\n{sample_text}".encode()
        os.ftruncate(self.current, 0)
        os.pwrite(self.current, data, 0)

    def stop(self) -> None:
        faulthandler.cancel_dump_traceback_later()


def lost_worker_record(folder: Path, worker: str, case_id: str, timeout: float) -> dict:
    """The crash or timeout record of the case a worker died running, from what it left behind."""
    fault = _read(folder / f"{worker}.fault")
    current = _read(folder / f"{worker}.input")
    code = _read(folder / f"{worker}.exit").strip()
    frames = _frames(fault)
    innermost = re.match(r'File "(.*)", line (\d+) in (.*)', frames[0]) if frames else None
    where = f" in {innermost[3]} ({innermost[1]}:{innermost[2]})" if innermost else ""
    first = fault.strip().splitlines()[0] if fault.strip() else ""
    if any(" in call_reference" in f for f in frames):
        where += ", inside the NumPy/SciPy reference, not the implementation"
    if first.startswith("Timeout"):
        out = {"status": "timeout", "fault": "timeout",
               "reason": f"no result within the case timeout of {timeout:g} s; the worker was stopped{where}"}
    elif first.startswith("Fatal Python error:"):
        name = first.split(":", 1)[1].strip()
        out = {"status": "crash", "fault": "signal",
               "reason": f"worker crashed: {name} ({FATAL_SIGNALS.get(name, 'fatal signal')}){where}"}
    elif code.lstrip("-").isdigit() and int(code) < 0:
        sig = _signal_name(-int(code))
        hint = " (the system's out-of-memory killer, or another process)" if sig == "SIGKILL" else ""
        out = {"status": "crash", "fault": "signal", "reason": f"worker killed by {sig}{hint}"}
    else:
        status = f" with exit status {code}" if code else ""
        out = {"status": "crash", "fault": "exit", "reason": f"worker crashed: the process ended{status}{where}"}
    if current.startswith(case_id + "\n") and current[len(case_id) + 1:].strip():
        out["input"] = current[len(case_id) + 1:]
    if frames:
        out["traceback"] = "\n".join(frames[:8])
    return out


def _frames(dump: str) -> list[str]:
    """Innermost-first frames of the thread that was running the case in a faulthandler dump
    (a timeout dump lists every thread; the case runs where the runner's frames are)."""
    blocks = re.split(r"\n(?=(?:Current thread|Thread) 0x)", dump)
    block = next((b for b in blocks if "runner.py" in b), blocks[0] if blocks else "")
    return [ln.strip() for ln in block.splitlines() if ln.strip().startswith("File ")]


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


class ParityItem(pytest.Item):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.user_properties.append(("parity_case", case.id))

    def runtest(self):
        state = self.config.stash[_STATE]
        if state.guard:
            state.guard.start(self.case.id)
        try:
            record = _runner(state, self.case).run_case(self.case.dtype, max_examples=state.max_examples,
                                                        seed=state.seed, versions=state.versions)
        except OutOfMemory as exc:
            limit = f" (worker memory limit {_size(state.memory_limit)})" if state.memory_limit else ""
            record = _case_record(self.case) | {
                "status": "crash", "fault": "memory", "divergences": [], "input": exc.sample_text,
                "reason": f"out of memory: the implementation raised {exc.outcome.error_type}: "
                          f"{(exc.outcome.error_message or '').strip()[:300]}{limit}"}
        finally:
            if state.guard:
                state.guard.stop()
        self.user_properties.append((RECORD_KEY, json.dumps(record, default=str)))
        if record["status"] in FAILING:
            raise ParityFailure(record)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ParityFailure):
            return excinfo.value.describe()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, self.name


def _size(limit) -> str:
    return f"{limit / 2**20:.0f} MiB" if limit else "none"


class ParityFailure(Exception):
    def __init__(self, record):
        super().__init__(record["id"])
        self.record = record

    def describe(self) -> str:
        lines = [f"{self.record['id']}: {self.record['status']}"]
        if self.record.get("reason"):
            lines.append(f"- {self.record['reason']}")
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
        runner = Runner(get_op(case.op), backend, device=case.device, surface=case.surface)
        _watch_calls(runner, state.guard)
        _RUNNERS[key] = runner
    return _RUNNERS[key]


class InputBudgetExceeded(Exception):
    """A registry entry made an input larger than INPUT_BUDGET: fix its samples or strategy."""


def _watch_calls(runner, guard: Guard | None) -> None:
    """Hold each input to the size budget, note it before the reference and the implementation see
    it (a crash or hang then names it), and turn the implementation's MemoryError into OutOfMemory."""
    from parity import reproducer

    call, call_reference = runner.call_implementation, runner.call_reference
    noted: list = [None, None, None]  # the case and sample last noted, and its text

    def note(sample):
        elements = sample.size()[0]
        if elements > INPUT_BUDGET:
            raise InputBudgetExceeded(f"{runner.op.name}: an input of {elements} elements exceeds the budget of "
                                      f"{INPUT_BUDGET} (parity.plugin.INPUT_BUDGET); note: {sample.note!r}")
        if guard and (noted[0] != guard.case_id or noted[1] is not sample):
            noted[:] = guard.case_id, sample, _literal(sample)
            guard.note(noted[2])

    def reference(sample):  # the reference can hang too (SciPy's polygamma for large negative x)
        note(sample)
        return call_reference(sample)

    def call_implementation(sample):
        note(sample)
        outcome = call(sample)
        if outcome.raised and "MemoryError" in outcome.error_mro:
            raise OutOfMemory(outcome, noted[2] if noted[1] is sample else _literal(sample))
        return outcome

    def _literal(sample) -> str:
        try:
            return reproducer.sample_literal(sample)
        except Exception:  # noqa: BLE001 - an unprintable input must not stop the case
            return repr(sample)[:2000]

    runner.call_implementation, runner.call_reference = call_implementation, reference


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
        "shard": state.shard,
        "resumed": len(state.resumed),
        "case_timeout_s": state.case_timeout,
    }
    return results.document(run, list(state.records.values()))
