"""The gate: ``--fail-on`` chooses which case statuses make ``parity run`` (and ``parity merge``, and the
pytest route) exit 1, and the failure message names each offending case with what to run or read.

One real run produces every status at once: torch (a known divergence, and a stale one planted in a copy
of the registry), fake_xp (a new one), broken_xp (a crash and a timeout), a backend whose own code fails
(harness-error), an opaque namespace (unreadable), a real-only one (skipped) and ops a namespace lacks
(unsupported). Each ``--fail-on`` value is then judged on those records through ``parity merge``.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parity import cli
from parity.taxonomy import FAILING, GATEABLE, fails, parse_fail_on, statuses_of

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
BACKENDS = ("torch,fake_xp:xp,broken_xp:xp,harness_fault_backend:Faulty,exports_xp:opaque,exports_xp:real_only,"
            "array_api_strict")
PLANTED = 'Expected("torch", "order", dtypes=COMPLEX, reason="planted: torch sorts complex in no other order"),'


def run(*args, pythonpath):
    """The real command, importing ``opinfo`` from the first folder of ``pythonpath`` (run from there: ``-m``
    puts the working folder first on the path)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, pythonpath)))
    return subprocess.run([sys.executable, "-m", "parity.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600, cwd=pythonpath[0])


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """A run whose records hold every status but parity's neighbours: (folder, document)."""
    root = tmp_path_factory.mktemp("gate")
    shutil.copytree(ROOT / "opinfo", root / "opinfo")
    sorting = root / "opinfo" / "sorting.py"
    anchor = 'Expected("jax", "order", dtypes=COMPLEX, reason=JAX_COMPLEX_NAN_ORDER),'
    source = sorting.read_text()
    assert source.count(anchor) == 1
    sorting.write_text(source.replace(anchor, anchor + "\n            " + PLANTED))
    out = root / "run"
    proc = run("run", "--backend", BACKENDS, "--ops", "sort,ediff1d,log1p,tan", "--dtypes", "complex64",
               "-n", "2", "--case-timeout", "2", "-q", "--out", str(out), pythonpath=[root, TESTS])
    assert proc.returncode == 1, proc.stderr[-2000:]
    doc = json.loads((out / "results.json").read_text())
    assert doc["run"]["fail_on"] == list(FAILING)
    return out, doc


def test_the_run_holds_every_status(everything):
    _, doc = everything
    seen = set().union(*(statuses_of(r) for r in doc["records"]))
    assert seen >= set(GATEABLE), sorted(set(GATEABLE) - seen)


@pytest.mark.parametrize("value", [*GATEABLE, "none", "new,stale", "crash,timeout,harness-error,unreadable"])
def test_each_fail_on_value_fails_exactly_on_its_cases(everything, value, tmp_path, capsys):
    out, doc = everything
    gate = () if value == "none" else tuple(value.split(","))
    code = cli.main(["merge", str(out), "-o", str(tmp_path / "m"), "--fail-on", value])
    printed = capsys.readouterr().out
    offending = sorted(r["id"] for r in doc["records"] if not statuses_of(r).isdisjoint(gate))
    assert bool(offending) == (value != "none")
    assert code == (1 if offending else 0)
    merged = json.loads((tmp_path / "m" / "results.json").read_text())
    assert merged["run"]["fail_on"] == list(parse_fail_on([value]))
    gate_block = printed[printed.index("gate (--fail-on"):].splitlines()
    if not offending:
        assert gate_block[0].endswith(": passed"), gate_block
        return
    assert f"{len(offending)} case" in gate_block[0]
    named = sorted(line.split()[1] for line in gate_block[1:] if line.startswith("  "))
    assert named == offending


def test_failure_lines_point_at_reproducers_tracebacks_and_reasons(everything, tmp_path, capsys):
    out, doc = everything
    cli.main(["merge", str(out), "-o", str(tmp_path / "m"), "--fail-on", "known,stale,harness-error,unsupported"])
    lines = {ln.split()[1]: ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("  ") and "[" in ln}
    known = lines["sort[torch-cpu-complex64]"]
    script = Path(known.split()[-1])
    assert script.name == "sort-torch-cpu-complex64-error.py" and script.is_file()
    assert "does not support complex" in subprocess.run([sys.executable, str(script)], capture_output=True,
                                                        text=True, timeout=120).stdout
    harness = lines["sort[harness_fault_backend:Faulty-cpu-complex64]"]
    assert harness.split()[0] == "harness-error" and Path(harness.split()[-1]).is_file()
    assert "ediff1d" in next(k for k, v in lines.items() if v.split()[0] == "unsupported")


def test_a_case_fails_on_any_status_it_shows():
    """A new case that also holds a stale declaration fails a gate on stale alone."""
    record = {"status": "new", "divergences": [{"status": "new"}, {"status": "stale"}]}
    assert fails(record, ("stale",)) and not fails(record, ("known",))
    assert fails({"status": "new", "divergences": [], "unreadable": {"count": 1}}, ("unreadable",))
    assert not fails({"status": "parity", "divergences": []}, FAILING)


def test_fail_on_parses_and_refuses_in_one_line():
    assert parse_fail_on([]) == FAILING
    assert parse_fail_on(["stale,new", "crash"]) == ("crash", "new", "stale")  # worst first
    assert parse_fail_on(["none"]) == ()
    with pytest.raises(ValueError, match="'parity' is not a status"):
        parse_fail_on(["parity"])


def test_parity_run_gates_on_fail_on_and_refuses_a_bad_value(tmp_path):
    common = ("run", "--backend", "torch", "--ops", "sort", "--dtypes", "complex64", "-n", "0", "-q")
    default = run(*common, "--out", str(tmp_path / "a"), pythonpath=[TESTS])
    assert default.returncode == 0, default.stdout[-2000:]
    assert "gate (--fail-on crash,timeout,harness-error,new,stale,unreadable): passed" in default.stdout
    strict = run(*common, "--fail-on", "known", "--out", str(tmp_path / "b"), pythonpath=[TESTS])
    assert strict.returncode == 1
    line = next(ln for ln in strict.stdout.splitlines() if ln.startswith("  known"))
    assert line.split()[1] == "sort[torch-cpu-complex64]" and Path(line.split()[-1]).is_file()
    stored = json.loads((tmp_path / "b" / "run.json").read_text())["options"]
    assert stored["fail_on"] == ["known"]  # --resume keeps the gate
    bad = run(*common, "--fail-on", "news", "--out", str(tmp_path / "c"), pythonpath=[TESTS])
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "parity: error: --fail-on: 'news' is not a status; choose from " + ",".join(GATEABLE) + " or none"]


def test_the_pytest_route_takes_fail_on(tmp_path):
    args = ("--parity-backend", "torch", "--parity-ops", "sort", "--parity-dtypes",
            "complex64", "--parity-out", str(tmp_path / "o"), "-q", "-p", "no:cacheprovider", str(tmp_path))
    env = dict(os.environ, PYTHONPATH=str(TESTS))
    loose = subprocess.run([sys.executable, "-m", "pytest", *args], capture_output=True, text=True, env=env,
                           timeout=600, cwd=tmp_path)
    strict = subprocess.run([sys.executable, "-m", "pytest", *args, "--parity-fail-on", "known"],
                            capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert loose.returncode == 0, loose.stdout[-2000:]
    assert strict.returncode == 1 and "sort[torch-cpu-complex64]: known" in strict.stdout, strict.stdout[-2000:]
