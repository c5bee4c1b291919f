"""ULP distances and bounded declarations: pure functions on NumPy data, no backend."""

from __future__ import annotations

import numpy as np
import pytest

from opinfo.compare import CompareContext, compare_arrays, ulp, ulp_distance
from opinfo.spec import Expected, RegistryError, Sample, op, validate
from opinfo.where import (
    index_of_same_value,
    lower_middle_value,
    magnitude_below,
    neighbouring_order_statistic,
    subnormal_involved,
    wraps_around_int64,
)
from parity.judge import judge
from parity.taxonomy import classify


def test_ulp_matches_numpy_spacing_and_floors_at_the_smallest_subnormal():
    x = np.array([0.0, 1e-45, 1.0, 3.0, -2.0, 1e30])
    assert np.array_equal(ulp(x, "float32"), np.spacing(np.abs(x).astype(np.float32)).astype(np.float64))
    assert ulp(np.array([0.0]), "float64")[0] == 5e-324


def test_distance_in_ulps_catches_what_an_absolute_tolerance_hid():
    """log1p(1e-10) computed as log(1 + x) is 0 in float32: 100% off, yet within atol=1e-5."""
    ref, impl = np.array([1e-10], np.float32), np.array([0.0], np.float32)
    assert ulp_distance(ref, impl, "float32")[0] > 1e6
    ulps = CompareContext(ulps=lambda dtype: 4.0)
    assert [f.category for f in compare_arrays(ref, impl, ulps)] == ["value"]
    assert compare_arrays(ref, impl, CompareContext()) == []  # the old rtol/atol rule let it pass


def test_subnormal_results_flushed_to_zero_are_within_the_dtypes_slack():
    ref = np.array([1e-40, 0.0], np.float32)
    impl = np.array([0.0, 1e-39], np.float32)
    assert ulp_distance(ref, impl, "float32").tolist() == [0.0, 0.0]
    assert ulp_distance(np.array([2e-38], np.float32), np.array([0.0], np.float32), "float32")[0] > 1e6


def test_complex_distances_are_normwise():
    ref = np.array([1 + 1e-20j])
    assert ulp_distance(ref, np.array([1 + 2e-20j]), "complex128")[0] < 1
    assert ulp_distance(ref, np.array([1 + 1e-8j]), "complex128")[0] > 1e6


def _finding(ref, impl):
    (finding,) = compare_arrays(ref, impl, CompareContext(ulps=lambda dtype: 4.0))
    return finding


def test_a_declaration_covers_only_the_elements_its_predicate_accepts():
    x = np.array([1e-40, 1.0, 2.0], np.float32)
    ref, impl = np.array([1e-40, 1.0, 2.0], np.float32), np.array([5e-37, 1.5, 2.0], np.float32)
    declared = [Expected("jax", "value", where=subnormal_involved, reason="flushes")]
    parts = judge([_finding(ref, impl)], declared, Sample((x,)), ref, impl, elementwise=True)
    assert sorted((p.count, str(index)) for p, index in parts) == [(1, "0"), (1, "None")]
    assert next(p for p, i in parts if i is None).index == (1,)  # the wrong ordinary value is new
    records, status = classify([{"category": "value"}] * 2, declared, [i for _, i in parts])
    assert status == "new"


def test_a_known_divergence_beyond_its_ulp_bound_is_new():
    ref, impl = np.array([1.0, 2.0]), np.array([1.0 + 2**-47, 2.0 + 2**-20])
    declared = [Expected("torch", "value", max_ulp=64.0, reason="a few ulp")]
    parts = judge([_finding(ref, impl)], declared, Sample((ref,)), ref, impl, elementwise=True)
    assert sorted((p.count, str(i)) for p, i in parts) == [(1, "0"), (1, "None")]
    (whole,) = judge([_finding(ref, impl)], declared, Sample((ref,)), ref, impl, elementwise=False)
    assert whole[1] is None  # as a whole, the worst element decides


def test_registry_refuses_an_unbounded_value_declaration():
    entry = op("x", family="elementwise-unary", ref=np.sin, dtypes=("float32",), samples=lambda d: [],
               strategy=lambda d: None, expected=(Expected("torch", "value", reason="anything"),))
    with pytest.raises(RegistryError, match="needs a bound"):
        validate(entry)


def test_where_predicates_say_what_they_accept():
    x = np.array([3.0, 1.0, 4.0, 2.0])
    assert lower_middle_value(Sample((x,)), np.float64(2.5), np.float64(2.0))
    assert not lower_middle_value(Sample((x,)), np.float64(2.5), np.float64(3.0))  # the upper middle: a bug
    assert not lower_middle_value(Sample((x,)), np.float64(2.5), np.float64(12.0))  # 2x + 7
    rows = np.array([[3.0, 1.0, 4.0, 2.0], [8.0, 6.0, 5.0, 7.0]])
    assert lower_middle_value(Sample((rows,), {"axis": 1}), None, np.array([2.0, 6.0]))
    nearest, nearest_q = neighbouring_order_statistic(100.0), neighbouring_order_statistic(1.0)
    assert nearest(Sample((x, 50.0)), None, np.float64(2.0)) and nearest(Sample((x, 50.0)), None, np.float64(3.0))
    assert not nearest(Sample((x, 50.0)), None, np.float64(4.0))
    # a tuple of axes: each slice is the reduced axes flattened (NaN skipped), in the result's order
    cube = np.array([[[np.nan] * 4, [1.75, np.nan, -0.5, 2.5]]] * 2)
    ref = np.nanquantile(cube, 0.3, axis=(0, -1), method="nearest")
    assert ref.tolist()[1] == 1.75 and nearest_q(Sample((cube, 0.3), {"axis": (0, -1)}), ref, np.array([np.nan, -0.5]))
    assert not nearest_q(Sample((cube, 0.3), {"axis": (0, -1)}), ref, np.array([np.nan, 2.5]))
    big = np.array([2**64 - 1], np.uint64)
    assert wraps_around_int64(Sample((big,)), big, np.array([-1]))
    assert not wraps_around_int64(Sample((big,)), big, np.array([5]))
    ties = np.array([0, 2, 2, 1])
    assert index_of_same_value(Sample((ties,)), np.int64(1), np.int64(2))
    assert not index_of_same_value(Sample((ties,)), np.int64(1), np.int64(3))
    small = magnitude_below(1e-4, part="abs")
    assert small.__doc__ == "input 0 abs below 0.0001 in magnitude"
    assert small(Sample((np.array([1e-5 + 0j, 1 + 0j]),)), None, None).tolist() == [True, False]


def test_a_whole_call_is_covered_when_a_per_element_predicate_holds_somewhere():
    """astype(bool) of [5e-324, 0.0, 1.0] on a library that flushes subnormals: the call involves one."""
    x = np.array([5e-324, 0.0, 1.0])
    ref, impl = x.astype(bool), np.array([False, False, True])
    (finding,) = compare_arrays(ref, impl, CompareContext())
    declared = [Expected("jax", "value", where=subnormal_involved, reason="flushes")]
    assert judge([finding], declared, Sample((x,)), ref, impl, elementwise=False)[0][1] == 0
    y = np.array([0.5, 0.0, 1.0])
    assert judge([finding], declared, Sample((y,)), ref, impl, elementwise=False)[0][1] is None


def test_sums_are_held_to_their_rounding_error_bound():
    from opinfo.bounds import summation

    tiny = Sample((np.array([1e-10, 2e-10, -3e-11]),))
    assert summation(tiny, np.dtype("float64")).atol < 1e-24  # not 1e-7: a wrong sum of tiny terms shows
    spread = Sample((np.array([1e6, -1e6, 1.0]),))
    assert summation(spread, np.dtype("float32")).atol > 1.0  # cancelling 1e6 terms in float32: ~0.7 apart


def test_a_python_scalar_input_is_judged_in_the_result_dtype():
    """remainder(-2.2e-311, array(2.0)): the subnormal is a Python float (NEP 50: it takes float64 here)."""
    one = np.array([2.0])
    assert subnormal_involved(Sample((-2.225073858507e-311, one)), one, None).tolist() == [True]
    f32 = np.array([2.0], np.float32)
    assert subnormal_involved(Sample((1e-40, f32)), f32, None).tolist() == [True]  # subnormal as float32
    assert subnormal_involved(Sample((1e-20, f32)), f32, None).tolist() == [False]
