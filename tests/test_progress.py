"""``parity run``'s live progress (parity/progress.py): the numbers without a backend, then the real
command on a pipe (plain lines, no dots), with -q (today's dots) and on a pseudo-terminal (bars)."""

import os
import re
import select
import signal
import struct
import subprocess
import sys
import time

import pytest
from conftest import TESTS

from parity import results, shard
from parity.case import Case
from parity.progress import Lines, Tally, clock_text, counted, eta_seconds, shared_etas

DOTS = re.compile(r"^[.sFE]+\s*(\[\s*\d+%\])?$")  # a line of pytest's per-test letters
SMALL = ("--backend", "numpy", "--ops", "add,sin")


class Clock:
    """A clock the test sets (the display's only input besides the records)."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def record(case, status="parity", seconds=0.5):
    return {"id": case.id, "backend": case.backend, "op": case.op, "status": status, "duration_s": seconds,
            "divergences": []}


def test_eta_is_the_models_prediction_corrected_by_what_was_measured_and_shared_among_workers():
    assert eta_seconds(10.0, 0.0, 0.0, 1) == 10.0  # nothing finished yet: the cost model as it is
    assert eta_seconds(10.0, 4.0, 2.0, 1) == 20.0  # cases took twice the predicted time on this machine
    assert eta_seconds(10.0, 1.0, 2.0, 4) == 1.25
    assert eta_seconds(0.0, 4.0, 2.0, 2) == 0.0
    assert eta_seconds(6.0, 0.0, 0.0, 0) == 6.0  # in-process: one worker


def test_counted_statuses_and_clock_text():
    assert [counted(s) for s in ("new", "known", "stale", "crash", "timeout", "parity", "unsupported", "skipped")] \
        == ["new", "known", "stale", "crash", "crash", None, None, None]
    assert [clock_text(s) for s in (0.04, 4.12, 42.4, 190, 7500)] == ["0.0s", "4.1s", "42s", "3m10s", "2h05m"]


def test_tally_counts_per_backend_and_scales_the_eta_by_the_measured_ratio():
    cases = [Case(op, b, "cpu", dt) for b in ("numpy", "jax") for op in ("sin", "sort") for dt in ("float32", "int8")]
    clock = Clock()
    tally = Tally(cases, workers=2, clock=clock)
    jax = tally.backends["jax"]
    assert (tally.total, jax.total, jax.done) == (8, 4, 0)
    # the backends share the workers: jax is done when every case up to its last one is
    assert tally.eta("jax") == pytest.approx(sum(shard.cost(c) for c in cases) / 2)
    assert tally.eta("numpy") == pytest.approx(sum(shard.cost(c) for c in cases[:4]) / 2)

    first = cases[4]
    tally.add(record(first, "new", seconds=3 * shard.cost(first)))  # three times slower than predicted
    clock.now += 1  # the ETAs are recomputed once a second at most
    jax_left = 3 * sum(shard.cost(c) for c in cases[5:])
    assert tally.eta("jax") == pytest.approx((sum(shard.cost(c) for c in cases[:4]) + jax_left) / 2)
    tally.add(record(cases[5], "timeout", seconds=None))  # lost with its worker: counted, but no time to compare
    tally.add(record(cases[0], "known", seconds=0.2))
    tally.add(record(cases[0], "known", seconds=0.2))  # the same case twice, and one this run does not have
    tally.add(record(Case("cos", "numpy", "cpu", "float32"), "new"))
    assert (tally.done, jax.done, tally.backends["numpy"].done) == (3, 2, 1)
    assert dict(tally.counts) == {"new": 1, "crash": 1, "known": 1}
    assert dict(jax.counts) == {"new": 1, "crash": 1}
    assert tally.slowest == (3 * shard.cost(first), first.id)


def test_shared_etas_follow_the_selection_order_and_each_backends_ratio():
    order = [("a1", "numpy"), ("b1", "jax"), ("a2", "numpy"), ("b2", "jax")]
    pending = {"numpy": {"a1": 1.0, "a2": 1.0}, "jax": {"b1": 2.0, "b2": 2.0}}
    assert shared_etas(order, pending, {}, 1) == {"numpy": 4.0, "jax": 6.0}  # numpy's last case comes after b1
    assert shared_etas(order, pending, {"jax": 10.0}, 2) == {"numpy": 11.0, "jax": 21.0}
    pending["numpy"].pop("a2")
    assert shared_etas(order, pending, {}, 1) == {"numpy": 1.0, "jax": 5.0}


def test_the_plain_line_names_totals_backends_counts_and_the_slowest_case():
    cases = [Case("sort", "jax", "cpu", "float32"), Case("sort", "jax", "cpu", "int8"),
             Case("sin", "numpy", "cpu", "int8")]
    clock = Clock()
    tally = Tally(cases, workers=1, clock=clock)
    seconds = 2 * shard.cost(cases[0])
    tally.add(record(cases[0], "stale", seconds=seconds))
    eta = clock_text(2 * shard.cost(cases[1]))
    numpy_eta = clock_text(2 * shard.cost(cases[1]) + shard.cost(cases[2]))  # after jax's case, on the one worker
    assert tally.line() == (f"parity: 1/3 cases (33%) · jax 1/2 ETA {eta}, numpy 0/1 ETA "
                            f"{numpy_eta} · new 0 known 0 stale 1 crash 0 · "
                            f"slowest sort[jax-cpu-float32] {seconds:.1f}s")
    clock.now += 190
    assert tally.line(final=True, interrupted=True).startswith("parity: interrupted at 1/3 cases (33%) after 3m10s · ")
    for case in cases[1:]:
        tally.add(record(case, seconds=0.01))
    assert tally.line(final=True).startswith("parity: done 3/3 cases (100%) in 3m10s · jax 2/2, numpy 1/1 · ")


def test_lines_write_once_per_interval_and_once_at_the_end():
    cases = [Case("sin", "numpy", "cpu", dt) for dt in ("float32", "float64", "int8", "int16")]
    clock, written = Clock(), []
    lines = Lines(Tally(cases, clock=clock), written.append, interval=5)
    lines.close()  # a run that never started a case (pytest refused it) says nothing
    assert written == []
    lines = Lines(Tally(cases, clock=clock), written.append, interval=5)
    lines.start()
    lines.add(record(cases[0]))
    clock.now += 5
    lines.add(record(cases[1]))
    lines.add(record(cases[2]))
    clock.now += 6
    lines.add(record(cases[3]))  # the last case: the final line says it
    lines.close()
    lines.close()
    assert [line.split(" · ")[0] for line in written] == ["parity: 2/4 cases (50%)",
                                                          "parity: done 4/4 cases (100%) in 11s"]


def test_piped_run_prints_plain_progress_lines_and_no_dots(tmp_path):
    env = dict(os.environ, PARITY_PROGRESS_INTERVAL="0")  # a line per case, so the test needs no long run
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", *SMALL, "-n", "2", "--out", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    total = len(results.read(tmp_path / "results.json")["records"])
    out = proc.stdout.splitlines()
    shown = [line for line in out if line.startswith("parity: ")]
    assert len(shown) == total  # one per case but the last, and the final line
    done = [int(re.match(r"parity: (\d+)/", line).group(1)) for line in shown[:-1]]
    assert done == sorted(done) and all(f"/{total} cases (" in line for line in shown[:-1])
    assert shown[-1].startswith(f"parity: done {total}/{total} cases (100%) in ")
    assert f"· numpy {total}/{total} · new 0 known 0 stale 0 crash 0 · slowest " in shown[-1]
    assert out.index(shown[-1]) < out.index(next(line for line in out if "array-parity" in line))
    assert not [line for line in out if DOTS.match(line.strip())], proc.stdout[-3000:]
    assert f"{total} passed" in out[-1]


def test_quiet_keeps_pytests_dots(cli, tmp_path):
    proc = cli("run", *SMALL, "-q", "-n", "2", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert [line for line in lines if DOTS.match(line.strip())][-1].endswith("[100%]")
    assert not [line for line in lines if line.startswith("parity: ")]
    assert cli("run", *SMALL, "-q", "-v", "--out", str(tmp_path)).returncode == 2  # one or the other


def _interruptible():
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in test_reliability: Ctrl-C's default action


def in_pty(args, env=None, until=None, timeout=300):
    """Run ``parity`` on a pseudo-terminal (120 columns) and return its status and everything it drew.
    ``until`` (a predicate on the output so far) sends Ctrl-C, SIGINT to the whole run, once it holds."""
    why = "pseudo-terminals (pty, fcntl, termios) are POSIX only"
    pty, fcntl, termios = (pytest.importorskip(name, reason=why) for name in ("pty", "fcntl", "termios"))
    try:
        master, slave = pty.openpty()
    except OSError as exc:
        pytest.skip(f"no pseudo-terminal here: {exc}")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, PYTHONPATH=str(TESTS), TERM="xterm-256color", **(env or {}))
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "parity.cli", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, preexec_fn=_interruptible)
    os.close(slave)
    data, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if until and until(data):
                os.killpg(proc.pid, signal.SIGINT)
                until = None
            if select.select([master], [], [], 0.1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every process holding the terminal has ended
                    break
                if not chunk:
                    break
                data += chunk
        return proc.wait(timeout=60), data.decode(errors="replace")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)


def shown_lines(text):
    """The lines a terminal would show last: colours and cursor moves left out, a line rewritten after
    a carriage return as rewritten."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return [line.rsplit("\r", 1)[-1].rstrip() for line in plain.replace("\r\n", "\n").split("\n")]


def test_terminal_shows_bars_and_pytests_summary_after_them(tmp_path):
    code, text = in_pty(["run", *SMALL, "-n", "0", "--out", str(tmp_path)])
    assert code == 0, text[-3000:]
    total = len(results.read(tmp_path / "results.json")["records"])
    lines = shown_lines(text)
    assert any(re.fullmatch(rf"numpy ━+ {total}/{total} 100% done new 0 known 0 stale 0 crash 0", ln) for ln in lines)
    assert any(re.fullmatch(r"elapsed \d\S* · slowest \S+\[numpy-cpu-\S+\] \d+\.\ds", ln) for ln in lines), lines
    assert text.rindex("\x1b[?25h") > text.rindex("\x1b[?25l")  # the cursor, hidden under the bars, is back
    summary = text.index("array-parity: ")
    assert text.rindex(f"{total}/{total}") < summary and "\x1b[2K" not in text[summary:]  # no redraw after it
    assert not [line for line in lines if DOTS.match(line.strip())]


def test_ctrl_c_under_the_bars_gives_the_terminal_back_and_keeps_the_results(tmp_path):
    gate = tmp_path / "slow"  # every call of slow_xp waits while it exists: the run is still going at Ctrl-C
    gate.touch()
    out = tmp_path / "run"
    log = out / "records.jsonl"
    args = ["run", "--backend", "slow_xp:xp", "--ops", "sin,cos,exp,log,tanh,sqrt", "--dtypes", "float64,float32",
            "--domain", "standard", "--max-examples", "25", "-n", "2", "--out", str(out)]
    code, text = in_pty(args, env={"SLOW_XP_GATE": str(gate)},
                        until=lambda _: log.exists() and log.read_text().count("\n") >= 2)
    assert code == 130, text[-3000:]
    assert text.rindex("\x1b[?25h") > text.rindex("\x1b[?25l"), text[-3000:]
    assert "interrupted; partial results in" in text and "array-parity: " in text
    doc = results.read(out / "results.json")
    assert doc["run"]["interrupted"] and 2 <= len(doc["records"]) < doc["run"]["cases_selected"]


def test_plain_pytest_route_shows_no_progress(tmp_path):
    """``pytest --parity-backend`` keeps pytest's own output: the display belongs to ``parity run``."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--parity-backend", "numpy",
                           "--parity-ops", "sin", "--parity-only", "--parity-out", str(tmp_path), "-n", "0",
                           "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"^\S* ?\.+ +\[100%\]$", proc.stdout, re.M), proc.stdout[-3000:]
    assert not re.search(r"^parity: ", proc.stdout, re.M)


def test_a_resumed_run_counts_the_cases_it_already_has():
    """--resume runs only the missing cases; the display still shows the whole run: what the interrupted run
    recorded is done and counted, and only the cases still to run make up the ETA."""
    cases = [Case("sort", "jax", "cpu", dt) for dt in ("float32", "int8", "int16")]
    clock = Clock()
    tally = Tally(cases[1:], workers=1, clock=clock, earlier=[record(cases[0], "new", seconds=9.0)])
    eta = clock_text(shard.cost(cases[1]) + shard.cost(cases[2]))
    assert tally.line() == f"parity: 1/3 cases (33%) · jax 1/3 ETA {eta} · new 1 known 0 stale 0 crash 0"
    for case in cases[1:]:
        tally.add(record(case, "known"))
    assert tally.line(final=True).startswith("parity: done 3/3 cases (100%) in 0.0s · jax 3/3 · new 1 known 2 ")
