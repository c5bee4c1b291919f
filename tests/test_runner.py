"""The runner on real NumPy and on a deliberately divergent backend (``fake_xp:xp``)."""

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from conftest import TESTS

import opinfo
from opinfo.samples import binary_samples, corpus_values, reduction_strategy
from parity.backends import get_backend
from parity.reproducer import rendered_for
from parity.results import MEASURED
from parity.runner import ELEMENT_LIMIT, Runner

VERSIONS = {"numpy": np.__version__}


def run(op, backend, dtype, examples=20, seed=0):
    return Runner(opinfo.get_op(op), get_backend(backend)).run_case(dtype, max_examples=examples, seed=seed,
                                                                     versions=VERSIONS)


@pytest.mark.parametrize(("op", "dtype"), [("sort", "complex64"), ("max", "float32"), ("linalg.eig", "float64"),
                                           ("abs", "int16"), ("sqrt", "float64")])
def test_numpy_against_itself_is_parity(op, dtype):
    record = run(op, "numpy", dtype)
    assert record["status"] == "parity", record["divergences"]
    assert record["examples"] > 0 and record["fixed_samples"] > 0


@pytest.mark.parametrize(("op", "dtype", "category"), [
    ("sort", "complex128", "error"),
    ("abs", "int32", "dtype"),
    ("sqrt", "float64", "value"),
    ("max", "float64", "special-value"),
])
def test_divergent_backend_is_caught_and_classified(op, dtype, category):
    record = run(op, "fake_xp:xp", dtype)
    assert record["status"] == "new"
    found = {d["category"]: d for d in record["divergences"]}
    assert category in found, record["divergences"]
    assert found[category]["status"] == "new"


def test_elementwise_divergence_is_cut_down_to_one_element():
    record = run("sqrt", "fake_xp:xp", "float64")
    (div,) = [d for d in record["divergences"] if d["category"] == "value"]
    scope = {"np": np, "nan": np.nan, "inf": np.inf}
    exec(div["input"], scope)
    assert scope["args"][0].size == 1


def test_smaller_input_orders_by_elements_then_text():
    """The input a divergence is shown with: fewest values first, the shorter text on a tie."""
    from opinfo.spec import Sample

    one, two = Sample((np.array([1.0]),)), Sample((np.array([1.0, 2.0]),))
    short, long = Sample((np.array([1.0]),), {"axis": 0}), Sample((np.array([1.0]),), {"axis": -10})
    assert one.smaller_than(two) and not two.smaller_than(one)
    assert Sample((np.array([1e300, 2.0]),)).smaller_than(Sample((np.array([1.0, 2.0, 3.0]),)))
    assert short.smaller_than(long) and not long.smaller_than(short)
    assert not one.smaller_than(Sample((np.array([2.0]),)))  # a tie keeps the first seen


def test_generated_divergence_is_shrunk():
    """No fixed samples: Hypothesis alone must find the NaN divergence and shrink it."""
    op = dataclasses.replace(opinfo.get_op("max"), samples=lambda dt: [], strategy=reduction_strategy)
    record = Runner(op, get_backend("fake_xp:xp")).run_case("float32", max_examples=100, seed=0, versions=VERSIONS)
    (div,) = [d for d in record["divergences"] if d["category"] == "special-value"]
    scope = {"np": np, "nan": np.nan, "inf": np.inf}
    exec(div["input"], scope)
    assert scope["args"][0].size <= 3  # a NaN and at most a neighbour or two


def test_same_seed_same_results():
    def strip(record):
        return {k: v for k, v in record.items() if k not in MEASURED}

    assert strip(run("max", "fake_xp:xp", "float64", seed=7)) == strip(run("max", "fake_xp:xp", "float64", seed=7))


def test_missing_function_is_unsupported_with_reason():
    record = run("amax", "array_api_strict", "float64")
    assert record["status"] == "unsupported"
    assert "amax" in record["reason"]


def _run_script(text, tmp_path, name):
    path = tmp_path / name
    path.write_text(text)
    env = {"PYTHONPATH": str(TESTS)}
    import os

    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=os.environ | env)


def test_reproducer_fails_while_divergent_and_passes_once_gone(tmp_path):
    record = run("sqrt", "fake_xp:xp", "float32")
    (div,) = [d for d in record["divergences"] if d["category"] == "value"]
    failing = _run_script(div["reproducer"], tmp_path, "repro.py")
    assert failing.returncode != 0
    assert "AssertionError" in failing.stderr
    fixed = rendered_for(record, div, "numpy")  # the same input and check on a library without the bug
    passing = _run_script(fixed, tmp_path, "fixed.py")
    assert passing.returncode == 0, passing.stderr


def test_vectorized_corpus_lists_every_differing_element():
    """sqrt of fake_xp is 0.1% off wherever the result is finite and non-zero: the dense corpus is
    run in one call and every such element is counted, the first ELEMENT_LIMIT listed with inputs."""
    record = run("sqrt", "fake_xp:xp", "float64", examples=0)
    (div,) = [d for d in record["divergences"] if d["category"] == "value"]
    corpus = corpus_values("float64")
    with np.errstate(all="ignore"):
        root = np.sqrt(corpus)
    differing = {str(x) for x, r in zip(corpus, root) if np.isfinite(r) and abs(r) * 1e-3 > 1e-7 + 1e-7 * abs(r)}
    assert len(differing) > ELEMENT_LIMIT
    assert div["elements_total"] >= len(differing)
    assert len(div["elements"]) == ELEMENT_LIMIT
    for element in div["elements"]:
        (x,) = element["input"]
        assert float(element["reference"]) == np.sqrt(np.float64(x))
        assert float(element["implementation"]) == np.sqrt(np.float64(x)) * (1 + 1e-3)


def test_binary_corpus_elements_carry_both_inputs():
    """torch's complex multiply (a declared divergence): the listed pairs, computed again in one
    vectorized call in NumPy and in torch, give exactly the recorded outputs. (One pair at a time,
    torch takes another code path that agrees with NumPy: why the corpus is run vectorized.)"""
    torch = pytest.importorskip("torch")
    record = run("multiply", "torch", "complex128", examples=0)
    (div,) = [d for d in record["divergences"] if d["category"] == "special-value"]
    assert div["status"] == "known" and div["elements_total"] >= len(div["elements"]) > 10
    outputs = {}
    for sample in binary_samples("complex128")[:2]:  # the special pairs and the corpus pairs, as the runner ran them
        x, y = sample.args
        with np.errstate(all="ignore"):
            ref = x * y
        got = (torch.from_numpy(x) * torch.from_numpy(y)).numpy()
        outputs.update({(str(a), str(b)): (str(r), str(m)) for a, b, r, m in zip(x, y, ref, got)})
    for element in div["elements"]:
        assert outputs[tuple(element["input"])] == (element["reference"], element["implementation"])


def test_non_contiguous_inputs_reach_the_implementation(tmp_path):
    """fake_xp's negative is wrong only on non-contiguous arrays: the transposed/strided fixed
    samples find it, the kept input keeps its layout, and its reproducer shows it."""
    record = run("negative", "fake_xp:xp", "float64", examples=0)
    (div,) = [d for d in record["divergences"] if d["category"] == "value"]
    assert "asfortranarray" in div["input"] or "::2]" in div["input"], div["input"]
    assert div["note"] and "view" in div["note"]
    assert _run_script(div["reproducer"], tmp_path, "repro.py").returncode != 0
    fixed = rendered_for(record, div, "numpy")
    assert _run_script(fixed, tmp_path, "fixed.py").returncode == 0


def test_generated_layouts_are_drawn_by_hypothesis():
    """Without fixed samples, Hypothesis must reach a non-contiguous layout by itself."""
    op = dataclasses.replace(opinfo.get_op("negative"), samples=lambda dt: [])
    record = Runner(op, get_backend("fake_xp:xp")).run_case("float32", max_examples=60, seed=1, versions=VERSIONS)
    assert any(d["category"] == "value" for d in record["divergences"]), record
