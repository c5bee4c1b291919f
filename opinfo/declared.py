"""Known divergences shared by several op families, declared once.

Per-op declarations live with their op; what is a property of a backend as a
whole (PyTorch's "shell" unsigned dtypes, its lack of complex ordering) is
spelled here so every family says it the same way, with the same link.
"""

from __future__ import annotations

from opinfo.dtypes import numpy_dtype
from opinfo.promotion import (
    JAX_PROMOTION_LINK,
    TORCH_PROMOTION_LINK,
    jax_inexact,
    jax_result,
    torch_inexact,
    torch_result,
)
from opinfo.spec import BUILTIN_BACKENDS, Expected, OpInfo
from opinfo.where import (
    all_elements,
    bool_inputs,
    common_dtype_in,
    computed_in_result_dtype,
    either,
    int_out_of_range,
    integer_inputs,
    promoted_as,
    python_scalar_operand,
    refused_by,
    subnormal_involved,
)

TORCH_SHELL_UINTS = ("uint16", "uint32", "uint64")
TORCH_SHELL_UINTS_LINK = "https://github.com/pytorch/pytorch/issues/58734"
TORCH_COMPLEX_ORDER_LINK = "https://github.com/pytorch/pytorch/issues/36380"
TORCH_SCALARS_LINK = "https://github.com/pytorch/pytorch/issues/69524"


def torch_shell_uints(*dtypes: str, what: str = "", devices: tuple[str, ...] | None = None,
                      surface: str | None = None) -> Expected:
    """torch's uint16/32/64 are "shell dtypes": storage exists, most kernels do not. ``surface="native"``
    where array_api_compat.torch computes these dtypes another way (arange, eye)."""
    detail = f" ({what})" if what else ""
    return Expected("torch", "error", dtypes=dtypes or TORCH_SHELL_UINTS, devices=devices, surface=surface,
                    link=TORCH_SHELL_UINTS_LINK, match="not implemented for 'UInt",
                    reason="torch's uint16/uint32/uint64 are shell dtypes with limited operator support: the "
                           "kernel raises NotImplementedError ('... not implemented for UInt32') where NumPy "
                           f"computes{detail}.")


def torch_tensor_only(dtypes: tuple[str, ...], which: str = "either operand", *, standard: bool = False) -> Expected:
    """torch's native functions take tensors where NumPy (and, since 2024.12, the standard) take Python scalars."""
    accept = "NumPy and the Array API standard (2024.12) accept it" if standard else "NumPy accepts it"
    return Expected("torch", "error", dtypes=dtypes, link=TORCH_SCALARS_LINK, surface="native",
                    match="must be Tensor|invalid combination of arguments",
                    reason=f"torch's native function takes only tensors for {which}: a Python scalar there raises "
                           f"TypeError, where {accept}.")


# --------------------------------------------------------------------------- dask
DASK_FFT_CHUNKS_LINK = "https://github.com/dask/dask/issues/2620"

#: dask.array.fft transforms only along axes held in one chunk; the harness splits every axis in two chunks.
DASK_FFT_SINGLE_CHUNK = Expected(
    "dask", "error", link=DASK_FFT_CHUNKS_LINK, match="only supports taking an FFT along an axis",
    reason="dask.array.fft transforms only along an axis held in a single chunk and raises ValueError otherwise; "
           "the harness's arrays have two chunks per axis (users must rechunk first), NumPy has no chunks.")


# --------------------------------------------------------------------------- jax
JAX_FTZ_LINK = "https://github.com/jax-ml/jax/issues/16200"
#: The prefix of a reason whose divergence XLA's flushing of subnormals causes at least in part.
JAX_FTZ = "XLA on CPU treats subnormal inputs (and results) as zero"
JAX_COMPLEX_ABS_LINK = "https://github.com/jax-ml/jax/issues/37817"
JAX_COMPLEX_SQRT_LINK = "https://github.com/jax-ml/jax/issues/39110"


#: A Python int operand above 2**63 - 1 with a uint64 array (valid under NEP 50 and the standard).
JAX_BIG_INT = Expected(
    "jax", "error", dtypes=("uint64",), match="overflow was encountered",
    reason="A Python int operand above 2**63 - 1 with a uint64 array: NumPy (NEP 50) takes it as uint64; jax "
           "raises OverflowError while converting it for the jitted computation.")


def jax_flushes_subnormals(category: str = "special-value", dtypes: tuple[str, ...] = ("float32", "float64"),
                           what: str = "") -> Expected:
    """XLA's CPU backend runs with denormals-are-zero / flush-to-zero: subnormal inputs and results become 0."""
    detail = f" ({what})" if what else ""
    return Expected("jax", category, dtypes=dtypes, devices=("cpu",), link=JAX_FTZ_LINK,
                    where=subnormal_involved if category == "value" else None,
                    reason="XLA on CPU flushes subnormal inputs and results to zero (denormals-are-zero, working as "
                           f"intended upstream), so a subnormal is computed as 0 where NumPy keeps it{detail}.")


def jax_complex_special_values(what: str, link: str | None = None, category: str = "special-value",
                               dtypes: tuple[str, ...] = ("complex64", "complex128"), where=None) -> Expected:
    """jax.numpy's complex functions are plain formulas without C99 Annex G's special cases."""
    return Expected("jax", category, dtypes=dtypes, link=link, where=where,
                    reason="jax.numpy evaluates this complex function by its textbook formula, without the C99 "
                           f"Annex G special cases NumPy follows: {what}.")


# --------------------------------------------------------------------------- array_api_strict
def strict_real_only(op: str, dtypes: tuple[str, ...], kind: str = "real-valued",
                     raises_on_empty: bool = False) -> tuple[Expected, ...]:
    """array_api_strict enforces the standard's "should have a real-valued ... data type" with TypeError
    (``raises_on_empty``: where NumPy raises ValueError on empty input, that shows as error-type)."""
    reason = (f"The standard says {op}'s input 'should have a {kind} data type' (complex numbers have no order, or "
              "no real variance); array_api_strict enforces it with TypeError, where NumPy orders complex numbers "
              "lexicographically and computes the rest.")
    out = (Expected("array_api_strict", "error", dtypes=dtypes, match="Only real .*dtypes are allowed", reason=reason),)
    if raises_on_empty:
        out += (Expected("array_api_strict", "error-type", dtypes=dtypes, match="implementation raised TypeError",
                         reason=reason + " On empty input NumPy raises ValueError."),)
    return out


# --------------------------------------------------------------------------- backend-wide
#: Properties of a backend as a whole, declared once for every elementwise op, each bounded by an
#: input predicate. Per-op declarations come first (their reasons say more); these take the rest.
WIDE = (
    Expected("jax", "value", devices=("cpu",), link=JAX_FTZ_LINK, where=subnormal_involved, wide=True, domain="any",
             reason="XLA on CPU flushes subnormal inputs and results to zero (denormals-are-zero, working as "
                    "intended upstream): where an input or the exact result is subnormal, the result is that of 0."),
)


def wide_declarations(op: OpInfo) -> tuple[Expected, ...]:
    """The backend-wide declarations that apply to ``op``: its elementwise results, and every backend's
    own type promotion and dtype support across NumPy's domain (:func:`numpy_domain_declarations`)."""
    return (WIDE if op.elementwise else ()) + numpy_domain_declarations(op)


# --------------------------------------------------------------------------- NumPy's domain
#: Messages with which a library says it has no kernel, or no promotion, for a dtype NumPy computes on.
TORCH_DTYPE_REFUSALS = (
    r"not implemented for '(Bool|Byte|Char|Short|Int|Long|UInt16|UInt32|UInt64|Half|ComplexFloat|ComplexDouble)'"
    r"|only supports? floating[- ]point|floating point or complex|could not infer output dtype|does not support "
    r"(bool|uint)|dtype is not supported|not implemented for tensors with non-complex|not implemented for complex "
    r"tensors|must be either float or double|Promotion for uint16, uint32, uint64 types is not supported"
    r"|requires a floating point or complex dtype|doesn't handle types other than float and double"
    r"|Unknown Complex ScalarType for|expected a tensor with 2 or more dimensions of float|may not be a boolean"
    r"|bool is not supported|bool dtype is not supported")
JAX_DTYPE_REFUSALS = (r"not inexact|does not accept dtype|does not support complex input|Accepted dtypes at "
                      r"position|x.dtype=\w+ is not supported|complex x values not supported"
                      r"|Integers cannot be raised to negative powers")
STRICT_OUTSIDE_STANDARD = (r"cannot be type promoted together|dtypes are allowed"
                           r"|scalars can(not| only) be promoted with|scalars must be within the bounds"
                           r"|must be a real floating-point type")
NEP50_LINK = "https://numpy.org/neps/nep-0050-scalar-promotion.html"


def _promotion(library: str, rule, inexact, op: OpInfo, link: str, how: str) -> Expected:
    """A library's own type promotion: the result dtype its documented rules give (the values that follow
    are :func:`_computed_in_its_dtype`'s)."""
    return Expected(library, "dtype", domain="any", wide=True, link=link,
                    where=promoted_as(library, rule, inexact, op.ref),
                    reason=f"{library} promotes by its own rules where NumPy's differ: {how}")


def _computed_in_its_dtype(op: OpInfo) -> tuple[Expected, ...]:
    """Values that follow from a result dtype other than NumPy's (a dtype divergence, itself declared
    or new): NumPy computing in the library's dtype gives them (special values: their kind)."""
    out = []
    for category in ("value", "special-value"):
        values = computed_in_result_dtype(op.ref, op.ulp_allowance(numpy_dtype("float64")) or 4.0,
                                          classes=category == "special-value")
        out.append(Expected(BUILTIN_BACKENDS, category, domain="any", wide=True,
                            where=values if op.elementwise else all_elements(values),
                            reason="The library computes in another result dtype than NumPy (see the dtype "
                                   "divergence); the values are NumPy's computed in that dtype."))
    return tuple(out)


def beyond_standard(backends, category: str, reason: str, *, dtype: tuple[str, str] | None = None,
                    **fields) -> Expected:
    """A divergence on inputs only NumPy's domain has (integer or bool inputs of a floating function,
    mixed kinds): ``domain="numpy"`` unless given ("beyond": every mix, the standard's too). ``dtype``
    = (NumPy's, the library's) result dtype names, for a dtype divergence: the declaration then
    matches exactly that pair."""
    if dtype is not None:
        fields["match"] = f"reference dtype {dtype[0]}, implementation dtype {dtype[1]}$"
    fields.setdefault("domain", "numpy")
    return Expected(backends, category, reason=reason, **fields)


def numpy_domain_declarations(op: OpInfo) -> tuple[Expected, ...]:
    """What each backend does differently across NumPy's domain, for any op: its type promotion rules
    (bounded by a model of them, :mod:`opinfo.promotion`), the dtypes it has no kernels for, Python
    scalars where it takes only arrays, and NEP 50's out-of-range Python ints."""
    torch_how = ("an integer with a float computes in the float's dtype (int64 with float32 is float32), a 0-d "
                 "tensor or Python scalar counts only by category (int8 with a 0-d int64 is int8), integer inputs "
                 "of floating functions compute in float32 (its default dtype; NumPy: float16 for 8-bit, float32 "
                 "for 16-bit, float64 for wider integers).")
    jax_how = ("an integer with a float computes in the float's dtype (int64 with float32 is float32), uint64 with "
               "a signed integer is float64, and integer inputs of floating functions compute in float32 (float64 "
               "for 64-bit integers; NumPy: float16 for 8-bit, float32 for 16-bit, float64 for wider integers).")
    return (
        *_computed_in_its_dtype(op),
        _promotion("torch", torch_result, torch_inexact, op, TORCH_PROMOTION_LINK, torch_how),
        _promotion("jax", jax_result, jax_inexact, op, JAX_PROMOTION_LINK, jax_how),
        Expected("torch", "error", domain="any", wide=True, link=TORCH_SHELL_UINTS_LINK, match=TORCH_DTYPE_REFUSALS,
                 where=either(refused_by("torch", torch_result),
                              common_dtype_in("torch", torch_result, TORCH_SHELL_UINTS)),
                 reason="torch refuses to promote uint16/uint32/uint64 with other integer or bool types, and has "
                        "few kernels for them (shell dtypes) where NumPy computes."),
        Expected("jax", "error", domain="numpy", wide=True, match=JAX_DTYPE_REFUSALS,
                 reason="jax.numpy refuses a dtype NumPy converts: integer or bool input of a function it defines "
                        "for inexact types only, complex input where it has no order or no quantile."),
        Expected("jax", "dtype", domain="numpy", wide=True, where=bool_inputs, match=r"reference dtype int8, "
                 r"implementation dtype int32$",
                 reason="Arithmetic on bool arrays: NumPy computes in int8, jax.numpy promotes bool to int32."),
        Expected("torch", "error", domain="numpy", wide=True, match=TORCH_DTYPE_REFUSALS,
                 reason="torch has no kernel for this dtype (or refuses it by name) where NumPy converts and "
                        "computes: integer or bool inputs of functions torch defines for floating or complex "
                        "tensors only."),
        Expected("torch", "error", domain="any", wide=True, link=TORCH_SCALARS_LINK, where=python_scalar_operand,
                 match=r"must be Tensor, not (bool|int|float|complex)|invalid combination of arguments - got "
                       r"\((bool|int|float|complex), Tensor",
                 reason="torch's native function takes only tensors for this operand: a Python scalar there raises "
                        "TypeError, where NumPy accepts it."),
        Expected(("torch", "jax", "dask"), "accepts", domain="numpy", wide=True, link=NEP50_LINK,
                 where=int_out_of_range,
                 match=r"OverflowError: Python int(eger)? .*(out of bounds|too large)",
                 reason="A Python int outside the array's integer dtype: NumPy 2 (NEP 50) raises OverflowError, "
                        "this library wraps it into the dtype (or widens) and computes."),
        Expected(("torch", "jax", "dask"), "error-type", domain="numpy", wide=True, link=NEP50_LINK,
                 where=int_out_of_range, match=r"reference raised OverflowError",
                 reason="A Python int outside the array's integer dtype: NumPy 2 (NEP 50) raises OverflowError, "
                        "this library raises another error for it (or for the Python scalar operand)."),
        Expected(("torch", "jax"), "value", domain="numpy", wide=True, link=NEP50_LINK, where=int_out_of_range,
                 reason="A Python int outside the array's integer dtype, which NumPy compares exactly (NEP 50: no "
                        "element of an int8 array equals 300): this library wraps the int into the dtype first."),
        Expected("torch", "error-type", domain="numpy", wide=True, where=integer_inputs,
                 match=r"implementation raised (RuntimeError|NotImplementedError)",
                 reason="torch refuses the integer or bool dtype (RuntimeError, NotImplementedError) where NumPy "
                        "converts it and raises for another reason (a singular matrix, an empty input)."),
        Expected("torch", "error-type", domain="numpy", wide=True,
                 match=r"reference raised TypeError, implementation raised NotImplementedError",
                 reason="Both refuse the dtype: NumPy or SciPy has no loop for it (TypeError), torch no kernel "
                        "(NotImplementedError)."),
        Expected(("torch", "jax"), "error", domain="numpy", wide=True, link=NEP50_LINK, where=int_out_of_range,
                 match=r"OverflowError: (int too big to convert|can't convert negative int to unsigned|Python int "
                       r"-?(\d+ )?too large|value cannot be converted|An overflow was encountered while parsing an "
                       r"argument)",
                 reason="A Python int outside the array's integer dtype, which NumPy accepts here (the result is "
                        "floating): this library cannot convert the int and raises OverflowError."),
        Expected("array_api_strict", "error-type", domain="numpy", wide=True,
                 match=r"implementation raised (TypeError|ValueError)",
                 reason="Outside the standard's domain both refuse the input, for different reasons: NumPy raises "
                        "for the values (a singular matrix, an empty input, an out-of-range Python int), "
                        "array_api_strict checks the dtype first and raises TypeError (or ValueError)."),
        Expected("array_api_strict", "error", domain="numpy", wide=True, match=STRICT_OUTSIDE_STANDARD,
                 reason="Outside the standard's domain (dtypes the standard does not define the function for, "
                        "mixed kinds its promotion table leaves undefined, Python scalars of another kind or out of "
                        "range): array_api_strict refuses what the standard leaves undefined, NumPy computes."),
    )
