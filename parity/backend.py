"""The base of every backend: what a library under test must provide, and its settings.

A :class:`Backend` imports a library's namespace, moves NumPy inputs onto a device and results
back, and declares the settings a user may change (:attr:`Backend.SETTINGS`, set with
``--backend-setting NAME.KEY=VALUE``) and the distributions a result reports. The built-in
backends are in :mod:`parity.backends`; a user's own is a subclass named as ``module:attribute``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from opinfo.dtypes import numpy_dtype
from parity.readback import Reader, hand_over


class BackendUnavailable(RuntimeError):
    """The backend's package or device cannot be used here; the message says why."""


class UnknownBackend(ValueError):
    pass


class BadSetting(ValueError):
    """A backend setting that is malformed, unknown to the backend, or of the wrong type."""


def boolean(text) -> bool:
    if isinstance(text, bool):
        return text
    if str(text).strip().lower() in ("true", "1", "yes", "on"):
        return True
    if str(text).strip().lower() in ("false", "0", "no", "off"):
        return False
    raise ValueError("expected true or false")


def positive_int(text) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("expected a whole number of 1 or more")
    return value


@dataclass(frozen=True)
class Setting:
    """One setting a backend declares: its default (a callable for one computed at start) and parser."""

    default: Any
    parse: Callable[[Any], Any]
    help: str

    def initial(self):
        return self.default() if callable(self.default) else self.default


def parse_settings(items) -> dict[str, dict[str, str]]:
    """["jax.x64=false", ...] -> {"jax": {"x64": "false"}}; BadSetting for a malformed item."""
    out: dict[str, dict[str, str]] = {}
    for item in items or ():
        key_part, eq, value = str(item).partition("=")
        backend, dot, key = key_part.strip().rpartition(".")
        if not eq or not dot or not backend or not key:
            raise BadSetting(f"--backend-setting {item!r}: expected NAME.KEY=VALUE, e.g. jax.x64=false")
        out.setdefault(backend, {})[key] = value
    return out


def dist_version(dist: str, load: Callable[[], Any] | None = None) -> str:
    """The distribution's version from its metadata; else the ``__version__`` of the module ``load``
    imports, only then (importing torch or JAX takes a second)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return str(getattr(load() if load else None, "__version__", "unknown"))


#: Imports a module; on failure, one line (why) on stderr and exit status 1.
_IMPORT_PROBE = """import importlib, sys
try:
    importlib.import_module(sys.argv[1])
except Exception as exc:
    sys.exit(" ".join(str(exc).split()) or type(exc).__name__)
"""


@dataclass
class Backend:
    """A library under test. Subclasses override the conversions that differ."""

    name: str
    module: str  # import name of the native namespace
    dist: str  # distribution name, for the version and the install hint
    devices: tuple[str, ...] = ("cpu",)
    settings: dict[str, Any] = field(default_factory=dict)
    extra: str | None = None  # pip extra of array-parity that installs it
    is_reference: ClassVar[bool] = False
    #: A namespace known only by the standard (a user's): every op takes its Array API spelling, on either surface.
    standard_only: ClassVar[bool] = False
    #: Resident MiB above which the library's caches are dropped after a case, not only between ops (JAX:
    #: one op's 170 dtype pairs compile 1.5 GB of programs); None: between ops only.
    release_above_mib: ClassVar[float | None] = None
    #: What a user may set with --backend-setting NAME.KEY=VALUE; recorded in every result.
    SETTINGS: ClassVar[dict[str, Setting]] = {}
    #: Whether :meth:`probe` imports the library in a child process (a built-in one that takes long to import).
    import_in_child: ClassVar[bool] = False
    #: Distributions whose versions a result reports for this backend (default: ``dist``).
    LIBRARIES: ClassVar[tuple[str, ...]] = ()

    _reader: Reader | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        self.settings = {k: s.initial() for k, s in self.SETTINGS.items()} | dict(self.settings)

    def configure(self, values: Mapping[str, Any]) -> None:
        """Apply settings (text from the command line, or values from a reproducer); BadSetting if wrong."""
        for key, value in values.items():
            if key not in self.SETTINGS:
                known = ", ".join(self.SETTINGS) or "none"
                raise BadSetting(f"backend {self.name!r} has no setting {key!r} (its settings: {known})")
            try:
                self.settings[key] = self.SETTINGS[key].parse(value)
            except (TypeError, ValueError) as exc:
                raise BadSetting(f"--backend-setting {self.name}.{key}={value}: {exc}") from None

    def libraries(self) -> tuple[str, ...]:
        return self.LIBRARIES or (self.dist,)

    # ---- loading
    def namespace(self):
        loaded = sys.modules.get(self.module)  # what import_module returns once imported, without its machinery
        if loaded is not None:
            return loaded
        try:
            return importlib.import_module(self.module)
        except ImportError as exc:
            raise BackendUnavailable(self._cannot_import(str(exc))) from None

    def _cannot_import(self, reason: str) -> str:
        return f"backend {self.name!r}: cannot import {self.module} ({reason}); {self.install_hint}"

    def version(self) -> str:
        return dist_version(self.dist, self.namespace)

    @property
    def install_hint(self) -> str:
        return f"pip install 'array-parity[{self.extra}]'" if self.extra else f"pip install {self.dist}"

    def installed(self) -> str | None:
        """None when the library is installed, else why not; known without importing it (a second for
        torch or JAX), which `parity backends` needs: a run imports it and reports a broken install."""
        if importlib.util.find_spec(self.module.partition(".")[0]) is None:
            return f"backend {self.name!r}: {self.module} is not installed; {self.install_hint}"
        return None

    def availability(self) -> str | None:
        """None when usable, else the reason it is not."""
        try:
            self.namespace()
        except BackendUnavailable as exc:
            return str(exc)
        return None

    def probe(self) -> Callable[[], str | None]:
        """Start finding out whether the library can be used; the call returned gives the answer
        (:meth:`availability`'s). With ``import_in_child`` the import runs in a child process meanwhile:
        a run's controller never calls the library, so it need not wait for the import (torch: a second;
        JAX, Dask: half of one each) before it loads the registry, nor hold the library (300 MB)."""
        if not self.import_in_child or self.module in sys.modules or self.installed():
            return self.availability  # here, or known at once (not installed)
        child = subprocess.Popen([sys.executable, "-c", _IMPORT_PROBE, self.module], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

        def answer() -> str | None:
            _, err = child.communicate()
            if child.returncode == 0:
                return None
            reason = (err.strip().splitlines() or [f"the import ended with exit status {child.returncode}"])[-1]
            return self._cannot_import(reason)

        return answer

    def device_problem(self, device: str) -> str | None:
        """None when ``device`` can be used, else the reason it cannot."""
        if device not in self.devices:
            return f"backend {self.name!r} has no device {device!r} (devices: {', '.join(self.devices)})"
        return None

    def array_api_namespace(self, device: str):
        """The Array API namespace: the library's own __array_namespace__, else array-api-compat."""
        probe = self.from_numpy(np.zeros(1), device)
        if hasattr(probe, "__array_namespace__"):
            return probe.__array_namespace__()
        import array_api_compat

        return array_api_compat.array_namespace(probe)

    def surface_namespace(self, surface: str, device: str):
        return self.namespace() if surface == "native" else self.array_api_namespace(device)

    # ---- conversion
    def from_numpy(self, x: np.ndarray, device: str):
        """The backend's converter of an input (a subclass overrides it where ``asarray`` is not enough)."""
        return self.namespace().asarray(same_layout_copy(x))

    def to_numpy(self, x) -> np.ndarray:
        """A result as a NumPy array. A subclass that overrides this declares its own converter, which
        :meth:`read_back` tries first; here it is the generic chain of :mod:`parity.readback`."""
        return self.read_back(x)

    def read_back(self, x) -> np.ndarray:
        """A result as a NumPy array by the first way that works (the backend's converter, DLPack,
        ``__array__``, explicit exports), remembered for the next; :class:`Unreadable` if none does."""
        if self._reader is None:
            self._reader = Reader(own=self.own_converter)
        return self._reader.read(x)

    @property
    def own_converter(self) -> Callable | None:
        """The subclass's own ``to_numpy``, if it declares one (else None: the generic chain alone)."""
        return self.to_numpy if type(self).to_numpy is not Backend.to_numpy else None

    @property
    def read_path(self) -> str | None:
        """The way results were last read back (None before the first); `parity backends` shows it."""
        return self._reader.path if self._reader else None

    def hand_over(self, x: np.ndarray, device: str):
        """An input as the library's array: the backend's converter, else the namespace's ``from_dlpack``;
        :class:`Unreadable` if neither works."""
        return hand_over(x, [("converter", lambda a: self.from_numpy(a, device)), ("from_dlpack", self._from_dlpack)])

    def _from_dlpack(self, x: np.ndarray):
        """Looked up only when the converter fails (a namespace lookup per input was 3% of a torch sweep)."""
        from_dlpack = getattr(self.namespace(), "from_dlpack", None)
        if not callable(from_dlpack):
            raise TypeError(f"{self.module} has no from_dlpack")
        return from_dlpack(np.array(x, copy=True))

    def is_array(self, x) -> bool:
        return type(x).__module__.split(".")[0] == self.module.split(".")[0] and hasattr(x, "shape")

    def dtype(self, dtype: np.dtype, namespace) -> Any:
        """The backend's dtype object for a NumPy dtype (for dtype= keyword arguments)."""
        return getattr(namespace, numpy_dtype(dtype).name)

    def supports_dtype(self, dtype: str, namespace) -> bool:
        """Whether the namespace has the dtype (``namespace.bfloat16``...): else the case is skipped."""
        return hasattr(namespace, dtype)

    def release(self) -> None:
        """Called between ops: drop what the library cached for the last one (compiled programs)."""

    def finalize(self, value):
        """Turn a lazy result into a concrete one (Dask computes here)."""
        return value

    def abstract(self, call: Callable[[], Any]):
        """What ``call()`` returns when only its ``dtype`` (and shape) will be read: by default it is
        run; a library that can infer them without computing (JAX, without compiling) overrides this.
        ``call`` must close over arrays made beforehand, as any it builds itself would be abstract."""
        return call()

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "module": self.module, "version": self.version(), "settings": dict(self.settings)}


def element_strides(x: np.ndarray) -> tuple[int, ...] | None:
    """``x``'s strides in elements when it is a non-contiguous view a strided library can rebuild
    (positive strides, whole elements), else None: then a contiguous copy stands in for it."""
    if x.flags.c_contiguous or x.size == 0 or any(s <= 0 or s % x.itemsize for s in x.strides):
        return None
    return tuple(s // x.itemsize for s in x.strides)


def same_layout_copy(x: np.ndarray) -> np.ndarray:
    """A copy of ``x`` on fresh memory with ``x``'s strides, so strided and transposed inputs
    reach the implementation as strided and transposed inputs, not as contiguous copies."""
    strides = element_strides(x)
    if strides is None:
        return x.copy()
    buffer = np.zeros(1 + sum((n - 1) * s for n, s in zip(x.shape, strides)), dtype=x.dtype)
    out = np.lib.stride_tricks.as_strided(buffer, x.shape, x.strides)
    out[...] = x
    return out
