"""Conformance area ``statistical``: the rules derived from statistical_functions.py, their verdicts on
array_api_strict, injected bugs (``tests/conform_statistical_bug.py``); every backend's record is in
tests/test_conformance.py."""

import math

import numpy as np
import pytest

from opinfo import conformance as spec
from parity import conform_statistical as cst
from parity.backends import get_backend
from parity.conformance import Target

NO_DOF = "- correction`` is less than or equal to ``0``"
REAL = ("float32", "float64")


def _checks(name, version="2025.12", surface="native"):
    return list(cst.checks(Target(get_backend(name), "cpu", surface, version)))


def _found(checks, verdict):
    return {(c.function, c.dtype) for c in checks if c.verdict == verdict}


@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_array_api_strict(version):
    checks = _checks("array_api_strict", version)
    # NumPy's divisor max(M - correction, 0): var([1, 2], correction=2) is inf, not NaN
    assert {(c.function, c.dtype) for c in checks if c.verdict == "violates" and NO_DOF in c.rule} == {
        (f, d) for f in ("std", "var") for d in REAL}
    assert _found(checks, "violates") == {(f, d) for f in ("std", "var") for d in REAL}
    bad = next(c for c in checks if c.verdict == "violates" and c.function == "var" and c.dtype == "float64")
    assert bad.input.startswith("var([1., 2.] float64, correction=2)") and bad.library.startswith("inf")
    assert bad.required.startswith("nan") and bad.follows == "numpy" and bad.elements == 3
    # left open: empty max/min, signed zeros, complex ordering, 0-d cumulative, complex prod
    assert _found(checks, "unspecified") == {
        ("max", "float64"), ("min", "float64"), ("max", "complex128"), ("min", "complex128"),
        ("cumulative_sum", "float64"), ("cumulative_prod", "float64"),
        *(((f, d)) for f in ("prod", "cumulative_prod") for d in ("complex64", "complex128"))}
    conforming = _found(checks, "conforms")
    assert {("sum", d) for d in (*REAL, "complex64", "complex128")} <= conforming
    assert {("mean", "complex64"), ("cumulative_sum", "complex128"), ("prod", "float32")} <= conforming
    assert sum(c.verdict == "conforms" for c in checks) == 50


def test_injected_bugs_are_violations_and_their_neighbours_conform():
    checks = _checks("conform_statistical_bug:xp")
    numpy = {(c.function, c.rule, c.dtype) for c in _checks("numpy") if c.verdict == "violates"}
    new = {(c.function, c.rule, c.dtype): c for c in checks if c.verdict == "violates"}
    found = {(f, d) for f, r, d in new.keys() - numpy}
    assert found == {(f, d) for f in ("max", "sum", "var", "mean") for d in REAL} | {
        ("sum", "complex64"), ("sum", "complex128"), ("mean", "complex64"), ("mean", "complex128")}
    by = {(c.function, c.rule.split(",")[0], c.dtype): c for c in checks}
    nanmax = by[("max", "If ``x_i`` is ``NaN``", "float64")]
    assert nanmax.verdict == "violates" and nanmax.follows == "neither" and nanmax.library.startswith("2.0")
    empty_sum = by[("sum", "If ``M`` is ``0``", "float32")]
    assert empty_sum.library.startswith("raises ValueError") and empty_sum.required.startswith("-0.0 or 0.0")
    assert by[("mean", "If ``M`` is ``0``", "float64")].library.startswith("0.0")
    divisor = next(c for c in checks if c.function == "var" and c.rule.startswith("degrees") and c.dtype == "float64")
    assert divisor.verdict == "violates" and "correction=1" in divisor.input
    # neighbours: the same functions' other rules, and the unbroken twins, still conform
    for function, rule in (("max", "For both"), ("min", "If ``x_i`` is ``NaN``"), ("sum", "For both"),
                           ("mean", "If ``x_i`` is ``NaN``"), ("std", "degrees"), ("prod", "If ``M`` is ``0``")):
        assert all(c.verdict in ("conforms", "n/a") for c in checks if c.function == function
                   and c.rule.startswith(rule)), (function, rule)
    assert all(c.verdict == "conforms" for c in checks if c.function == "var" and "NaN``, the" in c.rule)


def test_successive_application_allows_any_order_and_start():
    add = cst._fold_any(np.array([math.inf, -math.inf, 1.0]), "add", "float64")
    assert add(math.nan) and not add(math.inf)
    zeros = cst._fold_any(np.array([-0.0, -0.0]), "add", "float32")
    assert zeros(-0.0) and zeros(0.0)  # the fold may start from the empty sum +0
    product = cst._fold_any(np.array([-0.0, 3.0]), "multiply", "float64")
    assert product(-0.0) and not product(0.0)
    assert cst._fold_any(np.array([math.inf, 0.0, 2.0]), "multiply", "float32")(math.nan)
    assert not cst.exact(0.0)(1.0) and cst.exact(0.0)(-0.0) and cst.exact(complex(math.nan, math.nan))(
        complex(math.nan, math.nan)) and not cst.exact(complex(math.nan, math.nan))(complex(math.nan, 0))


def test_rules_come_parsed_from_the_standard():
    for version in spec.SPEC_VERSIONS:
        rules = cst.rules(version)
        assert set(rules) == {"cumulative_prod", "cumulative_sum", "max", "mean", "min", "prod", "std", "sum", "var"}
        parsed = [r["parsed"] for found in rules.values() for r in found if r["parsed"]]
        assert {"when": "empty", "result": {"value": "1"}} in parsed and {"as_if": "multiply"} in parsed
        mean = {r["sentence"]: r for r in rules["mean"]}
        component = next(r for s, r in mean.items() if s.startswith("If ``a`` is ``NaN``"))
        assert component["lead_modality"] == "should" and component["operands"] == "complex"
        unparsed = [r for found in rules.values() for r in found if r["parsed"] is None]
        assert all(r["unparsed"] for r in unparsed) and all("integer data type" in r["sentence"] for r in unparsed)
