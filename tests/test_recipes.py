"""The four recipes of docs/architecture.md, each followed step by step: add an op, a backend, a
comparator and a record field, touching only the file the recipe names."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import TESTS, run_cli

import opinfo
from opinfo import samples
from opinfo.spec import Sample, op
from parity import results
from parity.backends import get_backend
from parity.runner import Runner

ROOT = TESTS.parent

NEW_OP = '''
OPS.append(op(
    name="cube", family="numeric", ref=lambda x: x * x * x, reference_name="x * x * x", dtypes=("float64", "int32"),
    samples=lambda dtype: [Sample((np.array([-2, 0, 3], dtype=dtype),))],
    strategy=lambda dtype: unary_strategy(dtype),
    spellings={"numpy": lambda xp, x: xp.power(x, 3)},
))
'''


def test_add_an_op(tmp_path):
    """Recipe: append an entry to a family module's OPS; `parity list` and `parity run` see it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "opinfo", site / "opinfo")
    module = site / "opinfo" / "numeric.py"
    module.write_text(module.read_text() + "\nfrom opinfo.samples import unary_strategy  # noqa: E402\n"
                      "from opinfo.spec import op  # noqa: E402\n" + NEW_OP)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(TESTS)]))
    listed = subprocess.run([sys.executable, "-m", "parity.cli", "list", "--ops", "cube", "--json"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert entry["family"] == "numeric" and entry["dtypes"] == ["float64", "int32"]
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "numpy", "--ops", "cube", "-n", "0",
                           "--max-examples", "5", "--out", str(out)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    records = results.read(out / "results.json")["records"]
    assert [(r["id"], r["status"]) for r in records] == [("cube[numpy-cpu-float64]", "parity"),
                                                          ("cube[numpy-cpu-int32]", "parity")]
    assert all(r["fixed_samples"] == 1 and r["examples"] == 5 for r in records)


BACKEND_MODULE = '''
import numpy as np

from parity.backends import Backend, Setting


class Scaled(Backend):
    """NumPy whose results are read back multiplied by a setting: 1 is NumPy itself."""

    SETTINGS = {"scale": Setting(1.0, float, "factor applied to every result")}

    def __init__(self):
        super().__init__(name="scaledlib:Scaled", module="numpy", dist="numpy")

    def from_numpy(self, x, device):
        return x.copy()

    def to_numpy(self, x):
        return np.asarray(x) * self.settings["scale"]
'''


def test_add_a_backend(tmp_path):
    """Recipe: one module with a Backend subclass, named as module:attribute; its declared setting is
    set with --backend-setting, recorded in the run, and changes what is found."""
    (tmp_path / "scaledlib.py").write_text(BACKEND_MODULE)
    args = ("run", "--backend", "scaledlib:Scaled", "--ops", "sqrt", "--dtypes", "float64", "-n", "0",
            "--max-examples", "3")
    same = run_cli(*args, "--out", str(tmp_path / "same"), cwd=tmp_path)
    assert same.returncode == 0, same.stdout[-2000:] + same.stderr[-2000:]
    scaled = run_cli(*args, "--backend-setting", "scaledlib:Scaled.scale=2", "--out", str(tmp_path / "scaled"),
                     cwd=tmp_path)
    assert scaled.returncode == 1, scaled.stdout[-2000:] + scaled.stderr[-2000:]
    doc = results.read(tmp_path / "scaled" / "results.json")
    assert doc["run"]["backends"][0]["settings"] == {"scale": 2.0}
    (record,) = doc["records"]
    assert record["status"] == "new" and "value" in {d["category"] for d in record["divergences"]}
    wrong = run_cli(*args, "--backend-setting", "scaledlib:Scaled.scael=2", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("parity: error: backend 'scaledlib:Scaled' has no setting 'scael' "
                                    "(its settings: scale)")


def test_add_a_comparator():
    """Recipe: a comparator f(sample, ref, impl, ctx) -> findings named in the entry's compare=.
    Here: the order of the result is free, its values are not."""

    def same_values_any_order(sample, ref, impl, ctx):
        return ctx.values(np.sort(ref, axis=-1), np.sort(impl, axis=-1))

    def entry(spelling, compare):
        return op(name="sorted_anyhow", family="sorting", ref=np.sort, dtypes=("float64",),
                  samples=lambda dtype: [Sample((np.array([3.0, 1.0, 2.0], dtype=dtype),))],
                  strategy=samples.unary_strategy, spellings={"numpy": spelling}, compare=compare)

    def status(spelling, compare):
        return Runner(entry(spelling, compare), get_backend("numpy")).run_case("float64", max_examples=5, seed=0)

    reversed_sort = lambda xp, x: xp.flip(xp.sort(x), axis=-1)  # noqa: E731
    assert status(reversed_sort, None)["status"] == "new"  # the default comparison sees the order
    assert status(reversed_sort, same_values_any_order)["status"] == "parity"
    doubled = status(lambda xp, x: xp.sort(x) * 2, same_values_any_order)
    assert doubled["status"] == "new" and doubled["divergences"][0]["category"] == "value"


def _keys(schema_def: dict) -> set[str]:
    return set(schema_def["properties"])


@pytest.mark.parametrize(("backend", "op_name", "dtype"), [
    ("numpy", "add", "float64"),  # parity
    ("torch", "sort", "complex64"),  # known error
    ("torch", "multiply", "complex64"),  # corpus elements
    ("torch", "linalg.eig", "float64"),  # known dtype divergences
    ("array_api_strict", "nanmean", "float64"),  # unsupported
    ("array_api_strict", "sin", "float16"),  # skipped
    ("fake_xp:xp", "sqrt", "float32"),  # new value divergence, stale declarations
])
def test_every_record_field_is_in_the_schema(backend, op_name, dtype):
    """Recipe (record field): a field the runner writes must be described in results.schema.json."""
    schema = results.json_schema()["$defs"]
    record = Runner(opinfo.get_op(op_name), get_backend(backend)).run_case(dtype, max_examples=3, seed=0)
    assert set(record) <= _keys(schema["record"]), set(record) - _keys(schema["record"])
    for d in record["divergences"]:
        assert set(d) <= _keys(schema["divergence"]), set(d) - _keys(schema["divergence"])
