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
#: What a gap's ``where=`` may require of every input that breaks a rule, as the area module observed
#: it (a ``Check``'s ``tags``): properties of the failing inputs and outcomes, never of names alone.
WHERE = {"subnormal": "an operand (or a part of one), or the required result, is subnormal: flushed to zero",
         "raises": "the call raised an error (a refusal: a wrong result is not covered)",
         "refuses mixed dtypes": "the call raised an error on two arrays of different dtypes",
         "unimplemented:<dtype>": "the call raised the library's error that it has no kernel (or promotion) for "
                                  "<dtype>, an operand's dtype ('not implemented for 'UInt16'')",
         "0-d ignored": "the result has the n-d operand's dtype (a comparison: the values computed in it): a 0-d "
                        "operand's wider dtype took no part",
         "widened": "the result has the required kind (signed, unsigned integer) at a larger size",
         "swapped": "every failing element equals the function with its operands swapped (x2 + x1 for x1 + x2)",
         "ulp": "every failing element is finite and within 2 ulp of the required value (another rounding)",
         "reciprocal": "a reflected division equals multiply(x1, reciprocal(x2)) computed by the library"}
#: The standard's versions a run can check against (``--spec``); the newest is the default.
SPEC_VERSIONS = ("2024.12", "2025.12")
DEFAULT_SPEC = SPEC_VERSIONS[-1]

AREAS = {
    "special-cases": {"category": "special-case", "default": True,
                      "about": "the 'Special cases' bullets of every elementwise function, for each floating dtype"},
    "promotion": {"category": "promotion", "default": True,
                  "about": "result dtypes of every binary function and operator, and of every function promoting "
                           "two or more arrays (where, concat, stack, tensordot, linalg.solve, ...), for two array "
                           "dtypes, an array and a Python scalar, and 0-d with n-d arrays (comparisons: values)"},
    "operators": {"category": "operator", "default": True,
                  "about": "the array object's operators (plain, reflected, in-place, unary) against the functions "
                           "they stand for"},
    "scalars": {"category": "scalar-conversion", "default": True,
                "about": "__bool__, __int__, __float__, __complex__ and __index__ of 0-d arrays"},
    "names": {"category": "name", "default": True,
              "about": "every function, constant, array method and attribute, and info method the standard "
                       "names, with its parameters' kinds"},
    "statistical": {"category": "statistical", "default": True,
                    "about": "the 'Special cases' bullets of the statistical functions (empty reductions, NaN "
                             "propagation, corrections)"},
    "indexing": {"category": "indexing", "default": True,
                 "about": "__getitem__ and __setitem__ with integers, slices, ellipsis, None, boolean masks and "
                          "integer arrays, as far as the version requires them"},
    "devices": {"category": "device", "default": True,
                "about": "device= of every creation function, the .device of results, to_device, and the info "
                         "object's devices"},
    "copy": {"category": "copy", "default": True,
             "about": "copy=True/False/None of asarray, astype and reshape, checked by aliasing"},
    "data-types": {"category": "data-type-function", "default": True,
                   "about": "finfo, iinfo, isdtype, can_cast and result_type: their results, fields and the "
                            "arguments they accept"},
    "results": {"category": "result", "default": True,
                "about": "the result dtype, and the kind of container, of every function the promotion area does "
                         "not cover, as its Returns section states"},
    "dlpack": {"category": "dlpack", "default": True,
               "about": "__dlpack__ (max_version, copy, dl_device), __dlpack_device__ and from_dlpack (device, "
                        "copy)"},
}
CATEGORIES = tuple(a["category"] for a in AREAS.values())
#: The areas every full run checks (all of them: an area joins once every built-in backend's gaps in it
#: are declared and it runs in seconds); others run when named (``--ops conformance/<area>``).
DEFAULT_AREAS = tuple(a for a, about in AREAS.items() if about["default"])


@dataclass(frozen=True)
class Gap:
    """A declared departure from the standard: ``rule`` is a fragment of the rule (or its sentence).

    ``where`` bounds a gap by its inputs and outcomes instead (:data:`WHERE`): "subnormal" covers a
    violation only when every input that breaks the rule has a subnormal operand (flush to zero),
    "unimplemented:uint16" only a call that raised the library's "not implemented for 'UInt16'"; such
    a gap may name every function ("*") and any rule ("")."""

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
        kind, _, dtype = (self.where or "").partition(":")
        known = f"{kind}:<dtype>" in WHERE and dtype.isalnum() if dtype else self.where in WHERE
        if self.where is not None and not known:
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
    *[Gap(b, "special-cases", "floor_divide", "In the remaining cases, where neither", where="ulp", dtypes=("float64",),
          reason="floor_divide floors (x1 - fmod(x1, x2)) / x2 computed in rounding steps: past 2**53 that quotient "
                 "can round above the exact one (9007199254740991 // 0.75 gives 12009599006321322; the exact quotient "
                 "is 12009599006321321.33, so the standard wants 12009599006321320)") for b in NUMPY_LIKE],
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
        "If ``x1_i`` is a finite number, ``x2_i`` is a finite number, and ``x1_i`` equals ``x2_i``",
        "In the remaining cases, the result is ``False``", "In the remaining cases, the result is the logical AND")},
        reason="torch.equal is whole-array equality (one Python bool); the element-wise function is torch.eq",
        surface="native"),
    *_gaps(("torch",), "special-cases", {"remainder": ("In the remaining cases, the result must match",)},
        reason="torch.remainder returns a zero with the dividend's sign where Python's % gives the divisor's (0.25 % "
               "-0.25: 0.0, Python -0.0), and NaN where x1 / x2 overflows (max % 0.25, 1e300 % 1e-10; Python: 0.0, "
               "5.5e-11)", dtypes=("float32", "float64")),
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
    *_gaps(("jax",), "special-cases", {"floor_divide": ("In the remaining cases, where neither",)},
        reason="jnp.floor_divide's sign fix-up gives -0 for -0.25 // -0.5 (the floor of +0.5 is +0); past 2**53 the "
               "rounded quotient can exceed the exact one (2**53 - 1 // 0.75 gives 12009599006321322, the standard "
               "12009599006321320); subnormal operands are flushed", dtypes=("float32", "float64")),
    *_gaps(("jax",), "special-cases", {"remainder": ("In the remaining cases, the result must match",)},
        reason="jnp.remainder is XLA's rem (C fmod) plus x2 where the signs differ: an exact multiple gives a zero "
               "with the dividend's sign (0.25 % -0.25: +0, Python -0.0); subnormal operands are flushed",
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
    Gap("array_api_strict", "names", "info.devices", "returns a list",
        reason="__array_namespace_info__().devices() returns a tuple, as 2025.12 asks (2024.12 asked for a list)"),
    *_gaps(("torch", "dask"), "names", {"info.devices": ("returns a list",)}, surface="array-api",
        reason="array-api-compat's info object returns a tuple from devices(), as 2025.12 asks (2024.12 asked for "
               "a list)"),
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
    # ---- promotion
    *[Gap("torch", "promotion", "*", "", where=f"unimplemented:{d}",
          reason="torch's uint16, uint32 and uint64 are 'shell' dtypes (tensors hold them, few kernels exist): add, "
                 "comparisons, shifts, floor_divide, pow, matmul raise NotImplementedError (\"add_stub\" not "
                 "implemented for 'UInt16'), and any mix with another dtype raises RuntimeError (Promotion for "
                 "uint16, uint32, uint64 types is not supported)") for d in ("uint16", "uint32", "uint64")],
    Gap("torch", "promotion", "*", "", where="0-d ignored",
        reason="torch promotes by category: a 0-d operand of the n-d operand's category (integer, floating, complex) "
               "takes no part, so int8 n-d + int16 0-d gives int8 and float32 n-d + float64 0-d gives float32 (the "
               "standard and NumPy 2: int16, float64), and int8 [-1, 0, 1] > int16 32767 compares in int8 (32767 "
               "wraps to -1); array-api-compat wraps most functions, not the operators"),
    *[Gap("torch", "promotion", f, "", where="refuses mixed dtypes",
          surface="native" if f in ("matmul", "linalg.matmul") else None,
          reason="torch.matmul (torch.linalg.matmul) and @ take one dtype: two of them raise RuntimeError (expected m1 "
                 "and m2 to have the same dtype); array-api-compat's matmul promotes first, the operators stay torch's")
      for f in ("matmul", "linalg.matmul", "__matmul__", "__rmatmul__", "__imatmul__")],
    *[Gap("torch", "promotion", f, "", where="refuses mixed dtypes", surface="native",
          reason="these torch functions take one dtype: two of them raise RuntimeError (linalg.cross: expected scalar "
                 "type Char but found Short; tensordot: both inputs should have same dtype; linalg.solve, "
                 "linalg.vecdot: Expected A and B (x and y) to have the same dtype); array-api-compat's wrappers "
                 "promote first") for f in ("linalg.cross", "linalg.solve", "linalg.vecdot", "tensordot")],
    *_gaps(("torch",), "promotion", {f: ("Python",) for f in (
        "atan2", "copysign", "greater", "greater_equal", "hypot", "less", "less_equal", "logaddexp", "logical_and",
        "logical_or", "logical_xor", "maximum", "minimum", "nextafter", "not_equal")}, surface="native",
        reason="these torch functions take tensors only: a Python scalar operand raises TypeError (argument 'other' "
               "must be Tensor, not int); array-api-compat's wrappers accept scalars"),
    Gap("torch", "promotion", "equal", "-> bool", surface="native",
        reason="torch.equal is whole-array equality (one Python bool, TypeError for a scalar); the element-wise "
               "function is torch.eq"),
    *[Gap("jax", "promotion", f, "0-d -> ", where="0-d ignored",
          reason="jnp.power with a concrete integer 0-d exponent takes lax.integer_pow, which keeps the "
                 "base's dtype: int8 array ** int16 0-d array gives int8 (the exponent is treated as a Python int)")
      for f in ("pow", "__pow__")],
    *[Gap("dask", "promotion", f, "", where="widened", surface="array-api" if f.startswith("linalg.") else None,
          reason="dask.array's matmul and tensordot sum per-chunk products with NumPy's sum, whose accumulator for "
                 "integers narrower than 64 bits is int64 (uint64): int8 @ int8 and tensordot of two int8 arrays over "
                 "a split axis are int64, graph and result (array-api-compat's linalg.matmul, linalg.tensordot: the "
                 "same)") for f in ("matmul", "__matmul__", "__rmatmul__", "__imatmul__", "tensordot", "linalg.matmul",
                                    "linalg.tensordot")],
    # ---- operators
    Gap("torch", "operators", "__eq__", "equals equal", surface="native",
        reason="torch.equal is whole-array equality (one Python bool): Tensor.__eq__ is element-wise (torch.eq), "
               "as the standard's equal is, so the operator cannot equal the function"),
    Gap("torch", "operators", "__radd__", "equals add", where="swapped", dtypes=COMPLEX,
        reason="Tensor.__radd__(x2, x1) computes add(x2, x1), and torch's complex add is not symmetric in signed "
               "zeros and non-finite parts: (-0-0j) + (-0+0j) is -0+0j, reversed 0+0j; (nan-inf j) + (-0-inf j) "
               "is nan-inf j, reversed nan+nan j"),
    Gap("torch", "operators", "__rtruediv__", "equals divide", where="ulp",
        dtypes=("int8", "int16", "int32", "int64", "float32", "float64"),
        reason="Tensor.__rtruediv__ is self.reciprocal() * other, two roundings: 5 / -3 gives -1.6666667461395264 "
               "(float32) where divide gives -1.6666666269302368"),
    Gap("torch", "operators", "__rtruediv__", "equals divide", where="reciprocal", dtypes=COMPLEX,
        reason="Tensor.__rtruediv__ is self.reciprocal() * other: the reciprocal of a zero or infinite complex "
               "divisor has NaN parts, so (-0+1.5j) / (-0-0j) is nan+nan j where divide gives nan+inf j"),
    # ---- statistical
    *_gaps(("numpy", "array_api_strict", "torch"), "statistical", {f: ("- correction`` is less than or equal to ``0``",)
                                                                   for f in ("std", "var")},
        reason="the divisor is clamped to max(M - correction, 0), so a nonzero sum of squares over it gives inf "
               "(var([1, 2], correction=2) is inf); only equal values (0 / 0) give the NaN the standard asks for",
        dtypes=("float32", "float64")),
    *_gaps(("dask",), "statistical", {f: ("- correction`` is less than or equal to ``0``",) for f in ("std", "var")},
        reason="dask's var divides by M - correction: exactly 0 gives inf for a nonzero sum of squares "
               "(var([1, 2], correction=2) is inf; below 0 it is NaN)", dtypes=("float32", "float64"),
        surface="array-api"),
    *_gaps(("torch",), "statistical", {"std": ("degrees of freedom adjustment",)},
        reason="array-api-compat's torch std refuses a float correction (NotImplementedError: float correction in "
               "torch std() is not yet supported); the standard allows Union[int, float]",
        dtypes=("float32", "float64"), surface="array-api"),
    # ---- indexing
    *[Gap("torch", "indexing", "__setitem__", "every dtype", where=f"unimplemented:{d}",
          reason="torch's uint16, uint32 and uint64 have no masked_fill kernel: assigning through a boolean mask "
                 "raises NotImplementedError (\"masked_fill\" not implemented for 'UInt16'); other assignments work")
      for d in ("uint16", "uint32", "uint64")],
    *[Gap("dask", "indexing", f, "mask", where="raises", surface="array-api",
          reason="array-api-compat's Dask namespace declares capabilities()['boolean indexing'] = True, but "
                 "dask.array takes only a 1-d mask or one of the array's full shape (NotImplementedError: Slicing "
                 "with dask.array of bools only permitted when the indexer has only one dimension or when it has "
                 "the same dimension as the sliced array), a 0-d mask not at all, and masked assignment fails to "
                 "broadcast (ValueError)") for f in ("__getitem__", "__setitem__")],
    *_gaps(("numpy",), "indexing", {"__getitem__": ("single value, 0-d array", "rank 0 with () and ...")},
        reason="an index that selects one element (x1[2], x2[1, -1], x2[asarray(1), asarray(2)]) and x0[()] of a 0-d "
               "array return a NumPy scalar (numpy.int32, numpy.float64), not a 0-d ndarray; x0[...] is a 0-d array"),
    Gap("array_api_strict", "indexing", "__getitem__", "slice, bounds in the required ranges",
        reason="a negative-step slice whose stop is -n-1 (x1[4:-6:-1], x1[:-6:-2] on 5 elements) raises IndexError "
               "('stop=-6 ... should be between -5 and 4'): strict checks stops against [-n, n-1] for every step, "
               "where the standard requires -n - 1 <= j <= max(0, n - 1) for k < 0"),
    *_gaps(("torch",), "indexing", {
        "__getitem__": ("slice, steps", "slice, negative step, start omitted", "slice, negative step, stop omitted",
                        "slice, start equals stop", "slice, bounds in the required ranges"),
        "__setitem__": ("slice, negative step",)},
        reason="tensors have no negative slice steps: x1[::-1], x1[4:0:-2], x1[2:2:-1] and x1[::-2] = 9 raise "
               "ValueError: step must be greater than zero (torch.flip is torch's way)"),
    Gap("torch", "indexing", "__getitem__", "more than one ellipsis",
        reason="a second ellipsis is accepted, not refused with IndexError: x3[..., 1, ...] returns x3[:, :, 1] and "
               "x1[..., ...] returns x1"),
    Gap("torch", "indexing", "__getitem__", "mask, dimension of size 0",
        reason="a boolean mask with a dimension of size 0 where the array's is not (x1[asarray([], dtype=bool)] on 5 "
               "elements) raises IndexError ('The shape of the mask [0] at index 0 does not match'); the standard "
               "admits such a mask ('or be 0') and NumPy 2 returns an empty result"),
    Gap("jax", "indexing", "__setitem__", "item assignment", link="https://github.com/data-apis/array-api/issues/845",
        reason="JAX arrays are immutable: x[key] = value raises TypeError ('JAX arrays are immutable and do not "
               "support in-place item assignment'; x.at[key].set(value) returns a new array instead). The standard "
               "includes item and slice assignment (design topic 'Copy-view behavior and mutability') with no "
               "exemption"),
    *_gaps(("jax", "dask"), "indexing", {"__getitem__": ("integer index, operator.index object",)},
        reason="an index object that only has __index__ (not an int or a NumPy integer) is refused: jax raises "
               "IndexError ('only integers, slices ... are valid indices'), dask.array TypeError ('>=' not supported "
               "between instances of 'Index' and 'int')"),
    Gap("dask", "indexing", "__getitem__", "more than one ellipsis",
        reason="a second ellipsis raises TypeError ('>=' not supported between instances of 'ellipsis' and 'int') "
               "from dask.array's slicing code, not IndexError"),
    *_gaps(("dask",), "indexing", {"__getitem__": (
        "integer arrays, one per axis", "integer arrays, negative elements", "integer arrays, duplicates",
        "integer arrays, broadcast", "integer arrays, gather", "integer arrays, result shape")},
        reason="dask.array indexes with one integer array of at most one dimension (as an orthogonal index): integer "
               "arrays on two or more axes raise NotImplementedError ('Don't yet support nd fancy indexing') and a 2-d "
               "one NotImplementedError ('only permitted when the indexer has zero or one dimensions')"),
    # ---- devices
    Gap("array_api_strict", "devices", "info.default_dtypes", "'indexing' is the dtype argmax(x) has on d "
        "[d=Device('no_x64')]", reason="default_dtypes(device=no_x64)['indexing'] is int32, but argmax (and argmin, "
        "argsort, count_nonzero, nonzero, searchsorted, unique_*) compute in NumPy's int64, which the no_x64 device "
        "refuses: ValueError 'Device no_x64 does not support dtype=int64'"),
    *_gaps(("dask",), "devices", {f: ("device=d places the result on d [d=DASK_DEVICE]",)
                                  for f in ("fft.fftfreq", "fft.rfftfreq")}, surface="array-api",
        reason="array-api-compat's shared fftfreq/rfftfreq accept only device 'cpu' or None and raise ValueError "
               "'Unsupported device DASK_DEVICE' for the device its dask info object lists"),
    # ---- copy
    Gap("torch", "copy", "reshape", "copy=", surface="native",
        reason="torch.reshape has no copy keyword (TypeError: unexpected keyword argument 'copy'); array-api-compat's "
               "reshape has it"),
    Gap("dask", "copy", "reshape", "copy=", surface="native",
        reason="dask.array.reshape has no copy keyword (TypeError); array-api-compat's reshape has it"),
    Gap("dask", "copy", "asarray", "copy=", surface="native",
        reason="dask.array.asarray passes copy= on to from_array, which refuses it (TypeError) for NumPy arrays, lists "
               "and scalars; for a dask array it ignores copy=: copy=True returns the input array itself, and a dtype "
               "change with copy=False converts instead of raising ValueError"),
    *_gaps(("jax",), "copy", {"asarray": (
        "copy=False: a NumPy array (buffer protocol)", "copy=False: a NumPy array, with a dtype change",
        "copy=False: an array of the library, with a dtype change", "copy=False: a nested Python list",
        "copy=False: a Python scalar")},
        reason="jnp.asarray(copy=False) copies where it must raise ValueError: a NumPy array is copied onto the device "
               "(a later write to it is not seen), and lists, scalars and dtype changes are converted"),
    # ---- data-types
    *_gaps(("numpy", "jax", "dask"), "data-types", {"finfo": (": float",)}, dtypes=("float32", "complex64"),
        reason="finfo's eps, max, min and smallest_normal are NumPy scalars of the (component) dtype: np.float32 for "
               "float32 and complex64 is no Python float (float64's np.float64 subclasses float; jnp.finfo is "
               "ml_dtypes' subclass of NumPy's finfo, and array-api-compat's dask finfo returns NumPy's)"),
    *_gaps(("numpy",), "data-types", {"finfo": ("accepts an array",), "iinfo": ("accepts an array",)},
        reason="np.finfo(x) and np.iinfo(x) of an array raise ValueError: they take a dtype or scalar type, and an "
               "array becomes dtype('O') (\"data type <class 'numpy.object_'> not inexact\", \"Invalid integer data "
               "type 'O'\"); array-api-compat's numpy namespace re-exports them"),
    *_gaps(("torch",), "data-types", {"finfo": (".dtype: the dtype object",), "iinfo": (".dtype: the dtype object",)},
        reason="torch.finfo(...).dtype and torch.iinfo(...).dtype are strings ('float32', 'int8'), not torch.dtype "
               "objects; array-api-compat returns torch's finfo/iinfo objects"),
    *_gaps(("torch",), "data-types", {"finfo": ("accepts an array",), "iinfo": ("accepts an array",)},
        surface="native", reason="torch.finfo and torch.iinfo take a torch.dtype only: a tensor raises TypeError "
                                 "(argument 'type' must be torch.dtype, not Tensor); array-api-compat's take both"),
    Gap("torch", "data-types", "can_cast", " array, ", where="raises", surface="native",
        reason="torch.can_cast takes dtypes only: a tensor as from_ raises TypeError (argument 'from_' must be "
               "torch.dtype, not Tensor)"),
    Gap("torch", "data-types", "can_cast", "is False",
        reason="torch.can_cast allows same-kind casts: narrowing ones within integers (int16 -> int8, int8 -> uint8, "
               "uint64 -> uint8) and floating point (float64 -> float32, float64 -> complex64, complex128 -> "
               "complex64) give True where promotion gives the wider dtype (complex -> real is False); "
               "array-api-compat's can_cast calls it with the array's dtype"),
    Gap("torch", "data-types", "result_type", "", where="raises", surface="native",
        reason="torch.result_type takes exactly two tensors or numbers: a dtype argument, one argument or three raise "
               "TypeError (invalid combination of arguments), as do pairs of uint16/uint32/uint64 tensors with "
               "another dtype (RuntimeError: Promotion for uint16, uint32, uint64 types is not supported)"),
    *[Gap("torch", "data-types", "result_type", "", where=f"unimplemented:{d}", surface="array-api",
          reason="torch's uint16, uint32 and uint64 are 'shell' dtypes: array-api-compat's result_type promotes "
                 "with torch, which raises RuntimeError (Promotion for uint16, uint32, uint64 types is not "
                 "supported) for any of them with another dtype") for d in ("uint16", "uint32", "uint64")],
    # ---- results
    *_gaps(("numpy", "array_api_strict", "torch", "dask"), "results", {
        "broadcast_arrays": ("returns a list",), "meshgrid": ("returns a list",)},
        reason="2024.12 annotates broadcast_arrays and meshgrid as -> List[array]; these return a tuple (what 2025.12 "
               "requires: Tuple[array, ...]); torch has no broadcast_arrays of its own (native: n/a)"),
    *_gaps(("jax",), "results", {"broadcast_arrays": ("returns a tuple",), "meshgrid": ("returns a tuple",)},
        reason="jnp.broadcast_arrays and jnp.meshgrid return a Python list (2025.12: Tuple[array, ...]; 2024.12's "
               "List[array] they meet)"),
    *_gaps(("numpy",), "results", {"linalg.eig": ("eigenvalues: complex", "eigenvectors: same as eigenvalues"),
                                   "linalg.eigvals": ("complex floating-point",)}, dtypes=("float32", "float64"),
        reason="np.linalg.eig and eigvals return real arrays (float32, float64) when every eigenvalue of a real input "
               "is real, complex only otherwise: the dtype depends on the values; the standard asks for complex64 / "
               "complex128 always"),
    *_gaps(("numpy",), "results", {"fft.fftfreq": ("dtype= given",), "fft.rfftfreq": ("dtype= given",)},
        reason="np.fft.fftfreq and rfftfreq take no dtype keyword (TypeError: unexpected keyword argument 'dtype'); "
               "they always return float64"),
    *_gaps(("dask",), "results", {"fft.fftfreq": ("dtype= given",), "fft.rfftfreq": ("dtype= given",)},
        surface="native", reason="dask.array.fft.fftfreq and rfftfreq take no dtype keyword (TypeError); "
                                 "array-api-compat's wrappers do"),
    # torch
    *[Gap("torch", "results", "*", "", where=f"unimplemented:{d}",
          reason="torch's uint16, uint32 and uint64 are 'shell' dtypes with few kernels: count_nonzero, nonzero, take, "
                 "take_along_axis, tril, triu, flip and linalg.cross raise NotImplementedError (\"tril\" not "
                 "implemented for 'UInt16')") for d in ("uint16", "uint32", "uint64")],
    *_gaps(("torch",), "results", {f: ("widened to the default integer",) for f in (
        "sum", "prod", "cumulative_sum", "cumulative_prod", "linalg.trace")}, dtypes=("uint8", "uint16", "uint32",
                                                                                     "uint64"),
        reason="torch accumulates every integer sum and product in int64, unsigned ones included: prod(uint8) is "
               "int64 where the standard asks for uint64 (the unsigned type of the default integer's size); native "
               "torch has no cumulative_sum/prod and its trace is torch.trace (n/a or the same)"),
    *_gaps(("torch",), "results", {"all": ("bool",), "any": ("bool",)}, dtypes=("uint8",), surface="native",
        reason="torch.all and torch.any of a uint8 tensor return uint8 (kept for backward compatibility), not bool; "
               "array-api-compat's wrappers return bool"),
    Gap("torch", "results", "flip", "same as x", surface="native",
        reason="torch.flip requires dims (TypeError: flip() missing 1 required positional arguments: \"dims\"): the "
               "standard's flip(x) reverses every axis; array-api-compat's flip has axis=None"),
    Gap("torch", "results", "sort", "same as x", surface="native",
        reason="torch.sort returns a named tuple (values, indices), not the sorted array; array-api-compat's sort "
               "returns the values"),
    Gap("torch", "results", "nonzero", "returns a tuple", surface="native",
        reason="torch.nonzero returns one 2-d tensor of index rows (as_tuple=False), not a tuple of 1-d arrays"),
    *_gaps(("torch",), "results", {
        "unique_all": ("returns a tuple", "values: same as x", "indices: the default index", "inverse_indices: the "
                       "default index", "counts: the default index")}, surface="array-api",
        reason="array-api-compat's unique_all for torch raises NotImplementedError (torch.unique returns no indices "
               "of first occurrences, pytorch/pytorch#36748)", link="https://github.com/pytorch/pytorch/issues/36748"),
    *_gaps(("torch",), "results", {f: ("same as x", "the default index dtype") for f in (
        "unique_counts", "unique_inverse", "unique_values")}, dtypes=COMPLEX, surface="array-api",
        reason="torch.unique sorts, and has no complex kernel: NotImplementedError (\"unique\" not implemented for "
               "'ComplexFloat')"),
    # jax
    Gap("jax", "results", "cumulative_prod", "widened to the default integer",
        dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
        reason="jnp.cumulative_prod keeps a narrow integer's dtype (cumulative_prod(uint8) is uint8), where "
               "jnp.cumulative_sum, sum and prod widen to the default integer's size as the standard asks"),
    *_gaps(("jax",), "results", {f: ("the default real floating-point dtype",) for f in ("mean", "std", "var")},
        dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
        reason="2024.12: an integer input's mean/std/var must have the default real floating-point dtype (float64 "
               "with x64); jnp gives float32 for integers of 32 bits or fewer (its inexact type of the same width)"),
    Gap("jax", "results", "searchsorted", "the default index dtype",
        reason="jnp.searchsorted returns int32 indices (its fixed index dtype for sorting), where default_dtypes() "
               "says int64 under jax_enable_x64"),
    # dask
    *_gaps(("dask",), "results", {f: ("complex floating-point of x's precision",) for f in (
        "fft.rfft", "fft.ihfft", "fft.rfftn")}, dtypes=("float32", "float64"),
        reason="dask.array's FFTs need the transformed axis in one chunk (ValueError: Dask array only supports taking "
               "an FFT along an axis that has a single chunk); the harness splits every axis in two chunks"),
    *_gaps(("dask",), "results", {"linalg.inv": ("promoted",)}, dtypes=("float32", "complex64"),
        reason="dask.array.linalg.inv solves against an identity built in float64 (complex128): inv(float32) is "
               "float64"),
    *_gaps(("dask",), "results", {f: ("promoted",) for f in ("tensordot", "linalg.tensordot", "linalg.matmul")},
        dtypes=("int8", "int16", "int32", "uint8", "uint16", "uint32"),
        reason="dask.array's tensordot and matmul sum per-chunk products with NumPy's sum, whose accumulator for "
               "integers narrower than 64 bits is int64 (uint64)"),
    *_gaps(("dask",), "results", {"linalg.qr": ("returns a tuple",), "linalg.svd": ("returns a tuple",)},
        reason="dask.array's qr and svd need tall-and-skinny arrays chunked along one axis (NotImplementedError), "
               "and svd has no full_matrices=True (ValueError: full_matrices=True is not supported by dask)"),
    Gap("dask", "results", "linspace", "``complex`` number",
        reason="dask.array.linspace converts start and stop with float() (TypeError: float() argument must be a "
               "string or a real number, not 'complex'): no complex linspace"),
    # ---- dlpack
    Gap("torch", "dlpack", "array.__dlpack__", "dl_device of another",
        reason="Tensor.__dlpack__(dl_device=(CUDA, 0)) on a CPU-only build tries the copy and raises "
               "NotImplementedError (aten::empty_strided has no CUDA backend) instead of BufferError"),
    Gap("jax", "dlpack", "array.__dlpack__", "dl_device of another",
        reason="jax.Array.__dlpack__(dl_device=(CUDA, 0)) without a GPU backend raises RuntimeError (Unknown backend "
               "cuda) instead of BufferError"),
    Gap("jax", "dlpack", "from_dlpack", "copy=True: a NumPy array",
        reason="jnp.from_dlpack(copy=True) of a 64-byte-aligned NumPy array imports it without a copy: a later write "
               "to the NumPy array is seen in the JAX array (an unaligned one is copied)"),
    Gap("jax", "special-cases", "*", "", where="subnormal", dtypes=("float32", "float64", *COMPLEX),
        reason="XLA on CPU flushes subnormal inputs to zero (the standard's rules for nonzero finite numbers then "
               "see a zero)"),
]


def gaps_for(backend: str, area: str, surface: str) -> list[Gap]:
    return [g for g in GAPS if g.backend == backend and g.area == area and g.surface in (None, surface)]
