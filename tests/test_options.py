"""RunOptions: one object from `parity run`'s arguments or pytest's, stored for --resume, sent to workers."""

import json

import pytest

from parity.backends import BadSetting, get_backend, parse_settings
from parity.cli import _parser
from parity.options import OPTIONS_FILE, STORED, OptionsError, RunOptions

ARGV = ["--backend", "torch,numpy", "--ops", "sort", "--ops", "linalg.*", "--dtypes", "float32", "--seed", "4",
        "--max-examples", "7", "--backend-setting", "dask.chunks_per_axis=3", "--no-jax-x64", "--shard", "2/3",
        "--case-timeout", "30", "--memory-limit", "1G"]


class FakeConfig:
    """pytest's config.getoption over the plugin's --parity-NAME options, parsed by argparse."""

    def __init__(self, argv):
        import argparse

        from parity.options import add_arguments

        parser = argparse.ArgumentParser()
        add_arguments(parser.add_argument, prefix="--parity-")
        for flag in ("--parity-all-backends", "--parity-resume"):
            parser.add_argument(flag, action="store_true")
        parser.add_argument("--parity-out")
        self.ns = parser.parse_args(argv)

    def getoption(self, name):
        return getattr(self.ns, name.lstrip("-").replace("-", "_"))


def test_cli_and_pytest_build_the_same_options():
    from_cli = RunOptions.from_args(_parser().parse_args(["run", *ARGV, "--out", "somewhere"]))
    from_pytest = RunOptions.from_pytest(FakeConfig([a.replace("--", "--parity-", 1) if a.startswith("--") else a
                                                     for a in ARGV] + ["--parity-out", "somewhere"]))
    assert from_cli == from_pytest
    assert from_cli.backends == ("torch", "numpy") and from_cli.ops == ("sort", "linalg.*")
    assert from_cli.settings == ("dask.chunks_per_axis=3", "jax.x64=false")
    assert from_cli.memory_bytes == 2**30


def test_pytest_plugin_is_idle_without_a_backend():
    assert RunOptions.from_pytest(FakeConfig([])) is None


def test_options_travel_as_json_unchanged():
    options = RunOptions.from_args(_parser().parse_args(["run", *ARGV]))
    assert RunOptions.from_json(json.loads(json.dumps(options.to_json()))) == options


def test_stored_options_resume_the_same_run(tmp_path):
    options = RunOptions.from_args(_parser().parse_args(["run", *ARGV, "--out", str(tmp_path)]))
    options.save(tmp_path)
    loaded = RunOptions.load(tmp_path)
    assert loaded.resume and loaded.out == str(tmp_path)
    assert all(getattr(loaded, name) == getattr(options, name) for name in STORED)


def test_a_version_1_options_file_is_upgraded(tmp_path):
    old = {"backend": ["jax"], "device": None, "surface": "native", "ops": ["add"], "dtypes": [], "max_examples": 3,
           "seed": 1, "no_jax_x64": True, "case_timeout": 600.0, "memory_limit": "auto", "shard": None}
    (tmp_path / OPTIONS_FILE).write_text(json.dumps({"schema": "array-parity/run-options", "schema_version": 1,
                                                     "options": old}))
    loaded = RunOptions.load(tmp_path)
    assert loaded.backends == ("jax",) and loaded.settings == ("jax.x64=false",) and loaded.seed == 1


@pytest.mark.parametrize(("changes", "needle"), [
    ({"case_timeout": -1}, "--case-timeout must be 0"),
    ({"max_examples": -1}, "--max-examples must be 0 or more"),
    ({"memory_limit": "lots"}, "--memory-limit: memory limit 'lots'"),
    ({"shard": "3/2"}, "--shard '3/2': expected K/N"),
])
def test_check_refuses_in_one_line(changes, needle):
    with pytest.raises(OptionsError, match=needle.replace("(", r"\(")):
        RunOptions(**changes).check()


def test_backend_settings_are_declared_parsed_and_checked():
    assert parse_settings(["jax.x64=false", "mylib.xp:ns.chunks=3"]) == {"jax": {"x64": "false"},
                                                                        "mylib.xp:ns": {"chunks": "3"}}
    assert get_backend("jax", {"x64": "false"}).settings["x64"] is False
    assert get_backend("dask", {"chunks_per_axis": "3"}).describe()["settings"]["chunks_per_axis"] == 3
    with pytest.raises(BadSetting, match="backend 'jax' has no setting 'x46' \\(its settings: x64, "):
        get_backend("jax", {"x46": "1"})
    with pytest.raises(BadSetting, match="jax.x64=maybe: expected true or false"):
        get_backend("jax", {"x64": "maybe"})
    with pytest.raises(BadSetting, match="expected NAME.KEY=VALUE"):
        parse_settings(["x64"])


def test_a_setting_value_may_contain_commas():
    args = _parser().parse_args(["run", "--backend-setting", "mylib:xp.chunks=2,3", "--backend-setting", "jax.x64=0"])
    assert RunOptions.from_args(args).settings == ("mylib:xp.chunks=2,3", "jax.x64=0")
    assert parse_settings(["mylib:xp.chunks=2,3"]) == {"mylib:xp": {"chunks": "2,3"}}
