"""The CI workflow's structure: backends x shards through the nox sessions, artifacts, one merge job."""

import ast
import re

import pytest
import yaml
from conftest import TESTS

ROOT = TESTS.parent
WORKFLOW = ROOT / ".github" / "workflows" / "parity.yml"


def noxfile():
    """Session names and the BACKENDS table of noxfile.py, read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    sessions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
                and any("session" in ast.unparse(d) for d in node.decorator_list)}
    backends = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                    and any(getattr(t, "id", None) == "BACKENDS" for t in node.targets))
    return sessions, backends


@pytest.fixture(scope="module")
def workflow():
    doc = yaml.safe_load(WORKFLOW.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(job, uses):
    return [s for s in job["steps"] if s.get("uses", "").startswith(uses)]


def nox_runs(job):
    return [s["run"] for s in job["steps"] if "nox -s" in s.get("run", "")]


def test_triggers_and_jobs(workflow):
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert set(workflow["jobs"]) == {"check", "shard", "merge"}
    for job in workflow["jobs"].values():
        assert job["runs-on"].startswith("ubuntu") and job["timeout-minutes"] > 0
        assert all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", s["uses"]) for s in job["steps"] if "uses" in s)


def test_the_registry_lint_runs_through_its_nox_session(workflow):
    sessions, _ = noxfile()
    (command,) = nox_runs(workflow["jobs"]["check"])
    assert command == "nox -s check" and "check" in sessions


def test_the_merge_job_diffs_against_the_baselines_even_when_the_gate_failed(workflow):
    step = next(s for s in workflow["jobs"]["merge"]["steps"] if "parity baseline diff" in s.get("run", ""))
    assert step["if"] == "always()" and '--markdown "$GITHUB_STEP_SUMMARY"' in step["run"]


def test_shard_matrix_is_backends_by_shards_through_nox(workflow):
    sessions, backends = noxfile()
    job = workflow["jobs"]["shard"]
    matrix = job["strategy"]["matrix"]
    assert job["strategy"]["fail-fast"] is False  # one backend's failure must not cancel the others' shards
    assert set(matrix["backend"]) == set(backends)
    n = int(workflow["env"]["SHARDS"])
    assert matrix["shard"] == list(range(1, n + 1)) and f"/{n}" in job["name"]
    (command,) = nox_runs(job)
    session = re.search(r"nox -s (\w+) -- ", command).group(1)
    assert session == "shard" and session in sessions
    assert command.split("-- ", 1)[1] == "${{ matrix.backend }} ${{ matrix.shard }}/${{ env.SHARDS }}"


def test_each_shard_uploads_the_folder_its_nox_session_writes(workflow):
    job = workflow["jobs"]["shard"]
    (upload,) = steps(job, "actions/upload-artifact")
    assert upload["if"] == "always()"  # a shard that found divergences is uploaded too
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    shard_dir = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "shard_dir")
    namespace = {}
    exec(compile(ast.Module([shard_dir], []), "noxfile.py", "exec"), namespace)  # the pure path helper alone
    written = namespace["shard_dir"]("${{ matrix.backend }}", "${{ matrix.shard }}/${{ env.SHARDS }}")
    assert upload["with"]["path"].rstrip("/") == written
    assert "${{ matrix.backend }}" in upload["with"]["name"] and "${{ matrix.shard }}" in upload["with"]["name"]
    assert upload["with"]["if-no-files-found"] == "error"


def test_merge_job_joins_every_shard_into_one_report(workflow):
    sessions, _ = noxfile()
    job, shard_job = workflow["jobs"]["merge"], workflow["jobs"]["shard"]
    assert job["needs"] == "shard" and job["if"] == "always()"
    (download,) = steps(job, "actions/download-artifact")
    (upload,) = steps(shard_job, "actions/upload-artifact")
    prefix = download["with"]["pattern"].rstrip("*")
    assert upload["with"]["name"].startswith(prefix)
    (command,) = nox_runs(job)
    session = re.search(r"nox -s (\w+) -- ", command).group(1)
    out, *inputs = command.split("-- ", 1)[1].split()
    assert session == "merge" and session in sessions
    assert inputs == [f"{download['with']['path']}/*"]
    (report,) = steps(job, "actions/upload-artifact")
    assert report["with"]["path"].rstrip("/") == out and report["if"] == "always()"
    assert not report["with"]["name"].startswith(prefix)  # never downloaded as a shard
