"""Conformance area ``promotion``: the derived rules (tools/derive_promotion.py), array_api_strict, and a
namespace with a planted promotion bug (tests/conform_bug_xp.py)."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from parity import conform_promotion as cp
from parity.backends import get_backend
from parity.conformance import Target

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("derive_promotion", ROOT / "tools" / "derive_promotion.py")
derive = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(derive)

VERSIONS = ("2024.12", "2025.12")


def _checks(backend: str, version: str = "2025.12"):
    return list(cp.checks(Target(get_backend(backend), "cpu", "native", version)))


@pytest.fixture(scope="module")
def strict():
    return _checks("array_api_strict")


# ------------------------------------------------------------------------------ the derived rules


def test_shipped_file_matches_the_standard():
    if not Path(derive.MIRROR).exists():
        pytest.skip("no data-apis/array-api mirror here")
    assert derive.main(["--check"]) == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_the_tables(version):
    table = cp.table(version)
    undefined = {(u["x1"], u["x2"]): u for u in cp.rules(version)["promotion"]["undefined"]}
    assert table[("int8", "uint8")]["result"] == "int16"
    assert table[("uint8", "int8")]["result"] == "int16"  # the mixed table gives (signed, unsigned) only
    assert "does not depend on operand order" in table[("uint8", "int8")]["sentence"]
    assert table[("uint32", "int64")]["result"] == "int64"
    assert table[("float32", "complex64")]["result"] == "complex64"
    assert table[("float64", "complex64")]["result"] == "complex128"
    assert table[("bool", "bool")]["result"] == "bool"
    assert ("uint64", "int64") not in table and undefined[("uint64", "int64")]["status"] == "not defined"
    assert "Mixed integer and floating-point" in undefined[("int8", "float32")]["sentence"]
    assert "non-numerical" in undefined[("bool", "int8")]["sentence"]
    assert len(table) + len(undefined) == 13 * 13
    assert len(table) == 16 + 16 + 24 + 16 + 1  # signed, unsigned, mixed both ways, floating, bool
    for (x1, x2), e in table.items():  # symmetric, and the result is one of the two or wider
        assert table[(x2, x1)]["result"] == e["result"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_scalar_rules(version):
    scalars = cp.rules(version)["promotion"]["scalars"]
    allowed = {(r["scalar"], d): r["result"] for r in scalars["allowed"] for d in r["dtypes"]}
    assert allowed[("bool", "bool")] == "array"
    assert allowed[("int", "uint8")] == "array"
    assert allowed[("float", "float32")] == "array"
    assert allowed[("complex", "float32")] == "complex of the array's precision"
    assert ("float", "int8") not in allowed and ("bool", "int8") not in allowed
    unspecified = {(r["scalar"], d) for r in scalars["unspecified"] for d in r["dtypes"]}
    assert unspecified == {(s, d) for s in ("float", "complex") for d in
                           ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")}
    assert scalars["excluded_operators"] == ["__matmul__"]


@pytest.mark.parametrize("version", VERSIONS)
def test_functions_and_operators(version):
    r = cp.rules(version)
    f, ops = r["functions"], r["operators"]
    assert f["add"]["scalars"] == {"x1": ["int", "float", "complex"], "x2": ["int", "float", "complex"]}
    assert f["bitwise_and"]["dtypes"]["x1"] == ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
                                                 "uint32", "uint64"]
    assert f["atan2"]["dtypes"]["x1"] == ["float32", "float64"]
    assert f["greater"]["result"] == "bool" and f["logical_and"]["result"] == "bool"
    assert f["nextafter"]["dtypes"]["x2"] == "same as x1" and f["nextafter"]["result"] == "same as x1"
    assert "integer" in f["divide"]["unspecified"][0]["sentence"]
    assert f["matmul"]["scalars"] == {"x1": [], "x2": []}
    assert (ops["__add__"]["function"], ops["__add__"]["symbol"]) == ("add", "x1 + x2")
    assert (ops["__radd__"]["form"], ops["__radd__"]["of"]) == ("reflected", "__add__")
    assert (ops["__iadd__"]["form"], ops["__iadd__"]["symbol"]) == ("in-place", "+=")
    assert ops["__neg__"]["form"] == "unary" and ops["__neg__"]["function"] == "negative"
    assert ops["__lt__"]["function"] == "less" and ops["__matmul__"]["function"] == "matmul"
    assert ops["__lshift__"]["result"] == "same as self"  # while bitwise_left_shift's is promoted: ambiguous
    assert {n for n, o in ops.items() if o["form"] == "in-place"} == {
        f"__i{n}__" for n in ("add", "sub", "mul", "truediv", "floordiv", "pow", "mod", "matmul", "and", "or", "xor",
                              "lshift", "rshift")}


# ------------------------------------------------------------------------------ array_api_strict

#: The shift operators' result "must have the same data type as ``self``" while they "must equal"
#: bitwise_left_shift / bitwise_right_shift, whose result is promoted: for int8 << int16 the standard
#: requires both int8 and int16. Strict gives the promoted dtype, so these are ambiguous, not violations.
SHIFTS = {"__lshift__", "__rshift__", "__rlshift__", "__rrshift__"}


def test_strict_conforms(strict):
    verdicts = Counter(c.verdict for c in strict)
    assert not [c for c in strict if c.verdict == "violates"], [
        (c.function, c.rule, c.library) for c in strict if c.verdict == "violates"]
    assert verdicts["conforms"] > 5000
    ambiguous = [c for c in strict if c.verdict == "ambiguous"]
    assert {c.function for c in ambiguous} == SHIFTS
    assert all(" or " in c.rule for c in ambiguous)


def test_strict_unspecified_cases_are_what_the_standard_leaves_open(strict):
    for c in strict:
        if c.verdict != "unspecified":
            continue
        if c.rule.endswith(": unspecified"):  # an integer array with a Python float or complex
            assert "Behavior is not specified when mixing a Python" in c.sentence
        elif "real-valued floating-point or an error" in c.rule:  # divide of integers
            assert c.function in ("divide", "__truediv__", "__rtruediv__", "__itruediv__")
        else:  # x1 int8 += x2 int16: strict refuses, the standard leaves the casting open
            assert c.function.startswith("__i") and "stays" in c.rule and c.library.startswith("raises")


def test_every_function_and_operator_is_checked(strict):
    functions = {c.function for c in strict}
    ops = cp.rules("2025.12")["operators"]
    binary = {n for n, o in ops.items() if o["form"] != "unary"}
    assert binary <= functions
    assert set(cp.rules("2025.12")["functions"]) <= functions
    rules = {(c.function, c.rule) for c in strict}
    assert ("add", "x1 int8, x2 uint8 -> int16") in rules
    assert ("__radd__", "x1 Python float, x2 float32 array -> float32") in rules
    assert ("__iadd__", "x1 float32 array, x2 Python complex: stays float32 (promoted complex64)") in rules
    assert ("add", "x1 int8 n-d, x2 int16 0-d -> int16") in rules
    assert ("greater", "x1 int8, x2 uint8 -> bool") in rules
    assert len(rules) == len(strict), "rule ids are unique per function"


# ------------------------------------------------------------------------------ a planted bug


def test_a_planted_promotion_bug_is_found():
    checks = _checks("tests.conform_bug_xp:namespace")
    bad = {(c.function, c.rule): c for c in checks if c.verdict == "violates"}
    assert set(bad) == {("add", "x1 int8, x2 uint8 -> int16"), ("add", "x1 uint8, x2 int8 -> int16"),
                        ("add", "x1 uint8 n-d, x2 int8 0-d -> int16"), ("add", "x1 int8 0-d, x2 uint8 n-d -> int16")}
    c = bad[("add", "x1 int8, x2 uint8 -> int16")]
    assert (c.required, c.library, c.numpy, c.follows) == ("int16", "int8", "int16", "neither")
    assert c.input == "add(x1, x2); x1: int8 array of shape (3,), x2: uint8 array of shape (3,)"
    assert ("__add__", "x1 int8, x2 uint8 -> int16") in {(c.function, c.rule) for c in checks
                                                          if c.verdict == "conforms"}


def test_older_version_runs_too():
    checks = _checks("array_api_strict", "2024.12")
    assert checks and not [c for c in checks if c.verdict == "violates"]
