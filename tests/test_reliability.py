"""The harness survives the library under test and its own interruption, and splits across machines.

Every test drives the real ``parity`` command in a subprocess, through pytest-xdist workers.
"""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import TESTS, run_cli

from opinfo.samples import with_layout
from parity import results
from parity.results import MEASURED

#: a small selection (44 cases) of NumPy made slow on demand (tests/slow_xp.py), so that an interrupted run is
#: still going when the signal reaches it however loaded the machine: the reference run for resume and shards
SELECTION = ("--backend", "slow_xp:xp", "--ops", "sort,negative,sum,abs,sqrt,matmul,cumulative_sum,unique_values,flip,"
             "mean,sin,cos,exp,log,tanh,argsort,cumulative_prod", "--dtypes", "float64,int32,float32",
             "--domain", "standard", "--max-examples", "25", "--seed", "5")
TIMING = MEASURED


def records(out):
    """A run's records without timing: what must not depend on how the run was carried out."""
    return [{k: v for k, v in r.items() if k not in TIMING} for r in results.read(out / "results.json")["records"]]


def one_line_error(proc, needle):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    proc = run_cli("run", *SELECTION, "-n", "2", "--out", str(out))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return out


def test_broken_backend_run_finishes_with_crash_timeout_and_memory_records(cli, tmp_path):
    """broken_xp: expm1 segfaults, log1p hangs in C holding the GIL, exp allocates without bound, tan is
    SIGKILLed, sin prints and warns; the run records each and every other case is intact."""
    started = time.monotonic()
    proc = cli("run", "--backend", "broken_xp:xp", "--ops", "expm1,log1p,exp,tan,sin,sqrt", "--dtypes",
               "float64", "-n", "2", "--max-examples", "3", "--case-timeout", "8", "--memory-limit", "512M",
               "--out", str(tmp_path))
    elapsed = time.monotonic() - started
    assert proc.returncode == 1 and (tmp_path / "results.json").exists(), proc.stdout[-5000:] + proc.stderr[-3000:]
    doc = results.read(tmp_path / "results.json")
    assert doc["run"]["complete"] and doc["run"]["case_timeout_s"] == 8
    by_op = {r["op"]: r for r in doc["records"]}
    assert sorted(by_op) == ["exp", "expm1", "log1p", "sin", "sqrt", "tan"]

    segv = by_op["expm1"]
    assert segv["status"] == "crash" and "Segmentation fault (SIGSEGV)" in segv["reason"]
    assert "_expm1" in segv["traceback"] and segv["input"].startswith("args = (np.array(")
    hang = by_op["log1p"]
    assert hang["status"] == "timeout" and "case timeout of 8 s" in hang["reason"] and "_log1p" in hang["reason"]
    assert hang["input"].startswith("args = (np.array(")
    memory = by_op["exp"]
    assert memory["status"] == "crash" and memory["fault"] == "memory", memory
    assert memory["reason"].startswith("out of memory: the implementation raised ") and "512 MiB" in memory["reason"]
    assert memory["input"].startswith("args = (np.array(")
    killed = by_op["tan"]
    assert killed["status"] == "crash" and "killed by SIGKILL" in killed["reason"], killed
    for op in ("sin", "sqrt"):  # sin's prints and warnings change nothing
        assert by_op[op]["status"] == "parity" and by_op[op]["examples"] > 0, by_op[op]
    assert len(results.read_log(tmp_path / "records.jsonl")) == 6
    html = (tmp_path / "report.html").read_text()
    assert "no result within the case timeout of 8 s" in html and "broken_xp: chatter" not in html
    assert elapsed < 240


def _interruptible():
    """Ctrl-C's default action in the child: a shell starting this suite in the background (``cmd &``)
    hands its children SIGINT ignored, and Python then installs no KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args, gate=None):
    env = dict(os.environ, PYTHONPATH=str(TESTS), SLOW_XP_GATE=str(gate or ""))
    return subprocess.Popen([sys.executable, "-m", "parity.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True,
                            preexec_fn=_interruptible)


def interrupt(proc, log, sig, more=3):
    """Send ``sig`` to the whole run (controller and workers) once ``more`` records were added to ``log``."""
    before = log.read_text().count("\n") if log.exists() else 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and log.read_text().count("\n") >= before + more:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, sig)
    return proc.communicate(timeout=120)


def test_kill_9_and_ctrl_c_then_resume_equal_the_uninterrupted_run(reference, tmp_path):
    total = len(records(reference))
    gate = tmp_path / "slow"  # while it exists every call of slow_xp waits: the runs to be killed cannot finish first
    gate.touch()
    out = tmp_path / "run"
    log = out / "records.jsonl"
    interrupt(start("run", *SELECTION, "-n", "2", "--out", str(out), gate=gate), log, signal.SIGKILL)
    partial = results.read_log(log)
    assert 3 <= len(partial) <= total - 10, "the run finished before it could be killed"
    assert not (out / "results.json").exists()
    assert list(out.glob(".reproducers.*")), "the scripts' folder of the killed run is written as records come"
    with log.open("a") as fh:  # a record cut short, as by a kill in the middle of its write
        fh.write('{"kind": "op-parity", "id": "sort[slow_xp:xp-cpu-float64]", "sta')

    proc = start("run", "--resume", str(out), "-n", "2", gate=gate)
    stdout, stderr = interrupt(proc, log, signal.SIGINT)  # Ctrl-C: the terminal signals the whole process group
    assert proc.returncode == 130, stdout[-3000:] + stderr[-2000:]
    assert "interrupted; partial results in" in stderr
    doc = results.read(out / "results.json")
    assert doc["run"]["interrupted"] and not doc["run"]["complete"] and doc["run"]["resumed"] == len(partial)
    assert len(partial) + 3 <= len(doc["records"]) < total
    assert {r["id"] for r in doc["records"]} == {r["id"] for r in results.read_log(log)}
    assert (out / "report.html").exists()

    gate.unlink()
    resumed = run_cli("run", "--resume", str(out), "-n", "2")
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-2000:]
    doc = results.read(out / "results.json")
    assert doc["run"]["complete"] and not doc["run"]["interrupted"]
    assert records(out) == records(reference)
    assert len(results.read_log(log)) == total
    assert not list(out.glob(".reproducers*")), "a killed run's scripts folder is cleared"


def test_shards_balance_expected_time_deterministically():
    """Three backends whose cases differ in cost by more than an order of magnitude: every shard gets
    the same expected time, the partition does not depend on the order of the cases, and no case is
    lost or doubled."""
    import opinfo
    from parity import shard
    from parity.selection import Case

    cases = [Case(op.name, b, "cpu", dt) for b in ("numpy", "jax", "mylib:xp") for op in opinfo.REGISTRY.values()
             for dt in op.dtypes]
    parts = shard.partition(cases, 3)
    loads = [sum(shard.cost(c) for c in part) for part in parts]
    assert max(loads) / min(loads) < 1.01
    assert sorted(c.id for part in parts for c in part) == sorted(c.id for c in cases)
    assert [[c.id for c in part] for part in shard.partition(cases[::-1], 3)] == [[c.id for c in p] for p in parts]
    assert shard.cost(Case("add", "jax", "cpu", "float64")) > 10 * shard.cost(Case("add", "numpy", "cpu", "float64"))


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    """The reference selection as three shards, run at the same time as three machines would."""
    base = tmp_path_factory.mktemp("shards")
    env = dict(os.environ, PYTHONPATH=str(TESTS))
    procs = [subprocess.Popen([sys.executable, "-m", "parity.cli", "run", *SELECTION, "--shard", f"{k}/3", "-n", "1",
                               "--out", str(base / f"shard{k}")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env) for k in (1, 2, 3)]
    for p in procs:
        output = p.communicate(timeout=600)[0]
        assert p.returncode == 0, output[-3000:]
    return [base / f"shard{k}" for k in (1, 2, 3)]


def test_three_shards_merge_into_the_unsharded_run(reference, shards, tmp_path):
    ids = [{r["id"] for r in records(s)} for s in shards]
    assert all(ids) and not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    proc = run_cli("merge", *map(str, shards), "-o", str(tmp_path / "merged"))
    assert proc.returncode == 0, proc.stderr
    doc = results.read(tmp_path / "merged" / "results.json")
    assert doc["run"]["complete"] and [s["shard"] for s in doc["run"]["shards"]] == ["1/3", "2/3", "3/3"]
    assert doc["run"]["cases_selected"] == len(doc["records"])
    assert records(tmp_path / "merged") == records(reference)
    assert (tmp_path / "merged" / "report.html").stat().st_size > 1000


def _altered(src, dest, change):
    doc = json.loads((src / "results.json").read_text())
    change(doc)
    dest.mkdir()
    (dest / "results.json").write_text(json.dumps(doc))
    return dest


@pytest.mark.parametrize(("change", "needle"), [
    (lambda d: d["run"].update(seed=6), "cannot merge results with different seeds"),
    (lambda d: d["run"]["libraries"].update(numpy="1.0.0"), "cannot merge results of different library versions: "
                                                            "numpy is"),
    (lambda d: d.update(schema_version=2), "written by a newer array-parity (schema_version 2)"),
])
def test_merge_refuses_results_that_do_not_belong_together(shards, tmp_path, change, needle):
    other = _altered(shards[1], tmp_path / "other", change)
    proc = run_cli("merge", str(shards[0]), str(other), str(shards[2]), "-o", str(tmp_path / "merged"))
    one_line_error(proc, needle)
    assert not (tmp_path / "merged").exists()


def test_merge_refuses_a_shard_given_twice(shards, tmp_path):
    proc = run_cli("merge", str(shards[0]), str(shards[0]), "-o", str(tmp_path / "merged"))
    one_line_error(proc, "each shard must be given once")


@pytest.mark.skipif(not os.path.exists("/proc/self/clear_refs"), reason="per-case peak memory is read on Linux only")
def test_a_records_peak_memory_is_the_cases_own_and_freed_heap_goes_back():
    """PeakMemory resets the process's peak before a case, so a case that allocates 256 MiB shows it and the
    next, which does not, shows less; trim_heap runs (glibc's malloc_trim) without harm."""
    from parity.isolation import PeakMemory, trim_heap

    peak = PeakMemory()
    peak.reset()
    before = peak.mib()
    block = np.ones(256 * 2**20 // 8)
    big = peak.mib()
    del block
    trim_heap()
    peak.reset()
    assert big - before > 200 and peak.mib() < big - 200


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="resident memory is read on Linux only")
def test_a_backend_above_its_memory_bound_is_released_after_the_case():
    """release_above_mib: a worker above it drops the library's caches after the case (JAX), not only
    between ops; below it, only between ops."""
    from parity.backends import NumpyBackend
    from parity.case import Case
    from parity.execute import Executor
    from parity.options import RunOptions
    from parity.selection import resolve

    class Counting(NumpyBackend):
        released = 0

        def release(self):
            Counting.released += 1

    for bound, expected in ((0.0, 2), (1e9, 0)):
        Counting.release_above_mib, Counting.released = bound, 0
        selection = resolve(["numpy"], None, ["sin"], ["float32", "float64"], "native")
        executor = Executor(selection, RunOptions(backends=("numpy",), max_examples=2))
        executor.backends["numpy"] = Counting("numpy", "numpy", "numpy")
        for dtype in ("float32", "float64"):
            executor.run(Case("sin", "numpy", "cpu", dtype))
        assert Counting.released == expected


@pytest.mark.parametrize("args, kwargs", [
    ((np.array([0.0, -0.0, np.inf, -np.nan]),), {"axis": -1, "dtype": np.dtype("float32")}),
    ((np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.array(3, dtype=np.int8)), {"out": None}),
    ((with_layout(np.arange(6, dtype=np.complex64).reshape(2, 3), "strided"),), {"k": slice(1, None, -1)}),
    ((np.arange(12.0).reshape(3, 4)[::2, ::3], np.empty((0, 2), np.uint16)), {"keepdims": True}),
    ((np.array([1, 2], dtype="bfloat16"), [np.float16(2.5), 3 + 1j]), {"dtype": np.float32}),
    ((np.frombuffer(np.array([0x7FF8000000000001], np.uint64).tobytes(), np.float64),), {}),  # a NaN's payload
    ((np.arange(3),), {"key": lambda x: -x}),  # does not pickle: noted as text
])
def test_a_noted_input_reads_back_as_the_source_the_crash_record_shows(args, kwargs):
    """A worker notes each input before calling it (packed, not rendered); the controller renders the
    lost case's input from it: the same text, bits and layout as rendering it in the worker."""
    import ml_dtypes  # noqa: F401 - bfloat16 for the dtype string above

    from opinfo.spec import Sample
    from parity import isolation, literal

    sample = Sample(args=args, kwargs=kwargs)
    packed = isolation.packed(sample)
    assert packed[:1] == (b"T" if "key" in kwargs else b"P")
    text = isolation.unpacked(packed)
    if "key" in kwargs:
        assert text.startswith("args = (np.array([0, 1, 2], dtype=np.int64),)\nkwargs = {'key': <function")
    else:
        assert text == literal.sample_literal(sample)
    if "k" in kwargs:
        assert "np.repeat(" in text  # the strided layout survived
    assert isolation.unpacked(b"P" + packed[1:-3]).startswith("(the input could not be read back: ")


def test_a_lost_case_names_the_input_noted_last_not_a_longer_one_before_it(tmp_path):
    """Notes overwrite one file in place without truncating it: the last one's size bounds what is read."""
    from opinfo.spec import Sample
    from parity import isolation, literal

    guard = isolation.Guard(tmp_path, "gw0", timeout=0)
    guard.start("sin-torch-cpu-float64")
    guard.note(Sample(args=(np.arange(100.0),)))
    last = Sample(args=(np.array([-0.0]),), kwargs={"out": None})
    guard.note(last)
    guard.stop()
    lost = isolation.lost_worker_record(tmp_path, "gw0", "sin-torch-cpu-float64", timeout=10)
    assert lost["status"] == "crash" and lost["input"] == literal.sample_literal(last)
    guard.start("cos-torch-cpu-float64")  # a new case: nothing noted yet for it
    assert "input" not in isolation.lost_worker_record(tmp_path, "gw0", "cos-torch-cpu-float64", timeout=10)
    assert "input" not in isolation.lost_worker_record(tmp_path, "gw0", "sin-torch-cpu-float64", timeout=10)
