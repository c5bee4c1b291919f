"""Registry-wide checks: every entry is complete and sound; malformed entries fail clearly."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings

import opinfo
from opinfo.spec import Expected, OpInfo, RegistryError, Sample, validate

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
    for op in OPS:
        for exp in op.expected:
            assert exp.reason.strip() and len(exp.reason) > 20, (op.name, exp)


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
    ({"expected": (Expected("torch", "error", reason=" "),)}, "expected[0].reason"),
    ({"expected": (Expected("torch", "error", reason="r", link="ftp://x"),)}, "expected[0].link"),
    ({"expected": (Expected("torch", "error", reason="r", dtypes=("int8",)),)}, "expected[0].dtypes"),
    ({"expected": (Expected("torch", "error", reason="r", versions={"numpy": "<<2"}),)}, "expected[0].versions"),
    ({"spellings": {"torch": 3}}, "spellings"),
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
