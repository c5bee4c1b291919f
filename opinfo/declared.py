"""Known divergences shared by several op families, declared once.

Per-op declarations live with their op; what is a property of a backend as a
whole (PyTorch's "shell" unsigned dtypes, its lack of complex ordering) is
spelled here so every family says it the same way, with the same link.
"""

from __future__ import annotations

from opinfo.spec import Expected, OpInfo
from opinfo.where import subnormal_involved

TORCH_SHELL_UINTS = ("uint16", "uint32", "uint64")
TORCH_SHELL_UINTS_LINK = "https://github.com/pytorch/pytorch/issues/58734"
TORCH_COMPLEX_ORDER_LINK = "https://github.com/pytorch/pytorch/issues/36380"
TORCH_SCALARS_LINK = "https://github.com/pytorch/pytorch/issues/69524"


def torch_shell_uints(*dtypes: str, what: str = "", devices: tuple[str, ...] | None = None) -> Expected:
    """torch's uint16/32/64 are "shell dtypes": storage exists, most kernels do not."""
    detail = f" ({what})" if what else ""
    return Expected("torch", "error", dtypes=dtypes or TORCH_SHELL_UINTS, devices=devices,
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
    Expected("jax", "value", devices=("cpu",), link=JAX_FTZ_LINK, where=subnormal_involved, wide=True,
             reason="XLA on CPU flushes subnormal inputs and results to zero (denormals-are-zero, working as "
                    "intended upstream): where an input or the exact result is subnormal, the result is that of 0."),
)


def wide_declarations(op: OpInfo) -> tuple[Expected, ...]:
    """The backend-wide declarations that apply to ``op`` (its elementwise results)."""
    return WIDE if op.elementwise else ()
