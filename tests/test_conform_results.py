"""Conformance area ``results``: the derived Returns rules, exact verdicts on array_api_strict, and a NumPy
namespace with planted result-dtype bugs (``tests/conform_results_bug.py``)."""

import pytest

from parity import conform_results as cr
from parity import conformance
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec

INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
ACCUMULATED = "dtype=None -> x's dtype, a narrower integer widened to the default integer's size"
#: What array_api_strict does not conform to (function, rule's first 60 characters, dtype, verdict):
#: - 2024.12 annotates broadcast_arrays and meshgrid ``-> List[array]``; strict returns tuples (2025.12's Tuple);
#: - concat, stack, where and the other functions promoting two or more arrays are the promotion area's;
#: - 2024.12's mean/std/var of an integer x "must have the default real floating-point data type", but x
#:   *should* be floating: strict refuses integers, which is its choice (unspecified), and the "may accept
#:   integers" sentence is no rule on a dtype (unparsed).
STRICT = {
    "2025.12": set(),
    "2024.12": {("broadcast_arrays", "returns a list", None, "violates"),
                ("meshgrid", "returns a list", None, "violates"),
                *((f, "While this specification recommends that this function only ", None, "unspecified")
                  for f in ("mean", "std", "var")),
                *((f, "the default real floating-point dtype", d, "unspecified") for f in ("mean", "std", "var")
                  for d in INTEGERS)},
}


def _checks(backend, version="2025.12", surface="native"):
    return list(cr.checks(Target(get_backend(backend), "cpu", surface, version)))


@pytest.mark.parametrize("version", ["2024.12", "2025.12"])
def test_array_api_strict(version):
    checks = _checks("array_api_strict", version)
    found = {(c.function, c.rule[:60], c.dtype, c.verdict) for c in checks if c.verdict != "conforms"}
    assert found == STRICT[version]
    assert sum(c.verdict == "conforms" for c in checks) > 1100  # where, concat, ...: the promotion area's
    by = {(c.function, c.rule, c.dtype): c.verdict for c in checks}
    assert by[("abs", "real floating-point of x's precision", "complex64")] == "conforms"
    assert by[("prod", ACCUMULATED, "uint8")] == "conforms"
    assert by[("unique_all", "named tuple fields values, indices, inverse_indices, counts", None)] == "conforms"
    assert by[("full", "dtype=None, the fill value is an ``int`` -> the default integer dtype", None)] == "conforms"


def test_injected_bugs_are_found_and_bounded():
    checks = _checks("conform_results_bug:xp")
    bad = {(c.function, c.rule, c.dtype) for c in checks if c.verdict == "violates"}
    numpy_own = {c for c in bad if c[0] in ("linalg.eig", "linalg.eigvals", "fft.fftfreq", "fft.rfftfreq")}
    assert bad - numpy_own == {
        *(("prod", ACCUMULATED, d) for d in ("uint8", "uint16", "uint32", "uint64")),
        *(("argmax", "the default index dtype", d) for d in (*INTEGERS, "float32", "float64")),
        *(("abs", "real floating-point of x's precision", d) for d in ("complex64", "complex128")),
        ("broadcast_arrays", "returns a tuple", None), ("unique_counts", "named tuple fields values, counts", None),
        ("fft.rfft", "complex floating-point of x's precision", "float32")}
    by = {(c.function, c.rule, c.dtype): c for c in checks}
    c = by[("prod", ACCUMULATED, "uint8")]
    assert (c.library, c.required, c.numpy, c.follows) == ("int64", "uint64", "uint64", "neither")
    assert "default_dtypes()" in by[("argmax", "the default index dtype", "int64")].required
    # neighbours still conform: the bugs are bounded to their class
    for key in [("prod", ACCUMULATED, "int8"), ("abs", "same as x", "float32"), ("argmin", "the default index dtype",
                "int8"), ("unique_counts", "counts: the default index dtype", "int8"),
                ("fft.rfft", "complex floating-point of x's precision", "float64"),
                ("broadcast_arrays", "same as each", "float64")]:
        assert by[key].verdict == "conforms", key
    divergences = conformance.judge(checks, [], "results")
    assert {d["status"] for d in divergences} == {"new"}


def test_rules_come_parsed_from_the_standard():
    new, old = load_spec("2025.12")["results"], load_spec("2024.12")["results"]
    assert [r["parsed"] for r in new["abs"]["rules"]][1] == {
        "when": {"param": "x", "dtypes": ["complex64", "complex128"]}, "form": "real-matching"}
    assert new["unique_all"]["fields"] == ["values", "indices", "inverse_indices", "counts"]
    assert new["linalg.eig"]["rules"][1]["parsed"] == {"form": "same-as", "of": "eigenvalues"}
    assert new["sum"]["dtype"]["none"] == {"form": "accumulated"} and new["sum"]["dtype"]["given"]
    assert new["isnan"]["rules"][0]["modal"] == "should"
    assert new["abs"]["inputs"]["x"]["modal"] == "should" and new["fft.rfft"]["inputs"]["x"]["modal"] == "must"
    assert (new["broadcast_arrays"]["annotation"], old["broadcast_arrays"]["annotation"]) == (
        "Tuple[array, ...]", "List[array]")
    assert "linalg.eig" not in old and new["fft.fftfreq"]["dtype"]["must_be"] == ["float32", "float64"]
    full = {r["scalar"]: r["form"] for r in new["full"]["dtype"]["none"]["rules"]}
    assert full == {"int": "default-integer", "float": "default-real", "complex": "default-complex", "bool": "bool"}


def test_requirements():
    ints = ("int32", "int64")  # a namespace without an info object: either default integer
    assert cr.accumulated("uint8", ("int64",)) == ("uint64",) and cr.accumulated("int16", ("int64",)) == ("int64",)
    assert cr.accumulated("uint64", ("int64",)) == ("uint64",) and cr.accumulated("float32", ("int64",)) == ("float32",)
    assert cr.accumulated("int32", ints) == ("int32", "int64")
    assert cr.accumulated("uint16", ints) == ("uint32", "uint64")
    dflt = dict(cr.STANDARD_DEFAULTS)
    assert cr.required({"form": "complex-matching"}, "float32", [], dflt) == ("complex64",)
    assert cr.required({"form": "real-matching"}, "complex128", [], dflt) == ("float64",)
    assert cr.required({"form": "promoted", "sentence": "a floating-point data type"}, "int8", [], dflt) is None
