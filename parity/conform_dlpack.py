"""Conformance area ``dlpack``: ``__dlpack__``, ``__dlpack_device__`` and ``from_dlpack``.

The sentences come from the standard (``interchange`` in ``parity/data/array_api_<version>.json``:
the ``copy``, ``device``, ``dl_device`` and ``max_version`` sentences and the Raises sentences of
``from_dlpack`` and ``array.__dlpack__``, and the device types ``__dlpack_device__`` lists, CPU = 1);
both versions say the same. Checked, on CPU arrays:

- ``__dlpack_device__()`` is ``(CPU, 0)``;
- ``__dlpack__()`` returns a capsule named ``dltensor`` (DLPack 0.x; a ``BufferError`` is allowed
  since 2025), with ``max_version=(1, 0)`` one named ``dltensor_versioned`` (a ``dltensor`` one is
  allowed: "may return ... a different version": unspecified); the name is read with
  ``PyCapsule_GetName``, the capsule is never consumed; ``dl_device`` of the array's own device
  exports, another device exports or raises ``BufferError``;
- ``from_dlpack`` of the library's arrays and of NumPy arrays, and ``np.from_dlpack`` of the
  library's arrays, keep values, dtype and shape for every standard dtype the library has (1-d,
  transposed, 0-d and empty inputs): the interchange must support all of the standard's dtypes;
- ``copy=True`` gives independent memory, ``copy=False`` shares it or raises (``BufferError``, or
  ``ValueError`` as the Raises section says), ``copy=None`` shares it where ``copy=False`` did; seen
  by writes, as in :mod:`parity.conform_copy` (a capsule from ``__dlpack__(copy=...)`` is read
  through ``np.from_dlpack``).

A library may omit ``__dlpack__`` and ``__dlpack_device__`` when it can never export (the
AttributeError sentence of ``from_dlpack``'s Raises): their rules are then ``n/a``, as are those of
an absent ``from_dlpack`` (the ``names`` area reports the absence).
"""

from __future__ import annotations

import ctypes

import numpy as np

from parity.conform_copy import Seen, aligned, call, mutation
from parity.conformance import Check, raised
from parity.coverage import load_spec

_name = ctypes.pythonapi.PyCapsule_GetName
_name.restype, _name.argtypes = ctypes.c_char_p, [ctypes.py_object]
CAPSULES = ("dltensor", "dltensor_versioned")  # DLPack's Python specification; the Notes name the second
OTHER_DEVICE = "CUDA"


def capsule_name(obj) -> str | None:
    return _name(obj).decode() if type(obj).__name__ == "PyCapsule" else None


def _outcome(f):
    try:
        return f(), None
    except Exception as exc:  # noqa: BLE001 - what the library raises is the finding
        return None, exc


def _show(value, exc) -> str:
    if exc is not None:
        return raised(exc)
    name = capsule_name(value)
    return f"a capsule named {name!r}" if name is not None else repr(value)[:120]


def _check(function, rule, ok, sentence=None, dtype=None, **detail) -> Check:
    verdict = ok if isinstance(ok, str) else "conforms" if ok else "violates"
    if verdict in ("conforms", "n/a"):
        return Check(function, rule, verdict, dtype=dtype, sentence=sentence, elements_total=1)
    return Check(function, rule, verdict, dtype=dtype, sentence=sentence, elements=1, elements_total=1, **detail)


# ---------------------------------------------------------------------------------- export


def _export(target, spec, devices):
    x = target.asarray(np.arange(4.0))
    entry = spec["array.__dlpack__"]
    dl_device = next(s for s in entry["dl_device"] if "cannot be handled" in s)
    if not hasattr(x, "__dlpack_device__") or not hasattr(x, "__dlpack__"):
        why = "the array has no __dlpack__/__dlpack_device__ (allowed for a library that can never export)"
        yield Check("array.__dlpack_device__", "returns (CPU, 0) for a CPU array", "n/a", required=why)
        for rule in ("max_version=None", "max_version=(1, 0)", "dl_device of its own device", "dl_device of another"):
            yield Check("array.__dlpack__", rule, "n/a", required=why)
        return
    got, exc = _outcome(x.__dlpack_device__)
    want = (devices["CPU"], 0)
    ok = exc is None and isinstance(got, tuple) and len(got) == 2 and tuple(int(v) for v in got) == want
    yield _check("array.__dlpack_device__", "returns (CPU, 0) for a CPU array", ok, input="a CPU float64 array",
                 required=f"a tuple {want} (CPU = {devices['CPU']})", library=_show(got, exc),
                 numpy=_show(*_outcome(np.arange(4.0).__dlpack_device__)))
    own = got if ok else want

    def named(rule, kwargs, sentence, want_name, allowed):
        value, exc = _outcome(lambda: x.__dlpack__(**kwargs))
        name = capsule_name(value)
        ok = "conforms" if name == want_name or (exc is not None and isinstance(exc, allowed)) else \
            "unspecified" if name in CAPSULES else "violates"
        ref = _show(*_outcome(lambda: np.arange(4.0).__dlpack__(**kwargs)))
        return _check("array.__dlpack__", rule, ok, sentence, input=f"x.__dlpack__({_kwargs(kwargs)})",
                      required=f"a capsule named {want_name!r}" + (" (or BufferError)" if allowed else ""),
                      library=_show(value, exc), numpy=ref, follows="numpy" if ref == _show(value, exc) else "neither")

    yield named("max_version=None", {}, "max_version=None: a DLPack 0.x consumer (the producer logic the Notes "
                "recommend; BufferError allowed from March 2025)", "dltensor", BufferError)
    yield named("max_version=(1, 0)", {"max_version": (1, 0)}, entry["max_version"][0], "dltensor_versioned", ())
    for rule, device, allowed in (("dl_device of its own device", own, ()),
                                  ("dl_device of another", (devices[OTHER_DEVICE], 0), BufferError)):
        value, exc = _outcome(lambda d=device: x.__dlpack__(max_version=(1, 0), dl_device=d))
        verdict = "conforms" if capsule_name(value) in CAPSULES or isinstance(exc, allowed) else \
            "unspecified" if isinstance(exc, BufferError) else "violates"
        yield _check("array.__dlpack__", rule, verdict, dl_device, input=f"dl_device={device}",
                     required="a capsule" + (", or BufferError" if allowed else ""), library=_show(value, exc))


def _kwargs(kwargs) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


# ---------------------------------------------------------------------------------- round trips


def _shapes(dtype: str) -> dict[str, np.ndarray]:
    base = (np.arange(6) % 3).astype(dtype)
    return {"1-d": base[:3], "transposed": base.reshape(2, 3).T, "0-d": np.asarray(base[1]),
            "empty": np.zeros((0, 3), dtype=dtype)}


def _same(got, want: np.ndarray) -> bool:
    return got is not None and got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)


def _round_trips(target, dtypes, importer):
    for dtype in dtypes:
        cases = _shapes(dtype)
        rules = {"from_dlpack": ("an array of the library keeps values, dtype and shape",
                                 lambda a: target.to_numpy(importer(target.asarray(a)))),
                 "from_dlpack ": ("a NumPy array keeps values, dtype and shape",
                                  lambda a: target.to_numpy(importer(aligned(a)))),
                 "array.__dlpack__": ("np.from_dlpack reads the array: values, dtype and shape",
                                      lambda a: np.from_dlpack(target.asarray(a)))}
        for function, (rule, run) in rules.items():
            if importer is None and function != "array.__dlpack__":
                yield Check(function.strip(), rule, "n/a", dtype=dtype, required="the namespace has no from_dlpack")
                continue
            bad = []
            for label, a in cases.items():
                got, exc = _outcome(lambda a=a, run=run: run(a))
                if exc is not None or not _same(got, a):
                    bad.append((label, _show(got, exc) if exc else f"{got.dtype} {got.shape} {got.tolist()!r:.60}"))
            yield Check(function.strip(), rule, "violates" if bad else "conforms", dtype=dtype,
                        input="; ".join(f"{dtype} {label}" for label, _ in bad) or None,
                        required="the same values, dtype and shape" if bad else None,
                        library="; ".join(g for _, g in bad) or None, elements=len(bad), elements_total=len(cases))


# ---------------------------------------------------------------------------------- copy=


class _Exported:
    """What ``x.__dlpack__(copy=...)`` returned, handed to ``np.from_dlpack`` as it is."""

    def __init__(self, x, copy):
        self.x, self.copy = x, copy

    def __dlpack__(self, **kwargs):
        return self.x.__dlpack__(max_version=(1, 0), copy=self.copy)

    def __dlpack_device__(self):
        return self.x.__dlpack_device__()


class _Host:
    """A read of a NumPy result, for :func:`parity.conform_copy.call` on the library's target."""

    def __init__(self, target):
        self.target = target

    def to_numpy(self, value):
        return value if isinstance(value, np.ndarray) else self.target.to_numpy(value)


def _copies(target, spec, mode, importer):
    x = np.arange(6.0).reshape(2, 3)
    own = lambda: target.asarray(x)  # noqa: E731
    host = lambda: aligned(x)  # noqa: E731
    reader = _Host(target)
    runs = {}
    if importer is not None:
        runs["from_dlpack"] = {"an array of the library": (own, lambda s, c: importer(s, copy=c)),
                               "a NumPy array": (host, lambda s, c: importer(s, copy=c))}
    if hasattr(own(), "__dlpack__"):
        runs["array.__dlpack__"] = {"an array of the library, read by np.from_dlpack": (
            own, lambda s, c: np.from_dlpack(_Exported(s, c)))}
    for function, entry in ((f, spec[f]) for f in ("from_dlpack", "array.__dlpack__")):
        sentences = {s[5:s.index("``", 5)]: s for s in entry["copy"] if s.startswith("If ``")}
        if function not in runs:
            yield from (Check(function, f"copy={v}", "n/a", sentence=s, required=f"no {function}")
                        for v, s in sentences.items())
            continue
        for label, (make, run) in runs[function].items():
            seen = {v: call(reader, mode, make, lambda s, c=c, run=run: run(s, c), x) for v, c in
                    (("True", True), ("False", False), ("None", None))}
            reuse = bool(seen["False"].shared)
            for value, sentence in sentences.items():
                verdict, required = _verdict(value, seen[value], reuse)
                yield _check(function, f"copy={value}: {label}", verdict, sentence, input=f"float64 (2, 3) {label}",
                             required=required, library=seen[value].text())


def _verdict(value: str, seen: Seen, reuse: bool) -> tuple[str, str]:
    if seen.raised is None and not seen.correct:
        return "violates", "the array's values, dtype and shape"
    if value == "True":
        if seen.raised is not None or seen.identical or seen.shared:
            return "violates", "independent memory"
        return ("unspecified", "aliasing is not observable") if seen.shared is None else ("conforms", "")
    if value == "False":
        if seen.shared or isinstance(seen.raised, (BufferError, ValueError)):
            return "conforms", ""
        if seen.raised is None and seen.shared is None:
            return "unspecified", "aliasing is not observable"
        return "violates", "shared memory, or BufferError/ValueError"
    if seen.raised is not None:
        return "violates", "an array"
    if seen.shared or not reuse:
        return ("conforms", "") if seen.shared or seen.shared is False else ("unspecified", "not observable")
    return "violates", "shared memory (copy=False shares it)"


# ---------------------------------------------------------------------------------- all


def checks(target):
    data = load_spec(target.version)
    spec, devices = data["interchange"]["functions"], data["interchange"]["device_types"]
    importer = target.function("from_dlpack")
    yield from _export(target, spec, devices)
    dtypes = [d for d in data["dtypes"]["names"] if target.supports(d)]
    exports = hasattr(target.asarray(np.zeros(1)), "__dlpack__")
    yield from (c for c in _round_trips(target, dtypes, importer) if exports or c.function != "array.__dlpack__")
    if not exports:
        yield Check("array.__dlpack__", "np.from_dlpack reads the array", "n/a", required="no __dlpack__")
    yield from _copies(target, spec, mutation(target), importer)
    if importer is not None and exports:
        x = target.asarray(np.arange(4.0))
        device = getattr(x, "device", None)
        got, exc = _outcome(lambda: importer(x, device=device))
        ok = exc is None and _same(_outcome(lambda: target.to_numpy(got))[0], np.arange(4.0))
        sentence = next(s for s in spec["from_dlpack"]["device"] if "same device" in s)
        yield _check("from_dlpack", "device= the array's device", ok, sentence, input=f"device={device!r}",
                     required="the array on that device", library=_show(got, exc))
        plain, plain_exc = _outcome(lambda: importer(x))
        same = plain_exc is None and getattr(plain, "device", None) == device
        yield _check("from_dlpack", "device=None: the array's device", same, sentence, input="device=None",
                     required=f"an array on {device!r}", library=_show(plain, plain_exc) if plain_exc else
                     repr(getattr(plain, "device", None)))
