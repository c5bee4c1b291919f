"""Tolerances of one call, from its input: rounding-error bounds for reductions.

A fixed absolute tolerance (1e-5 in float32, 1e-7 in float64) is wrong in both directions for a
reduction: it hides a sum of numbers near 1e-10 that is 100% off, and it flags a correct sum of
1e6-sized numbers that cancel. The rounding error of a sum is bounded by its length and the sum of
the magnitudes of its terms (recursive summation: (n - 1) u sum|x|, u = eps / 2; pairwise and blocked
summation do better), so two correct implementations differ by at most twice that, whatever their
order of summation. These functions turn that into a :class:`~opinfo.dtypes.Tolerance` per call
(``OpInfo.call_tolerance``); the whole input's length and magnitudes bound every output element.
Where an absolute bound would be the smallest normal number or less, that is the floor: flushing a
subnormal result to zero is not a value divergence.
"""

from __future__ import annotations

import math

import numpy as np

from opinfo.dtypes import Tolerance, default_tolerance, dtype_kind, finfo


def _magnitudes(sample) -> np.ndarray:
    """|x| of the finite elements of the first array argument (the data reduced), as float64."""
    x = next((a for a in sample.args if isinstance(a, np.ndarray)), None)
    if x is None or dtype_kind(x.dtype) not in "biufc" or not x.size:
        return np.zeros(0)
    x = np.abs(x.astype(np.complex128 if dtype_kind(x.dtype) == "c" else np.float64))
    return x[np.isfinite(x)]


def _floor(value: float, dtype) -> float:
    return max(value, float(finfo(dtype).smallest_normal))


def _inexact(dtype) -> bool:
    return dtype_kind(dtype) in "fc"


def summation(sample, dtype) -> Tolerance:
    """sum, cumulative_sum, nansum, nancumsum: |error| <= 2 n eps sum|x| (both sides within n u sum|x|),
    and nothing relative: the bound already covers any result, cancelled or not."""
    if not _inexact(dtype):
        return Tolerance(0.0, 0.0)
    x = _magnitudes(sample)
    return Tolerance(0.0, _floor(2.0 * max(x.size, 1) * float(finfo(dtype).eps) * float(x.sum()), dtype))


def mean(sample, dtype) -> Tolerance:
    """mean, nanmean: the sum's bound divided by n, plus the division's rounding:
    |error| <= 2 eps (sum|x| + max|x|)."""
    if not _inexact(dtype):
        return Tolerance(0.0, 0.0)
    x = _magnitudes(sample)
    return Tolerance(0.0, _floor(2.0 * float(finfo(dtype).eps) * (float(x.sum()) + float(x.max(initial=0.0))),
                                 dtype))


def _scaled_atol(sample, dtype, scaled) -> Tolerance:
    """The dtype's tolerance with its atol replaced by ``scaled(n, eps, max|x|)``, never above the fixed
    atol and at least the smallest normal number."""
    tol = default_tolerance(dtype) or Tolerance(0.0, 0.0)
    if not _inexact(dtype):
        return tol
    x = _magnitudes(sample)
    atol = scaled(max(x.size, 1), float(finfo(dtype).eps), float(x.max(initial=0.0)))
    return Tolerance(tol.rtol, _floor(min(atol, tol.atol), dtype))


def variance(sample, dtype) -> Tolerance:
    """var, nanvar: the dtype's relative tolerance, with the absolute part scaled to the data:
    8 n eps max|x|**2 (two-pass and one-pass algorithms apart), never above the dtype's fixed atol."""
    return _scaled_atol(sample, dtype, lambda n, eps, big: 8.0 * n * eps * big * big)


def deviation(sample, dtype) -> Tolerance:
    """std, nanstd: the square root of the variance's bound, sqrt(8 n eps) max|x| (a variance that cancels
    to near zero takes its error into the root), never above the dtype's fixed atol."""
    return _scaled_atol(sample, dtype, lambda n, eps, big: math.sqrt(8.0 * n * eps) * big)
