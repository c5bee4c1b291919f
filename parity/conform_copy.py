"""Conformance area ``copy``: ``copy=True/False/None`` of every function with a ``copy`` keyword.

The functions and their rules are derived from the standard (``interchange.functions`` of
``parity/data/array_api_<version>.json``: each ``copy`` sentence that says must/should, and the Raises
sentences about ``copy=``); ``from_dlpack`` and ``__dlpack__`` are the ``dlpack`` area's. A sentence
is about ``copy=True``, ``False`` or ``None`` by its opening (``If ``False``, ...``). Each rule runs on
the inputs :data:`INPUTS` names for its function, per dtype: an array of the library, a NumPy array
(buffer protocol), a Python list or scalar, the same with a dtype change, and (``reshape``) a
C-contiguous array, where a view is always possible, and a transposed one, where none is.

Aliasing is observed by mutation: write to one side with ``__setitem__`` and read the other. Where
the source is a NumPy array that write is always possible and decisive. For the library's own
arrays it depends on what a write does (:func:`mutation`): a strided library writes to memory its
views share (``inplace``: seen or not seen both decide); Dask rebinds the written array to a new
graph (``rebinding``: no other array ever sees it, so a result that does not see it is independent,
which ``copy=True`` asks, but not proof of a copy, which ``copy=False`` forbids); JAX arrays refuse
writes (``immutable``). What cannot be observed is ``unspecified`` with the reason, never a violation.

"Possible" in "reuse ... if possible" is taken from the library itself: reuse is possible where the
same call with ``copy=False`` returned an array sharing the source's memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from parity.conformance import Check, quiet, raised
from parity.coverage import load_spec
from parity.readback import Unreadable, holds_objects

#: The dtypes each rule runs on, and the dtype each changes to ("a dtype change").
DTYPES = {"float32": "float64", "int64": "float64"}
#: Functions whose copy= the ``dlpack`` area checks.
DLPACK = ("from_dlpack", "array.__dlpack__")
SOURCE_WRITE, RESULT_WRITE = 9, 8  # values no input holds


@dataclass
class Seen:
    """What one call did: raised, or returned ``value`` that is ``correct`` (values, dtype, shape), the
    source itself (``identical``), sharing its memory (``shared``: None where not observable)."""

    raised: BaseException | None = None
    value: object = None
    correct: bool = True
    identical: bool = False
    shared: bool | None = None
    mode: str = "inplace"
    reads: str = ""

    def text(self) -> str:
        if self.raised is not None:
            return raised(self.raised)
        what = ("the input array itself" if self.identical else "an array sharing the source's memory" if self.shared
                else "an independent array (a write to one side is not seen by the other)" if self.shared is False
                else "an array (whether it shares memory is not observable)")
        return what + ("" if self.correct else f", with the wrong contents: {self.reads}")


# ---------------------------------------------------------------------------------- observing


def mutation(target) -> str:
    """What ``x[i] = v`` does on the target's arrays: ``inplace`` (a view ``x[1:]`` sees it),
    ``rebinding`` (it does not: Dask) or ``immutable`` (it raises: JAX)."""
    x = target.asarray(np.arange(4.0))
    try:
        view = x[1:]
        x[1] = float(SOURCE_WRITE)
        return "inplace" if target.to_numpy(view)[0] == SOURCE_WRITE else "rebinding"
    except Exception:  # noqa: BLE001 - a library that refuses writes
        return "immutable"


def _read(target, value) -> np.ndarray | None:
    try:
        return np.array(target.to_numpy(value), copy=True)
    except Exception:  # noqa: BLE001 - a result that cannot be read back is not the right array
        return None
    except Unreadable:  # the harness's failure, unless the library's own array says it holds Python objects
        if holds_objects(value):  # (marray wraps a DLPack-only object it cannot import): never the right array
            return None
        raise


def _write(obj, value) -> bool:
    try:
        obj[(0,) * obj.ndim] = value
        return True
    except Exception:  # noqa: BLE001
        return False


def shares(target, source, result, mode: str) -> bool | None:
    """Whether a write to ``source`` is seen in ``result`` or one to ``result`` in ``source`` (None: not
    observable; False from ``rebinding`` only means the two are independent)."""
    if result is source:
        return True
    if isinstance(source, np.ndarray):
        before = _read(target, result)
        source.flat[0] = SOURCE_WRITE
        after = _read(target, result)
        if before is not None and after is not None and not np.array_equal(before, after):
            return True
        if mode == "immutable" or not _write(result, RESULT_WRITE):
            return False  # the NumPy side decides alone: a result reading it would have changed
        return bool(source.flat[0] == RESULT_WRITE)
    if mode == "immutable" or not hasattr(source, "shape"):
        return None
    before, src_before = _read(target, result), _read(target, source)
    if _write(source, SOURCE_WRITE) and not np.array_equal(before, _read(target, result)):
        return True
    return bool(_write(result, RESULT_WRITE) and not np.array_equal(src_before, _read(target, source))
                and _read(target, source).flat[0] == RESULT_WRITE)


def call(target, mode, make, run, expected: np.ndarray) -> Seen:
    """Build a fresh source with ``make()``, call ``run(source)`` and observe the result."""
    source = make()
    try:
        with quiet():
            result = run(source)
    except Exception as exc:  # noqa: BLE001 - what the library raises is the finding
        return Seen(raised=exc, mode=mode)
    got = _read(target, result)
    correct = got is not None and got.dtype == expected.dtype and got.shape == expected.shape and \
        np.array_equal(got, expected)
    reads = "unreadable" if got is None else f"{got.dtype} {got.shape} {got.tolist()!r:.80}"
    return Seen(value=result, correct=correct, identical=result is source, shared=shares(target, source, result, mode),
                mode=mode, reads=reads)


# ---------------------------------------------------------------------------------- inputs


def aligned(x: np.ndarray, to: int = 64) -> np.ndarray:
    """A copy of ``x`` on memory aligned to ``to`` bytes: whether a library can import a buffer without a
    copy may depend on its alignment (JAX's, 64 bytes), so every NumPy source is aligned the same way."""
    buffer = np.empty(x.nbytes + to, dtype=np.uint8)
    start = -buffer.ctypes.data % to
    out = buffer[start:start + x.nbytes].view(x.dtype).reshape(x.shape)
    out[...] = x
    return out


def _values(dtype: str, shape=(2, 3)) -> np.ndarray:
    return np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape)


@dataclass(frozen=True)
class Input:
    """One input of a function: where its source comes from (``library``, ``numpy``, ``python``), how
    to build it and call the function with ``copy``, the expected result, and what it needs: "reuse"
    (memory can be shared), "copy" (a copy is necessary), "no view" (reshape of a transposed array)."""

    origin: str
    make: object
    run: object
    expected: np.ndarray
    kind: str


def inputs(target, dtype: str) -> dict[str, dict[str, Input]]:
    """Per function with a copy keyword: input label -> :class:`Input`."""
    new, x, ns = DTYPES[dtype], _values(dtype), target.ns
    own = lambda a=x: lambda: target.asarray(a)  # noqa: E731
    host = lambda: aligned(x)  # noqa: E731
    asarray = lambda **kw: lambda s, copy: ns.asarray(s, copy=copy, **kw)  # noqa: E731
    astype = lambda d: lambda s, copy: ns.astype(s, target.dtype(d), copy=copy)  # noqa: E731
    typed, changed = {"dtype": target.dtype(dtype)}, {"dtype": target.dtype(new)}
    transposed = x.reshape(3, 2).T
    return {
        "asarray": {
            "an array of the library": Input("library", own(), asarray(), x, "reuse"),
            "a NumPy array (buffer protocol)": Input("numpy", host, asarray(), x, "reuse"),
            "an array of the library, with a dtype change": Input("library", own(), asarray(**changed),
                                                                  x.astype(new), "copy"),
            "a NumPy array, with a dtype change": Input("numpy", host, asarray(**changed), x.astype(new), "copy"),
            "a nested Python list": Input("python", x.tolist, asarray(**typed), x, "copy"),
            "a Python scalar": Input("python", x.flat[1].item, asarray(**typed), np.asarray(x.flat[1]), "copy")},
        "astype": {
            "the same dtype": Input("library", own(), astype(dtype), x, "reuse"),
            "another dtype": Input("library", own(), astype(new), x.astype(new), "copy")},
        "reshape": {
            "a C-contiguous array (a view is possible)": Input(
                "library", own(), lambda s, copy: ns.reshape(s, (6,), copy=copy), x.reshape(6), "reuse"),
            "a transposed array (no view is possible)": Input(
                "library", own(transposed), lambda s, copy: ns.reshape(s, (6,), copy=copy), transposed.reshape(6),
                "no view")},
    }


def observe(target, mode: str, item: Input, copy) -> Seen:
    return call(target, mode, item.make, lambda s: item.run(s, copy), item.expected)


# ---------------------------------------------------------------------------------- verdicts


def flag(sentence: str) -> str | None:
    """The copy= value a sentence is about: ``If ``False``, ...`` or ``If ``copy=False`` ...``."""
    m = re.match(r"If ``(?:copy=)?(True|False|None)``", sentence)
    return m[1] if m else None


def _unobservable(seen: Seen) -> tuple[str, str]:
    return "unspecified", f"whether memory is shared is not observable: {MODES[seen.mode]}"


MODES = {"inplace": "a write to an array is seen by its views",
         "rebinding": "__setitem__ rebinds the array to a new graph, so no other array sees the write",
         "immutable": "the arrays are immutable (__setitem__ raises)"}


def verdict(function: str, value: str, raises: bool, item: Input, seen: Seen, reuse: bool) -> tuple[str, str]:
    """(verdict, what the rule requires) for one input; ``reuse``: the library shared memory with
    ``copy=False`` on that input, so reuse is possible; ``raises``: the rule is the Raises sentence."""
    if raises:  # "If copy=False and a copy would be necessary, a ValueError should be raised."
        if item.kind != "no view" or seen.mode != "inplace" or seen.raised is None:
            return "n/a", "applies where the library cannot avoid a copy"
        return ("conforms", "raises ValueError") if isinstance(seen.raised, ValueError) else \
            ("unspecified", "raises ValueError (a should: another exception is allowed)")
    if isinstance(seen.raised, TypeError) and "copy" in str(seen.raised):
        return "violates", "the function takes copy="
    if seen.raised is None and not seen.correct:
        return "violates", "the converted array (right values, dtype and shape)"
    if value == "True":
        if item.origin == "python" and seen.raised is None:
            return "conforms", "a new array (a Python object has no array memory to share)"
        if seen.raised is not None or seen.identical or seen.shared:
            return "violates", "a new array that does not share memory with the source"
        return _unobservable(seen) if seen.shared is None else ("conforms", "a new array")
    if value == "None":
        if seen.raised is not None:
            return "violates", "an array (reusing memory where possible)"
        if item.kind != "reuse" or seen.identical or seen.shared:
            return "conforms", "an array (reusing memory where possible)"
        return ("violates", "memory reused (possible: copy=False shares it)") if reuse else \
            ("unspecified", "reuse is not shown possible (copy=False did not share memory)")
    if function == "astype":
        if item.kind == "reuse":
            return ("conforms" if seen.identical else "violates"), "the input array itself"
        ok = seen.raised is None and not seen.identical and not seen.shared
        return ("conforms" if ok else "violates"), "a newly allocated array"
    if item.kind == "copy":
        return ("conforms" if isinstance(seen.raised, ValueError) else "violates"), "raises ValueError"
    if seen.identical or seen.shared:
        return "conforms", "no copy"
    if seen.raised is not None:
        if item.kind == "no view" or (item.origin == "numpy" and isinstance(seen.raised, ValueError)):
            return "conforms", "no copy (raising where the library needs one)"
        return ("violates", "no copy: a view (one is possible)") if seen.mode == "inplace" else _unobservable(seen)
    if seen.shared is None or (seen.mode != "inplace" and item.origin == "library"):
        return _unobservable(seen)
    return "violates", "no copy: an array sharing the source's memory, or ValueError"


# ---------------------------------------------------------------------------------- checks


class _DLPackOnly:
    """An object with nothing but ``__dlpack__``/``__dlpack_device__`` (a NumPy array's)."""

    def __init__(self, array: np.ndarray):
        self._array = array

    def __dlpack__(self, **kwargs):
        return self._array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


def _reference(version: str):
    from parity.backends import get_backend
    from parity.conformance import Target

    return Target(get_backend("numpy"), "cpu", "native", version)


def rules(entry: dict) -> list[tuple[str, str, bool]]:
    """(sentence, copy value, whether it is a Raises sentence) for one function's derived sentences."""
    said = [(s, flag(s), False) for s in entry.get("copy", [])]
    said += [(s, flag(s), True) for ss in entry.get("raises", {}).values() for s in ss]
    return [r for r in said if r[1]]


def checks(target):
    functions = load_spec(target.version)["interchange"]["functions"]
    mode, numpy = mutation(target), _reference(target.version)
    for function, entry in functions.items():
        if function in DLPACK or not entry.get("copy"):
            continue
        said = rules(entry)
        if target.function(function) is None:
            yield from (Check(function, s, "n/a", required=f"the namespace has no {function}") for s, _, _ in said)
            continue
        if function not in inputs(numpy, "float32"):
            yield from (Check(function, s, "unspecified", required="no inputs defined for this function") for s, *_ in
                        said)
            continue
        for dtype in DTYPES:
            if target.supports(dtype) and target.supports(DTYPES[dtype]):
                yield from _function(target, mode, numpy, function, said, dtype)
    if target.function("asarray") is not None:
        got, ref = (call(t, m, lambda: _DLPackOnly(_values("float64")), lambda s, t=t: t.ns.asarray(s),
                         _values("float64")) for t, m in ((target, mode), (numpy, "inplace")))
        got, ref = (s.text() if s.raised else f"returns {s.reads}" for s in (got, ref))
        yield Check("asarray", "an object with only __dlpack__", "unspecified", input="a float64 (2, 3) array's "
                    "__dlpack__ and __dlpack_device__", library=got, numpy=ref,
                    required="asarray's obj is an array, Python scalars, a nested sequence or a buffer-protocol object")


def _function(target, mode, numpy, function, said, dtype):
    items, reference = inputs(target, dtype)[function], inputs(numpy, dtype)[function]
    seen = {(label, v): observe(target, mode, item, COPY[v]) for label, item in items.items() for v in COPY}
    for sentence, value, raises in said:
        for label, item in items.items():
            got = seen[label, value]
            reuse = bool(seen[label, "False"].shared or seen[label, "False"].identical)
            verdict_, required = verdict(function, value, raises, item, got, reuse)
            rule = f"copy={value}{' (Raises)' if raises else ''}: {label}"
            if verdict_ in ("conforms", "n/a"):
                yield Check(function, rule, verdict_, dtype=dtype, sentence=sentence, elements_total=1)
                continue
            ref = observe(numpy, "inplace", reference[label], COPY[value]).text()
            yield Check(function, rule, verdict_, dtype=dtype, sentence=sentence, input=f"{dtype} {label}",
                        required=required, library=got.text(), numpy=ref,
                        follows="numpy" if ref == got.text() else "neither", elements=1, elements_total=1)


COPY = {"True": True, "False": False, "None": None}
