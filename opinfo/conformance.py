"""The Array API standard's areas that conformance checks cover, and each library's declared gaps.

An area is one kind of rule of the standard (elementwise special cases, type promotion, ...); a
run checks each area as one case per backend (``parity/conformance.py``). A :class:`Gap` is a
known, explained departure of one library from one rule: like an op's ``Expected`` it is bounded
(the backend, the area, the function and a fragment of the rule's wording must all match, and the
dtypes where it names them), so that a different rule broken by the same function is still new.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "conformance/"
#: What a gap's ``where=`` may require of every input that breaks a rule.
WHERE = {"subnormal": "an operand (or a part of one) is subnormal: flushed to zero"}
#: The standard's versions a run can check against (``--spec``); the newest is the default.
SPEC_VERSIONS = ("2024.12", "2025.12")
DEFAULT_SPEC = SPEC_VERSIONS[-1]

AREAS = {
    "special-cases": {"category": "special-case", "default": True,
                      "about": "the 'Special cases' bullets of every elementwise function, for each floating dtype"},
    "promotion": {"category": "promotion", "default": False,
                  "about": "result dtypes of every binary function and operator for two array dtypes, an array "
                           "and a Python scalar, and 0-d with n-d arrays"},
    "operators": {"category": "operator", "default": False,
                  "about": "the array object's operators (plain, reflected, in-place, unary) against the functions "
                           "they stand for"},
    "scalars": {"category": "scalar-conversion", "default": True,
                "about": "__bool__, __int__, __float__, __complex__ and __index__ of 0-d arrays"},
    "names": {"category": "name", "default": True,
              "about": "every function, constant, array method and attribute, and info method the standard "
                       "names, with its parameters' kinds"},
}
CATEGORIES = tuple(a["category"] for a in AREAS.values())
#: The areas every full run checks. ``promotion`` and ``operators`` run when named (``--ops
#: conformance/promotion``, ``conformance/*``): torch's, JAX's and Dask's gaps there are not declared
#: yet (thousands of torch's come from its uint16/32/64 "shell" dtypes), and JAX compiles every dtype
#: pair (about 40 s per run).
DEFAULT_AREAS = tuple(a for a, about in AREAS.items() if about["default"])


@dataclass(frozen=True)
class Gap:
    """A declared departure from the standard: ``rule`` is a fragment of the rule (or its sentence).

    ``where`` bounds a gap by its inputs instead: "subnormal" covers a violation only when every
    input that breaks the rule has a subnormal operand (flush to zero); such a gap may name every
    function ("*") and any rule ("")."""

    backend: str
    area: str
    function: str
    rule: str
    reason: str
    link: str | None = None
    dtypes: tuple[str, ...] = ()
    surface: str | None = None  # None: both surfaces
    where: str | None = None

    def __post_init__(self):
        if self.area not in AREAS:
            raise ValueError(f"gap {self.function!r}: unknown area {self.area!r}")
        if self.where not in (None, *WHERE):
            raise ValueError(f"gap {self.function!r}: unknown where={self.where!r} (known: {', '.join(WHERE)})")
        if not self.reason.strip() or (self.where is None and (not self.rule.strip() or self.function == "*")):
            raise ValueError(f"gap {self.function!r}: a gap names its function, a fragment of its rule and a reason "
                             f"(or bounds its inputs with where=)")

    def covers(self, function: str, rule: str, sentence: str | None, dtype: str | None, tags=()) -> bool:
        """Whether the gap covers a violation of ``rule`` (``tags``: what its failing inputs have in
        common; None asks whether the gap is about that rule at all, for staleness)."""
        if self.function not in ("*", function) or (self.dtypes and dtype not in self.dtypes):
            return False
        if tags is not None and self.where is not None and self.where not in tags:
            return False
        return self.rule in rule or (sentence is not None and self.rule in sentence)


def _gaps(backends, area, rules: dict[str, tuple[str, ...]], reason: str, link: str | None = None,
          surface: str | None = None, dtypes: tuple[str, ...] = ()) -> list[Gap]:
    """One gap per backend, function and rule fragment: the same departure of several libraries."""
    return [Gap(b, area, f, r, reason, link, dtypes, surface) for b in backends for f, rs in rules.items() for r in rs]


NUMPY_LIKE = ("numpy", "array_api_strict", "dask", "torch")  # NumPy's algorithms (torch: the same npymath formulas)
COMPLEX = ("complex64", "complex128")

GAPS: list[Gap] = [
    # ---- special cases: where NumPy itself departs (and the libraries computing as it does)
    *_gaps(NUMPY_LIKE, "special-cases", {"expm1": (
        "If ``a`` is ``+infinity`` and ``b`` is ``+0``",
        "If ``a`` is ``NaN`` and ``b`` is ``+0``",
        "If ``a`` is ``+infinity`` and ``b`` is ``+infinity``",
        "If ``a`` is ``+infinity`` and ``b`` is ``NaN``",
        "If ``a`` is ``-infinity`` and ``b`` is ``+infinity``",
        "If ``a`` is ``-infinity`` and ``b`` is ``NaN``",
        "If ``a`` is ``-infinity`` and ``b`` is a finite number")},
        reason="complex expm1 is computed by parts (expm1(a)cos(b) - 2sin^2(b/2), exp(a)sin(b)) without C99's special "
               "cases: inf * 0 gives NaN where the standard wants 0 j, and -inf + finite b gives -1 + 2^-p, not -1",
        dtypes=COMPLEX),
    *_gaps(("jax",), "special-cases", {"expm1": (
        "If ``a`` is ``+infinity`` and ``b`` is ``+infinity``",
        "If ``a`` is ``+infinity`` and ``b`` is ``NaN``",
        "If ``a`` is ``-infinity`` and ``b`` is ``+infinity``",
        "If ``a`` is ``-infinity`` and ``b`` is ``NaN``")},
        reason="complex expm1 (XLA: exp(z) - 1 by parts) has no C99 special cases for infinite or NaN parts",
        dtypes=COMPLEX),
    *_gaps((*NUMPY_LIKE, "jax"), "special-cases", {"tanh": (
        "If ``a`` is ``+infinity`` and ``b`` is a positive (i.e., greater than ``0``) finite number",)},
        reason="C99 Annex G gives ctanh(+inf + iy) = 1 + i0*sin(2y): the imaginary zero takes the sign of sin(2y) "
               "(-0 for y = 2); the standard writes 1 + 0j", dtypes=COMPLEX),
    *_gaps(("numpy", "dask"), "special-cases", {"sign": ("If ``a`` is ``NaN`` or ``b`` is ``NaN``",)},
        reason="NumPy's complex sign of a value with one infinite part is the unit vector along it (sign(nan + inf j) "
               "= 1j), before looking at the NaN part (array-api-compat's sign for Dask checks NaN first)",
        dtypes=COMPLEX, surface="native"),
    Gap("numpy", "special-cases", "sign", "If ``a`` is ``NaN`` or ``b`` is ``NaN``", dtypes=COMPLEX,
        surface="array-api", reason="the same as native NumPy: the namespace is NumPy's own"),
    *_gaps(("array_api_strict", "jax"), "special-cases", {"sign": (
        "If ``a`` is either ``-0`` or ``+0`` and ``b`` is either ``-0`` or ``+0``",)},
        reason="the complex sign of a zero returns the input zero itself, keeping the sign of its imaginary part "
               "(0 - 0j), where the standard says 0 + 0j", dtypes=COMPLEX),
    # ---- torch
    *_gaps(("torch",), "special-cases", {"acos": ("If ``a`` is either ``+0`` or ``-0`` and ``b`` is ``+0``",)},
        reason="torch's complex acos of +-0 + 0j returns pi/2 + 0j: the imaginary part loses the sign C99 gives it "
               "(pi/2 - 0j)", dtypes=("complex128",)),
    *_gaps(("torch",), "special-cases", {"add": ("If ``a`` is ``-0`` and ``c`` is ``-0``",
                                                 "Similarly, if ``b`` is ``+0`` and ``d`` is ``-0``")},
        reason="torch's vectorized complex add turns both parts NaN when one part of an operand is NaN, so the "
               "other part's signed-zero sum is lost", dtypes=COMPLEX),
    *_gaps(("torch",), "special-cases", {"log1p": (
        "If ``a`` is ``NaN`` and ``b`` is ``+infinity``",
        "If ``a`` is either ``+infinity`` or ``-infinity`` and ``b`` is ``NaN``",
        "If ``a`` is a finite number and ``b`` is ``+infinity``")},
        reason="torch's complex log1p has no special cases for infinite parts: NaN + NaN j where log|z| is +inf",
        dtypes=COMPLEX),
    *_gaps(("torch", "jax"), "special-cases", {"remainder": (
        "If ``x1_i`` is ``+0`` and ``x2_i`` is less than ``0``",
        "If ``x1_i`` is ``-0`` and ``x2_i`` is greater than ``0``")},
        reason="remainder is computed as x1 - floor(x1 / x2) * x2 (torch: fmod plus a sign fix-up), which returns the "
               "dividend's zero, not a zero with the divisor's sign", dtypes=("float32", "float64")),
    *_gaps(("torch",), "special-cases", {"equal": (
        "If ``a``, ``b``, ``c``, or ``d`` is ``NaN``",
        "If ``x1_i`` is ``+0`` and ``x2_i`` is either ``+0`` or ``-0``",
        "If ``x1_i`` is ``+infinity`` and ``x2_i`` is ``+infinity``",
        "If ``x1_i`` is ``-0`` and ``x2_i`` is either ``+0`` or ``-0``",
        "If ``x1_i`` is ``-infinity`` and ``x2_i`` is ``-infinity``",
        "If ``x1_i`` is ``NaN`` or ``x2_i`` is ``NaN``",
        "If ``x1_i`` is a finite number, ``x2_i`` is a finite number, and ``x1_i`` equals ``x2_i``")},
        reason="torch.equal is whole-array equality (one Python bool); the element-wise function is torch.eq",
        surface="native"),
    *_gaps(("torch",), "special-cases", {"sign": ("If ``x_i`` is ``NaN``",)},
        reason="torch.sign(NaN) is 0 (array-api-compat's sign returns NaN)", surface="native",
        dtypes=("float32", "float64")),
    *_gaps(("torch",), "special-cases", {"sign": (
        "If ``a`` is either ``-0`` or ``+0`` and ``b`` is either ``-0`` or ``+0``",
        "If ``a`` is ``NaN`` or ``b`` is ``NaN``")},
        reason="torch.sign refuses complex input (NotImplementedError: use torch.sgn)", surface="native",
        dtypes=COMPLEX),
    # ---- jax: XLA's complex kernels have no C99 special cases for infinite or NaN parts
    *_gaps(("jax",), "special-cases", {
        "abs": ("If ``a`` is any value (including ``NaN``) and ``b`` is either ``+infinity`` or ``-infinity``",
                "If ``a`` is either ``+infinity`` or ``-infinity`` and ``b`` is any value (including ``NaN``)"),
        "acos": ("If ``a`` is a nonzero finite number and ``b`` is ``NaN``",
                 "If ``a`` is either ``+0`` or ``-0`` and ``b`` is ``NaN``"),
        "acosh": ("If ``a`` is ``+0`` and ``b`` is ``NaN``",
                  "If ``a`` is a nonzero finite number and ``b`` is ``NaN``"),
        "asinh": ("If ``a`` is ``NaN`` and ``b`` is ``+0``",
                  "If ``a`` is ``NaN`` and ``b`` is a nonzero finite number"),
        "atanh": ("If ``a`` is ``+0`` and ``b`` is ``NaN``", "If ``a`` is ``+infinity`` and ``b`` is ``NaN``",
                  "If ``a`` is ``NaN`` and ``b`` is ``NaN``", "If ``a`` is ``NaN`` and ``b`` is a finite number",
                  "If ``a`` is a nonzero finite number and ``b`` is ``NaN``"),
        "cosh": ("If ``a`` is ``+0`` and ``b`` is ``+infinity``", "If ``a`` is ``+0`` and ``b`` is ``NaN``",
                 "If ``a`` is ``+infinity`` and ``b`` is ``+infinity``",
                 "If ``a`` is ``+infinity`` and ``b`` is ``NaN``"),
        "exp": ("If ``a`` is ``+infinity`` and ``b`` is ``+infinity``",
                "If ``a`` is ``+infinity`` and ``b`` is ``NaN``",
                "If ``a`` is ``-infinity`` and ``b`` is ``+infinity``",
                "If ``a`` is ``-infinity`` and ``b`` is ``NaN``",
                "If ``a`` is ``-infinity`` and ``b`` is a finite number"),
        "expm1": ("If ``a`` is ``-infinity`` and ``b`` is a finite number",),
        "log": ("If ``a`` is ``NaN`` and ``b`` is ``+infinity``",
                "If ``a`` is either ``+infinity`` or ``-infinity`` and ``b`` is ``NaN``"),
        "log1p": ("If ``a`` is ``NaN`` and ``b`` is ``+infinity``",
                  "If ``a`` is either ``+infinity`` or ``-infinity`` and ``b`` is ``NaN``"),
        "sinh": ("If ``a`` is ``+0`` and ``b`` is ``+infinity``", "If ``a`` is ``+0`` and ``b`` is ``NaN``",
                 "If ``a`` is ``+infinity`` and ``b`` is ``+infinity``",
                 "If ``a`` is ``+infinity`` and ``b`` is ``NaN``"),
        "sqrt": ("If ``a`` is ``+infinity`` and ``b`` is ``NaN``", "If ``a`` is ``-infinity`` and ``b`` is ``NaN``"),
        "tanh": ("If ``a`` is ``+0`` and ``b`` is ``+infinity``", "If ``a`` is ``+0`` and ``b`` is ``NaN``"),
    }, reason="XLA's complex kernels compute by real formulas without C99 Annex G's special cases: a NaN or "
              "infinite part makes both parts NaN (abs(inf + nan j) is NaN, not +inf)", dtypes=COMPLEX),
    *_gaps(("jax",), "special-cases", {"floor_divide": (
        "If ``x1_i`` is ``-0`` and ``x2_i`` is greater than ``0``",
        "If ``x1_i`` is ``-0`` and ``x2_i`` is less than ``0``",
        "If ``x1_i`` is a negative (i.e., less than ``0``) finite number and ``x2_i`` is ``-infinity``",
        "If ``x1_i`` and ``x2_i`` have the same mathematical sign and are both nonzero finite numbers")},
        reason="jnp.floor_divide of floats is floor(x1 / x2) with a sign fix-up that returns +0 for -0 // 2 and "
               "-0 for -0 // -2 and for -0.5 // -inf (the standard: the sign of the quotient)",
        dtypes=("float32", "float64")),
    # ---- names and signatures
    *_gaps(("numpy",), "names", {"sort": ("keyword-only parameter 'descending'",),
                                 "argsort": ("keyword-only parameter 'descending'",),
                                 "fft.fftfreq": ("keyword-only parameter 'dtype'",),
                                 "fft.rfftfreq": ("keyword-only parameter 'dtype'",)},
        reason="NumPy 2 has not taken up these keywords of the standard (sort/argsort descending=, fftfreq dtype=); "
               "array-api-compat adds them"),
    *_gaps(("numpy", "jax"), "names", {"info.devices": ("returns a tuple",)},
        reason="__array_namespace_info__().devices() returns a list; 2025.12 asks for a tuple (2024.12: a list)"),
    *_gaps(("torch",), "names", {"array.size": ("is a property, not a method", "is a Python int")},
        reason="Tensor.size is a method returning torch.Size (the number of elements is Tensor.numel())"),
    *_gaps(("torch",), "names", {"array.__array_namespace__": ("exists",), "array.to_device": ("exists",)},
        reason="torch.Tensor has no __array_namespace__ and no to_device (its namespace is had through "
               "array-api-compat, devices through Tensor.to)"),
    *_gaps(("torch",), "names", {f: ("exists",) for f in (
        "__array_namespace_info__", "astype", "bitwise_invert", "broadcast_arrays", "cumulative_prod", "cumulative_sum",
        "expand_dims", "isdtype", "linalg.matrix_transpose", "linalg.outer", "linalg.tensordot", "linalg.trace",
        "matrix_transpose", "permute_dims", "repeat", "take_along_axis", "unique_all", "unique_counts",
        "unique_inverse", "unique_values", "unstack", "vecdot")},
        reason="torch's own namespace spells these otherwise (Tensor.to, bitwise_not, cumsum, unsqueeze, permute, "
               "repeat_interleave, unique(...)) or lacks them; array-api-compat's torch namespace has them",
        surface="native"),
    Gap("torch", "names", "tensordot", "keyword-only parameter 'axes'", surface="native",
        reason="torch.tensordot names the parameter dims"),
    *_gaps(("dask",), "names", {f: ("exists",) for f in (
        "__array_namespace_info__", "acos", "acosh", "argsort", "asin", "asinh", "astype", "atan", "atan2", "atanh",
        "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift", "can_cast", "concat", "cumulative_prod",
        "cumulative_sum", "finfo", "iinfo", "isdtype", "linalg.diagonal", "linalg.matmul", "linalg.matrix_norm",
        "linalg.matrix_rank", "linalg.matrix_transpose", "linalg.outer", "linalg.svdvals", "linalg.tensordot",
        "linalg.trace", "linalg.vecdot", "linalg.vector_norm", "matrix_transpose", "permute_dims", "pow", "sort",
        "unique_all", "unique_counts", "unique_inverse", "unique_values", "unstack", "vecdot")},
        reason="dask.array follows NumPy 1's names (arccos, concatenate, power, transpose, invert, left_shift) and "
               "lacks sort/argsort and the unique_* family; array-api-compat's dask namespace supplies most",
        surface="native"),
    *_gaps(("dask",), "names", {f: ("exists",) for f in (
        "broadcast_shapes", "from_dlpack", "take_along_axis", "linalg.cross", "linalg.det", "linalg.eig",
        "linalg.eigh", "linalg.eigvals", "linalg.eigvalsh", "linalg.matrix_power", "linalg.pinv", "linalg.slogdet")},
        reason="neither dask.array nor array-api-compat's wrapper of it has these (no chunked eigen-decompositions, "
               "determinants, inverses or DLPack import)"),
    *_gaps(("dask",), "names", {f: ("exists",) for f in (
        "array.device", "array.mT", "array.__array_namespace__", "array.__dlpack__", "array.__dlpack_device__",
        "array.to_device")},
        reason="dask.array.Array has no device, mT, DLPack export or namespace attribute (array-api-compat adds "
               "functions, not array attributes)"),
    *_gaps(("dask",), "names", {
        **{f: ("keyword-only parameter 'device'",) for f in (
            "arange", "empty_like", "eye", "full_like", "linspace", "ones_like", "zeros_like", "fft.fftfreq",
            "fft.rfftfreq")},
        "fft.fftfreq": ("keyword-only parameter 'device'", "keyword-only parameter 'dtype'"),
        "fft.rfftfreq": ("keyword-only parameter 'device'", "keyword-only parameter 'dtype'"),
        "count_nonzero": ("keyword-only parameter 'keepdims'",), "linalg.cholesky": ("keyword-only parameter 'upper'",),
        "linalg.qr": ("keyword-only parameter 'mode'",), "reshape": ("keyword-only parameter 'copy'",),
        "std": ("keyword-only parameter 'correction'",), "var": ("keyword-only parameter 'correction'",)},
        reason="dask.array's own functions take NumPy 1's keywords: no device=, copy=, correction= (ddof), upper=, "
               "mode=; array-api-compat's wrappers accept them", surface="native"),
    # ---- scalar conversion
    *_gaps(("numpy", "array_api_strict", "torch", "jax", "dask"), "scalars", {"__complex__": (
        "If ``self`` is ``NaN``, the result is ``NaN + NaN j``",)}, dtypes=("float32", "float64"),
        reason="complex() of a real NaN is complex(nan, 0.0), as Python's complex(float('nan')) is; the standard's "
               "bullet asks for NaN + NaN j (arguably a slip of the standard: every library tested does the same)"),
    *_gaps(("torch",), "scalars", {"__float__": ("complex floating-point data type, the function must raise",),
                                   "__int__": ("complex floating-point data type, the function must raise",)},
        dtypes=COMPLEX, reason="float()/int() of a complex tensor take the real part (or raise RuntimeError for "
                               "inf/NaN), where the standard asks for TypeError"),
    *_gaps(("torch",), "scalars", {"__bool__": ("a Python ``bool`` object representing",),
                                   "__int__": ("a Python ``int`` object representing",),
                                   "__index__": ("a Python ``int`` object representing",)},
        dtypes=("uint64",), reason="torch converts through int64: a uint64 above 2**63 - 1 raises RuntimeError "
                                   "(value cannot be converted to type int64_t without overflow)"),
    Gap("jax", "special-cases", "*", "", where="subnormal", dtypes=("float32", "float64", *COMPLEX),
        reason="XLA on CPU flushes subnormal inputs to zero (the standard's rules for nonzero finite numbers then "
               "see a zero)"),
]


def gaps_for(backend: str, area: str, surface: str) -> list[Gap]:
    return [g for g in GAPS if g.backend == backend and g.area == area and g.surface in (None, surface)]
