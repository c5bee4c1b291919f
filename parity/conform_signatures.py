"""Signature rules of the ``names`` conformance area, and the small call helpers its checks share.

A parameter the standard makes positional is accepted positionally, a keyword one by its name, a
variadic one as several positional arguments, and a call with only the standard's required
parameters binds; a function whose signature ``inspect.signature`` cannot read gets ``unspecified``.
"""

from __future__ import annotations

import inspect

from parity.conformance import Check, quiet, raised

_D = object()  # a stand-in argument: binding never looks at it


def _try(f, *args, **kwargs):
    """``(value, None)`` or ``(None, "raises X: ...")``."""
    try:
        with quiet():
            return f(*args, **kwargs), None
    except Exception as exc:  # noqa: BLE001 - the library's refusal is the finding
        return None, raised(exc)


def _check(function, rule, ok, *, required, library, numpy=None, numpy_ok=None, input=None, sentence=None,
           dtype=None) -> Check:
    if ok:
        return Check(function, rule, "conforms", sentence=sentence, dtype=dtype)
    follows = None if numpy_ok is None else ("numpy" if not numpy_ok else "neither")
    return Check(function, rule, "violates", sentence=sentence, dtype=dtype, input=input, required=required,
                 library=library, numpy=numpy, follows=follows, elements=1, elements_total=1)


def signature_rules(params: list[dict]) -> list[tuple[str, str, object]]:
    """(rule id, requirement, test) for each rule the standard's parameters make; ``test(sig)`` returns
    None when the signature meets it, else what it does instead."""
    rules = []
    position = 0
    for p in params:
        name, kind = p["name"], p["kind"]
        if kind in ("positional-only", "positional-or-keyword"):
            i = position
            position += 1
            rules.append((f"positional parameter {i + 1} ('{name}') accepted positionally",
                          f"a call may pass {name!r} as positional argument {i + 1}",
                          lambda sig, i=i, name=name, kind=kind: _positional(sig, i, name, kind)))
        if kind in ("keyword-only", "positional-or-keyword"):
            label = "keyword-only parameter" if kind == "keyword-only" else "parameter"
            rules.append((f"{label} '{name}' accepted by keyword", f"a call may pass {name}=... by keyword",
                          lambda sig, name=name: _keyword(sig, name)))
        if kind == "var-positional":
            rules.append((f"variadic parameter '*{name}' accepted", f"any number of positional {name}",
                          lambda sig, i=position: _variadic(sig, i)))
    rules.append(("no required parameter beyond the standard's",
                  "a call with only the standard's required parameters binds",
                  lambda sig: _required_only(sig, params)))
    return rules


def _positional(sig, i, name, kind):
    """Accepted positionally: the slot exists (its name is free; the keyword rule checks names)."""
    try:
        sig.bind_partial(*[_D] * (i + 1))
    except TypeError as exc:
        return f"not accepted ({exc})"
    return None


def _keyword(sig, name):
    try:
        sig.bind_partial(**{name: _D})
    except TypeError as exc:
        return f"not accepted ({exc})"
    return None


def _variadic(sig, start):
    if any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values()):
        return None
    try:
        sig.bind_partial(*[_D] * (start + 3))
    except TypeError:
        return "takes no variable number of positional arguments"
    return None


def _required_only(sig, params):
    args = [_D for p in params if p["kind"] in ("positional-only", "positional-or-keyword") and p["default"] is None]
    args += [_D for p in params if p["kind"] == "var-positional"]
    kwargs = {p["name"]: _D for p in params if p["kind"] == "keyword-only" and p["default"] is None}
    try:
        sig.bind(*args, **kwargs)
    except TypeError as exc:
        return str(exc)
    return None


def _signature(obj):
    try:
        return inspect.signature(obj), None
    except (TypeError, ValueError) as exc:
        return None, f"no introspectable signature ({type(exc).__name__}: {str(exc)[:100]})"


def signature_checks(function: str, impl, params: list[dict], reference) -> list[Check]:
    sig, why = _signature(impl)
    ref_sig = _signature(reference)[0] if reference is not None else None
    out = []
    for rule, requirement, test in signature_rules(params):
        if sig is None:
            out.append(Check(function, rule, "unspecified", required=requirement, library=why))
            continue
        problem = test(sig)
        if problem is None:
            out.append(Check(function, rule, "conforms"))
            continue
        ref_problem = "NumPy has no such name" if reference is None else (
            "no introspectable signature" if ref_sig is None else test(ref_sig))
        out.append(_check(function, rule, False, input=f"{function}{sig}", required=requirement, library=problem,
                          numpy=ref_problem or f"accepted: {function}{ref_sig}",
                          numpy_ok=ref_problem is None if ref_sig is not None else None))
    return out
