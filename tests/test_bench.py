"""The pure parts of benchmarks/bench.py (parsers, summaries, targets, Markdown): no sweep runs here."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
_SPEC = importlib.util.spec_from_file_location("bench", _PATH)  # benchmarks/ is not a package
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def _doc(backend="torch", extra=()):
    records = [
        {"kind": "op-parity", "id": f"add[{backend}-cpu-float32]", "backend": backend, "op": "add",
         "status": "parity", "duration_s": 0.5, "calls_s": 0.1, "fixed_samples": 4, "examples": 10},
        {"kind": "op-parity", "id": f"sort[{backend}-cpu-complex64]", "backend": backend, "op": "sort",
         "status": "unsupported", "duration_s": 0.0},
        {"kind": "conformance", "id": f"conformance/names[{backend}-cpu]", "backend": backend, "op": "names",
         "status": "new", "duration_s": 1.0},
        *extra,
    ]
    return {"schema": "array-parity/results", "run": {"duration_s": 3.0, "workers": 2, "seed": 0,
                                                      "max_examples": 10, "backends": [{"name": backend}]},
            "records": records}


def test_proc_parsers():
    status = "Name:\tpython\nVmPeak:\t 2000 kB\nVmHWM:\t  1536 kB\nVmRSS:\t 1000 kB\n"
    assert bench.parse_vmhwm(status) == 1536 * 1024
    assert bench.parse_vmhwm("Name:\tkthreadd\n") is None  # kernel threads and zombies have no memory lines
    assert bench.parse_ppid("42 (odd) (name) S 7 42 42 0 -1") == 7  # the command name may hold ") ("
    parents = {10: 1, 11: 10, 12: 10, 13: 11, 20: 1}
    assert bench.descendants(parents, 10) == {11, 12, 13}
    assert bench.descendants(parents, 13) == set()


def test_summarise_and_overhead():
    s = bench.summarise(_doc())
    assert (s["cases"], s["conformance"], s["fixed_samples"], s["examples"]) == (3, 1, 4, 10)
    assert s["examples_per_case"] == 10.0  # over the one case that generated examples
    assert (s["calls_s"], s["timed_cases"], s["timed_duration_s"]) == (0.1, 1, 0.5)
    assert s["statuses"] == {"parity": 1, "unsupported": 1, "new": 1}
    assert s["by_backend"]["torch"]["cases"] == 3 and s["workers"] == 2
    o = bench.overhead({"wall_s": 2.0, "summary": s})
    assert o == {"wall_per_call_s": 20.0, "case_per_call_s": 5.0, "harness_ms_per_case": 400.0}
    assert bench.overhead({"wall_s": 2.0, "summary": s | {"calls_s": None}})["wall_per_call_s"] is None
    assert bench.parse_pytest_summary("x\n3 failed, 120 passed, 4 skipped, 2 warnings in 9.87s\n") == {
        "failed": 3, "passed": 120, "skipped": 4, "warning": 2}


def test_coverage_deltas_flag_loss():
    before = bench.baseline_coverage(_doc())  # a parity results.json works as a baseline
    assert before["torch"] == {"cases": 3, "fixed_samples": 4, "examples": 10, "examples_per_case": 10.0,
                               "source": "baseline"}
    now = {"torch": before["torch"] | {"fixed_samples": 3}}
    losses = [(r["backend"], r["measure"]) for r in bench.coverage_deltas(before, now) if r["loss"]]
    assert losses == [("torch", "fixed_samples")]
    assert all(r["loss"] for r in bench.coverage_deltas(before, {}))  # a backend gone is a loss too
    with pytest.raises(ValueError):
        bench.baseline_coverage({"schema": "something else"})


def _data(ops=""):
    sweep = {"wall_s": 100.0, "returncode": 1, "controller_rss": 2**29, "worker_rss": 3 * 2**30, "processes": 2,
             "tree_rss": 3 * 2**30, "summary": bench.summarise(_doc("jax"))}
    sweep["overhead"] = bench.overhead(sweep)
    data = {"date": "2026-01-01T00:00:00+00:00", "python": "/usr/bin/python3", "revision": {"commit": "abc1234",
            "dirty": True}, "machine": {"cpu": "Test CPU", "cores": 2, "memory_gib": 8.0, "load_start": "0.1"},
            "versions": {"python": "3.11.7", "jax": "0.10.2"}, "options": {"backends": ["jax"], "seed": 0,
            "ops": ops, "skip": []}, "commands": ["python -m parity.cli run --backend jax"],
            "sweeps": {"jax cold": sweep}, "startup": {"list": {"times_s": [1.0, 1.2, 3.0], "median_s": 1.2}},
            "scaling": {}, "aat": {"status": "not run (no --array-api-tests PATH)"}, "errors": []}
    data["coverage"] = bench.coverage(data)
    data["targets"] = bench.evaluate_targets(data)
    return data


def test_targets_and_markdown():
    data = _data()
    status = {t["key"]: t["status"] for t in data["targets"]}
    assert status == {"quickstart": "not measured", "jax-cold": "met", "torch-vs-aat": "not measured",
                      "startup-backends": "not measured", "startup-list": "met", "worker-rss": "not met"}
    text = bench.render_markdown(data)
    for expected in ("2026-01-01T00:00:00+00:00", "Test CPU, 2 cores", "abc1234 (working tree with changes)",
                     "| jax cold | 100.0 s |", "3.00 GiB", "**not met**", "not run (no --array-api-tests PATH)",
                     "python -m parity.cli run --backend jax", "| jax | 3 | 4 | 10 | 10.00 | jax cold |"):
        assert expected in text, expected
    partial = {t["key"]: t["status"] for t in _data(ops="add")["targets"]}  # a smoke run: sweeps are partial
    assert partial["jax-cold"] == "not assessable" and partial["startup-list"] == "met"
