"""Input domains: the standard's (what an entry's ``dtypes`` list) and NumPy's (what NumPy accepts).

A case's *dtype* is one dtype name ("int8"), a pair of array dtypes ("int8+float32": the left and
the right operand of a binary function) or an array dtype with a kind of Python scalar
("int8+py-float"; "py-int-out" is a Python int outside the array dtype's range, NEP 50's
overflow). Which of them NumPy accepts per entry is derived by ``tools/derive_numpy_domain.py``
(a probe call of the reference per dtype, pair and scalar kind) and shipped in
``opinfo/data/numpy_domain.json``; nobody types it by hand. Which of them the standard defines is
the standard's own rule: an entry's ``dtypes`` for one dtype, its type promotion table for a
pair, its rules for Python scalars (2025.12) for a scalar kind.
"""

from __future__ import annotations

import functools
import json
import warnings
from pathlib import Path

import numpy as np

from opinfo.dtypes import ALL, BOOL, COMPLEX, FLOAT, INTEGER, SIGNED, UNSIGNED

DATA = Path(__file__).with_name("data") / "numpy_domain.json"

DOMAINS = ("standard", "numpy")
#: Kinds of Python scalar beside an array; "py-int-out" is an int outside the array dtype's range.
SCALAR_KINDS = ("py-bool", "py-int", "py-float", "py-complex", "py-int-out")
#: Where the standard defines Python scalars beside arrays (2025.12: a complex scalar with any
#: floating-point array, data-apis/array-api#871); an out-of-range int is never defined.
_STANDARD_SCALARS = {
    "py-bool": BOOL,
    "py-int": INTEGER + FLOAT + COMPLEX,
    "py-float": FLOAT + COMPLEX,
    "py-complex": FLOAT + COMPLEX,
}
#: One value of each kind, for asking NumPy which dtype a mix computes in (the value does not matter).
_PROBE_SCALARS = {"py-bool": True, "py-int": 2, "py-int-out": 2, "py-float": 1.5, "py-complex": 1.5j}
PROMOTION_LINK = "https://data-apis.org/array-api/latest/API_specification/type_promotion.html"


def mixed(left: str, right: str) -> str:
    """The case dtype of two operands: "int8+float32", "int8+py-float"."""
    return f"{left}+{right}"


def parts(case_dtype: str) -> tuple[str, ...]:
    """("int8",) for "int8"; ("int8", "float32") for "int8+float32"; ("int8", "py-int") for a scalar kind."""
    return tuple(case_dtype.split("+"))


def is_mixed(case_dtype: str) -> bool:
    return "+" in case_dtype


def array_dtypes(case_dtype: str) -> tuple[str, ...]:
    """The array dtypes of a case dtype (the Python scalar kind left out)."""
    return tuple(p for p in parts(case_dtype) if p not in SCALAR_KINDS)


def first_dtype(case_dtype: str) -> str:
    """The dtype a case's comparison and display fall back on: its (left) array dtype."""
    return parts(case_dtype)[0]


def standard_pair(a: str, b: str) -> bool:
    """Whether the standard's type promotion table defines arrays of ``a`` and ``b`` together.

    Kinds do not mix (bool, integer, floating); real and complex floating do. Signed with unsigned
    integers only where a signed type holds both: never with uint64.
    """
    if a == b:
        return True
    for group in (BOOL, INTEGER, FLOAT + COMPLEX):
        if a in group and b in group:
            if group is INTEGER and {a, b} & set(SIGNED) and {a, b} & set(UNSIGNED):
                return "uint64" not in (a, b)
            return True
    return False


def standard_scalar(dtype: str, kind: str) -> bool:
    """Whether the standard defines a Python scalar of ``kind`` beside an array of ``dtype``."""
    return dtype in _STANDARD_SCALARS.get(kind, ())


def case_domain(standard_dtypes: tuple[str, ...], case_dtype: str) -> str:
    """"standard" where the standard defines the case (the entry lists its dtypes and the one the mix
    computes in, the promotion table or the scalar rules define the mix), else "numpy"."""
    got = parts(case_dtype)
    if not set(array_dtypes(case_dtype)) | {numpy_common(case_dtype)} <= set(standard_dtypes):
        return "numpy"
    if len(got) == 1:
        return "standard"
    left, right = got
    if right in SCALAR_KINDS:
        return "standard" if standard_scalar(left, right) else "numpy"
    return "standard" if standard_pair(left, right) else "numpy"


def case_dtypes_of(names) -> tuple[str, ...]:
    """Every case dtype: the dtypes, their ordered pairs and their scalar kinds (for validation)."""
    names = tuple(names)
    return names + tuple(mixed(a, b) for a in names for b in names if a != b) + \
        tuple(mixed(a, k) for a in names for k in SCALAR_KINDS)


@functools.cache
def _load() -> dict:
    try:
        return json.loads(DATA.read_text())
    except FileNotFoundError:
        return {"numpy": None, "ops": {}}


def numpy_version() -> str | None:
    """The NumPy version the shipped domain was derived with."""
    return _load().get("numpy")


def derived(op_name: str) -> dict:
    """The shipped NumPy domain of one entry: {"dtypes": [...], "mixed": [...], "gaps": {dtype: why}}."""
    return _load()["ops"].get(op_name, {"dtypes": [], "mixed": [], "gaps": {}})


def numpy_dtypes(op_name: str, standard_dtypes: tuple[str, ...]) -> tuple[str, ...]:
    """The one-dtype cases NumPy accepts, in the vocabulary's order (the standard's always included:
    an entry's own dtypes run whatever NumPy does with them)."""
    accepted = set(derived(op_name)["dtypes"]) | set(standard_dtypes)
    return tuple(d for d in ALL if d in accepted)


def mixed_dtypes(op_name: str) -> tuple[str, ...]:
    """The mixed cases (dtype pairs, scalar kinds) NumPy accepts for a binary entry."""
    return tuple(derived(op_name)["mixed"])


def reference_result(op, sample):
    """NumPy's result for ``sample`` (warnings silenced), or None where it refuses the input: the
    question both the domain probe and the shape rules (:mod:`opinfo.shapes`) ask of NumPy."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return op.ref(*sample.args, **sample.kwargs)
    except Exception:  # NumPy refusing the input is the answer
        return None


def probe_ok(value) -> bool:
    """A reference call counts as accepted when it returns arrays of a numeric or bool dtype."""
    values = value if isinstance(value, (tuple, list)) else (value,)
    return all(np.asarray(v).dtype.kind in "biufc" for v in values)


def numpy_common(case_dtype: str) -> str:
    """The dtype NumPy computes a case in: its dtype, the join of a pair, an array dtype with a
    Python scalar as NEP 50 has it (an out-of-range int counts as an int of its kind)."""
    got = parts(case_dtype)
    if len(got) == 1:
        return got[0]
    left, right = got
    if right in SCALAR_KINDS:
        return np.result_type(np.dtype(left), _PROBE_SCALARS[right]).name
    return np.result_type(np.dtype(left), np.dtype(right)).name


def computes_in(op, case_dtype: str) -> str:
    """The dtype NumPy computes a case of ``op`` in: for an elementwise op the dtype of its result on
    one element of each operand (an integer input of a floating function computes in a float), else
    :func:`numpy_common`."""
    common = numpy_common(case_dtype)
    if not op.elementwise:
        return common
    got = parts(case_dtype)
    if isinstance(op.ref, np.ufunc):  # the loop's input dtype: a comparison computes in its inputs' join
        ins = [type(_PROBE_SCALARS[p]) if p in SCALAR_KINDS else np.dtype(p) for p in got]
        ins *= op.ref.nin if len(got) == 1 else 1
        try:
            return np.dtype(op.ref.resolve_dtypes((*ins, *[None] * op.ref.nout))[0]).name
        except Exception:  # no loop for these inputs: the calls below say what NumPy does
            pass
    args = [_PROBE_SCALARS[p] if p in SCALAR_KINDS else np.ones(1, dtype=p) for p in got]
    out = None
    for call in (args, args * 2) if len(args) == 1 else (args,):  # one dtype: a unary or a binary entry
        try:
            with np.errstate(all="ignore"):
                out = op.ref(*call)
            break
        except Exception:  # a reference that refuses this call: the join below
            continue
    if out is None:
        return common
    out = out[0] if isinstance(out, tuple) else out
    kind = np.asarray(out).dtype
    return kind.name if kind.kind in "biufc" else common
