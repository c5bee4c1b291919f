"""A case: one op on one backend, device, dtype and surface; its id and the header of its record.

Every record of a case (a finished one from the runner, a crash or timeout made by the
controller for a lost worker, an out-of-memory one) starts with :func:`case_header`, so the
fields that identify a case are written in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def case_id(op: str, backend: str, device: str, dtype: str, surface: str = "native") -> str:
    tail = "" if surface == "native" else "-array-api"
    return f"{op}[{backend}-{device}-{dtype}{tail}]"


@dataclass(frozen=True)
class Case:
    op: str
    backend: str
    device: str
    dtype: str
    surface: str = "native"

    @property
    def is_conformance(self) -> bool:
        """A conformance case (``conformance/<area>``) rather than one op of the registry."""
        from opinfo.conformance import PREFIX

        return self.op.startswith(PREFIX)

    @property
    def id(self) -> str:
        return case_id(self.op, self.backend, self.device, self.dtype, self.surface)


def case_header(case: Case, op) -> dict[str, Any]:
    """The identifying fields every record of ``case`` (of the registry entry ``op``) starts with;
    ``domain`` says whether the standard defines the case or only NumPy's wider domain has it.
    A conformance case (``op`` None) has its own header (:func:`parity.conformance.header`)."""
    from opinfo.conformance import PREFIX
    from opinfo.domain import case_domain

    if case.is_conformance:
        from parity.conformance import header

        return header(case, case.op.removeprefix(PREFIX))

    return {"kind": "op-parity", "id": case.id, "op": case.op, "family": op.family, "backend": case.backend,
            "device": case.device, "surface": case.surface, "dtype": case.dtype,
            "domain": case_domain(op.dtypes + op.extra_dtypes, case.dtype)}
