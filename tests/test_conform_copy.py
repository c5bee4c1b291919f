"""Conformance area ``copy``: exact verdicts on array_api_strict, an injected-bug namespace
(``tests/conform_copy_bug.py``); every backend's gaps are held in tests/test_conformance.py."""

import pytest

from opinfo import conformance as spec
from parity import conform_copy as cc
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec

TRANSPOSED = "copy=False (Raises): a transposed array (no view is possible)"


def _checks(name, version="2025.12", surface="native"):
    return list(cc.checks(Target(get_backend(name), "cpu", surface, version)))


@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_array_api_strict(version):
    checks = _checks("array_api_strict", version)
    found = {(c.function, c.rule, c.dtype, c.verdict) for c in checks if c.verdict not in ("conforms", "n/a")}
    # strict's reshape(copy=False) of a transposed array raises AttributeError: the text says "should" ValueError
    assert found == {("reshape", TRANSPOSED, d, "unspecified") for d in cc.DTYPES} | {
        ("asarray", "an object with only __dlpack__", None, "unspecified")}
    assert sum(c.verdict == "conforms" for c in checks) >= 50
    assert {c.function for c in checks} == {"asarray", "astype", "reshape"}


def test_functions_and_rules_come_from_the_standard():
    for version in spec.SPEC_VERSIONS:
        functions = load_spec(version)["interchange"]["functions"]
        assert {f for f, e in functions.items() if "copy" in e} == {"asarray", "astype", "reshape", "from_dlpack",
                                                                     "array.__dlpack__"}
        assert [v for _, v, _ in cc.rules(functions["reshape"])] == ["True", "False", "None", "False"]
        assert [v for _, v, _ in cc.rules(functions["astype"])] == ["True", "False"]


def test_injected_copy_bugs_are_found_and_nothing_else():
    checks = _checks("conform_copy_bug:xp")
    bad = {(c.function, c.rule) for c in checks if c.verdict == "violates"}
    assert bad == {("asarray", "copy=True: an array of the library"),
                   ("asarray", "copy=False: a NumPy array (buffer protocol)"),
                   ("astype", "copy=False: the same dtype"),
                   ("reshape", "copy=False: a transposed array (no view is possible)")}
    view = next(c for c in checks if c.rule == "copy=True: an array of the library" and c.dtype == "float32")
    assert view.library == "an array sharing the source's memory" and view.follows == "neither"
    # the neighbours conform: copy=True of a NumPy array, astype to another dtype, reshape of a contiguous array
    for rule in ("copy=True: a NumPy array (buffer protocol)", "copy=False: another dtype",
                 "copy=False: a C-contiguous array (a view is possible)", "copy=False: a nested Python list"):
        assert {c.verdict for c in checks if c.rule == rule} == {"conforms"}, rule


def test_immutable_arrays_leave_aliasing_unspecified_but_must_raise_rules_are_checked():
    seen = cc.Seen(value=object(), shared=None, mode="immutable")
    item = cc.Input("library", None, None, None, "reuse")
    assert cc.verdict("reshape", "True", False, item, seen, False)[0] == "unspecified"
    must_raise = cc.Input("python", None, None, None, "copy")
    assert cc.verdict("asarray", "False", False, must_raise, seen, False)[0] == "violates"
