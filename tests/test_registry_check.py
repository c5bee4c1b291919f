"""``parity check``: each kind of registry mistake, planted in a copy of the registry, is one exact line.

The copy (``opinfo`` copied into a temporary folder, its source edited by a string replacement, put first
on PYTHONPATH) is checked by the real ``parity check`` in a subprocess. The mistakes are planted in entries
that do not touch each other, so one copy and one run serve a test per kind; the pure functions the lint
is made of are tested in this process, without a backend.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import opinfo
from opinfo.spec import CATEGORIES, Expected, Sample, known_backends, op, problems, validate
from parity import registry_check
from parity.backends import builtin_backends

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^\d+ ops, \d+ declarations: (no problems|\d+ problems?) \(\d+\.\d s\)$")

#: (module, text, replacement): one mistake of each kind, each in its own entry.
PLANTED = {
    # a family module that cannot be imported: `dtype=` for `dtypes=`; linalg_numpy imports numeric
    "import": ("numeric", '_numeric("array_equal", dtypes=ALL,', '_numeric("array_equal", dtype=ALL,'),
    "reference": ("datatypes", "ref=lambda t: _finfo_fields(np.finfo(t)), reference_name=\"numpy.finfo\"",
                  "ref=None, reference_name=\"numpy.finfo\""),
    "dtypes": ("linalg", "dtypes=ALL, samples=_diagonal_samples",
               'dtypes=ALL + ("float31",), samples=_diagonal_samples'),
    "samples": ("creation", '_op("zeros_like", ALL, _like_samples,',
                '_op("zeros_like", ALL, lambda dt: [] if dt == np.float32 else _like_samples(dt),'),
    "strategy": ("creation", '_op("ones_like", ALL, _like_samples, _like_strategy,',
                 '_op("ones_like", ALL, _like_samples, lambda dt: None if dt == np.int8 else _like_strategy(dt),'),
    "ref raises": ("linalg", "ref=_pinv_ref, reference_name=", "ref=lambda *a, **k: {}['planted'], reference_name="),
    "no spelling": ("linalg", 'name="linalg.det", ref=np.linalg.det,', 'name="linalg.dett", ref=np.linalg.det,'),
    "spelling typo": ("linalg", 'spellings={"torch": "outer"},',
                      'spellings={"torch": "outer", "array_api_strict": "linalg.outr"},'),
    "declaration": ("sets", 'Expected("torch", "error", match="Unsupported input type encountered for isin"',
                    'Expected("torhc", "eror", match="Unsupported input type encountered for isin"'),
    "reason": ("sets", "reason=\"torch.isin raises 'Unsupported", "reason=\"\" and \"torch.isin raises 'Unsupported"),
    "duplicate": ("linalg", 'name="linalg.svdvals",', 'name="argsort",'),
    "alias": ("linalg", 'name="linalg.eigvalsh", ref=np.linalg.eigvalsh,',
              'name="linalg.eigvalsh", ref=np.linalg.eigh,'),
    "device": ("elementwise", 'devices=("cpu",), where=reciprocal_subnormal, link=JAX_FTZ_LINK,\n'
                              '                 reason="XLA computes x / y',
               'devices=("cuda",), where=reciprocal_subnormal, link=JAX_FTZ_LINK,\n'
               '                 reason="XLA computes x / y'),
    "domain": ("creation", 'Expected("torch", "error", match="upper bound and lower bound inconsistent',
               'Expected("torch", "error", domain="numpy", match="upper bound and lower bound inconsistent'),
    "unsupported": ("reductions", 'Expected("torch", "dtype", dtypes=INTEGER, link=TORCH_MEDIAN_LOWER,',
                    'Expected(("torch", "array_api_strict"), "dtype", dtypes=INTEGER, link=TORCH_MEDIAN_LOWER,'),
}


def copy_registry(folder: Path, edits) -> Path:
    """``opinfo`` copied into ``folder`` with each (module, text, replacement) applied once."""
    shutil.copytree(ROOT / "opinfo", folder / "opinfo", ignore=shutil.ignore_patterns("__pycache__"))
    for module, text, replacement in edits:
        path = folder / "opinfo" / f"{module}.py"
        source = path.read_text()
        assert source.count(text) == 1, f"the text to replace is not once in opinfo/{module}.py: {text!r}"
        path.write_text(source.replace(text, replacement))
    return folder


def parity_check(*args: str, registry: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if registry is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(registry), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "parity.cli", "check", *args], capture_output=True, text=True,
                          env=env, cwd=registry or ROOT, timeout=600)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """One `parity check --stale` of a copy of the registry holding every planted mistake: (exit status,
    lines). The registry does not import, so --stale adds one line saying it did not run."""
    folder = copy_registry(tmp_path_factory.mktemp("broken"), PLANTED.values())
    done = parity_check("--stale", "--ops", "sort", registry=folder)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout.splitlines()


def _index(name: str, chosen) -> int:
    """The index of an entry's declaration in the real registry (the copy has the same order)."""
    return next(i for i, exp in enumerate(opinfo.get_op(name).expected) if chosen(exp))


def _installed() -> str:
    return ", ".join(n for n, b in builtin_backends().items() if not b.installed() and "cpu" in b.devices)


def _line_of(module: str, text: str) -> int:
    source = (ROOT / "opinfo" / f"{module}.py").read_text()
    return source[:source.index(text)].count("\n") + 1


def _found(broken, line: str) -> None:
    status, lines = broken
    assert status == 1
    assert SUMMARY.match(lines[-2]) and "problems" in lines[-2], lines[-2]
    assert line in lines, "\n".join(lines)


# --------------------------------------------------------------------------- one test per kind of mistake
def test_a_family_module_that_cannot_be_imported_is_one_line(broken):
    line = _line_of("numeric", '_numeric("array_equal", dtypes=ALL,')
    _found(broken, f"opinfo 'array_equal': field 'dtypes': missing (in opinfo/numeric.py, line {line}); "
                   "linalg_numpy imports it and could not be checked")
    assert not any(" (in opinfo/linalg_numpy.py" in x for x in broken[1])  # not reported twice


def test_an_entry_without_a_reference(broken):
    _found(broken, "opinfo 'finfo': field 'ref': must be callable (in opinfo/datatypes.py)")


def test_an_unknown_dtype(broken):
    _found(broken, "opinfo 'linalg.diagonal': field 'dtypes': unknown dtype 'float31' (in opinfo/linalg.py)")


def test_a_dtype_without_samples(broken):
    _found(broken, "opinfo 'zeros_like': field 'samples': for float32: returned an empty list, not a non-empty "
                   "list of Sample (in opinfo/creation.py)")
    assert not any(x.startswith("opinfo 'zeros_like'") and "float64" in x for x in broken[1])


def test_a_strategy_that_is_not_one(broken):
    _found(broken, "opinfo 'ones_like': field 'strategy': for int8: returned a NoneType, not a Hypothesis strategy "
                   "(in opinfo/creation.py)")


def test_a_reference_that_raises_on_every_sample(broken):
    count = len(opinfo.get_op("linalg.pinv").samples(np.dtype("float64")))
    _found(broken, f"opinfo 'linalg.pinv': field 'ref': for float64: raised on all {count} fixed samples (the first: "
                   "KeyError: 'planted'): is float64 one of its dtypes? (in opinfo/linalg.py)")


def test_an_op_no_backend_spells(broken):
    _found(broken, f"opinfo 'linalg.dett': field 'spellings': resolves on none of the installed backends "
                   f"({_installed()}) on either surface: a misspelt name or spelling? (in opinfo/linalg.py)")


def test_a_misspelt_spelling(broken):
    _found(broken, "opinfo 'linalg.outer': field 'spellings': 'array_api_strict' spells it 'linalg.outr', which "
                   "array_api_strict (native) does not have: a typo? (in opinfo/linalg.py)")


def test_each_mistake_of_a_declaration_is_its_own_line(broken):
    """Unknown backend, unknown category and an empty reason in one declaration: three lines."""
    i = _index("isin", lambda e: (e.match or "").startswith("Unsupported input type"))
    where = f"opinfo 'isin': field 'expected[{i}]"
    for line in (f"{where}.backend': unknown backend 'torhc' (known: {', '.join(known_backends())})",
                 f"{where}.category': 'eror' is not one of {', '.join(CATEGORIES)}",
                 f"{where}.reason': every expected divergence needs a reason"):
        _found(broken, line + " (in opinfo/sets.py)")


def test_a_duplicate_name_across_modules(broken):
    _found(broken, "opinfo 'argsort': field 'name': declared twice, first in opinfo/sorting.py (in opinfo/linalg.py)")


def test_an_alias_of_another_entry(broken):
    _found(broken, "opinfo 'linalg.eigvalsh': field 'ref': the same callable as 'linalg.eigh' (numpy.linalg.eigh): "
                   "one function checked twice under two names (in opinfo/linalg.py)")


def test_a_declaration_for_a_device_its_backend_lacks(broken):
    i = _index("divide", lambda e: e.devices == ("cpu",) and e.domain is None and e.where is not None
               and "XLA computes x / y" in e.reason)
    _found(broken, f"opinfo 'divide': field 'expected[{i}].devices': jax has none of cuda (its devices: cpu, gpu): "
                   "the declaration never applies (in opinfo/elementwise.py)")


def test_a_declaration_whose_domain_holds_none_of_its_dtypes(broken):
    exp = next(e for e in opinfo.get_op("arange").expected if (e.match or "").startswith("upper bound"))
    i = opinfo.get_op("arange").expected.index(exp)
    _found(broken, f"opinfo 'arange': field 'expected[{i}].domain': 'numpy' holds none of {', '.join(exp.dtypes)}: "
                   "the declaration never applies (in opinfo/creation.py)")


def test_a_declaration_for_a_backend_without_the_op(broken):
    i = _index("median", lambda e: e.category == "dtype" and e.dtypes is not None and e.domain is None)
    _found(broken, f"opinfo 'median': field 'expected[{i}].backend': array_api_strict has no spelling of the op "
                   "(array_api_strict has no median), so every case is unsupported and the declaration never "
                   "applies (in opinfo/reductions.py)")


def test_stale_does_not_run_on_a_registry_that_does_not_import(broken):
    assert broken[1][-1] == "--stale: not run, the registry does not import (fix the problems above first)"


# --------------------------------------------------------------------------- the real registry, --stale, bad input
def test_the_registry_has_no_problems():
    done = parity_check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert SUMMARY.match(done.stdout.strip()) and "no problems" in done.stdout, done.stdout
    ops = len(opinfo.REGISTRY)
    assert done.stdout.startswith(f"{ops} ops, {sum(len(o.expected) for o in opinfo.REGISTRY.values())} declarations")


def test_stale_lists_a_declaration_that_does_not_occur(tmp_path):
    """A planted array_api_strict declaration on zeros, where it matches NumPy, is listed; the real ones of
    isin occur."""
    planted = ("creation", 'expected=[_default_dtype("zeros")]),',
               'expected=[_default_dtype("zeros"), Expected("array_api_strict", "value", max_ulp=0, '
               'dtypes=("float32",), reason="Planted: array_api_strict zeros never differ from NumPy\'s.")]),')
    folder = copy_registry(tmp_path, [planted])
    done = parity_check("--stale", "--backend", "array_api_strict", "--ops", "zeros,isin", registry=folder)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    stale = [x for x in lines if "did not occur:" in x]
    assert stale == ["zeros[array_api_strict-cpu-float32]: declared 'value' did not occur: Planted: array_api_strict "
                     "zeros never differ from NumPy's. (in opinfo/creation.py)"], done.stdout
    assert re.fullmatch(r"--stale \(10 examples, seed 0\): 1 declaration did not occur \(array_api_strict \d+ cases "
                        r"\d+\.\d s\)", lines[-1]), lines[-1]
    assert done.returncode == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--stale", "--backend", "torhc"], "unknown backend 'torhc' (did you mean 'torch'?)"),
    (["--stale", "--ops", "nosuchop"], "op pattern 'nosuchop' matches nothing in the registry; see `parity list`"),
    (["--ops", "sort"], "--ops chooses what --stale runs; add --stale (the lint itself checks the whole registry)"),
    (["--stale", "--max-examples", "-1"], "--max-examples must be 0 or more"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    done = parity_check(*args)
    assert done.returncode == 2 and done.stdout == "", done.stdout
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(f"parity: error: {message}"), done.stderr


# --------------------------------------------------------------------------- the pure parts, in this process
def _entry(**fields):
    base = dict(name="demo", family="elementwise-unary", ref=np.negative, dtypes=("float32", "float64"),
                samples=lambda dt: [Sample((np.ones(3, dt),))], strategy=lambda dt: __import__("hypothesis").strategies
                .just(Sample((np.ones(2, dt),))), extra_dtypes=("float16",))
    return op(**(base | fields))


def test_problems_lists_every_mistake_and_validate_raises_the_first():
    entry = _entry(dtypes=("float32", "float31"), expected=(
        Expected("torhc", "eror", reason=" "), Expected("torch", "value", reason="r", link="http://x")))
    found = [str(p) for p in problems(entry)]
    assert [f.split(": ")[1] for f in found] == ["field 'dtypes'", "field 'expected[0].backend'",
                                                  "field 'expected[0].category'", "field 'expected[0].reason'",
                                                  "field 'expected[1].link'", "field 'expected[1].max_ulp'"]
    with pytest.raises(opinfo.spec.RegistryError) as info:
        validate(entry)
    assert str(info.value) == found[0]
    assert list(problems(_entry())) == []


def test_sample_problems_without_a_backend():
    entry = _entry(samples=lambda dt: [] if dt == np.float16 else [Sample((np.ones(3, dt),))],
                   strategy=lambda dt: 1 / 0 if dt == np.float64 else __import__("hypothesis").strategies.just(1),
                   ref=lambda x: x.item(), reference_name="ndarray.item")
    assert registry_check.sample_problems(entry) == [
        "opinfo 'demo': field 'ref': for float32: raised on all 1 fixed samples (the first: ValueError: can only "
        "convert an array of size 1 to a Python scalar): is float32 one of its dtypes?",
        "opinfo 'demo': field 'ref': for float64: raised on all 1 fixed samples (the first: ValueError: can only "
        "convert an array of size 1 to a Python scalar): is float64 one of its dtypes?",
        "opinfo 'demo': field 'strategy': for float64: raised ZeroDivisionError: division by zero",
        "opinfo 'demo': field 'samples': for float16: returned an empty list, not a non-empty list of Sample"]
    assert registry_check.sample_problems(_entry()) == []


def test_spelling_problems_on_numpy_alone():
    import numpy

    spaces = {"numpy": registry_check.Installed(builtin_backends()["numpy"], {"native": numpy, "array-api": numpy},
                                                {})}
    assert registry_check.spelling_problems(_entry(name="negative"), spaces) == []
    assert registry_check.spelling_problems(_entry(name="negatve"), spaces) == [
        "opinfo 'negatve': field 'spellings': resolves on none of the installed backends (numpy) on either surface: "
        "a misspelt name or spelling?"]
    typo = _entry(name="negative", spellings={"*": "negatve"}, array_api_spellings={"torch": "nope"})
    assert registry_check.spelling_problems(typo, spaces) == [  # torch is not in `spaces`: not checked
        "opinfo 'negative': field 'spellings': '*' spells it 'negatve', which numpy (native) does not have: a typo?"]


def test_applies_somewhere_follows_the_domain():
    sort = opinfo.get_op("sort")
    assert registry_check.applies_somewhere(sort, Expected("torch", "order", reason="r"))
    assert not registry_check.applies_somewhere(sort, Expected("torch", "order", reason="r", domain="numpy",
                                                               dtypes=sort.dtypes[:1]))
    assert registry_check.applies_somewhere(sort, Expected("torch", "order", reason="r", domain="any",
                                                           dtypes=sort.dtypes[:1]))
    add = opinfo.get_op("add")
    assert registry_check.applies_somewhere(add, Expected("torch", "dtype", reason="r", domain="numpy"))


def test_stale_candidates_are_the_runners():
    """The declarations a case can report stale: applying ones, an extra dtype only where named, beyond the
    standard's one-dtype cases only where named, never a backend-wide or version-excluded one."""
    every = Expected("torch", "value", reason="every", max_ulp=1)
    on_extra = Expected("torch", "value", reason="extra", max_ulp=1, dtypes=("float16",))
    wide = Expected("torch", "value", reason="wide", max_ulp=1, wide=True)
    old = Expected("torch", "value", reason="old", max_ulp=1, versions={"numpy": "<1"})
    numpy_rule = Expected("torch", "dtype", reason="rule", domain="numpy")
    add = opinfo.get_op("add")
    entry = _entry(name="add", expected=(every, on_extra, wide, old, numpy_rule, Expected("jax", "value", reason="j",
                                                                                          max_ulp=1)))
    versions = {"numpy": np.__version__}

    def reasons(dtype):
        return [e.reason for e in registry_check.stale_candidates(entry, "torch", dtype, "cpu", "native", versions)]

    assert reasons("float32") == ["every"]
    assert reasons("float16") == ["extra"]
    mix = next(d for d in opinfo.domain.mixed_dtypes("add") if opinfo.domain.case_domain(add.dtypes, d) == "numpy")
    assert reasons(mix) == []  # a rule there, never stale


def test_stale_line_keeps_the_start_of_the_reason():
    line = registry_check.stale_line("sort[torch-cpu-float32]", {"category": "order", "reason": "x " * 60},
                                     "opinfo/sorting.py")
    assert line.startswith("sort[torch-cpu-float32]: declared 'order' did not occur: x x ")
    assert line.endswith("… (in opinfo/sorting.py)") and len(line.split(": ", 2)[2]) < 110


def test_the_parser_is_cheap_and_shows_its_example():
    done = subprocess.run([sys.executable, "-c", "import sys, parity.registry_check as m; "
                           "print(sorted(k for k in sys.modules if k.split('.')[0] in ('numpy', 'opinfo', 'torch')))"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
    shown = parity_check("--help").stdout
    assert registry_check.EXAMPLE in shown.splitlines()[-1]
