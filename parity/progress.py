"""``parity run``'s live progress: per backend, cases done, an ETA from the cost model and the failing counts.

The controller (which owns the :class:`~parity.session.RunSession`) feeds it each record. A
:class:`Tally` holds the numbers (testable without a terminal); on a TTY :class:`Bars` draws them
with rich, elsewhere (CI logs, pipes) :class:`Lines` writes a plain line every :data:`INTERVAL_S`
seconds and one at the end: a log grows by a line per interval, not a dot per case. Drawing happens
in the plugin's hooks, never from a thread: in-process (``-n 0``) pytest captures the terminal while
a case runs, and a frame drawn then would land in the capture and garble the screen.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn
from rich.text import Text

from parity.shard import cost

#: Seconds between two plain progress lines off a TTY (``PARITY_PROGRESS_INTERVAL`` overrides it).
INTERVAL_S = 5.0
#: Seconds between two redraws of the bars: a NumPy sweep finishes hundreds of cases a second.
REDRAW_S = 0.1
#: The case statuses counted as they arrive; a timeout counts as a crash (both cost a worker).
COUNTED = ("new", "known", "stale", "crash", "unreadable", "harness-error")
#: Counters shown at zero too (the harness's own faults appear once they happen).
ALWAYS_SHOWN = COUNTED[:4]


def eta_seconds(pending_cost: float, actual_s: float, predicted_s: float, workers: int) -> float:
    """Seconds left: the cost model's prediction for the pending cases, corrected by how far off it
    has been so far on this machine (actual over predicted seconds of the finished cases), shared
    among the workers. Until a finished case has both, the model is taken as it is."""
    ratio = actual_s / predicted_s if actual_s > 0 and predicted_s > 0 else 1.0
    return pending_cost * ratio / max(workers, 1)


def shared_etas(order, pending: dict[str, dict[str, float]], ratios: dict[str, float],
                workers: int) -> dict[str, float]:
    """Seconds until each backend's last pending case is done, when the backends share the workers and
    cases run roughly in selection order (op by op, every backend's in turn): the cost of every pending
    case up to that backend's last one, each corrected by its backend's measured ratio, shared among the
    workers. Dividing a backend's own cost by every worker told JAX's end an hour early in a run of all."""
    total, finish = 0.0, {}
    for case_id, backend in order:
        predicted = pending[backend].get(case_id)
        if predicted is not None:
            total += predicted * ratios.get(backend, 1.0)
            finish[backend] = total
    return {backend: seconds / max(workers, 1) for backend, seconds in finish.items()}


def counted(status: str) -> str | None:
    """The counter a case status goes to (a timeout is a crash), or None for the uncounted."""
    status = "crash" if status == "timeout" else status
    return status if status in COUNTED else None


def clock_text(seconds: float) -> str:
    """4.1s, 42s, 3m10s, 2h05m: short enough for a status line, exact enough for an estimate."""
    if seconds < 9.95:
        return f"{max(seconds, 0):.1f}s"
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def counts_text(counts: Counter) -> str:
    return " ".join(f"{k} {counts[k]}" for k in COUNTED if k in ALWAYS_SHOWN or counts[k])


@dataclass
class BackendTally:
    """One backend's cases: the costs still pending, and actual against predicted seconds so far."""

    total: int = 0
    done: int = 0
    pending: dict[str, float] = field(default_factory=dict)
    actual_s: float = 0.0
    predicted_s: float = 0.0
    counts: Counter = field(default_factory=Counter)

    @property
    def ratio(self) -> float:
        """Measured over predicted seconds of the finished cases (1 until a case has both)."""
        return eta_seconds(1.0, self.actual_s, self.predicted_s, 1)


class Tally:
    """The run's numbers as records arrive: per backend (in selection order) and in all."""

    def __init__(self, cases, workers: int = 1, clock=time.monotonic, earlier=()):
        """``cases``: those to run; ``earlier``: the records a resumed run already has (counted as done and
        in the totals, so that the display shows the whole run, but no part of an ETA)."""
        self.workers, self.clock, self.started = max(workers, 1), clock, clock()
        self.backends: dict[str, BackendTally] = {}
        self.counts: Counter = Counter()
        for case in cases:
            b = self.backends.setdefault(case.backend, BackendTally())
            b.total += 1
            b.pending[case.id] = cost(case)
        for record in earlier:
            b = self.backends.setdefault(record["backend"], BackendTally())
            b.total += 1
            b.done += 1
            if key := counted(record["status"]):
                b.counts[key] += 1
                self.counts[key] += 1
        self.total = sum(b.total for b in self.backends.values())
        self.done = sum(b.done for b in self.backends.values())
        self.slowest: tuple[float, str] | None = None
        self.order = [(case.id, case.backend) for case in cases]
        self._etas: tuple[float, dict[str, float]] | None = None  # (when, ETAs): one pass a second at most

    def eta(self, name: str) -> float:
        """Seconds until backend ``name`` is done (:func:`shared_etas`), recomputed at most once a second."""
        now = self.clock()
        if self._etas is None or now - self._etas[0] >= 1.0:
            pending = {b: t.pending for b, t in self.backends.items()}
            ratios = {b: t.ratio for b, t in self.backends.items()}
            self._etas = (now, shared_etas(self.order, pending, ratios, self.workers))
        return self._etas[1].get(name, 0.0)

    def eta_text(self, name: str) -> str:
        b = self.backends[name]
        return "done" if b.done == b.total else f"ETA {clock_text(self.eta(name))}"

    def add(self, record: dict) -> None:
        b = self.backends.setdefault(record["backend"], BackendTally())
        predicted = b.pending.pop(record["id"], None)
        if predicted is None:  # not one of this run's cases (or already counted): nothing to move
            return
        b.done += 1
        self.done += 1
        seconds = record.get("duration_s")
        if seconds is not None:  # a case lost with its worker has no time of its own to compare
            b.actual_s += seconds
            b.predicted_s += predicted
            if self.slowest is None or seconds > self.slowest[0]:
                self.slowest = (seconds, record["id"])
        if key := counted(record["status"]):
            b.counts[key] += 1
            self.counts[key] += 1

    def backend_text(self, name: str) -> str:
        b = self.backends[name]
        return f"{name} {b.done}/{b.total}" + ("" if b.done == b.total else f" {self.eta_text(name)}")

    def slowest_text(self) -> str:
        return f"slowest {self.slowest[1]} {self.slowest[0]:.1f}s" if self.slowest else ""

    def line(self, *, final: bool = False, interrupted: bool = False) -> str:
        """One plain line: ``parity: 1234/10633 cases (11%) · jax 200/2127 ETA 3m10s · new 2 ...``."""
        percent = 100 * self.done // self.total if self.total else 100
        head = f"{self.done}/{self.total} cases ({percent}%)"
        if final:
            took = clock_text(self.clock() - self.started)
            head = f"interrupted at {head} after {took}" if interrupted else f"done {head} in {took}"
        parts = [head, ", ".join(map(self.backend_text, self.backends)), counts_text(self.counts), self.slowest_text()]
        return "parity: " + " · ".join(p for p in parts if p)


class Lines:
    """Off a TTY: a plain line when :data:`INTERVAL_S` has passed since the last, and one at the end."""

    def __init__(self, tally: Tally, write, interval: float | None = None):
        self.tally, self.write = tally, write
        self.interval = float(os.environ.get("PARITY_PROGRESS_INTERVAL", INTERVAL_S)) if interval is None else interval
        self.last = tally.started
        self.started = self.closed = False

    def start(self) -> None:
        self.started = True

    def add(self, record: dict) -> None:
        self.tally.add(record)
        now = self.tally.clock()
        if now - self.last >= self.interval and self.tally.done < self.tally.total:
            self.last = now
            self.write(self.tally.line())

    def close(self, *, interrupted: bool = False) -> None:
        """The last line, once, and only for a run whose cases started (not one pytest refused)."""
        if self.started and not self.closed:
            self.write(self.tally.line(final=True, interrupted=interrupted))
        self.closed = True


class _Progress(Progress):
    """rich's Progress with a line under the bars (``footer``), as rich's documentation says to add one."""

    footer = staticmethod(str)

    def get_renderables(self):
        yield self.make_tasks_table(self.tasks)
        yield Text(self.footer(), style="dim")


class _Above(io.TextIOBase):
    """pytest's terminal output while the bars are up (xdist's "[gw1] node down", its status line for
    a replacement worker): printed whole lines above the bars, where a raw write would tear them."""

    def __init__(self, console: Console):
        self.console, self.partial = console, ""

    def write(self, text: str) -> int:
        *lines, self.partial = (self.partial + text).split("\n")
        for line in lines:
            shown = Text.from_ansi(line)  # a line rewritten with "\r" shows its last version
            if shown.plain.strip():
                self.console.print(shown)
        return len(text)


class Bars:
    """On a TTY: a rich progress bar per backend with its ETA and counts, the slowest case below. Drawn
    on demand, not transient: the last frame stays above pytest's summary, written after :meth:`close`.
    While the bars are up, pytest's terminal writer (``writer``) writes through them (:class:`_Above`)."""

    def __init__(self, tally: Tally, stream, writer=None):
        self.tally, self.last, self.stream, self.writer = tally, 0.0, stream, writer
        width = max(map(len, tally.backends), default=5)
        self.progress = _Progress(
            TextColumn(f"{{task.description:<{width}}}", markup=False), BarColumn(bar_width=30), MofNCompleteColumn(),
            TaskProgressColumn(), TextColumn("{task.fields[eta]}", markup=False),
            TextColumn("{task.fields[counts]}", markup=False, style="bold"),
            console=Console(file=stream, force_terminal=True), auto_refresh=False,
            redirect_stdout=False, redirect_stderr=False)  # pytest's capture swaps sys.stdout itself
        self.progress.footer = self.footer
        self.tasks = {name: self.progress.add_task(name, total=b.total, eta="", counts="")
                      for name, b in tally.backends.items()}
        self.started = self.closed = self.interrupted = False

    def footer(self) -> str:
        t = self.tally
        parts = ("interrupted" if self.interrupted else "", f"elapsed {clock_text(t.clock() - t.started)}",
                 t.slowest_text())
        return " · ".join(p for p in parts if p)

    def start(self) -> None:
        if not (self.started or self.closed):
            self.started = True
            self._update()
            self.progress.start()
            if getattr(self.writer, "_file", None) is self.stream:  # pytest's TerminalWriter keeps its file there
                self.writer._file = _Above(self.progress.console)

    def _update(self) -> None:
        for name, task in self.tasks.items():
            b = self.tally.backends[name]
            eta = self.tally.eta_text(name)
            self.progress.update(task, completed=b.done, eta=eta, counts=counts_text(b.counts))

    def add(self, record: dict) -> None:
        self.tally.add(record)
        self.start()
        now = self.tally.clock()
        if now - self.last >= REDRAW_S or self.tally.done == self.tally.total:
            self.last = now
            self._update()
            self.progress.refresh()

    def close(self, *, interrupted: bool = False) -> None:
        """Draw the last frame and give the terminal back (cursor shown), also after Ctrl-C."""
        if self.started and not self.closed:
            self.interrupted = interrupted
            if isinstance(getattr(self.writer, "_file", None), _Above):
                self.writer._file.write("\n")  # a line left unfinished
                self.writer._file = self.stream
            self._update()
            self.progress.stop()
        self.closed = True


def display(cases, workers: int, write=print, writer=None, stream=None, earlier=()):
    """Bars on a terminal, else plain lines (``write``: pytest's terminal reporter's ``write_line``);
    ``earlier``: a resumed run's records."""
    tally, stream = Tally(cases, workers, earlier=earlier), stream or sys.stdout
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        return Bars(tally, stream, writer)
    return Lines(tally, write)
