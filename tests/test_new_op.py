"""``parity new-op`` (parity/new_op.py): the entry it writes into a copy of the registry, the NumPy run that
checks it, what torch then reports, its refusals, and the pure pieces (dtype probes, import and list edits)."""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import opinfo
from opinfo.dtypes import DTYPE_NAMES, INTEGER, numpy_dtype
from parity import new_op
from parity.new_op import NewOpError

ROOT = Path(__file__).resolve().parents[1]
#: What a case of a freshly written entry may be on another library: anything but a fault of the harness.
SENSIBLE = {"parity", "known", "new", "unsupported"}


def _copy_registry(folder: Path) -> Path:
    shutil.copytree(ROOT / "opinfo", folder / "opinfo", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _parity(registry: Path, *args, cwd=None):
    """The real ``parity`` command in a subprocess, on the registry copy under ``registry``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(registry), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "parity.cli", *args], capture_output=True, text=True,
                          cwd=cwd or registry, env=env, timeout=600)


def _digest(registry: Path) -> str:
    files = sorted(p for p in (registry / "opinfo").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def _records(out: Path) -> list[dict]:
    return json.loads((out / "results.json").read_text())["records"]


def _ruff(path: Path) -> Counter:
    """ruff's findings on one file under the project's settings (line length, rules, import order)."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (the dev extra)")
    proc = subprocess.run([ruff, "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), "--output-format",
                           "json", str(path)], capture_output=True, text=True)
    return Counter((f["code"], f["message"]) for f in json.loads(proc.stdout))


def _only_insertions(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails when it changes or drops any line of it."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert all(tag in ("equal", "insert") for tag, *_ in ops), [op for op in ops if op[0] != "equal"]
    return [line for tag, _, _, j1, j2 in ops if tag == "insert" for line in b[j1:j2]]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A registry copy nothing writes to: refusals and dry runs must leave it as it is."""
    return _copy_registry(tmp_path_factory.mktemp("pristine"))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """``parity new-op logaddexp2`` (a NumPy ufunc not in the registry; torch has it) on a registry copy."""
    assert "logaddexp2" not in opinfo.REGISTRY
    registry = _copy_registry(tmp_path_factory.mktemp("written"))
    module = registry / "opinfo" / "elementwise.py"
    before = module.read_text()
    proc = _parity(registry, "new-op", "logaddexp2", "--family", "elementwise-binary", "--out", str(registry / "np"))
    return registry, before, module.read_text(), proc


# --------------------------------------------------------------------------- a ufunc, end to end
def test_new_op_extends_the_family_module_and_keeps_the_rest(written):
    registry, before, after, proc = written
    assert proc.returncode == 0, proc.stdout + proc.stderr
    added = "".join(_only_insertions(before, after))
    entry = ast.parse(after).body[-1].value.elts[-1]  # the last item of OPS
    fields = {k.arg: ast.unparse(k.value) for k in entry.keywords}
    assert fields["name"] == "'logaddexp2'" and fields["ref"] == "np.logaddexp2"
    assert (fields["samples"], fields["strategy"]) == ("binary_samples", "binary_strategy")
    assert fields["dtypes"] == "FLOAT" and fields["elementwise"] == "True" and fields["expected"] == "[]"
    lines = after.splitlines()
    uncommented = [k.arg for k in entry.keywords
                   if "  # " not in lines[k.lineno - 1] and not lines[k.lineno - 2].lstrip().startswith("# ")]
    assert not uncommented and "name=" in added, uncommented  # each field's comment: beside it or above it
    assert "wrote 'logaddexp2' into opinfo/elementwise.py" in proc.stdout


def test_new_op_registry_copy_imports_the_entry(written):
    registry = written[0]
    check = _parity(registry, "list", "--json", "--ops", "logaddexp2")
    entry = json.loads(check.stdout)[0]
    assert (entry["family"], entry["reference"], entry["dtypes"]) == ("elementwise-binary", "numpy.logaddexp2",
                                                                       ["float32", "float64"])


def test_new_op_numpy_run_is_all_parity(written):
    registry, _, _, proc = written
    records = _records(registry / "np")
    assert records and {r["status"] for r in records} == {"parity"}
    assert f"self-parity on numpy: {len(records)} cases: parity {len(records)}" in proc.stdout
    assert "parity run --backend torch --ops logaddexp2" in proc.stdout  # the next steps


def test_new_op_module_stays_ruff_clean(written, pristine):
    registry = written[0]
    assert _ruff(registry / "opinfo" / "elementwise.py") == _ruff(pristine / "opinfo" / "elementwise.py")


def test_new_op_entry_reports_sensibly_on_torch(written):
    """torch has logaddexp2: every case is compared and classified, none is a fault of the harness. (torch 2.13:
    the Python-scalar samples are the known tensor-only refusal; logaddexp2(-1, -1) is -1e-8 where NumPy gives 0,
    a new value divergence.)"""
    pytest.importorskip("torch")
    registry = written[0]
    proc = _parity(registry, "run", "--backend", "torch", "--ops", "logaddexp2", "-q", "-n", "0", "--out",
                   str(registry / "torch"))
    records = _records(registry / "torch")
    assert proc.returncode in (0, 1) and records, proc.stderr
    assert {r["status"] for r in records} <= SENSIBLE, [(r["id"], r["status"]) for r in records]
    assert any(r["status"] != "unsupported" for r in records)  # found by its name: actually compared


# --------------------------------------------------------------------------- a function that is not a ufunc
def test_new_op_reduction_function(tmp_path):
    """np.cumsum (a reduction-like function, not a ufunc): reduction helpers fitted to its signature, not
    elementwise, and clean on NumPy."""
    registry = _copy_registry(tmp_path)
    before = (registry / "opinfo" / "reductions.py").read_text()
    proc = _parity(registry, "new-op", "cumsum", "--family", "reduction", "--out", str(tmp_path / "np"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    added = "".join(_only_insertions(before, (registry / "opinfo" / "reductions.py").read_text()))
    assert "samples=lambda dt: reduction_samples(dt, keepdims=False)" in added  # np.cumsum has no keepdims
    assert "allow_tuple=False" in added  # it refuses a tuple of axes
    assert "elementwise=False" in added and "signature (a, axis=None" in added
    assert {r["status"] for r in _records(tmp_path / "np")} == {"parity"}


def test_new_op_self_parity_failure_names_the_cases(tmp_path):
    """A reference that differs from itself (a random permutation) cannot pass on NumPy: exit 1, cases named."""
    registry = _copy_registry(tmp_path)
    proc = _parity(registry, "new-op", "random.permutation", "--family", "manipulation", "--out", str(tmp_path / "np"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^  random\.permutation\[numpy-cpu-\w+\]: new", proc.stdout, re.M), proc.stdout
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- refusals and the dry run
@pytest.mark.parametrize("args, message", [
    (["abs", "--family", "elementwise-unary"], "'abs' is already in the registry"),
    (["absolute", "--family", "elementwise-unary"], "'absolute' is an alias: give 'abs'"),
    (["fabs", "--family", "elementwise"], "unknown family 'elementwise'"),
    (["fabs", "--family", "elementwise-unary", "--ref", "numpy.no_such_function"], "cannot be imported"),
    (["fabs", "--family", "elementwise-unary", "--ref", "numpy.pi"], "is a float, not a function"),
    (["logaddexp2", "--family", "elementwise-unary"], "takes 2 array argument(s), family 'elementwise-unary' takes 1"),
], ids=["existing-name", "alias", "unknown-family", "unimportable-ref", "not-callable", "wrong-arity"])
def test_new_op_refuses_with_one_line(pristine, args, message):
    digest = _digest(pristine)
    proc = _parity(pristine, "new-op", *args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("parity: error: "), proc.stderr
    assert message in proc.stderr
    assert _digest(pristine) == digest


def test_new_op_dry_run_writes_nothing(pristine):
    """A SciPy ufunc: the numpy backend gets the reference as its spelling, the missing helpers are imported."""
    digest = _digest(pristine)
    proc = _parity(pristine, "new-op", "special.j0", "--family", "special", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "ref=scipy.special.j0," in proc.stdout
    assert 'spellings={"numpy": reference_function(scipy.special.j0)},' in proc.stdout
    assert "adds to its imports: from opinfo.samples import unary_samples, unary_strategy" in proc.stdout
    assert _digest(pristine) == digest and not (pristine / "reports").exists()


def test_new_op_restores_the_module_when_the_registry_breaks(tmp_path):
    """An entry the registry's validation refuses: the module is put back byte for byte, one line says why."""
    registry = _copy_registry(tmp_path)
    path = registry / "opinfo" / "elementwise.py"
    original = path.read_bytes()
    bad = '    op("zz_broken", "elementwise-unary", np.sin, ("float128",), unary_samples, unary_strategy),\n]\n'
    source = original.decode()[:original.decode().rindex("]\n")] + bad
    plan = new_op.Plan("zz_broken", "numpy.sin", registry / "opinfo", path, "opinfo/elementwise.py", "", source, 0, ())
    with pytest.raises(NewOpError, match=r"breaks the registry \(.*unknown dtype 'float128'\); opinfo/elementwise"):
        new_op.write(plan)
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- pure pieces, no backend
def test_loop_dtypes_are_the_ufuncs_own_loops():
    assert new_op.loop_dtypes(np.logaddexp2, DTYPE_NAMES) == ("float32", "float64", "float16", "bfloat16")
    assert new_op.loop_dtypes(np.bitwise_count, DTYPE_NAMES) == INTEGER  # bool only by casting
    assert "int8" not in new_op.loop_dtypes(np.sin, DTYPE_NAMES)  # sin(int8) computes in float16: a cast
    assert new_op.loop_dtypes(np.isnat, DTYPE_NAMES) == ()


def test_accepted_dtypes_of_a_function():
    assert new_op.accepted_dtypes(np.isneginf, 1, ("float64", "complex128", "int8")) == ("float64", "int8")


def test_is_elementwise():
    f64 = numpy_dtype("float64")
    assert new_op.is_elementwise(np.isneginf, 1, f64) and new_op.is_elementwise(np.fix, 1, f64)
    assert not new_op.is_elementwise(np.cumsum, 1, f64) and not new_op.is_elementwise(np.sort, 1, f64)
    assert new_op.is_elementwise(np.logaddexp2, 2, f64) and not new_op.is_elementwise(np.convolve, 2, f64)


@pytest.mark.parametrize("dtypes, expression", [
    (("float32", "float64"), "FLOAT"),
    (INTEGER + ("bool",), "INTEGER + BOOL"),
    (("int8", "int16", "int32", "int64", "uint8"), 'SIGNED + ("uint8",)'),
    (("int8", "uint8"), '("int8", "uint8")'),
])
def test_dtype_expression(dtypes, expression):
    written, groups = new_op.dtype_expression(dtypes)
    assert written == expression and groups == [g for g in new_op.GROUPS if g in expression.split(" + ")]


def test_pick_module_and_default_ref():
    entries = [("elementwise", "elementwise-unary")] * 3 + [("ufuncs", "elementwise-unary"), ("fft", "fft")]
    assert new_op.pick_module(entries, "elementwise-unary") == "elementwise"
    assert new_op.pick_module(entries, "set") is None
    assert new_op.default_ref("special.j0") == "scipy.special.j0"
    assert new_op.default_ref("linalg.cond") == "numpy.linalg.cond"
    assert new_op.resolve_ref("numpy.linalg.cond") is np.linalg.cond
    with pytest.raises(NewOpError, match="not a NumPy or SciPy"):
        new_op.resolve_ref("math.sin")


MODULE = '''"""A family module."""

import numpy as np

from opinfo.dtypes import FLOAT
from opinfo.samples import (
    arrays,
    special_values,
)
from opinfo.spec import op

OPS = [
    op("a", "numeric", np.sin, FLOAT, arrays, arrays)  # no trailing comma
]
'''


def test_import_and_entry_edits_keep_ruff_order(tmp_path):
    tree = ast.parse(MODULE)
    wanted = {"opinfo.dtypes": ["Tolerance", "UNSIGNED", "BOOL"], "opinfo.samples": ["unary_samples"],
              "opinfo.spec": ["op"], "opinfo.adapters": ["reference_function"]}
    edits, added = new_op.import_edits(tree, wanted)
    entry = ('    op("b", "numeric", reference_function(np.cos), BOOL + UNSIGNED, unary_samples, special_values,\n'
             '       tolerances={"float32": Tolerance(1e-6, 0)}),\n')
    lines = MODULE.splitlines(keepends=True)
    result = "".join(new_op.apply_edits(lines, edits + new_op.entry_edits(lines, tree, entry)))
    assert added == ["from opinfo.adapters import reference_function",
                     "from opinfo.dtypes import Tolerance, UNSIGNED, BOOL", "from opinfo.samples import unary_samples"]
    assert ("import numpy as np\n\nfrom opinfo.adapters import reference_function\n"  # constants, classes, the rest
            "from opinfo.dtypes import BOOL, FLOAT, UNSIGNED, Tolerance\n"
            "from opinfo.samples import (\n    arrays,\n    special_values,\n    unary_samples,\n)\n") in result
    assert "arrays),  # no trailing comma\n" + entry + "]\n" in result  # a comma after the last item
    package = tmp_path / "opinfo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "family.py").write_text(result)
    assert _ruff(package / "family.py") == Counter()


def test_entry_edits_need_the_list_closed_on_its_own_line():
    source = "OPS = [1, 2]\n"
    with pytest.raises(NewOpError, match="must end with `]` on its own line"):
        new_op.entry_edits(source.splitlines(keepends=True), ast.parse(source), "    3,\n")


def test_commented_field_beside_or_above():
    assert new_op.commented("dtypes", "        ", "FLOAT", "short") == "        dtypes=FLOAT,  # short"
    long = new_op.commented("samples", "        ", "binary_samples", "word " * 40)
    assert long.splitlines()[-1] == "        samples=binary_samples,"
    assert all(line.startswith("        # ") and len(line) <= new_op.LINE for line in long.splitlines()[:-1])
