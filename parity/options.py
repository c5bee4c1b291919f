"""The options of one run, as one frozen object built from ``parity run``'s arguments or pytest's.

Only the standard library is imported here: the pytest plugin loads this module in every pytest
session of an environment where array-parity is installed.

``parity run`` and ``pytest --parity-...`` accept the same options and check them with the same
code: :class:`RunOptions` is built from either, checked once (:meth:`RunOptions.check`), resolved
into a selection and its cases, stored next to the results in ``run.json`` (so ``--resume`` runs
the rest of an interrupted run with exactly its options) and handed to xdist workers as JSON.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPTIONS_FILE = "run.json"
OPTIONS_SCHEMA = "array-parity/run-options"
OPTIONS_VERSION = 2
DEFAULT_CASE_TIMEOUT = 600.0  # seconds: a JAX case compiling every shape took up to 231 s on an overloaded
# 2-core machine; a hang costs one worker this long
#: What decides a run's cases and their outcomes: stored for --resume (output, workers and verbosity are not).
STORED = ("backends", "device", "surface", "ops", "dtypes", "domain", "max_examples", "seed", "settings",
          "case_timeout", "memory_limit", "shard", "spec", "fail_on")
#: The Array API standard's versions conformance checks against (``opinfo.conformance.SPEC_VERSIONS``).
SPEC_VERSIONS = ("2024.12", "2025.12")


#: The run options, one table for ``parity run --NAME`` and ``pytest --parity-NAME`` (argparse keywords).
ARGUMENTS = (
    ("backend", {"action": "append", "default": [],
                 "help": "backend (numpy, array_api_strict, torch, jax, dask, cupy; or any Array API library: a module "
                         "that is its namespace, module:attribute, module:factory(arguments)); repeat or "
                         "comma-separate; default: every available CPU backend"}),
    ("device", {"default": None, "help": "device for the selected backends (cpu, cuda, gpu)"}),
    ("surface", {"default": "native", "choices": ["native", "array-api"],
                 "help": "native namespace (torch, jax.numpy, ...) or the Array API namespace"}),
    ("ops", {"action": "append", "default": [], "help": "op name or family glob patterns, comma-separated"}),
    ("dtypes", {"action": "append", "default": [],
                "help": "dtype names, comma-separated (a mix of two named dtypes, int8+float32, runs too)"}),
    ("domain", {"default": "all", "choices": ["all", "standard", "numpy"],
                "help": "the standard's dtypes and mixes only, the rest of NumPy's domain only, or both (default)"}),
    ("spec", {"default": SPEC_VERSIONS[-1], "choices": list(SPEC_VERSIONS),
              "help": "the Array API standard's version the conformance checks hold a library to (default: the "
                      "newest); select them alone with --ops 'conformance/*'"}),
    ("max-examples", {"type": int, "default": 10, "help": "Hypothesis examples per case (default 10)"}),
    ("seed", {"type": int, "default": 0, "help": "the same seed gives the same cases and results"}),
    ("backend-setting", {"action": "append", "default": [], "metavar": "NAME.KEY=VALUE",
                         "help": "a backend setting, e.g. jax.x64=false or dask.chunks_per_axis=3; repeat for more "
                                 "(a value may contain commas; `parity backends` lists each backend's settings)"}),
    ("no-jax-x64", {"action": "store_true", "help": "run JAX with 32-bit default types (= jax.x64=false)"}),
    ("case-timeout", {"type": float, "default": DEFAULT_CASE_TIMEOUT, "metavar": "SECONDS",
                      "help": "stop a case after this long and record it as timeout (default 600; 0: no limit; "
                              "needs workers, -n 1 or more)"}),
    ("memory-limit", {"default": "auto", "metavar": "SIZE",
                      "help": "memory cap of each worker, e.g. 2G: a runaway op gets MemoryError, recorded as a "
                              "crash (default auto: physical memory / (workers + 1); none: no cap)"}),
    ("fail-on", {"action": "append", "default": [], "metavar": "STATUSES",
                 "help": "the case statuses that make the run exit 1, comma-separated (default: crash,timeout,"
                         "harness-error,new,stale,unreadable; also known, unsupported, skipped; none: never)"}),
    ("shard", {"default": None, "metavar": "K/N",
               "help": "run only shard K of N, the cases split evenly by expected time (join with parity merge)"}),
)


def add_arguments(add, prefix: str = "--") -> None:
    """Declare :data:`ARGUMENTS` through ``add`` (argparse's add_argument or pytest's addoption)."""
    for name, kwargs in ARGUMENTS:
        add(prefix + name, **kwargs)


class OptionsError(ValueError):
    """A user error in the options; the message is one line saying what to do."""


EXIT_USAGE = 2


def usage_error(message: str) -> int:
    """Bad input, as every ``parity`` subcommand reports it: one line on stderr saying what is wrong and what
    to do, and exit status 2."""
    print(f"parity: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def split_list(values) -> tuple[str, ...]:
    """Accept repeated options and comma-separated lists alike (a comma inside parentheses, between a
    backend factory's arguments, separates nothing)."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in re.split(r",(?![^()]*\))", str(value)) if v.strip()]
    return tuple(out)


def parse_memory(text) -> int | None:
    """'2G', '512M', '1.5g', a number of bytes, 'auto' (None here: decided per worker) or 'none' (0)."""
    text = str(text).strip().lower()
    if text == "auto":
        return None
    if text in ("none", "0", "off"):
        return 0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", text)
    if not match:
        raise ValueError(f"memory limit {text!r}: expected a size such as 2G or 512M, 'auto' or 'none'")
    size = int(float(match.group(1)) * 1024 ** " kmgt".index(match.group(2) or " "))
    if size < 256 * 2**20:
        raise ValueError(f"memory limit {text!r} is below 256M, too little to import the libraries")
    return size


@dataclass(frozen=True)
class RunOptions:
    backends: tuple[str, ...] = ()  # empty: every available CPU backend
    device: str | None = None
    surface: str = "native"
    ops: tuple[str, ...] = ()  # name or family glob patterns; empty: all
    dtypes: tuple[str, ...] = ()  # empty: each op's own dtypes
    domain: str = "all"  # "standard", "numpy" or "all"
    max_examples: int = 10
    seed: int = 0
    settings: tuple[str, ...] = ()  # backend settings, "NAME.KEY=VALUE"
    case_timeout: float = DEFAULT_CASE_TIMEOUT
    memory_limit: str = "auto"
    shard: str | None = None
    spec: str = SPEC_VERSIONS[-1]
    fail_on: tuple[str, ...] = ()  # statuses that fail the run; empty: parity.taxonomy.FAILING
    out: str | None = None
    resume: bool = False

    # ---- building
    @classmethod
    def from_args(cls, args) -> RunOptions:
        """From ``parity run``'s argparse namespace."""
        return cls._build(lambda name: getattr(args, name.replace("-", "_")), out=args.out,
                          resume=bool(args.resume))

    @classmethod
    def from_pytest(cls, config) -> RunOptions | None:
        """From pytest's ``--parity-...`` options; None when no backend is asked for (plugin idle)."""
        opt = config.getoption
        if not (opt("--parity-backend") or opt("--parity-all-backends")):
            return None
        return cls._build(lambda name: opt(f"--parity-{name}"), out=opt("--parity-out"),
                          resume=bool(opt("--parity-resume")))

    @classmethod
    def _build(cls, get, **rest) -> RunOptions:
        settings = tuple(s.strip() for s in get("backend-setting")) + (("jax.x64=false",) if get("no-jax-x64") else ())
        return cls(backends=split_list(get("backend")), device=get("device"), surface=get("surface"),
                   ops=split_list(get("ops")), dtypes=split_list(get("dtypes")),
                   domain=get("domain") or "all", max_examples=get("max-examples"),
                   seed=get("seed"), settings=settings, case_timeout=get("case-timeout"),
                   memory_limit=str(get("memory-limit")), shard=get("shard"), spec=get("spec") or SPEC_VERSIONS[-1],
                   fail_on=split_list(get("fail-on")), **rest)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunOptions:
        tuples = {f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple")}
        return cls(**{k: tuple(v) if k in tuples else v for k, v in data.items()})

    # ---- checking and resolving
    def check(self) -> None:
        """The options that need no registry, checked before it is imported."""
        from parity import shard
        from parity.taxonomy import parse_fail_on

        try:
            parse_fail_on(self.fail_on)
        except ValueError as exc:
            raise OptionsError(str(exc)) from None
        if self.case_timeout < 0:
            raise OptionsError("--case-timeout must be 0 (no limit) or a number of seconds")
        if self.max_examples < 0:
            raise OptionsError("--max-examples must be 0 or more")
        try:
            parse_memory(self.memory_limit)
        except ValueError as exc:
            raise OptionsError(f"--memory-limit: {exc}") from None
        if self.shard:
            try:
                shard.parse(self.shard)
            except shard.ShardError as exc:
                raise OptionsError(str(exc)) from None

    @property
    def gate(self) -> tuple[str, ...]:
        """The statuses that fail this run (``--fail-on``)."""
        from parity.taxonomy import parse_fail_on

        return parse_fail_on(self.fail_on)

    @property
    def memory_bytes(self) -> int | None:
        return parse_memory(self.memory_limit)

    @property
    def out_dir(self) -> Path | None:
        return Path(self.out) if self.out else None

    def cases(self, selection) -> list:
        """The cases of this run: its shard of the selection, if any."""
        from parity import shard

        cases = selection.cases()
        return shard.select(cases, *shard.parse(self.shard)) if self.shard else cases

    # ---- run.json, for --resume
    def save(self, folder: Path) -> None:
        from parity.results import write_atomic

        stored = {k: v for k, v in self.to_json().items() if k in STORED}
        write_atomic(folder / OPTIONS_FILE, json.dumps(
            {"schema": OPTIONS_SCHEMA, "schema_version": OPTIONS_VERSION, "options": stored}, indent=1) + "\n")

    @classmethod
    def load(cls, folder: Path) -> RunOptions:
        """The options an interrupted run in ``folder`` was started with, to resume it."""
        path = folder / OPTIONS_FILE
        if not folder.is_dir():
            raise OptionsError(f"--resume {folder}: no such directory")
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise OptionsError(f"--resume {folder}: it has no {OPTIONS_FILE}, so no `parity run` was started there; "
                               f"start one with --out {folder}") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OptionsError(f"{path}: unreadable ({exc}); start a fresh run with --out {folder}") from None
        ours = isinstance(stored, dict) and stored.get("schema") == OPTIONS_SCHEMA
        options = _upgrade(stored) if ours else None
        if not isinstance(options, dict) or any(name not in options for name in STORED):
            raise OptionsError(f"{path}: not the options file of `parity run`; start a fresh run with --out {folder}")
        if stored.get("schema_version") not in (1, OPTIONS_VERSION):
            raise OptionsError(f"{path}: written by another version of array-parity (schema_version "
                               f"{stored.get('schema_version')!r}); start a fresh run with --out {folder}")
        return cls.from_json({k: options[k] for k in STORED} | {"out": str(folder), "resume": True})


def _upgrade(stored: dict) -> dict | None:
    """Version 1 named the backends ``backend`` and had JAX's 64-bit switch as ``no_jax_x64``; runs
    before NumPy's domain ran only the standard's cases; runs before --fail-on had the default gate."""
    options = stored.get("options")
    if not isinstance(options, dict):
        return options
    options = {"domain": "standard", "spec": SPEC_VERSIONS[-1], "fail_on": [], **options}
    if stored.get("schema_version") != 1:
        return options
    if "backend" in options and "no_jax_x64" in options:
        options["backends"] = options.pop("backend")
        options["settings"] = ["jax.x64=false"] if options.pop("no_jax_x64") else []
    return options


def resume_conflict(args, defaults: dict, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` (argparse destinations) given a non-default value beside --resume."""
    return next((name for name in names if getattr(args, name) != defaults[name]), None)
