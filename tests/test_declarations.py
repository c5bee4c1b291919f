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
