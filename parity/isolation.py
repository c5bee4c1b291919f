"""Guarding a worker against the library under test: crashes, hangs and runaway memory.

Under pytest-xdist each worker runs cases while watched. It tells the controller through two small
files per worker (in a private folder) what it is running: the case and the input being called,
and Python's faulthandler output. A fatal signal (SIGSEGV, SIGABRT, ...) is written there by
faulthandler before the worker dies; a case that outlives the case timeout is ended by
faulthandler's watchdog, a C thread that needs no GIL, so even a hang inside C code is stopped.
xdist replaces the dead worker, and the controller turns the lost case into a ``crash`` or
``timeout`` record (:func:`lost_worker_record`) naming the signal or the limit and the input.
Each worker's data segment is capped, so runaway allocation raises MemoryError inside the op,
recorded as a crash of that case, instead of the system's out-of-memory killer taking the machine.
"""

from __future__ import annotations

import faulthandler
import io
import os
import pickle
import re
import signal
from pathlib import Path

import numpy as np

from opinfo.samples import with_layout
from opinfo.spec import Sample
from parity import literal, runner

#: Elements in one call's inputs (all arrays together). The largest fixed sample in the registry has
#: 9,248 (all pairs of complex special values); generated ones at most 2 x 5**3.
INPUT_BUDGET = 1 << 16
FATAL_SIGNALS = {"Segmentation fault": "SIGSEGV", "Aborted": "SIGABRT", "Bus error": "SIGBUS",
                 "Floating-point exception": "SIGFPE", "Floating point exception": "SIGFPE",
                 "Illegal instruction": "SIGILL"}
#: How a faulthandler dump names the runner's frames and the reference call (taken from the code,
#: so a rename cannot silently break crash attribution).
RUNNER_FILE = Path(runner.__file__).name
REFERENCE_CALL = runner.Runner.call_reference.__name__


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


def trim_heap() -> None:
    """Give the heap's freed memory back to the system (glibc's malloc_trim): what a library released
    between ops (JAX's compiled programs) otherwise stays resident, and a JAX worker grew to 3.4 GiB;
    with it, 1.4 GiB fell to 0.6 GiB over the same 789 cases. A no-op without glibc."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


class PeakMemory:
    """This process's peak resident memory during one case (Linux: VmHWM, reset through
    /proc/self/clear_refs before the case), so a record names the cases that make a worker large."""

    def __init__(self):
        self.available = os.path.exists("/proc/self/clear_refs")

    def reset(self) -> None:
        if self.available:
            try:
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")  # "reset the peak resident set size" (proc(5))
            except OSError:
                self.available = False

    def mib(self, field: str = "VmHWM") -> float | None:
        """The peak since the reset (``VmRSS``: resident now), MiB; None where it cannot be read."""
        if not self.available:
            return None
        try:
            with open("/proc/self/status") as f:
                line = next((ln for ln in f if ln.startswith(f"{field}:")), None)
        except OSError:
            return None
        return round(int(line.split()[1]) / 1024, 1) if line else None


class OutOfMemory(BaseException):
    """The implementation raised MemoryError: stop the case (a BaseException, so Hypothesis does
    not shrink by allocating again) and record it."""

    def __init__(self, outcome, sample_text):
        super().__init__(outcome.error_message)
        self.outcome, self.sample_text = outcome, sample_text


class InputBudgetExceeded(Exception):
    """A registry entry made an input larger than INPUT_BUDGET: fix its samples or strategy."""


class Guard:
    """One worker's watch over the case it runs (see the module docstring)."""

    def __init__(self, folder: Path, worker: str, timeout: float):
        self.timeout = timeout
        self.case_id = None
        self.fault = open(folder / f"{worker}.fault", "w+b")  # noqa: SIM115 - faulthandler keeps writing to it
        self.current = os.open(folder / f"{worker}.input", os.O_RDWR | os.O_CREAT, 0o600)

    def start(self, case_id: str) -> None:
        self.case_id = case_id
        self.fault.seek(0)
        self.fault.truncate()
        self.note(None)
        faulthandler.enable(file=self.fault, all_threads=False)
        if self.timeout and self.timeout > 0:
            faulthandler.dump_traceback_later(self.timeout, exit=True, file=self.fault)

    def note(self, sample) -> None:
        """Record the input about to be called (a write(2) survives the process dying next), packed
        (:func:`packed`): the controller renders it as source, and only for a case that was lost."""
        data = self.case_id.encode() + b"\n" + packed(sample)
        os.pwrite(self.current, b"%d\n" % len(data) + data, 0)  # sized: no truncation, a journalled operation

    def stop(self) -> None:
        faulthandler.cancel_dump_traceback_later()


class CallWatch:
    """The runner's observer in a worker: holds each input to the size budget, notes it before the
    reference and the implementation see it (a crash or hang then names it), and turns the
    implementation's MemoryError into :class:`OutOfMemory`."""

    def __init__(self, guard: Guard | None = None, budget: int = INPUT_BUDGET):
        self.guard, self.budget = guard, budget
        self._noted: tuple = (None, None)  # the case and sample last noted

    def before_call(self, runner, side: str, sample) -> None:
        elements = sample.elements()
        if elements > self.budget:
            raise InputBudgetExceeded(f"{runner.op.name}: an input of {elements} elements exceeds the budget of "
                                      f"{self.budget} (parity.isolation.INPUT_BUDGET); note: {sample.note!r}")
        if self.guard and (self._noted[0] != self.guard.case_id or self._noted[1] is not sample):
            self._noted = self.guard.case_id, sample
            self.guard.note(sample)

    def after_call(self, runner, side: str, sample, outcome) -> None:
        if side == "implementation" and outcome.raised and "MemoryError" in outcome.error_mro:
            raise OutOfMemory(outcome, _literal(sample))


def _literal(sample) -> str:
    try:
        return literal.sample_literal(sample)
    except Exception:  # noqa: BLE001 - an unprintable input must not stop the case
        return repr(sample)[:2000]


def packed(sample) -> bytes:
    """A sample's arguments as :func:`unpacked` reads them back: pickled, every bit and layout kept, as
    writing them as source before every call was 8% of a torch worker's time; as source text where
    they do not pickle (a lambda). Empty for no sample."""
    if sample is None:
        return b""
    buffer = io.BytesIO()
    try:
        _LayoutPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((tuple(sample.args), dict(sample.kwargs)))
    except Exception:  # noqa: BLE001 - anything that does not pickle is noted as text
        return b"T" + _literal(sample).encode("utf-8", "replace")
    return b"P" + buffer.getvalue()


def unpacked(data: bytes) -> str:
    """The source text (:func:`parity.literal.sample_literal`) of what :func:`packed` wrote."""
    if data[:1] == b"P":
        try:
            args, kwargs = pickle.loads(data[1:])  # noqa: S301 - written by this run's own worker
            return literal.sample_literal(Sample(args=args, kwargs=kwargs))
        except Exception as exc:  # noqa: BLE001 - the crash is reported all the same
            return f"(the input could not be read back: {type(exc).__name__}: {exc})"
    return data[1:].decode("utf-8", "replace")


class _LayoutPickler(pickle.Pickler):
    """Keeps the one non-contiguous layout :func:`parity.literal.literal` names, the registry's "strided"
    (pickle would copy it into C order, and the input's source would lose it)."""

    def reducer_override(self, obj):
        if (isinstance(obj, np.ndarray) and obj.size and obj.ndim and not obj.flags.c_contiguous
                and not obj.flags.f_contiguous and obj.strides == with_layout(obj, "strided").strides):
            return with_layout, (np.ascontiguousarray(obj), "strided")
        return NotImplemented


def lost_fault(longrepr, folder: Path | None, case_id: str, timeout: float) -> dict:
    """The fault fields of a case whose item failed outside the runner: the crash or timeout of the worker
    that died running it (xdist's report names the worker), else the harness's error."""
    text = str(longrepr)
    worker = re.search(r"worker '?(\w+)'? crashed", text)
    if worker and folder:
        return lost_worker_record(folder, worker.group(1), case_id, timeout)
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    crash = getattr(getattr(longrepr, "reprcrash", None), "message", None) or (lines[-1][:500] if lines else "")
    first = (crash.strip().splitlines() or ["its item failed"])[0]
    return {"status": "harness-error", "reason": f"harness error: {first[:300]}"}


def keep_exit_status(gateway, folder: Path) -> None:
    """On the controller: a dead worker's exit status (execnet gateway), which names a killing signal,
    for :func:`lost_worker_record`."""
    popen = getattr(getattr(gateway, "_io", None), "popen", None)
    if popen is None:
        return
    try:
        code = popen.wait(timeout=10)
    except Exception:  # noqa: BLE001 - best effort: the fault file usually says more
        return
    (folder / f"{gateway.id}.exit").write_text(str(code))


def lost_worker_record(folder: Path, worker: str, case_id: str, timeout: float) -> dict:
    """The crash or timeout fields of the case a worker died running, from what it left behind."""
    fault = _read(folder / f"{worker}.fault")
    try:
        size, _, current = (folder / f"{worker}.input").read_bytes().partition(b"\n")
        current = current[:int(size)]
    except (OSError, ValueError):
        current = b""
    code = _read(folder / f"{worker}.exit").strip()
    frames = _frames(fault)
    innermost = re.match(r'File "(.*)", line (\d+) in (.*)', frames[0]) if frames else None
    where = f" in {innermost[3]} ({innermost[1]}:{innermost[2]})" if innermost else ""
    first = fault.strip().splitlines()[0] if fault.strip() else ""
    if any(f.endswith(f" in {REFERENCE_CALL}") for f in frames):
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
    head = case_id.encode() + b"\n"
    if current.startswith(head) and len(current) > len(head):
        out["input"] = unpacked(current[len(head):])
    if frames:
        out["traceback"] = "\n".join(frames[:8])
    return out


def _frames(dump: str) -> list[str]:
    """Innermost-first frames of the thread that was running the case in a faulthandler dump
    (a timeout dump lists every thread; the case runs where the runner's frames are)."""
    blocks = re.split(r"\n(?=(?:Current thread|Thread) 0x)", dump)
    block = next((b for b in blocks if RUNNER_FILE in b), blocks[0] if blocks else "")
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
