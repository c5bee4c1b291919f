"""Conformance area ``promotion``: the result dtype of every binary function and operator (and, through
``parity/conform_promotion_calls.py``, of every other function of two or more arrays: ``where``, ``concat``).

The rules are the standard's, derived by ``tools/derive_promotion.py`` into
``opinfo/data/array_api_promotion.json``: its promotion tables, its rules for Python scalars, each
binary function's and operator's operand dtypes ("Should have a numeric data type") and result
("determined by type promotion", ``bool``, "the same data type as ``self``"). Checked, per function
and per operator (plain ``x1.__add__(x2)``, reflected ``x2.__radd__(x1)``, in-place ``x1 += x2``):

- every ordered pair of dtypes the tables define, within the dtypes the operands should have;
- an array with each Python scalar the rules allow for its dtype (on either side where the signature
  admits a scalar there); the combinations the standard leaves open are counted as ``unspecified``;
- a 0-d array with a 1-d one, where the promoted dtype is not the 1-d array's (no value-based casting),
  and for comparisons (whose dtype is ``bool`` either way) the values, computed;
- in-place, where the promoted dtype differs from the left operand's: the standard says both that the
  dtype must not change and that it may (a note), so a changed dtype is ``ambiguous``, and refusing
  is ``unspecified`` ("The choice of casting behavior ... is unspecified").

Otherwise only the result's ``dtype`` is read, through the backend's ``abstract`` (JAX traces with
``jax.eval_shape`` instead of compiling a program per function and dtype pair). Every operand is
``ones`` of one shape (valid for every function), made before the call so that it stays concrete.

A violation carries what its call shows (``tags``, a gap's ``where``): it raised; it raised on two
arrays of different dtypes; the error says an operand's dtype is not implemented; the result kept
the n-d operand's dtype over a wider 0-d one; it has the required kind at a larger size.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from parity import conform_promotion_calls as calls
from parity.conform_promotion_calls import (
    COMPLEX_OF,
    DTYPE_NAMES,
    SHAPE,
    Error,
    Operand,
    Side,
    outcome,
    rules,
    table,
    tags,
)
from parity.conformance import Check, Raised, attempt, quiet

MATRIX = (2, 2)  # matmul and @: one shape too


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


def invoke(side: Side, subject: Subject, a: Operand, b: Operand):
    """Call ``subject`` on (a, b) in ``side``: the result's dtype name, or what went wrong (an ``Error``)."""
    return outcome(side, lambda: _call(side, subject, a, b))


def _call(side: Side, subject: Subject, a: Operand, b: Operand):
    """The result of the call; its operands are made first, outside ``side.run``, so they stay concrete."""
    if subject.form == "function":
        f = side.function(subject.name)
        if f is None:
            return Error(f"the namespace has no {subject.name}")
        x1, x2 = side.value(a), side.value(b)
        return side.run(lambda: f(x1, x2))
    if subject.form in ("binary", "reflected"):  # x2.__radd__(x1): x1 is the left operand, x2 the array
        this, other = (side.value(a), side.value(b)) if subject.form == "binary" else (side.value(b), side.value(a))
        method = getattr(type(this), subject.name, None)
        return Error(f"the array object has no {subject.name}") if method is None else \
            side.run(lambda: method(this, other))
    # in-place: Python's own path (``__iadd__``, else ``__add__``) on a fresh left operand
    x1, x2 = side.value(a, fresh=True), side.value(b)
    op = getattr(operator, subject.name.strip("_"))
    return side.run(lambda: op(x1, x2))


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
            yield from _zero_dimensional_values(subject, promo, ok, target, rules_["zero_dimensional"])
            yield from _scalars(subject, rules_["scalars"], ok, lib, ref)
        else:
            yield Check(subject.name, f"{subject.name} of two arrays -> {subject.result}", "n/a")
    yield from calls.checks(target, lib, ref)  # where, concat, linalg.cross, clip, ...


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


def _zero_dimensional_values(subject, promo, ok, target, sentence):
    """A ``bool`` result cannot show by its dtype whether a wider 0-d x2 took part, so its values must: x2
    holds a value x1's dtype cannot (int16 32767 beside int8, float64 1 + 2**-30 beside float32), x1 that
    value as its dtype stores it; one computed call per dtype, for the function and its plain operator."""
    if subject.form not in ("function", "binary") or subject.result != "bool":
        return
    for d1 in subject.x1:
        wider = next((d2 for d2 in _x2_dtypes(subject, d1) if d2 in ok and d1 in ok and (d1, d2) in promo
                      and promo[(d1, d2)]["result"] != d1), None)
        if wider is None:
            continue
        value = np.asarray(np.iinfo(wider).max if np.dtype(wider).kind in "iu" else
                           (1 + 2**-30) * (1 + 1j if wider.startswith("complex") else 1), dtype=wider)
        with quiet():
            x1 = np.asarray([value.real if d1 != wider and not d1.startswith("complex") else value, 0, 1]).astype(d1)
            f = getattr(np, subject.function)
            want, ignored = f(x1, value), f(x1, value.astype(x1.dtype))
        got = _computed(target, subject, x1, value)
        rule = f"x1 {d1} n-d, x2 {wider} 0-d -> bool, the values of {promo[(d1, wider)]['result']}"
        bad = not isinstance(got, np.ndarray) or not np.array_equal(got, want)
        a, b = Operand(d1), Operand(wider, shape=())
        shown = tags(Error(got.text), a, b) if isinstance(got, Raised) else \
            ("0-d ignored",) if bad and np.array_equal(got, ignored) else ()
        yield Check(subject.name, rule, "violates" if bad else "conforms", dtype=d1, sentence=sentence,
                    input=_input(subject, a, b).split(";")[0] + f"; x1 = {x1.tolist()!r} ({d1}), "
                                                                f"x2 = {value.item()!r} ({wider} 0-d)",
                    required=repr(want.tolist()),
                    library=repr(got.tolist()) if isinstance(got, np.ndarray) else str(got),
                    numpy=repr(want.tolist()), follows="numpy" if not bad else "neither", elements=int(bad),
                    elements_total=1, tags=shown if bad else ())


def _computed(target, subject: Subject, x1: np.ndarray, x2: np.ndarray):
    """The library's values for ``subject(x1, x2)``, what it raised, or what it returned instead of an array."""
    a, b = target.asarray(x1), target.asarray(x2)
    got = attempt(lambda: (target.function(subject.name) if subject.form == "function" else
                           getattr(type(a), subject.name))(a, b))  # no such operator: AttributeError, raised
    if isinstance(got, Raised) or getattr(got, "dtype", None) is None:
        return got if isinstance(got, Raised) else f"returns a {type(got).__name__}, not an array"
    return target.to_numpy(got)


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
                     elements=int(verdict == "violates"), elements_total=1, **common,
                     tags=tags(got, a, b, left, required) if verdict == "violates" else ())
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
                     library=str(got), follows=follows, elements=1, elements_total=1, tags=tags(got, a, b), **common)
    if got == required:
        verdict = "ambiguous" if either else "conforms"
        return Check(subject.name, rule, verdict, dtype=d1, elements_total=1,
                     sentence=f"{sentence} {subject.sentence}" + (f" / {subject.also[1]}" if either else ""))
    if either and got == either:
        return Check(subject.name, rule, "ambiguous", sentence=f"{subject.sentence} / {subject.also[1]}",
                     required=required, library=str(got), follows=follows, elements_total=1, **common)
    return Check(subject.name, rule, "violates", sentence=f"{sentence} {subject.sentence}",
                 required=required + (f" (or {either})" if either else ""), library=str(got), follows=follows,
                 elements=1, elements_total=1, tags=tags(got, a, b, required, either), **common)
