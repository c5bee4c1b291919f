"""float16 and bfloat16 as extra dtypes: declared per op, run only when named with --dtypes.

bfloat16 is ml_dtypes' type (NumPy computes on it through the ufuncs ml_dtypes registers). The
registry's elementwise entries may not list extras yet, so these tests give entries their extras
with ``dataclasses.replace`` (a no-op once the registry lists them).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import hypothesis
import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings

import opinfo
from opinfo import domain, samples
from opinfo.compare import CompareContext, compare_arrays
from opinfo.conformance import DEFAULT_AREAS
from opinfo.dtypes import DTYPE_NAMES, EXTRA_DTYPES, dtype_kind, finfo, floating_extras, numpy_dtype
from opinfo.spec import Expected, RegistryError, validate
from parity.backends import get_backend
from parity.literal import literal, script
from parity.runner import Runner
from parity.selection import Selection, SelectionError, resolve

BF16 = np.dtype(ml_dtypes.bfloat16)
OPS = ("sin", "exp", "sqrt", "add", "multiply")


def with_extras(name: str):
    op = opinfo.get_op(name)
    return dataclasses.replace(op, extra_dtypes=op.extra_dtypes or floating_extras(op.dtypes))


@pytest.fixture
def extras_registry(monkeypatch):
    """The registry with OPS given their extra dtypes."""
    for name in OPS:
        monkeypatch.setitem(opinfo.REGISTRY, name, with_extras(name))


# --------------------------------------------------------------------------- spec
def test_extra_dtypes_are_known_names_and_resolve():
    assert set(EXTRA_DTYPES) <= set(DTYPE_NAMES)
    assert numpy_dtype("bfloat16") == BF16 and numpy_dtype("float16") == np.float16
    assert dtype_kind(BF16) == "f" and BF16.kind == "V"  # NumPy itself calls it a void type
    assert finfo(BF16).eps == 2.0**-7 and finfo("float16").eps == 2.0**-10
    assert floating_extras(("float32", "float64")) == EXTRA_DTYPES
    assert floating_extras(("int8", "complex64")) == ()


@pytest.mark.parametrize(("change", "field", "needle"), [
    ({"extra_dtypes": ("float8",)}, "extra_dtypes", "'float8' is not one of float16, bfloat16"),
    ({"extra_dtypes": ("float32",)}, "extra_dtypes", "'float32' is not one of"),
    ({"extra_dtypes": ["float16"]}, "extra_dtypes", "must be a tuple"),
    ({"dtypes": ("float32", "float16")}, "dtypes", "'float16' is an extra dtype"),
    ({"expected": (Expected("torch", "value", "r", dtypes=("bfloat16",)),)}, "expected[0].dtypes", "not among"),
])
def test_validation_rejects_bad_extras_in_one_line(change, field, needle):
    with pytest.raises(RegistryError) as err:
        validate(dataclasses.replace(opinfo.get_op("sin"), **({"extra_dtypes": ()} | change)))
    message = str(err.value)
    assert "\n" not in message and f"field {field!r}" in message and needle in message


def test_expected_may_name_an_extra_dtype():
    declared = Expected("torch", "value", "r", dtypes=("bfloat16",), max_ulp=4.0)
    op = dataclasses.replace(with_extras("sin"), expected=(declared,))
    assert validate(op) is op


# --------------------------------------------------------------------------- selection
def test_extras_run_only_when_named(extras_registry):
    backends = [get_backend("numpy")]
    ops = [opinfo.get_op(name) for name in OPS]
    default = Selection(backends, {"numpy": "cpu"}, ops, None).cases()
    assert not {c.dtype for c in default} & set(EXTRA_DTYPES)
    assert [c.dtype for c in default if "+" not in c.dtype] == [d for op in ops for d in
                                                                 domain.numpy_dtypes(op.name, op.dtypes)]
    named = Selection(backends, {"numpy": "cpu"}, ops, ["float16", "bfloat16"]).cases()
    assert [(c.op, c.dtype) for c in named] == [(op.name, d) for op in ops for d in EXTRA_DTYPES]
    mixed = Selection(backends, {"numpy": "cpu"}, ops, ["float32", "bfloat16"]).cases()
    assert {c.dtype for c in mixed if "+" not in c.dtype} == {"float32", "bfloat16"}


def test_naming_a_dtype_no_selected_op_has_is_bad_input():
    with pytest.raises(SelectionError, match="no selected op is defined for bfloat16"):
        resolve(["numpy"], ops=["bitwise_and"], dtypes=["bfloat16"])  # integer-only: never has float extras


def test_default_sweep_count_is_unchanged_by_extras(monkeypatch):
    before = len(resolve(["numpy"]).cases())
    assert before == sum(len(domain.numpy_dtypes(op.name, op.dtypes)) + len(domain.mixed_dtypes(op.name))
                         for op in opinfo.REGISTRY.values()) + len(DEFAULT_AREAS)  # and one case per conformance area
    for name, op in list(opinfo.REGISTRY.items()):
        monkeypatch.setitem(opinfo.REGISTRY, name,
                            dataclasses.replace(op, extra_dtypes=op.extra_dtypes or floating_extras(op.dtypes)))
    assert len(resolve(["numpy"]).cases()) == before
    with_floats = sum(1 for op in opinfo.REGISTRY.values() if op.extra_dtypes)
    assert with_floats > 50
    assert len(resolve(["numpy"], dtypes=["float16,bfloat16"]).cases()) == 2 * with_floats


# --------------------------------------------------------------------------- samples and strategies
@pytest.mark.parametrize("name", EXTRA_DTYPES)
def test_corpus_and_specials_cover_every_class(name):
    dt = numpy_dtype(name)
    info = finfo(dt)
    for values in (samples.special_values(dt), samples.corpus_values(dt), *samples.corpus_pairs(dt)):
        assert values.dtype == dt
    corpus = samples.corpus_values(dt)
    wide = corpus.astype(np.float64)
    assert np.isnan(wide).any() and np.isposinf(wide).any() and np.isneginf(wide).any()
    assert ((wide == 0) & np.signbit(wide)).any() and ((wide == 0) & ~np.signbit(wide)).any()
    assert (wide == float(info.smallest_subnormal)).any() and (wide == float(info.max)).any()
    assert len(set(corpus.view(np.uint16).tolist())) == corpus.size  # no value twice
    assert samples.ordinary_values(dt).dtype == dt and samples.python_scalar(dt) == 1.5
    for sample in samples.unary_samples(dt) + samples.binary_samples(dt):
        assert all(a.dtype == dt for a in sample.args if isinstance(a, np.ndarray))


def _draws(strategy, n=300):
    out = []

    @settings(max_examples=n, database=None, deadline=None)
    @given(strategy)
    def collect(x):
        out.append(x)

    collect()
    return out


def test_bfloat16_draws_reach_every_class():
    arrays = [s.args[0] for s in _draws(samples.unary_strategy(BF16))]
    assert all(a.dtype == BF16 for a in arrays)
    wide = np.concatenate([a.ravel() for a in arrays]).astype(np.float64)
    tiny = float(finfo(BF16).tiny)
    assert np.isnan(wide).any() and np.isinf(wide).any()
    assert ((wide != 0) & (np.abs(wide) < tiny)).any(), "no subnormal drawn"
    assert ((wide == 0) & np.signbit(wide)).any()
    scalars = [s.args[1] for s in _draws(samples.binary_strategy(BF16), 100) if s.note == "scalar-right"]
    assert scalars and all(isinstance(v, float) for v in scalars)


@pytest.mark.parametrize("name", EXTRA_DTYPES)
def test_bounded_and_finite_draws_stay_in_range(name):
    dt = numpy_dtype(name)
    # bounds the dtype cannot hold (0.1) or beyond its range (1e6 for float16) are rounded inwards
    bounded = np.concatenate([a.ravel() for a in _draws(samples.arrays(dt, lo=-1e6, hi=0.1), 150)])
    assert bounded.dtype == dt and np.isfinite(bounded).all()
    assert (bounded.astype(np.float64) <= 0.1).all() and (bounded.astype(np.float64) >= -1e6).all()
    finite = _draws(samples.elements(dt, finite=True), 150)
    assert all(np.isfinite(float(v)) for v in finite)


def test_standard_dtypes_draw_as_before():
    """The extras' branch leaves other dtypes alone: with one seed, float32 and complex64 arrays are
    Hypothesis's own draws, bit for bit (float16 unbounded too)."""
    import hypothesis.extra.numpy as hnp

    def plain(dt, **kw):
        return hnp.arrays(np.dtype(dt), (4,), elements=hnp.from_dtype(np.dtype(dt), **kw))

    for dt, kw in (("float32", {"min_value": None, "max_value": None}), ("complex64", {}),
                   ("float16", {"min_value": None, "max_value": None})):
        ours = _seeded_draws(samples.arrays(dt, (4,)))
        theirs = _seeded_draws(plain(dt, allow_nan=True, allow_infinity=True, **kw))
        assert [a.tobytes() for a in ours] == [a.tobytes() for a in theirs], dt


def _seeded_draws(strategy, n=40):
    out = []

    @hypothesis.seed(7)
    @settings(max_examples=n, database=None, deadline=None, phases=[hypothesis.Phase.generate])
    @given(strategy)
    def collect(x):
        out.append(x)

    collect()
    return out


# --------------------------------------------------------------------------- backends
@pytest.mark.parametrize("layout", samples.LAYOUTS)
def test_torch_moves_bfloat16_bits_both_ways(layout):
    torch = pytest.importorskip("torch")
    backend = get_backend("torch")
    x = samples.with_layout(samples.special_values(BF16)[:20].reshape(4, 5), layout)
    t = backend.from_numpy(x, "cpu")
    assert t.dtype == torch.bfloat16
    assert t.is_contiguous() == x.flags.c_contiguous
    back = backend.to_numpy(t)
    assert back.dtype == BF16 and back.tobytes() == np.ascontiguousarray(x).tobytes()
    # NumPy and torch agree that these are the same values
    assert np.array_equal(t.float().numpy(), x.astype(np.float32), equal_nan=True)


def test_jax_takes_bfloat16_natively():
    pytest.importorskip("jax")
    backend = get_backend("jax")
    x = samples.special_values(BF16)
    back = np.asarray(backend.to_numpy(backend.from_numpy(x, "cpu")))
    assert back.dtype == BF16 and back.tobytes() == x.tobytes()


@pytest.mark.parametrize(("backend", "answer"), [
    ("numpy", True), ("torch", True), ("jax", True), ("dask", True), ("array_api_strict", False)])
def test_supports_dtype(backend, answer):
    b = get_backend(backend)
    if b.availability():
        pytest.skip(b.availability())
    ns = b.surface_namespace("native", "cpu")
    assert all(b.supports_dtype(name, ns) is answer for name in EXTRA_DTYPES)


def test_backend_without_the_dtype_skips_with_a_reason():
    runner = Runner(with_extras("sin"), get_backend("array_api_strict"))
    for name in EXTRA_DTYPES:
        record = runner.run_case(name, max_examples=2)
        assert record["status"] == "skipped" and record["reason"] == f"array_api_strict has no dtype {name}"


# --------------------------------------------------------------------------- runs
@pytest.mark.parametrize("name", EXTRA_DTYPES)
def test_numpy_against_itself_is_parity(name):
    backend = get_backend("numpy")
    for op in OPS:
        record = Runner(with_extras(op), backend).run_case(name, max_examples=15, seed=1)
        assert record["status"] == "parity", (op, record["divergences"][:1])
        assert record["dtype"] == name and record["examples"] > 0


@pytest.mark.parametrize("backend_name", ["torch", "jax"])
def test_other_backends_keep_the_dtype(backend_name):
    """Results come back in the dtype computed in (no upcast on the way back: no dtype divergence
    on unary ops) and every case runs to a verdict."""
    backend = get_backend(backend_name)
    if backend.availability():
        pytest.skip(backend.availability())
    for name in EXTRA_DTYPES:
        for op in OPS:
            record = Runner(with_extras(op), backend).run_case(name, max_examples=5, seed=0)
            assert record["dtype"] == name and record["status"] in ("parity", "new", "known"), record
            if opinfo.get_op(op).family == "elementwise-unary":
                assert not [d for d in record["divergences"] if d["category"] == "dtype"], (op, name, record)


def test_bfloat16_compares_as_a_float():
    ctx = CompareContext()
    ref = np.array([1.0, 3.0, -0.0, np.inf, 100.0], dtype=BF16)
    one_ulp = np.array([1.0078125, 3.0, -0.0, np.inf, 100.0], dtype=BF16)
    assert compare_arrays(ref, one_ulp, ctx) == []
    four_ulps = np.array([1.03125, 3.0, 0.0, np.nan, 100.0], dtype=BF16)
    assert {f.category for f in compare_arrays(ref, four_ulps, ctx)} == {"value", "special-value"}
    (dtype,) = compare_arrays(ref.astype(np.float32), ref, ctx)
    assert dtype.category == "dtype" and "bfloat16" in dtype.detail


# --------------------------------------------------------------------------- reproducers
def test_bfloat16_literals_rebuild_every_bit():
    x = samples.special_values(BF16)
    for obj in (x, samples.with_layout(x[:20].reshape(4, 5), "transposed"), samples.with_layout(x, "strided"),
                np.array(x[1]), np.empty((0, 2), BF16)):
        rebuilt = eval(literal(obj), {"np": np, "ml_dtypes": ml_dtypes, "nan": np.nan, "inf": np.inf})
        assert rebuilt.dtype == BF16 and rebuilt.strides == obj.strides and rebuilt.tobytes() == obj.tobytes()
    assert eval(literal(BF16), {"np": np, "ml_dtypes": ml_dtypes}) == BF16
    assert eval(literal(x[0]), {"ml_dtypes": ml_dtypes}).tobytes() == x[0].tobytes()


def test_reproducer_imports_ml_dtypes_only_when_needed():
    from opinfo.spec import Sample

    kw = dict(op="sin", backend="torch", device="cpu", surface="native", category="value")
    text = script(dtype="bfloat16", sample=Sample((samples.special_values(BF16),)), **kw)
    assert "import ml_dtypes\n" in text
    namespace = {}
    exec(text.replace("from parity.reproducer import reproduce", "def reproduce(*args, **kwargs): pass"), namespace)
    assert namespace["args"][0].dtype == BF16
    assert namespace["args"][0].tobytes() == samples.special_values(BF16).tobytes()
    text16 = script(dtype="float16", sample=Sample((samples.special_values("float16"),)), **kw)
    assert "ml_dtypes" not in text16


# --------------------------------------------------------------------------- the command line
PATCHED_CLI = """
import dataclasses, sys
import opinfo
from opinfo.dtypes import floating_extras
for name in ("sin", "add"):
    op = opinfo.REGISTRY[name]
    opinfo.REGISTRY[name] = dataclasses.replace(op, extra_dtypes=op.extra_dtypes or floating_extras(op.dtypes))
from parity.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_parity_run_on_extras(tmp_path):
    """`parity run --dtypes float16,bfloat16` in-process (-n 0), with sin and add given their extras."""
    pytest.importorskip("torch")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", PATCHED_CLI, "run", "--ops", "sin,add", "--dtypes",
                           "float16,bfloat16", "--backend", "numpy,torch", "-n", "0", "--max-examples", "3",
                           "--seed", "0", "--out", str(out)], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).parents[1])
    assert proc.returncode in (0, 1), proc.stderr
    records = json.loads((out / "results.json").read_text())["records"]
    assert sorted(r["id"] for r in records) == sorted(
        f"{op}[{b}-cpu-{d}]" for op in ("sin", "add") for b in ("numpy", "torch") for d in EXTRA_DTYPES)
    for r in records:
        assert r["status"] in (("parity",) if r["backend"] == "numpy" else ("parity", "new")), r
    for reproducer in (out / "reproducers").glob("*bfloat16*.py"):
        assert "import ml_dtypes" in reproducer.read_text()


def test_list_shows_extras(extras_registry, capsys):
    from parity.cli import main

    assert main(["list", "--ops", "sin"]) == 0
    assert "+ float16,bfloat16" in capsys.readouterr().out
    assert main(["list", "--ops", "sin", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["extra_dtypes"] == list(EXTRA_DTYPES)


def test_declarations_for_every_dtype_do_not_reach_extras():
    """A declaration without dtypes was written for the standard dtypes: on an extra it neither
    marks a finding known nor goes stale; one that names the extra does both as usual."""
    everywhere = Expected("numpy", "value", "declared for every dtype")
    op = dataclasses.replace(opinfo.get_op("sin"), expected=(everywhere,))
    runner = Runner(op, get_backend("numpy"))
    standard = runner.run_case("float32", max_examples=1, seed=0)
    extra = runner.run_case("float16", max_examples=1, seed=0)
    assert standard["status"] == "stale"
    assert extra["status"] == "parity" and extra["divergences"] == []
    named = dataclasses.replace(op, expected=(Expected("numpy", "value", "named", dtypes=("float16",)),))
    assert Runner(named, get_backend("numpy")).run_case("float16", max_examples=1, seed=0)["status"] == "stale"


def test_reference_treats_python_scalars_as_weak_beside_bfloat16():
    """ml_dtypes alone gives float32 for bfloat16 + 1.5; NEP 50 gives bfloat16 (so do torch and jax)."""
    from parity.runner import weak_scalars

    x = np.array([1.0, 2.5], dtype=BF16)
    assert (x + 1.5).dtype == np.float32  # the ml_dtypes behaviour the reference corrects
    args = weak_scalars((x, 1.5))
    assert args[1].dtype == BF16 and args[1].shape == ()
    assert weak_scalars((np.array([1.0], np.float32), 1.5))[1] == 1.5  # other dtypes: untouched
    outcome = Runner(opinfo.get_op("add"), get_backend("numpy")).call_reference(opinfo.spec.Sample((x, 1.5)))
    assert outcome.value.dtype == BF16
