"""Conformance area ``data-types``: ``finfo``, ``iinfo``, ``isdtype``, ``can_cast`` and ``result_type``.

The rules are the standard's text as derived into ``parity/data/array_api_<version>.json``
(``data_type_functions``: parameters with their annotations, the Returns fields with their stated types, the
Notes sentence by sentence, isdtype's kinds; ``tools/derive_array_api_spec.py``) and its promotion table
(``opinfo/data/array_api_promotion.json``). ``astype`` is the copy area's. For every standard dtype the target has:

- finfo (floating dtypes) and iinfo (integer dtypes) of the dtype and of an array of it (``type:
  Union[dtype, array]``): each field has its stated Python type (``isinstance``: NumPy's float64 scalar is a
  ``float``, its float32 one is not) and NumPy's value for the dtype exactly (for a complex dtype, "the
  information is about its component data type"), and ``.dtype`` equals the namespace's dtype object (a
  string such as ``'float32'`` is no dtype object);
- isdtype of every dtype with each kind name (the truth table comes from the kinds' definitions, shorthands
  expanded), with every dtype as the kind, and with tuples: the text's shorthands and dtype/kind mixes;
- can_cast(from_, to) for every ordered pair the promotion table defines, ``from_`` a dtype and an array:
  True exactly when promoting ``from_`` with ``to`` gives ``to``; pairs the table leaves undefined (mixed
  kinds, a signed integer with uint64) are ``unspecified``;
- result_type of one dtype or array, of every defined pair (dtypes, arrays and both mixes), of each defined
  pair with a third dtype that changes the promoted one (so an argument left out shows), and of a dtype or
  array with each Python scalar the promotion rules allow for it (both versions: scalars came in 2024.12);
  mixed kinds are ``unspecified`` as the Notes say, and so are integers with a Python float or complex.

can_cast and isdtype must also return a Python ``bool`` (one check each over all their calls). The
promotion graph "of the array device" may lack dtypes, but every array here was made on the device, and
every ``to`` is a dtype the namespace has. A function the namespace lacks gets one ``n/a`` (the names area
reports the absence); an input the harness cannot make leaves its calls out.
"""

from __future__ import annotations

import re
from itertools import product
from typing import NamedTuple

import numpy as np

from parity import conform_promotion_calls as promotion
from parity.conformance import Check, Raised, attempt, unimplemented
from parity.coverage import load_spec

FUNCTIONS = ("finfo", "iinfo", "isdtype", "can_cast", "result_type")
REAL = {"complex64": "float32", "complex128": "float64"}
SCALARS = {"bool": True, "int": 1, "float": 1.0, "complex": 1j}
PYTHON = {"int": int, "float": float}
#: Tuples of kinds and dtypes (``("dtype", name)``) besides the text's shorthands: "a union of dtypes and/or kinds".
MIXED = (("real floating", ("dtype", "int8")), ("bool", ("dtype", "complex64")), (("dtype", "uint8"),))
#: result_type with three arguments, in these forms (each operand a dtype or an array of it).
TRIPLES = (("dtype", "dtype", "dtype"), ("array", "dtype", "array"), ("array", "array", "array"))
PAIRS = (("dtype", "dtype"), ("array", "dtype"), ("dtype", "array"), ("array", "array"))
SHOWN = 5


class _Unmade(Raised):
    """An input the harness could not make (an array of a dtype the library cannot hold): no verdict."""

    def __init__(self, failed: Raised):
        self.cls, self.text = failed.cls, failed.text


class Case(NamedTuple):
    """One call: its input, what the standard requires, whether the outcome meets it, and both outcomes."""

    input: str
    required: str
    ok: bool
    library: str
    numpy: str
    tags: tuple[str, ...] = ()  # "raises", and "unimplemented:<dtype>" where the error says so


class Side:
    """The library under test, or NumPy (``target`` None) for the ``numpy`` column: dtypes, arrays, calls."""

    def __init__(self, names, target=None):
        self.target = target
        self.ns = np if target is None else target.ns
        made = {n: np.dtype(n) if target is None else attempt(target.dtype, n) for n in names}
        self.dtypes = {n: d for n, d in made.items() if not isinstance(d, Raised)}
        self.names = list(self.dtypes)
        self._arrays: dict = {}

    def array(self, name: str):
        if name not in self._arrays:
            host = np.zeros(2, dtype=name)
            made = host if self.target is None else attempt(self.target.asarray, host)
            self._arrays[name] = _Unmade(made) if isinstance(made, Raised) else made
        return self._arrays[name]

    def arg(self, token):
        """``("dtype", name)``, ``("array", name)``, ``("scalar", kind)``, a kind name, or a tuple of these."""
        if isinstance(token, str):
            return token
        if token[0] == "dtype":
            return self.dtypes[token[1]]
        if token[0] == "array":
            return self.array(token[1])
        if token[0] == "scalar":
            return SCALARS[token[1]]
        return tuple(self.arg(t) for t in token[1])

    def call(self, function: str, *tokens):
        f = getattr(self.ns, function, None)
        if f is None:
            return Raised(AttributeError(f"the namespace has no {function}"))
        args = [self.arg(t) for t in tokens]
        made = [a for a in _flat(args) if isinstance(a, Raised)]
        return made[0] if made else attempt(f, *args)

    def same(self, value, name: str) -> bool:
        """``value`` is the dtype ``name``: equal to the namespace's dtype object, and no string."""
        want = self.dtypes[name]
        return not isinstance(value, (str, Raised)) and attempt(lambda: bool(value == want)) is True

    def show(self, value) -> str:
        if isinstance(value, Raised):
            return value.text
        if type(value) in (bool, int, float, complex):
            return repr(value)
        name = next((n for n in self.names if self.same(value, n)), None)
        if name is not None:
            return name
        return f"{value!r} ({type(value).__module__}.{type(value).__qualname__})"


def _flat(args):
    return [x for a in args for x in (_flat(a) if isinstance(a, tuple) else (a,))]


def render(token) -> str:
    if isinstance(token, str):
        return repr(token)
    if token[0] == "dtype":
        return token[1]
    if token[0] == "array":
        return f"{token[1]} array"
    if token[0] == "scalar":
        return f"Python {token[1]} {SCALARS[token[1]]!r}"
    inner = ", ".join(render(t) for t in token[1])
    return f"({inner},)" if len(token[1]) == 1 else f"({inner})"


def _call_text(function: str, tokens) -> str:
    return f"{function}({', '.join(render(t) for t in tokens)})"


# ---------------------------------------------------------------------------------- verdicts


def judge(function: str, rule: str, dtype: str | None, sentence: str | None, cases: list) -> Check:
    """One rule's verdict over its calls (``None``: a call whose inputs could not be made, left out)."""
    cases = [c for c in cases if c is not None]
    if not cases:
        return Check(function, rule, "n/a", dtype=dtype, sentence=sentence,
                     required="the harness could not make the inputs")
    bad = [c for c in cases if not c.ok]
    if not bad:
        return Check(function, rule, "conforms", dtype=dtype, sentence=sentence, elements_total=len(cases))
    shown = {f: "; ".join(getattr(c, f) for c in bad[:SHOWN]) for f in ("input", "required", "library", "numpy")}
    return Check(function, rule, "violates", dtype=dtype, sentence=sentence, **shown,
                 follows="numpy" if all(c.library == c.numpy for c in bad) else "neither",
                 elements=len(bad), elements_total=len(cases),
                 tags=tuple(t for t in bad[0].tags if all(t in c.tags for c in bad)))


def _tags(outcome, tokens) -> tuple[str, ...]:
    """What a refusal shows: that it raised, and which operand dtypes the error says have no implementation."""
    if not isinstance(outcome, Raised):
        return ()
    return ("raises", *unimplemented(outcome.text, list(_operand_dtypes(tokens))))


def _operand_dtypes(tokens):
    for t in tokens:
        if isinstance(t, tuple) and t[0] in ("dtype", "array"):
            yield t[1]
        elif isinstance(t, tuple) and t[0] == "tuple":
            yield from _operand_dtypes(t[1])


def _case(lib: Side, ref: Side, function: str, tokens, want, meets) -> Case | None:
    """Call ``function`` on ``tokens`` in both libraries; ``meets(outcome)`` says whether ``want`` is met."""
    got = lib.call(function, *tokens)
    if isinstance(got, _Unmade):
        return None
    return Case(_call_text(function, tokens), want, not isinstance(got, Raised) and meets(got), lib.show(got),
                ref.show(ref.call(function, *tokens)), _tags(got, tokens))


def _truth(value):
    return bool(value) if isinstance(value, (bool, np.bool_)) else None


def _bool_case(lib, ref, function, tokens, want: bool) -> Case | None:
    return _case(lib, ref, function, tokens, repr(want), lambda v: _truth(v) is want)


def _python_bool(function: str, lib: Side, ref: Side, calls: list, sentence: str) -> Check:
    """The Returns type of a predicate, over every call that returned."""
    cases = []
    for tokens in calls:
        got = lib.call(function, *tokens)
        if not isinstance(got, Raised):
            cases.append(Case(_call_text(function, tokens), "a Python bool", isinstance(got, bool), lib.show(got),
                              ref.show(ref.call(function, *tokens))))
    return judge(function, "out: bool", None, sentence, cases)


def _note(sentences: list, start: str) -> str:
    """The sentence that starts with ``start`` (a Notes entry or a plain sentence)."""
    return next(n for n in (n if isinstance(n, str) else n["sentence"] for n in sentences) if n.startswith(start))


def _unspecified(function: str, rule: str, dtype: str | None, why: str, lib: Side, ref: Side, calls: list) -> Check:
    """Calls the standard leaves open: what the library and NumPy do, recorded, never judged."""
    got = [lib.show(lib.call(function, *t)) for t in calls]
    want = [ref.show(ref.call(function, *t)) for t in calls]
    text = [_call_text(function, t) for t in calls]
    return Check(function, rule, "unspecified", dtype=dtype, sentence=why, required=why,
                 input="; ".join(text[:SHOWN]) + (f"; ... ({len(calls)} calls)" if len(calls) > SHOWN else ""),
                 library="; ".join(f"{t} -> {g}" for t, g in zip(text, got)),
                 numpy="; ".join(f"{t} -> {w}" for t, w in zip(text, want)),
                 follows="numpy" if got == want else "neither", elements_total=len(calls))


# ---------------------------------------------------------------------------------- finfo, iinfo


def _value_meets(value, ref) -> bool:
    """Exactly NumPy's value (a float32 limit converted exactly), never a rounded or truncated one."""
    try:
        if isinstance(ref, float):
            return float(value) == ref
        return int(value) == ref and float(value) == float(ref)
    except (TypeError, ValueError, OverflowError):
        return False


def info_checks(name: str, entry: dict, lib: Side, ref: Side, dtypes: list[str]):
    """finfo/iinfo given each dtype and an array of it: accepted, and each field's type and value."""
    accepts = f"``type``: ``{entry['params'][0]['annotation']}``: {entry['parameters']['type'][0]}"
    component = next((s for s in entry["parameters"]["type"] if s.startswith("If complex")), None)
    for dtype, form in product(dtypes, ("dtype", "array")):
        real = REAL.get(dtype, dtype)
        limits = np.finfo(real) if name == "finfo" else np.iinfo(real)
        token = (form, dtype)
        got = lib.call(name, token)
        if isinstance(got, _Unmade):
            continue
        ours = ref.call(name, token)
        call = _call_text(name, [token])
        yield judge(name, f"accepts {'a dtype' if form == 'dtype' else 'an array'}", dtype, accepts,
                    [Case(call, f"the {name} object of {dtype}", not isinstance(got, Raised), lib.show(got),
                          ref.show(ours), _tags(got, [token]))])
        if isinstance(got, Raised):
            continue
        for field in entry["fields"]:
            f, kind = field["name"], field["type"]
            sentence = field["sentence"] + (f" {component}" if dtype in REAL and component else "")
            value = attempt(getattr, got, f)
            theirs = ours if isinstance(ours, Raised) else attempt(getattr, ours, f)
            shown = Case(f"{call}.{f}", "", False, lib.show(value), ref.show(theirs), _tags(value, ()))
            if kind == "dtype":
                yield judge(name, f"{name}({form}).dtype: the dtype object", dtype, sentence,
                            [shown._replace(required=f"{real} (the namespace's dtype object)",
                                            ok=lib.same(value, real))])
                continue
            python = PYTHON[kind]
            typed = isinstance(value, python) and not isinstance(value, bool)
            yield judge(name, f"{name}({form}).{f}: {kind}", dtype, sentence,
                        [shown._replace(required=f"a Python {kind}", ok=typed)])
            want = python(getattr(limits, f))
            yield judge(name, f"{name}({form}).{f}: value", dtype, sentence,
                        [shown._replace(required=f"{want!r} (NumPy's {name}({real}).{f})",
                                        ok=not isinstance(value, Raised) and _value_meets(value, want))])


# ---------------------------------------------------------------------------------- isdtype


def kind_members(entry: dict) -> dict[str, set[str]]:
    """Each kind's dtypes, shorthands (``'integral'``: ``('signed integer', 'unsigned integer')``) expanded."""
    raw = {k["kind"]: k for k in entry["kinds"]}

    def members(kind):
        k = raw[kind]
        return set(k.get("dtypes", ())).union(*(members(u) for u in k.get("union", ())))

    return {kind: members(kind) for kind in raw}


def _tuple_members(kinds, members) -> set[str]:
    return set().union(*({k[1]} if isinstance(k, tuple) else members[k] for k in kinds))


def isdtype_checks(entry: dict, lib: Side, ref: Side):
    members = kind_members(entry)
    sentences = {k["kind"]: f"``'{k['kind']}'``: {k['sentence']}" for k in entry["kinds"]}
    by_dtype, by_tuple = (_note(entry["kind_rules"], f"If ``kind`` is a {k}") for k in ("dtype", "tuple"))
    tuples = [tuple(k["union"]) for k in entry["kinds"] if "union" in k] + list(MIXED)
    calls = []
    for dtype in lib.names:
        d = ("dtype", dtype)
        for kind, inside in members.items():
            calls.append((d, kind))
            yield judge("isdtype", f"isdtype(dtype, '{kind}')", dtype, sentences[kind],
                        [_bool_case(lib, ref, "isdtype", (d, kind), dtype in inside)])
        yield judge("isdtype", "isdtype(dtype, kind=a dtype)", dtype, by_dtype,
                    [_bool_case(lib, ref, "isdtype", (d, ("dtype", other)), dtype == other) for other in lib.names])
        for kinds in tuples:
            token = ("tuple", kinds)
            if any(isinstance(k, tuple) and k[1] not in lib.names for k in kinds):
                continue
            calls.append((d, token))
            yield judge("isdtype", f"isdtype(dtype, {render(token)})", dtype, by_tuple,
                        [_bool_case(lib, ref, "isdtype", (d, token), dtype in _tuple_members(kinds, members))])
    yield _python_bool("isdtype", lib, ref, calls, entry["returns_sentence"])


# ---------------------------------------------------------------------------------- can_cast


def can_cast_checks(entry: dict, lib: Side, ref: Side, table: dict, undefined: dict):
    sentences = {"dtype": _note(entry["notes"], "When ``from_`` is a data type"),
                 "array": _note(entry["notes"], "When ``from_`` is an array")}
    calls = []
    for a in lib.names:
        open_pairs = [b for b in lib.names if (a, b) not in table]
        for b, form in product([b for b in lib.names if (a, b) in table], ("dtype", "array")):
            want = table[(a, b)] == b
            tokens = ((form, a), ("dtype", b))
            calls.append(tokens)
            yield judge("can_cast", f"{_call_text('can_cast', tokens)} is {want}", a, sentences[form],
                        [_bool_case(lib, ref, "can_cast", tokens, want)])
        if open_pairs:
            why = " ".join(dict.fromkeys(undefined[(a, b)] for b in open_pairs))
            yield _unspecified("can_cast", f"can_cast({a}, to) where promotion is undefined", a, why, lib, ref,
                               [(("dtype", a), ("dtype", b)) for b in open_pairs])
    yield _python_bool("can_cast", lib, ref, calls, entry["returns_sentence"])


# ---------------------------------------------------------------------------------- result_type


def _dtype_case(lib, ref, tokens, want: str) -> Case | None:
    return _case(lib, ref, "result_type", tokens, want, lambda v: lib.same(v, want))


def triples(table: dict, names: list[str]) -> list[tuple[str, str, str]]:
    """For each defined pair, the first third dtype that changes its promoted dtype (every pair of the three
    defined): a library that ignores an argument gets them wrong."""
    out = []
    for a, b in (p for p in table if p[0] in names and p[1] in names):
        joined = table[(a, b)]
        c = next((c for c in names if {(a, c), (b, c), (joined, c)} <= table.keys() and table[(joined, c)] != joined),
                 None)
        if c is not None:
            out.append((a, b, c))
    return out


def result_type_checks(entry: dict, lib: Side, ref: Side, table: dict, undefined: dict, rules: dict):
    dtypes_only = entry["returns_sentence"]
    with_array = _note(entry["notes"], "If at least one argument is an array")
    mixed = _note(entry["notes"], "If provided array and/or dtype arguments having mixed data type kinds")

    kind = {d: k for k, ds in rules["kinds"].items() for d in ds}
    scalars = rules["scalars"]

    def sentence(forms):
        return with_array if "array" in forms else dtypes_only

    for d, form in product(lib.names, ("dtype", "array")):
        tokens = ((form, d),)
        yield judge("result_type", f"{_call_text('result_type', tokens)} -> {d}", d, sentence([form]),
                    [_dtype_case(lib, ref, tokens, d)])
    for (a, b), forms in product([p for p in table if p[0] in lib.dtypes and p[1] in lib.dtypes], PAIRS):
        tokens = tuple(zip(forms, (a, b)))
        want = table[(a, b)]
        yield judge("result_type", f"{_call_text('result_type', tokens)} -> {want}", a, sentence(forms),
                    [_dtype_case(lib, ref, tokens, want)])
    for a in lib.names:
        open_pairs = [b for b in lib.names if (a, b) not in table]
        if open_pairs:
            why = " ".join(dict.fromkeys(mixed if kind[a] != kind[b] else undefined[(a, b)] for b in open_pairs))
            yield _unspecified("result_type", f"result_type({a}, dtype) where promotion is undefined", a, why,
                               lib, ref, [(("dtype", a), ("dtype", b)) for b in open_pairs])
    for (a, b, c), forms in product(triples(table, lib.names), TRIPLES):
        tokens = tuple(zip(forms, (a, b, c)))
        want = table[(table[(a, b)], c)]
        yield judge("result_type", f"{_call_text('result_type', tokens)} -> {want}", a, sentence(forms),
                    [_dtype_case(lib, ref, tokens, want)])
    takes = set(re.findall(r"\w+", entry["params"][0]["annotation"]))  # the version's argument types
    for rule in (r for r in scalars["allowed"] if r["scalar"] in takes):
        kind = rule["scalar"]
        for d in (d for d in rule["dtypes"] if d in lib.dtypes):
            want = promotion.COMPLEX_OF[d] if rule["result"].startswith("complex") else d
            if want not in lib.dtypes:
                continue
            for form, first in product(("dtype", "array"), (True, False)):
                tokens = ((form, d), ("scalar", kind)) if first else (("scalar", kind), (form, d))
                yield judge("result_type", f"{_call_text('result_type', tokens)} -> {want}", d,
                            rule["sentence"], [_dtype_case(lib, ref, tokens, want)])
    for rule in (r for r in scalars["unspecified"] if r["scalar"] in takes):
        present = [d for d in rule["dtypes"] if d in lib.dtypes]
        if present:
            yield _unspecified("result_type", f"result_type(integer array, Python {rule['scalar']})", None,
                               rule["sentence"], lib, ref, [(("array", d), ("scalar", rule["scalar"]))
                                                            for d in present])


# ---------------------------------------------------------------------------------- all


def checks(target):
    spec = load_spec(target.version)
    entries = spec["data_type_functions"]
    names = [d for d in spec["dtypes"]["names"] if target.supports(d)]
    lib, ref = Side(names, target), Side(spec["dtypes"]["names"])
    rules = promotion.rules(target.version)["promotion"]
    table = {(e["x1"], e["x2"]): e["result"] for e in rules["table"]}
    undefined = {(u["x1"], u["x2"]): u["sentence"] for u in rules["undefined"]}
    for name in FUNCTIONS:
        if target.function(name) is None:
            yield Check(name, "exists", "n/a", required="not in the namespace: the names area reports it")
            continue
        entry = entries[name]
        if name in ("finfo", "iinfo"):
            category = spec["dtypes"]["categories"]["floating-point" if name == "finfo" else "integer"]
            yield from info_checks(name, entry, lib, ref, [d for d in lib.names if d in category])
        elif name == "isdtype":
            yield from isdtype_checks(entry, lib, ref)
        elif name == "can_cast":
            yield from can_cast_checks(entry, lib, ref, table, undefined)
        else:
            yield from result_type_checks(entry, lib, ref, table, undefined, rules)
