"""Standard signatures on the Array API surface (issue 16).

Every call the registry makes on the Array API surface must use exactly the standard's signature: a
library that implements the standard and nothing more must be able to take it. The test runs every
op's fixed samples, for every one of its dtypes, through the op's Array API surface spelling (for an
unknown user backend, which gets the ``"*"`` entry or the op's name, and for each built-in backend
whose spelling differs) against a *recording namespace*: a wrapper around ``array_api_strict`` whose
every standard function first binds the call to an ``inspect.Signature`` built from the shipped
signature data (``parity/data/array_api_*.json``, every version that has the function) and only then
forwards it. Methods called on arrays (array_api_strict's array class, patched for the test) and on the
``__array_namespace_info__()`` object are checked the same way. An op whose spelling names no standard
function is skipped and listed; so is an adapter that reaches a name outside the standard.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import array_api_strict
import numpy as np
import pytest

from opinfo import REGISTRY, domain, get_op
from opinfo.samples import case_samples
from opinfo.spec import ANY_BACKEND, BUILTIN_BACKENDS, OpInfo
from parity.backend import Backend
from parity.runner import Runner

DATA = Path(__file__).resolve().parents[1] / "parity" / "data"
#: A backend the registry does not know: a user's own Array API namespace.
USER_BACKEND = "mylib"

_KINDS = {
    "positional-only": inspect.Parameter.POSITIONAL_ONLY,
    "positional-or-keyword": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "positional or keyword": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "keyword-only": inspect.Parameter.KEYWORD_ONLY,
    "var-positional": inspect.Parameter.VAR_POSITIONAL,
    "var-keyword": inspect.Parameter.VAR_KEYWORD,
}
#: Modules whose own calls to array methods are not the registry's (the library's internals, NumPy's DLPack import).
_INTERNAL = ("array_api_strict", "numpy")
_ARRAY = type(array_api_strict.asarray(0))


# --------------------------------------------------------------------------- the shipped signature data
def _signature(params: list[dict]) -> inspect.Signature:
    """The standard's parameters as a signature; a JSON ``default`` of null marks a required parameter."""
    out = []
    for p in params:
        kind = _KINDS[p["kind"]]
        variadic = kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        default = inspect.Parameter.empty if variadic or p.get("default") is None else p["default"]
        out.append(inspect.Parameter(p["name"], kind, default=default))
    return inspect.Signature(out)


@dataclasses.dataclass(frozen=True)
class Standard:
    """Per name, the distinct signatures the shipped versions give it: ``((versions, Signature), ...)``."""

    versions: tuple[str, ...]
    functions: dict[str, tuple[tuple[str, inspect.Signature], ...]]
    info_methods: dict[str, tuple[tuple[str, inspect.Signature], ...]]
    array_methods: dict[str, tuple[tuple[str, inspect.Signature], ...]]
    plain_names: frozenset[str]  # dtypes, constants, __array_api_version__: attributes, not calls

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(name.split(".")[0] for name in self.functions if "." in name)


def _merge(table: dict, name: str, version: str, sig: inspect.Signature) -> None:
    entries = table.setdefault(name, [])
    for i, (versions, known) in enumerate(entries):
        if known == sig:
            entries[i] = (f"{versions}, {version}", known)
            return
    entries.append((version, sig))


@functools.cache
def standard() -> Standard:
    functions: dict = {}
    info: dict = {}
    methods: dict = {}
    plain: set[str] = {"__array_api_version__"}
    versions = []
    for path in sorted(DATA.glob("array_api_*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        version = spec["version"]
        versions.append(version)
        for f in spec["functions"]:
            _merge(functions, f["name"], version, _signature(f["params"]))
        for m in spec.get("info", {}).get("methods", []):
            _merge(info, m["name"], version, _signature(m["params"]))
        array = spec.get("array", {})
        for m in array.get("methods", []):
            _merge(methods, m["name"], version, _signature(m["params"]))
        for o in array.get("operators", []):  # reflected and in-place forms take the one operand
            if o["method"] not in methods and o.get("kind") in ("reflected", "in-place"):
                _merge(methods, o["method"], version, _signature([{"name": "other", "kind": "positional-only"}]))
        plain.update(spec.get("dtypes", {}).get("names", []))
        plain.update(c["name"] for c in spec.get("constants", {}).get("names", []))
    as_tuples = lambda table: {k: tuple(v) for k, v in table.items()}  # noqa: E731
    return Standard(tuple(versions), as_tuples(functions), as_tuples(info), as_tuples(methods), frozenset(plain))


# --------------------------------------------------------------------------- the recording namespace
def _show(value: Any) -> str:
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"<array {tuple(value.shape)} {value.dtype}>"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_show(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _show_call(name: str, args: tuple, kwargs: dict) -> str:
    return f"{name}({', '.join([*map(_show, args), *(f'{k}={_show(v)}' for k, v in kwargs.items())])})"


@dataclasses.dataclass
class Recorder:
    """What one run saw: signature mismatches (one line each), non-standard names reached, standard calls made."""

    standard: Standard
    context: str = ""
    op: str = ""
    mismatches: list[str] = dataclasses.field(default_factory=list)
    nonstandard: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # op -> names
    called: set[str] = dataclasses.field(default_factory=set)

    def check(self, name: str, signatures, args: tuple, kwargs: dict) -> None:
        """Bind the call to every shipped signature of ``name``; a refusal is recorded, then raised as
        the TypeError a library with exactly the standard's signature would raise."""
        self.called.add(name)
        for versions, sig in signatures:
            try:
                sig.bind(*args, **kwargs)
            except TypeError as exc:
                line = (f"{self.context}: {_show_call(name, args, kwargs)} does not bind to the standard's "
                        f"{name}{sig} ({versions}): {exc}")
                self.mismatches.append(line)
                raise TypeError(line) from None

    def reached(self, name: str) -> None:
        self.nonstandard.setdefault(self.op, set()).add(name)


class RecordingInfo:
    """``__array_namespace_info__()``'s object: standard methods checked, anything else refused."""

    def __init__(self, recorder: Recorder, target):
        self._recorder, self._target = recorder, target

    def __getattr__(self, name: str):
        signatures = self._recorder.standard.info_methods.get(name)
        if signatures is None:
            self._recorder.reached(f"__array_namespace_info__().{name}")
            raise AttributeError(f"the standard's inspection object has no {name!r}")
        method = getattr(self._target, name)

        def call(*args, **kwargs):
            self._recorder.check(f"__array_namespace_info__().{name}", signatures, args, kwargs)
            return method(*args, **kwargs)

        return call


class RecordingNamespace:
    """An Array API namespace holding the standard's names only, each call checked before it is forwarded."""

    def __init__(self, recorder: Recorder, target=array_api_strict, prefix: str = ""):
        self._recorder, self._target, self._prefix = recorder, target, prefix
        self.__name__ = f"recording {getattr(target, '__name__', target)}"

    def __getattr__(self, name: str):
        std, full = self._recorder.standard, self._prefix + name
        if not self._prefix and name in std.extensions:
            return RecordingNamespace(self._recorder, getattr(self._target, name), f"{name}.")
        if not self._prefix and name in std.plain_names:
            return getattr(self._target, name)
        signatures = std.functions.get(full)
        if signatures is None:
            self._recorder.reached(full)
            raise AttributeError(f"the standard has no {full!r}")
        function = getattr(self._target, name)

        def call(*args, **kwargs):
            self._recorder.check(full, signatures, args, kwargs)
            out = function(*args, **kwargs)
            return RecordingInfo(self._recorder, out) if full == "__array_namespace_info__" else out

        call.__name__ = full
        return call


@contextlib.contextmanager
def checked_array_methods(recorder: Recorder):
    """Patch array_api_strict's array class's standard methods so a call from outside the library is checked."""
    cls = _ARRAY
    saved = {}

    def checked(name, original, signatures):
        @functools.wraps(original)
        def method(self, *args, **kwargs):
            if not sys._getframe(1).f_globals.get("__name__", "").startswith(_INTERNAL):
                recorder.check(f"array.{name}", signatures, args, kwargs)
            return original(self, *args, **kwargs)

        return method

    try:
        for name, signatures in recorder.standard.array_methods.items():
            original = cls.__dict__.get(name)
            if callable(original):
                saved[name] = original
                setattr(cls, name, checked(name, original, signatures))
        yield
    finally:
        for name, original in saved.items():
            setattr(cls, name, original)


class RecordingBackend(Backend):
    """A user backend whose Array API namespace is the recording one; inputs are array_api_strict arrays."""

    def __init__(self, name: str, namespace: RecordingNamespace):
        super().__init__(name=name, module="array_api_strict", dist="array-api-strict")
        self._recording = namespace

    def namespace(self):
        return self._recording

    def surface_namespace(self, surface, device):
        return self._recording

    def from_numpy(self, x, device):
        return array_api_strict.asarray(np.array(x, copy=True))

    def to_numpy(self, x):
        return np.asarray(x._array) if hasattr(x, "_array") else np.asarray(x)

    def is_array(self, x):
        return isinstance(x, _ARRAY)


# --------------------------------------------------------------------------- walking the registry
@dataclasses.dataclass
class Report:
    mismatches: list[str]
    skipped: dict[str, str]  # op -> the non-standard name its spelling looks up
    nonstandard: dict[str, set[str]]  # op -> non-standard names its adapter reached
    called: set[str]
    ops: int
    calls: int


def _spellings(op: OpInfo) -> list[tuple[str, str | Callable]]:
    """The distinct Array API surface spellings of ``op``: the user backend's, then any built-in backend's
    that differs (each with the first backend name that gets it)."""
    out: list[tuple[str, Any]] = []
    for backend in (USER_BACKEND, *BUILTIN_BACKENDS):
        spelled = op.spelling(backend, "array-api")
        if not any(spelled is s or (isinstance(s, str) and s == spelled) for _, s in out):
            out.append((backend, spelled))
    return out


def case_dtypes(op: OpInfo) -> list[str]:
    """The cases a run makes of ``op`` (``parity.selection``): its dtypes, the further ones NumPy accepts and the
    mixes, less those with a dtype outside the standard (a backend without it skips the case)."""
    names = standard().plain_names
    return [d for d in domain.numpy_dtypes(op.name, op.dtypes) + domain.mixed_dtypes(op.name)
            if all(a in names for a in domain.array_dtypes(d))]


def walk(ops: list[OpInfo], *, all_dtypes: bool = True) -> Report:
    """Run every op's fixed samples through its Array API surface spellings against the recording namespace."""
    recorder = Recorder(standard())
    namespace = RecordingNamespace(recorder)
    skipped: dict[str, str] = {}
    calls = 0
    with checked_array_methods(recorder):
        for op in ops:
            for backend_name, spelled in _spellings(op):
                if isinstance(spelled, str) and spelled not in recorder.standard.functions:
                    skipped[op.name] = spelled
                    continue
                recorder.op = op.name
                runner = Runner(op, RecordingBackend(backend_name, namespace), surface="array-api")
                assert runner.unsupported is None, f"{op.name}: {runner.unsupported}"
                shown = spelled if isinstance(spelled, str) else f"{spelled.__module__}.{spelled.__qualname__}"
                for dtype in case_dtypes(op) if all_dtypes else op.dtypes[:1]:
                    for i, sample in enumerate(case_samples(op, dtype)):
                        recorder.context = (f"op {op.name!r} [{dtype}] via {backend_name!r} spelling {shown}, "
                                            f"sample {i}{f' ({sample.note})' if sample.note else ''}")
                        runner.call_implementation(sample)
                        calls += 1
    return Report(recorder.mismatches, skipped, recorder.nonstandard, recorder.called, len(ops), calls)


def _print(report: Report) -> None:
    print(f"{report.ops} ops, {report.calls} calls on the Array API surface, "
          f"{len(report.called)} standard names called")
    if report.skipped:
        print(f"{len(report.skipped)} ops skipped: their Array API surface spelling names no standard function:")
        for name, spelled in sorted(report.skipped.items()):
            print(f"  {name}" + (f" (spelled {spelled})" if spelled != name else ""))
    if report.nonstandard:
        print(f"{len(report.nonstandard)} ops whose adapter reaches names outside the standard:")
        for name, names in sorted(report.nonstandard.items()):
            print(f"  {name}: {', '.join(sorted(names))}")
    for line in report.mismatches:
        print("MISMATCH", line)


# --------------------------------------------------------------------------- tests
@pytest.fixture(scope="module")
def registry_report() -> Report:
    return walk(list(REGISTRY.values()))


def test_signature_data_builds():
    std = standard()
    assert len(std.versions) >= 2, std.versions
    assert std.functions["__array_namespace_info__"][0][1] == inspect.Signature()
    assert {"capabilities", "default_device", "default_dtypes", "dtypes", "devices"} <= set(std.info_methods)
    assert {"to_device", "__getitem__", "__array_namespace__", "__radd__"} <= set(std.array_methods)


def test_registry_calls_use_standard_signatures(registry_report):
    _print(registry_report)
    mismatches = sorted(set(registry_report.mismatches))
    assert not mismatches, (f"{len(mismatches)} calls on the Array API surface do not use the standard's "
                            "signature:\n" + "\n".join(mismatches))


def test_skipped_ops_have_no_standard_name(registry_report):
    """Skipping is for ops outside the standard: an op named like a standard function must reach it."""
    std = standard()
    wrong = {name: spelled for name, spelled in registry_report.skipped.items() if name in std.functions}
    assert not wrong, f"ops named like standard functions spelled by non-standard names on the surface: {wrong}"
    assert registry_report.calls > 0 and "__array_namespace_info__().dtypes" in registry_report.called


def _planted(spelling: Callable | None, name: str = "__array_namespace_info__") -> Report:
    """``walk`` over one registry entry given another Array API surface spelling (None: none, so the op's
    own name is looked up)."""
    table = {} if spelling is None else {ANY_BACKEND: spelling}
    return walk([dataclasses.replace(get_op(name), array_api_spellings=table)], all_dtypes=False)


@pytest.mark.parametrize("spelling", [lambda xp, query, **kwargs: xp.__array_namespace_info__(query), None],
                         ids=["adapter", "by-name"])
def test_planted_extra_positional_argument_is_reported(spelling):
    """The bug the issue saw: a query passed to the zero-argument ``__array_namespace_info__`` (by an adapter,
    or by looking the op's name up and calling it with the samples' arguments)."""
    report = _planted(spelling)
    assert report.mismatches, "the checker missed an argument passed to __array_namespace_info__()"
    assert all("__array_namespace_info__('" in line and "too many positional arguments" in line
               for line in report.mismatches), report.mismatches
    assert report.mismatches[0].startswith("op '__array_namespace_info__' [float64]"), report.mismatches[0]


@pytest.mark.parametrize(("name", "spelling", "expect"), [
    ("abs", lambda xp, x: xp.abs(x=x), "positional only"),
    ("sum", lambda xp, x, *args, **kwargs: xp.sum(x, 0), "too many positional arguments"),
    ("sum", lambda xp, x, **kwargs: xp.sum(x, ddof=0), "unexpected keyword argument 'ddof'"),
    ("linalg.det", lambda xp, x: xp.linalg.det(x, True), "too many positional arguments"),
    ("abs", lambda xp, x: xp.abs(x.to_device(x.device, None)), "array.to_device"),
    ("__array_namespace_info__", lambda xp, q, **kw: xp.__array_namespace_info__().dtypes(None),
     "__array_namespace_info__().dtypes"),
], ids=["keyword-for-positional-only", "positional-axis", "unknown-keyword", "extension", "array-method",
        "info-method"])
def test_planted_mismatches_are_reported(name, spelling, expect):
    report = _planted(spelling, name)
    assert report.mismatches and expect in report.mismatches[0], report.mismatches


def test_planted_nonstandard_name_is_listed():
    report = _planted(lambda xp, x: xp.absolute(x), "abs")
    assert report.nonstandard == {"abs": {"absolute"}} and not report.mismatches
