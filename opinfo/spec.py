"""The declarative shape of a registry entry, and its validation.

An :class:`OpInfo` reads like a spec sheet: what the op is, what NumPy/SciPy
callable is the reference, which dtypes it is defined for, how to build inputs
(fixed samples that always run, a Hypothesis strategy for generated ones), how
to compare results, and which divergences each backend is *expected* to show,
each with a reason and a link. Entries are validated when the registry is
imported, so a malformed one fails with one line naming the op and the field.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from opinfo.domain import DOMAINS, is_mixed, mixed_dtypes, numpy_dtypes
from opinfo.dtypes import DEFAULT_TOLERANCES, DEFAULT_ULPS, DTYPE_NAMES, EXTRA_DTYPES, Tolerance, numpy_dtype

#: The divergence taxonomy. Order matters only for display.
CATEGORIES = (
    "error",  # only the implementation raises
    "accepts",  # only the reference raises
    "error-type",  # both raise, incompatible exception families
    "shape",
    "dtype",  # includes value-dependent result dtypes (NumPy's eig)
    "value",  # finite values beyond tolerance
    "special-value",  # NaN / inf / signed zero handled differently
    "order",  # same multiset, different order (complex sort, unstable ties)
)

SURFACES = ("native", "array-api")
#: The family modules of the registry (``opinfo/<name>.py``), in registry order. Named here, not in
#: ``opinfo.registry``, which validates every entry on import: ``parity check`` reads them from a broken registry.
FAMILY_MODULE_NAMES = ("elementwise", "reductions", "nanfunctions", "sorting", "sets", "manipulation", "creation",
                       "linalg", "linalg_numpy", "fft", "datatypes", "special", "numeric", "ufuncs")
FAMILIES = (
    "elementwise-unary",
    "elementwise-binary",
    "reduction",
    "statistics",
    "sorting",
    "searching",
    "set",
    "manipulation",
    "creation",
    "linalg",
    "fft",
    "data-type",
    "special",
    "numeric",
)

#: The backends parity ships (``parity.backends.builtin_backends``); a test keeps the two lists equal.
BUILTIN_BACKENDS = ("numpy", "array_api_strict", "torch", "jax", "dask", "cupy")
#: The entry-point group through which packages add backends (``parity.backends.ENTRY_POINT_GROUP``).
BACKEND_ENTRY_POINTS = "array_parity.backends"
#: A spelling-table key for every backend without an entry of its own, user backends included.
ANY_BACKEND = "*"


@functools.cache
def known_backends() -> tuple[str, ...]:
    """The backend names a declaration or spelling may use: the built-in ones and the installed entry points."""
    installed = sorted(ep.name for ep in importlib.metadata.entry_points(group=BACKEND_ENTRY_POINTS))
    return BUILTIN_BACKENDS + tuple(n for n in installed if n not in BUILTIN_BACKENDS)


class RegistryError(ValueError):
    """A malformed registry entry; the message is one line naming op and field."""


@dataclass(frozen=True)
class Sample:
    """One call: positional and keyword arguments as NumPy arrays / Python values.

    Arrays (also inside lists and tuples) are converted for the implementation;
    everything else (axes, Python scalars, NumPy dtypes) is passed as it is,
    except that NumPy dtypes become the backend's dtype objects.
    """

    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""

    def elements(self) -> int:
        """How many values the call takes (array elements; any other argument counts one)."""
        return sum(leaf.size if isinstance(leaf, np.ndarray) else 1
                   for leaf in _leaves((self.args, tuple(self.kwargs.values()))))

    def smaller_than(self, other: Sample) -> bool:
        """A total order for "smaller input": fewer elements, then shorter text. The text (the repr of
        arrays, which costs far more than the call itself) is taken only when the element counts tie,
        once per sample."""
        mine, theirs = self.elements(), other.elements()
        return mine < theirs if mine != theirs else self._text_length < other._text_length

    @functools.cached_property
    def _text_length(self) -> int:
        return len(repr(self.args)) + len(repr(dict(self.kwargs)))


def _leaves(obj):
    if isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _leaves(item)
    else:
        yield obj


@dataclass(frozen=True)
class Expected:
    """A divergence the registry expects on one or more backends, with why and where it is tracked.

    ``backends`` is one backend name or a tuple of several, for a divergence that several libraries
    share with the same explanation; it is always stored as a tuple.
    """

    backends: str | tuple[str, ...]
    category: str
    reason: str
    link: str | None = None
    dtypes: tuple[str, ...] | None = None  # None: every dtype of the op
    devices: tuple[str, ...] | None = None
    surface: str | None = None  # None: both surfaces
    versions: Mapping[str, str] = field(default_factory=dict)  # package -> PEP 440 specifier
    match: str | None = None  # regex searched in the divergence's detail (e.g. the error message)
    #: value: the largest distance accepted, in ulps of the reference (elementwise ops: per element)
    max_ulp: float | None = None
    #: where the divergence is declared: ``where(sample, reference, implementation)`` -> bool or a bool
    #: array. For an elementwise op it is asked about the differing elements only (``sample.args`` holds
    #: their inputs, broadcast; the outputs are theirs) and answers per element; otherwise about the
    #: whole call. Its docstring says in words what it accepts (reports and docs show it).
    where: Callable[..., Any] | None = None
    #: declared for a whole backend (``opinfo.declared.WIDE``), not for one op: never stale in one case
    wide: bool = False
    #: which cases (``opinfo.domain``): None, the standard's one-dtype cases, where declarations without
    #: ``dtypes`` were made; "standard" adds the mixes the standard defines; "numpy" is every case beyond
    #: the standard (NumPy's further dtypes, pairs and Python scalars); "beyond" is every case but the
    #: standard's one-dtype ones (every mix, NumPy's further dtypes); "any" is all. ``dtypes`` may also
    #: name mixed cases ("int8+uint64", "uint8+py-int-out"). Outside the standard's one-dtype cases a
    #: declaration is stale only where it names the case's dtype: elsewhere it describes a rule.
    domain: str | None = None
    #: the library's outcome varies from run to run on the same input (it reads uninitialised memory, races):
    #: which samples show it, its detail and its size vary, so ``parity diff`` and the baselines compare only
    #: that it occurs and its status
    nondeterministic: bool = False

    def __post_init__(self):
        backends = (self.backends,) if isinstance(self.backends, str) else tuple(self.backends)
        object.__setattr__(self, "backends", backends)

    def applies(self, backend: str, dtype: str, device: str, surface: str,
                versions: Mapping[str, str], domain: str = "standard") -> bool:
        """Whether this declaration covers the case (backend, dtype, device, surface, versions) of
        ``domain`` ("standard" or "numpy", :func:`opinfo.domain.case_domain`)."""
        if backend not in self.backends:
            return False
        if self.dtypes is not None and dtype not in self.dtypes:
            return False
        standard_single = domain == "standard" and not is_mixed(dtype)
        if self.domain is None:
            if self.dtypes is None and not standard_single:
                return False
        elif self.domain == "beyond":
            if standard_single:
                return False
        elif self.domain not in (domain, "any"):
            return False
        if self.devices is not None and device not in self.devices:
            return False
        if self.surface is not None and self.surface != surface:
            return False
        for package, spec in self.versions.items():
            have = versions.get(package)
            if have is None or not SpecifierSet(spec).contains(_release(have), prereleases=True):
                return False
        return True


def _release(version: str) -> str:
    """'2.13.0+cpu' -> '2.13.0': local labels must not defeat a version range."""
    return version.split("+", 1)[0]


@dataclass(frozen=True)
class OpInfo:
    """One operator: reference, spellings, inputs, comparison and expected divergences.

    ``spellings`` maps a backend name to how that backend's *native* namespace
    spells the op: a dotted name looked up in the namespace, or a callable
    ``f(xp, *args, **kwargs)`` adapting the signature. A backend without an entry
    takes the :data:`ANY_BACKEND` entry (``"*"``: user backends included), else the
    op's own dotted ``name`` is looked up. ``array_api_spellings`` does the same for
    the Array API surface (rarely needed: that surface should match by name).

    Registry entries are built with :func:`op`, which derives ``reference_name``.
    """

    name: str
    family: str
    ref: Callable
    dtypes: tuple[str, ...]  # what the default sweep runs
    samples: Callable[[np.dtype], list[Sample]]
    strategy: Callable[[np.dtype], Any]
    doc: str = ""
    spellings: Mapping[str, str | Callable] = field(default_factory=dict)
    array_api_spellings: Mapping[str, str | Callable] = field(default_factory=dict)
    tolerances: Mapping[str, Tolerance] = field(default_factory=dict)  # non-elementwise ops
    ulps: Mapping[str, float] = field(default_factory=dict)  # elementwise ops: ULP allowance per dtype
    #: the tolerance of one call, from its input (``opinfo.bounds``: a sum's error bound scales with its
    #: length and the sum of magnitudes); None: ``tolerance(dtype)``, the dtype's fixed rtol/atol
    call_tolerance: Callable[[Sample, np.dtype], Tolerance] | None = None
    compare: Callable | None = None
    expected: tuple[Expected, ...] = ()
    elementwise: bool = False  # divergent elements can be cut down to one-element inputs
    check_signed_zero: bool = True
    reference_name: str = ""  # display only: "numpy.sort", "scipy.stats.entropy"
    extra_dtypes: tuple[str, ...] = ()  # also defined for these (EXTRA_DTYPES); run only when named with --dtypes

    def tolerance(self, dtype: np.dtype) -> Tolerance | None:
        name = numpy_dtype(dtype).name
        if name in self.tolerances:
            return self.tolerances[name]
        return DEFAULT_TOLERANCES.get(name)

    def ulp_allowance(self, dtype: np.dtype) -> float | None:
        """How many ulps an elementwise result may lie from NumPy's; None: compared by tolerance."""
        if not self.elementwise:
            return None
        name = numpy_dtype(dtype).name
        return self.ulps.get(name, DEFAULT_ULPS.get(name))

    def spelling(self, backend: str, surface: str) -> str | Callable:
        table = self.spellings if surface == "native" else self.array_api_spellings
        return table.get(backend, table.get(ANY_BACKEND, self.name))


def uses(*names: str) -> Callable[[Callable], Callable]:
    """Mark a spelling adapter with the namespace functions it calls (dotted names): a namespace that lacks
    one has no spelling of the op (the case is unsupported), rather than an error raised inside the call.
    Apply it as a statement after the definition (``uses("f")(adapter)``): a decorated function is not
    plain source that a standalone reproducer can copy."""
    def mark(adapter: Callable) -> Callable:
        adapter.uses = names
        return adapter

    return mark


def _fail(op: str, fieldname: str, problem: str) -> RegistryError:
    return RegistryError(f"opinfo {op!r}: field {fieldname!r}: {problem}")


def validate(op: Any) -> OpInfo:
    """Check one entry; raise RegistryError with a one-line message on the first problem."""
    for problem in problems(op):
        raise problem
    return op


def problems(op: Any) -> Iterator[RegistryError]:
    """Every problem of one entry, one RegistryError each, in the order :func:`validate` meets them:
    ``parity check`` lists them all, where importing the registry stops at the first. A check that
    needs a well-formed field is left out when that field is malformed (its own problem comes first)."""
    name = getattr(op, "name", None)
    if not isinstance(op, OpInfo):
        yield RegistryError(f"opinfo {name!r}: entry is {type(op).__name__}, not OpInfo")
        return
    if not isinstance(name, str) or not name or name.strip() != name:
        yield _fail(str(name), "name", "must be a non-empty string without surrounding spaces")
        name = str(name)
    if op.family not in FAMILIES:
        yield _fail(name, "family", f"{op.family!r} is not one of {', '.join(FAMILIES)}")
    for fieldname in ("ref", "samples", "strategy"):
        if not callable(getattr(op, fieldname)):
            yield _fail(name, fieldname, "must be callable")
    if op.compare is not None and not callable(op.compare):
        yield _fail(name, "compare", "must be callable or None")
    dtypes_ok = isinstance(op.dtypes, tuple) and bool(op.dtypes)
    if not dtypes_ok:
        yield _fail(name, "dtypes", "must be a non-empty tuple of dtype names")
    for dtype in op.dtypes if dtypes_ok else ():
        if dtype not in DTYPE_NAMES:
            yield _fail(name, "dtypes", f"unknown dtype {dtype!r}")
        elif dtype in EXTRA_DTYPES:
            yield _fail(name, "dtypes", f"{dtype!r} is an extra dtype: list it in extra_dtypes")
    extras_ok = isinstance(op.extra_dtypes, tuple)
    if not extras_ok:
        yield _fail(name, "extra_dtypes", "must be a tuple of dtype names")
    for dtype in op.extra_dtypes if extras_ok else ():
        if dtype not in EXTRA_DTYPES:
            yield _fail(name, "extra_dtypes", f"{dtype!r} is not one of {', '.join(EXTRA_DTYPES)}")
    for key, tol in op.tolerances.items():
        if key not in DTYPE_NAMES or not isinstance(tol, Tolerance):
            yield _fail(name, "tolerances", f"{key!r} must map a dtype name to a Tolerance")
    if op.elementwise and op.tolerances:
        yield _fail(name, "tolerances", "an elementwise op is compared in ulps: give ulps= instead")
    for key, allowed in op.ulps.items():
        if key not in DTYPE_NAMES or not isinstance(allowed, (int, float)) or allowed < 0:
            yield _fail(name, "ulps", f"{key!r} must map a dtype name to a non-negative number of ulps")
    if op.ulps and not op.elementwise:
        yield _fail(name, "ulps", "only elementwise ops are compared in ulps (give tolerances=)")
    known = known_backends()
    for table in ("spellings", "array_api_spellings"):
        for backend, spelled in getattr(op, table).items():
            if backend != ANY_BACKEND and backend not in known:
                yield _fail(name, table, f"unknown backend {backend!r} (known: {', '.join(known)}, or "
                                         f"{ANY_BACKEND!r} for any other)")
            if not (callable(spelled) or (isinstance(spelled, str) and spelled)):
                yield _fail(name, table, f"{backend!r} must map to a dotted name or a callable")
    own = op.dtypes if dtypes_ok else ()
    runs = own + (op.extra_dtypes if extras_ok else ()) + numpy_dtypes(name, own) + mixed_dtypes(name)
    for i, exp in enumerate(op.expected):
        yield from _declaration_problems(name, f"expected[{i}]", exp, runs, known)


def _declaration_problems(name: str, where: str, exp: Any, runs: tuple[str, ...],
                          known: tuple[str, ...]) -> Iterator[RegistryError]:
    """The problems of one declaration of the entry ``name`` (``runs``: every dtype its cases have)."""
    if not isinstance(exp, Expected):
        yield _fail(name, where, f"is {type(exp).__name__}, not Expected")
        return
    if not exp.backends:
        yield _fail(name, f"{where}.backend", "names no backend")
    for backend in exp.backends:
        if backend not in known:
            yield _fail(name, f"{where}.backend", f"unknown backend {backend!r} (known: {', '.join(known)})")
    if exp.category not in CATEGORIES:
        yield _fail(name, f"{where}.category", f"{exp.category!r} is not one of {', '.join(CATEGORIES)}")
    if not exp.reason or not exp.reason.strip():
        yield _fail(name, f"{where}.reason", "every expected divergence needs a reason")
    if exp.link is not None and not exp.link.startswith("https://"):
        yield _fail(name, f"{where}.link", f"{exp.link!r} is not an https:// link")
    if exp.dtypes is not None:
        unknown = [d for d in exp.dtypes if d not in runs]
        if unknown:
            yield _fail(name, f"{where}.dtypes", f"{unknown} are not among the op's dtypes, extras or NumPy "
                                                 "domain (opinfo/data/numpy_domain.json)")
    scopes = DOMAINS + ("beyond", "any")
    if exp.domain is not None and exp.domain not in scopes:
        yield _fail(name, f"{where}.domain", f"{exp.domain!r} is not one of {', '.join(scopes)}")
    if exp.surface is not None and exp.surface not in SURFACES:
        yield _fail(name, f"{where}.surface", f"{exp.surface!r} is not one of {SURFACES}")
    if exp.category == "value" and exp.max_ulp is None and exp.where is None and exp.match is None:
        yield _fail(name, f"{where}.max_ulp", "a value declaration needs a bound: max_ulp= (measured, "
                                              "tools/measure_ulps.py), where= (which inputs) or match=")
    if exp.category in ("error", "error-type") and not (exp.match or "").strip():
        yield _fail(name, f"{where}.match", f"an {exp.category} declaration needs match= (the error it "
                                            "expects), so that it cannot hide a different error")
    if exp.max_ulp is not None and not (isinstance(exp.max_ulp, (int, float)) and exp.max_ulp >= 0):
        yield _fail(name, f"{where}.max_ulp", f"{exp.max_ulp!r} is not a non-negative number")
    if exp.where is not None and not (callable(exp.where) and (exp.where.__doc__ or "").strip()):
        yield _fail(name, f"{where}.where", "must be a function with a docstring saying what it accepts")
    if exp.match is not None:
        try:
            re.compile(exp.match)
        except re.error as err:
            yield _fail(name, f"{where}.match", f"{exp.match!r} is not a regular expression ({err})")
    for package, spec in exp.versions.items():
        try:
            SpecifierSet(spec)
        except InvalidSpecifier:
            yield _fail(name, f"{where}.versions", f"{package}: {spec!r} is not a version range")


#: Namespaces searched for a ufunc reference, which carries no module of its own.
_UFUNC_NAMESPACES = ("numpy", "scipy.special")
_REQUIRED = ("family", "ref", "dtypes", "samples", "strategy")
_FIELDS = frozenset(f.name for f in dataclasses.fields(OpInfo))
_MISSING: Any = object()


def reference_name(name: str, ref: Callable) -> str:
    """How the reference reads in a report: its public module and its name there ("numpy.sort",
    "numpy.linalg.eig", "numpy.add", "scipy.special.gamma"; private submodules such as
    ``scipy.special._logsumexp`` are left out). Where the op's own name is an alias of the same object
    (``np.abs is np.absolute``) the op's name is used, so it reads as the op is called. Empty when the
    reference is not reachable by name (a lambda, a local function, a helper of the registry)."""
    leaf = name.rsplit(".", 1)[-1]
    if isinstance(ref, np.ufunc):
        modules = _UFUNC_NAMESPACES
    else:
        parts = getattr(ref, "__module__", None) or ""
        public = []
        for part in parts.split("."):
            if part.startswith("_"):
                break
            public.append(part)
        modules = (".".join(public),) if public else ()
    for module in modules:
        namespace = sys.modules.get(module)
        if namespace is None or module.split(".")[0] == __name__.split(".")[0]:
            continue
        for attr in (leaf, getattr(ref, "__name__", "")):
            if attr and getattr(namespace, attr, None) is ref:
                return f"{module}.{attr}"
    return ""


def op(name: str, family: str = _MISSING, ref: Callable = _MISSING, dtypes: tuple[str, ...] = _MISSING,
       samples: Callable = _MISSING, strategy: Callable = _MISSING, **fields) -> OpInfo:
    """The one constructor of registry entries. ``reference_name`` defaults to the name of ``ref``
    (:func:`reference_name`); give it only where the reference is a wrapper or needs extra words
    ("numpy.linalg.svd(compute_uv=False)"). A missing or unknown field is a RegistryError naming op
    and field, like every other malformed entry."""
    given = {"family": family, "ref": ref, "dtypes": dtypes, "samples": samples, "strategy": strategy}
    for fieldname in _REQUIRED:
        if given[fieldname] is _MISSING:
            raise _fail(name, fieldname, "missing")
    for fieldname in fields:
        if fieldname not in _FIELDS:
            raise _fail(name, fieldname, "no such field of OpInfo")
    if not fields.get("reference_name"):
        fields["reference_name"] = reference_name(name, ref)
        if not fields["reference_name"]:
            raise _fail(name, "reference_name", f"cannot be derived from {ref!r}: give it")
    fields["expected"] = tuple(fields.get("expected", ()))
    return OpInfo(name=name, **given, **fields)

