"""The differential runner: one case is (op, backend, device, dtype, surface).

For a case it runs the op's fixed samples, then Hypothesis-generated ones, on
the NumPy reference and on the implementation with the same inputs converted,
and compares. Per divergence category it keeps the smallest input that shows
it (Hypothesis shrinks generated ones; divergent elements of elementwise ops
are cut down to one-element inputs), both outcomes and a reproducer. The
result is one JSON-ready record.

Whoever drives the runner may watch every call through an *observer* with
``before_call(runner, side, sample)`` and ``after_call(runner, side, sample, outcome)``
(``side`` is "reference" or "implementation"); the worker's guard uses it to name the input a
crash happened on. A runner is reused across cases: what belongs to one case lives in a
:class:`CaseState` made by :meth:`Runner.run_case`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings

from opinfo import domain
from opinfo.compare import CompareContext, Finding
from opinfo.declared import wide_declarations
from opinfo.samples import case_samples
from opinfo.spec import CATEGORIES, OpInfo, Sample
from parity import arbiter, judge, literal, standalone, taxonomy
from parity.backends import Backend
from parity.case import Case, case_header
from parity.compare import Outcome, compare_outcomes
from parity.generation import seed_only_generation
from parity.readback import MaskedResult, NotApplicable, Unreadable


class Unsupported(Exception):
    """The backend has no spelling of the op (reported, not a failure)."""


class NotAnArray(TypeError):
    """The library returned something that is no array where an array was due: its outcome, a TypeError."""


class DivergenceSignal(Exception):
    """Raised inside Hypothesis so it shrinks a divergent input; one subclass per category."""


SIGNALS = {c: type(f"Divergence_{c.replace('-', '_')}", (DivergenceSignal,), {}) for c in CATEGORIES}

#: Differing elements listed per divergence (all are counted); the rest are in ``elements_total``.
ELEMENT_LIMIT = 100


@dataclass
class Seen:
    """The smallest input seen so far for one divergence (category, covering declaration)."""

    finding: Finding
    sample: Sample
    ref: Outcome
    impl: Outcome
    source: str


@dataclass
class CaseState:
    """What one case collects: the declarations that apply, the smallest input per divergence
    (keyed by category and covering declaration) and the differing corpus elements."""

    declared: list
    seen: dict[tuple, Seen] = field(default_factory=dict)
    elements: dict[tuple, dict[tuple, dict]] = field(default_factory=dict)
    unreadable: dict[str, Any] | None = None  # the first input the harness could not convert, and how many
    not_applicable: Counter = field(default_factory=Counter)  # inputs not run, by why

    def could_not_convert(self, exc: Unreadable, sample: Sample) -> None:
        if self.unreadable is None:
            self.unreadable = {"reason": str(exc), "input": literal.sample_literal(sample), "count": 0}
        self.unreadable["count"] += 1

    def judge(self, findings: list[Finding], sample: Sample, ref: Outcome, impl: Outcome,
              elementwise: bool) -> list[tuple[tuple, Finding]]:
        """Each finding (split where declarations cover only some of its elements) with its key:
        divergences are kept apart by category and by the declaration that covers them."""
        judged = judge.judge(findings, self.declared, sample, ref.value, impl.value, elementwise)
        return [((finding.category, index), finding) for finding, index in judged]


def case_seed(seed: int, case_id: str) -> int:
    """A per-case seed that does not depend on Python's hash randomisation or on run order."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{case_id}".encode()).digest()[:8], "little")


def resolve(op: OpInfo, backend: Backend, namespace, surface: str):
    """The implementation's callable for ``op`` on this surface, or raise Unsupported."""
    spelled = op.spelling(backend.name, "array-api" if backend.standard_only else surface)
    if callable(spelled):
        for needed in getattr(spelled, "uses", ()):  # an adapter's functions: absent ones make it unsupported
            attribute(namespace, needed, backend)
        return functools.partial(spelled, namespace)
    return attribute(namespace, spelled, backend)


def attribute(namespace, dotted: str, backend: Backend):
    target = namespace
    for part in dotted.split("."):
        target = getattr(target, part, None)
        if target is None:
            name = getattr(namespace, "__name__", backend.name)
            raise Unsupported(f"{name} has no {dotted}")
    return target


def weak_scalars(args: tuple) -> tuple:
    """NEP 50 for bfloat16 on the reference side: ml_dtypes promotes bfloat16 with a Python float
    to float32 (it predates weak scalars), so a Python scalar beside a bfloat16 array becomes a 0-d
    bfloat16 array, which is what NEP 50 (and the standard) prescribe for any array dtype."""
    bf16 = next((a.dtype for a in args if isinstance(a, np.ndarray) and a.dtype.name == "bfloat16"), None)
    if bf16 is None:
        return args
    return tuple(np.asarray(a, dtype=bf16) if type(a) in (int, float) else a for a in args)


class Runner:
    """Runs one op on one backend/device/surface; :meth:`run_case` does one dtype."""

    def __init__(self, op: OpInfo, backend: Backend, *, device: str = "cpu", surface: str = "native",
                 observer=None):
        self.op, self.backend, self.device, self.surface = op, backend, device, surface
        self.observer = observer
        self.call_seconds = 0.0  # inside reference and implementation calls, for the per-case overhead
        self.namespace = backend.surface_namespace(surface, device)
        self.wide = wide_declarations(op)  # built once: a backend-wide rule's predicates are closures
        self.ctx = CompareContext(tolerance=op.tolerance, check_signed_zero=op.check_signed_zero,
                                  ulps=op.ulp_allowance if op.elementwise else None)
        try:
            self.impl = resolve(op, backend, self.namespace, surface)
            self.unsupported = None
        except Unsupported as exc:
            self.impl, self.unsupported = None, str(exc)

    # ---- calling both sides
    def to_impl(self, obj):
        if isinstance(obj, np.ndarray):
            return self.backend.hand_over(obj, self.device)
        if isinstance(obj, np.dtype):
            if not self.backend.supports_dtype(obj.name, self.namespace):
                raise NotApplicable(f"{self.backend.name} has no dtype {obj.name}")
            return self.backend.dtype(obj, self.namespace)
        if isinstance(obj, (list, tuple)):
            return type(obj)(self.to_impl(x) for x in obj)
        return obj

    def from_impl(self, value):
        if isinstance(value, (tuple, list)):
            return tuple(self.from_impl(v) for v in value)
        if self.backend.is_array(value):
            return self.backend.read_back(value)
        if isinstance(value, (np.ndarray, np.generic, bool, int, float, complex)):
            return np.asarray(value)
        raise NotAnArray(f"result of type {type(value).__module__}.{type(value).__qualname__} is not an array")

    def call_reference(self, sample: Sample) -> Outcome:
        return self._watched("reference", sample, reference_call(self.op, sample))

    def call_implementation(self, sample: Sample) -> Outcome:
        """Only the library's call (and its finalize: Dask computing) is guarded: an exception of the
        conversions around it is the harness's (Unreadable, NotApplicable, or a harness-error of the
        case), never an outcome of the library. A result that is no array is the library's (TypeError)."""
        if self.observer is not None:
            self.observer.before_call(self, "implementation", sample)
        args = self.to_impl(weak_scalars(sample.args) if self.backend.is_reference else tuple(sample.args))
        kwargs = {k: self.to_impl(v) for k, v in sample.kwargs.items()}
        started = time.perf_counter()
        outcome = guarded(lambda: self.backend.finalize(self.impl(*args, **kwargs)))
        self.call_seconds += time.perf_counter() - started
        if not outcome.raised:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    outcome = Outcome(value=self.from_impl(outcome.value))
            except NotAnArray as exc:  # told as the TypeError it is
                outcome = Outcome.from_exception(TypeError(str(exc)))
            except MaskedResult as exc:  # the library's "no value", not data to compare
                outcome = Outcome(error_type="masked result", error_mro=("MaskedResult", "Exception"),
                                  error_message=str(exc))
        if self.observer is not None:
            self.observer.after_call(self, "implementation", sample, outcome)
        return outcome

    def _watched(self, side: str, sample: Sample, call) -> Outcome:
        if self.observer is not None:
            self.observer.before_call(self, side, sample)
        started = time.perf_counter()
        outcome = guarded(call)
        self.call_seconds += time.perf_counter() - started
        if self.observer is not None:
            self.observer.after_call(self, side, sample, outcome)
        return outcome

    def evaluate(self, sample: Sample) -> tuple[Outcome, Outcome, list[Finding]]:
        ref = self.call_reference(sample)
        impl = self.call_implementation(sample)
        return ref, impl, compare_outcomes(ref, impl, self.context(sample), self.op.compare, sample)

    def context(self, sample: Sample) -> CompareContext:
        """The comparison context of one call: the op's, with its per-call tolerance where it has one."""
        if self.op.call_tolerance is None:
            return self.ctx
        return dataclasses.replace(self.ctx, tolerance=functools.partial(self.op.call_tolerance, sample))

    @staticmethod
    def describe(outcome: Outcome) -> str:
        if outcome.raised:
            return f"raised {outcome.error_type}: {(outcome.error_message or '').strip()[:300]}"
        return _describe_value(outcome.value)

    # ---- one case
    def run_case(self, dtype: str, *, max_examples: int = 50, seed: int = 0, versions=None) -> dict[str, Any]:
        case = Case(self.op.name, self.backend.name, self.device, dtype, self.surface)
        record: dict[str, Any] = case_header(case, self.op)
        started, self.call_seconds = time.perf_counter(), 0.0
        if self.unsupported:
            return record | {"status": "unsupported", "reason": self.unsupported, "divergences": [],
                             "duration_s": 0.0}
        # a mix computes in the dtype both promote to: a library without complex has no bool + 1j either
        needed = (*domain.array_dtypes(dtype), *([domain.numpy_common(dtype)] if domain.is_mixed(dtype) else []))
        missing = [d for d in needed if not self.backend.supports_dtype(d, self.namespace)]
        if missing:
            return record | {"status": "skipped", "reason": f"{self.backend.name} has no dtype {missing[0]}",
                             "divergences": [], "duration_s": 0.0}
        versions = versions or {}
        # An extra dtype (float16, bfloat16) is exploratory: only declarations naming it apply there,
        # so a declaration written for the standard dtypes neither hides a finding nor goes stale on it.
        extra = any(d in self.op.extra_dtypes for d in domain.array_dtypes(dtype))
        standard = record["domain"] == "standard" and not domain.is_mixed(dtype)  # what declarations were made for
        declared = [e for e in self.op.expected + self.wide
                    if e.applies(self.backend.name, dtype, self.device, self.surface, versions, record["domain"])
                    and not (extra and e.dtypes is None)]
        if not standard:  # a rule, not a claim about this case; and the op's own, by the dtype it computes in
            declared = [e if e.dtypes and dtype in e.dtypes else dataclasses.replace(e, wide=True) for e in declared]
            declared += self._borrowed(dtype, versions)
        state = CaseState(declared)
        fixed = case_samples(self.op, dtype)
        for sample in fixed:
            self._check(sample, state, "fixed")
        known = {key for key in state.seen if key[1] is not None}
        # beyond the standard's one-dtype cases, fixed corpora only: a mix is one vectorized call per dtype
        # pair, and the entries' strategies are written for their standard dtypes
        examples, notes = self._hypothesis(dtype, state, max_examples, case_seed(seed, case.id), known) \
            if standard else (0, [])
        ordered = sorted(state.seen.items(), key=lambda item: CATEGORIES.index(item[0][0]))
        divergences = [self._divergence_record(s, dtype, state.elements.get(key)) for key, s in ordered]
        divergences, status = taxonomy.classify(divergences, declared, [key[1] for key, _ in ordered])
        if state.unreadable:
            status = taxonomy.worst((status, "unreadable"))
            record["unreadable"] = state.unreadable
        record.update(status=status, divergences=divergences, fixed_samples=len(fixed), examples=examples,
                      duration_s=round(time.perf_counter() - started, 4), calls_s=round(self.call_seconds, 4))
        notes += [f"{n} input(s) not run: {why}" for why, n in sorted(state.not_applicable.items())]
        if notes:
            record["notes"] = notes
        return record

    def _borrowed(self, dtype: str, versions) -> list:
        """Beyond the standard's one-dtype cases: the op's own declarations for the dtype NumPy computes
        the case in (a mix of int8 and complex128 computes in complex128, an int16 input of sin in
        float32) and for each operand's dtype (torch computes float32 with a 0-d float64 in float32), as
        backend-wide ones: bounded as they were, never stale where the mix does not show them."""
        # NumPy's computation dtype, and each operand's own (a library may compute in either); an integer
        # or bool input also computes in one of the op's floating dtypes (torch float32, jax float32/64)
        numpy_in = domain.computes_in(self.op, dtype)
        computed = {numpy_in, *domain.array_dtypes(dtype)}
        if np.dtype(numpy_in).kind in "fc" and any(np.dtype(d).kind in "biu" for d in domain.array_dtypes(dtype)):
            computed |= {d for d in self.op.dtypes if np.dtype(d).kind == np.dtype(numpy_in).kind}
        return [dataclasses.replace(e, wide=True) for e in self.op.expected
                if e.domain is None and any(e.applies(self.backend.name, d, self.device, self.surface, versions)
                                            for d in computed)]

    def _check(self, sample: Sample, state: CaseState, source: str) -> list[tuple[tuple, Finding]]:
        try:
            ref, impl, findings = self.evaluate(sample)
        except Unreadable as exc:  # not checked: the case says so (status unreadable), no divergence of the library
            state.could_not_convert(exc, sample)
            return []
        except NotApplicable as exc:
            state.not_applicable[str(exc)] += 1
            return []
        judged = state.judge(findings, sample, ref, impl, self.op.elementwise)
        seen = state.seen
        for key, finding in judged:
            if source == "fixed" and self.op.elementwise:
                state.elements.setdefault(key, {}).update(differing_elements(sample, finding, ref, impl))
            smaller = self._cut_down(sample, key, finding, ref, state) if source == "fixed" else None
            entry = smaller or Seen(finding, sample, ref, impl, source)
            if key not in seen or entry.sample.smaller_than(seen[key].sample):
                seen[key] = entry
        return judged

    def _cut_down(self, sample: Sample, key: tuple, finding: Finding, ref: Outcome, state: CaseState) -> Seen | None:
        """For an elementwise op, the divergent element alone, if it still shows the divergence."""
        if not self.op.elementwise or finding.index is None or ref.raised or isinstance(ref.value, tuple):
            return None
        shape = np.shape(ref.value)
        if not shape:
            return None
        args = tuple(np.array([np.broadcast_to(a, shape)[finding.index]], dtype=a.dtype)
                     if isinstance(a, np.ndarray) else a for a in sample.args)
        small = Sample(args, dict(sample.kwargs), note=f"element {finding.index} of: {sample.note}".rstrip(": "))
        try:
            ref2, impl2, findings2 = self.evaluate(small)
        except (Unreadable, NotApplicable):
            return None
        for key2, f in state.judge(findings2, small, ref2, impl2, self.op.elementwise):
            if key2 == key:
                return Seen(f, small, ref2, impl2, "fixed")
        return None

    def _hypothesis(self, dtype: str, state: CaseState, max_examples: int, seed: int, known=frozenset()):
        """Generated inputs. Divergences with a ``known`` key (declared and already shown by a
        fixed sample) are recorded but not shrunk: Hypothesis spends its budget on new ones."""
        if max_examples <= 0:
            return 0, []
        calls = 0

        @hypothesis.seed(seed)
        @settings(max_examples=max_examples, database=None, deadline=None, derandomize=False,
                  phases=(Phase.explicit, Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck),
                  verbosity=Verbosity.quiet, report_multiple_bugs=True, print_blob=False)
        @given(self.op.strategy(np.dtype(dtype)))
        def check(sample):
            nonlocal calls
            calls += 1
            findings = [f for key, f in self._check(sample, state, "generated") if key not in known]
            if findings:
                raise SIGNALS[findings[0].category]()

        # Without a database Hypothesis still names one by a digest of the test's source (inspect and
        # tokenize, each case); it reads its internal key attribute first. The inputs are the same.
        check._hypothesis_internal_database_key = None
        notes = []
        try:
            with seed_only_generation():
                check()
        except DivergenceSignal:
            pass
        except hypothesis.errors.Flaky as exc:
            notes.append(f"flaky: a divergent input did not diverge again when replayed ({type(exc).__name__})")
        except BaseExceptionGroup as group:
            rest = group.split(DivergenceSignal)[1]
            if rest is not None:
                raise rest from None
        return calls, notes

    def _divergence_record(self, seen: Seen, dtype: str, elements: dict | None = None) -> dict[str, Any]:
        f = seen.finding
        listed = {"elements": list(elements.values())[:ELEMENT_LIMIT], "elements_total": len(elements)} \
            if elements else {}
        graded = None
        # who is right: both sides against the exact value (one-dtype cases: the arbiter takes one input dtype)
        if f.category == "value" and self.op.elementwise and not domain.is_mixed(dtype):
            graded = arbiter.arbitrate(self.op.name, dtype, listed["elements"]) if listed else \
                arbiter.arbitrate_arrays(self.op.name, dtype, seen.sample.args, judge.output_at(seen.ref.value, f.path),
                                         judge.output_at(seen.impl.value, f.path), seen.sample.kwargs)
        return {
            "category": f.category,
            "detail": f.detail,
            **{k: v for k, v in f.to_json().items() if k in ("max_abs_err", "max_rel_err", "max_ulp", "path", "count")},
            "source": seen.source,
            "note": seen.sample.note or None,
            "input": literal.sample_literal(seen.sample),
            "reference": self.describe(seen.ref),
            "implementation": self.describe(seen.impl),
            "reproducer": standalone.script(
                op=self.op.name, backend=self.backend.name, device=self.device, surface=self.surface,
                dtype=dtype, category=f.category, sample=seen.sample, detail=f.detail,
                settings=self.backend.settings or None, runner=self, finding=f, ref=seen.ref, impl=seen.impl),
            **listed,
            **({"arbiter": graded} if graded else {}),
        }


def differing_elements(sample: Sample, finding: Finding, ref: Outcome, impl: Outcome) -> dict[tuple, dict]:
    """Every element an elementwise finding marks as differing, keyed by its inputs: the inputs
    (broadcast to the output's shape), and both outputs, as text that keeps every bit."""
    mask, r, m = finding.mask, judge.output_at(ref.value, finding.path), judge.output_at(impl.value, finding.path)
    if mask is None or r is None or m is None or np.shape(r) != np.shape(mask) or np.shape(m) != np.shape(mask):
        return {}
    shape = np.shape(mask)
    try:
        args = [np.broadcast_to(a, shape) if isinstance(a, np.ndarray) else a for a in sample.args]
    except ValueError:
        return {}
    found = {}
    for index in map(tuple, np.argwhere(mask)):
        inputs = [_element_text(a[index]) if isinstance(a, np.ndarray) else repr(a) for a in args]
        found.setdefault(tuple(inputs), {"input": inputs, "reference": _element_text(np.asarray(r)[index]),
                                         "implementation": _element_text(np.asarray(m)[index])})
    return found


def _element_text(x) -> str:
    """A NumPy scalar as its shortest round-trip text (str of NumPy scalars), e.g. -0.0, nan, (1+infj)."""
    return str(x)


def reference_call(op: OpInfo, sample: Sample):
    """The reference's call on a sample, as a thunk: NEP 50 scalars (:func:`weak_scalars`), results as NumPy."""
    args = weak_scalars(sample.args)
    return lambda: _numpy_result(op.ref(*args, **sample.kwargs))


def _numpy_result(value):
    if isinstance(value, (tuple, list)):
        return tuple(_numpy_result(v) for v in value)
    return np.asarray(value)


def guarded(call) -> Outcome:
    """The outcome of a call: its value, or the exception it raised (of a library, an outcome like any other)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return Outcome(value=call())
    except Exception as exc:  # the library under test may raise anything: that is data
        return Outcome.from_exception(exc)


def _describe_value(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_describe_value(v) for v in value) + ")"
    arr = np.asarray(value)
    text = np.array2string(arr, threshold=24, edgeitems=4, max_line_width=120, precision=9)
    return f"{text} dtype={arr.dtype} shape={arr.shape}"
