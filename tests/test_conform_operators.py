"""Conformance area ``operators``: array_api_strict, and a namespace whose ``__iadd__`` ignores its argument
and whose ``__rsub__`` subtracts the wrong way round (tests/conform_bug_xp.py)."""

from collections import Counter

import numpy as np
import pytest

from opinfo import conformance as spec
from parity import conform_operators as co
from parity import conformance
from parity.backends import get_backend
from parity.case import Case
from parity.conform_promotion import rules
from parity.conformance import Target

NUMERIC = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
           "complex64", "complex128")


def _checks(backend: str):
    return list(co.checks(Target(get_backend(backend), "cpu", "native", "2025.12")))


@pytest.fixture(scope="module")
def strict():
    return _checks("array_api_strict")


def test_operands_are_valid_for_their_function():
    x1, x2 = co.operands("int8", "bitwise_left_shift", 2)
    assert x1.shape == x2.shape and x2.min() >= 0 and x2.max() < 8
    assert 0 not in co.operands("uint16", "floor_divide", 2)[1]
    f1, f2 = co.operands("float64", "add", 2)
    assert np.isnan(f1).any() and np.signbit(f2[f2 == 0]).any() and np.isinf(f1).any()
    assert co.operands("float32", "matmul", 2)[0].shape == (2, 2)
    assert co.same(np.array([np.nan, -0.0]), np.array([np.nan, 0.0])).tolist() == [True, False]


def test_strict_conforms(strict):
    verdicts = Counter(c.verdict for c in strict)
    assert not [c for c in strict if c.verdict == "violates"], [
        (c.function, c.rule, c.dtype, c.library) for c in strict if c.verdict == "violates"]
    assert verdicts["conforms"] > 500
    # "In-place operations do not guarantee in-place mutation": strict's @= returns a new array.
    unspecified = [c for c in strict if c.verdict == "unspecified"]
    assert {c.function for c in unspecified} == {"__imatmul__"}
    assert all(c.rule == "@= mutates x1" and c.library == "__imatmul__ returns a new array" for c in unspecified)
    # strict's divide refuses integer operands (the standard: "the result is implementation-dependent"),
    # so its operators have nothing to be compared with.
    na = [c for c in strict if c.verdict == "n/a"]
    assert {c.function for c in na} == {"__truediv__", "__rtruediv__", "__itruediv__"}
    assert {c.dtype for c in na} == {d for d in NUMERIC if "int" in d}


def test_every_operator_and_dtype_is_checked(strict):
    ops = rules("2025.12")["operators"]
    seen = {(c.function, c.dtype) for c in strict}
    for name, op in ops.items():
        base = ops.get(op.get("of", name), op)
        for dtype in base["dtypes"]["self"]:
            assert (name, dtype) in seen, (name, dtype)
    rules_ = {(c.function, c.rule) for c in strict}
    assert ("__radd__", "x2.__radd__(x1) equals add(x1, x2)") in rules_
    assert ("__iadd__", "+= mutates x1") in rules_
    assert ("__neg__", "x.__neg__() equals negative(x)") in rules_


def test_planted_operator_bugs_are_found():
    checks = _checks("tests.conform_bug_xp:namespace")
    bad = [c for c in checks if c.verdict == "violates"]
    assert {c.function for c in bad} == {"__iadd__", "__rsub__"}
    assert {c.dtype for c in bad if c.function == "__iadd__"} == set(NUMERIC)
    assert {c.dtype for c in bad if c.function == "__rsub__"} == set(NUMERIC)
    iadd = next(c for c in bad if c.function == "__iadd__" and c.dtype == "int8")
    assert iadd.rule == "x1 += x2 equals add(x1, x2)"
    assert (iadd.required, iadd.library, iadd.numpy) == ("-6, -4, -2", "-3, -3, -3", "-6, -4, -2")
    assert iadd.follows == "neither" and iadd.elements < iadd.elements_total
    rsub = next(c for c in bad if c.function == "__rsub__" and c.dtype == "float64")
    assert rsub.rule == "x2.__rsub__(x1) equals subtract(x1, x2)" and "x1=" in rsub.input
    # __iadd__ returns x1 itself, so the mutation rule holds; only its value is wrong
    assert any(c.function == "__iadd__" and c.rule == "+= mutates x1" and c.verdict == "conforms" for c in checks)


def test_a_missing_operator_is_a_violation(monkeypatch):
    from tests import conform_bug_xp

    monkeypatch.delattr(conform_bug_xp.Array, "__rmul__")
    monkeypatch.delattr(conform_bug_xp.Array, "__imul__")
    checks = _checks("tests.conform_bug_xp:namespace")
    rmul = [c for c in checks if c.function == "__rmul__"]
    assert rmul and all(c.verdict == "violates" and c.library == "the array object has no __rmul__" for c in rmul)
    # no __imul__: Python falls back to __mul__, which the standard allows ("may choose to not explicitly
    # implement in-place Python operators"); the value is still checked
    imul = [c for c in checks if c.function == "__imul__"]
    assert {c.verdict for c in imul if c.rule == "*= mutates x1"} == {"unspecified"}
    assert {c.verdict for c in imul if c.rule != "*= mutates x1"} == {"conforms"}


# ------------------------------------------------------------------------------ every backend, torch's gaps


def _record(backend: str, surface: str = "native") -> dict:
    return conformance.run(Case(spec.PREFIX + "operators", backend, "cpu", "2025.12", surface), get_backend(backend))


def test_planted_operator_bugs_are_new_next_to_torchs_gaps():
    """torch's __radd__ gap covers only elements equal to add(x2, x1), its real-dtype __rtruediv__ gap only
    differences within 2 ulp, its complex __rtruediv__ gap only results equal to multiply(x1, reciprocal(x2)):
    a shifted sum and a quotient off by 2**-10 stay new, in every dtype."""
    status = {(d["function"], d["dtype"]): d["status"] for d in _record("conform_operators_bug:backend")["divergences"]}
    assert status[("__radd__", "complex64")] == status[("__radd__", "complex128")] == "new"
    assert {status[("__rtruediv__", d)] for d in NUMERIC if not d.startswith("complex")} == {"new"}
    assert status[("__rtruediv__", "complex64")] == status[("__rtruediv__", "complex128")] == "new"
    assert ("__radd__", "float64") not in status  # a real dtype's __radd__ still conforms


def test_outcome_tags():
    f32 = np.float32
    assert co._within_ulp(np.array([f32(1) + np.spacing(f32(1))]), np.array([f32(1)]))
    assert not co._within_ulp(np.array([f32(1.001)]), np.array([f32(1)]))
    assert not co._within_ulp(np.array([np.nan]), np.array([1.0]))
    assert not co._within_ulp(np.array([1, 2]), np.array([1, 3]))  # integers: no rounding to excuse
