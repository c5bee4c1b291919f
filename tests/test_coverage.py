"""The Array API function list shipped as data, and the coverage check built on it."""

import json

import pytest

import opinfo
from parity import coverage


def test_shipped_spec_versions():
    assert {"2024.12", "2025.12"} <= set(coverage.available_specs())
    new = {f["name"] for f in coverage.load_spec("2025.12")["functions"]}
    old = {f["name"] for f in coverage.load_spec("2024.12")["functions"]}
    assert {"linalg.eig", "linalg.eigvals", "isin", "broadcast_shapes"} <= new - old
    assert len(new) == 175 and {"sort", "fft.fft", "linalg.cholesky", "__array_namespace_info__"} <= new


def _sort(x, /, *, axis=-1, descending=False, stable=True):
    return x


def _sort_positional(x, axis=-1, descending=False, stable=True):
    return x


def _sort_missing(x, /, *, axis=-1):
    return x


def _sort_kwargs(x, **kwargs):
    return x


def test_signature_problems():
    params = next(f for f in coverage.load_spec("2025.12")["functions"] if f["name"] == "sort")["params"]
    assert coverage.signature_problems(params, _sort) == []
    assert coverage.signature_problems(params, _sort_positional) == []  # keywords may also be positional
    assert coverage.signature_problems(params, _sort_kwargs) == []
    assert coverage.signature_problems(params, _sort_missing) == ["no keyword 'descending'", "no keyword 'stable'"]
    assert coverage.signature_problems(params, len) == ["no keyword 'axis'", "no keyword 'descending'",
                                                        "no keyword 'stable'"]


def test_builtin_without_signature_is_not_inspectable():
    torch = pytest.importorskip("torch")
    assert coverage.signature_problems([], torch.sort) is None


def test_coverage_rows_against_a_namespace():
    import array_api_strict

    rows = {r.name: r for r in coverage.coverage("2025.12", opinfo.REGISTRY, array_api_strict)}
    assert rows["sort"].has_entry and rows["sort"].present and rows["sort"].signature == "match"
    assert rows["linalg.eig"].present


def test_coverage_command(cli):
    proc = cli("coverage", "--spec", "2025.12", "--json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert len(doc["functions"]) == 175
    assert sum(f["has_entry"] for f in doc["functions"]) >= 128
    proc = cli("coverage", "--spec", "2019.1")
    assert proc.returncode == 2 and "unknown Array API version '2019.1'" in proc.stderr
