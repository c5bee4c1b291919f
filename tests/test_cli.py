"""Bad input gets one clear line and exit status 2; listing commands work."""

import json

import pytest


@pytest.mark.parametrize(("args", "needle"), [
    (["run", "--backend", "toch"], "unknown backend 'toch'"),
    (["run", "--backend", "bad:module:attr"], "malformed backend"),
    (["run", "--backend", "numpy", "--ops", "nosuchop"], "matches nothing"),
    (["run", "--backend", "numpy", "--dtypes", "float128"], "unknown dtype 'float128'"),
    (["run", "--backend", "torch", "--device", "cuda"], "cuda"),
    (["run", "--backend", "numpy", "--device", "tpu"], "no device 'tpu'"),
    (["run", "--backend", "no_such_module:xp"], "cannot import no_such_module"),
    (["run", "--backend", "numpy", "--out", "/proc/forbidden"], "cannot write to output directory"),
    (["list", "--ops", "zzz*"], "matches nothing"),
])
def test_bad_input_one_line_exit_2(cli, args, needle, tmp_path):
    if "--out" not in args and args[0] == "run":
        args = [*args, "--out", str(tmp_path / "out")]
    proc = cli(*args)
    if "cuda" in args and "CUDA" in proc.stdout:  # pragma: no cover - only on a GPU machine
        pytest.skip("a CUDA device is present")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert not (tmp_path / "out" / "results.json").exists()


def test_list_json_holds_the_registry(cli):
    proc = cli("list", "--json")
    assert proc.returncode == 0
    entries = json.loads(proc.stdout)
    assert len(entries) >= 60
    sort = next(e for e in entries if e["name"] == "sort")
    assert any(e["backend"] == "torch" and e["category"] == "error" for e in sort["expected"])


def test_backends_lists_availability(cli):
    proc = cli("backends")
    assert proc.returncode == 0
    assert "numpy" in proc.stdout and "cupy" in proc.stdout


def test_every_subcommand_help_ends_with_an_example(cli):
    """Each subcommand's --help shows one runnable example line, on its own line."""
    from parity.cli import _parser

    subcommands = next(a for a in _parser()._actions if a.dest == "command").choices
    assert {"run", "list", "check", "new-op", "docs", "baseline", "diff"} <= set(subcommands)
    for name, parser in subcommands.items():
        text = parser.format_help().rstrip().splitlines()
        assert text[-2:][0] == "example:" and text[-1].startswith(f"  parity {name}"), (name, text[-3:])


def test_a_closed_pipe_ends_the_listing_quietly(tmp_path):
    """`parity list --json | head -1`: the reader goes away after one line (the listing is larger than a pipe
    holds, so the writer meets the closed pipe); no BrokenPipeError traceback, exit 0."""
    import os
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "parity.cli", "list", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ))
    assert proc.stdout.readline()
    proc.stdout.close()  # as head does once it has its line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and stderr == "", stderr
