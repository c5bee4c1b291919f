"""Conformance area ``indexing``: ``__getitem__`` and ``__setitem__`` with integers, slices, ellipsis,
``None``, integer arrays and boolean masks, as ``indexing.rst`` and the two methods' docstrings state them.

The rules and their inputs are :data:`parity.conform_indexing_cases.RULES`; each names its sentence,
which comes derived from ``parity/data/array_api_<version>.json`` (``indexing``, written by
``tools/derive_array_api_spec.py``) with how it binds: a ``must`` sentence (or a plain statement) is
checked, a ``should``/``may``/``unspecified`` one is only recorded. One :class:`Check` per (rule, index
kind), over a few small arange arrays (0-d to 3-d), its inputs taking an integer and a floating dtype
in turn; the result dtype rule runs on every standard dtype the target has.

What the standard requires is NumPy's result wherever its semantics are NumPy's (slices as for a
Python list, integer arrays as vectorized indexing, masks in row-major order), so the reference is
the same expression on a NumPy array, compared on shape and elements; the dtype is compared with
``self``'s on the library's own objects, and "the result must be a zero-dimensional array" also asks
for an instance of the array type (NumPy's scalars are not one). ``__setitem__`` is judged by the
whole array afterwards. Raising where a result is required is a violation.

Allowances the text makes: libraries that build computation graphs "may choose to omit boolean array
indexing". A library says whether it does in ``__array_namespace_info__().capabilities()["boolean
indexing"]`` (JAX: False); where it has no info object, a lazy backend (Dask's) is taken to. Such a
library raising on a key with a mask is recorded as ``unspecified``; a wrong result is still a violation,
and a library that declares boolean indexing is held to it. An array whose ``__setitem__`` raises on the
plainest assignment (JAX's immutable arrays) violates "Sets ``self[key]`` to ``value``" once, and its
other ``__setitem__`` rules are ``n/a``: nothing else about assignment can be seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parity import conform_indexing_cases as cases
from parity.conform_indexing_cases import ASSIGNMENT, RULES, Arr, Index, Rule
from parity.conformance import Check, attempt, quiet, raised, unimplemented
from parity.coverage import load_spec

OMIT_MASKS = "may choose to omit boolean array indexing"
SHOWN = 5


# ---------------------------------------------------------------------------------- the standard's sentences


def sentences(spec: dict) -> dict[str, list[dict]]:
    """Where -> its derived sentences: each section of indexing.rst, and each method's docstring."""
    out: dict[str, list[dict]] = {}
    for rule in spec["indexing"]["rules"]:
        out.setdefault(rule["section"], []).append(rule)
    for name, method in spec["indexing"]["methods"].items():
        out[name] = [{"sentence": method["summary"], "modal": None}, *method["parameters"], *method["notes"]]
    return out


def find(found: dict[str, list[dict]], where: str, fragment: str) -> dict | None:
    """The first sentence at ``where`` holding ``fragment`` (None: this version does not say it)."""
    return next((s for s in found.get(where, ()) if fragment in s["sentence"]), None)


def binding(rule: Rule, sentence: dict) -> bool:
    """Whether a failure violates: the sentence binds (``must``, or a plain statement of what happens)
    and the rule is checked, not only recorded."""
    return rule.kind != cases.OPEN and sentence["modal"] not in ("should", "may", "unspecified")


# ---------------------------------------------------------------------------------- expressions


def _part(p) -> str:
    if p is Ellipsis:
        return "..."
    if isinstance(p, slice):
        text = ":".join("" if v is None else str(v) for v in (p.start, p.stop))
        return text + (f":{p.step}" if p.step is not None else "")
    if isinstance(p, Arr):
        return p.source()
    if isinstance(p, Index):
        return f"Index({p.value})"
    return repr(p)


def expression(name: str, key, value=None, setting=False) -> str:
    """The index expression as Python source: ``x2[1:-1:2, ...]`` (``x0[()]``, ``x1[2] = 9``)."""
    if isinstance(key, tuple):
        inner = ", ".join(map(_part, key)) + ("," if len(key) == 1 else "") if key else "()"
    else:
        inner = _part(key)
    return f"{name}[{inner}]" + (f" = {_part(value)}" if setting else "")


def _has_mask(part) -> bool:
    if isinstance(part, tuple):
        return any(map(_has_mask, part))
    return isinstance(part, Arr) and part.dtype == "bool"


# ---------------------------------------------------------------------------------- outcomes


@dataclass(eq=False)
class Outcome:
    """A result (or ``self`` after an assignment) as NumPy, and what only the library object tells."""

    value: np.ndarray | None = None
    is_array: bool = True
    same_dtype: bool = True
    type: str = ""
    dtype: str = ""
    raised: BaseException | None = None

    def show(self) -> str:
        if self.raised is not None:
            return raised(self.raised)
        values = repr(self.value.tolist())
        out = f"{values if len(values) <= 80 else values[:77] + '...'} shape {self.value.shape}"
        return out + ("" if self.is_array else f", a {self.type}, not an array") + (
            "" if self.same_dtype else f", dtype {self.dtype}")

    def same(self, other: Outcome) -> bool:
        if self.raised is not None or other.raised is not None:
            return type(self.raised) is type(other.raised)
        return (self.value.shape == other.value.shape and np.array_equal(self.value, other.value)
                and (self.is_array, self.same_dtype) == (other.is_array, other.same_dtype))


def _on(make, part, like: str):
    """A key or value with its :class:`Arr` parts built by ``make`` (the target's asarray, or NumPy)."""
    if isinstance(part, tuple):
        return tuple(_on(make, p, like) for p in part)
    return make(part.numpy(like)) if isinstance(part, Arr) else part


def _source(name: str, dtype: str) -> np.ndarray:
    return cases.ARRAYS[name].astype(dtype)


def _quietly(f):
    try:
        with quiet():
            return f()
    except Exception as exc:  # noqa: BLE001 - what the library raises is the finding
        return Outcome(raised=exc)


def _observed(result, x, to_numpy) -> Outcome:
    is_array = isinstance(result, type(x))
    dtype = getattr(result, "dtype", None)  # (None == np.dtype("float64") holds: None is NumPy's default dtype)
    return Outcome(to_numpy(result) if is_array else np.asarray(result), is_array,
                   dtype is not None and bool(dtype == x.dtype), type(result).__qualname__, str(dtype))


def get(target, name: str, key, dtype: str) -> Outcome:
    def run():
        x = target.asarray(_source(name, dtype))
        return _observed(x[_on(target.asarray, key, dtype)], x, target.to_numpy)
    return _quietly(run)


def get_numpy(name: str, key, dtype: str) -> Outcome:
    x = _source(name, dtype)
    return _quietly(lambda: _observed(x[_on(np.asarray, key, dtype)], x, np.asarray))


def put(target, name: str, key, value, dtype: str) -> Outcome:
    def run():
        x = target.asarray(_source(name, dtype))
        before = x.dtype
        x[_on(target.asarray, key, dtype)] = _on(target.asarray, value, dtype)
        out = _observed(x, x, target.to_numpy)
        out.same_dtype, out.dtype = bool(x.dtype == before), str(x.dtype)
        return out
    return _quietly(run)


def put_numpy(name: str, key, value, dtype: str) -> Outcome:
    x = _source(name, dtype).copy()

    def run():
        x[_on(np.asarray, key, dtype)] = _on(np.asarray, value, dtype)
        return _observed(x, x, np.asarray)
    return _quietly(run)


def meets(kind: str, got: Outcome, want: Outcome) -> bool:
    """Whether the library's outcome is what a rule of ``kind`` requires (``want``: NumPy's)."""
    if kind in (cases.INDEX_ERROR, cases.ERROR):
        return got.raised is not None and (kind == cases.ERROR or isinstance(got.raised, IndexError))
    if got.raised is not None:
        return False
    if kind == cases.DTYPE:
        return got.same_dtype
    same_shape = got.value.shape == want.value.shape
    if kind == cases.SHAPE:
        return same_shape
    same = same_shape and np.array_equal(got.value, want.value)
    if kind == cases.ARRAY0:
        return same and got.is_array and got.value.shape == ()
    return same and got.same_dtype


def required(kind: str, want: Outcome, dtype: str) -> str:
    if kind == cases.INDEX_ERROR:
        return "raises IndexError"
    if kind == cases.ERROR:
        return "raises an exception"
    if want.raised is not None:
        return f"a result (NumPy {want.show()})"
    if kind == cases.DTYPE:
        return f"an array of dtype {dtype}"
    if kind == cases.SHAPE:
        return f"shape {want.value.shape}"
    if kind == cases.ARRAY0:
        return f"a 0-d array holding {want.value.tolist()!r}"
    return f"{want.value.tolist()!r} shape {want.value.shape}, dtype {dtype}"


# ---------------------------------------------------------------------------------- checks


@dataclass(eq=False)
class _Seen:
    text: str  # the input: its arrays and expression
    dtype: str
    got: Outcome
    want: Outcome
    mask: bool


def _observe(target, rule: Rule, dtypes) -> list[_Seen]:
    """Each input on one dtype, taking the dtypes in turn: every dtype is met in a rule of several inputs
    at half the calls (JAX compiles each expression per dtype)."""
    out = []
    for i, item in enumerate(rule.inputs):
        dtype = dtypes[i % len(dtypes)]
        if rule.function == "__setitem__":
            (name, key), value = item
            got, want = put(target, name, key, value, dtype), put_numpy(name, key, value, dtype)
            expr = expression(name, key, value, setting=True)
        else:
            (name, key), value = item, None
            got, want = get(target, name, key, dtype), get_numpy(name, key, dtype)
            expr = expression(name, key)
        text = f"{name} = {cases.SOURCES[name]} ({dtype}); {expr}"
        out.append(_Seen(text, dtype, got, want, _has_mask(key)))
    return out


def _columns(seen: list[_Seen]) -> dict:
    shown = seen[:SHOWN]
    return {"input": "; ".join(s.text for s in shown),
            "library": "; ".join(s.got.show() for s in shown), "numpy": "; ".join(s.want.show() for s in shown),
            "follows": "numpy" if all(s.got.same(s.want) for s in seen) else "neither"}


def judge(target, rule: Rule, sentence: dict, dtype: str | None, seen: list[_Seen], omit: str | None) -> Check:
    """The verdict on one rule from what was seen: ``omit`` is the mask allowance's sentence where it applies."""
    base = dict(dtype=dtype, sentence=sentence["sentence"], elements_total=len(seen))
    if not binding(rule, sentence):
        differs = [s for s in seen if not s.got.same(s.want)] or seen
        why = (rule.why or sentence["sentence"]).format(**_annotations(target))
        return Check(rule.function, rule.label, "unspecified", required=f"left open: {why}",
                     **_columns(differs + [s for s in seen if s not in differs]), **base)
    bad = [s for s in seen if not meets(rule.kind, s.got, s.want)]
    if not bad:
        return Check(rule.function, rule.label, "conforms", **base)
    if omit and all(s.mask and s.got.raised is not None for s in bad):
        return Check(rule.function, rule.label, "unspecified", required=f"left open: {omit}", **_columns(bad),
                     **base | {"elements_total": len(seen)})
    return Check(rule.function, rule.label, "violates", elements=len(bad), **_columns(bad),
                 required="; ".join(required(rule.kind, s.want, s.dtype) for s in bad[:SHOWN]),
                 tags=_tags(bad), **base)


def _tags(bad: list) -> tuple[str, ...]:
    """What every failing input shows: it raised; the error says its dtype has no kernel (a gap's ``where``)."""
    if not all(s.got.raised is not None for s in bad):
        return ()
    missing = [set(unimplemented(raised(s.got.raised), [s.dtype])) for s in bad]
    return ("raises", *sorted(set.intersection(*missing)))


def _annotations(target) -> dict:
    return load_spec(target.version)["indexing"]["methods"]["__setitem__"]["params"]


def _dtypes(target, rule: Rule, spec: dict) -> list[str]:
    return [d for d in (rule.dtypes or spec["dtypes"]["names"]) if target.supports(d)]


def _omits_masks(target) -> bool:
    """Whether the library declares that it omits boolean array indexing (or, without an info object, is lazy)."""
    info = getattr(target.ns, "__array_namespace_info__", None)
    capabilities = attempt(lambda: info().capabilities()) if info is not None else None
    if isinstance(capabilities, dict) and "boolean indexing" in capabilities:
        return not capabilities["boolean indexing"]
    return target.lazy


def checks(target):
    spec = load_spec(target.version)
    found = sentences(spec)
    graph = _omits_masks(target)
    omit = find(found, cases.BOOLEAN, OMIT_MASKS)
    omit_text = omit["sentence"] if graph and omit else None
    assignment = judge(target, ASSIGNMENT, find(found, ASSIGNMENT.where, ASSIGNMENT.fragment), None,
                       _observe(target, ASSIGNMENT, ASSIGNMENT.dtypes), None)
    yield assignment
    for rule in RULES:
        sentence = find(found, rule.where, rule.fragment)
        if sentence is None:
            continue  # a sentence this version does not have
        if rule.function == "__setitem__" and assignment.verdict == "violates":
            yield Check(rule.function, rule.label, "n/a", sentence=sentence["sentence"],
                        required="not checked: the array does not support item assignment")
            continue
        dtypes = _dtypes(target, rule, spec)
        if rule.kind == cases.DTYPE or not rule.dtypes:  # a rule about every dtype: one verdict per dtype
            for dtype in dtypes:
                yield judge(target, rule, sentence, dtype, _observe(target, rule, [dtype]), omit_text)
        else:
            yield judge(target, rule, sentence, None, _observe(target, rule, dtypes), omit_text)
