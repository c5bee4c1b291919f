"""Conformance area ``indexing``: the rules derived from indexing.rst and the two methods' docstrings,
run on array_api_strict (exact verdicts), on injected bugs (``tests/conform_indexing_bug.py``), and
__setitem__ on mutable and immutable arrays (every backend's gaps: tests/test_conformance.py)."""

import numpy as np
import pytest
from test_conformance import _record

from parity import conform_indexing as ci
from parity.backends import get_backend
from parity.conform_indexing_cases import ASSIGNMENT, OPEN, RULES, Rule
from parity.conformance import Target
from parity.coverage import load_spec

VERSIONS = ("2024.12", "2025.12")
GET, SET = "__getitem__", "__setitem__"
#: What array_api_strict does not conform to, besides the rules the standard leaves open:
#: a negative-step slice whose stop is -n-1 (x1[4:-6:-1]) raises IndexError, though "For ``k < 0``,
#: ``-n - 1 <= j <= max(0, n - 1)``" is a range that "must be supported".
STRICT_VIOLATES = {(GET, "slice, bounds in the required ranges")}
#: Open in both versions; strict raises on most of them (fewer expressions than axes, slices with
#: integer arrays, lists, out-of-bounds bounds, masks combined with other indices, integer-array and
#: None keys in __setitem__, values that do not promote).
OPEN_BOTH = {(GET, r) for r in (
    "integer index, out of bounds", "slice, bounds out of the required ranges", "fewer expressions than axes",
    "integer arrays with slices", "integer arrays, fewer than the axes", "array-like index",
    "integer arrays of other integer dtypes", "integer arrays, out of bounds", "mask with other index expressions")} | {
    (SET, "integer arrays"), (SET, "None")}
STRICT_OPEN = {"2024.12": OPEN_BOTH | {(SET, "Python scalar of another kind"), (SET, "value of another dtype")},
               "2025.12": OPEN_BOTH | {(SET, "value not promotable to self's dtype")}}
#: A NumPy subclass keeps NumPy's own departure: one element comes back as a NumPy scalar.
NUMPY = {(GET, "single value, 0-d array"), (GET, "rank 0 with () and ...")}


def _checks(backend, version="2025.12"):
    return list(ci.checks(Target(get_backend(backend), "cpu", "native", version)))


def _violated(checks):
    return {(c.function, c.rule) for c in checks if c.verdict == "violates"}


@pytest.mark.parametrize("version", VERSIONS)
def test_array_api_strict(version):
    checks = _checks("array_api_strict", version)
    assert _violated(checks) == STRICT_VIOLATES
    assert {(c.function, c.rule) for c in checks if c.verdict == "unspecified"} == STRICT_OPEN[version]
    assert sum(c.verdict == "conforms" for c in checks) >= 60
    bad = next(c for c in checks if c.verdict == "violates")
    assert "x1[4:-6:-1]" in bad.input and bad.library.startswith("raises IndexError")
    assert bad.required.startswith("[4, 3, 2, 1, 0] shape (5,)") and bad.follows == "neither"
    assert bad.sentence == "The following ranges for the start and stop values of a slice must be supported."
    dtypes = {c.dtype for c in checks if c.rule == "result dtype"}
    assert dtypes == set(load_spec(version)["dtypes"]["names"])  # every standard dtype


BUGS = {
    "negative_step": {(GET, "slice, steps"), (GET, "slice, negative step, start omitted"),
                      (GET, "slice, negative step, stop omitted"), (GET, "slice, bounds in the required ranges"),
                      (SET, "slice, negative step")},
    "column_major": {(GET, "mask, row-major order")},
    "negative_int": {(GET, "integer index, negative"), (GET, "selection tuple"), (GET, "integer as a slice, negative"),
                     (SET, "integer index")},
    "setitem_ellipsis": {(SET, "ellipsis"), (SET, "every dtype")},  # x2[..., 0] = v among the every-dtype inputs
}


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_injected_bugs_are_found_and_bounded(bug):
    checks = _checks(f"conform_indexing_bug:{bug}")
    assert _violated(checks) == BUGS[bug] | NUMPY
    assert all(c.follows == "neither" for c in checks if (c.function, c.rule) in BUGS[bug])


def test_injected_bug_details():
    steps = next(c for c in _checks("conform_indexing_bug:negative_step") if c.rule == "slice, steps")
    assert "(float64); x1[4:0:-1]" in steps.input and steps.library.startswith("[4.0, 3.0, 2.0] shape (3,)")
    assert steps.required.startswith("[4.0, 3.0, 2.0, 1.0] shape (4,), dtype float64")
    assert steps.numpy.startswith("[4.0, 3.0, 2.0, 1.0] shape (4,)") and steps.elements == 2
    order = next(c for c in _checks("conform_indexing_bug:column_major") if c.rule == "mask, row-major order")
    assert order.library.startswith("[0, 8, 5, 9, 2, 6] shape (6,)") and order.numpy.startswith("[0, 2, 5, 6, 8, 9]")
    # the mask's shape rule still conforms: only the order is wrong
    assert next(c for c in _checks("conform_indexing_bug:column_major")
                if c.rule == "mask, rank at most the array's").verdict == "conforms"


def test_a_library_may_omit_boolean_indexing_only_where_it_says_so():
    """The text lets graph-building libraries omit masks; the library's capabilities() says whether it does."""
    omitted, claimed = _checks("conform_indexing_bug:masks_omitted"), _checks("conform_indexing_bug:masks_claimed")
    masks = {c.rule for c in claimed if "mask" in c.rule and c.verdict == "violates"}
    assert {"mask", "mask, row-major order", "0-d mask"} <= masks
    assert all("raises" in c.tags for c in claimed if c.rule in masks)
    assert not {c.rule for c in omitted if c.verdict == "violates"} & masks
    assert {c.verdict for c in omitted if c.rule in masks} == {"unspecified"}


def test_a_python_scalar_result_breaks_the_array_and_dtype_rules_but_not_slices():
    checks = _checks("conform_indexing_bug:python_scalar")
    violated = _violated(checks)
    assert {(GET, "single value, 0-d array"), (GET, "rank 0 with () and ..."), (GET, "integer index, negative"),
            (GET, "0-d integer arrays"), (GET, "result dtype")} <= violated
    assert not {r for f, r in violated if r.startswith("slice") or r.startswith("mask") or r == "None"}
    zero_d = next(c for c in checks if c.rule == "single value, 0-d array")
    assert zero_d.library.startswith("2 shape (), a int, not an array, dtype None; 4.0 shape (), a float")
    assert zero_d.required.startswith("a 0-d array holding 2; a 0-d array holding 4.0")
    assert {c.dtype for c in checks if c.rule == "result dtype" and c.verdict == "violates"} >= {"float64", "bool"}


# ------------------------------------------------------------------------------ from the standard


def test_every_rule_names_a_derived_sentence_and_binds_as_it_says():
    """Each rule's sentence is in the derived data (a version-specific one in its version only), and a
    checked rule is never one the text words as should/may/unspecified."""
    found = {v: ci.sentences(load_spec(v)) for v in VERSIONS}
    only = {"Python scalar": "2024.12", "Python scalar of another kind": "2024.12", "value of another dtype": "2024.12",
            "value promoted to self's dtype": "2025.12", "value promoted to self's dtype, float": "2025.12",
            "value not promotable to self's dtype": "2025.12"}
    for rule in (ASSIGNMENT, *RULES):
        have = {v for v in VERSIONS if ci.find(found[v], rule.where, rule.fragment)}
        assert have == ({only[rule.label]} if rule.label in only else set(VERSIONS)), rule.label
        sentence = ci.find(found[next(iter(have))], rule.where, rule.fragment)
        if rule.kind != OPEN:
            assert ci.binding(rule, sentence), (rule.label, sentence)
    modal = {s["sentence"]: s["modal"] for s in found["2025.12"]["Slice Syntax"]}
    assert modal["The behavior outside of these bounds is unspecified."] == "unspecified"
    assert modal["For ``k < 0``, ``-n - 1 <= j <= max(0, n - 1)``."] is None
    assert "no None" in next(c for c in _checks("numpy") if c.function == SET and c.rule == "None").required


def test_numpy_gives_a_result_wherever_one_is_required():
    """The reference itself: every required input indexes NumPy without an error (a must-raise one raises)."""
    for rule in (ASSIGNMENT, *RULES):
        if rule.kind == OPEN:
            continue
        for item in rule.inputs:
            (name, key), value = item if rule.function == SET else (item, None)
            out = ci.put_numpy(name, key, value, "int32") if rule.function == SET else ci.get_numpy(name, key, "int32")
            assert (out.raised is not None) == (rule.kind in ("IndexError", "exception")), (rule.label, out.show())


def test_expressions_read_as_python():
    assert ci.expression("x2", (slice(1, -1, 2), Ellipsis)) == "x2[1:-1:2, ...]"
    assert ci.expression("x0", ()) == "x0[()]" and ci.expression("x1", slice(None, None, -1)) == "x1[::-1]"
    assert ci.expression("x1", (None,)) == "x1[None,]" and ci.expression("x1", 2, 9, setting=True) == "x1[2] = 9"
    rule = Rule(GET, "r", "w", "f", "value", ())
    assert ci.binding(rule, {"modal": None}) and not ci.binding(rule, {"modal": "should"})


def test_a_missing_dtype_is_not_numpys_default():
    """``None == np.dtype('float64')`` holds in NumPy: a result without a dtype must not pass for float64."""
    out = ci._observed(1.0, np.zeros(2), np.asarray)
    assert not out.same_dtype and not out.is_array


# -------------------------------------------------------------------- every backend: no new, no stale


@pytest.mark.parametrize("backend", ["jax", "numpy"])
def test_item_assignment_is_checked_where_arrays_are_mutable(backend):
    """JAX's immutable arrays break the plainest assignment once, and nothing else of __setitem__ is seen."""
    pytest.importorskip(backend)
    setitem = _record(backend, "indexing")["checked"]["__setitem__"]
    if backend == "jax":
        assert setitem.get("violates") == 1 and set(setitem) == {"violates", "n/a"}
    else:
        assert setitem.get("conforms", 0) >= 8
