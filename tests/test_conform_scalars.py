"""Conformance area ``scalars``: the conversion rules derived from the standard, run on array_api_strict,
on an injected bug (``tests/conform_scalars_bug.py``), and the engine's comparisons on their own."""

import math

import numpy as np
import pytest

from parity import conform_scalars as cs
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec

NAN_COMPLEX = "If ``self`` is ``NaN``, the result is ``NaN + NaN j``."
NAN_INT = "If ``self`` is ``NaN``, raise ``ValueError``."
ZERO_D = "zero-dimensional array instance."
INTEGER_ONLY = "Should have an integer data type."

#: What array_api_strict (NumPy underneath) does not conform to, with the standard's sentence as key.
#: - ``complex(x)`` of a NaN array: the standard says "If ``self`` is ``NaN``, the result is ``NaN + NaN j``";
#:   strict, like NumPy and Python's ``complex(float('nan'))``, gives ``nan+0j`` (every library measured
#:   does): a finding about the standard as much as about strict.
#: - Every conversion's operand is a "zero-dimensional array instance": for a 1-element 1-d array the
#:   standard says nothing (strict raises TypeError, NumPy's ``bool`` returns): unspecified.
#: - ``__index__`` "Should have an integer data type": a bool operand is left open (strict raises TypeError).
STRICT = {
    ("__complex__", NAN_COMPLEX, "float32", "violates"), ("__complex__", NAN_COMPLEX, "float64", "violates"),
    *(((m, ZERO_D, None, "unspecified")) for m in ("__bool__", "__complex__", "__float__", "__index__", "__int__")),
    ("__index__", INTEGER_ONLY, "bool", "unspecified"),
}


def _target(name, version="2025.12"):
    return Target(get_backend(name), "cpu", "native", version)


@pytest.mark.parametrize("version", ["2024.12", "2025.12"])
def test_array_api_strict(version):
    checks = list(cs.checks(_target("array_api_strict", version)))
    found = {(c.function, c.rule, c.dtype, c.verdict) for c in checks if c.verdict not in ("conforms", "n/a")}
    assert found == STRICT
    nan = next(c for c in checks if c.rule == NAN_COMPLEX and c.dtype == "float64")
    assert (nan.library, nan.numpy, nan.follows, nan.required) == ("(nan+0j)", "(nan+0j)", "numpy", "(nan+nanj)")
    # every parsed special case, must-raise and Returns rule ran on every dtype it names
    assert sum(c.verdict == "conforms" for c in checks) >= 90
    assert {c.function for c in checks} == {"__bool__", "__complex__", "__float__", "__index__", "__int__"}


def test_injected_nan_to_int_bug_is_found():
    checks = list(cs.checks(_target("conform_scalars_bug:xp")))
    bad = {(c.function, c.rule, c.dtype) for c in checks if c.verdict == "violates"}
    assert bad - {("__complex__", NAN_COMPLEX, d) for d in ("float32", "float64")} == {
        ("__int__", NAN_INT, "float32"), ("__int__", NAN_INT, "float64")}
    c = next(c for c in checks if c.rule == NAN_INT and c.dtype == "float64")
    assert c.library == "0" and c.required == "raises ValueError" and c.numpy.startswith("raises ValueError")
    assert c.follows == "neither" and c.input == "float64 0-d array of nan"
    # the other __int__ rules of the same array still conform: the finding is bounded
    assert all(c.verdict == "conforms" for c in checks
               if c.function == "__int__" and c.rule.startswith("If ``self`` is either ``+infinity``"))


def test_rules_come_parsed_from_the_standard():
    for version in ("2024.12", "2025.12"):
        conv = load_spec(version)["array"]["conversions"]
        assert set(conv) == {"__bool__", "__complex__", "__float__", "__index__", "__int__"}
        rules = {r["sentence"]: r for r in conv["__int__"]["rules"]}
        assert rules[NAN_INT]["parsed"] == {"when": ["NaN"], "result": {"raises": "ValueError"}}
        assert rules[NAN_INT]["dtypes"] == ["float32", "float64"]  # complex must raise TypeError instead
        assert all(r["parsed"] is not None for c in conv.values() for r in c["rules"])
        index = {r["sentence"]: r for r in conv["__index__"]["rules"]}
        raise_float = "If ``self`` has a floating-point data type, the function must raise a ``TypeError``."
        assert index[raise_float]["dtypes"] == ["float32", "float64", "complex64", "complex128"]


def test_outcomes_compare_exactly():
    assert cs._same(0.0, 0.0) and not cs._same(-0.0, 0.0) and cs._same(math.nan, math.nan)
    assert cs._same(complex(math.nan, 0), complex(math.nan, 0.0)) and not cs._same(complex(math.nan, 0),
                                                                                  complex(math.nan, math.nan))
    assert cs._same(2**64 - 1, 2**64 - 1) and not cs._same(2**63, 2**63 + 1)  # exact beyond float precision
    want = ("value", 1)
    assert cs._meets(1, want, int, False) and not cs._meets(np.int64(1), want, int, False)  # exact Python type
    assert cs._meets(np.int64(1), want, None, False)  # special cases compare values only
    error = cs.Raised(ValueError("lazy"))
    assert not cs._meets(error, want, None, False) and cs._meets(error, want, None, True)  # lazy may raise
    assert cs._meets(cs.Raised(OverflowError()), ("raises", "OverflowError"), None, False)
    assert not cs._meets(cs.Raised(RuntimeError()), ("raises", "TypeError"), None, False)


def test_stated_values():
    nan = cs._stated("NaN + NaN j", 1.0, "complex")
    assert math.isnan(nan.real) and math.isnan(nan.imag)
    v = cs._stated("+infinity + 0j", None, "complex")
    assert v.real == math.inf and v.imag == 0 and math.copysign(1, v.imag) == 1
    assert cs._stated("self + 0j", -2.5, "complex") == complex(-2.5, 0)
    assert cs._stated("1", True, "float") == 1.0 and type(cs._stated("1", True, "float")) is float
    assert cs._stated("True", 0.0, "bool") is True
