"""Area ``promotion``, its calling layer and its functions of two or more arrays beyond the binary ones.

The calling layer serves every check of the area (``parity/conform_promotion.py``): the derived rules
(``opinfo/data/array_api_promotion.json``), operands, the two sides (the library under test and
NumPy), an outcome (a dtype name or an ``Error``) and the ``tags`` a violation carries.

The functions are those ``tools/derive_promotion.py`` finds in the standard's text ("calls"): a
result "determined by type-promotion" of two required arrays (``where``'s ``x1`` and ``x2``,
``linalg.cross``, ``tensordot``, ...) or of a sequence of arrays (``concat``, ``stack``: "normal
type-promotion must apply"), and ``clip``, whose bounds "should have the same data type as ``x``"
(bounds of another dtype are unspecified). Each is checked for every ordered pair of dtypes the
tables define within its operands' dtypes, through the backend's ``abstract`` (JAX: ``eval_shape``);
``where`` also with a Python scalar on either side and with a 0-d operand (it broadcasts like an
element-wise function), ``clip`` with Python scalar bounds. A departure from a "should" is
``unspecified``. How each function is called validly (shapes: cross needs an axis of size 3, solve
an invertible square matrix) is data: :data:`RECIPES`.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from opinfo.dtypes import ALL
from parity.conformance import Check, quiet, raised, unimplemented

DATA = Path(__file__).resolve().parent.parent / "opinfo" / "data" / "array_api_promotion.json"
SHAPE = (3,)
SCALAR_VALUES = {"bool": True, "int": 1, "float": 1.0, "complex": 1 + 1j}
COMPLEX_OF = {"float32": "complex64", "float64": "complex128"}
DTYPE_NAMES = ALL  # the standard's dtypes


@functools.cache
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def rules(version: str) -> dict:
    """The derived rules of one version of the standard (an older one may name a newer one's)."""
    versions = data()["versions"]
    found = versions[version]
    return versions[found] if isinstance(found, str) else found


def table(version: str) -> dict[tuple[str, str], dict]:
    return {(e["x1"], e["x2"]): e for e in rules(version)["promotion"]["table"]}


# ------------------------------------------------------------------------------------ calling


@dataclass(frozen=True)
class Operand:
    dtype: str | None  # None: a Python scalar
    scalar: str | None = None
    shape: tuple[int, ...] = SHAPE
    fill: str = "ones"  # "eye": identity matrices (an invertible operand)

    def render(self) -> str:
        if self.dtype is None:
            return f"Python {self.scalar} {SCALAR_VALUES[self.scalar]!r}"
        what = "identity" if self.fill == "eye" else "array"
        return f"{self.dtype} {what} of shape {self.shape}" if self.shape else f"{self.dtype} 0-d array"


class Side:
    """One library (the target, or NumPy for the reference): its arrays and callables."""

    def __init__(self, target=None):
        self.target = target
        self._arrays: dict = {}
        self._names: list | None = None
        self.in_place: dict = {}

    def array(self, dtype: str, shape, fresh: bool = False, fill: str = "ones"):
        key = (dtype, shape, fill)
        if fresh or key not in self._arrays:
            host = np.ones(shape, dtype=np.dtype(dtype)) if fill == "ones" else \
                np.broadcast_to(np.eye(shape[-1]), shape).astype(dtype)
            made = host if self.target is None else self.target.asarray(host)
            if fresh:
                return made
            self._arrays[key] = made
        return self._arrays[key]

    def value(self, op: Operand, fresh: bool = False):
        return SCALAR_VALUES[op.scalar] if op.dtype is None else self.array(op.dtype, op.shape, fresh, op.fill)

    def function(self, name: str):
        if self.target is not None:
            return self.target.function(name)
        return functools.reduce(lambda obj, part: getattr(obj, part, None), name.split("."), np)

    def run(self, call):
        """``call()``'s result where only its dtype is read (the backend may infer it without computing)."""
        return call() if self.target is None else self.target.backend.abstract(call)

    def dtype_name(self, dtype) -> str:
        if self.target is None:
            return np.dtype(dtype).name
        if self._names is None:
            self._names = [(n, self.target.dtype(n)) for n in DTYPE_NAMES if self.target.supports(n)]
        for name, obj in self._names:
            try:
                if dtype == obj:
                    return name
            except Exception:  # noqa: BLE001,S112 - an odd dtype object: fall back to its text
                continue
        return str(dtype).rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Error:
    text: str

    def __str__(self):
        return self.text


def outcome(side: Side, call):
    """``call()``'s result dtype name in ``side``, or what went wrong (an ``Error``)."""
    try:
        with quiet():
            result = call()
    except Exception as exc:  # noqa: BLE001 - the library's own error is the finding
        return Error(raised(exc))
    if isinstance(result, Error):
        return result
    if result is NotImplemented:
        return Error("returns NotImplemented")
    dtype = getattr(result, "dtype", None)
    if dtype is None:
        return Error(f"returns a {type(result).__name__}, not an array")
    return side.dtype_name(dtype)


_SIZED = re.compile(r"(u?int|float|complex)(\d+)")


def tags(got, a: Operand, b: Operand, *wanted: str | None) -> tuple[str, ...]:
    """What the failing call shows, for a gap's ``where`` (``opinfo.conformance.WHERE``): read from its
    outcome (the error's text, the dtype it gave), so a gap for one cause cannot cover another."""
    arrays = [o for o in (a, b) if o.dtype is not None]
    if isinstance(got, Error):
        if not got.text.startswith("raises"):
            return ()
        mixed = ("refuses mixed dtypes",) if len({o.dtype for o in arrays}) == 2 else ()
        return ("raises", *mixed, *unimplemented(got.text, [o.dtype for o in arrays]))
    n_d = [o.dtype for o in arrays if o.shape != ()]
    if len(arrays) == 2 and len(n_d) == 1 and got == n_d[0]:
        return ("0-d ignored",)
    sized = _SIZED.fullmatch(got)
    for w in filter(None, wanted):
        want = _SIZED.fullmatch(w)
        if sized and want and sized[1] == want[1] and int(sized[2]) > int(want[2]):
            return ("widened",)
    return ()


# --------------------------------------------------------------------- functions of two or more arrays


@dataclass(frozen=True)
class Recipe:
    """A valid call: each array parameter's shape (a sequence's: each of its two arrays'), how it is filled."""

    shapes: dict[str, tuple[int, ...]]
    fill: dict[str, str] = field(default_factory=dict)
    zero_d: bool = False  # the operands broadcast element-wise: a 0-d one must promote as well


RECIPES = {
    "where": Recipe({"condition": SHAPE, "x1": SHAPE, "x2": SHAPE}, zero_d=True),
    "clip": Recipe({"x": SHAPE, "min": SHAPE, "max": SHAPE}),
    "concat": Recipe({"arrays": SHAPE}),
    "stack": Recipe({"arrays": SHAPE}),
    "linalg.cross": Recipe({"x1": SHAPE, "x2": SHAPE}),  # the axis of the products has size 3
    "linalg.outer": Recipe({"x1": (2,), "x2": SHAPE}),
    "linalg.solve": Recipe({"x1": (2, 2), "x2": (2, 2)}, fill={"x1": "eye"}),  # square and invertible
    "linalg.matmul": Recipe({"x1": (2, 2), "x2": (2, 2)}),
    "tensordot": Recipe({"x1": (2, 2), "x2": (2, 2)}),
    "vecdot": Recipe({"x1": SHAPE, "x2": SHAPE}),
}


@dataclass(frozen=True)
class Call:
    """One derived function: ``a`` is its first promoted operand, ``b`` every other (clip's two bounds, the
    second array of a sequence), any further array parameter (where's ``condition``) is fixed."""

    name: str
    entry: dict
    recipe: Recipe

    @property
    def operands(self) -> list[str]:
        return self.entry["operands"]

    def operand(self, which: int, dtype: str | None, scalar: str | None = None, zero_d: bool = False) -> Operand:
        p = self.operands[min(which, len(self.operands) - 1)]
        shape = () if zero_d else self.recipe.shapes[p]
        return Operand(dtype, scalar, shape, self.recipe.fill.get(p, "ones"))

    def args(self, side: Side, a: Operand, b: Operand) -> list:
        out = []
        for p in self.entry["parameters"]:
            if p in self.operands and self.entry["sequence"]:
                out.append([side.value(a), side.value(b)])
            elif p in self.operands:
                out.append(side.value(a if p == self.operands[0] else b))
            else:
                out.append(side.array(self.entry["dtypes"][p][0], self.recipe.shapes[p]))
        return out

    def invoke(self, side: Side, a: Operand, b: Operand):
        f = side.function(self.name)
        if f is None:
            return Error(f"the namespace has no {self.name}")

        def call():  # the operands are made first, outside ``side.run``, so they stay concrete
            args = self.args(side, a, b)
            return side.run(lambda: f(*args))

        return outcome(side, call)

    def names(self, which: int) -> str:
        return self.operands[0] if which == 0 else " and ".join(self.operands[1:])

    def describe(self, a: Operand, b: Operand) -> str:
        zero = a.shape == () or b.shape == ()

        def short(op, other):
            if op.dtype is None:
                return f"Python {op.scalar}"
            if other.dtype is None:
                return f"{op.dtype} array"
            return f"{op.dtype} {'0-d' if op.shape == () else 'n-d'}" if zero else op.dtype

        if self.entry["sequence"]:
            return f"{self.operands[0]} [{short(a, b)}, {short(b, a)}]"
        return f"{self.names(0)} {short(a, b)}, {self.names(1)} {short(b, a)}"

    def render(self, a: Operand, b: Operand) -> str:
        params = self.entry["parameters"]
        fixed = [f"{p}: {Operand(self.entry['dtypes'][p][0], shape=self.recipe.shapes[p]).render()}" for p in params
                 if p not in self.operands]
        if self.entry["sequence"]:
            return f"{self.name}([x1, x2]); x1: {a.render()}, x2: {b.render()}"
        return f"{self.name}({', '.join(params)}); " + ", ".join(
            [*fixed, f"{self.names(0)}: {a.render()}", f"{self.names(1)}: {b.render()}"])


def calls(version: str) -> list[Call]:
    """The derived functions with their recipes (an alias takes its target's)."""
    derived = rules(version)["calls"]
    return [Call(n, e, RECIPES.get(n) or RECIPES[e["alias_of"]]) for n, e in derived.items()]


def checks(target, lib: Side, ref: Side):
    version = target.version
    promo, scalars = table(version), rules(version)["promotion"]["scalars"]
    ok = {d for d in DTYPE_NAMES if target.supports(d)}
    for call in calls(version):
        if target.function(call.name) is None:
            yield Check(call.name, f"{call.name} of two arrays -> {call.entry['result']}", "n/a")
            continue
        yield from _pairs(call, promo, ok, lib, ref)
        if call.recipe.zero_d:
            yield from _zero_dimensional(call, promo, ok, lib, ref, rules(version)["promotion"]["zero_dimensional"])
        yield from _scalars(call, scalars, ok, lib, ref)
        if call.entry["mixed_unspecified"]:
            names = call.operands
            yield Check(call.name, f"{', '.join(names[:-1])} and {names[-1]} arrays of different dtypes: unspecified",
                        "unspecified", sentence=call.entry["mixed_unspecified"])


def _dtypes(call: Call, which: int, d1: str | None = None) -> list[str]:
    found = call.entry["dtypes"][call.operands[min(which, len(call.operands) - 1)]]
    return [d1] if isinstance(found, str) else found  # "same as x": x's


def _required(call: Call, d1: str, promoted: str) -> str:
    return {"promoted": promoted, "bool": "bool"}.get(call.entry["result"], d1)


def _pairs(call, promo, ok, lib, ref):
    for d1 in _dtypes(call, 0):
        for d2 in _dtypes(call, 1, d1):
            if {d1, d2} <= ok and (d1, d2) in promo:
                yield _judge(call, call.operand(0, d1), call.operand(1, d2),
                             _required(call, d1, promo[(d1, d2)]["result"]), promo[(d1, d2)]["sentence"],
                             call.entry["binding"], lib, ref)


def _zero_dimensional(call, promo, ok, lib, ref, sentence):
    """Per dtype of the n-d operand, the first dtype that promotes past it, as a 0-d operand on either side."""
    for d1 in _dtypes(call, 0):
        partners = [d2 for d2 in _dtypes(call, 1, d1) if {d1, d2} <= ok and (d1, d2) in promo]
        wider = next((d2 for d2 in partners if promo[(d1, d2)]["result"] != d1), None)
        if wider is not None:
            yield _judge(call, call.operand(0, d1), call.operand(1, wider, zero_d=True), promo[(d1, wider)]["result"],
                         sentence, call.entry["binding"], lib, ref)
            yield _judge(call, call.operand(0, wider, zero_d=True), call.operand(1, d1), promo[(wider, d1)]["result"],
                         sentence, call.entry["binding"], lib, ref)


def _scalars(call, rules_, ok, lib, ref):
    """A Python scalar for each operand whose signature admits one (both of clip's bounds at once)."""
    allowed = {(r["scalar"], d): r for r in rules_["allowed"] for d in r["dtypes"]}
    binding = re.search(r"\b(must|should)\b", call.entry["scalar_sentence"] or "must")[1]
    for which, p in enumerate(call.operands[:2]):
        array_dtypes = [d for d in _dtypes(call, 1 - which) if d in ok]
        for scalar in call.entry["scalars"].get(p, []):
            for d in array_dtypes:
                if (scalar, d) in allowed:
                    rule = allowed[(scalar, d)]
                    s, arr = call.operand(which, None, scalar), call.operand(1 - which, d)
                    a, b = (s, arr) if which == 0 else (arr, s)
                    promoted = d if rule["result"] == "array" else COMPLEX_OF[d]
                    yield _judge(call, a, b, promoted, f"{rule['sentence']} {rule['conversion']} "
                                 f"{call.entry['scalar_sentence']}", binding, lib, ref)
            for r in rules_["unspecified"]:
                dtypes = [d for d in r["dtypes"] if d in array_dtypes]
                if r["scalar"] == scalar and dtypes:
                    kind = "integer" if all(d.startswith(("int", "uint")) for d in dtypes) else "/".join(dtypes)
                    rule = f"{call.names(1 - which)} {kind} array, {call.names(which)} Python {scalar}: unspecified"
                    yield Check(call.name, rule, "unspecified", sentence=r["sentence"])


def _judge(call: Call, a: Operand, b: Operand, required: str, sentence: str, binding: str, lib: Side,
           ref: Side) -> Check:
    got, numpy = call.invoke(lib, a, b), call.invoke(ref, a, b)
    rule = f"{call.describe(a, b)} -> {required}"
    text = f"{sentence} {call.entry['result_sentence']}"
    if got == required:
        return Check(call.name, rule, "conforms", dtype=a.dtype or b.dtype, sentence=text, elements_total=1)
    # "should" recommends the dtype, yet the call must work for the operands' dtypes: refusing is a violation
    verdict = "violates" if binding == "must" or isinstance(got, Error) else "unspecified"
    return Check(call.name, rule, verdict, dtype=a.dtype or b.dtype, sentence=text, input=call.render(a, b),
                 required=required, library=str(got), numpy=str(numpy),
                 follows="numpy" if str(got) == str(numpy) else "neither", elements=int(verdict == "violates"),
                 elements_total=1, tags=tags(got, a, b, required) if verdict == "violates" else ())
