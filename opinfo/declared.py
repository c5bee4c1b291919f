"""Known divergences shared by several op families, declared once.

Per-op declarations live with their op; what is a property of a backend as a
whole (PyTorch's "shell" unsigned dtypes, its lack of complex ordering) is
spelled here so every family says it the same way, with the same link.
"""

from __future__ import annotations

from opinfo.spec import Expected

TORCH_SHELL_UINTS = ("uint16", "uint32", "uint64")
TORCH_SHELL_UINTS_LINK = "https://github.com/pytorch/pytorch/issues/58734"
TORCH_COMPLEX_ORDER_LINK = "https://github.com/pytorch/pytorch/issues/36380"


def torch_shell_uints(*dtypes: str, what: str = "", devices: tuple[str, ...] | None = None) -> Expected:
    """torch's uint16/32/64 are "shell dtypes": storage exists, most kernels do not."""
    detail = f" ({what})" if what else ""
    return Expected("torch", "error", dtypes=dtypes or TORCH_SHELL_UINTS, devices=devices,
                    link=TORCH_SHELL_UINTS_LINK, match="not implemented for 'UInt",
                    reason="torch's uint16/uint32/uint64 are shell dtypes with limited operator support: the "
                           "kernel raises NotImplementedError ('... not implemented for UInt32') where NumPy "
                           f"computes{detail}.")
