"""A backend whose own (harness-side) code fails, for the harness-error tests: ``supports_dtype`` runs
in the runner outside the library's calls, so its exception is the harness's fault, and it raises an
exception group, whose text is a multi-line table that a record must not carry."""

from parity.backends import NumpyBackend


class Faulty(NumpyBackend):
    def __init__(self):
        super().__init__("harness_fault_backend:Faulty", "numpy", "numpy")

    def supports_dtype(self, dtype, namespace):
        raise ExceptionGroup("two faults", [ValueError("the first leaf's first line\nand a second"), KeyError("x")])
