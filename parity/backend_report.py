"""What the harness finds in one backend (``parity backends --backend NAME``): its namespace,
version, standard version, devices, dtypes, and which ways of handing inputs over and reading
results back work -- what a library's maintainer checks first when a run reports ``unreadable``."""

from __future__ import annotations

import numpy as np

from opinfo.dtypes import ALL
from parity.backend import Backend, BackendUnavailable
from parity.readback import Absent, Reader, Unreadable, one_line, problem

#: A probe input per kind: the conversions are tried on each.
PROBES = {"float64": np.array([1.5, -0.0, 2.0]), "int64": np.arange(3), "bool": np.array([True, False]),
          "complex128": np.array([1 + 2j]), "0-d float64": np.array(3.0)}


def report(backend: Backend, device: str | None = None) -> list[str]:
    """Lines describing ``backend`` (BackendUnavailable when it cannot be imported)."""
    ns = backend.namespace()
    device = device or backend.devices[0]
    name = getattr(ns, "__name__", type(ns).__name__)
    lines = [f"backend      {backend.name} ({type(backend).__name__})",
             f"namespace    {name}",
             f"version      {backend.version()}",
             f"standard     {getattr(ns, '__array_api_version__', 'no __array_api_version__')}",
             f"devices      {_devices(backend, ns)}",
             f"dtypes       {', '.join(d for d in ALL if backend.supports_dtype(d, ns)) or 'none found'}"]
    found = {kind: _conversions(backend, x, device) if backend.supports_dtype(x.dtype.name, ns) else
             f"(the library has no {x.dtype.name})" for kind, x in PROBES.items()}
    if len(set(found.values())) == 1:
        return [*lines, f"conversions  {next(iter(found.values()))} (bool, integer, float, complex, 0-d alike)"]
    return lines + [f"{kind:12} {text}" for kind, text in found.items()]


def _devices(backend: Backend, ns) -> str:
    listed = []
    info = getattr(ns, "__array_namespace_info__", None)
    if callable(info):
        try:
            listed = [str(d) for d in info().devices()]
        except Exception as exc:  # noqa: BLE001 - the library's inspection API may be incomplete
            listed = [f"__array_namespace_info__().devices() raised {type(exc).__name__}"]
    usable = [d if backend.device_problem(d) is None else f"{d} (unavailable)" for d in backend.devices]
    return f"runs on {', '.join(usable)}" + (f"; the library lists {', '.join(listed)}" if listed else "")


def _conversions(backend: Backend, x: np.ndarray, device: str) -> str:
    """How an input got in and which ways read the library's array back, e.g. ``in: converter ->
    sparse.COO; out: todense(); refused: __array__ (RuntimeError: ...)``; ways the array lacks are
    left out."""
    try:
        value, way_in = backend.from_numpy(x, device), "converter"
    except Exception:  # noqa: BLE001 - then the chain's other way, which names every failure
        try:
            value, way_in = backend.hand_over(x, device), "from_dlpack"
        except (Unreadable, BackendUnavailable) as exc:
            return f"in: none works ({exc})"
    working, refused = [], []
    for label, way in Reader(own=backend.own_converter).ways(value):
        try:
            out = way(value)
            why = problem(value, out) or (None if np.array_equal(out, x, equal_nan=True) else "gave other values")
        except Absent:
            continue
        except Exception as exc:  # noqa: BLE001 - each way may fail in its own library's way
            why = one_line(exc, 100)
        (working if why is None else refused).append(label if why is None else f"{label} ({why})")
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    return (f"in: {way_in} -> {kind}; out: {', '.join(working) or 'NONE WORKS'}"
            + (f"; refused: {'; '.join(refused)}" if refused else ""))
