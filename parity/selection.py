"""What a run covers: backends, devices, ops, dtypes, validated into a list of cases.

Shared by the CLI (which turns a bad selection into one line and exit status 2)
and the pytest plugin (which turns it into a usage error), so both accept and
refuse exactly the same input. Backends and devices are checked before the
registry is imported, so a misspelt backend is answered at once.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opinfo.conformance import AREAS, DEFAULT_AREAS, DEFAULT_SPEC, PREFIX, SPEC_VERSIONS
from parity.backends import (
    Backend,
    BackendUnavailable,
    BadSetting,
    UnknownBackend,
    builtin_backends,
    get_backend,
    parse_settings,
)
from parity.case import Case
from parity.options import split_list

if TYPE_CHECKING:
    import opinfo


class SelectionError(ValueError):
    """A user error in the selection; the message is one line saying what to do."""


@dataclass
class Selection:
    backends: list[Backend]
    devices: dict[str, str]  # backend name -> device
    ops: list[opinfo.OpInfo]
    dtypes: list[str] | None
    surface: str = "native"
    domain: str = "all"  # "standard", "numpy" or "all": which cases of each op
    unavailable: dict[str, str] = field(default_factory=dict)  # skipped default backends -> reason
    areas: list[str] = field(default_factory=list)  # conformance areas (opinfo.conformance.AREAS)
    spec: str = DEFAULT_SPEC  # the standard's version the conformance areas check

    def cases(self) -> list[Case]:
        """Each op's cases: its standard dtypes, the dtypes NumPy also accepts, and for a binary entry
        the dtype pairs and Python scalar kinds NumPy accepts (``opinfo.domain``), within the domain
        asked for; its extra dtypes (float16, bfloat16) only where ``dtypes`` names them."""
        from opinfo import domain

        out = []
        for op in self.ops:
            candidates = domain.numpy_dtypes(op.name, op.dtypes) + domain.mixed_dtypes(op.name)
            if self.dtypes is not None:
                candidates += op.extra_dtypes
            chosen = [d for d in candidates if self._wanted(d)
                      and self.domain in ("all", domain.case_domain(op.dtypes + op.extra_dtypes, d))]
            for backend in self.backends:
                out += [Case(op.name, backend.name, self.devices[backend.name], d, self.surface) for d in chosen]
        for area in self.areas:
            out += [Case(PREFIX + area, b.name, self.devices[b.name], self.spec, self.surface) for b in self.backends]
        return out

    def _wanted(self, case_dtype: str) -> bool:
        """Named in ``dtypes``: a dtype itself, or a mix of named dtypes ("int8,float32" selects
        int8+float32 and int8 with every Python scalar kind), or a mix named as it is."""
        if self.dtypes is None or case_dtype in self.dtypes:
            return True
        from opinfo import domain

        return domain.is_mixed(case_dtype) and set(domain.array_dtypes(case_dtype)) <= set(self.dtypes)


def for_options(options, *, apart: bool = False) -> Selection:
    """The validated selection of a run's options (:class:`parity.options.RunOptions`); ``apart``: see
    :func:`resolve`."""
    return resolve(options.backends, options.device, options.ops, options.dtypes, options.surface,
                   settings=options.settings, domain=options.domain, spec=options.spec, apart=apart)


def default_device(backend: Backend) -> str:
    return "cpu" if "cpu" in backend.devices else backend.devices[0]


def resolve(backends=None, device: str | None = None, ops=None, dtypes=None, surface: str = "native",
            settings=(), domain: str = "all", spec: str = DEFAULT_SPEC, apart: bool = False) -> Selection:
    """Validate a selection; raise SelectionError with one clear line on the first problem.
    ``settings`` are "NAME.KEY=VALUE" backend settings; each must name a known backend and key.
    ``apart``: the libraries will be called in other processes (a run's workers), so whether they import is
    found out in child processes while the registry loads (:meth:`Backend.probe`), not by importing them here."""
    names = split_list(backends)
    unavailable: dict[str, str] = {}
    chosen: list[Backend] = []
    try:
        configured = parse_settings(settings)
        candidates = [get_backend(name, configured.get(name)) for name in dict.fromkeys(names)]
        for name in configured.keys() - set(names):  # a backend not selected: a typo is still refused
            get_backend(name, configured[name])
    except (UnknownBackend, BadSetting) as exc:
        raise SelectionError(str(exc)) from None
    if not names:  # every available CPU backend
        candidates = list(builtin_backends().values())
        for backend in candidates:
            backend.configure(configured.get(backend.name, {}))
    probes = [(backend, backend.probe() if apart else backend.availability) for backend in candidates]
    registry_problem = _load_registry()
    answers = [(backend, answer()) for backend, answer in probes]  # every child waited for
    for backend, problem in answers:
        if names and problem:
            raise SelectionError(problem)
        problem = problem or ("" if names or "cpu" in backend.devices else "no CPU device")
        if problem:
            unavailable[backend.name] = problem
        else:
            chosen.append(backend)
    devices = {}
    for backend in chosen:
        dev = device or default_device(backend)
        try:
            problem = backend.device_problem(dev)
        except BackendUnavailable as exc:
            problem = str(exc)
        if problem:
            raise SelectionError(problem)
        devices[backend.name] = dev
    if registry_problem:
        raise SelectionError(registry_problem)
    import opinfo
    from opinfo.dtypes import DTYPE_NAMES
    from opinfo.spec import SURFACES

    if surface not in SURFACES:
        raise SelectionError(f"unknown surface {surface!r}; choose one of {', '.join(SURFACES)}")
    from opinfo.domain import DOMAINS, SCALAR_KINDS, case_dtypes_of

    if domain not in DOMAINS + ("all",):
        raise SelectionError(f"unknown domain {domain!r}; choose one of {', '.join(DOMAINS + ('all',))}")
    dtype_names = list(split_list(dtypes)) or None
    mixes = set(case_dtypes_of(DTYPE_NAMES))
    for dtype in dtype_names or []:
        if dtype not in mixes:
            raise SelectionError(f"unknown dtype {dtype!r}{_did_you_mean(dtype, DTYPE_NAMES)}; known: "
                                 f"{', '.join(DTYPE_NAMES)}, or a mix of two (int8+float32) or of a dtype "
                                 f"and a Python scalar kind (int8+py-float; kinds: {', '.join(SCALAR_KINDS)})")
    if spec not in SPEC_VERSIONS:
        raise SelectionError(f"unknown standard version {spec!r}; choose one of {', '.join(SPEC_VERSIONS)}")
    patterns = split_list(ops)
    missing = [p for p in opinfo.unmatched(patterns) if not conformance_areas([p])]
    if missing:
        names = sorted(set(opinfo.REGISTRY) | {op.family for op in opinfo.REGISTRY.values()}
                       | {PREFIX + a for a in AREAS} | {"conformance"})
        raise SelectionError(f"op pattern {missing[0]!r} matches nothing in the registry"
                             f"{_did_you_mean(missing[0], names)}; see `parity list`")
    selected = opinfo.select(patterns)
    # conformance areas: named by a pattern, or the default ones in a run of everything the standard defines
    areas = conformance_areas(patterns) if patterns else [] if dtype_names or domain == "numpy" else list(DEFAULT_AREAS)
    result = Selection(chosen, devices, selected, dtype_names, surface, unavailable=unavailable, domain=domain,
                       areas=areas, spec=spec)
    if dtype_names and chosen and not result.cases():
        raise SelectionError(f"no selected op is defined for {', '.join(dtype_names)}; `parity list` shows each "
                             f"op's dtypes, its NumPy domain and extras such as float16, bfloat16")
    return result


def _load_registry() -> str | None:
    """Build the registry (every entry validated); what is wrong with it, in one line, or None."""
    from opinfo.spec import RegistryError

    try:
        import opinfo.registry  # noqa: F401
    except RegistryError as exc:  # a malformed entry: one line naming op and field
        return f"the op registry is invalid: {exc} (fix that entry in opinfo/)"
    return None


def conformance_areas(patterns) -> list[str]:
    """The conformance areas a list of op patterns names (``conformance/*``, the family ``conformance``)."""
    return [a for a in AREAS if any(fnmatch.fnmatchcase(PREFIX + a, p) or fnmatch.fnmatchcase("conformance", p)
                                    for p in patterns)]


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
