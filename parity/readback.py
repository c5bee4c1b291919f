"""Moving arrays between NumPy and any library: inputs handed over, results read back.

The harness must never mistake its own failure to convert for the library's behaviour: a sparse
library that refuses implicit densification, or arrays that export only through DLPack or a method
of their own, came back as ``RuntimeError`` divergences or as 0-d ``object`` arrays. So results are
read through a chain of ways, in order -- the backend's own converter, DLPack (after moving to the
CPU where needed), ``__array__``, the common explicit exports, DLPack of a copy the library makes
(read-only views) -- and the first that gives a proper
array is remembered per backend and tried first next time. A result no way can read raises
:class:`Unreadable`, which the runner records as a case status of the harness's side, never as a
divergence of the library. Inputs likewise: the backend's converter, else ``from_dlpack``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Methods libraries offer to export a NumPy array explicitly, tried after DLPack and __array__.
EXPORTS = ("todense", "to_numpy", "numpy", "get", "asnumpy")
#: What a library implements so that its results can be read (said in every Unreadable).
HOW_TO_BE_READ = ("implement __dlpack__ and __dlpack_device__ (the standard's interchange), or __array__, or "
                  "give the backend a to_numpy converter (a parity Backend subclass)")


class Absent(TypeError):
    """The array has no such way (no ``__dlpack__``, no ``todense``): not worth naming to its maintainer."""


class Unreadable(BaseException):
    """The harness could not read a result back or hand an input over: the case could not be checked,
    which is the harness's status (``unreadable``), not a divergence of the library. A BaseException
    (as pytest's outcomes are) so that no ``except Exception`` that takes the library's errors as
    findings can take this one for the library's."""


class MaskedResult(Exception):  # noqa: N818 - an outcome of the library's, told as one
    """The library's result has masked elements (marray, numpy.ma): its way of saying "no value" there,
    which the runner takes as the library's outcome (as if it had raised), never as the data under the
    mask, which DLPack and the data exports hand over as if it were an answer."""


class NotApplicable(BaseException):  # noqa: N818 - not an error: an input the library cannot be asked
    """An input naming a dtype the library does not have (``dtype=complex128`` to a library without
    complex): not run, and counted in the record's notes, as a case of a dtype it lacks is skipped."""


def _dlpack(x) -> np.ndarray:
    if not hasattr(x, "__dlpack__"):
        raise Absent("no __dlpack__")
    try:
        return np.from_dlpack(x)
    except (BufferError, RuntimeError, ValueError) as first:
        move = getattr(x, "to_device", None)
        if move is None:
            raise
        try:
            return np.from_dlpack(move("cpu"))
        except Exception:  # noqa: BLE001 - the first failure says more than the retry's
            raise first from None


def _dlpack_of_a_copy(x) -> np.ndarray:
    """DLPack of a copy the library makes itself (``asarray(x, copy=True)`` of its own namespace): a
    read-only view (a broadcast) cannot be exported where the producer does not take ``copy=True``."""
    namespace = getattr(x, "__array_namespace__", None)
    if namespace is None or not hasattr(x, "__dlpack__"):
        raise Absent("no __array_namespace__ and __dlpack__")
    return np.from_dlpack(namespace().asarray(x, copy=True))


def _array_protocol(x) -> np.ndarray:
    if not hasattr(type(x), "__array__"):
        raise Absent("no __array__")
    return np.asarray(x)


def _export(method: str) -> Callable:
    def read(x):
        fn = getattr(x, method, None)
        if not callable(fn):
            raise Absent(f"no {method}()")
        out = fn()
        if not isinstance(out, np.ndarray) and not isinstance(out, np.generic):
            raise TypeError(f"{method}() returned {type(out).__qualname__}, not a NumPy array")
        return np.asarray(out)

    read.__name__ = method
    return read


#: Names of methods that may export an array by another name (ndonnx's unwrap_numpy, a to_host, ...).
EXPORT_LIKE = re.compile(r"numpy|dense|host|ndarray")


def export_like(x) -> list[str]:
    """Public methods of ``x``'s type whose names say they export (EXPORT_LIKE), beyond :data:`EXPORTS`:
    tried last, each as a way of its own, for libraries whose export has a name of its own."""
    return sorted(n for n in dir(type(x)) if not n.startswith(("_", "from")) and n not in EXPORTS
                  and EXPORT_LIKE.search(n) and callable(getattr(type(x), n, None)))


GENERIC: tuple[tuple[str, Callable], ...] = (
    ("dlpack", _dlpack), ("__array__", _array_protocol), *((f"{m}()", _export(m)) for m in EXPORTS),
    ("dlpack of asarray(copy=True)", _dlpack_of_a_copy))
#: Ways never remembered as the first to try: the library's own copy could alter what it copies.
LAST_RESORT = ("dlpack of asarray(copy=True)",)


def problem(x, out) -> str | None:
    """Why ``out`` is not a faithful NumPy copy of ``x`` (None when it is): an object array or a
    changed shape is what a failed implicit conversion looks like."""
    if not isinstance(out, np.ndarray):
        return f"gave {type(out).__qualname__}, not a NumPy array"
    if out.dtype.kind == "O" and not holds_objects(x):
        return "gave an object array"
    shape = getattr(x, "shape", None)
    try:
        shape = tuple(int(n) for n in shape) if shape is not None else None
    except (TypeError, ValueError):  # an unknown (lazy) dimension: nothing to check it against
        shape = None
    if shape is not None and out.shape != shape:
        return f"gave shape {out.shape} for shape {shape}"
    return None


def _masked(x) -> int:
    """How many elements a masked array's (marray's, numpy.ma's) boolean ``mask`` of its shape hides."""
    mask = getattr(x, "mask", None)
    if mask is None or callable(mask):
        return 0
    try:
        mask = np.asarray(mask)
    except Exception:  # noqa: BLE001 - a mask that cannot be read is not one we know how to honour
        return 0
    return int(mask.sum()) if mask.dtype == bool and mask.shape == tuple(getattr(x, "shape", ())) else 0


def holds_objects(x) -> bool:
    """Whether the library's array itself is of NumPy's object dtype (then an object array is faithful)."""
    try:
        return np.dtype(x.dtype).kind == "O"
    except (AttributeError, TypeError):
        return False


def one_line(exc: BaseException, width: int = 300) -> str:
    """``Type: first line of the message``; for an exception group, of its first leaf exception (a group's
    own text is a multi-line table)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:width]}" if lines else type(exc).__name__


def _first_line(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, Absent) else one_line(exc, 200)


@dataclass
class Reader:
    """The chain of ways to read one backend's results, with the one that worked last tried first."""

    own: Callable | None = None  # the backend's own converter, if it declares one
    path: str | None = None  # the name of the way that worked last

    def ways(self, x):
        """(name, way) in the order tried: the remembered way, the converter, the generic ways, then methods
        named like exports -- found (a dir() of the type) only when every earlier way has failed."""
        fixed = ([("converter", self.own)] if self.own else []) + list(GENERIC)
        if self.path:
            yield self.path, dict(fixed).get(self.path) or _export(self.path.removesuffix("()"))
        yield from (way for way in fixed if way[0] != self.path)
        yield from ((f"{m}()", _export(m)) for m in export_like(x) if f"{m}()" != self.path)

    def read(self, x) -> np.ndarray:
        failures = []
        for name, way in self.ways(x):
            try:
                out = way(x)
                why = problem(x, out)
            except Exception as exc:  # noqa: BLE001 - each way may fail in its own library's way
                why = _first_line(exc)
            if why is None:
                if name not in LAST_RESORT:
                    self.path = name
                masked = _masked(x)
                if masked:  # DLPack and the data exports carry no mask: what lies under it is no answer
                    raise MaskedResult(f"{masked} of {out.size} result element(s) masked (no value)")
                return out
            failures.append(f"{name}: {why}")
        kind = f"{type(x).__module__}.{type(x).__qualname__}"
        raise Unreadable(f"cannot read a result of type {kind} back ({'; '.join(failures)}); to be read, a library "
                         f"should {HOW_TO_BE_READ}")


def hand_over(x: np.ndarray, ways: list[tuple[str, Callable]]) -> object:
    """``x`` as the library's array by the first way that works (the backend's converter, then
    ``from_dlpack``); Unreadable with every way's reason when none does."""
    failures = []
    for name, way in ways:
        try:
            return way(x)
        except Exception as exc:  # noqa: BLE001 - the library may raise anything for an input it cannot take
            failures.append(f"{name}: {_first_line(exc)}")
    raise Unreadable(f"cannot hand a {x.dtype} array of shape {x.shape} to the library ({'; '.join(failures)})")


#: Each generic way as the line a standalone reproducer reads a result with (``value``).
SPELLED = {"dlpack": "np.from_dlpack(value)", "__array__": "np.asarray(value)",
           **{f"{m}()": f"np.asarray(value.{m}())" for m in EXPORTS},
           "dlpack of asarray(copy=True)": "np.from_dlpack(value.__array_namespace__().asarray(value, copy=True))"}


def spelled(path: str | None) -> str:
    """The expression that reads ``value`` back the way ``path`` did (DLPack before any was remembered)."""
    if path and path not in SPELLED and path.endswith("()"):  # a method found by its name
        return f"np.asarray(value.{path})"
    return SPELLED.get(path or "dlpack", SPELLED["dlpack"])
