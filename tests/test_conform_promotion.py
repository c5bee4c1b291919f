"""Conformance area ``promotion``: the derived rules (tools/derive_promotion.py), array_api_strict, and a
namespace with a planted promotion bug (tests/conform_bug_xp.py)."""

from collections import Counter
from pathlib import Path

import derive_promotion as derive
import pytest
from standard_mirror import MIRROR

from opinfo import conformance as spec
from parity import conform_promotion as cp
from parity import conform_promotion_calls as calls
from parity import conformance
from parity.backends import get_backend
from parity.case import Case
from parity.conformance import Target, unimplemented

VERSIONS = ("2024.12", "2025.12")


def _checks(backend: str, version: str = "2025.12"):
    return list(cp.checks(Target(get_backend(backend), "cpu", "native", version)))


@pytest.fixture(scope="module")
def strict():
    return _checks("array_api_strict")


# ------------------------------------------------------------------------------ the derived rules


def test_shipped_file_matches_the_standard():
    if not Path(MIRROR).exists():
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


@pytest.mark.parametrize("version", VERSIONS)
def test_functions_of_two_or_more_arrays(version):
    """The further functions whose result dtype the text ties to two or more arrays, each with its operands'
    dtypes and result rule as written, and a recipe to call it; not those whose result is another array's
    dtype (take), bool (isin), the index dtype (searchsorted), or promotes one required array (pinv)."""
    found = cp.rules(version)["calls"]
    assert set(found) == {"where", "concat", "stack", "clip", "tensordot", "vecdot", "linalg.cross", "linalg.outer",
                          "linalg.solve", "linalg.matmul", "linalg.tensordot", "linalg.vecdot"}
    where = found["where"]
    assert (where["parameters"], where["operands"]) == (["condition", "x1", "x2"], ["x1", "x2"])
    assert where["dtypes"]["condition"] == ["bool"] and len(where["dtypes"]["x1"]) == 13
    assert where["scalars"]["x2"] == ["bool", "int", "float", "complex"]
    assert "mixing-scalars" in where["scalar_sentence"]
    assert found["concat"]["sequence"]
    assert "normal :ref:`type-promotion` must apply" in found["concat"]["result_sentence"]
    clip = found["clip"]
    assert (clip["operands"], clip["result"], clip["binding"]) == (["x", "min", "max"], "same as x", "should")
    assert clip["dtypes"]["min"] == "same as x" and "different data type than ``x``" in clip["mixed_unspecified"]
    assert found["linalg.cross"]["dtypes"]["x1"] == found["tensordot"]["dtypes"]["x2"]  # "Must"/"Should": numeric
    assert found["linalg.solve"]["dtypes"]["x1"] == ["float32", "float64", "complex64", "complex128"]
    assert found["vecdot"]["dtypes"]["x2"] == found["linalg.solve"]["dtypes"]["x2"]
    assert (found["linalg.matmul"]["alias_of"], found["linalg.vecdot"]["alias_of"]) == ("matmul", "vecdot")
    assert all(c.recipe for c in calls.calls(version))


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
        if c.function == "clip" and "of different dtypes" in c.rule:  # bounds of another dtype than x's
            assert "behavior is unspecified" in c.sentence
        elif c.rule.endswith(": unspecified"):  # an integer array with a Python float or complex
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


def test_strict_promotes_in_every_function_of_two_or_more_arrays(strict):
    """Every pair the tables define within the operands' dtypes (73 of all dtypes, 72 numeric, 16 floating),
    where's scalars and 0-d operands, clip's same-dtype and scalar bounds; what the text leaves open, counted."""
    by = {}
    for c in strict:
        by.setdefault(c.function, Counter())[c.verdict] += 1
    pairs = {"concat": 73, "stack": 73, "linalg.cross": 72, "linalg.outer": 72, "linalg.matmul": 72, "tensordot": 72,
             "linalg.tensordot": 72, "vecdot": 16, "linalg.vecdot": 16, "linalg.solve": 16}
    assert {f: by[f] for f in pairs} == {f: Counter(conforms=n) for f, n in pairs.items()}
    assert by["where"]["conforms"] > 73 and by["clip"] == Counter(conforms=22, unspecified=2)
    rules = {(c.function, c.rule): c.verdict for c in strict}
    assert rules[("where", "x1 int8, x2 uint16 -> int32")] == "conforms"
    assert rules[("where", "x1 int8 n-d, x2 int16 0-d -> int16")] == "conforms"
    assert rules[("where", "x1 Python int, x2 uint8 array -> uint8")] == "conforms"
    assert rules[("concat", "arrays [float32, complex64] -> complex64")] == "conforms"
    assert rules[("linalg.solve", "x1 float32, x2 float64 -> float64")] == "conforms"
    assert rules[("clip", "x int8, min and max int8 -> int8")] == "conforms"
    assert rules[("clip", "x, min and max arrays of different dtypes: unspecified")] == "unspecified"


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


# ------------------------------------------------------------------------------ every backend, torch's gaps


def test_both_versions_share_the_rules():
    """2024.12 names 2025.12's rules (the derivation found them equal): one version checks both."""
    assert calls.data()["versions"]["2024.12"] == "2025.12"


def test_planted_bugs_are_new_next_to_torchs_gaps():
    """torch's gaps are bounded by what its failures show (an 'unimplemented' error naming the dtype, a
    result with the n-d operand's dtype, a refusal of two dtypes): a wrong dtype, another error, a
    'not implemented' for a dtype torch has, a 0-d result of a third dtype, a same-dtype refusal stay new."""
    name = "conform_promotion_bug:backend"
    record = conformance.run(Case(spec.PREFIX + "promotion", name, "cpu", "2025.12", "native"), get_backend(name))
    status = {(d["function"], d["rule"]): d["status"] for d in record["divergences"]}
    new = {k for k, s in status.items() if s == "new"}
    assert {f for f, _ in new} == {"add", "multiply", "bitwise_xor", "maximum", "matmul", "less", "where", "concat",
                                   "linalg.outer"}
    assert ("less", "x1 int8 n-d, x2 int16 0-d -> bool, the values of int16") in new  # wrong, not int8-compared
    assert ("add", "x1 uint16, x2 uint16 -> uint16") in new  # int32 where torch raises "not implemented"
    assert ("multiply", "x1 uint16, x2 int8 -> int32") in new  # an error that is not torch's "not implemented"
    assert ("bitwise_xor", "x1 uint8, x2 uint8 -> uint8") in new  # "not implemented for 'Byte'": torch has it
    assert ("maximum", "x1 int8 n-d, x2 int16 0-d -> int16") in new  # float64, not the n-d operand's int8
    assert {r for f, r in new if f == "matmul"} == {"x1 int8, x2 int8 -> int8"}  # one dtype refused
    # their neighbours keep torch's own failures, still known; no gap went stale
    assert status[("add", "x1 uint32, x2 int8 -> int64")] == "known"
    assert status[("multiply", "x1 uint32, x2 int8 -> int64")] == "known"
    assert status[("maximum", "x1 int8 array, x2 Python int -> int8")] == "known"
    assert status[("matmul", "x1 int8, x2 int16 -> int16")] == "known"
    assert status[("__add__", "x1 int8 n-d, x2 int16 0-d -> int16")] == "known"
    assert status[("greater", "x1 int8 n-d, x2 int16 0-d -> bool, the values of int16")] == "known"  # int8-compared
    # the functions of two or more arrays: where and concat keep x1's dtype, linalg.outer refuses two dtypes
    assert ("where", "x1 int8, x2 int16 -> int16") in new and ("concat", "arrays [uint8, int8] -> int16") in new
    assert ("linalg.outer", "x1 float32, x2 float64 -> float64") in new
    assert ("linalg.outer", "x1 int8, x2 uint16 -> int32") in new  # its own error, though torch's names uint16
    assert status[("where", "x1 int8, x2 uint16 -> int32")] == "known"  # torch's "Promotion for uint16 ..."
    assert status[("concat", "arrays [uint32, int8] -> int64")] == "known"
    assert status[("tensordot", "x1 int8, x2 int16 -> int16")] == "known"  # torch's own refusal of two dtypes
    assert ("linalg.outer", "x1 int8, x2 int8 -> int8") not in status  # one dtype: conforms
    checks = {(c.function, c.rule): c for c in _checks(name)}
    clip = checks[("clip", "x int8, min and max int8 -> int8")]  # float64 where x's dtype "should" be kept
    assert (clip.verdict, clip.library) == ("unspecified", "float64")
    assert "stale" not in status.values()


def test_outcome_tags():
    assert unimplemented("raises RuntimeError: Promotion for uint16, uint32, uint64 types is not supported, "
                         "attempted to promote UInt16 and Int8", ["uint16", "int8"]) == ("unimplemented:uint16",)
    assert unimplemented("raises NotImplementedError: \"add_stub\" not implemented for 'UInt32'",
                         ["uint32", "uint32"]) == ("unimplemented:uint32",)
    assert unimplemented("raises NotImplementedError: \"lshift\" not implemented for 'Byte'", ["uint8"]) == ()
    nd, zero = calls.Operand("int8"), calls.Operand("int16", shape=())
    assert calls.tags("int8", nd, zero, "int16") == ("0-d ignored",)
    assert calls.tags("float64", nd, zero, "int16") == ()
    assert calls.tags("int64", calls.Operand("int8"), calls.Operand("int8"), "int8") == ("widened",)
    assert calls.tags("uint64", calls.Operand("int8"), calls.Operand("int8"), "int8") == ()
    assert calls.tags(calls.Error("raises TypeError: no"), calls.Operand("int8"), calls.Operand("int16"), "int16") == (
        "raises", "refuses mixed dtypes")
    with pytest.raises(ValueError):
        spec.Gap("torch", "promotion", "*", "", reason="why", where="unimplemented")  # which dtype?


def test_jax_reads_dtypes_without_compiling_and_as_if_run():
    """JaxBackend.abstract traces (jax.eval_shape) on concrete inputs: a value-dependent branch
    (jnp.power of a concrete integer 0-d exponent keeps the base's dtype) is taken as when run, and
    what tracing refuses is run, so the error is the library's own."""
    backend = get_backend("jax")
    if backend.availability():
        pytest.skip("no jax")
    jnp = backend.namespace()
    x, e = jnp.ones(3, dtype=jnp.int8), jnp.asarray(2, dtype=jnp.int16)
    traced = backend.abstract(lambda: jnp.power(x, e))
    assert not isinstance(traced, type(x)) and traced.dtype == jnp.power(x, e).dtype == jnp.int8
    assert backend.abstract(lambda: x.__add__("a")) is NotImplemented
    with pytest.raises(TypeError):
        backend.abstract(lambda: jnp.add(x, "a"))
