"""Conformance to the Array API standard: the engine's verdicts, declared gaps, injected bugs, and
every built-in backend's record (no new violation, no stale gap) on both surfaces."""

import json
import subprocess
import sys

import pytest

from opinfo import conformance as spec
from parity import conformance
from parity.backends import get_backend
from parity.case import Case
from parity.conformance import Check, judge
from parity.results import MEASURED

AREAS = sorted(spec.AREAS)


def _record(backend_name: str, area: str, surface: str = "native", version: str = spec.DEFAULT_SPEC) -> dict:
    case = Case(spec.PREFIX + area, backend_name, "cpu", version, surface)
    return conformance.run(case, get_backend(backend_name))


# ------------------------------------------------------------------------------ the judge, no backend


def _violation(function="abs", rule="If ``x_i`` is ``-0``, the result is ``+0``.", dtype="float32", tags=()):
    return Check(function, rule, "violates", dtype=dtype, input="x=-0.0", required="+0", library="-0.0",
                 elements=1, elements_total=1, tags=tags)


def test_a_gap_covers_only_its_backend_function_rule_and_dtype():
    gap = spec.Gap("lib", "special-cases", "abs", "If ``x_i`` is ``-0``", reason="keeps -0", dtypes=("float32",))
    [known] = judge([_violation()], [gap], "special-cases")
    assert known["status"] == "known" and known["reason"] == "keeps -0" and known["category"] == "special-case"
    for other in (_violation(function="negative"), _violation(dtype="float64"),
                  _violation(rule="If ``x_i`` is ``NaN``, the result is ``NaN``.")):
        [new] = judge([other], [gap], "special-cases")
        assert new["status"] == "new", other


def test_a_gap_whose_rule_conforms_is_stale_and_one_never_checked_is_not():
    gap = spec.Gap("lib", "special-cases", "abs", "If ``x_i`` is ``-0``", reason="keeps -0")
    conforming = Check("abs", "If ``x_i`` is ``-0``, the result is ``+0``.", "conforms", dtype="float32")
    [stale] = judge([conforming], [gap], "special-cases")
    assert stale["status"] == "stale" and "did not occur" in stale["detail"]
    assert judge([Check("abs", "If ``x_i`` is ``-0``, the result is ``+0``.", "n/a")], [gap], "special-cases") == []


def test_a_where_gap_covers_only_violations_whose_every_failing_input_has_the_property():
    ftz = spec.Gap("lib", "special-cases", "*", "", reason="flush to zero", where="subnormal")
    [known] = judge([_violation(tags=("subnormal",))], [ftz], "special-cases")
    [new] = judge([_violation()], [ftz], "special-cases")
    assert (known["status"], new["status"]) == ("known", "new")


@pytest.mark.parametrize("kwargs", [dict(function="*", rule="x"), dict(function="abs", rule=" "),
                                    dict(function="abs", rule="x", where="nowhere")])
def test_unbounded_or_malformed_gaps_are_refused(kwargs):
    with pytest.raises(ValueError):
        spec.Gap("lib", "special-cases", reason="why", **kwargs)


def test_unspecified_and_ambiguous_are_never_failures():
    checks = [Check("sqrt", "r", "ambiguous", dtype="complex64"), Check("x", "r", "unspecified"),
              Check("y", "r", "n/a")]
    assert judge(checks, [], "special-cases") == []


# --------------------------------------------------------------------------- injected bugs are found


def test_special_case_bugs_are_new_and_nothing_else_changes():
    """The bug namespace is NumPy with six broken functions: exactly those join NumPy's own gaps. isinf's and
    remainder's bugs break only an "In the remaining cases" rule; divide's off-by-an-ulp quotients break the
    remaining rule's correct rounding."""
    bugged = _record("conform_special_bug:xp", "special-cases")
    numpy = _record("numpy", "special-cases")
    assert numpy["status"] == "known"
    found = {(d["function"], d["detail"], d["dtype"]) for d in bugged["divergences"]}
    baseline = {(d["function"], d["detail"], d["dtype"]) for d in numpy["divergences"]}
    assert baseline < found
    assert {f for f, _, _ in found - baseline} == {"abs", "maximum", "round", "isinf", "remainder", "divide"}
    remaining = {(f, dtype) for f, rule, dtype in found - baseline if rule.startswith("In the remaining cases")}
    assert {(f, rule[:22], dtype) for f, rule, dtype in found - baseline if f in ("isinf", "remainder")} == {
        (f, "In the remaining cases", d) for f in ("isinf", "remainder") for d in ("float32", "float64")}
    assert {("divide", "float32"), ("divide", "float64")} <= remaining
    mod = next(d for d in bugged["divergences"] if d["function"] == "remainder" and d["dtype"] == "float64")
    assert "x1=0.25, x2=-0.25" in mod["input"] and mod["reference"].startswith("-0.0") and mod["follows"] == "neither"
    assert all(d["status"] == "new" for d in bugged["divergences"])  # a user namespace has no declared gaps
    abs_zero = next(d for d in bugged["divergences"] if d["function"] == "abs" and "``-0``" in d["detail"])
    assert abs_zero["implementation"] == "-0.0" and abs_zero["reference"] == "+0" and abs_zero["numpy"] == "0.0"
    assert abs_zero["follows"] == "neither"


def test_conflicting_bullets_are_ambiguous_not_violations():
    """sqrt's 'a is NaN and b is any value' bullet and its conjugate symmetry disagree on NaN - inf j."""
    record = _record("array_api_strict", "special-cases")
    assert record["checked"]["sqrt"].get("ambiguous", 0) >= 1
    assert not [d for d in record["divergences"] if d["function"] == "sqrt"]


# -------------------------------------------------------------------- every backend: no new, no stale


def _surfaces():
    out = []
    for name in ("numpy", "array_api_strict", "torch", "jax", "dask"):
        backend = get_backend(name)
        if backend.availability():
            continue
        out += [(name, "native")] + ([(name, "array-api")] if name not in ("array_api_strict",) else [])
    return out


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(("backend", "surface"), _surfaces())
def test_every_violation_is_a_declared_gap_and_every_gap_still_occurs(backend, surface, area):
    """Every area on every built-in backend and surface, against both versions of the standard: the one place
    where the declared gaps are held to what the libraries do (the area tests check verdicts on their own)."""
    problems = []
    for version in spec.SPEC_VERSIONS:
        record = _record(backend, area, surface, version)
        assert record["status"] not in ("crash", "unsupported"), record.get("reason")
        problems += [f"{version}: {d['status']} {d['function']} [{d.get('dtype')}] {d['detail'][:100]} | "
                     f"{d.get('input', '')[:80]} | {d.get('implementation', '')[:80]}"
                     for d in record["divergences"] if d["status"] in ("new", "stale")]
    assert not problems, "\n".join(problems)


def test_every_area_runs_by_default():
    assert spec.DEFAULT_AREAS == tuple(spec.AREAS)


def test_array_api_strict_conforms_to_every_rule_but_its_declared_gaps():
    gaps = [g for g in spec.GAPS if g.backend == "array_api_strict"]
    assert {(g.area, g.function) for g in gaps} <= {
        ("special-cases", "expm1"), ("special-cases", "tanh"), ("special-cases", "sign"),
        ("special-cases", "floor_divide"), ("scalars", "__complex__"),
        ("statistical", "std"), ("statistical", "var"), ("indexing", "__getitem__"),
        ("devices", "info.default_dtypes"), ("names", "info.devices"),
        ("results", "broadcast_arrays"), ("results", "meshgrid")}  # 2024.12 annotates List[array]; strict: tuples


def test_a_record_does_not_depend_on_memory_addresses():
    """torch's ``Tensor.size`` is a bound method whose repr names its address: two runs still agree."""
    pytest.importorskip("torch")
    first, second = _record("torch", "names"), _record("torch", "names")
    assert any("built-in method" in d.get("implementation", "") for d in first["divergences"])
    assert first["divergences"] == second["divergences"]


# ------------------------------------------------------------------------------------ through the CLI


def test_conformance_cases_run_deterministically_through_the_cli(tmp_path):
    def run(out):
        proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "numpy", "--ops",
                               "conformance/*", "--spec", "2024.12", "-n", "0", "--out", str(out)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        doc = json.loads((out / "results.json").read_text())
        return [{k: v for k, v in r.items() if k not in MEASURED} for r in doc["records"]]

    first, second = run(tmp_path / "a"), run(tmp_path / "b")
    assert first == second
    assert {r["id"] for r in first} == {f"conformance/{a}[numpy-cpu-2024.12]" for a in AREAS}
    assert all(r["kind"] == "conformance" and r["spec"] == "2024.12" for r in first)


def test_an_unknown_area_is_refused_in_one_line():
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", "numpy", "--ops",
                           "conformance/nonsense", "-n", "0"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "conformance/nonsense" in proc.stderr
