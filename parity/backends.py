"""Array libraries under test: how to import them, move NumPy inputs onto a device, and back.

Each backend has two surfaces: its *native* namespace (what its users call:
``torch``, ``jax.numpy``, ``dask.array``, ``cupy``) and its *Array API*
namespace (its own ``__array_namespace__``, else array-api-compat's wrapper).
A missing package or device makes a backend *unavailable with a reason*, never
a crash. Settings that change semantics (JAX's 64-bit mode, Dask's chunking and
scheduler) are declared by each backend class (:attr:`Backend.SETTINGS`), set with
``--backend-setting NAME.KEY=VALUE`` and recorded in every result. Adding a backend
touches this file only (or none: ``module:attribute`` and entry points).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from opinfo.dtypes import numpy_dtype
from opinfo.spec import BACKEND_ENTRY_POINTS as ENTRY_POINT_GROUP
from parity.backend import (
    Backend,
    BackendUnavailable,
    BadSetting,
    Setting,
    UnknownBackend,
    boolean,
    dist_version,
    element_strides,
    parse_settings,
    positive_int,
    same_layout_copy,
)
from parity.namespace_backend import NAMESPACE_FUNCTIONS, NamespaceBackend, is_namespace, parse_spec

__all__ = ["Backend", "BackendUnavailable", "BadSetting", "Setting", "UnknownBackend", "builtin_backends",
           "get_backend", "known_backend_names", "parse_settings", "reported_libraries"]


BFLOAT16 = numpy_dtype("bfloat16")


class NumpyBackend(Backend):
    #: NumPy is the reference library itself: its inputs get the reference side's corrections.
    is_reference: ClassVar[bool] = True

    def to_numpy(self, x):
        return np.asarray(x)

    def is_array(self, x) -> bool:
        return isinstance(x, (np.ndarray, np.generic))

    def from_numpy(self, x, device):
        return same_layout_copy(x)

    def dtype(self, dtype, namespace):
        return numpy_dtype(dtype) if namespace is np else super().dtype(dtype, namespace)

    def supports_dtype(self, dtype, namespace):
        """NumPy computes on ml_dtypes' bfloat16 (ml_dtypes registers its ufunc loops); np has no attribute."""
        return super().supports_dtype(dtype, namespace) or (namespace is np and dtype == "bfloat16")


class ArrayApiStrictBackend(Backend):
    def to_numpy(self, x):
        try:
            return np.from_dlpack(x)
        except (TypeError, RuntimeError, BufferError):
            return np.asarray(x._array)


class TorchBackend(Backend):
    import_in_child: ClassVar[bool] = True
    def device_problem(self, device):
        problem = super().device_problem(device)
        if problem or device == "cpu":
            return problem
        if "+cpu" in self.version():  # read from the package metadata: no second of importing torch to learn it
            return f"backend 'torch': device 'cuda' requested but this torch is a CPU-only build ({self.version()})"
        if not self.namespace().cuda.is_available():
            return (f"backend 'torch': device 'cuda' requested but torch.cuda.is_available() is False "
                    f"(torch {self.version()})")
        return None

    def from_numpy(self, x, device):
        torch = self.namespace()
        if x.dtype == BFLOAT16:  # torch.from_numpy does not know ml_dtypes: move the bits, then reinterpret
            contiguous = torch.from_numpy(np.array(x, copy=True, order="C").view(np.uint16)).view(torch.bfloat16)
        else:
            contiguous = torch.from_numpy(np.array(x, copy=True, order="C"))
        contiguous = contiguous.to(device)
        strides = element_strides(x)
        if strides is None:
            return contiguous
        buffer = torch.zeros(1 + sum((n - 1) * s for n, s in zip(x.shape, strides)), dtype=contiguous.dtype,
                             device=contiguous.device)
        view = torch.as_strided(buffer, x.shape, strides)
        view.copy_(contiguous)
        return view

    def to_numpy(self, x):
        torch = self.namespace()
        x = x.detach().cpu().resolve_conj().resolve_neg()
        if x.dtype == torch.bfloat16:  # the same bits as ml_dtypes' bfloat16 (Tensor.numpy() refuses bfloat16)
            return x.view(torch.int16).numpy().view(BFLOAT16)
        return x.numpy()

    def is_array(self, x):
        return isinstance(x, self.namespace().Tensor)


def _jax_cache_dir() -> str | None:
    """Where JAX keeps compiled programs between runs (ARRAY_PARITY_JAX_CACHE; empty turns it off)."""
    path = os.environ.get("ARRAY_PARITY_JAX_CACHE", str(Path.home() / ".cache" / "array-parity" / "jax"))
    return path or None


def _jax_gpu_plugin() -> bool:
    """Whether a JAX GPU plugin (jax-cuda12-plugin, jax-rocm60-plugin, ...) or a CUDA jaxlib is installed:
    without one JAX has no GPU platform."""
    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name.startswith(("jax-cuda", "jax-rocm")) or (name == "jaxlib" and any(
                tag in dist.version for tag in ("cuda", "rocm"))):
            return True
    return False


class JaxBackend(Backend):
    import_in_child: ClassVar[bool] = True
    SETTINGS: ClassVar[dict[str, Setting]] = {
        "x64": Setting(True, boolean, "64-bit default types (jax_enable_x64)"),
        "compilation_cache": Setting(_jax_cache_dir, lambda v: str(v) if v else None,
                                     "persistent compilation cache folder (empty: none)"),
    }
    LIBRARIES: ClassVar[tuple[str, ...]] = ("jax", "jaxlib")

    def namespace(self):
        ns = super().namespace()
        import jax

        jax.config.update("jax_enable_x64", bool(self.settings.get("x64", True)))
        cache = self.settings.get("compilation_cache")
        if cache:  # every new shape compiles: a persistent cache makes repeated sweeps fast
            jax.config.update("jax_compilation_cache_dir", str(cache))
            jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
            jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
        return ns

    def version(self):
        return dist_version("jax")

    def _device(self, device):
        import jax

        return jax.devices(device)[0]

    def device_problem(self, device):
        problem = super().device_problem(device)
        if problem:
            return problem
        if device == "cpu" and not os.environ.get("JAX_PLATFORMS"):  # JAX always has its CPU unless told otherwise
            return None
        if device == "gpu" and not _jax_gpu_plugin():  # known without importing jax
            return "backend 'jax': no 'gpu' device (no JAX GPU plugin is installed: pip install 'jax[cuda12]')"
        self.namespace()
        try:
            self._device(device)
        except RuntimeError as exc:
            return f"backend 'jax': no {device!r} device ({str(exc).splitlines()[0]})"
        return None

    def from_numpy(self, x, device):
        import jax

        return jax.device_put(np.array(x, copy=True), self._device(device))

    def to_numpy(self, x):
        return np.asarray(x)

    release_above_mib: ClassVar[float | None] = 1536.0

    def release(self) -> None:
        """Every dtype pair compiles programs of its own, which JAX keeps in memory: a worker that ran
        thousands of mixes held 5 GB, one op's 170 dtype pairs 1.5 GB. Its caches are cleared between ops,
        and after a case that leaves the worker above :attr:`release_above_mib` (the persistent cache
        stays). Clearing after every case kept a worker under 0.9 GB but made the sweep 32% slower
        (725 s against 549 s): jitted helpers are traced and lowered again."""
        import jax

        jax.clear_caches()

    def is_array(self, x):
        import jax

        return isinstance(x, jax.Array)

    def abstract(self, call):
        """The result's dtype and shape by tracing (jax.eval_shape): running would compile one program
        per function and dtype pair, seconds per thousand. The inputs stay concrete, so value-dependent
        paths (jnp.power of a concrete integer exponent) take the branch they take when run; whatever
        tracing refuses (an error, a result that is no array) is run, so its outcome is the real one."""
        import jax

        try:
            return jax.eval_shape(call)
        except Exception:  # noqa: BLE001 - run it: the library's own outcome, not a tracing artefact
            return call()


class DaskBackend(Backend):
    import_in_child: ClassVar[bool] = True
    SETTINGS: ClassVar[dict[str, Setting]] = {
        "chunks_per_axis": Setting(2, positive_int, "chunks each input axis is split into"),
        "scheduler": Setting("synchronous", str, "dask scheduler for compute()"),
    }

    def from_numpy(self, x, device):
        da = self.namespace()
        chunks = tuple(max(1, math.ceil(n / int(self.settings.get("chunks_per_axis", 2)))) for n in x.shape)
        return da.from_array(np.array(x, copy=True), chunks=chunks or ())

    def finalize(self, value):
        import dask

        (value,) = dask.compute(value, scheduler=self.settings.get("scheduler", "synchronous"))
        return value

    def to_numpy(self, x):  # computed (finalize) results are NumPy's
        return np.asarray(x)

    def is_array(self, x):
        return isinstance(x, np.ndarray) or type(x).__module__.startswith("dask")

    def dtype(self, dtype, namespace):
        return np.dtype(dtype) if namespace is self.namespace() else super().dtype(dtype, namespace)

    def supports_dtype(self, dtype, namespace):
        return True


class CupyBackend(Backend):
    def device_problem(self, device):
        problem = super().device_problem(device)
        if problem:
            return problem
        try:
            count = self.namespace().cuda.runtime.getDeviceCount()
        except Exception as exc:  # CUDA driver errors have no common base class
            return f"backend 'cupy': no CUDA device ({exc})"
        return None if count else "backend 'cupy': no CUDA device found"

    def from_numpy(self, x, device):
        return self.namespace().asarray(np.array(x, copy=True))

    def to_numpy(self, x):
        return self.namespace().asnumpy(x)

    def dtype(self, dtype, namespace):
        return np.dtype(dtype)

    def supports_dtype(self, dtype, namespace):
        return dtype != "bfloat16"  # CuPy has NumPy's dtypes, not ml_dtypes'


def builtin_backends() -> dict[str, Backend]:
    return {
        "numpy": NumpyBackend("numpy", "numpy", "numpy"),
        "array_api_strict": ArrayApiStrictBackend("array_api_strict", "array_api_strict", "array-api-strict"),
        "torch": TorchBackend("torch", "torch", "torch", devices=("cpu", "cuda"), extra="torch"),
        "jax": JaxBackend("jax", "jax.numpy", "jax", devices=("cpu", "gpu"), extra="jax"),
        "dask": DaskBackend("dask", "dask.array", "dask", extra="dask"),
        "cupy": CupyBackend("cupy", "cupy", "cupy", devices=("cuda",), extra="cupy"),
    }


def _backend_or_namespace(spec: str) -> Backend:
    """``module:attribute`` naming a Backend (instance or subclass) is used as it is; anything
    else is taken as an Array API namespace. An import failure surfaces later as unavailable."""
    module, attribute, arguments = parse_spec(spec)
    try:
        obj = importlib.import_module(module)
        for part in filter(None, attribute.split(".")):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return NamespaceBackend(spec)
    if arguments is None and isinstance(obj, type) and issubclass(obj, Backend):
        obj = obj()
    return obj if arguments is None and isinstance(obj, Backend) else NamespaceBackend(spec)


def _entry_point_backends() -> Mapping[str, Any]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def known_backend_names() -> list[str]:
    return list(builtin_backends()) + sorted(_entry_point_backends())


def get_backend(name: str, settings: Mapping[str, Any] | None = None) -> Backend:
    """Resolve a backend by built-in name, entry point, or ``module:attribute``, with its settings."""
    backend = _lookup(name)
    backend.configure(settings or {})
    return backend


def reported_libraries(backends) -> tuple[str, ...]:
    """The distributions a run reports: the harness's own, every built-in backend's and the selected ones'."""
    core = ("numpy", "scipy", "hypothesis", "pytest", "pytest-xdist", "array-api-compat")
    found = [lib for b in (*builtin_backends().values(), *backends) for lib in b.libraries()]
    return tuple(dict.fromkeys((*core, *found, "array-parity")))


def _lookup(name: str) -> Backend:
    builtin = builtin_backends()
    if name in builtin:
        return builtin[name]
    eps = _entry_point_backends()
    if name in eps:
        backend = _backend_or_namespace(f"{eps[name].module}:{eps[name].attr}")
        if isinstance(backend, NamespaceBackend):
            backend.name = name
        return backend
    if ":" in name:
        return _backend_or_namespace(name)
    module = _importable(name)
    if module is not None:
        if is_namespace(module):
            return NamespaceBackend(name)
        raise UnknownBackend(f"backend {name!r}: the module is not an Array API namespace (no __array_api_version__, "
                             f"not all of {', '.join(NAMESPACE_FUNCTIONS)}); name its namespace as module:attribute")
    import difflib

    close = difflib.get_close_matches(name, known_backend_names(), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise UnknownBackend(
        f"unknown backend {name!r}{hint}; known: {', '.join(known_backend_names())} (or an importable Array API "
        f"module, module:attribute, module:factory(arguments))"
    )


def _importable(name: str):
    """The module ``name`` if it is importable (None if not, or not a module name); an installed
    module that fails to import is unavailable with its reason, later."""
    if not all(p.isidentifier() for p in name.split(".")):
        return None
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except (ImportError, ValueError):
        return None
    try:
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - a broken install is the user's to see, in one line
        raise UnknownBackend(f"backend {name!r}: importing it raised {type(exc).__name__}: {exc}") from None
