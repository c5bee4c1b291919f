"""Real runs of the `parity` command through pytest-xdist in a subprocess."""

import json
import os
import subprocess
import sys
from xml.etree import ElementTree

import pytest
from conftest import TESTS

from opinfo.conformance import DEFAULT_AREAS
from parity import results
from parity.reproducer import rendered_for
from parity.results import MEASURED

TORCH_OPS = "sort,argsort,max,linalg.eig,linalg.eigvals,linspace,arange,eye"  # the last three take dtype=


def load(out):
    return results.read(out / "results.json")


def divergences(doc):
    return [(r, d) for r in doc["records"] for d in r["divergences"]]


def test_numpy_whole_registry_reports_no_divergence(cli, tmp_path):
    """The false-positive check: NumPy against itself, every op and dtype, through two xdist workers; and
    against the standard, where NumPy's own departures are the declared gaps and nothing else."""
    proc = cli("run", "--backend", "numpy", "-n", "2", "--max-examples", "10", "--seed", "3", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    doc = load(tmp_path)
    assert doc["run"]["complete"]
    assert len(doc["records"]) == doc["run"]["cases_selected"] > 500
    ops = {**doc, "records": [r for r in doc["records"] if r["kind"] == "op-parity"]}
    assert divergences(ops) == []
    assert {r["status"] for r in ops["records"]} == {"parity"}
    conformance = [r for r in doc["records"] if r["kind"] == "conformance"]
    assert {r["area"] for r in conformance} == set(DEFAULT_AREAS)
    assert {d["status"] for r in conformance for d in r["divergences"]} <= {"known"}
    assert (tmp_path / "report.html").stat().st_size > 1000
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "results.json").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


@pytest.fixture(scope="module")
def torch_run(tmp_path_factory):
    pytest.importorskip("torch")
    from conftest import run_cli

    out = tmp_path_factory.mktemp("torch")
    proc = run_cli("run", "--backend", "torch", "--ops", TORCH_OPS, "--dtypes",
                   "float32,float64,complex64,complex128", "-n", "2", "--max-examples", "15", "--out", str(out))
    return proc, out


def test_torch_finds_the_seed_divergences_as_known(torch_run):
    proc, out = torch_run
    doc = load(out)
    assert proc.returncode == 0, proc.stdout[-3000:]  # everything found is declared
    found = {(r["op"], r["dtype"], d["category"]): d for r, d in divergences(doc)}
    for op in ("sort", "argsort", "max"):
        for dtype in ("complex64", "complex128"):
            d = found[(op, dtype, "error")]
            assert d["status"] == "known" and d["reason"] and d["link"]
    for op in ("linalg.eig", "linalg.eigvals"):
        for dtype in ("float32", "float64"):
            assert found[(op, dtype, "dtype")]["status"] == "known"
    meta = doc["run"]
    assert meta["libraries"]["torch"].startswith("2.")
    assert meta["backends"][0]["name"] == "torch" and meta["backends"][0]["device"] == "cpu"


RUN_ALL = """
import json, runpy, sys
outcome = {}
for path in sys.argv[1:]:
    try:
        runpy.run_path(path, run_name="__main__")
        outcome[path] = "passed"
    except AssertionError as exc:
        outcome[path] = "AssertionError: " + str(exc)
print(json.dumps(outcome))
"""


def _run_all(paths):
    proc = subprocess.run([sys.executable, "-c", RUN_ALL, *map(str, paths)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_torch_reproducer_demonstrates_its_divergence(torch_run, tmp_path):
    _, out = torch_run
    pairs = divergences(load(out))
    assert len(pairs) >= 10
    scripts, controls = [], []
    for i, (_, d) in enumerate(pairs):
        scripts.append(tmp_path / f"repro{i}.py")
        scripts[-1].write_text(d["reproducer"])
        # the same input against NumPy itself: the script must pass, so it tests this divergence and nothing else
        controls.append(tmp_path / f"control{i}.py")
        controls[-1].write_text(rendered_for(pairs[i][0], d, "numpy"))
    outcome, control = _run_all(scripts), _run_all(controls)
    for (r, d), script, ctrl in zip(pairs, scripts, controls):
        said = outcome[str(script)]  # the divergence itself, in the library's name
        assert said.startswith("AssertionError: ") and "torch" in said, (r["id"], d["category"], said)
        assert control[str(ctrl)] == "passed", r["id"]
    # and one of them exactly as a user runs it: a standalone script with its own interpreter
    proc = subprocess.run([sys.executable, str(scripts[0])], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "AssertionError" in proc.stderr


def test_array_api_strict_run(cli, tmp_path):
    proc = cli("run", "--backend", "array_api_strict", "--ops", "sort,amax,linalg.eig,matmul,abs", "--dtypes",
               "float64,int32", "-n", "2", "--max-examples", "10", "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stderr
    doc = load(tmp_path)
    by_id = {r["id"]: r for r in doc["records"]}
    assert by_id["amax[array_api_strict-cpu-float64]"]["status"] == "unsupported"
    assert by_id["sort[array_api_strict-cpu-float64]"]["status"] in ("parity", "known")
    assert not [r for r in doc["records"] if r["status"] == "crash"]


def test_new_divergence_fails_the_gate_and_is_shown(cli, tmp_path):
    proc = cli("run", "--backend", "fake_xp:xp", "--ops", "sqrt", "--dtypes", "float64", "-n", "1",
               "--max-examples", "5", "--out", str(tmp_path))
    assert proc.returncode == 1
    assert "NEW" in proc.stdout and "sqrt[fake_xp:xp-cpu-float64]" in proc.stdout
    assert list((tmp_path / "reproducers").glob("sqrt*value.py"))


def test_plain_pytest_with_the_plugin(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(TESTS))
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(empty), "--parity-backend", "numpy", "--parity-ops", "sort,moveaxis",
         "--parity-only", "-n", "2", "-p", "no:cacheprovider", "--rootdir", str(empty), "--parity-out",
         str(tmp_path / "out"), "--junitxml", str(tmp_path / "junit.xml")],
        capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:]
    doc = load(tmp_path / "out")
    assert len(doc["records"]) > 10 and doc["summary"]["by_status"] == {"parity": len(doc["records"])}
    lines = (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    assert len(lines) == len(doc["records"])
    assert json.loads(lines[0])["kind"] == "op-parity"
    # JUnit XML takes a case's properties from its teardown report: the record came on the call's report only
    cases = ElementTree.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    properties = [{p.get("name") for p in case.iter("property")} for case in cases]
    assert len(properties) == len(doc["records"]) and all(names == {"parity_case"} for names in properties)


def test_same_seed_same_results(cli, tmp_path):
    def records(out):
        return [{k: v for k, v in r.items() if k not in MEASURED} for r in load(out)["records"]]

    args = ("run", "--backend", "fake_xp:xp", "--ops", "max,sqrt,sort", "--dtypes", "float32,complex64", "-n", "2",
            "--max-examples", "20", "--seed", "11")
    cli(*args, "--out", str(tmp_path / "a"))
    cli(*args, "--out", str(tmp_path / "b"))
    assert records(tmp_path / "a") == records(tmp_path / "b")


def test_inputs_do_not_depend_on_the_process(cli, tmp_path):
    """In-process and in two workers, with other cases before it or not, a case draws the same inputs:
    they depend on the seed and the case only (not on Hypothesis's constants from loaded local modules)."""
    def records(out):
        timing = MEASURED
        return {r["id"]: {k: v for k, v in r.items() if k not in timing} for r in load(out)["records"]}

    args = ("run", "--backend", "torch", "--dtypes", "uint16,int32", "--domain", "standard", "--max-examples", "10",
            "--seed", "0")
    cli(*args, "--ops", "argmin,fmax,lcm,tril", "-n", "0", "--out", str(tmp_path / "inprocess"))
    cli(*args, "--ops", "argmin,fmax,lcm,tril", "-n", "2", "--out", str(tmp_path / "workers"))
    cli(*args, "--ops", "tril", "-n", "1", "--out", str(tmp_path / "alone"))
    inprocess, workers, alone = (records(tmp_path / d) for d in ("inprocess", "workers", "alone"))
    assert len([i for i in inprocess if "+" not in i]) == 8 and inprocess == workers
    assert {k: v for k, v in inprocess.items() if k.startswith("tril[")} == alone


def test_a_crashing_op_is_recorded_and_the_run_goes_on(cli, tmp_path):
    """fake_xp's expm1 segfaults: its cases become crash records, the other op's cases are intact."""
    proc = cli("run", "--backend", "fake_xp:xp", "--ops", "expm1,sqrt", "--dtypes", "float32,float64", "-n", "1",
               "--max-examples", "5", "--out", str(tmp_path))
    assert proc.returncode == 1
    by_op = {}
    for r in load(tmp_path)["records"]:
        by_op.setdefault(r["op"], []).append(r)
    assert [r["status"] for r in by_op["expm1"]] == ["crash", "crash"]
    assert all("crashed" in r["reason"] for r in by_op["expm1"])
    assert [r["status"] for r in by_op["sqrt"]] == ["new", "new"]


def test_backend_registered_through_an_entry_point(tmp_path):
    site = tmp_path / "site"
    dist = site / "fake_backend-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-backend\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[array_parity.backends]\nfakexp = fake_xp:xp\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(TESTS)]))
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "fakexp", "--ops", "sqrt",
                           "--dtypes", "float64", "-n", "0", "--max-examples", "3", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    (record,) = load(tmp_path / "out")["records"]
    assert record["backend"] == "fakexp" and record["status"] == "new"


def test_array_api_surface_is_selected_and_recorded(cli, tmp_path):
    pytest.importorskip("torch")
    proc = cli("run", "--backend", "torch", "--surface", "array-api", "--ops", "sort,max", "--dtypes", "float64",
               "-n", "0", "--max-examples", "5", "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stderr
    doc = load(tmp_path)
    assert doc["run"]["surface"] == "array-api"
    assert {r["surface"] for r in doc["records"]} == {"array-api"}
    ids = {r["id"] for r in doc["records"]}
    assert ids == {"sort[torch-cpu-float64-array-api]", "max[torch-cpu-float64-array-api]"}
    assert not [r for r in doc["records"] if r["status"] in ("crash", "unsupported")]


def test_jax_64_bit_mode_is_explicit_and_recorded(cli, tmp_path):
    pytest.importorskip("jax")
    args = ("run", "--backend", "jax", "--ops", "add", "--dtypes", "float64", "-n", "0", "--max-examples", "3",
            "--domain", "standard")
    proc = cli(*args, "--out", str(tmp_path / "x64"))
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert load(tmp_path / "x64")["run"]["backends"][0]["settings"]["x64"] is True
    proc = cli(*args, "--no-jax-x64", "--out", str(tmp_path / "x32"))
    doc = load(tmp_path / "x32")
    assert doc["run"]["backends"][0]["settings"]["x64"] is False
    (record,) = [r for r in doc["records"] if r["dtype"] == "float64"]
    assert "dtype" in {d["category"] for d in record["divergences"]}  # float64 silently narrowed to float32
    assert proc.returncode == 1


def test_dask_backend_runs_with_recorded_chunking(cli, tmp_path):
    pytest.importorskip("dask")
    proc = cli("run", "--backend", "dask", "--ops", "sum,add,moveaxis", "--dtypes", "float64,int32", "-n", "0",
               "--max-examples", "3", "--domain", "standard", "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stderr
    doc = load(tmp_path)
    assert doc["run"]["backends"][0]["settings"] == {"chunks_per_axis": 2, "scheduler": "synchronous"}
    assert len([r for r in doc["records"] if "+" not in r["dtype"]]) == 6
    assert not [r for r in doc["records"] if r["status"] == "crash"]
