"""Every declared divergence still occurs.

A declaration that no longer happens is stale registry data: it would hide a
regression of the same kind. Each (backend, op, surface) with declarations runs
the op's fixed samples only (no Hypothesis), for every dtype a declaration
covers, and must show every applicable declaration. Fixed samples only, because
a declaration that only a generated input reaches would go stale on other seeds.
"""

import importlib.util

import numpy as np
import pytest

import opinfo
from parity.backends import get_backend
from parity.runner import Runner

BACKENDS = ("torch", "array_api_strict", "dask", "jax")
_MODULES = {"torch": "torch", "array_api_strict": "array_api_strict", "dask": "dask", "jax": "jax"}


def _cases():
    for backend in BACKENDS:
        for op in opinfo.REGISTRY.values():
            surfaces = sorted({e.surface or "native" for e in op.expected if backend in e.backends})
            for surface in surfaces:
                yield pytest.param(backend, op.name, surface, id=f"{backend}-{op.name}-{surface}")


@pytest.mark.parametrize(("backend_name", "op_name", "surface"), list(_cases()))
def test_declared_divergences_still_occur(backend_name, op_name, surface):
    if importlib.util.find_spec(_MODULES[backend_name]) is None:
        pytest.skip(f"{backend_name} is not installed")
    backend = get_backend(backend_name)
    op = opinfo.get_op(op_name)
    versions = {"numpy": np.__version__, backend.dist: backend.version()}
    runner = Runner(op, backend, surface=surface)
    applicable = [d for d in op.dtypes
                  if any(e.applies(backend_name, d, "cpu", surface, versions) for e in op.expected)]
    if not applicable:
        pytest.skip(f"no declaration of {op_name} applies to {backend_name} {backend.version()} on {surface}")
    stale = []
    for dtype in applicable:
        record = runner.run_case(dtype, max_examples=0, versions=versions)
        stale += [(dtype, d["category"], d["reason"][:80]) for d in record["divergences"] if d["status"] == "stale"]
    assert not stale, f"declared but not seen on the fixed samples: {stale}"


def _domain_cases():
    """(backend, op) pairs with a declaration of their own scoped to NumPy's domain (``domain=``)."""
    for backend in BACKENDS:
        for op in opinfo.REGISTRY.values():
            if any(backend in e.backends and e.domain is not None for e in op.expected):
                yield pytest.param(backend, op.name, id=f"{backend}-{op.name}")


@pytest.mark.parametrize(("backend_name", "op_name"), list(_domain_cases()))
def test_domain_declarations_occur_somewhere(backend_name, op_name):
    """A declaration scoped to a domain describes a rule, so it is not stale in each case it applies
    to; it must still cover a divergence in some case of the op (fixed samples only)."""
    from opinfo import domain

    if importlib.util.find_spec(_MODULES[backend_name]) is None:
        pytest.skip(f"{backend_name} is not installed")
    backend = get_backend(backend_name)
    op = opinfo.get_op(op_name)
    versions = {"numpy": np.__version__, backend.dist: backend.version()}
    runner = Runner(op, backend)
    wanted = {e.reason for e in op.expected if backend_name in e.backends and e.domain is not None
              and e.applies(backend_name, e.dtypes[0] if e.dtypes else "int8", "cpu", "native", versions, "numpy")}
    if not wanted:
        pytest.skip(f"no domain declaration of {op_name} applies to {backend_name} {backend.version()}")
    cases = [d for d in domain.numpy_dtypes(op.name, op.dtypes) + domain.mixed_dtypes(op.name)
             if domain.case_domain(op.dtypes + op.extra_dtypes, d) == "numpy" or domain.is_mixed(d)]
    cases += list(op.dtypes)  # where a declaration for any domain (a shape rule) shows
    seen = set()
    for dtype in cases:
        if not wanted - seen:
            break
        record = runner.run_case(dtype, max_examples=0, versions=versions)
        seen |= {d.get("reason") for d in record["divergences"] if d["status"] == "known"}
    assert not wanted - seen, f"declared for NumPy's domain but seen in none of its {len(cases)} cases: {wanted - seen}"
