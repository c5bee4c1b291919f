"""Conformance area ``promotion``: the result dtype of every binary function and operator.

The rules are the standard's, derived by ``tools/derive_promotion.py`` into
``opinfo/data/array_api_promotion.json``: its promotion tables, its rules for Python scalars, each
binary function's and operator's operand dtypes ("Should have a numeric data type") and result
("determined by type promotion", ``bool``, "the same data type as ``self``"). Checked, per function
and per operator (plain ``x1.__add__(x2)``, reflected ``x2.__radd__(x1)``, in-place ``x1 += x2``):

- every ordered pair of dtypes the tables define, within the dtypes the operands should have;
- an array with each Python scalar the rules allow for its dtype (on either side where the signature
  admits a scalar there); the combinations the standard leaves open are counted as ``unspecified``;
- a 0-d array with a 1-d one, where the promoted dtype is not the 1-d array's (no value-based casting);
- in-place, where the promoted dtype differs from the left operand's: the standard says both that the
  dtype must not change and that it may (a note), so a changed dtype is ``ambiguous``, and refusing
  is ``unspecified`` ("The choice of casting behavior ... is unspecified").

Only the result's ``dtype`` attribute is read (nothing is computed back to the host), and every
operand is ``ones`` of one shape, valid for every function (positive, nonzero), so that JAX
compiles each primitive once per dtype pair.
"""

from __future__ import annotations

import functools
import json
import operator
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parity.conformance import Check

DATA = Path(__file__).resolve().parent.parent / "opinfo" / "data" / "array_api_promotion.json"
SHAPE = (3,)
MATRIX = (2, 2)  # matmul and @: one shape too
SCALAR_VALUES = {"bool": True, "int": 1, "float": 1.0, "complex": 1 + 1j}
COMPLEX_OF = {"float32": "complex64", "float64": "complex128"}


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


# ------------------------------------------------------------------------------------ subjects


@dataclass(frozen=True)
class Subject:
    """A function or an operator: how it is called, the dtypes its operands should have, its result."""

    name: str  # "add", "__add__", "__radd__", "__iadd__"
    form: str  # "function", "binary", "reflected", "in-place"
    function: str  # the equivalent function
    x1: tuple[str, ...]
    x2: tuple[str, ...] | str  # "same as x1"
    scalars1: tuple[str, ...]  # Python scalar types admitted as x1 (functions only)
    scalars2: tuple[str, ...]
    result: str  # "promoted", "bool", "same as x1"
    sentence: str  # the result's sentence
    unspecified: tuple[dict, ...] = ()
    also: tuple[str, str] | None = None  # a second, different result rule: (result, sentence)
    symbol: str | None = None

    @property
    def matrix(self) -> bool:
        return self.function == "matmul"


def subjects(version: str) -> list[Subject]:
    r = rules(version)
    funcs = r["functions"]
    out = []
    for name, f in funcs.items():
        x2 = f["dtypes"]["x2"]
        out.append(Subject(name, "function", name, tuple(f["dtypes"]["x1"]),
                           x2 if isinstance(x2, str) else tuple(x2), tuple(f["scalars"]["x1"]),
                           tuple(f["scalars"]["x2"]), f["result"], f["result_sentence"], tuple(f["unspecified"])))
    ops = r["operators"]
    excluded = set(r["promotion"]["scalars"]["excluded_operators"])
    for name, op in ops.items():
        if op["form"] == "unary":
            continue
        base = ops[op.get("of", name)]
        fn = funcs.get(base["function"], {})
        result = base["result"].replace("self", "x1")
        also = None
        if fn and fn["result"] != result:  # __lshift__: "same as self", yet equal to bitwise_left_shift
            also = (fn["result"], f"{base['sentence']} ({base['function']}: {fn['result_sentence']})")
        x2 = base["dtypes"]["other"]
        scalars = () if base.get("of", name) in excluded or name in excluded else tuple(base["scalars"])
        form = {"binary": "binary", "reflected": "reflected", "in-place": "in-place"}[op["form"]]
        out.append(Subject(name, form, base["function"], tuple(base["dtypes"]["self"]),
                           x2.replace("self", "x1") if isinstance(x2, str) else tuple(x2), (), scalars,
                           result, base["result_sentence"], tuple(base["unspecified"]), also, op["symbol"]))
    return out


# ------------------------------------------------------------------------------------ calling


@dataclass(frozen=True)
class Operand:
    dtype: str | None  # None: a Python scalar
    scalar: str | None = None
    shape: tuple[int, ...] = SHAPE

    def render(self) -> str:
        if self.dtype is None:
            return f"Python {self.scalar} {SCALAR_VALUES[self.scalar]!r}"
        return f"{self.dtype} array of shape {self.shape}" if self.shape else f"{self.dtype} 0-d array"


class Side:
    """One library (the target, or NumPy for the reference): its arrays and callables."""

    def __init__(self, target=None):
        self.target = target
        self._arrays: dict = {}
        self._names: list | None = None
        self.in_place: dict = {}

    def array(self, dtype: str, shape, fresh: bool = False):
        key = (dtype, shape)
        if fresh or key not in self._arrays:
            host = np.ones(shape, dtype=np.dtype(dtype))
            made = host if self.target is None else self.target.asarray(host)
            if fresh:
                return made
            self._arrays[key] = made
        return self._arrays[key]

    def value(self, op: Operand, fresh: bool = False):
        return SCALAR_VALUES[op.scalar] if op.dtype is None else self.array(op.dtype, op.shape, fresh)

    def function(self, name: str):
        return getattr(np, name, None) if self.target is None else self.target.function(name)

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


DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
               "float64", "complex64", "complex128")


def invoke(side: Side, subject: Subject, a: Operand, b: Operand):
    """Call ``subject`` on (a, b) in ``side``: the result's dtype name, or what went wrong (an ``Error``)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = _call(side, subject, a, b)
    except Exception as exc:  # noqa: BLE001 - the library's own error is the finding
        text = str(exc).splitlines()[0][:160] if str(exc) else ""
        return Error(f"raises {type(exc).__name__}: {text}".rstrip(": "))
    if isinstance(result, Error):
        return result
    if result is NotImplemented:
        return Error("returns NotImplemented")
    dtype = getattr(result, "dtype", None)
    if dtype is None:
        return Error(f"returns a {type(result).__name__}, not an array")
    return side.dtype_name(dtype)


@dataclass(frozen=True)
class Error:
    text: str

    def __str__(self):
        return self.text


def _call(side: Side, subject: Subject, a: Operand, b: Operand):
    if subject.form == "function":
        f = side.function(subject.name)
        if f is None:
            return Error(f"the namespace has no {subject.name}")
        return f(side.value(a), side.value(b))
    if subject.form == "binary":
        x1 = side.value(a)
        method = getattr(type(x1), subject.name, None)
        return Error(f"the array object has no {subject.name}") if method is None else method(x1, side.value(b))
    if subject.form == "reflected":  # x2.__radd__(x1): x1 is the left operand, x2 the array
        x2 = side.value(b)
        method = getattr(type(x2), subject.name, None)
        return Error(f"the array object has no {subject.name}") if method is None else method(x2, side.value(a))
    # in-place: Python's own path (``__iadd__``, else ``__add__``) on a fresh left operand
    return getattr(operator, subject.name.strip("_"))(side.value(a, fresh=True), side.value(b))


# ------------------------------------------------------------------------------------- checks


def checks(target):
    version = target.version
    promo = table(version)
    rules_ = rules(version)["promotion"]
    lib, ref = Side(target), Side()
    lib.in_place = rules(version)["in_place"]
    ok = {d for d in DTYPE_NAMES if target.supports(d)}
    for subject in subjects(version):
        if subject.form != "function" or target.function(subject.name) is not None:
            yield from _pairs(subject, promo, ok, lib, ref)
            yield from _zero_dimensional(subject, promo, ok, lib, ref, rules_["zero_dimensional"])
            yield from _scalars(subject, rules_["scalars"], ok, lib, ref)
        else:
            yield Check(subject.name, f"{subject.name} of two arrays -> {subject.result}", "n/a")


def _required(subject: Subject, d1: str, promoted: str) -> str:
    if subject.result == "bool":
        return "bool"
    if subject.result == "same as x1":
        return d1
    return promoted


def _x2_dtypes(subject: Subject, d1: str) -> tuple[str, ...]:
    return (d1,) if subject.x2 == "same as x1" else subject.x2


def _pairs(subject, promo, ok, lib, ref):
    shape = MATRIX if subject.matrix else SHAPE
    for d1 in subject.x1:
        for d2 in _x2_dtypes(subject, d1):
            if d1 not in ok or d2 not in ok or (d1, d2) not in promo:
                continue
            entry = promo[(d1, d2)]
            a, b = Operand(d1, shape=shape), Operand(d2, shape=shape)
            yield _judge(subject, a, b, entry["result"], entry["sentence"], lib, ref)


def _zero_dimensional(subject, promo, ok, lib, ref, sentence):
    """A 0-d operand whose dtype wins the promotion: the result must not take the 1-d operand's dtype.

    Per dtype of the 1-d operand, one partner: the first dtype (in the standard's order) that promotes
    past it, as x2 and as x1; functions and plain operators only (reflected and in-place ones reach
    the same promotion), so that a library compiling per dtype pair (JAX) stays fast."""
    if subject.form not in ("function", "binary") or subject.matrix:
        return
    for d1 in subject.x1:
        if d1 not in ok:
            continue
        partners = [d2 for d2 in _x2_dtypes(subject, d1) if d2 in ok and (d1, d2) in promo]
        wider = next((d2 for d2 in partners if promo[(d1, d2)]["result"] != d1), None)
        if wider is not None:
            yield _judge(subject, Operand(d1), Operand(wider, shape=()), promo[(d1, wider)]["result"], sentence,
                         lib, ref)
        wider = next((d2 for d2 in partners if promo[(d2, d1)]["result"] != d1), None) if subject.x2 != "same as x1" \
            else None
        if wider is not None and (wider, d1) in promo:
            yield _judge(subject, Operand(wider, shape=()), Operand(d1), promo[(wider, d1)]["result"], sentence,
                         lib, ref)


def _scalars(subject, rules_, ok, lib, ref):
    allowed = {(r["scalar"], d): r for r in rules_["allowed"] for d in r["dtypes"]}
    sides = [("x2", subject.scalars2)]
    if subject.form == "function":
        sides.append(("x1", subject.scalars1))
    elif subject.form == "reflected":
        sides = [("x1", subject.scalars2)]  # x2.__radd__(scalar) is ``scalar + x2``
    for where, kinds in sides:
        array_dtypes = subject.x1 if where == "x2" else _x2_dtypes(subject, subject.x1[0])
        for scalar in kinds:
            for d in array_dtypes:
                if d not in ok or (scalar, d) not in allowed:
                    continue
                rule = allowed[(scalar, d)]
                promoted = d if rule["result"] == "array" else COMPLEX_OF[d]
                s, arr = Operand(None, scalar), Operand(d)
                a, b = (arr, s) if where == "x2" else (s, arr)
                yield _judge(subject, a, b, promoted, f"{rule['sentence']} {rule['conversion']}", lib, ref)
            for r in rules_["unspecified"]:
                if r["scalar"] != scalar:
                    continue
                dtypes = [d for d in r["dtypes"] if d in array_dtypes and d in ok]
                if dtypes:
                    kind = "integer" if all(d.startswith(("int", "uint")) for d in dtypes) else "/".join(dtypes)
                    other = "x1" if where == "x2" else "x2"
                    yield Check(subject.name, f"{other} {kind} array, {where} Python {scalar}: unspecified",
                                "unspecified", sentence=r["sentence"])


def _describe(a: Operand, b: Operand) -> str:
    def short(op):
        if op.dtype is None:
            return f"Python {op.scalar}"
        return f"{op.dtype} 0-d" if op.shape == () else op.dtype

    if a.dtype is None or b.dtype is None:
        return f"x1 {short(a)}{'' if a.dtype is None else ' array'}, x2 {short(b)}{'' if b.dtype is None else ' array'}"
    if a.shape == () or b.shape == ():
        return f"x1 {a.dtype} {'0-d' if a.shape == () else 'n-d'}, x2 {b.dtype} {'0-d' if b.shape == () else 'n-d'}"
    return f"x1 {a.dtype}, x2 {b.dtype}"


def _input(subject: Subject, a: Operand, b: Operand) -> str:
    call = {"function": f"{subject.name}(x1, x2)", "binary": f"x1.{subject.name}(x2)",
            "reflected": f"x2.{subject.name}(x1)", "in-place": f"x1 {subject.symbol} x2"}[subject.form]
    if subject.form == "binary" and subject.symbol:
        call = f"{subject.symbol} (x1.{subject.name}(x2))"
    return f"{call}; x1: {a.render()}, x2: {b.render()}"


def _judge(subject: Subject, a: Operand, b: Operand, promoted: str, sentence: str, lib: Side, ref: Side) -> Check:
    d1 = a.dtype or b.dtype
    left = a.dtype  # in-place: the dtype x1 must keep
    required = _required(subject, a.dtype or promoted, promoted)
    got = invoke(lib, subject, a, b)
    numpy = invoke(ref, subject, a, b)
    base = _describe(a, b)
    common = {"dtype": d1, "input": _input(subject, a, b), "numpy": str(numpy)}
    follows = "numpy" if str(got) == str(numpy) else "neither"
    loose = [u for u in subject.unspecified if {a.dtype, b.dtype} & set(u["when_either"])]
    if subject.form == "in-place" and not loose:  # the promoted dtype decides, whatever the binary operator says
        required = "bool" if subject.result == "bool" else promoted
    if subject.form == "in-place" and required != left and not loose:
        rule = f"{base}: stays {left} (promoted {required})"
        if got == left:
            return Check(subject.name, rule, "conforms", dtype=d1, elements_total=1)
        text = f"{lib.in_place['keeps_dtype']} / {lib.in_place['differs_may_change']}"
        verdict = "unspecified" if isinstance(got, Error) and "raises" in got.text else "ambiguous"
        if not isinstance(got, Error) and got not in (left, required):
            verdict = "violates"
        return Check(subject.name, rule, verdict, sentence=text, required=left, library=str(got), follows=follows,
                     elements=int(verdict == "violates"), elements_total=1, **common)
    rule = f"{base} -> {required}"
    either = None
    if subject.also is not None and subject.form != "in-place":
        alt = _required(Subject(**{**subject.__dict__, "result": subject.also[0]}), a.dtype or promoted, promoted)
        if alt != required:
            either = alt
            rule = f"{base} -> {required} or {either}"
    if loose:  # divide of integers: raising or any real floating dtype is the library's choice
        rule = f"{base} -> real-valued floating-point or an error"
        if isinstance(got, Error) or got in ("float32", "float64") or subject.form == "in-place":
            return Check(subject.name, rule, "unspecified", sentence=loose[0]["sentence"], elements_total=1, **common)
        return Check(subject.name, rule, "violates", sentence=loose[0]["sentence"], required="float32 or float64",
                     library=str(got), follows=follows, elements=1, elements_total=1, **common)
    if got == required:
        verdict = "ambiguous" if either else "conforms"
        return Check(subject.name, rule, verdict, dtype=d1, elements_total=1,
                     sentence=f"{sentence} {subject.sentence}" + (f" / {subject.also[1]}" if either else ""))
    if either and got == either:
        return Check(subject.name, rule, "ambiguous", sentence=f"{subject.sentence} / {subject.also[1]}",
                     required=required, library=str(got), follows=follows, elements_total=1, **common)
    return Check(subject.name, rule, "violates", sentence=f"{sentence} {subject.sentence}",
                 required=required + (f" (or {either})" if either else ""), library=str(got), follows=follows,
                 elements=1, elements_total=1, **common)


