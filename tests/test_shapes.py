"""NumPy's shape rules (opinfo.shapes): calls derived from each entry's own samples, kept where NumPy
accepts them with the shape or dtype its rule predicts, and injected bugs that only they show."""

import json

import numpy as np
import pytest

import opinfo
from opinfo import get_op
from opinfo.samples import case_samples
from opinfo.shapes import shape_samples
from opinfo.spec import Sample, op


def derived(name, dtype):
    entry = get_op(name)
    dt = np.dtype(dtype)
    return {s.note: s for s in shape_samples(entry, dt, entry.samples(dt))}


def shapes(sample):
    return tuple(np.shape(a) for a in sample.args if isinstance(a, np.ndarray))


def test_binary_elementwise_ops_get_operands_of_different_ranks_and_empty_broadcasts():
    calls = derived("atan2", "float32")
    ranks = next(s for note, s in calls.items() if note.startswith("ranks"))
    k = shapes(ranks)[1][0]
    assert shapes(ranks) == ((k, 1), (k,)) and k > 1
    assert np.arctan2(*ranks.args).shape == (k, k)
    empty = next(s for note, s in calls.items() if note.startswith("empty"))
    assert shapes(empty) == ((0, 1), (k,))


def test_ternary_functions_broadcast_keyword_operands_too():
    clip = next(s for note, s in derived("clip", "int16").items() if note.startswith("ranks"))
    k = shapes(clip)[0][0]
    assert shapes(clip) == ((k, 1),) and clip.kwargs["min"].shape == clip.kwargs["max"].shape == (k,)
    where = next(s for note, s in derived("where", "float64").items() if note.startswith("ranks"))
    assert [a.ndim for a in where.args] == [2, 1, 1] and where.args[0].dtype == np.bool_


def test_unary_elementwise_ops_get_empty_arrays_with_a_non_zero_dimension():
    assert {tuple(s.args[0].shape) for s in derived("sin", "float64").values()} == {(0, 3), (3, 0)}


def test_reductions_get_negative_and_tuple_axes_keepdims_empties_and_widening_dtype_arguments():
    calls = derived("sum", "int16")
    assert calls["3-D, a negative axis"].kwargs["axis"] == -2 and calls["3-D, a negative axis"].args[0].ndim == 3
    assert calls["3-D, a tuple of axes"].kwargs["axis"] == (0, -1)
    assert calls["3-D, keepdims"].kwargs["keepdims"] is True
    assert {"empty (0, 3) along its empty axis", "empty (0, 3) along its non-empty axis"} <= set(calls)
    assert {n for n in calls if n.startswith("dtype=")} == {"dtype=int64", "dtype=float64", "dtype=complex128"}
    assert calls["dtype=float64"].kwargs["dtype"] == np.dtype("float64")
    # NumPy is the oracle: max takes no dtype= and refuses to reduce an empty axis; a float sum is not
    # asked to accumulate in an integer dtype (not a widening cast)
    extrema = derived("max", "float64")
    assert not any(n.startswith("dtype=") for n in extrema) and "empty (0, 3) along its empty axis" not in extrema
    assert "empty (0, 3) along its non-empty axis" in extrema
    assert "dtype=int64" not in derived("sum", "float64")
    assert "3-D, a tuple of axes" not in derived("argmax", "float64")  # NumPy's argmax takes one axis


def test_linalg_gets_stacks_broadcast_batches_unbatched_operands_and_empty_stacks():
    calls = derived("linalg.solve", "float64")
    stack = calls["a (2, 3) stack of matrices"]
    a, b = stack.args
    assert a.shape[:2] == (2, 3) and b.shape[:2] == (2, 3)
    assert not np.array_equal(a[0, 0], a[0, 1]), "the matrices of a stack differ"
    np.testing.assert_allclose(np.linalg.solve(a, b)[1, 2], np.linalg.solve(a[1, 2], b[1, 2]))
    assert [x.shape[:-2] for x in calls["batch dimensions (2, 1) and (3,) broadcast"].args] == [(2, 1), (3,)]
    assert calls["a stack against a single matrix"].args[1].ndim == 2
    assert calls["an empty stack"].args[0].shape[0] == 0
    assert set(derived("linalg.cholesky", "float32")) == {"a (2, 3) stack of matrices", "an empty stack"}


def test_nothing_is_derived_where_numpy_refuses():
    """A reference that takes only 2-D input and no keywords beyond axis: none of the 3-D, empty or
    dtype= calls survive; only what NumPy (the reference) accepts is in its domain."""
    def picky(x, axis=0):
        if x.ndim != 2 or x.size == 0:
            raise ValueError("2-D, non-empty only")
        return np.sum(x, axis=axis)

    entry = op("picky", family="reduction", ref=picky, dtypes=("float64",), reference_name="picky",
               samples=lambda dt: [Sample((np.ones((2, 3), dtype=dt),), {"axis": 0})], strategy=lambda dt: None)
    assert shape_samples(entry, np.dtype("float64"), entry.samples(np.dtype("float64"))) == []


def test_every_derived_call_is_accepted_by_numpy_and_follows_the_entrys_own_samples():
    """Across the registry: derived calls come after the entry's own (reproducers keep their indices),
    and every entry family but creation and data-type functions gets some."""
    families = set()
    for entry in opinfo.REGISTRY.values():
        for dtype in entry.dtypes[:2]:
            own = entry.samples(np.dtype(dtype))
            calls = case_samples(entry, dtype)
            assert [s.note for s in calls[:len(own)]] == [s.note for s in own]
            if len(calls) > len(own):
                families.add(entry.family)
    assert families >= {"elementwise-unary", "elementwise-binary", "reduction", "statistics", "sorting",
                        "searching", "manipulation", "linalg", "fft", "special"}, families


@pytest.mark.parametrize(("op_name", "dtype"), [
    ("sum", "int32"),  # dtype= ignored
    ("mean", "float64"),  # a negative axis in a tuple counted off by one
    ("matmul", "float32"),  # stacks with more than one batch dimension refused
])
def test_injected_shape_bugs_are_new(cli, tmp_path, op_name, dtype):
    """fake_xp's sum ignores dtype=, its mean miscounts a negative axis inside a tuple, its matmul takes one
    batch dimension only: the entries' own samples never show these, the derived calls do."""
    proc = cli("run", "--backend", "fake_xp:xp", "--ops", op_name, "--dtypes", dtype, "-n", "0",
               "--max-examples", "0", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    doc = json.loads((tmp_path / "results.json").read_text())
    new = [d for r in doc["records"] for d in r["divergences"] if d["status"] == "new"]
    assert new and {d["note"] for d in new} <= set(derived(op_name, dtype)), new
