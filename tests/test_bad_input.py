"""Bad input, through the real ``parity`` command: one line saying what is wrong and what to do, exit
status 2, and the results already in the output folder left exactly as they were."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import TESTS, run_cli

ROOT = TESTS.parent


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """The output folder of a finished run: results.json, records.jsonl, run.json, report.html."""
    out = tmp_path_factory.mktemp("earlier")
    proc = run_cli("run", "--backend", "numpy", "--ops", "sort", "--dtypes", "float64,int32", "-n", "0",
                   "--max-examples", "3", "--out", str(out))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return out


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def out(earlier, tmp_path):
    folder = tmp_path / "out"
    shutil.copytree(earlier, folder)
    return folder


def check(proc, needle, folder=None, before=None):
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("parity: error: ") and needle in lines[0], lines[0]
    if folder is not None:
        assert snapshot(folder) == before, "earlier results were changed"


@pytest.mark.parametrize(("args", "needle"), [
    (["--backend", "toch"], "unknown backend 'toch' (did you mean 'torch'?); known: numpy"),
    (["--backend", "numpy,jaxx"], "unknown backend 'jaxx' (did you mean 'jax'?)"),
    (["--backend", "bad:module:attr"], "malformed backend 'bad:module:attr': expected a module, module:attribute"),
    (["--backend", "mylib:"], "malformed backend 'mylib:'"),
    (["--backend", "fake_xp:nope"], "fake_xp has no attribute 'nope'"),
    (["--backend", "no_such_module:xp"], "cannot import no_such_module"),
    (["--backend", "numpy", "--device", "gpu"], "backend 'numpy' has no device 'gpu' (devices: cpu)"),
    (["--backend", "numpy", "--ops", "sortt"], "op pattern 'sortt' matches nothing in the registry (did you mean "
                                              "'sort'?); see `parity list`"),
    (["--backend", "numpy", "--dtypes", "float6"], "unknown dtype 'float6' (did you mean 'float64'?); known:"),
    (["--backend", "numpy", "--shard", "4/3"], "--shard '4/3': expected K/N with 1 <= K <= N"),
    (["--backend", "numpy", "--shard", "two"], "--shard 'two': expected K/N"),
    (["--backend", "numpy", "--memory-limit", "lots"], "--memory-limit: memory limit 'lots': expected a size"),
    (["--backend", "numpy", "--case-timeout", "-1"], "--case-timeout must be 0 (no limit) or a number of seconds"),
    (["--backend", "numpy", "--backend-setting", "jax.x46=1"], "backend 'jax' has no setting 'x46' (its settings:"),
    (["--backend", "numpy", "--backend-setting", "jaxx.x64=false"], "unknown backend 'jaxx' (did you mean 'jax'?)"),
    (["--backend", "dask", "--backend-setting", "dask.chunks_per_axis=0"],
     "--backend-setting dask.chunks_per_axis=0: expected a whole number of 1 or more"),
])
def test_bad_selection_or_option(out, args, needle):
    before = snapshot(out)
    check(run_cli("run", *args, "--out", str(out)), needle, out, before)


def test_a_broken_install_of_a_built_in_library_is_one_line(out, tmp_path):
    """torch is found but fails to import (the controller learns it from a child process): one line."""
    broken = tmp_path / "site" / "torch"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('libtorch_cpu.so: cannot open shared object file')\n")
    before = snapshot(out)
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "numpy,torch", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    check(proc, "backend 'torch': cannot import torch (libtorch_cpu.so: cannot open shared object file); pip install",
          out, before)


def test_the_controller_of_a_run_does_not_import_the_library():
    """A run's controller (its cases run in workers) checks that torch imports in a child process: it never
    holds torch itself."""
    code = ("import sys; from parity.selection import resolve; s = resolve(['torch'], ops=['abs'], apart=True); "
            "print([b.name for b in s.backends], 'torch' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stdout.split() == ["['torch']", "False"], proc.stdout + proc.stderr


def test_output_directory_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    check(run_cli("run", "--backend", "numpy", "--ops", "sort", "--out", str(blocker / "out")),
          f"cannot write to output directory {blocker / 'out'}: Not a directory; choose another with --out")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(("edit", "needle"), [
    ("OPS[0] = dataclasses.replace(OPS[0], family='elementwise-unry')",
     "the op registry is invalid: opinfo 'abs': field 'family': 'elementwise-unry' is not one of"),
    ("OPS[0] = dataclasses.replace(OPS[0], ref=None)", "opinfo 'abs': field 'ref': must be callable"),
    ("OPS.append(OpInfo(name='broken', family='elementwise-unary'))", "the op registry is invalid: "
                                                                      "OpInfo.__init__() missing 4 required"),
])
def test_malformed_registry_entry(out, tmp_path, edit, needle):
    """A copy of the registry with one entry broken, imported in place of the real one."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "opinfo", site / "opinfo")
    module = site / "opinfo" / "elementwise.py"
    module.write_text(module.read_text() + f"\nimport dataclasses  # noqa\nfrom opinfo.spec import OpInfo  # noqa\n"
                                           f"{edit}\n")
    before = snapshot(out)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(TESTS)]))
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "numpy", "--ops", "abs", "--out",
                           str(out)], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    check(proc, needle, out, before)


def test_resume_needs_the_folder_of_a_run(tmp_path):
    (tmp_path / "results.json").write_text("{}")
    before = snapshot(tmp_path)
    check(run_cli("run", "--resume", str(tmp_path)), f"--resume {tmp_path}: it has no run.json, so no `parity run` "
                                                    f"was started there; start one with --out {tmp_path}",
          tmp_path, before)
    check(run_cli("run", "--resume", str(tmp_path / "nowhere")), "no such directory")


def test_resume_takes_its_options_from_the_run(out):
    before = snapshot(out)
    check(run_cli("run", "--resume", str(out), "--backend", "torch"),
          f"--resume takes the options of the interrupted run from {out / 'run.json'}; drop --backend", out, before)


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("results.json", "{\"schema\": \"array-parity/res", "results.json: not a results file (invalid JSON"),
    ("results.json", json.dumps({"schema": "someone-else/results", "records": []}),
     "results.json: not an array-parity results file"),
    ("records.jsonl", "this is not a record\n{}\n", "records.jsonl: line 1 is not an array-parity record"),
    ("records.jsonl", json.dumps({"kind": "op-parity", "id": "sort[torch-cpu-float64]", "status": "parity"}) + "\n",
     "holds case 'sort[torch-cpu-float64]', which the run stored in"),
    ("run.json", "[1, 2", "run.json: unreadable"),
    ("run.json", json.dumps({"schema": "array-parity/run-options", "schema_version": 1, "options": {"seed": 1}}),
     "run.json: not the options file of `parity run`"),
])
def test_resume_refuses_a_corrupt_or_foreign_folder(out, name, content, needle):
    (out / name).write_text(content)
    before = snapshot(out)
    check(run_cli("run", "--resume", str(out)), needle, out, before)


@pytest.mark.parametrize(("content", "needle"), [
    ("[1, 2, 3", "not a results file (invalid JSON"),
    (json.dumps({"hello": "world"}), "not an array-parity results file"),
    (json.dumps({"schema": "array-parity/results", "schema_version": 1, "run": {}, "records": [], "summary": {}}),
     "is a required property"),
])
def test_merge_refuses_corrupt_or_foreign_results(earlier, tmp_path, content, needle):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "results.json").write_text(content)
    check(run_cli("merge", str(earlier), str(bad), "-o", str(tmp_path / "merged")), needle)
    assert not (tmp_path / "merged").exists()


def test_merge_into_an_unwritable_folder(earlier, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    check(run_cli("merge", str(earlier), "-o", str(blocker / "merged")), "cannot write to output directory")
