"""Conformance area ``names``: the standard's names derived from its stubs and text
(tools/derive_array_api_spec.py), checked on array_api_strict and on injected bugs
(``tests/conform_names_bug.py``)."""

import inspect
import math
from pathlib import Path

import derive_array_api_spec as derive
import pytest
from standard_mirror import MIRROR

from parity import conform_names as cn
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec

#: What array_api_strict does not conform to: only ``newaxis``'s type. constants.rst says "Each constant
#: must have a Python floating-point data type (i.e., ``float``)", while ``newaxis``'s own docstring says
#: "An alias for ``None``": the standard states both, so the rule is ambiguous (strict has None).
STRICT = {("newaxis", "is a Python float", "ambiguous")}
#: Against 2024.12 also ``devices()``: "Returns a list of supported devices" (``-> List[device]``); strict
#: follows 2025.12, which "Changed the return value from a List to a Tuple", and returns a tuple.
STRICT_2024 = STRICT | {("info.devices", "returns a list", "violates")}


def _target(name, version="2025.12", surface="native"):
    return Target(get_backend(name), "cpu", surface, version)


@pytest.mark.parametrize("version", ["2024.12", "2025.12"])
def test_array_api_strict(version):
    checks = list(cn.checks(_target("array_api_strict", version)))
    found = {(c.function, c.rule, c.verdict) for c in checks if c.verdict != "conforms"}
    assert found == (STRICT_2024 if version == "2024.12" else STRICT)
    functions = {c.function for c in checks}
    spec = load_spec(version)
    assert {f["name"] for f in spec["functions"]} <= functions  # every function, linalg./fft. included
    assert {"e", "inf", "nan", "newaxis", "pi", "float64", "array.mT", "array.__radd__", "array.__iadd__",
            "info.capabilities", "info.devices", "info.dtypes"} <= functions
    rules = {(c.function, c.rule) for c in checks}
    assert ("sort", "keyword-only parameter 'axis' accepted by keyword") in rules
    assert ("info.capabilities", "returned dict has key 'max dimensions'") in rules
    assert ("info.devices", "contains default_device()") in rules
    assert ("info.devices", "returns a " + ("list" if version == "2024.12" else "tuple")) in rules


def test_injected_bugs_are_found():
    checks = list(cn.checks(_target("conform_names_bug:xp")))
    bad = {(c.function, c.rule) for c in checks if c.verdict == "violates"}
    assert bad == {("pi", "exists"), ("e", "value is 2.71828182845904523536028747135266249775724709369995..."),
                   ("sort", "keyword-only parameter 'axis' accepted by keyword")}
    e = next(c for c in checks if c.function == "e" and c.verdict == "violates")
    assert (e.library, e.required, e.numpy, e.follows) == ("2.7", repr(math.e), repr(math.e), "neither")
    sort = next(c for c in checks if c.function == "sort" and c.verdict == "violates")
    assert "positional only" in sort.library and sort.follows == "neither"
    # sort's other parameters are still accepted: the finding names the one parameter
    assert all(c.verdict == "conforms" for c in checks if c.function == "sort" and "axis" not in c.rule)


def _f(x, /, *, axis=-1, stable=True):
    return x


def _positional(x, axis=-1, stable=True):
    return x


def _required(x, axis, /, *, stable=True):
    return x


def _variadic(arrays):
    return arrays


def test_signature_rules():
    params = [{"name": "x", "kind": "positional-only", "default": None},
              {"name": "axis", "kind": "keyword-only", "default": "-1"},
              {"name": "stable", "kind": "keyword-only", "default": "True"}]
    verdicts = {f.__name__: {c.rule: c.verdict for c in cn.signature_checks("f", f, params, _f)}
                for f in (_f, _positional, _required)}
    assert set(verdicts["_f"].values()) == {"conforms"} == set(verdicts["_positional"].values())
    assert verdicts["_required"]["keyword-only parameter 'axis' accepted by keyword"] == "violates"
    assert verdicts["_required"]["no required parameter beyond the standard's"] == "violates"
    assert verdicts["_required"]["keyword-only parameter 'stable' accepted by keyword"] == "conforms"
    variadic = [{"name": "arrays", "kind": "var-positional", "default": None}]
    assert {c.rule: c.verdict for c in cn.signature_checks("g", _variadic, variadic, None)} == {
        "variadic parameter '*arrays' accepted": "violates",  # one sequence, not several arrays
        "no required parameter beyond the standard's": "conforms"}
    torch = pytest.importorskip("torch")
    opaque = cn.signature_checks("sort", torch.sort, params, _f)  # a C builtin: no signature to read
    assert {c.verdict for c in opaque} == {"unspecified"} and "no introspectable signature" in opaque[0].library
    assert inspect.signature(_f)


def test_missing_extension_is_not_applicable_but_a_missing_function_is_a_violation():
    class _NoLinalg:
        def __getattr__(self, name):
            import array_api_strict
            if name == "linalg":
                raise AttributeError(name)
            return getattr(array_api_strict, name)

    class _Target:
        ns = _NoLinalg()

        def function(self, name):
            return cn._lookup(self.ns, name)

    spec = {"functions": [f for f in load_spec("2025.12")["functions"] if f["name"] in ("linalg.det", "sort")]}
    verdicts = {(c.function, c.rule): c.verdict for c in cn._functions(_Target(), spec)}
    assert verdicts[("linalg.det", "exists")] == "n/a" and verdicts[("sort", "exists")] == "conforms"
    spec["functions"].append({"name": "fft.fft", "category": "fft", "params": []})

    class _NoFft(_NoLinalg):
        def __getattr__(self, name):
            if name == "fft":
                import types
                return types.SimpleNamespace(ifft=None)
            return super().__getattr__(name)

    _Target.ns = _NoFft()
    verdicts = {(c.function, c.rule): c.verdict for c in cn._functions(_Target(), spec)}
    assert verdicts[("fft.fft", "exists")] == "violates"  # the extension is there, the function is not


def test_derived_names():
    for version in ("2024.12", "2025.12"):
        spec = load_spec(version)
        assert len(spec["functions"]) == (175 if version == "2025.12" else len(spec["functions"]))
        assert [a["name"] for a in spec["array"]["attributes"]] == ["dtype", "device", "mT", "ndim", "shape",
                                                                  "size", "T"]
        info = {m["name"]: m for m in spec["info"]["methods"]}
        assert [k["key"] for k in info["capabilities"]["keys"]] == ["boolean indexing", "data-dependent shapes",
                                                                   "max dimensions"]
        assert [k["key"] for k in info["default_dtypes"]["keys"]] == ["real floating", "complex floating",
                                                                     "integral", "indexing"]
        assert [p["name"] for p in info["dtypes"]["params"]] == ["device", "kind"]
        values = {c["name"]: c["value"] for c in spec["constants"]["names"]}
        assert float(values["e"]["decimal"]) == math.e and float(values["pi"]["decimal"]) == math.pi
        assert values["inf"] == {"special": "+infinity"} and values["newaxis"] == {"alias": "None"}
        ops = {o["method"]: o for o in spec["array"]["operators"]}
        assert ops["__add__"]["syntax"] == "x1 + x2" and ops["__radd__"]["kind"] == "reflected"
        assert ops["__iadd__"]["required"] is False and ops["__invert__"]["kind"] == "unary"
    assert {m["name"]: m["returns"] for m in load_spec("2024.12")["info"]["methods"]}["devices"] == "List[device]"
    assert {m["name"]: m["returns"] for m in load_spec("2025.12")["info"]["methods"]}["devices"] == \
        "Tuple[device, ...]"


def test_shipped_files_match_the_standard():
    if not Path(MIRROR).exists():
        pytest.skip("no data-apis/array-api mirror here")
    assert derive.main(["--check"]) == 0
