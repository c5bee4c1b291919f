"""(to be written)."""

OPS = ()
