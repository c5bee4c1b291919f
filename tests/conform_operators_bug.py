"""torch whose tensors carry planted operator bugs next to torch's real gaps, for
tests/test_conform_operators.py (``conform_operators_bug:backend``: named ``torch``, so torch's declared
gaps apply). Each is of a kind those gaps, bounded by what torch's failures have in common, must not cover:

- ``__radd__`` of complex tensors computes add(x2, x1) and then moves it by 2**-20: not merely the
  operands swapped (torch's gap: every failing element equals add(x2, x1));
- ``__rtruediv__`` is off by a factor 1 + 2**-10: another value, not another rounding (torch's gap for
  real dtypes: within 2 ulp).
"""

import torch

from parity.backends import TorchBackend


class BugTensor(torch.Tensor):
    def __radd__(self, other):
        out = torch.add(self, other)
        return out + 2**-20 if out.is_complex() else out

    def __rtruediv__(self, other):
        return torch.divide(other, self) * (1 + 2**-10)


class BuggedTorch(TorchBackend):
    def from_numpy(self, x, device):
        return super().from_numpy(x, device).as_subclass(BugTensor)


backend = BuggedTorch("torch", "torch", "torch")
