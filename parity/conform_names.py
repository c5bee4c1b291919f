"""Conformance area ``names``: every name the standard gives the namespace, the array object and the info object.

What is checked comes from ``parity/data/array_api_<version>.json`` (``tools/derive_array_api_spec.py``):

- every function (``linalg.``/``fft.`` extension ones too: a missing one is ``n/a`` only when the whole
  extension is absent), data type object and constant exists; a constant has the value its docstring
  states and is a Python ``float`` (``newaxis``, an alias for ``None``, makes that rule ``ambiguous``);
- the array object (``asarray(np.ones((2, 3)))``) has every attribute and method; attributes are
  properties whose values have the documented type and shape; every operator evaluates, reflected ones
  with a Python scalar on the left, and an in-place one keeps its left operand's dtype and shape;
- ``__array_namespace_info__()`` has every inspection method; the returned dictionaries have the keys
  the docstrings list, with values of the stated kind; ``devices()`` has the documented container type
  and holds ``default_device()``; ``dtypes()`` maps standard names to the namespace's dtype objects;
- signatures, for every function and method whose signature ``inspect.signature`` can read (C builtins
  often have none: then each of its rules is ``unspecified``): a positional(-only or -or-keyword)
  parameter is accepted positionally, a keyword(-only or -or-keyword) one by its name, a variadic one
  as several positional arguments, and a call with only the standard's required parameters binds
  (no required parameter beyond the standard's).

Rule ids are short statements, stable across runs (``keyword-only parameter 'axis' accepted by keyword``).
NumPy's column is the same rule evaluated on NumPy (``numpy``, ``np.ones((2, 3))``, NumPy's info object).
"""

from __future__ import annotations

import inspect
import math
import operator

import numpy as np

from parity.conform_signatures import _check, _try, signature_checks
from parity.conformance import Check, quiet, raised
from parity.coverage import load_spec

_D = object()  # a stand-in argument: binding never looks at it
EXTENSIONS = ("linalg", "fft")
#: default_dtypes' keys and the data type category (``data_types.rst``) their values belong to.
DEFAULT_CATEGORY = {"real floating": "real-valued floating-point", "complex floating": "complex floating-point",
                    "integral": "integer", "indexing": "integer"}


def _lookup(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


# ---------------------------------------------------------------------------------- namespace


def _functions(target, spec):
    ns = target.ns
    for fn in spec["functions"]:
        name = fn["name"]
        impl = target.function(name)
        ref = _lookup(np, name)
        if impl is None:
            ext = name.split(".")[0] if "." in name else None
            if ext in EXTENSIONS and getattr(ns, ext, None) is None:
                yield Check(name, "exists", "n/a", required=f"the {ext} extension is absent")
            else:
                yield _check(name, "exists", False, required=f"{name} in the namespace", library="missing",
                             numpy="present" if ref is not None else "missing", numpy_ok=ref is not None)
            continue
        yield Check(name, "exists", "conforms")
        yield from signature_checks(name, impl, fn["params"], ref)


def _dtypes(target, spec):
    for name in spec["dtypes"]["names"]:
        present = getattr(target.ns, name, None) is not None
        yield _check(name, "data type object in the namespace", present, required=f"{name} in the namespace",
                     library="missing", numpy="present" if hasattr(np, name) else "missing",
                     numpy_ok=hasattr(np, name))


def _constant_value(value: dict):
    """(rule id, test(v), NumPy-independent requirement) for what the docstring says the value is."""
    if "decimal" in value:
        want = float(value["decimal"])
        return f"value is {value['decimal']}...", lambda v: isinstance(v, (int, float)) and float(v) == want, repr(want)
    if value.get("special") == "+infinity":
        return "value is +infinity", lambda v: isinstance(v, (int, float)) and v == math.inf, "inf"
    if value.get("special") == "NaN":
        return "value is NaN", lambda v: isinstance(v, float) and math.isnan(v), "nan"
    if value.get("alias") == "None":
        return "value is None", lambda v: v is None, "None"
    return None


def _constants(target, spec):
    shared = spec["constants"]["rule"]
    for c in spec["constants"]["names"]:
        name = c["name"]
        missing = object()
        v = getattr(target.ns, name, missing)
        ref = getattr(np, name, missing)
        if v is missing:
            yield _check(name, "exists", False, required=f"{name} in the namespace", library="missing",
                         numpy="present" if ref is not missing else "missing", numpy_ok=ref is not missing)
            continue
        yield Check(name, "exists", "conforms")
        rule = "is a Python float"
        if "alias" in c["value"]:  # newaxis: "an alias for None", yet "each constant must ... be float"
            yield Check(name, rule, "ambiguous", sentence=shared, required=f"float, and {c['docstring']}",
                        library=repr(v))
        else:
            yield _check(name, rule, type(v) is float, sentence=shared, required="a Python float",
                         library=f"{v!r} ({type(v).__module__}.{type(v).__qualname__})", numpy=repr(type(ref)),
                         numpy_ok=type(ref) is float)
        parsed = _constant_value(c["value"])
        if parsed is None:
            yield Check(name, "value", "unspecified", sentence=c["docstring"])
            continue
        rule, test, want = parsed
        yield _check(name, rule, test(v), sentence=c["docstring"], required=want, library=repr(v), numpy=repr(ref),
                     numpy_ok=ref is not missing and test(ref))


# ---------------------------------------------------------------------------------- array object


def _attribute_rules(x, name: str, annotation: str, dtype):
    """(rule id, requirement, test(value) -> bool) for one attribute of a (2, 3) float64 array."""
    rules = [("is a property, not a method", "an attribute whose value is not a bound method",
              lambda v: not inspect.ismethod(v) and not inspect.isbuiltin(v))]
    if annotation == "int":
        rules.append((f"is a Python {annotation} (2 for shape (2, 3))", "2", lambda v: type(v) is int and v == 2))
    elif annotation.startswith("Tuple"):
        rules.append(("is a tuple of the dimensions ((2, 3))", "(2, 3), a tuple or tuple-like shape object",
                      lambda v: isinstance(v, tuple) and tuple(v) == (2, 3)))
    elif annotation == "Optional[int]":
        rules.append(("is a Python int, the number of elements (6)", "6",
                      lambda v: type(v) is int and v == 6))
    elif annotation == "array":
        rules.append(("is an array of shape (3, 2) and the same dtype", "shape (3, 2), float64",
                      lambda v: tuple(getattr(v, "shape", ())) == (3, 2) and getattr(v, "dtype", None) == dtype))
    elif annotation == "Dtype":
        rules.append(("is the namespace's data type object", "== float64 of the namespace", lambda v: v == dtype))
    return rules


def _array(target, spec):
    x = target.asarray(np.ones((2, 3)))
    ref = np.ones((2, 3))
    f64 = target.dtype("float64")
    for attr in spec["array"]["attributes"]:
        function = f"array.{attr['name']}"
        value, error = _try(getattr, x, attr["name"])
        ref_value, _ = _try(getattr, ref, attr["name"])
        if error:
            yield _check(function, "exists", False, required=f"x.{attr['name']}", library=error,
                         numpy=repr(ref_value), numpy_ok=True)
            continue
        yield Check(function, "exists", "conforms")
        for rule, want, test in _attribute_rules(x, attr["name"], attr["returns"], f64):
            ok = _try(test, value)[0] is True
            yield _check(function, rule, ok, input="x = asarray(np.ones((2, 3)))", required=want,
                         library=_short(value), numpy=_short(ref_value),
                         numpy_ok=_try(_attribute_rules(ref, attr["name"], attr["returns"], np.float64)[
                             [r for r, _, _ in _attribute_rules(x, attr["name"], attr["returns"], f64)].index(rule)][2],
                                       ref_value)[0] is True)
    for method in spec["array"]["methods"]:
        function = f"array.{method['name']}"
        impl = getattr(x, method["name"], None)
        if impl is None:
            yield _check(function, "exists", False, required=f"x.{method['name']}", library="missing",
                         numpy="present" if hasattr(ref, method["name"]) else "missing",
                         numpy_ok=hasattr(ref, method["name"]))
            continue
        yield Check(function, "exists", "conforms")
        yield from signature_checks(function, impl, method["params"], getattr(ref, method["name"], None))
    yield from _operators(target, spec)


def _short(v) -> str:
    text = repr(v).replace("\n", " ")
    return text if len(text) < 120 else text[:117] + "..."


_OPERATOR = {"+x": operator.pos, "-x": operator.neg, "~x": operator.invert, "x1 + x2": operator.add,
             "x1 - x2": operator.sub, "x1 * x2": operator.mul, "x1 / x2": operator.truediv,
             "x1 // x2": operator.floordiv, "x1 % x2": operator.mod, "x1 ** x2": operator.pow,
             "x1 @ x2": operator.matmul, "x1 & x2": operator.and_, "x1 | x2": operator.or_, "x1 ^ x2": operator.xor,
             "x1 << x2": operator.lshift, "x1 >> x2": operator.rshift, "x1 < x2": operator.lt,
             "x1 <= x2": operator.le, "x1 > x2": operator.gt, "x1 >= x2": operator.ge, "x1 == x2": operator.eq,
             "x1 != x2": operator.ne}
_INPLACE = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
            "//=": operator.ifloordiv, "**=": operator.ipow, "%=": operator.imod, "@=": operator.imatmul,
            "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor, "<<=": operator.ilshift,
            ">>=": operator.irshift}


def _operands(group: str, make):
    """Two operands for an operator of ``group`` (``make`` turns a NumPy array into the library's)."""
    if group == "bitwise":
        return make(np.ones((2, 3), dtype=np.int64)), make(np.ones((2, 3), dtype=np.int64))
    if group == "array":
        return make(np.ones((2, 3))), make(np.ones((3, 3)))
    return make(np.full((2, 3), 2.0)), make(np.full((2, 3), 3.0))


def _evaluates(op, group, kind, make, finish):
    """None when the operator works (in place: and keeps dtype and shape), else what happened."""
    a, b = _operands(group, make)
    try:
        with quiet():
            if kind == "unary":
                out = _OPERATOR[op["syntax"]](a)
            elif kind == "binary":
                out = _OPERATOR[op["syntax"]](a, b)
            elif kind == "reflected":
                out = getattr(operator, op["method"].replace("__r", "__", 1))(1, a)
            else:
                before = (tuple(a.shape), a.dtype)
                out = _INPLACE[op["syntax"].split()[1]](a, b)
                after = (tuple(out.shape), out.dtype)
                if after != before:
                    return f"{op['syntax']} turned shape/dtype {before} into {after}"
        finish(out)
    except Exception as exc:  # noqa: BLE001 - the refusal is the finding
        return raised(exc)
    return None


def _operators(target, spec):
    for op in spec["array"]["operators"]:
        kind, group, method = op["kind"], op["group"], op["method"]
        function = f"array.{method}"
        if kind == "reflected":
            x = target.asarray(np.ones((2, 3)))
            present = hasattr(x, method)
            yield _check(function, "exists", present, required=f"x.{method}", library="missing",
                         numpy="present", numpy_ok=hasattr(np.ones(1), method))
            if group == "array":
                continue  # no Python scalar has an @ with an array
            rule = "evaluates with a Python scalar on the left"
            syntax = f"1 {op_symbol(method)} x"
        elif kind == "in-place":
            rule = f"'{op['syntax']}' keeps the left operand's dtype and shape"
            syntax = op["syntax"]
        else:
            rule = f"operator '{op['syntax']}' evaluates"
            syntax = op["syntax"]
        problem = _evaluates(op, group, kind, target.asarray, target.to_numpy)
        if problem is None:
            yield Check(function, rule, "conforms", sentence=op.get("sentence"))
            continue
        ref_problem = _evaluates(op, group, kind, np.array, np.asarray)
        operands = {"bitwise": "int64 arrays of shape (2, 3)", "array": "float64 (2, 3) and (3, 3)"}.get(
            group, "float64 arrays of shape (2, 3)")
        yield _check(function, rule, False, sentence=op.get("sentence"), input=f"{syntax} on {operands}",
                     required="evaluates" if kind != "in-place" else "keeps dtype and shape", library=problem,
                     numpy=ref_problem or "evaluates", numpy_ok=ref_problem is None)


def op_symbol(method: str) -> str:
    name = method.replace("__r", "", 1).rstrip("_")
    return {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "pow": "**", "mod": "%",
            "matmul": "@", "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>"}.get(name, name)


# ---------------------------------------------------------------------------------- info object


def _info(target, spec):
    make = getattr(target.ns, "__array_namespace_info__", None)
    methods = spec["info"]["methods"]
    if make is None:
        yield from (Check(f"info.{m['name']}", "exists", "n/a", required="no __array_namespace_info__")
                    for m in methods)
        return
    info, error = _try(make)
    if error:
        yield _check("__array_namespace_info__", "returns the inspection object", False,
                     required="an object with the inspection methods", library=error)
        return
    ref_info = np.__array_namespace_info__()
    names = spec["dtypes"]["names"]
    categories = spec["dtypes"]["categories"]
    found = {}
    for m in methods:
        function = f"info.{m['name']}"
        impl = getattr(info, m["name"], None)
        if impl is None:
            yield _check(function, "exists", False, required=f"info.{m['name']}()", library="missing",
                         numpy="present", numpy_ok=True)
            continue
        yield Check(function, "exists", "conforms")
        yield from signature_checks(function, impl, m["params"], getattr(ref_info, m["name"], None))
        value, error = _try(impl)
        ref_value, _ = _try(getattr(ref_info, m["name"]))
        if error:
            yield _check(function, "callable without arguments", False, required="a result", library=error,
                         numpy=_short(ref_value), numpy_ok=True)
            continue
        found[m["name"]] = value
        for key in m["keys"]:
            rule = f"returned dict has key '{key['key']}'"
            has = isinstance(value, dict) and key["key"] in value
            yield _check(function, rule, has, sentence=key["sentence"], required=repr(key["key"]),
                         library=_short(value), numpy=_short(ref_value),
                         numpy_ok=isinstance(ref_value, dict) and key["key"] in ref_value)
            if has and key["value"] is not None:
                yield _key_value(target, function, key, value[key["key"]], ref_value, categories)
        if m["name"] == "dtypes":
            yield from _dtypes_result(target, function, m, impl, value, ref_value, names)
        if m["name"] == "devices":
            container = {"List": list, "Tuple": tuple}.get(m["returns"].split("[")[0])
            if container is not None:
                yield _check(function, f"returns a {container.__name__}", isinstance(value, container),
                             required=m["returns"], library=f"{type(value).__name__}: {_short(value)}",
                             numpy=type(ref_value).__name__, numpy_ok=isinstance(ref_value, container))
    if "devices" in found and "default_device" in found:
        default = found["default_device"]
        rule = "contains default_device()"
        if default is None:
            yield Check("info.devices", rule, "unspecified", required="default_device() may be None",
                        library="default_device() is None")
        else:
            ok = _try(lambda: any(d == default for d in found["devices"]))[0] is True
            yield _check("info.devices", rule, ok, required=repr(default), library=_short(found["devices"]),
                         numpy="contains it", numpy_ok=True)


def _key_value(target, function, key, v, ref_value, categories):
    rule = f"value of '{key['key']}' is {key['value']}"
    if key["value"] == "bool":
        ok = type(v) is bool
    elif key["value"] == "int or None":
        ok = v is None or (type(v) is int and v >= 0)
    else:  # a dtype: one of the namespace's data type objects of the key's category
        allowed = categories.get(DEFAULT_CATEGORY.get(key["key"], ""), [])
        ok = any(_try(lambda n=n: v == target.dtype(n))[0] is True for n in allowed if target.supports(n))
        rule = f"value of '{key['key']}' is a {DEFAULT_CATEGORY.get(key['key'], key['value'])} data type object"
    ref = ref_value.get(key["key"]) if isinstance(ref_value, dict) else None
    return _check(function, rule, ok, sentence=key["sentence"], required=key["value"], library=_short(v),
                  numpy=_short(ref))


def _dtypes_result(target, function, m, impl, value, ref_value, names):
    if not isinstance(value, dict):
        yield _check(function, "returns a dict", False, required="a dict", library=_short(value))
        return
    extra = sorted(str(k) for k in value if k not in names)
    yield _check(function, "keys are the standard's data type names", not extra, sentence=m.get("keys_rule"),
                 required=", ".join(names), library="also " + ", ".join(extra),
                 numpy=_short(sorted(ref_value)) if isinstance(ref_value, dict) else None)
    wrong = [k for k in value if k in names and not _try(lambda k=k: value[k] == getattr(target.ns, k))[0]]
    yield _check(function, "values are the namespace's data type objects of the same name", not wrong,
                 required="dtypes()[name] == namespace.name", library=f"differs for {', '.join(wrong)}")
    kinds = {k["kind"]: k for k in m.get("kinds", [])}

    def members(kind):
        k = kinds[kind]
        return set(k.get("dtypes", [])) | {d for u in k.get("union", []) for d in members(u)}

    for kind, k in kinds.items():
        rule = f"dtypes(kind='{kind}') returns the supported {kind} data types"
        want = members(kind) & set(value)
        got, error = _try(impl, kind=kind)
        ok = error is None and isinstance(got, dict) and set(got) == want
        ref_got, ref_error = _try(np.__array_namespace_info__().dtypes, kind=kind)
        yield _check(function, rule, ok, sentence=k["sentence"], input=f"kind={kind!r}",
                     required=", ".join(sorted(want)), library=error or _short(sorted(got or {})),
                     numpy=ref_error or _short(sorted(ref_got)))


def checks(target):
    spec = load_spec(target.version)
    yield from _functions(target, spec)
    yield from _dtypes(target, spec)
    yield from _constants(target, spec)
    yield from _array(target, spec)
    yield from _info(target, spec)
