"""Conformance area ``devices``: exact verdicts on array_api_strict's five devices, four injected device bugs
(``tests/conform_devices_bug.py``) and the quoted sentences checked against the standard's own text (every
backend's gaps are held in tests/test_conformance.py)."""

import re
import subprocess
from pathlib import Path

import pytest

from opinfo import conformance as spec
from parity import conform_devices as cd
from parity.backends import get_backend
from parity.conformance import Target
from parity.coverage import load_spec

MIRROR = "/work/.mirror/data-apis+array-api/repo"
DEVICES = ("CPU_DEVICE", "device1", "device2", "no_float64", "no_x64")
INDEX_DTYPE = "'indexing' is the dtype argmax(x) has on d [d=Device('no_x64')]"
#: What array_api_strict does not conform to (besides ``conforms``):
#: - its no_x64 device reports int32 as the default index dtype, but argmax & co. compute in int64, which the
#:   device refuses (ValueError): a violation of default_dtypes' "must", and those functions raise there only
#:   (unspecified: no device must run every function);
#: - creating a dtype dtypes(device=d) does not list: the standard is silent (strict raises ValueError).
RAISE_ON_NO_X64 = ("argmax", "argmin", "argsort", "count_nonzero", "linalg.matrix_rank", "nonzero", "searchsorted",
                   "unique_all", "unique_counts", "unique_inverse")
UNLISTED = {"no_float64": ("float64", "complex128"), "no_x64": ("int64", "uint64", "float64", "complex128")}
STRICT = {
    ("info.default_dtypes", INDEX_DTYPE, "violates"),
    *((f, "result on the inputs' device [d=Device('no_x64')]", "unspecified") for f in RAISE_ON_NO_X64),
    *(("info.dtypes", f"an unlisted dtype on d [{t}, d=Device('{d}')]", "unspecified")
      for d, ts in UNLISTED.items() for t in ts),
}


def _checks(name, version="2025.12", surface="native"):
    return list(cd.checks(Target(get_backend(name), "cpu", surface, version)))


@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_array_api_strict_on_all_its_devices(version):
    checks = _checks("array_api_strict", version)
    assert {(c.function, c.rule, c.verdict) for c in checks if c.verdict != "conforms"} == STRICT
    for d in DEVICES:  # every device ran every kind of rule
        here = [c for c in checks if f"Device('{d}')" in c.rule]
        assert {c.function for c in here} >= {"zeros", "ones_like", "astype", "asarray", "add", "sort", "matmul",
                                              "unique_values", "take", "linalg.solve", "fft.fft", "array.to_device",
                                              "info.dtypes", "info.default_dtypes", "cumulative_sum", "where"}
    pairs = {c.rule for c in checks if c.function == "array.to_device" and c.verdict == "conforms"}
    assert len(pairs) == 2 * len(DEVICES) ** 2  # placement and data for every ordered pair
    mixed = [c for c in checks if c.rule.startswith("add of arrays on two devices")]
    assert len(mixed) == len(DEVICES) - 1 and all(c.verdict == "conforms" for c in mixed)  # strict raises
    assert any(c.rule.startswith("a Python scalar") for c in checks) == (version == "2025.12")


def test_injected_device_bugs_are_violations_and_their_neighbours_conform():
    checks = _checks("conform_devices_bug:xp")
    bad = {(c.function, c.rule) for c in checks if c.verdict == "violates"} - {("info.default_dtypes", INDEX_DTYPE)}
    others = DEVICES[1:]
    assert bad == {
        *(("ones", f"device=d places the result on d [d=Device('{d}')]") for d in others),
        *(("zeros_like", f"device=None keeps the input array's device [d=Device('{d}')]") for d in others),
        *(("flip", f"result on the inputs' device [d=Device('{d}')]") for d in others),
        *(("array.to_device", f"to_device(d2) [Device('{a}') -> Device('{b}')] is on d2")
          for a in DEVICES for b in DEVICES if a != b)}
    ok = {(c.function, c.rule) for c in checks if c.verdict == "conforms"}
    for d in DEVICES:  # the same functions' other rules, and their neighbours, still conform
        assert ("zeros", f"device=d places the result on d [d=Device('{d}')]") in ok
        assert ("zeros_like", f"device=d places the result on d [d=Device('{d}')]") in ok
        assert ("ones_like", f"device=None keeps the input array's device [d=Device('{d}')]") in ok
        assert ("roll", f"result on the inputs' device [d=Device('{d}')]") in ok
        assert ("array.to_device", f"to_device(d2) [Device('{d}') -> Device('{d}')] is on d2") in ok
    flip = next(c for c in checks if c.function == "flip" and c.verdict == "violates")
    assert flip.required == "on Device('device1')" and flip.library == "on Device('CPU_DEVICE')"
    assert flip.sentence == cd.SENTENCES["convention"]


def test_a_library_without_device_attribute_is_reported_once():
    checks = _checks("dask")
    assert [(c.function, c.verdict) for c in checks] == [("info.devices", "n/a"), ("array.device", "n/a")]


@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_every_function_is_called_or_left_out_with_a_reason(version):
    names = {f["name"] for f in load_spec(version)["functions"]}
    uncalled = {f["name"] for f in load_spec(version)["functions"] if cd.recipe(f) is None}
    assert uncalled == set(cd.LEFT_OUT) & names
    every = {f["name"] for v in spec.SPEC_VERSIONS for f in load_spec(v)["functions"]}
    assert set(cd.CALLS) <= names and set(cd.LEFT_OUT) <= every  # no stale entry
    creating = {f["name"] for f in load_spec(version)["functions"] if any(p["name"] == "device" for p in f["params"])}
    assert creating - set(cd.LEFT_OUT) == {"arange", "asarray", "astype", "empty", "empty_like", "eye", "fft.fftfreq",
                                           "fft.rfftfreq", "full", "full_like", "linspace", "ones", "ones_like",
                                           "zeros", "zeros_like"}


def _standard_text(version: str) -> str:
    folder = "src/array_api_stubs/_" + version.replace(".", "_")
    paths = [f"{folder}/{p}" for p in ("creation_functions.py", "data_type_functions.py", "info.py",
                                       "array_object.py")] + [f"spec/{version}/design_topics/device_support.rst"]
    text = " ".join(subprocess.run(["git", "-C", MIRROR, "show", f"HEAD:{p}"], check=True, capture_output=True,
                                   text=True).stdout for p in paths)
    return " ".join(text.replace("**", "").split())


@pytest.mark.skipif(not Path(MIRROR).exists(), reason="no mirror of data-apis/array-api here")
@pytest.mark.parametrize("version", spec.SPEC_VERSIONS)
def test_every_quoted_sentence_is_the_standards(version):
    text = _standard_text(version)
    for key in cd.SENTENCES:
        quoted = cd.sentence(key, version)
        if quoted is not None:
            assert quoted in text, (key, quoted)
    recommendations = re.search(r"this section only gives recommendations, rather than hard requirements:(.*?)\.\. _",
                                text)[1]
    for key in cd.SHOULD - {"tri"}:
        if cd.sentence(key, version):
            assert cd.sentence(key, version) in recommendations, key
    assert cd.sentence("convention", version) not in recommendations
    assert "should be allocated on the same device" in cd.sentence("tri", version)
