"""NumPy's whole input domain: the shipped domain data, the standard's rules, the promotion models the
declarations rest on (checked against the real libraries), mixed-dtype samples, selection and verdicts."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from opinfo import domain, get_op, promotion
from opinfo.dtypes import ALL
from opinfo.samples import mixed_samples
from opinfo.spec import Expected, Sample
from opinfo.where import computed_in_result_dtype, int_out_of_range, promoted_as
from parity import judge
from parity.selection import SelectionError, resolve

SCALARS = {"bool": True, "int": 2, "float": 1.5, "complex": 1.5j}


# --------------------------------------------------------------------------- the standard's rules
@pytest.mark.parametrize(("a", "b", "defined"), [
    ("int8", "int16", True), ("uint8", "int8", True), ("uint32", "int64", True), ("uint64", "int64", False),
    ("int8", "float32", False), ("bool", "int8", False), ("float32", "complex128", True), ("bool", "bool", True),
])
def test_standard_promotion_table(a, b, defined):
    assert domain.standard_pair(a, b) is defined
    assert domain.standard_pair(b, a) is defined


def test_case_domains():
    real = ("int8", "int16", "float32", "float64")
    assert domain.case_domain(real, "int8") == "standard"
    assert domain.case_domain(real, "bool") == "numpy"  # a dtype the entry does not list
    assert domain.case_domain(real, "int8+int16") == "standard"
    assert domain.case_domain(real, "int8+float32") == "numpy"  # mixed kinds
    assert domain.case_domain(real, "float32+py-int") == "standard"
    assert domain.case_domain(real, "int8+py-float") == "numpy"
    assert domain.case_domain(real, "int8+py-int-out") == "numpy"  # out of range: never defined
    assert domain.case_domain(real, "float32+py-complex") == "numpy"  # computes in complex64: not listed


def test_numpy_computes_in():
    assert domain.computes_in(get_op("sin"), "int16") == "float32"
    assert domain.computes_in(get_op("add"), "bool+complex128") == "complex128"
    assert domain.computes_in(get_op("greater"), "float32+py-complex") == "complex64"  # the loop, not the bool output
    assert domain.computes_in(get_op("add"), "uint8+py-int-out") == "uint8"


# --------------------------------------------------------------------------- derived data
def test_shipped_domain_is_what_numpy_accepts_today():
    """The shipped file is a probe's output, not typed by hand: a fresh probe of some entries agrees."""
    from opinfo.probe import derive

    if domain.numpy_version() != np.__version__:
        pytest.skip(f"domain derived with NumPy {domain.numpy_version()}, this is {np.__version__}: "
                    "rerun tools/derive_numpy_domain.py")
    for name in ("add", "sin", "sum", "bitwise_left_shift", "linalg.solve", "sort"):
        assert derive(get_op(name)) == domain.derived(name), name


def test_domain_facts():
    assert "int8" in domain.numpy_dtypes("sin", get_op("sin").dtypes)  # NumPy takes integers in sin
    assert "complex64" not in domain.numpy_dtypes("floor", get_op("floor").dtypes)  # and refuses complex floor
    mixes = domain.mixed_dtypes("add")
    assert len([m for m in mixes if not m.split("+")[1].startswith("py-")]) == 13 * 12  # every ordered pair
    assert "uint8+py-int-out" in mixes and "float32+py-int-out" not in mixes
    assert not domain.mixed_dtypes("sum")  # not binary


# --------------------------------------------------------------------------- samples
def test_pair_samples_broadcast_and_zero_d():
    calls = mixed_samples(get_op("add").samples, "int8", "float32")
    (x, y), (x0, y1), (x1, y0) = (c.args for c in calls)
    assert x.dtype == np.int8 and x.ndim == 2 and x.shape[1] == 1 and y.dtype == np.float32 and y.ndim == 1
    assert x0.ndim == 0 and x0.dtype == np.int8 and y0.ndim == 0 and y0.dtype == np.float32
    assert np.isnan(y).any() and np.isinf(y).any()  # the right operand's special values


def test_scalar_samples_both_sides_and_out_of_range():
    calls = mixed_samples(get_op("add").samples, "int8", "py-int-out")
    scalars = {a for c in calls for a in c.args if type(a) is int}
    assert scalars == {128, -129}
    assert {type(c.args[0]) for c in calls} == {np.ndarray, int}


def test_shift_restrictions_hold_in_mixes():
    """A mix takes each operand's values from the entry's own samples: shift amounts stay in [0, bits)."""
    (_, y), *_ = (c.args for c in mixed_samples(get_op("bitwise_left_shift").samples, "int64", "int8"))
    assert y.min() >= 0 and y.max() < 8


# --------------------------------------------------------------------------- the promotion models
def test_torch_promotion_model_is_torch():
    torch = pytest.importorskip("torch")

    def tensor(dtype, ndim):
        return torch.from_numpy(np.ones((2,) * ndim, dtype=dtype))

    for a, b in itertools.product(ALL, ALL):
        for na, nb in ((1, 1), (0, 1), (1, 0), (0, 0)):
            try:
                got = str(torch.result_type(tensor(a, na), tensor(b, nb))).removeprefix("torch.")
            except RuntimeError:
                got = None
            assert promotion.torch_result([(a, na), (b, nb)]) == got, (a, na, b, nb)
        for kind, value in SCALARS.items():
            assert promotion.torch_result([(a, 1), kind]) == str(torch.result_type(tensor(a, 1), value)).removeprefix(
                "torch."), (a, kind)


def test_jax_promotion_model_is_jax():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    for a, b in itertools.product(ALL, ALL):
        for na, nb in ((1, 1), (0, 1), (1, 0)):
            got = str(jnp.result_type(jnp.ones((2,) * na, a), jnp.ones((2,) * nb, b)))
            assert promotion.jax_result([(a, na), (b, nb)]) == got, (a, na, b, nb)
        for kind, value in SCALARS.items():
            assert promotion.jax_result([(a, 1), kind]) == str(jnp.result_type(jnp.ones(2, a), value)), (a, kind)


# --------------------------------------------------------------------------- bounded declarations
def _finding(category, detail, **kw):
    from opinfo.compare import Finding

    return Finding(category, detail, **kw)


def test_promotion_declaration_covers_the_rule_and_nothing_else():
    """torch's documented promotion (int8 with a 0-d int16 is int8) is known; any other result dtype is new."""
    add = get_op("add")
    declared = [Expected("torch", "dtype", reason="r", domain="any",
                         where=promoted_as("torch", promotion.torch_result, promotion.torch_inexact, add.ref))]
    sample = Sample((np.arange(3, dtype=np.int8), np.array(7, dtype=np.int16)))
    ref = np.add(*sample.args)
    detail = "reference dtype int16, implementation dtype {}"
    for impl_dtype, covered in (("int8", True), ("float64", False), ("int32", False)):
        finding = _finding("dtype", detail.format(impl_dtype))
        (_, index), = judge.judge([finding], declared, sample, ref, ref.astype(impl_dtype), False)
        assert (index == 0) is covered, impl_dtype


def test_value_consequence_is_bounded_by_numpy_computing_in_that_dtype():
    """Values that follow from a narrower dtype are explained; a wrong value in that dtype is not."""
    where = computed_in_result_dtype(np.add, 4.0)
    sample = Sample((np.array([100, 3], dtype=np.int8), np.array(100, dtype=np.int16)))
    ref = np.add(*sample.args)  # int16: [200, 103]
    wrapped = np.array([-56, 103], dtype=np.int8)  # computed in int8
    assert where(sample, ref, wrapped).all()
    assert not where(sample, ref, np.array([-56, 104], dtype=np.int8))[1]
    assert not np.any(where(sample, ref, ref))  # same dtype: nothing to explain


def test_out_of_range_predicate():
    assert int_out_of_range(Sample((np.ones(2, np.uint8), -1)), None, None)
    assert not int_out_of_range(Sample((np.ones(2, np.int16), 300)), None, None)


def test_rule_declarations_do_not_go_stale_in_mixes_but_named_ones_do():
    from parity.backends import get_backend
    from parity.runner import Runner

    runner = Runner(get_op("add"), get_backend("numpy"))
    record = runner.run_case("int8+float32", max_examples=0)
    assert record["domain"] == "numpy" and record["status"] == "parity" and record["examples"] == 0


# --------------------------------------------------------------------------- selection
def _dtypes(sel):
    return {c.dtype for c in sel.cases()}


def test_selection_names_dtypes_and_their_mixes():
    sel = resolve(["numpy"], ops=["add"], dtypes=["int8,float32"])
    assert _dtypes(sel) == {"int8", "float32", "int8+float32", "float32+int8",
                            *(f"int8+{k}" for k in domain.SCALAR_KINDS),
                            *(f"float32+{k}" for k in domain.SCALAR_KINDS if k != "py-int-out")}
    assert _dtypes(resolve(["numpy"], ops=["add"], dtypes=["int8+uint64"])) == {"int8+uint64"}


def test_selection_by_domain():
    standard = resolve(["numpy"], ops=["sin"], domain="standard")
    assert _dtypes(standard) == set(get_op("sin").dtypes)
    numpy_only = resolve(["numpy"], ops=["sin"], domain="numpy")
    assert "int8" in _dtypes(numpy_only) and not _dtypes(numpy_only) & set(get_op("sin").dtypes)
    with pytest.raises(SelectionError, match="unknown domain"):
        resolve(["numpy"], ops=["sin"], domain="both")


def test_list_json_shows_both_domains(cli):
    proc = cli("list", "--json", "--ops", "add,sin")
    assert proc.returncode == 0, proc.stderr
    entries = {e["name"]: e for e in json.loads(proc.stdout)}
    sin = entries["sin"]["domains"]
    assert sin["standard"]["dtypes"] == list(get_op("sin").dtypes)
    assert "int8" in sin["numpy"]["dtypes"] and sin["numpy"]["derived_with"].startswith("numpy ")
    add = entries["add"]["domains"]
    assert "int8+int16" in add["standard"]["mixed"] and "int8+float32" not in add["standard"]["mixed"]
    assert "int8+float32" in add["numpy"]["mixed"]


def test_a_wrong_mixed_dtype_is_new(cli, tmp_path):
    """An injected bug that only mixes show: fake_xp's add keeps the left operand's dtype."""
    proc = cli("run", "--backend", "fake_xp:xp", "--ops", "add", "--dtypes", "int8,int16", "-n", "0",
               "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout[-2000:]
    doc = json.loads((tmp_path / "results.json").read_text())
    new = {(r["dtype"], d["category"]) for r in doc["records"] for d in r["divergences"] if d["status"] == "new"}
    assert ("int8+int16", "dtype") in new
    assert not {d for d, _ in new} & {"int8", "int16"}  # one dtype: right
    assert {r["domain"] for r in doc["records"] if r["dtype"] == "int8+int16"} == {"standard"}
