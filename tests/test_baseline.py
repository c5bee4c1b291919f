"""Committed baselines: the compact form of a run, ``parity baseline write/diff`` on real runs of a namespace
with a bug planted at will, and the ``baseline``/``update_baselines`` nox sessions run end to end."""

import copy
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import TESTS

from parity import baseline, diff
from parity.results import MEASURED

ROOT = TESTS.parent
#: array_api_strict as a user's namespace (so no registry declaration applies), ``sort`` returning its input
#: unsorted while BXP_BUG is set: a second run of the same code plants a bug, as a pull request could.
PLANTED = '''
import os

import array_api_strict
from patched_namespace import Patched


def _sort(x, /, *, axis=-1, descending=False, stable=True):
    return x


xp = Patched(array_api_strict, **({"sort": _sort} if os.environ.get("BXP_BUG") else {}))
'''
BACKEND, OPS = "bxp:xp", "add,sort,mean"


# ---- the compact form, on hand-made records
def record(cid, status="parity", divergences=(), **extra):
    return {"kind": "op-parity", "id": cid, "op": cid.partition("[")[0], "backend": "torch", "device": "cpu",
            "dtype": "float32", "status": status, "divergences": list(divergences), "duration_s": 0.1,
            "calls_s": 0.01, "peak_rss_mib": 150.0, "fixed_samples": 9, "examples": 10, **extra}


VALUE = {"category": "value", "status": "known", "detail": "3 of 9 elements beyond 4 ulp", "max_abs_err": 1e-7,
         "max_rel_err": 2e-7, "max_ulp": 12.0, "count": 3, "elements_total": 3, "elements": [{"index": [0]}],
         "arbiter": {"graded": 3, "of": 3, "stopped": "time budget of 0.5 s spent"}, "input": "args = (x,)",
         "reference": "[1.]", "implementation": "[1.0000001]", "reproducer": "import torch", "source": "fixed",
         "note": "NaN", "reason": "declared", "link": None}


def test_compact_keeps_what_diff_compares_and_nothing_measured():
    rec = record("exp[torch-cpu-float32]", "known", [VALUE])
    case = baseline.compact_record(rec)
    assert case == {"status": "known", "divergences": [
        {"category": "value", "status": "known", "detail": "3 of 9 elements beyond 4 ulp", "elements_total": 3,
         "count": 3, "max_abs_err": 1e-7, "max_rel_err": 2e-7, "max_ulp": 12.0}]}
    text = json.dumps(case)
    assert not any(k in text for k in (*MEASURED, "reproducer", "input", "arbiter", "elements\"", "reason"))
    assert baseline.compact_record(record("sort[torch-cpu-float32]")) == "parity"
    crash = record("sort[torch-cpu-int8]", "crash", reason="worker crashed: SIGSEGV", input="args = (x,)")
    assert baseline.compact_record(crash) == {"status": "crash", "reason": "worker crashed: SIGSEGV"}
    varies = baseline.compact_divergence(VALUE | {"nondeterministic": True})
    assert varies == {"category": "value", "status": "known", "nondeterministic": True}  # no detail, no size
    rule = {"category": "promotion", "status": "known", "function": "add", "rule": "int8, uint16 -> int32",
            "detail": "The following type promotion tables ...", "checked": 1, "failing": 1, "tags": ["raises"]}
    assert list(baseline.compact_divergence(rule)) == ["category", "function", "rule", "status", "detail"]


def test_nondeterministic_divergences_are_compared_by_status_alone():
    """A declaration that says the library's outcome varies: another sample, detail or size is no change."""
    old = {"run": {}, "records": [record("linalg.lstsq[torch-cpu-float32]", "known", [VALUE])]}
    new = copy.deepcopy(old)
    new["records"][0]["divergences"][0] |= {"detail": "other sample", "max_abs_err": 9.0, "nondeterministic": True}
    assert diff.diff(old, new).changes == []
    del new["records"][0]["divergences"][0]["nondeterministic"]
    (change,) = diff.diff(old, new).changes
    assert change.worse and "grew" in change.note
    new["records"][0]["divergences"][0] |= {"nondeterministic": True, "status": "new"}
    assert [c.worse for c in diff.diff(old, new).changes] == [True]  # its status still counts


def test_file_names_and_rerun_command():
    assert baseline.file_name("torch") == "torch.json"
    assert baseline.file_name("mylib.xp:namespace") == "mylib.xp_namespace.json"
    assert baseline.file_name("marray:masked_namespace(numpy)") == "marray_masked_namespace_numpy_.json"
    settings = baseline.deciding_settings("jax", {"x64": False, "compilation_cache": "/root/.cache/jax"})
    assert settings == {"x64": False}  # where a cache lives decides nothing
    options = {"seed": 3, "max_examples": 5, "surface": "array-api", "domain": "standard", "spec": "2024.12",
               "ops": ["sort", "add"], "dtypes": None, "device": "cpu", "settings": settings}
    assert baseline.rerun_command("jax", options) == [
        "parity", "run", "--backend", "jax", "--device", "cpu", "--surface", "array-api", "--domain", "standard",
        "--spec", "2024.12", "--seed", "3", "--max-examples", "5", "--ops", "sort,add",
        "--backend-setting", "jax.x64=false"]


def test_libraries_are_the_shared_ones_and_the_backends_own():
    run = {"libraries": {"python": "3.11.7", "numpy": "2.4.6", "pytest": "9.0", "torch": "2.13.0", "jax": "0.10"},
           "backends": [{"name": "torch", "version": "2.13.0"}, {"name": "a:b", "version": "0.3"}]}
    assert baseline.libraries(run, "torch") == {"python": "3.11", "numpy": "2.4.6", "torch": "2.13.0"}
    assert baseline.libraries(run, "a:b") == {"python": "3.11", "numpy": "2.4.6", "a:b": "0.3"}  # not a dist


def test_dumps_is_one_line_per_case_stable_and_json():
    doc = {"run": {"seed": 0, "started": "2026-01-01T00:00:00+00:00", "backends": []}, "records": [
        record("b[torch-cpu-float32]", "known", [VALUE, VALUE | {"category": "dtype"}]),
        record("a[torch-cpu-float32]")]}
    base = baseline.compact(doc, "torch", whole=True)
    text = baseline.dumps(base)
    assert json.loads(text) == base and baseline.dumps(json.loads(text)) == text
    lines = text.splitlines()
    assert lines[lines.index(' "cases": {') + 1] == '  "a[torch-cpu-float32]": "parity",'  # sorted by id
    assert sum("\"category\"" in line for line in lines) == 2  # a case with several: one line per divergence
    assert base["cases_by_status"] == {"known": 1, "parity": 1} and base["options"]["ops"] is None


@pytest.mark.parametrize("text, problem", [
    ("{", "invalid JSON"), ('{"schema": "array-parity/results"}', "not an array-parity baseline"),
    ('{"schema": "array-parity/baseline", "schema_version": 9}', "schema_version 9"),
    ('{"schema": "array-parity/baseline", "schema_version": 1, "backend": "t", "options": {}, "libraries": {}, '
     '"cases": {"x[t]": "fine"}}', "status 'fine'")])
def test_read_refuses_what_is_no_baseline(tmp_path, text, problem):
    (tmp_path / "t.json").write_text(text)
    with pytest.raises(baseline.BaselineError, match=problem) as info:
        baseline.read(tmp_path / "t.json")
    assert "\n" not in str(info.value) and "parity baseline write" in str(info.value)


def test_committed_baselines_read_and_rerun_with_parity_s_own_options():
    """Each file of baselines/ is a baseline of the backend it is named after, and its command is one
    that ``parity run`` accepts with the options the baseline records."""
    from parity.cli import _parser
    from parity.options import RunOptions

    files = sorted((ROOT / "baselines").glob("*.json"))
    assert {f.stem for f in files} >= {"numpy", "array_api_strict", "torch", "dask", "jax"}
    for path in files:
        base = baseline.read(path)
        assert baseline.file_name(base["backend"]) == path.name
        options = RunOptions.from_args(_parser().parse_args(base["command"][1:]))
        recorded = base["options"]
        assert (options.backends, options.seed, options.max_examples, options.domain, options.surface) == (
            (base["backend"],), recorded["seed"], recorded["max_examples"], recorded["domain"], recorded["surface"])
        assert recorded["ops"] is None and not options.ops  # the whole registry: new ops are run too


# ---- the command, on real runs
def env(folder, bug=False, **more):
    """This environment, ``bxp`` importable, the bug planted or not; no job summary unless given."""
    out = {k: v for k, v in os.environ.items() if k not in ("BXP_BUG", "GITHUB_STEP_SUMMARY")}
    out["PYTHONPATH"] = os.pathsep.join([str(folder), str(TESTS), os.environ.get("PYTHONPATH", "")])
    return out | more | ({"BXP_BUG": "1"} if bug else {})


def parity(folder, *args, bug=False):
    return subprocess.run([sys.executable, "-m", "parity.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env(folder, bug), timeout=300)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A clean run and the baseline written from it; a clean rerun; a run with the bug planted."""
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "bxp.py").write_text(PLANTED)

    def run(name, *options, bug=False):
        proc = parity(folder, "run", "--backend", BACKEND, "--ops", OPS, "--domain", "standard", "-n", "0", "-q",
                      "--out", str(folder / name), *options, bug=bug)
        assert (folder / name / "results.json").is_file(), proc.stdout[-2000:] + proc.stderr[-2000:]
        return folder / name

    runs = {name: run(name, *options, bug=bug) for name, options, bug in (
        ("first", (), False), ("again", (), False), ("bug", (), True), ("fewer", ("--max-examples", "3"), False))}
    written = parity(folder, "baseline", "write", str(runs["first"]), "-o", str(folder / "baselines"))
    return folder, runs, written


def test_write_makes_one_compact_file_per_backend(work):
    folder, runs, written = work
    assert written.returncode == 0, written.stderr
    target = folder / "baselines" / "bxp_xp.json"
    assert written.stdout.startswith(f"{target}: ") and "KiB" in written.stdout
    base = baseline.read(target)
    doc = json.loads((runs["first"] / "results.json").read_text())
    assert base["backend"] == BACKEND and len(base["cases"]) == len(doc["records"]) > 50
    assert base["options"] | {"ops": sorted(base["options"]["ops"])} == {
        "seed": 0, "max_examples": 10, "surface": "native", "domain": "standard", "spec": None,
        "ops": ["add", "mean", "sort"], "dtypes": None, "device": "cpu", "settings": {}}
    assert "--ops" in base["command"] and "--domain" in base["command"]
    assert diff.diff(baseline.expand(base), doc).changes == []  # nothing diff reads was lost


def test_a_clean_rerun_diffs_clean(work):
    folder, runs, _ = work
    md = folder / "clean.md"
    md.write_text("earlier step\n")
    proc = parity(folder, "baseline", "diff", str(runs["again"]), "--baselines", str(folder / "baselines"),
                  "--markdown", str(md))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "parity diff: 0 added, 0 removed, 0 changed divergences; 0 worse" in proc.stdout
    assert "warning" not in proc.stdout
    text = md.read_text()
    assert text.startswith("earlier step\n## array-parity baseline: ✅")  # appended: a job summary gathers steps
    assert f"### {BACKEND} against" in text


def test_a_planted_bug_is_added_and_fails(work):
    folder, runs, _ = work
    md, html = folder / "bug.md", folder / "bug.html"
    proc = parity(folder, "baseline", "diff", str(runs["bug"]), "--baselines", str(folder / "baselines"),
                  "--markdown", str(md), "--html", str(html))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    added = [line for line in proc.stdout.splitlines() if line.startswith("  + WORSE new")]
    assert added and all("sort[bxp:xp-cpu-" in line for line in added)
    assert "sort[bxp:xp-cpu-int8]" in proc.stdout and "worse than the baseline: bxp:xp" in proc.stdout
    text = md.read_text()
    assert "❌" in text.splitlines()[0] and "| added **worse** | new | `sort[bxp:xp-cpu-int8]` | order |" in text
    assert "sort[bxp:xp-cpu-int8]" in html.read_text()


def test_other_options_or_versions_warn(work, tmp_path):
    folder, runs, _ = work
    proc = parity(folder, "baseline", "diff", str(runs["fewer"]), "--baselines", str(folder / "baselines"),
                  "--markdown", str(tmp_path / "a.md"))
    assert "warning: the runs used different example counts (10 and 3)" in proc.stdout
    assert "> the runs used different example counts" in (tmp_path / "a.md").read_text()
    base = json.loads((folder / "baselines" / "bxp_xp.json").read_text())
    base["libraries"]["numpy"] = "1.0.0"
    base["options"]["domain"] = "all"
    (tmp_path / "bxp_xp.json").write_text(baseline.dumps(base))
    proc = parity(folder, "baseline", "diff", str(runs["again"]), "--baselines", str(tmp_path),
                  "--markdown", str(tmp_path / "b.md"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "warning:" in line]
    assert any("library versions differ from the baseline's (numpy 1.0.0 -> " in line for line in lines)
    assert any("other domains than the baseline (standard and all)" in line for line in lines)
    text = (tmp_path / "b.md").read_text()
    assert "> the run's library versions differ" in text and "> the run used other domains" in text


def test_bad_input_is_one_line_and_exit_2(work, tmp_path):
    folder, runs, _ = work
    cases = {
        "no baseline": ("diff", str(runs["again"]), "--baselines", str(tmp_path)),
        "no such file": ("diff", str(tmp_path / "nothing.json"), "--baselines", str(folder / "baselines")),
    }
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "bxp_xp.json").write_text("{")
    cases["invalid JSON"] = ("diff", str(runs["again"]), "--baselines", str(tmp_path / "broken"))
    doc = json.loads((runs["first"] / "results.json").read_text())
    doc["run"] |= {"complete": False, "interrupted": True}
    (tmp_path / "cut.json").write_text(json.dumps(doc))
    cases["incomplete run"] = ("write", str(tmp_path / "cut.json"), "-o", str(tmp_path / "out"))
    for problem, args in cases.items():
        proc = parity(folder, "baseline", *args)
        assert proc.returncode == 2, (problem, proc.stdout, proc.stderr)
        assert proc.stderr.startswith("parity: error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert problem in proc.stderr
    assert "parity baseline write RESULTS" in parity(folder, "baseline", *cases["no baseline"]).stderr
    assert not (tmp_path / "out").exists()


# ---- the nox sessions, in this environment (no virtualenv, nothing installed)
def nox(folder, session, *posargs, bug=False, **environ):
    command = [sys.executable, "-m", "nox", "--no-venv", "--no-install", "--envdir", str(folder / "nox-envs"),
               "-f", str(ROOT / "noxfile.py"), "-s", session, "--", *posargs]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env(folder, bug, **environ))


@pytest.mark.skipif(shutil.which("parity") is None, reason="the nox sessions run the installed `parity` command")
def test_nox_sessions_update_and_diff_a_baseline(work, tmp_path):
    folder, _, _ = work
    shutil.copytree(folder / "baselines", tmp_path / "baselines")
    paths = {"PARITY_BASELINES": str(tmp_path / "baselines"), "PARITY_BASELINE_OUT": str(tmp_path / "runs")}
    before = baseline.read(tmp_path / "baselines" / "bxp_xp.json")
    proc = nox(folder, "update_baselines", **paths)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    after = baseline.read(tmp_path / "baselines" / "bxp_xp.json")
    assert after["run_started"] != before["run_started"] and after["cases"] == before["cases"]
    assert after["command"] == before["command"]  # rerun with the options the baseline was written with

    proc = nox(folder, "baseline", BACKEND, **paths)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert (tmp_path / "runs" / "diff.md").read_text().startswith("## array-parity baseline: ✅")

    summary = tmp_path / "summary.md"
    proc = nox(folder, "baseline", bug=True, GITHUB_STEP_SUMMARY=str(summary), **paths)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = summary.read_text()
    assert text.startswith("## array-parity baseline: ❌ worse than the baseline: bxp:xp")
    assert "`sort[bxp:xp-cpu-int8]`" in text

    proc = nox(folder, "baseline", "numpy", **paths)
    assert proc.returncode == 1 and "no baseline in" in proc.stdout + proc.stderr
