"""torch with planted promotion bugs next to torch's real gaps, for tests/test_conform_promotion.py
(``conform_promotion_bug:backend``: a backend named ``torch``, so torch's declared gaps apply).

Each bug is of a kind a gap bounded by what torch's failures have in common must not cover:

- ``add`` returns a wrong dtype (int32) where an operand is uint16 (torch raises "not implemented for
  'UInt16'" there: the shell-dtype gaps cover that error, not a result);
- ``multiply`` raises an error of its own where an operand is uint16 (not torch's "not implemented");
- ``bitwise_xor`` says "not implemented for 'Byte'" for uint8, a dtype torch implements;
- ``maximum`` of an n-d and a 0-d array returns float64 (torch's 0-d gap covers the n-d dtype only);
- ``matmul`` refuses two int8 arrays (torch's matmul gap covers refusing two different dtypes);
- ``less`` of an n-d and a 0-d array compares them the wrong way round (torch's 0-d gap covers a
  comparison made in the n-d operand's dtype, not a wrong answer of another kind);
- ``where`` and ``concat`` return their first array operand's dtype (after torch's own call, so torch's
  refusals of uint16, uint32, uint64 mixes stay torch's);
- ``linalg.outer`` raises an error of its own for two different dtypes (torch's mixed-dtype gaps name
  other functions, its shell-dtype gaps an error that names the dtype);
- ``clip`` returns float64 for int8 (its result "should" have x's dtype: unspecified, not a violation).
"""

import torch
from patched_namespace import Patched

from parity.backends import TorchBackend


def _dtypes(*xs):
    return {getattr(x, "dtype", None) for x in xs}


def add(x1, x2):
    return torch.ones(3, dtype=torch.int32) if torch.uint16 in _dtypes(x1, x2) else torch.add(x1, x2)


def multiply(x1, x2):
    if torch.uint16 in _dtypes(x1, x2):
        raise RuntimeError("multiply: lost track of the operands")
    return torch.multiply(x1, x2)


def bitwise_xor(x1, x2):
    if torch.uint8 in _dtypes(x1, x2):
        raise NotImplementedError("\"bitwise_xor_cpu\" not implemented for 'Byte'")
    return torch.bitwise_xor(x1, x2)


def maximum(x1, x2):
    zero_d = [getattr(x, "ndim", None) == 0 for x in (x1, x2)]
    return torch.ones(3, dtype=torch.float64) if any(zero_d) and not all(zero_d) else torch.maximum(x1, x2)


def matmul(x1, x2):
    if _dtypes(x1, x2) == {torch.int8}:
        raise RuntimeError("matmul: int8 is not supported")
    return torch.matmul(x1, x2)


def less(x1, x2):
    zero_d = [getattr(x, "ndim", None) == 0 for x in (x1, x2)]
    return torch.less(x2, x1) if any(zero_d) and not all(zero_d) else torch.less(x1, x2)


def where(condition, x1, x2):
    out = torch.where(condition, x1, x2)
    return out.to(x1.dtype) if isinstance(x1, torch.Tensor) else out


def concat(arrays, axis=0):
    return torch.cat(arrays, dim=axis).to(arrays[0].dtype)


def outer(x1, x2):
    if x1.dtype != x2.dtype:
        raise TypeError("outer: the operands' dtypes differ")
    return torch.outer(x1, x2)


def clip(x, min=None, max=None):
    out = torch.clip(x, min, max)
    return out.to(torch.float64) if x.dtype == torch.int8 else out


xp = Patched(torch, add=add, multiply=multiply, bitwise_xor=bitwise_xor, maximum=maximum, matmul=matmul,
                less=less, where=where, concat=concat, clip=clip, linalg=Patched(torch.linalg, outer=outer))


class BuggedTorch(TorchBackend):
    def namespace(self):
        return xp


backend = BuggedTorch("torch", "torch", "torch")
