"""The dtype vocabulary shared by the registry and the engine: names, groups, NumPy dtypes, tolerances.

It sits below both layers (``opinfo`` declares ops in these words, ``parity`` runs them), so it
imports neither. bfloat16 is ml_dtypes' type: NumPy computes on it through the ufunc loops
ml_dtypes registers, but does not name it, so :func:`numpy_dtype`, :func:`dtype_kind` and
:func:`finfo` are the places that know.
"""

from __future__ import annotations

from dataclasses import dataclass

import ml_dtypes
import numpy as np

DTYPE_NAMES = (
    "bool",
    "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "float32", "float64",
    "complex64", "complex128",
    "float16", "bfloat16",
)  # fmt: skip

#: Dtypes an op may list in ``OpInfo.extra_dtypes``: run only when named with ``--dtypes``, so the
#: default sweep stays the standard's dtypes. NumPy has float16; bfloat16 is ml_dtypes' (JAX's) type.
EXTRA_DTYPES = ("float16", "bfloat16")

# The standard's dtype groups, as the registry's entries name them.
BOOL = ("bool",)
SIGNED = ("int8", "int16", "int32", "int64")
UNSIGNED = ("uint8", "uint16", "uint32", "uint64")
INTEGER = SIGNED + UNSIGNED
FLOAT = ("float32", "float64")
COMPLEX = ("complex64", "complex128")
INEXACT = FLOAT + COMPLEX
REAL = INTEGER + FLOAT
NUMERIC = REAL + COMPLEX
ALL = BOOL + NUMERIC


def floating_extras(dtypes) -> tuple[str, ...]:
    """The extra dtypes of an op defined for ``dtypes``: float16 and bfloat16 when it takes float32."""
    return EXTRA_DTYPES if "float32" in dtypes else ()


#: Floating dtypes NumPy computes on but does not define (ml_dtypes registers their ufunc loops).
ML_FLOATS = frozenset({np.dtype(ml_dtypes.bfloat16)})


def numpy_dtype(name) -> np.dtype:
    """The NumPy dtype for a dtype name (or dtype): "bfloat16" is ``ml_dtypes.bfloat16``, which NumPy
    computes on through the ufunc loops ml_dtypes registers (NumPy itself has no bfloat16)."""
    return np.dtype(ml_dtypes.bfloat16) if isinstance(name, str) and name == "bfloat16" else np.dtype(name)


def dtype_kind(dtype) -> str:
    """NumPy's kind letter, with ml_dtypes' bfloat16 (kind 'V' to NumPy) counted as a float: 'f'."""
    dt = np.dtype(dtype)
    return "f" if dt in ML_FLOATS else dt.kind


def finfo(dtype):
    """np.finfo, which also knows bfloat16 (ml_dtypes.finfo; NumPy's own is used for NumPy's floats)."""
    dt = np.dtype(dtype)
    return ml_dtypes.finfo(dt) if dt in ML_FLOATS else np.finfo(dt)


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float


#: Defaults follow torch.testing.assert_close; integers and bools compare exactly. In ulps: float16's
#: rtol 1e-3 is one ulp (2**-10 relative at most); bfloat16 keeps 8 significant bits, so one ulp is up to
#: 2**-7 = 0.0078 relative and 1.6e-2 allows two: NumPy (ml_dtypes) computes in float32 and rounds once,
#: another library's float32 kernel may land across a rounding boundary (one ulp) and may round an
#: intermediate to bfloat16 (one more). atol is float32's: bfloat16 has float32's exponent range.
DEFAULT_TOLERANCES = {
    "float16": Tolerance(1e-3, 1e-5),
    "bfloat16": Tolerance(1.6e-2, 1e-5),
    "float32": Tolerance(1.3e-6, 1e-5),
    "complex64": Tolerance(1.3e-6, 1e-5),
    "float64": Tolerance(1e-7, 1e-7),
    "complex128": Tolerance(1e-7, 1e-7),
}


#: ULP allowances of elementwise ops, per result dtype (``OpInfo.ulps`` overrides per op). Four ulps
#: between two libraries allows each side the 1-2 ulp that good libms (glibc, SLEEF, NumPy's SIMD
#: loops) document for transcendental functions; measured by tools/measure_ulps.py, torch's float32 and
#: float64 core functions lie within 2. float16 and bfloat16: the same reasons as their tolerances.
DEFAULT_ULPS = {"float16": 2.0, "bfloat16": 2.0, "float32": 4.0, "complex64": 4.0, "float64": 4.0,
                "complex128": 4.0}


def default_tolerance(dtype) -> Tolerance | None:
    return DEFAULT_TOLERANCES.get(np.dtype(dtype).name)
