"""Conformance area ``results``: the result dtype, and the kind of container, of every function the
``promotion`` area does not cover (that area has the binary functions with two array operands).

The rules are each function's Returns sentences and its ``dtype`` keyword's, derived into
``parity/data/array_api_<version>.json`` (``results``; ``tools/derive_array_api_spec.py``) with a parsed
form: the dtype of an input (``same-as``), ``bool``, a default dtype (``default-index``,
``default-integer``, ``default-real``, ``default-complex``), the real or complex dtype of matching
precision, ``promoted`` (one input dtype: itself), the dtype ``dtype=`` names (``given``), and what
``sum``/``prod``/``cumulative_*``/``trace`` do with ``dtype=None`` (``accumulated``: x's dtype, an integer
narrower than the default integer widened to its size, of the same signedness). The default dtypes are
the library's ``__array_namespace_info__().default_dtypes()``; a namespace without an info object may
use any the standard allows ("either int32 or int64"). A function returning ``Tuple[...]`` (or, in
2024.12, ``List[...]``) must return that container, and a named tuple its fields.

Each function is called (``parity/conform_results_cases.py``: small valid inputs) with an input of every
dtype its first array parameter should have (every dtype when the text names none): one :class:`Check`
per (function, rule, input dtype). A library that raises for a dtype the text says it *should* accept, or
departs from a rule that says "should", gets ``unspecified``; one that raises where the text says "must"
(or names no dtypes) violates. Only the result's dtype is read, through the backend's ``abstract`` (JAX
traces instead of compiling per dtype).
"""

from __future__ import annotations

import functools

import numpy as np

from parity import conform_promotion as promotion
from parity.conform_results_cases import ASTYPE, FILL, GIVEN, RECIPES, SCALARS, VALUES, Recipe, widest
from parity.conformance import Check, Raised, attempt, unimplemented
from parity.coverage import load_spec

DTYPES = promotion.DTYPE_NAMES
#: The defaults a namespace without an info object may have: "either float32 or float64", ...
STANDARD_DEFAULTS = {"default-real": ("float32", "float64"), "default-complex": ("complex64", "complex128"),
                     "default-integer": ("int32", "int64"), "default-index": ("int32", "int64")}
INFO_KEYS = {"real floating": "default-real", "complex floating": "default-complex", "integral": "default-integer",
             "indexing": "default-index"}
COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64", "complex128": "complex128"}
REAL_OF = {"float32": "float32", "float64": "float64", "complex64": "float32", "complex128": "float64"}
LABELS = {"same-as": "same as {of}", "bool": "bool", "default-index": "the default index dtype",
          "default-integer": "the default integer dtype", "default-real": "the default real floating-point dtype",
          "default-complex": "the default complex floating-point dtype",
          "complex-matching": "complex floating-point of x's precision",
          "real-matching": "real floating-point of x's precision", "promoted": "promoted (one dtype: x's)",
          "given": "the dtype given", "accumulated": "x's dtype, a narrower integer widened to the default integer's "
                                                   "size"}
#: Functions whose Returns section is about something else (an import): nothing to check here.
SKIP = ("from_dlpack",)
LIKE = ("empty_like", "full_like", "ones_like", "zeros_like")
#: linspace: "Should be a floating-point data type"; arange: its bounds are real numbers (no complex dtype).
GIVEN_FOR = {"linspace": ("float32", "complex64"), "arange": ("int16", "float32")}


def label(parsed: dict) -> str:
    return LABELS[parsed["form"]].format(of=parsed.get("of"))


# ------------------------------------------------------------------------------------ the two sides


class Side:
    """One library (the target, or NumPy for the ``numpy`` column): its functions, arrays, dtype names."""

    def __init__(self, target=None):
        self.target = target
        self.names = promotion.Side(target)
        self.index = "int64"

    def function(self, name: str):
        if self.target is not None:
            return self.target.function(name)
        obj = np
        for part in name.split("."):
            obj = getattr(obj, part, None)
        return obj

    def array(self, values, dtype: str):
        host = np.asarray(values).astype(dtype)
        return host if self.target is None else self.target.asarray(host)

    def dtype(self, name: str):
        return np.dtype(name) if self.target is None else self.target.dtype(name)

    def run(self, call, concrete: bool):
        if self.target is None or concrete:
            return attempt(call)
        return attempt(self.target.backend.abstract, call)


def _args(side: Side, recipe: Recipe, d: str | None, given: str | None):
    """The call's positional and keyword arguments on ``side`` for input dtype ``d``."""
    values = VALUES[recipe.shape]
    x = side.array(values, d) if d else None
    y = side.array(values[::-1].copy(), d) if d else None
    tokens = {"x": x, "y": y, "xs": [x, y], "c": side.array(np.arange(values.size).reshape(values.shape) % 2, "bool"),
              "i": side.array([0, 1] if len(recipe.shape) == 1 else [[0, 1]], side.index),
              "fill": FILL[np.dtype(d).kind] if d else None, "dtype": side.dtype(given) if given else None}
    args = [tokens[a] if isinstance(a, str) else a for a in recipe.args]
    kwargs = dict(recipe.kwargs)
    if given and "dtype" not in recipe.args:
        kwargs["dtype"] = side.dtype(given)
    return args, kwargs


def outcome(side: Side, name: str, recipe: Recipe, d: str | None, given: str | None = None, concrete=False):
    """What ``name`` returns on ``side`` (abstractly: only dtypes are read), or the :class:`Raised`."""
    f = side.function(name)
    if f is None:
        return Raised(AttributeError(f"the namespace has no {name}"))
    made = attempt(_args, side, recipe, d, given)
    if isinstance(made, Raised):
        return made
    args, kwargs = made
    return side.run(lambda: f(*args, **kwargs), concrete)


def dtypes_of(side: Side, result, field: str | None, fields: list[str]) -> list[str] | str:
    """The dtype names of the result's arrays a rule is about (a field, or every element), or what it is instead."""
    if isinstance(result, Raised):
        return result.text
    if isinstance(result, (tuple, list)):
        if field is not None:
            part = getattr(result, field, None)
            if part is None and field in fields and len(result) == len(fields):
                part = result[fields.index(field)]  # a misnamed field: its dtype is still checked by position
            parts = [part]
        else:
            parts = list(result)
    else:
        parts = [result]
    names = []
    for p in parts:
        dtype = getattr(p, "dtype", None)
        if dtype is None:
            return f"returns a {type(p).__name__}, not an array"
        names.append(side.names.dtype_name(dtype))
    return names


# ------------------------------------------------------------------------------------ requirements


def defaults(target) -> tuple[dict[str, tuple[str, ...]], str]:
    """The default dtypes the rules name: the info object's, else the standard's choices (and a note)."""
    info = getattr(target.ns, "__array_namespace_info__", None)
    got = attempt(lambda: info().default_dtypes()) if info is not None else None
    if not isinstance(got, dict):
        return dict(STANDARD_DEFAULTS), "no info object: any default the standard allows"
    names = promotion.Side(target)
    out = {form: (names.dtype_name(got[key]),) for key, form in INFO_KEYS.items() if key in got}
    return STANDARD_DEFAULTS | out, "default_dtypes() of the namespace's info object"


def accumulated(d: str, integers: tuple[str, ...]) -> tuple[str, ...]:
    """``sum(x)``'s dtype: x's, unless x is an integer narrower than the default integer (then that size)."""
    kind, bits = np.dtype(d).kind, np.dtype(d).itemsize * 8
    if kind not in "iu":
        return (d,)
    out = [d if bits >= np.dtype(i).itemsize * 8 else (i if kind == "i" else f"uint{np.dtype(i).itemsize * 8}")
           for i in integers]
    return tuple(dict.fromkeys(out))


def required(parsed: dict, d: str | None, rules: list[dict], dflt: dict, given: str | None = None):
    """The dtype names that satisfy a parsed rule for input dtype ``d`` (None: the rule says nothing for d)."""
    form = parsed["form"]
    if form in dflt:
        return dflt[form]
    if form == "bool":
        return ("bool",)
    if form == "given":
        return (given,)
    if form == "accumulated":
        return accumulated(d, dflt["default-integer"])
    if form == "complex-matching":
        return (COMPLEX_OF[d],) if d in COMPLEX_OF else None
    if form == "real-matching":
        return (REAL_OF[d],) if d in REAL_OF else None
    if form == "promoted":
        return None if np.dtype(d).kind in "biu" and "floating" in parsed.get("sentence", "floating") else (d,)
    of = parsed.get("of")
    field = next((r for r in rules if r["field"] == of and r["parsed"]), None)
    return required(field["parsed"], d, rules, dflt) if field else (d,)


# ------------------------------------------------------------------------------------ verdicts


def judge(function: str, rule: str, sentence: str, d: str | None, call: str, got, ref, want, must_accept: bool,
          modal: str | None, note: str = "") -> Check:
    """One verdict: ``got``/``ref`` are the library's and NumPy's dtype names (or what they raised)."""
    common = {"dtype": d, "sentence": sentence, "input": call, "numpy": shown(ref), "elements_total": 1}
    want_text = " or ".join(want) + (f" ({note})" if note else "")
    if not isinstance(got, str) and set(got) <= set(want):
        return Check(function, rule, "conforms", dtype=d, sentence=sentence, elements_total=1)
    follows = "numpy" if shown(got) == shown(ref) else "neither"
    if isinstance(got, str) and got.startswith("raises") and not must_accept:
        return Check(function, rule, "unspecified", required=f"{want_text}; the input's dtype is one it should "
                     "(not must) accept, so refusing it is the library's choice", library=got, follows=follows,
                     **common)
    if modal == "should":
        return Check(function, rule, "unspecified", required=f"{want_text} (the standard says should)",
                     library=shown(got), follows=follows, **common)
    tags = ("raises", *unimplemented(got, [d] if d else [])) if isinstance(got, str) and got.startswith("raises") \
        else ()
    return Check(function, rule, "violates", required=want_text, library=shown(got), follows=follows, elements=1,
                 tags=tags, **common)


def shown(value) -> str:
    return value if isinstance(value, str) else ", ".join(value)


# ------------------------------------------------------------------------------------ checks


def checks(target):
    spec = load_spec(target.version)["results"]
    promoted = promotion.rules(target.version)
    skip = set(promoted["functions"]) | set(promoted.get("calls", ())) | set(SKIP)  # the promotion area's
    lib, ref = Side(target), Side()
    dflt, note = defaults(target)
    lib.index = dflt["default-index"][-1]
    supported = [d for d in DTYPES if target.supports(d)]
    run = functools.partial(_observe, lib, ref, {})
    for name, entry in spec.items():
        if name in skip:
            continue
        if target.function(name) is None:
            yield Check(name, "the function exists", "n/a", required="not in the namespace (the names area)")
            continue
        if not entry["rules"] and name.startswith("linalg.") and name[7:] in spec:
            entry = entry | {"rules": spec[name[7:]]["rules"], "inputs": spec[name[7:]]["inputs"]}
        recipe = RECIPES.get(name, Recipe())
        yield from _container(lib, ref, name, entry, recipe, supported)
        yield from _returns(run, name, entry, recipe, supported, dflt, note)
        if "dtype" in entry:
            yield from _keyword(run, name, entry, recipe, supported, dflt, note)


def _observe(lib: Side, ref: Side, cache: dict, name: str, recipe: Recipe, d, given=None, field=None, fields=()):
    """The library's and NumPy's result dtypes (for ``field``), each call made once per run."""
    key = (name, repr(recipe), d, given)
    if key not in cache:
        cache[key] = (outcome(lib, name, recipe, d, given), outcome(ref, name, recipe, d, given))
    got, want = cache[key]
    return dtypes_of(lib, got, field, list(fields)), dtypes_of(ref, want, field, list(fields))


def _tested(entry: dict, supported: list[str]) -> tuple[list[str], bool, str]:
    """The input dtypes to call with, whether the text says the function must accept them, and why."""
    inputs = entry["inputs"]
    param = next((p for p in ("x", "x1") if p in inputs), None) or next(iter(inputs), None)
    spec = inputs.get(param) if param in ("x", "x1") else None
    if spec is None or "dtypes" not in spec:
        return list(supported), True, "any dtype"
    return [d for d in spec["dtypes"] if d in supported], spec["modal"] == "must", spec["sentence"]


def _call_text(name: str, recipe: Recipe, d: str | None, given: str | None = None, scalars=None) -> str:
    args = scalars if scalars is not None else recipe.args
    text = ", ".join(a if isinstance(a, str) else repr(a) for a in args)
    text += "".join(f", {k}={v!r}" for k, v in recipe.kwargs.items()) + (f", dtype={given}" if given else "")
    return f"{name}({text})" + (f"; x: {d} array of shape {recipe.shape}" if d else "")


def _container(lib, ref, name, entry, recipe, supported):
    annotation = entry["annotation"]
    kind = "tuple" if annotation.startswith("Tuple") else "list" if annotation.startswith("List") else None
    if kind is None:
        return
    d = next(d for d in ("float64", "float32", *supported) if d in (_tested(entry, supported)[0] or supported))
    got, want = outcome(lib, name, recipe, d, concrete=True), outcome(ref, name, recipe, d, concrete=True)
    call = _call_text(name, recipe, d)
    ok = isinstance(got, tuple if kind == "tuple" else list)
    yield Check(name, f"returns a {kind}", "conforms" if ok else "violates", sentence=f"out: {annotation}", input=call,
                required=None if ok else f"a {kind} ({annotation})", library=None if ok else _kind_of(got),
                numpy=None if ok else _kind_of(want), follows=None if ok else (
                    "numpy" if type(got).__name__ == type(want).__name__ else "neither"),
                elements=int(not ok), elements_total=1, tags=("raises",) if isinstance(got, Raised) else ())
    fields = entry["fields"]
    if not fields or isinstance(got, Raised):
        return
    named = [f for i, f in enumerate(fields) if isinstance(got, tuple) and len(got) == len(fields)
             and getattr(got, f, None) is got[i]]
    ok = named == fields
    have = getattr(type(got), "_fields", None) or getattr(type(got), "__match_args__", None) or "no names"
    yield Check(name, f"named tuple fields {', '.join(fields)}", "conforms" if ok else "violates",
                sentence=f"a namedtuple ({', '.join(fields)})", input=call, required=None if ok else ", ".join(fields),
                library=None if ok else f"{len(got)} elements, fields: {have}", elements=int(not ok), elements_total=1)


def _kind_of(result) -> str:
    return result.text if isinstance(result, Raised) else f"a {type(result).__module__}.{type(result).__qualname__}"


def _returns(run, name, entry, recipe, supported, dflt, note):
    tested, must, why = _tested(entry, supported)
    rules = entry["rules"]
    for rule in rules:
        parsed, field, sentence = rule["parsed"], rule["field"], rule["sentence"]
        prefix = f"{field}: " if field else ""
        if parsed is None:
            yield Check(name, f"{prefix}{sentence[:80]}", "unspecified", sentence=sentence,
                        required=f"not parsed: {rule.get('unparsed')}")
            continue
        if parsed["form"] in ("dtype-parameter", "given"):
            continue  # the dtype keyword's rules (``_keyword``)
        when = parsed.get("when")
        if when in ("mixed", "same"):
            if when == "mixed":
                yield Check(name, f"{prefix}mixed input dtypes: promoted", "n/a", sentence=sentence,
                            required="mixed dtypes are the promotion area's; here every input has one dtype")
                continue
        dtypes = tested
        accept = must
        if isinstance(when, dict):
            dtypes = [d for d in when["dtypes"] if d in supported and (d in tested or parsed["form"] in dflt)]
        for d in dtypes:
            want = required(parsed | {"sentence": sentence}, d, rules, dflt)
            if want is None:
                continue
            got, ref = run(name, recipe, d, None, field, entry["fields"])
            yield judge(name, f"{prefix}{label(parsed)}", sentence, d, _call_text(name, recipe, d), got, ref, want,
                        accept and d in tested, rule["modal"], note if parsed["form"] in dflt else "")


def _keyword(run, name, entry, recipe, supported, dflt, note):
    """``dtype=None`` (inferred: from x, from Python scalars, a default) and ``dtype=`` given."""
    keyword = entry["dtype"]
    sentence = keyword["sentence"]
    none = keyword.get("none")
    has_x = name not in SCALARS and "x" in recipe.args
    tested, must, _ = _tested(entry, supported)
    if none and none.get("form") == "from-scalars":
        for r in none["rules"]:
            args = SCALARS[name][r["scalar"]]
            got, ref = run(name, Recipe(args, recipe.kwargs), None)
            yield judge(name, f"dtype=None, {r['condition']} -> {label(r)}", sentence, None,
                        _call_text(name, recipe, None, scalars=args), got, ref, required(r, None, [], dflt), True,
                        "must", note if r["form"] in dflt else "")
    elif none and none.get("form"):
        for d in (tested if has_x else [None]):
            want = required(none, d, [], dflt)
            got, ref = run(name, recipe, d)
            yield judge(name, f"dtype=None -> {label(none)}", sentence, d, _call_text(name, recipe, d), got, ref,
                        want, must, "must", note if none["form"] in dflt else "")
    if not keyword["given"]:
        return
    pairs = [(d, _given_for(name, d)) for d in tested] if has_x else \
        [(None, g) for g in GIVEN_FOR.get(name, keyword.get("must_be") or GIVEN) if g in supported]
    base = Recipe(SCALARS[name]["int" if "int" in SCALARS[name] else "float"], recipe.kwargs) \
        if name in SCALARS else recipe
    for d, given in pairs:
        got, ref = run(name, base, d, given)
        yield judge(name, "dtype= given -> that dtype", sentence, d, _call_text(name, base, d, given), got, ref,
                    (given,), must or not has_x, "must")


def _given_for(name: str, d: str) -> str:
    """The dtype= passed with an x of dtype ``d``: a wider one of its kind for reductions, another for the rest."""
    return ASTYPE.get(d, "float32") if name in (*LIKE, "astype") else widest(d)
