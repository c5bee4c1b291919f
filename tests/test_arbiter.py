"""The arbiter: both sides of a value divergence graded in ulps against mpmath's exact value.

Real mpmath throughout. The exact values are checked against what is known independently of the
arbiter (series, the float64 libm for a float32 result), and the grades against ulp counts made
here by stepping with np.nextafter.
"""

import math
import time
from fractions import Fraction

import jsonschema
import numpy as np
import pytest
import scipy.special
from test_report import make_doc

import opinfo
from opinfo.exact import EXACT
from opinfo.spec import Sample
from parity import arbiter, report, results
from parity.runner import Runner, Seen


def steps(x, n):
    """``x`` moved ``n`` ulps away from zero."""
    x = np.asarray(x)
    for _ in range(n):
        x = np.nextafter(x, np.copysign(np.inf, x))
    return x[()]


def expm1_series(x: float) -> Fraction:
    """expm1 of a float with |x| < 1, exactly to far beyond float64 (its Taylor series)."""
    x = term = total = Fraction(x)
    k = 1
    while abs(term) > abs(x) * Fraction(1, 2**200):
        k += 1
        term = term * x / k
        total += term
    return total


def ulps_from(value, exact: Fraction) -> float:
    """|value - exact| in float64 ulps of exact, counted here without mpmath."""
    exponent = max(math.frexp(float(exact))[1] - 1, -1022)
    return float(abs(Fraction(float(value)) - exact) / Fraction(2) ** (exponent - 52))


def test_log1p_exact_value_and_both_grades():
    x = np.float64(1e-10)
    exact, (accurate, naive) = arbiter.exact_ulp_errors("log1p", "float64", [x], [np.log1p(x), np.log(1 + x)])
    X = Fraction(float(x))  # noqa: N806
    assert abs(Fraction(exact) - (X - X**2 / 2 + X**3 / 3)) < Fraction(1, 10**18) * X  # 20 digits printed
    assert accurate <= 0.5 and naive > 1e5


def test_expm1_naive_formula_is_blamed_and_numpy_is_not():
    x = np.geomspace(1e-12, 1e-3, 40)
    graded = arbiter.arbitrate_arrays("expm1", "float64", (x,), np.expm1(x), np.exp(x) - 1)
    assert graded["graded"] == 40 and graded["closer"] == "reference"
    assert graded["reference_max_ulp"] <= 1 and graded["implementation_max_ulp"] > 1e3
    assert graded["method"].startswith("mpmath") and "276+ bits" in graded["method"]


def test_sinh_float32_exact_value_and_ulps_counted_by_nextafter():
    x = np.float32(1e-3)
    right = np.sinh(x)
    exact, (r, off) = arbiter.exact_ulp_errors("sinh", "float32", [x], [right, steps(right, 7)])
    assert float(exact) == pytest.approx(math.sinh(float(x)), rel=1e-10)  # 11 digits printed for float32
    assert r <= 0.5 and 6.5 <= off <= 7.5


def test_complex_value_graded_normwise_in_ulps_of_its_larger_part():
    z = np.complex128(1 + 2j)
    right = np.exp(z)  # |imag| > |real|: ulps of the imaginary part measure both
    off = np.complex128(complex(steps(right.real, 20), right.imag))
    exact, (r, m) = arbiter.exact_ulp_errors("exp", "complex128", [z], [right, off])
    ratio = np.spacing(abs(right.real)) / np.spacing(abs(right.imag))
    assert exact.startswith("(-1.1312043837568136")
    assert r <= 1 and m == pytest.approx(20 * ratio, abs=1)


def test_binary_ops_hypot_underflow_and_atan2():
    a = np.float64(1e-200)
    graded = arbiter.arbitrate("hypot", "float64", [{"input": [str(a), str(a)], "reference": str(np.hypot(a, a)),
                                                     "implementation": str(np.sqrt(a * a + a * a))}])
    assert graded["reference_max_ulp"] <= 0.5  # the naive formula underflows to 0: all 53 bits wrong
    assert 2**52 <= graded["implementation_max_ulp"] < 2**53 and graded["closer"] == "reference"
    y, x = np.float32(1), np.float32(3)
    right = np.float32(math.atan2(1, 3))  # correctly rounded (NumPy's own float32 atan2 is 0.9 ulp off here)
    _, (r, m) = arbiter.exact_ulp_errors("atan2", "float32", [y, x], [right, steps(right, 3)])
    assert r <= 0.5 and 2.5 <= m <= 3.5


def test_special_function_exact_value():
    x = np.float64(0.5)
    exact, (r,) = arbiter.exact_ulp_errors("special.erf", "float64", [x], [scipy.special.erf(x)])
    assert exact.startswith("0.520499877813046537") and r <= 1
    exact, _ = arbiter.exact_ulp_errors("special.gamma", "float32", [np.float32(5.5)], [np.float32(52)])
    assert float(exact) == pytest.approx(math.gamma(5.5), rel=1e-10)


def test_implementation_more_accurate_is_said():
    x = np.float64(0.75)
    right = np.float64(math.asinh(x))
    element = {"input": [str(x)], "reference": str(steps(right, 40)), "implementation": str(right)}
    graded = arbiter.arbitrate("asinh", "float64", [element])
    assert graded["closer"] == "implementation" and graded["graded"] == 1
    assert 39 <= element["reference_ulp"] <= 41 and element["implementation_ulp"] <= 1
    assert float(element["exact"]) == right


def test_texts_parse_to_the_exact_value_of_the_case_dtype():
    f32 = np.dtype("float32")
    zero = arbiter.parse_text("-0.0", f32)
    assert zero.dtype == f32 and zero == 0 and np.signbit(zero)
    tiny = arbiter.parse_text("1e-45", f32)
    assert tiny.dtype == f32 and tiny == np.finfo(f32).smallest_subnormal
    assert arbiter.parse_text("0.1", f32) == np.float32(0.1) != np.float64(0.1)
    z = arbiter.parse_text("(1+2j)", np.dtype("complex64"))
    assert z.dtype == np.complex64 and z == 1 + 2j
    w = arbiter.parse_text("(nan+infj)", np.dtype("complex128"))
    assert np.isnan(w.real) and np.isinf(w.imag)
    assert arbiter.parse_text("3", f32) == 3 and isinstance(arbiter.parse_text("3", f32), int)  # ldexp's exponent


def test_not_graded_where_the_exact_value_is_not_sure():
    floor = [{"input": ["1.5"], "reference": "1.0", "implementation": "2.0"}]
    assert arbiter.arbitrate("floor", "float64", floor) is None
    assert arbiter.arbitrate("add", "int32", [{"input": ["1", "2"], "reference": "3", "implementation": "4"}]) is None
    assert arbiter.graded_dtype(EXACT["atan2"], "complex64") is None  # no complex definition listed
    elements = [{"input": ["(-1+0j)"], "reference": "3.1415927j", "implementation": "-3.1415927j"},  # on the cut
                {"input": ["1000.0"], "reference": "inf", "implementation": "1e308"},  # not finite
                {"input": ["nan"], "reference": "1.0", "implementation": "2.0"}]
    assert arbiter.arbitrate("log", "complex64", elements[:1]) is None
    assert arbiter.arbitrate("exp", "float64", elements[1:]) is None
    assert arbiter.arbitrate("special.gamma", "float64", [{"input": ["-3.0"], "reference": "1.0",
                                                           "implementation": "2.0"}]) is None  # a pole


def test_weak_python_scalar_computes_in_the_arrays_dtype():
    x = np.array([2.0, 3.0], dtype=np.float32)
    graded = arbiter.arbitrate_arrays("pow", "float32", (x, 0.1), x ** np.float32(0.1), steps(x ** np.float32(0.1), 5))
    assert graded["reference_max_ulp"] <= 0.5 and 4.5 <= graded["implementation_max_ulp"] <= 5.5


def test_a_slow_element_stops_at_the_time_budget():
    elements = [{"input": ["1e-300", "1e-300"], "reference": "0.5", "implementation": "0.6"},  # mpmath: seconds
                {"input": ["1.0", "2.0"], "reference": "0.1353352832366127", "implementation": "0.14"}]
    started = time.perf_counter()
    graded = arbiter.arbitrate("special.gammaincc", "float64", elements[::-1], budget=0.2)
    assert time.perf_counter() - started < 1
    assert graded["graded"] == 1 and graded["of"] == 2 and "time budget" in graded["stopped"]
    assert "implementation_ulp" in elements[1] and "implementation_ulp" not in elements[0]


def test_runner_record_says_the_mutated_side_is_the_farther_one():
    """End to end: NumPy with expm1 as exp(x) - 1 (special values kept right), through the real runner."""
    mutant_backend = pytest.importorskip("test_mutants").mutant_backend
    backend = mutant_backend("numpy", {"expm1": lambda x: np.where(x == 0, x, np.exp(x) - 1)})
    runner = Runner(opinfo.get_op("expm1"), backend)
    record = runner.run_case("float64", max_examples=0, seed=0)
    value = next(d for d in record["divergences"] if d["category"] == "value")
    graded = value["arbiter"]
    assert graded["closer"] == "reference" and graded["reference_max_ulp"] <= 1
    assert graded["implementation_max_ulp"] > 1e6
    checked = [e for e in value["elements"] if "implementation_ulp" in e]
    assert graded["graded"] == len(checked) >= 10
    small = [e for e in checked if abs(float(e["input"][0])) < 1]
    assert small
    for e in small:
        exact = expm1_series(float(e["input"][0]))
        assert e["implementation_ulp"] == pytest.approx(ulps_from(e["implementation"], exact), rel=1e-2, abs=1e-2)
        assert e["reference_ulp"] == pytest.approx(ulps_from(e["reference"], exact), rel=1e-2, abs=1e-2)
    sample = Sample((np.array([1e-9]),), {})  # as Hypothesis would leave it: no list of elements
    ref, impl, findings = runner.evaluate(sample)
    generated = runner._divergence_record(Seen(findings[0], sample, ref, impl, "generated"), "float64")
    assert generated["arbiter"]["graded"] == 1 and generated["arbiter"]["closer"] == "reference"
    assert Fraction(generated["arbiter"]["exact"]) == pytest.approx(expm1_series(1e-9), rel=1e-18)
    schema = results.json_schema()
    jsonschema.validate(value, {"$defs": schema["$defs"], "$ref": "#/$defs/divergence"})
    doc = make_doc([record], backend="numpy", version=np.__version__)
    assert any(f"NumPy {graded['reference_max_ulp']:g} ulp, numpy {graded['implementation_max_ulp']:g} ulp" in line
               for line in report.summary_lines(doc))
    assert '"closer":"reference"' in report.render_html(doc)
