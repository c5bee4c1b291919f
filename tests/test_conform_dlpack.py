"""Conformance area ``dlpack``: exact verdicts on array_api_strict, three injected-bug namespaces
(``tests/conform_dlpack_bug.py``); every backend's gaps are held in tests/test_conformance.py."""

import numpy as np
import pytest

from opinfo import conformance as spec
from parity import conform_dlpack as cd
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec


def _checks(name, version="2025.12", surface="native"):
    return list(cd.checks(Target(get_backend(name), "cpu", surface, version)))


@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_array_api_strict_conforms_to_every_rule(version):
    checks = _checks("array_api_strict", version)
    assert {c.verdict for c in checks} == {"conforms"}
    dtypes = load_spec(version)["dtypes"]["names"]
    round_trips = {(c.function, c.dtype) for c in checks if "keeps values" in c.rule or "reads the array" in c.rule}
    assert round_trips == {(f, d) for f in ("from_dlpack", "array.__dlpack__") for d in dtypes}
    assert "bool" in dtypes
    assert {c.rule for c in checks if c.function == "array.__dlpack__" and c.dtype is None} >= {
        "max_version=None", "max_version=(1, 0)", "dl_device of its own device", "dl_device of another"}


def test_the_device_types_come_from_the_standard():
    for version in spec.SPEC_VERSIONS:
        assert load_spec(version)["interchange"]["device_types"]["CPU"] == 1


def test_capsule_names_are_read_without_consuming():
    x = np.arange(3.0)
    capsule = x.__dlpack__(max_version=(1, 0))
    assert cd.capsule_name(capsule) == "dltensor_versioned" and cd.capsule_name(capsule) == "dltensor_versioned"
    assert cd.capsule_name(x) is None


@pytest.mark.parametrize(("namespace", "function", "rule"), [
    ("device_xp", "array.__dlpack_device__", "returns (CPU, 0) for a CPU array"),
    ("name_xp", "array.__dlpack__", "max_version=None"),
    ("copy_xp", "from_dlpack", "copy=True: an array of the library"),
])
def test_injected_bugs_are_found_and_nothing_else(namespace, function, rule):
    checks = _checks(f"conform_dlpack_bug:{namespace}")
    bad = {(c.function, c.rule) for c in checks if c.verdict == "violates"}
    assert (function, rule) in bad
    expected = {(function, rule)} | ({("from_dlpack", "copy=True: a NumPy array")} if namespace == "copy_xp" else set())
    assert bad == expected
    assert sum(c.verdict == "conforms" for c in checks) >= 50
