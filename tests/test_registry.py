"""Registry-wide checks: every entry is complete and sound; malformed entries fail clearly."""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings

import opinfo
from opinfo.spec import (
    ANY_BACKEND,
    BACKEND_ENTRY_POINTS,
    BUILTIN_BACKENDS,
    Expected,
    OpInfo,
    RegistryError,
    Sample,
    op,
    reference_name,
    validate,
)

OPS = list(opinfo.REGISTRY.values())


def test_registry_size_and_required_ops():
    assert len(OPS) >= 60
    required = {"moveaxis", "percentile", "quantile", "cumulative_trapezoid", "entropy", "amax", "amin", "sort",
                "argsort", "max", "linalg.eig", "linalg.eigvals", "linalg.cholesky"}
    assert required <= set(opinfo.REGISTRY)
    families = {op.family for op in OPS}
    assert {"elementwise-unary", "elementwise-binary", "reduction", "sorting", "set", "manipulation", "creation",
            "linalg"} <= families


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_entry_has_samples_for_every_dtype(op):
    for dtype in op.dtypes:
        samples = op.samples(np.dtype(dtype))
        assert samples, f"{op.name} has no fixed samples for {dtype}"
        assert all(isinstance(s, Sample) for s in samples)
        assert op.ref is not None


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_strategy_draws_samples(op):
    dtype = np.dtype(op.dtypes[-1])

    @settings(max_examples=3, database=None, deadline=None)
    @given(op.strategy(dtype))
    def draw(sample):
        assert isinstance(sample, Sample)

    draw()


def test_every_declared_divergence_has_a_reason():
    for entry in OPS:
        for exp in entry.expected:
            assert exp.reason.strip() and len(exp.reason) > 20, (entry.name, exp)


def _entry(**changes):
    base = OpInfo(name="demo", family="elementwise-unary", ref=np.abs, dtypes=("float32",),
                  samples=lambda dt: [Sample((np.zeros(1, dt),))], strategy=lambda dt: None)
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"family": "misc"}, "family"),
    ({"ref": None}, "ref"),
    ({"dtypes": ()}, "dtypes"),
    ({"dtypes": ("float128",)}, "dtypes"),
    ({"expected": (Expected("torch", "wrong", reason="x"),)}, "expected[0].category"),
    ({"expected": (Expected("torch", "error", match="r", reason=" "),)}, "expected[0].reason"),
    ({"expected": (Expected("torch", "error", match="r", reason="r", link="ftp://x"),)}, "expected[0].link"),
    ({"expected": (Expected("torch", "error", match="r", reason="r", dtypes=("int8",)),)}, "expected[0].dtypes"),
    ({"expected": (Expected("torch", "error", match="r", reason="r", versions={"numpy": "<<2"}),)},
     "expected[0].versions"),
    ({"spellings": {"torch": 3}}, "spellings"),
    ({"spellings": {"troch": "abs"}}, "spellings"),
    ({"array_api_spellings": {"jaxx": "abs"}}, "array_api_spellings"),
    ({"expected": (Expected("jaxx", "error", match="r", reason="r"),)}, "expected[0].backend"),
    ({"expected": (Expected(("torch", "jaxx"), "error", reason="r"),)}, "expected[0].backend"),
    ({"expected": (Expected((), "error", reason="r"),)}, "expected[0].backend"),
    ({"expected": (Expected("torch", "error", reason="r", match="(unclosed"),)}, "expected[0].match"),
])
def test_malformed_entry_fails_with_one_line_naming_op_and_field(changes, field):
    with pytest.raises(RegistryError) as info:
        validate(_entry(**changes))
    message = str(info.value)
    assert "\n" not in message
    assert f"field {field!r}" in message
    assert "opinfo" in message


def test_duplicate_names_are_refused():
    with pytest.raises(RegistryError, match="declared twice"):
        opinfo.build_registry([_entry(), _entry()])


def test_select_by_glob_and_family():
    eig = {op.name for op in opinfo.select(["linalg.eig*"])}
    assert {"linalg.eig", "linalg.eigvals", "linalg.eigh"} <= eig
    assert all(name.startswith("linalg.eig") for name in eig)
    assert all(op.family == "linalg" for op in opinfo.select(["linalg"]))
    assert opinfo.unmatched(["nosuchop", "sort"]) == ["nosuchop"]


# --------------------------------------------------------------------------- backends in declarations and spellings
def test_builtin_backends_are_the_engines():
    """opinfo cannot import parity, so it keeps its own list of the built-in backends: the same list."""
    from parity.backends import ENTRY_POINT_GROUP, builtin_backends

    assert BUILTIN_BACKENDS == tuple(builtin_backends())
    assert BACKEND_ENTRY_POINTS == ENTRY_POINT_GROUP


def test_unknown_backend_is_one_line_naming_it():
    with pytest.raises(RegistryError) as info:
        validate(_entry(expected=(Expected("jaxx", "error", match="r", reason="r"),)))
    assert str(info.value).startswith("opinfo 'demo': field 'expected[0].backend': unknown backend 'jaxx' (known: "
                                      "numpy, array_api_strict, torch, jax, dask, cupy")


def test_a_declaration_may_name_several_backends():
    exp = Expected(("torch", "jax"), "error", match="r", reason="r")
    assert exp.backends == ("torch", "jax") and Expected("torch", "error", match="r", reason="r").backends == ("torch",)
    assert [b for b in BUILTIN_BACKENDS if exp.applies(b, "float32", "cpu", "native", {})] == ["torch", "jax"]
    validate(_entry(expected=(exp,)))


def test_spelling_falls_back_to_any_backend_then_the_name():
    entry = _entry(spellings={"torch": "absolute", ANY_BACKEND: "fabs"}, array_api_spellings={"jax": "abs2"})
    validate(entry)
    assert entry.spelling("torch", "native") == "absolute"
    assert entry.spelling("mylib.xp:ns", "native") == "fabs"
    assert entry.spelling("jax", "array-api") == "abs2"
    assert entry.spelling("numpy", "array-api") == "demo"


def test_user_backends_get_the_array_api_correction():
    """std/var spell ddof as correction for every Array API namespace, a module:attribute one included."""
    for name in ("std", "var"):
        entry = opinfo.get_op(name)
        assert callable(entry.spelling("numpy", "array-api")) and callable(entry.spelling("mylib:xp", "array-api"))


# --------------------------------------------------------------------------- op(): the one constructor
@pytest.mark.parametrize(("name", "ref", "expected"), [
    ("sort", np.sort, "numpy.sort"),
    ("linalg.eig", np.linalg.eig, "numpy.linalg.eig"),
    ("fft.fft", np.fft.fft, "numpy.fft.fft"),
    ("add", np.add, "numpy.add"),
    ("abs", np.abs, "numpy.abs"),  # np.abs is np.absolute: the op's own spelling
    ("absolute_value", np.abs, "numpy.absolute"),
    ("special.gamma", scipy.special.gamma, "scipy.special.gamma"),
    ("logsumexp", scipy.special.logsumexp, "scipy.special.logsumexp"),  # defined in scipy.special._logsumexp
    ("cube", lambda x: x**3, ""),
    ("helper", validate, ""),  # the registry's own functions are no reference
])
def test_reference_name_is_derived_from_the_reference(name, ref, expected):
    assert reference_name(name, ref) == expected


def test_every_entry_reads_as_its_reference():
    for entry in OPS:
        assert entry.reference_name.startswith(("numpy.", "scipy.")), entry.name


def test_op_builds_an_entry_and_refuses_what_it_cannot_name():
    samples, strategy = (lambda dt: [Sample((np.zeros(1, dt),))]), (lambda dt: None)
    entry = op("demo", "elementwise-unary", np.sort, ("float32",), samples, strategy, expected=[])
    assert entry.reference_name == "numpy.sort" and entry.expected == ()
    named = op("demo", "elementwise-unary", lambda x: x, ("float32",), samples, strategy, reference_name="x")
    assert named.reference_name == "x"
    for call, field in ((lambda: op("demo", "elementwise-unary", lambda x: x, ("float32",), samples, strategy),
                         "reference_name"),
                        (lambda: op("demo", "elementwise-unary", np.sort, ("float32",), samples), "strategy"),
                        (lambda: op("demo", "elementwise-unary", np.sort, ("float32",), samples, strategy, doc_="x"),
                         "doc_")):
        with pytest.raises(RegistryError, match=f"^opinfo 'demo': field '{field}': "):
            call()


# --------------------------------------------------------------------------- a light package
def _imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_the_vocabulary_does_not_build_the_registry():
    loaded = _imported_after("import opinfo; from opinfo.spec import RegistryError; from opinfo import compare")
    assert "opinfo.registry" not in loaded and "opinfo.elementwise" not in loaded
    assert not any(m == "parity" or m.startswith("parity.") for m in loaded)
    assert {"opinfo.registry", "opinfo.elementwise"} <= _imported_after("from opinfo import get_op")
