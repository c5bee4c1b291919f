"""The comparator and classifier as pure functions on plain NumPy data."""

import numpy as np
import pytest

from opinfo.comparators import (
    compare_argsort,
    compare_cond,
    compare_eig,
    compare_eigh,
    compare_eigvals,
    compare_qr,
    compare_sorted,
    compare_svd,
    compare_unique,
    match_multisets,
)
from opinfo.compare import CompareContext, compare_arrays
from opinfo.spec import Expected, Sample
from parity.compare import Outcome, compare_outcomes, compatible_errors
from parity.taxonomy import classify, worst

CTX = CompareContext()


def cats(findings):
    return sorted(f.category for f in findings)


def raised(exc):
    return Outcome.from_exception(exc)


def value(x):
    return Outcome(value=np.asarray(x))


class TorchLikeLinAlgError(RuntimeError):
    pass


TorchLikeLinAlgError.__name__ = "_LinAlgError"


@pytest.mark.parametrize(("ref_exc", "impl_exc", "compatible"), [
    (ValueError("x"), ValueError("y"), True),
    (np.linalg.LinAlgError("x"), ValueError("y"), True),  # LinAlgError is a ValueError
    (ValueError("x"), np.linalg.LinAlgError("y"), True),
    (np.linalg.LinAlgError("x"), TorchLikeLinAlgError("y"), True),  # named alike across libraries
    (ValueError("x"), RuntimeError("y"), False),
    (TypeError("x"), NotImplementedError("y"), False),
    (IndexError("x"), ValueError("y"), False),
])
def test_error_families(ref_exc, impl_exc, compatible):
    ref, impl = raised(ref_exc), raised(impl_exc)
    assert compatible_errors(ref.error_mro, impl.error_mro) is compatible
    assert cats(compare_outcomes(ref, impl)) == ([] if compatible else ["error-type"])


def test_only_one_side_raises():
    assert cats(compare_outcomes(value([1.0]), raised(RuntimeError("boom")))) == ["error"]
    assert cats(compare_outcomes(raised(ValueError("no")), value([1.0]))) == ["accepts"]


def test_identical_arrays_are_parity_including_nan_and_signed_zero():
    x = np.array([np.nan, -0.0, np.inf, -np.inf, 1.5], dtype=np.float32)
    assert compare_arrays(x, x.copy(), CTX) == []


def test_dtype_and_shape():
    assert cats(compare_arrays(np.zeros(3, np.float32), np.zeros(3, np.float64), CTX)) == ["dtype"]
    assert cats(compare_arrays(np.zeros(3), np.zeros((3, 1)), CTX)) == ["shape"]


def test_value_divergence_reports_errors_and_first_index():
    ref = np.array([1.0, 2.0, 3.0])
    impl = np.array([1.0, 2.5, 3.0])
    (f,) = compare_arrays(ref, impl, CTX)
    assert f.category == "value"
    assert f.index == (1,)
    assert f.max_abs_err == pytest.approx(0.5)
    assert f.max_rel_err == pytest.approx(0.25)
    assert f.count == 1


def test_tolerance_follows_dtype():
    ref = np.array([1.0], np.float32)
    assert compare_arrays(ref, ref * np.float32(1 + 1e-7), CTX) == []  # within float32 rtol 1.3e-6
    assert cats(compare_arrays(ref.astype(np.float64), ref.astype(np.float64) * (1 + 1e-6), CTX)) == ["value"]


def test_integers_compare_exactly_without_wraparound():
    ref = np.array([np.iinfo(np.uint64).max], dtype=np.uint64)
    impl = np.array([-1], dtype=np.int64)  # same bits, different number
    assert cats(compare_arrays(ref, impl, CTX)) == ["dtype", "value"]


@pytest.mark.parametrize(("ref", "impl"), [
    ([np.nan], [0.0]),
    ([np.inf], [-np.inf]),
    ([np.inf], [1e308]),
    ([-0.0], [0.0]),
])
def test_special_values(ref, impl):
    assert cats(compare_arrays(np.array(ref), np.array(impl), CTX)) == ["special-value"]


def test_signed_zero_check_can_be_switched_off():
    assert compare_arrays(np.array([-0.0]), np.array([0.0]), CompareContext(check_signed_zero=False)) == []


def test_complex_nan_in_either_part_is_one_nan():
    ref = np.array([complex(np.nan, 0.0)])
    impl = np.array([complex(np.nan, np.nan)])
    assert compare_arrays(ref, impl, CTX) == []
    assert cats(compare_arrays(ref, np.array([complex(1.0, 0.0)]), CTX)) == ["special-value"]


@pytest.mark.parametrize(("ref", "impl"), [
    (complex(1, np.inf), complex(1, -np.inf)),
    (complex(np.inf, 1), complex(1, np.inf)),
    (complex(np.inf, np.inf), complex(np.inf, 0.0)),
])
def test_complex_infinities_compare_their_infinite_parts(ref, impl):
    assert cats(compare_arrays(np.array([ref]), np.array([impl]), CTX)) == ["special-value"]
    assert compare_arrays(np.array([ref]), np.array([ref]), CTX) == []


def test_complex_infinity_with_a_defined_other_part():
    """inf+0j is not inf+nanj: where NumPy's infinite result has a number as its other part, a NaN there
    differs; where NumPy's other part is NaN, it is left free."""
    inf_zero, inf_nan = np.array([complex(np.inf, 0.0)]), np.array([complex(np.inf, np.nan)])
    assert cats(compare_arrays(inf_zero, inf_nan, CTX)) == ["special-value"]
    assert cats(compare_arrays(np.array([complex(-1.0, -np.inf)]), np.array([complex(np.nan, -np.inf)]), CTX)) == [
        "special-value"]
    assert compare_arrays(inf_nan, inf_zero, CTX) == []


def test_tuple_results():
    ref = (np.zeros(2), np.ones(2))
    assert compare_outcomes(Outcome(value=ref), Outcome(value=(np.zeros(2), np.ones(2)))) == []
    findings = compare_outcomes(Outcome(value=ref), Outcome(value=(np.zeros(2), np.ones(2) * 2)))
    assert [(f.category, f.path) for f in findings] == [("value", "[1]")]
    assert cats(compare_outcomes(Outcome(value=ref), Outcome(value=np.zeros(2)))) == ["shape"]


def test_sort_order_divergence_is_order_not_value():
    x = np.array([1 + 2j, 1 - 1j, 0 + 5j])
    ref = np.sort(x)
    by_abs = x[np.argsort(np.abs(x))]
    assert cats(compare_sorted(Sample((x,)), ref, by_abs, CTX)) == ["order"]
    assert cats(compare_sorted(Sample((x,)), ref, ref[::-1] * 2, CTX)) == ["value"]


def test_sort_signed_zero_ties_matter_only_when_stable():
    ref = np.array([-0.0, 0.0, 1.0])
    impl = np.array([0.0, -0.0, 1.0])
    assert compare_sorted(Sample((ref,)), ref, impl, CTX) == []
    assert cats(compare_sorted(Sample((ref,), {"stable": True}), ref, impl, CTX)) == ["order"]


def test_argsort_ties_compare_through_gathered_values():
    x = np.array([3, 1, 1, 2])
    ref = np.array([1, 2, 3, 0])
    swapped = np.array([2, 1, 3, 0])
    assert compare_argsort(Sample((x,)), ref, swapped, CTX) == []
    assert cats(compare_argsort(Sample((x,), {"stable": True}), ref, swapped, CTX)) == ["order"]
    assert cats(compare_argsort(Sample((x,)), ref, np.array([0, 1, 2, 3]), CTX)) == ["value"]


def test_eig_value_dependent_dtype_is_a_dtype_divergence_only():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    ref = np.linalg.eig(a)  # real: every eigenvalue is real
    w, v = ref
    findings = compare_eig(Sample((a,)), tuple(ref), (w[::-1].astype(complex), v[:, ::-1].astype(complex)), CTX)
    assert {f.category for f in findings} == {"dtype"}


def test_eig_detects_wrong_eigenvalues_and_eigenvectors():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    w, v = np.linalg.eig(a)
    assert "value" in cats(compare_eig(Sample((a,)), (w, v), (w + 0.1, v), CTX))
    assert "value" in cats(compare_eig(Sample((a,)), (w, v), (w, np.eye(2)), CTX))
    assert compare_eigvals(Sample((a,)), w, w[::-1].copy(), CTX) == []


def test_cond_tolerance_follows_the_matrix_conditioning():
    """p=-2 (smallest over largest singular value) is 1/kappa, accurate absolutely: a singular matrix's
    1.7e-17 (NumPy, float64) and 6.7e-9 (JAX, float32) are both zero; a wrong value still shows. Other
    norms are relative, within n eps kappa."""
    singular = np.array([[True, True], [True, True]])
    zero64, zero32 = np.float64(1.6773522257026126e-17), np.float32(6.745437e-09)
    assert cats(compare_cond(Sample((singular,), {"p": -2}), zero64, zero32, CTX)) == ["dtype"]
    assert cats(compare_cond(Sample((singular,), {"p": -2}), zero64, np.float64(0.1), CTX)) == ["value"]
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    ref = np.linalg.cond(a)
    assert compare_cond(Sample((a,)), ref, ref * (1 + 1e-13), CTX) == []
    assert cats(compare_cond(Sample((a,)), ref, ref * (1 + 1e-6), CTX)) == ["value"]
    ill = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-9]])  # kappa ~ 4e9: a few digits are all a library can get right
    low = np.linalg.cond(ill, -1)
    assert compare_cond(Sample((ill,), {"p": -1}), low, low * (1 + 1e-7), CTX) == []
    assert cats(compare_cond(Sample((ill,), {"p": -1}), low, low * 2, CTX)) == ["value"]
    nan = np.array([[np.nan, 1.0], [1.0, 2.0]])  # no kappa to measure: NaN results compare as special values
    assert compare_cond(Sample((nan,)), np.float64(np.nan), np.float64(np.nan), CTX) == []


def test_match_multisets():
    assert match_multisets(np.array([1, 2, 3]), np.array([3, 1, 2])) == 0
    assert match_multisets(np.array([1, 1, 3]), np.array([1, 3, 3])) == 2


def test_qr_and_svd_accept_sign_freedom():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    q, r = np.linalg.qr(a)
    flip = np.diag([-1.0, 1.0])
    assert compare_qr(Sample((a,)), (q, r), (q @ flip, flip @ r), CTX) == []
    assert cats(compare_qr(Sample((a,)), (q, r), (q, r * 2), CTX)) == ["value"]
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    assert compare_svd(Sample((a,)), (u, s, vh), (-u, s, -vh), CTX) == []
    assert "value" in cats(compare_svd(Sample((a,)), (u, s, vh), (u, s * 1.1, vh), CTX))


def test_classify_known_new_stale():
    declared = [Expected("torch", "error", match="unsupported", reason="complex unsupported"),
                Expected("torch", "dtype", reason="always complex")]
    found = [{"category": "error", "detail": "complex unsupported"}, {"category": "value"}]
    out, status = classify(found, declared)
    by_cat = {d["category"]: d for d in out}
    assert by_cat["error"]["status"] == "known" and by_cat["error"]["reason"] == "complex unsupported"
    assert by_cat["value"]["status"] == "new"
    assert by_cat["dtype"]["status"] == "stale"
    assert status == "new"
    assert classify([{"category": "error", "detail": "unsupported"}], declared[:1])[1] == "known"
    assert classify([{"category": "error", "detail": "a different error"}], declared[:1])[1] == "new"
    assert classify([], [])[1] == "parity"
    assert worst(["parity", "stale", "known"]) == "stale"


def test_declaration_with_match_covers_only_its_own_error():
    declared = [Expected("torch", "error", reason="complex unsupported here", match="not implemented for 'Complex")]
    known = {"category": "error", "detail": "only the implementation raised NotImplementedError: \"max_all\" "
                                             "not implemented for 'ComplexFloat'"}
    other = {"category": "error", "detail": "only the implementation raised TypeError: bad axis"}
    out, status = classify([known, other], declared)
    assert [d["status"] for d in out] == ["known", "new"] and status == "new"
    out, status = classify([other], declared)
    assert [d["status"] for d in out] == ["new", "stale"]


def test_expected_applies_by_dtype_surface_and_version():
    exp = Expected("torch", "dtype", reason="r", dtypes=("float32",), surface="native", versions={"numpy": "<2.5"})
    assert exp.applies("torch", "float32", "cpu", "native", {"numpy": "2.4.6"})
    assert not exp.applies("torch", "float32", "cpu", "native", {"numpy": "2.5.0"})
    assert not exp.applies("torch", "float64", "cpu", "native", {"numpy": "2.4.6"})
    assert not exp.applies("torch", "float32", "cpu", "array-api", {"numpy": "2.4.6"})
    assert not exp.applies("jax", "float32", "cpu", "native", {"numpy": "2.4.6"})
    local = Expected("torch", "error", match="unsupported", reason="r", versions={"torch": ">=2.13"})
    assert local.applies("torch", "float32", "cpu", "native", {"torch": "2.13.0+cpu"})


def test_unique_outputs_compare_order_free():
    compare = compare_unique(("values", "indices", "inverse", "counts"))
    x = np.array([3.0, 1.0, 3.0, np.nan, 2.0])
    ref = tuple(np.unique_all(x))
    order = np.array([3, 0, 2, 1])  # the same unique values in another order, NaN first
    values = ref[0][order]
    inverse = np.argsort(order)[ref[2]]
    impl = (values, ref[1][order], inverse, ref[3][order])
    assert compare(Sample((x,)), ref, impl, CTX) == []
    wrong_inverse = (values, ref[1][order], np.zeros_like(inverse), ref[3][order])
    assert [f.path for f in compare(Sample((x,)), ref, wrong_inverse, CTX)] == ["[inverse]"]
    wrong_counts = (values, ref[1][order], inverse, ref[3][order] + 1)
    assert [f.path for f in compare(Sample((x,)), ref, wrong_counts, CTX)] == ["[counts]"]
    assert cats(compare_unique(("values",))(Sample((x,)), ref[0], ref[0][:-1], CTX)) == ["shape"]


def test_argsort_signed_zeros_are_ties():
    x = np.array([1.0, 0.0, -0.0, -1.0])
    ref, swapped = np.array([3, 2, 1, 0]), np.array([3, 1, 2, 0])
    assert compare_argsort(Sample((x,)), ref, swapped, CTX) == []
    assert cats(compare_argsort(Sample((x,), {"stable": True}), np.array([3, 1, 2, 0]), np.array([3, 2, 1, 0]),
                                CTX)) == ["order"]
    assert cats(compare_argsort(Sample((x,)), ref, np.array([3, 2, 0, 1]), CTX)) == ["value"]


# ---- comparators that check the mathematics, not only what the reference happens to return
def test_argsort_must_be_a_permutation():
    """[0, 0, 0] gathers the same tied values as [0, 1, 2], but it is not an argsort."""
    x = np.array([5.0, 5.0, 5.0])
    sample = Sample((x,))
    assert compare_argsort(sample, np.array([0, 1, 2]), np.array([2, 0, 1]), CTX) == []
    (finding,) = compare_argsort(sample, np.array([0, 1, 2]), np.array([0, 0, 0]), CTX)
    assert finding.category == "value" and "not a permutation" in finding.detail
    two_d = np.array([[1.0, 1.0], [2.0, 2.0]])
    assert cats(compare_argsort(Sample((two_d,), {"axis": 0}), np.array([[0, 0], [1, 1]]),
                                np.array([[0, 1], [0, 1]]), CTX)) == ["value"]


def _rng_matrix(n=4, seed=0):
    return np.random.default_rng(seed).standard_normal((n, n))


def test_qr_needs_an_orthonormal_q():
    a = _rng_matrix()
    q, r = np.linalg.qr(a)
    sample = Sample((a,))
    assert compare_qr(sample, (q, r), (-q, -r), CTX) == []
    findings = compare_qr(sample, (q, r), (a, np.eye(4)), CTX)  # Q = A, R = I: A rebuilt, Q not orthonormal
    assert [(f.category, f.path) for f in findings] == [("value", "[0]")]
    assert "orthonormal" in findings[0].detail


def test_eig_needs_unit_eigenvectors():
    a = np.diag([1.0, 2.0, 3.0])
    w, v = np.linalg.eig(a)
    sample = Sample((a,))
    assert compare_eig(sample, (w, v), (w, -v), CTX) == []
    for wrong in (np.zeros_like(v), 2 * v):  # both satisfy A v = v diag(w)
        findings = compare_eig(sample, (w, v), (w, wrong), CTX)
        assert [(f.category, f.path) for f in findings] == [("value", "[1]")], findings
        assert "unit norm" in findings[0].detail


def test_eigh_needs_an_orthonormal_basis():
    """A repeated eigenvalue: any two unit vectors of its eigenspace satisfy the residual, but the
    eigenvectors must be orthonormal."""
    from opinfo.comparators import compare_eigh

    a = np.eye(2)
    w, v = np.linalg.eigh(a)
    sample = Sample((a,))
    assert compare_eigh(sample, (w, v), (w, v[:, ::-1]), CTX) == []
    same_twice = np.array([[1.0, 1.0], [0.0, 0.0]])
    findings = compare_eigh(sample, (w, v), (w, same_twice), CTX)
    assert [(f.category, f.path) for f in findings] == [("value", "[1]")]


def test_svd_needs_orthonormal_factors_and_ordered_values():
    a = np.eye(2)
    u, s, vh = np.linalg.svd(a)
    sample = Sample((a,), {"full_matrices": False})
    skew = np.array([[1.0, 1.0], [0.0, 1.0]])
    findings = compare_svd(sample, (u, s, vh), (skew, s, np.linalg.inv(skew)), CTX)  # U S Vh = I still
    assert sorted(f.path for f in findings) == ["[0]", "[2]"] and cats(findings) == ["value", "value"]
    b = np.diag([3.0, 1.0])
    u, s, vh = np.linalg.svd(b)
    ascending = compare_svd(Sample((b,)), (u, s, vh), (u[:, ::-1], s[::-1], vh[::-1]), CTX)
    assert "value" in cats(ascending)


def test_convolution_allows_the_rounding_of_its_sums_not_more():
    """12.8 * (-19 - 2 + 17 + 4) cancels: NumPy's -1.5e-05 and JAX's exact 0.0 are both within the
    rounding bound of the sum of products; a result 1% off is not."""
    from opinfo.comparators import compare_convolution

    a = np.full(4, 12.812063217163086, dtype=np.float32)
    v = np.array([-19.0, -2.0, 17.0, 4.0], dtype=np.float32)
    sample = Sample((a, v), {"mode": "full"})
    ref = np.convolve(a, v)
    exact = ref.copy()
    exact[3] = 0.0
    assert ref[3] != 0 and compare_convolution(sample, ref, exact, CTX) == []
    assert cats(compare_arrays(ref, exact, CTX)) == ["value"]  # the plain comparison calls it a divergence
    wrong = ref * np.float32(1.01)
    assert cats(compare_convolution(sample, ref, wrong, CTX)) == ["value"]


def test_a_difference_only_in_signs_of_zero_is_said_apart():
    """So a declaration can cover signs of zero alone (match='only in the sign of zero') and not a NaN."""
    (zeros,) = compare_arrays(np.array([0.0, -0.0, 1.0]), np.array([-0.0, 0.0, 1.0]), CTX)
    assert zeros.category == "special-value" and "2 of 3 elements differ only in the sign of zero" in zeros.detail
    (mixed,) = compare_arrays(np.array([0.0, np.nan]), np.array([-0.0, 1.0]), CTX)
    assert "differ in NaN/inf/signed zero" in mixed.detail and mixed.count == 2


def test_decompositions_of_non_finite_input_compare_what_both_sides_define():
    """With a NaN in the input the factors' values mean nothing, but whether they come out finite does."""
    a = np.array([[1.0, np.nan], [0.0, 1.0]])
    q, r = np.eye(2), np.array([[1.0, 2.0], [0.0, 1.0]])
    assert compare_qr(Sample((a,)), (q, r), (q, r), CTX) == []
    nan_q = np.full((2, 2), np.nan)
    (finding,) = compare_qr(Sample((a,)), (q, r), (nan_q, r), CTX)
    assert (finding.category, finding.path) == ("special-value", "[0]") and "factor [0]" in finding.detail
    w, v = np.array([1.0, 2.0]), np.eye(2)
    assert cats(compare_eigh(Sample((a,)), (w, v), (w, nan_q), CTX)) == ["special-value"]
