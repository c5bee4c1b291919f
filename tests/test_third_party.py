"""Any Array API library, out of the box: a module named on the command line is the backend, its
results are read back by whatever way it offers, and what the harness cannot convert, or its own
code's failures, are the harness's statuses -- never divergences of the library.

Real third-party libraries from PyPI (pydata ``sparse``, ``marray``) run a few ops here; the whole
registry runs in ``nox -s third_party``, which writes docs/third-party.md.
"""

import json

import numpy as np
import pytest
from conftest import TESTS, run_cli

from parity import readback
from parity.backends import UnknownBackend, get_backend
from parity.namespace_backend import NamespaceBackend, parse_spec

MARRAY = "marray:masked_namespace(numpy)"


def records(out):
    return json.loads((out / "results.json").read_text())["records"]


def harness_side(recs):
    """Records or divergences that would be the harness's fault filed as the library's."""
    bad = [r["id"] for r in recs if r["status"] in ("unreadable", "harness-error", "crash")]
    bad += [(r["id"], d["detail"]) for r in recs for d in r["divergences"]
            if "dtype=object" in d.get("implementation", "") or "convert a sparse array" in (d.get("detail") or "")
            or "takes 0 positional arguments" in (d.get("detail") or "")]
    return bad


# ---------------------------------------------------------------------------------------------- naming
@pytest.mark.parametrize(("spec", "parsed"), [
    ("sparse", ("sparse", "", None)),
    ("mylib.array_api:xp", ("mylib.array_api", "xp", None)),
    ("pkg:ns.inner", ("pkg", "ns.inner", None)),
])
def test_spec_without_a_call(spec, parsed):
    assert parse_spec(spec) == parsed


def test_spec_with_a_factory_call_loads_literals_and_dotted_names():
    module, attribute, arguments = parse_spec("m:make(numpy, 'x', 3, numpy.linalg)")
    assert (module, attribute) == ("m", "make")
    assert [a() for a in arguments] == [np, "x", 3, np.linalg]


@pytest.mark.parametrize("spec", ["mylib:", "a:b:c", "m:f(1+2)", "m:f(x=1)", "m:f(", "bad name:x", ":x"])
def test_malformed_spec_is_refused_with_an_example(spec):
    with pytest.raises(UnknownBackend, match="malformed backend .* e.g. mylib, mylib.array_api:xp"):
        parse_spec(spec)


def test_a_module_that_is_a_namespace_is_a_backend():
    backend = get_backend("sparse")
    assert isinstance(backend, NamespaceBackend) and backend.standard_only
    assert backend.dist == "sparse" and backend.version() == __import__("sparse").__version__


def test_a_factory_builds_the_namespace_once():
    backend = get_backend(MARRAY)
    ns = backend.namespace()
    assert ns is backend.namespace() and ns.__array_api_version__
    assert backend.version() == __import__("importlib.metadata").metadata.version("marray")


def test_a_module_that_is_no_namespace_is_refused_in_one_line(cli):
    proc = cli("run", "--backend", "json", "--ops", "sin")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "backend 'json': the module is not an Array API namespace" in proc.stderr


# ---------------------------------------------------------------------------------------------- reading back
class _Wrapped:
    def __init__(self, data, shape=None):
        self.data, self.shape, self.dtype = np.asarray(data), shape or np.shape(data), np.asarray(data).dtype


class _ObjectArray(_Wrapped):
    def __array__(self, dtype=None, copy=None):  # what an array without any export turns into
        out = np.empty((), dtype=object)
        out[()] = self
        return out


class _Dense(_ObjectArray):
    def todense(self):
        return self.data


def test_an_object_array_is_no_reading_and_the_next_way_is_taken():
    reader = readback.Reader()
    out = reader.read(_Dense([1.0, 2.0]))
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0] and reader.path == "todense()"
    assert readback.problem(_Dense([1.0]), np.asarray(_Dense([1.0]))) == "gave an object array"


def test_the_way_that_worked_is_tried_first_next_time():
    reader = readback.Reader()
    reader.read(_Dense([1.0]))
    assert [name for name, _ in reader.ways(_Dense([1.0]))][0] == "todense()"


def test_a_changed_shape_is_no_reading():
    assert readback.problem(_Wrapped([1.0, 2.0]), np.zeros(())) == "gave shape () for shape (2,)"


def test_nothing_readable_says_every_way_and_what_to_implement():
    with pytest.raises(readback.Unreadable) as caught:
        readback.Reader().read(_ObjectArray([1.0]))
    text = str(caught.value)
    assert "__array__: gave an object array" in text and "dlpack: no __dlpack__" in text
    assert "implement __dlpack__" in text


def test_the_backends_own_converter_comes_first_and_is_not_trusted_blindly():
    reader = readback.Reader(own=lambda x: np.zeros(5))  # a converter that loses the shape
    assert reader.read(_Dense([3.0])).tolist() == [3.0] and reader.path == "todense()"


# ---------------------------------------------------------------------------------------------- whole runs
def test_results_nothing_can_read_are_unreadable_never_divergences(tmp_path):
    proc = run_cli("run", "--backend", "exports_xp:opaque,exports_xp:exporting", "--ops", "sin,sort",
                   "--dtypes", "float64,int32", "-n", "0", "-q", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    by_backend = {}
    for r in records(tmp_path):
        by_backend.setdefault(r["backend"], []).append(r)
    opaque, exporting = by_backend["exports_xp:opaque"], by_backend["exports_xp:exporting"]
    assert {r["status"] for r in opaque} == {"unreadable"} and not any(r["divergences"] for r in opaque)
    first = opaque[0]["unreadable"]
    assert first["count"] >= 1 and "cannot read a result of type exports_xp.Opaque back" in first["reason"]
    assert first["input"].startswith("args = (")
    assert {r["status"] for r in exporting} == {"parity"}, [r["id"] for r in exporting if r["status"] != "parity"]
    assert "unreadable" in proc.stdout  # the gate names it


def test_a_fault_of_the_harness_is_a_harness_error_with_its_traceback(tmp_path):
    proc = run_cli("run", "--backend", "harness_fault_backend:Faulty", "--ops", "sin", "--dtypes", "float64",
                   "-n", "1", "-q", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    (record,) = records(tmp_path)
    assert record["status"] == "harness-error" and record["divergences"] == []
    assert record["reason"] == "harness error: ValueError: the first leaf's first line"
    trace = (tmp_path / "harness-errors" / "sin[harness_fault_backend_Faulty-cpu-float64].txt")
    assert record["traceback"] == str(trace) and "ExceptionGroup" in trace.read_text()


def test_sparse_runs_without_a_shim_and_its_divergences_are_its_own(tmp_path):
    proc = run_cli("run", "--backend", "sparse", "--ops", "sort,add", "--dtypes", "float64,int64",
                   "-n", "0", "-q", "--max-examples", "5", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    recs = records(tmp_path)
    assert not harness_side(recs), harness_side(recs)
    details = {(r["op"], d["category"], d.get("detail", "")) for r in recs for d in r["divergences"]}
    # sparse's sort of an empty array raises, where NumPy returns it empty: a real bug of the library
    assert any(op == "sort" and cat == "error" and "NaN to integer" in det for op, cat, det in details), details
    assert sum(r["status"] == "parity" for r in recs) > len(recs) // 2


def test_marray_by_its_factory_runs_and_reads_back_through_dlpack(tmp_path):
    proc = run_cli("run", "--backend", MARRAY, "--ops", "sin,add,sum,argmax,__array_namespace_info__", "-n", "0",
                   "-q", "--max-examples", "5", "--out", str(tmp_path))
    recs = records(tmp_path)
    assert recs and not harness_side(recs), harness_side(recs)
    assert proc.returncode in (0, 1)
    info = [r for r in recs if r["op"] == "__array_namespace_info__"]
    assert info and all("takes 0 positional" not in json.dumps(r) for r in info)


def test_backends_describes_what_it_found(cli):
    proc = cli("backends", "--backend", "sparse", "--backend", MARRAY)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "namespace    sparse" in text and f"standard     {__import__('sparse').__array_api_version__}" in text
    assert "out: todense()" in text and "refused: __array__ (RuntimeError: Cannot convert a sparse array" in text
    assert "namespace    marray.numpy" in text and "out: dlpack" in text


def test_the_fault_backend_fixture_is_a_backend():
    """The planted fault must be in harness code that runs outside the library's calls."""
    import sys

    sys.path.insert(0, str(TESTS))
    try:
        from harness_fault_backend import Faulty

        with pytest.raises(ExceptionGroup):
            Faulty().supports_dtype("float64", np)
    finally:
        sys.path.remove(str(TESTS))


def _numpy_lags_the_standard() -> set[str]:
    """Standard functions whose NumPy main-namespace signature lacks one of the standard's keywords
    (derived from the shipped signature data, not listed by hand)."""
    import inspect

    from parity.coverage import load_spec

    lagging = set()
    for fn in load_spec("2025.12")["functions"]:
        target = np
        for part in fn["name"].split("."):
            target = getattr(target, part, None)
        try:
            have = set(inspect.signature(target).parameters) if target is not None else None
        except (TypeError, ValueError):
            continue
        wanted = {p["name"] for p in fn["params"] if p["kind"] in ("keyword-only", "positional or keyword")}
        if have is None or any(p.kind == p.VAR_KEYWORD for p in inspect.signature(target).parameters.values()):
            continue
        if wanted - have:
            lagging.add(fn["name"])
    return lagging


def test_numpy_named_as_an_unknown_namespace_shows_no_harness_artifact(tmp_path):
    """NumPy named as a namespace the harness knows nothing of, against NumPy: every op of the standard's
    domain through its Array API spelling, inputs by asarray, results by the generic read-back. A
    difference can only be the harness's (a spelling that does not shape the result as the reference
    does, a conversion) -- or NumPy's main namespace lacking a keyword the standard has added."""
    dtypes = "bool,int8,int16,int32,int64,uint8,uint16,uint32,uint64,float32,float64,complex64,complex128"
    proc = run_cli("run", "--backend", "importlib:import_module('numpy')", "--dtypes", dtypes, "--domain", "standard",
                   "--max-examples", "0", "-n", "2", "-q", "--out", str(tmp_path))
    recs = records(tmp_path)
    assert len(recs) > 3000 and proc.returncode in (0, 1), proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not harness_side(recs), harness_side(recs)
    lagging = _numpy_lags_the_standard()
    for r in recs:
        if r["status"] in ("parity", "unsupported"):
            continue
        assert r["op"] in lagging, (r["id"], [d.get("detail") for d in r["divergences"]])
        assert all(d["category"] == "error" and "unexpected keyword argument" in d["detail"]
                   for d in r["divergences"]), r["id"]


def test_what_a_library_without_complex_cannot_be_asked_is_skipped_not_its_divergence(tmp_path):
    """A mix that computes in complex is skipped like a case of a dtype the library lacks; a sample passing
    dtype=complex128 is not run and the record's notes count it (ndonnx has no complex dtypes)."""
    proc = run_cli("run", "--backend", "exports_xp:real_only", "--ops", "add,mean",
                   "--dtypes", "float64,bool+py-complex,float64+py-complex", "-n", "0", "-q", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    by_id = {r["id"]: r for r in records(tmp_path)}
    mix = by_id["add[exports_xp:real_only-cpu-bool+py-complex]"]
    assert mix["status"] == "skipped" and mix["reason"] == "exports_xp:real_only has no dtype complex128"
    mean = by_id["mean[exports_xp:real_only-cpu-float64]"]
    assert mean["status"] == "parity" and mean["fixed_samples"] > 1
    assert mean["notes"] == ["1 input(s) not run: exports_xp:real_only has no dtype complex128"]


def test_a_factory_with_several_arguments_is_one_backend_in_a_list():
    from parity.options import split_list

    assert split_list(["numpy,m:make(numpy, 'x'),torch"]) == ("numpy", "m:make(numpy, 'x')", "torch")


def test_masked_elements_are_not_read_as_values():
    """DLPack carries no mask: what lies under marray's mask is no answer of the library's, so a result
    with masked elements is the library's outcome "masked" (as if it raised), never its data compared;
    an unmasked one is read as usual."""
    import marray

    xp = get_backend(MARRAY).namespace()
    assert xp.__name__ == marray.masked_namespace(np).__name__
    masked = xp.sin(xp.asarray(np.arange(3.0), mask=np.array([False, True, False])))
    with pytest.raises(readback.MaskedResult, match="1 of 3 result element"):
        readback.Reader().read(masked)
    assert readback.Reader().read(xp.sin(xp.asarray(np.arange(3.0)))).tolist() == np.sin(np.arange(3.0)).tolist()


def test_a_library_without_complex_gets_verdicts_in_every_conformance_area(tmp_path):
    """Every conformance area asks only for dtypes the library has (ndonnx once made two areas harness errors)."""
    proc = run_cli("run", "--backend", "real_numpy:xp", "--ops", "conformance/*", "-n", "0", "-q",
                   "--out", str(tmp_path))
    recs = records(tmp_path)
    assert len(recs) >= 10, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert not [r["id"] for r in recs if r["status"] in ("harness-error", "unreadable", "crash")], \
        [(r["id"], r.get("reason")) for r in recs if r["status"] in ("harness-error", "unreadable", "crash")]


def test_a_reproducer_imports_a_factorys_modules_and_not_its_literals():
    imports, setup, name = NamespaceBackend("marray:masked_namespace(numpy, True, None)").script()
    assert imports == ["import marray", "import numpy"]
    assert setup == ["xp = marray.masked_namespace(numpy, True, None)"] and name == "xp"
