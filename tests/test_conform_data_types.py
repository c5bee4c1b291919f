"""Conformance area ``data-types``: finfo, iinfo, isdtype, can_cast and result_type on array_api_strict, on five
injected bugs (``tests/conform_data_types_bug.py``), and the rules derived from the standard's text."""

import numpy as np
import pytest

from parity import conform_data_types as cd
from parity.backends import get_backend
from parity.conformance import Raised, Target, tally
from parity.coverage import load_spec

INTEGERS = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
FLOAT32 = ("float32", "complex64")
FINFO_FLOATS = ("eps", "max", "min", "smallest_normal")


def _checks(name, version="2025.12"):
    return list(cd.checks(Target(get_backend(name), "cpu", "native", version)))


@pytest.mark.parametrize("version", ["2024.12", "2025.12"])
def test_array_api_strict_conforms_to_every_rule(version):
    """strict breaks none: what is left open is recorded as unspecified, one check per dtype the pair is from."""
    checks = _checks("array_api_strict", version)
    assert tally(checks) == {"can_cast": {"conforms": 147, "unspecified": 13}, "finfo": {"conforms": 96},
                             "iinfo": {"conforms": 128}, "isdtype": {"conforms": 170},
                             "result_type": {"conforms": 513, "unspecified": 15}}
    rules = {(c.function, c.rule, c.dtype): c for c in checks}
    # complex: "the information is about its component data type"
    assert "If complex" in rules["finfo", "finfo(array).dtype: the dtype object", "complex64"].sentence
    assert rules["can_cast", "can_cast(int8 array, int16) is True", "int8"].verdict == "conforms"
    assert rules["result_type", "result_type(float32 array, Python complex 1j) -> complex64", "float32"].verdict \
        == "conforms"
    # mixed kinds and int64 with uint64 are left open, with the sentence that says so
    open_int8 = rules["result_type", "result_type(int8, dtype) where promotion is undefined", "int8"]
    assert open_int8.verdict == "unspecified" and "mixed data type kinds" in open_int8.required
    assert "(int8 and uint64 are in no table.)" in open_int8.required and "result_type(int8, uint64) -> " \
        in open_int8.library
    float_scalar = rules["result_type", "result_type(integer array, Python float)", None]
    assert float_scalar.verdict == "unspecified" and "int8 array, Python float 1.0" in float_scalar.input


def test_injected_bugs_are_found_and_their_neighbours_conform():
    checks = _checks("conform_data_types_bug:xp")
    bad = {(c.function, c.rule, c.dtype) for c in checks if c.verdict == "violates"}
    triples = {(c.function, c.rule, c.dtype) for c in checks if c.function == "result_type" and c.rule.count(",") == 2}
    assert bad == {
        # finfo's fields are NumPy scalars: float32's are no Python float (float64's np.float64 is one)
        *(("finfo", f"finfo({form}).{f}: float", d) for form in ("dtype", "array") for f in FINFO_FLOATS
          for d in FLOAT32),
        *(("iinfo", "accepts an array", d) for d in INTEGERS),
        ("isdtype", "isdtype(dtype, 'integral')", "bool"),
        ("can_cast", "can_cast(int8, uint8) is False", "int8"), ("can_cast", "can_cast(int8 array, uint8) is False",
                                                                "int8"),
        *triples}
    assert len(triples) == 37 * 3  # every third argument chosen changes the promoted dtype
    by_rule = {(c.function, c.rule, c.dtype): c for c in checks}
    eps = by_rule["finfo", "finfo(dtype).eps: float", "float32"]
    assert eps.library == "np.float32(1.1920929e-07) (numpy.float32)" and eps.required == "a Python float"
    assert by_rule["finfo", "finfo(dtype).eps: value", "float32"].verdict == "conforms"  # the value is right
    iinfo = by_rule["iinfo", "accepts an array", "int8"]
    assert iinfo.library == "raises TypeError: iinfo() takes a dtype" and iinfo.tags == ("raises",)
    assert iinfo.follows == "neither"  # NumPy raises ValueError
    for neighbour in (("isdtype", "isdtype(dtype, 'bool')", "bool"), ("isdtype", "isdtype(dtype, 'integral')", "int8"),
                      ("isdtype", "isdtype(dtype, ('signed integer', 'unsigned integer'))", "bool"),
                      ("can_cast", "can_cast(int8, int16) is True", "int8"),
                      ("can_cast", "can_cast(uint8, int8) is False", "uint8"),
                      ("result_type", "result_type(int8 array, uint8) -> int16", "int8"),
                      ("iinfo", "iinfo(dtype).max: value", "uint64")):
        assert by_rule[neighbour].verdict == "conforms", neighbour
    third = by_rule["result_type", "result_type(int8, int8, int16) -> int16", "int8"]
    assert (third.library, third.numpy, third.follows) == ("int8", "int16", "neither")


def test_the_rules_come_derived_from_the_standard():
    for version in ("2024.12", "2025.12"):
        dtf = load_spec(version)["data_type_functions"]
        assert set(dtf) == {"can_cast", "finfo", "iinfo", "isdtype", "result_type"}
        assert {f["name"]: f["type"] for f in dtf["finfo"]["fields"]} == {
            "bits": "int", "eps": "float", "max": "float", "min": "float", "smallest_normal": "float", "dtype": "dtype"}
        assert {f["name"]: f["type"] for f in dtf["iinfo"]["fields"]} == {"bits": "int", "max": "int", "min": "int",
                                                                          "dtype": "dtype"}
        assert dtf["finfo"]["params"][0]["annotation"] == dtf["can_cast"]["params"][0]["annotation"] \
            == "Union[dtype, array]"
        assert "float" in dtf["result_type"]["params"][0]["annotation"]  # scalars, since 2024.12
        members = cd.kind_members(dtf["isdtype"])
        assert members["integral"] == INTEGERS and members["bool"] == {"bool"}
        assert members["numeric"] == set(load_spec(version)["dtypes"]["categories"]["numeric"])
        assert [n["modal"] for n in dtf["result_type"]["notes"]][:2] == ["must", "unspecified"]


def test_outcomes_are_judged_exactly():
    assert cd._value_meets(np.float32(np.finfo(np.float32).max), float(np.finfo(np.float32).max))
    assert not cd._value_meets(np.float32(0.1), 0.1)  # a rounded value is not the value
    assert not cd._value_meets(127.5, 127) and cd._value_meets(2**64 - 1, 2**64 - 1)
    ref = cd.Side(["int8", "float32"])
    assert ref.same(np.dtype("int8"), "int8") and not ref.same("int8", "int8")  # a string is no dtype object
    refused = Raised(RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, attempted to "
                                  "promote Char and UInt16"))
    assert cd._tags(refused, (("array", "int8"), ("dtype", "uint16"))) == ("raises", "unimplemented:uint16")
    table = {(e["x1"], e["x2"]): e["result"] for e in cd.promotion.rules("2025.12")["promotion"]["table"]}
    for a, b, c in cd.triples(table, list(load_spec("2025.12")["dtypes"]["names"])):
        assert table[(table[(a, b)], c)] != table[(a, b)]
