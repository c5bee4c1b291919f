"""Standalone reproducers on real torch and dask divergences: each raises AssertionError while its
divergence exists, the same input and check rendered for NumPy itself passes, and the script
imports neither array-parity nor its registry. The assertions pasted into scripts are held to the
sweep's own rules (``opinfo.compare``, ``parity.compare``)."""

import ast
import contextlib
import io
import json
import runpy
import warnings

import numpy as np
import pytest

import opinfo
from opinfo.compare import CompareContext, compare_arrays, ulp_distance
from parity import checks, issue, results, standalone
from parity.backends import get_backend
from parity.cli import main
from parity.compare import ERROR_FAMILIES, Outcome, compatible_errors
from parity.reproducer import rendered_for
from parity.runner import Runner

#: Fixed samples only (deterministic, fast), across families, every category, dtype arguments among them.
CASES = [
    ("torch", "linspace", "float32"), ("torch", "arange", "float64"), ("torch", "arange", "uint16"),
    ("torch", "eye", "complex64"), ("torch", "full", "int8"), ("torch", "sort", "complex64"),
    ("torch", "sum", "uint64"), ("torch", "add", "complex128"), ("torch", "acos", "complex128"),
    ("torch", "special.digamma", "float32"), ("torch", "median", "int16"), ("torch", "fft.fft", "complex128"),
    ("torch", "meshgrid", "bool"), ("torch", "pow", "int16"), ("torch", "nonzero", "bool"),
    ("torch", "clip", "float32"), ("torch", "cumulative_prod", "complex128"), ("torch", "linalg.eig", "float32"),
    ("dask", "eye", "bool"), ("dask", "linspace", "complex128"), ("dask", "percentile", "float32"),
    ("dask", "max", "complex128"), ("dask", "bincount", "int16"), ("dask", "argmax", "complex128"),
]


def outcome(text: str) -> str:
    """Run a script in-process: "raise" (AssertionError), "pass" (exit 0) or the other exception."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(text, "reproducer.py", "exec"), {"__name__": "__main__"})
    except AssertionError as exc:
        return "raise: " + str(exc)
    except Exception as exc:
        return f"crash: {type(exc).__name__}: {exc}"
    return "pass"


def imported(text: str) -> set[str]:
    nodes = list(ast.walk(ast.parse(text)))
    return {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names} \
        | {node.module.split(".")[0] for node in nodes if isinstance(node, ast.ImportFrom)}


@pytest.fixture(scope="module")
def records():
    pytest.importorskip("torch")
    pytest.importorskip("dask")
    return {case: Runner(opinfo.get_op(case[1]), get_backend(case[0])).run_case(case[2], max_examples=0)
            for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=["-".join(c) for c in CASES])
def test_reproducer_raises_while_divergent_and_numpy_passes(records, case):
    record = records[case]
    assert record["divergences"], f"{case}: no divergence any more (pick another case)"
    op = opinfo.get_op(record["op"])
    for d in record["divergences"]:
        text = d["reproducer"]
        is_standalone = "from parity" not in text
        assert is_standalone or (op.compare is not None and d["category"] not in standalone.RAISING), \
            (case, d["category"], text[:600])
        said = outcome(text)
        assert said.startswith("raise: ") and case[0] in said, (case, d["category"], said)
        control = rendered_for(record, d, "numpy")
        assert outcome(control) == "pass", (case, d["category"], control)
        if is_standalone:
            assert imported(text) <= {"numpy", "scipy", "ml_dtypes", "torch", "dask", "math", "functools"}, text
            assert imported(control) <= {"numpy", "scipy", "ml_dtypes", "math", "functools"}, control


def test_dtype_arguments_and_inputs_are_the_library_own(records):
    linspace = records[("torch", "linspace", "float32")]["divergences"][0]["reproducer"]
    assert "dtype=torch.float32" in linspace and "dtype=np.dtype('float32')" in linspace
    sort = records[("torch", "sort", "complex64")]["divergences"][0]["reproducer"]
    assert "torch.from_numpy(x)" in sort and "torch 2." in sort and f"numpy {np.__version__}" in sort
    eye = next(d for d in records[("dask", "eye", "bool")]["divergences"] if d["category"] == "shape")
    assert "dask.compute(" in eye["reproducer"] and 'scheduler=' in eye["reproducer"]
    summed = next(d for d in records[("torch", "sum", "uint64")]["divergences"] if d["category"] == "value")
    assert "def call(torch, x" in summed["reproducer"] and "fname = 'sum'" in summed["reproducer"]  # adapter, copied


def test_value_reproducer_carries_the_sweep_bound():
    """digamma float32: an elementwise op, compared in ulps with its allowance (or its tolerance, where it has none)."""
    pytest.importorskip("torch")
    runner = Runner(opinfo.get_op("special.digamma"), get_backend("torch"))
    d = next(d for d in runner.run_case("float32", max_examples=0)["divergences"] if d["category"] == "value")
    allowed = runner.ctx.allowance(np.dtype("float32"), np.dtype("float32"))
    assert (f"ulps > {allowed!r}" if allowed is not None else "np.abs(r - m) >") in d["reproducer"]
    assert "def ulp_distance(ref, got):" in d["reproducer"]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "bfloat16"])
def test_inlined_ulp_distance_is_the_sweeps(dtype):
    dt = opinfo.dtypes.numpy_dtype(dtype)
    info = opinfo.dtypes.finfo(dt)
    values = np.array([0.0, -0.0, float(info.smallest_subnormal), float(info.smallest_normal), 1.0, -3.5, 1e30,
                       float(info.max) / 2], dtype=np.float64)
    ref = (values + 1j * values[::-1]) if dt.kind == "c" else values
    got = ref * (1 + 4 * float(info.eps)) + float(info.smallest_subnormal)
    scope = {"np": np}
    exec(standalone.ulp_source(dt), scope)
    np.testing.assert_array_equal(scope["ulp_distance"](ref, got), ulp_distance(ref, got, dt))


def test_inlined_error_families_are_the_sweeps():
    class _LinAlgError(RuntimeError):  # torch's name for its linalg errors
        pass

    scope = {}
    exec(checks.FAMILY.replace("FAMILIES_TUPLE", repr(ERROR_FAMILIES)), scope)
    raised = [ValueError("v"), np.linalg.LinAlgError("l"), RuntimeError("r"), _LinAlgError("t"), TypeError("t"),
              IndexError("i"), KeyError("k"), ZeroDivisionError("z"), NotImplementedError("n"), OSError("o")]
    for a in raised:
        for b in raised:
            (fa, na), (fb, nb) = scope["family"](a), scope["family"](b)
            mro = (Outcome.from_exception(a).error_mro, Outcome.from_exception(b).error_mro)
            assert (fa in nb or fb in na) == compatible_errors(*mro), (a, b)


@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("signed_zero", [True, False])
def test_inlined_special_value_rule_is_the_sweeps(dtype, signed_zero):
    """The pasted NaN/inf/signed-zero check raises exactly where compare_arrays finds a special value."""
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0]
    parts = [complex(a, b) for a in specials for b in specials] if dtype == "complex128" else specials
    ref = np.array([x for x in parts for _ in parts], dtype=dtype)
    impl = np.array([y for _ in parts for y in parts], dtype=dtype)
    ctx = CompareContext(check_signed_zero=signed_zero)
    (finding,) = [f for f in compare_arrays(ref, impl, ctx) if f.category == "special-value"]
    runner = Runner(opinfo.get_op("sqrt"), get_backend("numpy"))
    helpers, check = standalone._check("special-value", finding, runner, ctx, None, Outcome(ref), Outcome(impl))
    for i in range(ref.size):
        found = any(f.category == "special-value" for f in compare_arrays(ref[i:i + 1], impl[i:i + 1], ctx))
        scope = {"np": np, "expected": ref[i:i + 1], "actual": impl[i:i + 1]}
        with pytest.raises(AssertionError) if found else contextlib.nullcontext():
            exec("\n".join([*helpers, check]), scope)


def _document(records_):
    run = {"started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:00:09+00:00", "duration_s": 9.0,
           "interrupted": False, "complete": True, "cases_selected": len(records_), "seed": 0, "max_examples": 0,
           "surface": "native", "ops": sorted({r["op"] for r in records_}), "dtypes": None,
           "backends": [{"name": "torch", "module": "torch", "version": get_backend("torch").version(),
                         "settings": {}, "device": "cpu"}], "unavailable": {},
           "libraries": results.library_versions(("numpy", "torch", "python")), "platform": results.platform_info(),
           "argv": ["parity", "run"], "workers": 0}
    return results.document(run, json.loads(json.dumps(records_)))


def test_reproducer_command_gives_an_issue_body(records, tmp_path, capsys):
    path = tmp_path / "results.json"
    results.write(path, _document([records[("torch", "sum", "uint64")], records[("torch", "sort", "complex64")]]))
    assert main(["reproducer", str(tmp_path), "sort[torch-cpu-complex64]"]) == 0
    script = capsys.readouterr().out
    assert script.startswith('"""array-parity reproducer: sort on torch') and "import parity" not in script
    assert main(["reproducer", str(path), "sum[torch-cpu-uint64]", "--category", "dtype", "--format", "issue"]) == 0
    body = capsys.readouterr().out
    title, *rest = body.splitlines()
    assert title == "# torch: `sum` returns another dtype than NumPy (uint64)"
    text = "\n".join(rest)
    assert "```python\n" + records[("torch", "sum", "uint64")]["divergences"][0]["reproducer"].rstrip() in text
    assert "AssertionError: result dtype: NumPy uint64, torch int64" in text  # the script's output, run here
    assert f"- numpy {np.__version__}" in text and "- torch 2." in text


@pytest.mark.parametrize(("args", "says"), [
    (["missing.json", "sort[torch-cpu-complex64]"], "no such file"),
    (["RESULTS", "sort[torch-cpu-complex6]"], "did you mean 'sort[torch-cpu-complex64]'"),
    (["RESULTS", "sum[torch-cpu-uint64]"], "choose one with --category"),
    (["RESULTS", "sum[torch-cpu-uint64]", "--category", "order"], "has no order divergence"),
])
def test_reproducer_command_bad_input_is_one_line_and_status_2(records, tmp_path, capsys, args, says):
    results.write(tmp_path / "results.json", _document([records[("torch", "sum", "uint64")],
                                                        records[("torch", "sort", "complex64")]]))
    argv = [str(tmp_path / a) if a.endswith(".json") else str(tmp_path) if a == "RESULTS" else a for a in args]
    assert main(["reproducer", *argv]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1, err


def test_issue_says_when_the_divergence_did_not_occur():
    doc = _document([])
    record = {"backend": "torch", "op": "sum", "dtype": "uint64", "device": "cpu"}
    divergence = {"category": "dtype", "detail": "d", "reproducer": "print('hi')\n", "status": "new"}
    body = issue.markdown(doc, record, divergence, run=lambda text: (0, "hi"))
    assert "exit status 0: the divergence did not occur here" in body and "needs only NumPy and torch" in body


def test_runpy_of_a_written_reproducer(records, tmp_path):
    """As `parity run` writes them: a file run as __main__."""
    path = tmp_path / "r.py"
    path.write_text(records[("torch", "eye", "complex64")]["divergences"][0]["reproducer"])
    with pytest.raises(AssertionError, match="torch raises"), contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(str(path), run_name="__main__")


def test_a_split_divergence_checks_only_its_own_elements():
    """Where declarations cover some differing elements (taxonomy.judge splits the finding), the script
    of the rest asserts on those elements alone: fixing them makes it pass though the declared ones differ."""
    import dataclasses

    runner = Runner(opinfo.get_op("sqrt"), get_backend("numpy"))
    x = np.array([1.0, 4.0, 9.0, 16.0])
    ref, impl = np.sqrt(x), np.sqrt(x) * np.array([1.0, 1.01, 1.0, 1.01])
    (whole,) = [f for f in runner.ctx.values(ref, impl) if f.category == "value"]
    mine = np.array([False, True, False, False])
    finding = dataclasses.replace(whole, mask=mine, count=1, detail="1 of 4 elements differ (value; ...)")
    text = standalone.render(runner, "float64", finding, opinfo.spec.Sample((x,)), Outcome(ref), Outcome(impl))
    assert "only[tuple(zip(*[(1,)]))] = True" in text
    body = text[text.index("e, a = "):]
    for got, raises in ((impl, True), (np.sqrt(x) * np.array([1.0, 1.0, 1.0, 1.01]), False)):
        with pytest.raises(AssertionError) if raises else contextlib.nullcontext():
            exec(body, {"np": np, "expected": ref, "actual": got,
                        "ulp_distance": lambda r, m: ulp_distance(r, m, np.float64)})
