"""The ``parity`` command: run, list, backends, reproducer.

``parity run`` validates the selection itself (so a bad backend, op pattern,
dtype or device gets one line and exit status 2 before anything starts), then
runs pytest with the project's plugin and pytest-xdist. Exit status: 0 when no
case is new, stale, crashed or timed out; 1 otherwise; 2 for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from opinfo.spec import RegistryError
from parity.options import ARGUMENTS, add_arguments
from parity.options import usage_error as _fail

EXIT_OK, EXIT_DIVERGENCES, EXIT_USAGE = 0, 1, 2
#: The pytest plugins of ``parity run`` (third-party ones are not auto-loaded).
LEAN_PLUGINS = ("-p", "xdist.plugin", "-p", "parity.plugin", "-p", "no:logging", "-p", "no:warnings",
                "-p", "no:faulthandler", "-p", "no:unraisableexception", "-p", "no:threadexception")
#: ``parity run`` options that --resume takes from the run it finishes (argparse destinations).
RESUME_CONFLICTS = (*(name.replace("-", "_") for name, _ in ARGUMENTS), "out")


#: Subcommands that live in a module of their own: ``add_parser(subparsers)`` declares the subcommand (its
#: module imports only the standard library and parity.options at the top, so building the parser stays cheap)
#: and ``run(args) -> int`` runs it and returns the exit status (bad input: ``parity.options.usage_error``).
COMMAND_MODULES = {"check": "parity.registry_check", "new-op": "parity.new_op", "docs": "parity.docs",
                   "baseline": "parity.baseline"}
#: One example line per subcommand, shown at the end of its --help.
EXAMPLES = {
    "run": "parity run --backend torch --ops 'linalg.*,sort' --fail-on new,crash",
    "list": "parity list --ops 'elementwise-*' --json",
    "backends": "parity backends --backend sparse",
    "merge": "parity merge reports/torch-shard1of3 reports/torch-shard2of3 reports/torch-shard3of3 -o reports/torch",
    "coverage": "parity coverage --spec 2025.12 --backend torch --missing",
    "report": "parity report reports/latest/results.json -o report.html --markdown summary.md",
    "reproducer": "parity reproducer reports/latest 'sort[torch-cpu-complex64]' --format issue",
    "diff": "parity diff old/results.json reports/latest/results.json --markdown diff.md",
}


def _command(sub, name: str, **kwargs) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with its example line (:data:`EXAMPLES`, kept on its line)."""
    return sub.add_parser(name, epilog=f"example:\n  {EXAMPLES[name]}",
                          formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="parity", description="Where an array library differs from NumPy/SciPy.",
                                epilog="example:\n  parity run --backend torch    (parity COMMAND --help: more)",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    run = _command(sub, "run", help="run the parity sweep and write results.json and report.html")
    add_arguments(run.add_argument)
    run.add_argument("-n", "--workers", default="auto", help="pytest-xdist workers (default auto; 0 runs in-process)")
    run.add_argument("--out", default="reports/latest", help="output directory (default reports/latest)")
    shown = run.add_mutually_exclusive_group()  # default: a live progress display (parity/progress.py)
    shown.add_argument("-v", "--verbose", action="store_true", help="one line per case, no progress display")
    shown.add_argument("-q", "--quiet", action="store_true", help="pytest's dots, no progress display")
    run.add_argument("--resume", default=None, metavar="DIR",
                     help="finish an interrupted run in DIR: only the missing cases, with the options it was "
                          "started with")

    lst = _command(sub, "list", help="list the registry")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.add_argument("--ops", action="append", default=[], help="op name or family glob patterns")

    bk = _command(sub, "backends", help="list backends, versions, devices and availability")
    bk.add_argument("--backend", action="append", default=[], metavar="NAME",
                    help="describe this backend in full (built-in, an importable Array API module, module:attribute "
                         "or module:factory(arguments)): namespace, versions, devices, dtypes, conversions")

    mrg = _command(sub, "merge", help="join the results of shards (parity run --shard) into one results.json")
    mrg.add_argument("dirs", nargs="+", metavar="DIR", help="output folders (or results.json files) of the shards")
    mrg.add_argument("-o", "--out", required=True, help="output directory for the joined results and report")
    mrg.add_argument("--fail-on", action="append", default=[], metavar="STATUSES",
                     help="the case statuses that make the merge exit 1 (as parity run's; default: the shards')")

    cov = _command(sub, "coverage", help="per Array API function: registry entry, presence, signature")
    cov.add_argument("--spec", default="2025.12", help="standard version (default 2025.12)")
    cov.add_argument("--backend", default=None, help="also check presence and signatures in this backend")
    cov.add_argument("--surface", default="array-api", choices=["native", "array-api"],
                     help="which namespace of the backend to inspect (default array-api)")
    cov.add_argument("--json", action="store_true", help="machine-readable output")
    cov.add_argument("--missing", action="store_true", help="only functions without a registry entry")

    rep = _command(sub, "report", help="render report.html (and a Markdown summary) from results.json files")
    rep.add_argument("results", nargs="+", metavar="RESULTS.json", help="one or more results files, merged")
    rep.add_argument("-o", "--output", default="report.html", help="HTML file to write (default report.html)")
    rep.add_argument("--markdown", metavar="FILE", help="also write a Markdown summary (CI job summary, PR comment)")

    rpr = _command(sub, "reproducer", help="print one divergence's reproducer, or an upstream bug report around it")
    rpr.add_argument("results", metavar="RESULTS", help="results.json (or the folder holding it)")
    rpr.add_argument("case", metavar="CASE_ID", help="a case id, e.g. 'sort[torch-cpu-complex64]'")
    rpr.add_argument("--category", default=None, help="which divergence, when the case has several")
    rpr.add_argument("--format", default="script", choices=["script", "issue"],
                     help="script (default), or issue: the Markdown body of a bug report (runs the script here)")

    dif = _command(sub, "diff", help="added, removed and changed divergences between two runs; exit 1 if worse")
    dif.add_argument("old", metavar="OLD.json")
    dif.add_argument("new", metavar="NEW.json")
    dif.add_argument("--html", metavar="FILE", help="also write the diff as an HTML page")
    dif.add_argument("--markdown", metavar="FILE", help="also write it as Markdown")
    for module in COMMAND_MODULES.values():
        importlib.import_module(module).add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"run": cmd_run, "list": cmd_list, "backends": cmd_backends, "coverage": cmd_coverage,
                "merge": cmd_merge, "report": cmd_report, "diff": cmd_diff, "reproducer": cmd_reproducer}
    command = commands.get(args.command) or importlib.import_module(COMMAND_MODULES[args.command]).run
    try:
        return command(args)
    except RegistryError as exc:  # a broken registry entry: one line naming the op and field, not a traceback
        return _fail(f"the op registry is invalid: {exc} (fix that entry in opinfo/)")
    except BrokenPipeError:  # the reader went away (parity list | head): stop quietly, as a filter should
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when stdout is flushed
        return EXIT_OK


def cmd_run(args) -> int:
    """Options -> session -> pytest with the session's plugin; the exit status comes from the session."""
    from parity.options import OptionsError, RunOptions, resume_conflict
    from parity.selection import SelectionError

    try:
        if args.resume:  # the interrupted run's options, from DIR/run.json
            given = resume_conflict(args, vars(_parser().parse_args(["run"])), RESUME_CONFLICTS)
            if given:
                raise OptionsError(f"--resume takes the options of the interrupted run from "
                                   f"{Path(args.resume) / 'run.json'}; drop --{given.replace('_', '-')}")
            options = RunOptions.load(Path(args.resume))
        else:
            options = RunOptions.from_args(args)
        from parity.plugin import ParityPlugin
        from parity.session import RunSession

        session = RunSession(options, apart=str(args.workers) != "0")  # starts import probes, then loads the registry
        session.start()
        from parity.execute import process_ends, process_settled  # after: it imports the registry

        process_settled()
    except (OptionsError, SelectionError) as exc:
        return _fail(str(exc))
    out = session.out
    empty = out / ".collect"  # an empty folder for pytest to collect from: only parity cases run
    empty.mkdir(exist_ok=True)
    pytest_args = [
        str(empty), "-p", "no:cacheprovider", "--rootdir", str(empty), "-c", os.devnull,
        "-q" if not args.verbose else "-v", "--no-header", "-r", "fE", "--tb", "line",
        # Only the plugins a run needs: every installed plugin (Hypothesis's, benchmark, json-report...) and
        # pytest's own log capture and warning recorder hook every case, a tenth of a NumPy sweep; the runner
        # silences warnings itself and the worker's guard installs its own faulthandler.
        *LEAN_PLUGINS,
    ]
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # workers inherit it: they load what -p names
    progress = not (args.verbose or args.quiet)
    if progress:  # the display replaces pytest's dots and its [ 42%] column (ParityPlugin blanks the dots)
        pytest_args += ["-o", "console_output_style=classic"]
    if str(args.workers) != "0":  # a crashed or timed-out case costs a worker: replace it, but not forever
        pytest_args += ["-n", str(args.workers), "--dist", "worksteal", "--max-worker-restart",
                        str(len(session.cases) + 8)]
    import pytest

    code = pytest.main(pytest_args, plugins=[ParityPlugin(session, only=True, progress=progress, lean=True)])
    if session.document is None:
        print(f"parity: the run produced no results (pytest exit status {int(code)})", file=sys.stderr)
        return EXIT_USAGE if code == pytest.ExitCode.USAGE_ERROR else EXIT_DIVERGENCES
    if session.interrupted:
        print(f"parity: interrupted; partial results in {out / 'results.json'}", file=sys.stderr)
    process_ends()
    return session.exit_status()


def cmd_merge(args) -> int:
    from parity import merge

    try:
        return merge.merge_dirs([Path(d) for d in args.dirs], Path(args.out), tuple(args.fail_on))
    except merge.MergeError as exc:
        return _fail(str(exc))


def cmd_list(args) -> int:
    import opinfo
    from opinfo import domain
    from parity.options import split_list

    patterns = split_list(args.ops)
    missing = opinfo.unmatched(patterns)
    if missing:
        return _fail(f"op pattern {missing[0]!r} matches nothing in the registry")
    ops = opinfo.select(patterns)
    if args.json:
        entries = [{
            "name": op.name, "family": op.family, "reference": op.reference_name or getattr(op.ref, "__name__", ""),
            "dtypes": list(op.dtypes), "extra_dtypes": list(op.extra_dtypes), "doc": op.doc,
            # the standard's domain is the entry's dtypes and the mixes the standard defines; NumPy's is
            # derived (tools/derive_numpy_domain.py): what the sweep runs beyond the standard is the difference
            "domains": _domains(op),
            "spellings": {k: v if isinstance(v, str) else "<adapter>" for k, v in op.spellings.items()},
            # one row per backend of a declaration, so each row still names one backend
            "expected": [{"backend": b, "category": e.category, "dtypes": e.dtypes, "domain": e.domain,
                          "reason": e.reason, "link": e.link, "surface": e.surface, "versions": dict(e.versions)}
                         for e in op.expected for b in e.backends],
        } for op in ops]
        print(json.dumps(entries, indent=1))
        return EXIT_OK
    for op in ops:
        known = f"  ({len(op.expected)} expected divergences)" if op.expected else ""
        extras = f" + {','.join(op.extra_dtypes)}" if op.extra_dtypes else ""
        wider = len(domain.numpy_dtypes(op.name, op.dtypes)) - len(op.dtypes)
        mixes = len(domain.mixed_dtypes(op.name))
        numpy = f", NumPy +{wider}" + (f" and {mixes} mixes" if mixes else "") if wider or mixes else ""
        print(f"{op.name:28} {op.family:20} {len(op.dtypes):2} dtypes{extras}{numpy}{known}")
    print(f"{len(ops)} ops")
    return EXIT_OK


def _domains(op) -> dict:
    """An entry's two domains, as ``parity list --json`` shows them."""
    from opinfo import domain

    mixes, derived = domain.mixed_dtypes(op.name), domain.derived(op.name)
    standard_mixes = [m for m in mixes if domain.case_domain(op.dtypes, m) == "standard"]
    return {
        "standard": {"dtypes": list(op.dtypes), "mixed": standard_mixes},
        "numpy": {"dtypes": derived["dtypes"], "mixed": list(mixes),
                  "derived_with": f"numpy {domain.numpy_version()}", "gaps": derived["gaps"]},
    }


def cmd_backends(args) -> int:
    from parity.backends import BackendUnavailable, builtin_backends

    if args.backend:
        return _describe_backends(args.backend)

    for backend in builtin_backends().values():
        problem = backend.installed()
        if problem:
            print(f"{backend.name:18} unavailable  {problem}")
            continue
        devices = []
        for device in backend.devices:
            try:
                reason = backend.device_problem(device)
            except BackendUnavailable as exc:
                reason = str(exc)
            devices.append(device if reason is None else f"{device} (unavailable: {reason})")
        print(f"{backend.name:18} {backend.version():14} {', '.join(devices)}")
        for key, setting in backend.SETTINGS.items():
            value = backend.settings[key]
            shown = "" if value is None else str(value).lower() if isinstance(value, bool) else value
            print(f"{'':18} --backend-setting {backend.name}.{key}={shown}  ({setting.help})")
    return EXIT_OK


def _describe_backends(names) -> int:
    from parity import backend_report
    from parity.backends import BackendUnavailable, UnknownBackend, get_backend

    status = EXIT_OK
    for i, name in enumerate(names):
        try:
            lines = backend_report.report(get_backend(name))
        except UnknownBackend as exc:
            return _fail(str(exc))
        except BackendUnavailable as exc:
            lines, status = [f"backend      {name}: unavailable: {exc}"], EXIT_DIVERGENCES
        print(("\n" if i else "") + "\n".join(lines))
    return status


def cmd_coverage(args) -> int:
    import opinfo
    from parity import coverage
    from parity.selection import SelectionError, resolve

    try:
        coverage.load_spec(args.spec)
    except coverage.SpecError as exc:
        return _fail(str(exc))
    namespace = None
    if args.backend:
        try:
            sel = resolve([args.backend], surface=args.surface)
        except SelectionError as exc:
            return _fail(str(exc))
        backend = sel.backends[0]
        namespace = backend.surface_namespace(args.surface, sel.devices[backend.name])
    rows = coverage.coverage(args.spec, opinfo.REGISTRY, namespace)
    if args.missing:
        rows = [r for r in rows if not r.has_entry]
    if args.json:
        print(json.dumps({"spec": args.spec, "backend": args.backend, "surface": args.surface,
                          "functions": coverage.as_json(rows)}, indent=1))
        return EXIT_OK
    for r in rows:
        line = f"{r.name:28} {r.category:14} {'entry' if r.has_entry else 'NO ENTRY':9}"
        if r.present is not None:
            line += f" {'present' if r.present else 'MISSING':8} {r.signature or ''}"
        print(line.rstrip())
    covered = sum(r.has_entry for r in rows)
    summary = f"{covered} of {len(rows)} functions of the Array API {args.spec} have a registry entry"
    if namespace is not None:
        summary += (f"; {sum(bool(r.present) for r in rows)} present in {args.backend} ({args.surface}), "
                    f"{sum(r.signature == 'match' for r in rows)} with matching signatures")
    print(summary)
    return EXIT_OK


def _write_text(path: str, text: str) -> None:
    from parity.results import write_atomic

    write_atomic(Path(path), text)


def cmd_report(args) -> int:
    """Re-render from JSON: exit 0 once written, 2 for an unreadable or foreign results file."""
    from parity import report, results, summary

    try:
        docs = [results.read(Path(p)) for p in args.results]
        report.write_html(docs, Path(args.output), sources=args.results)
        if args.markdown:
            _write_text(args.markdown, summary.markdown(docs))
    except results.ResultsError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename}: {exc.strerror}")
    print(f"report: {args.output}" + (f"\nsummary: {args.markdown}" if args.markdown else ""))
    return EXIT_OK


def cmd_reproducer(args) -> int:
    """Exit 0 with the script or the report printed, 2 for an unreadable file or an unknown case."""
    from parity import issue, results

    try:
        doc = issue.load(args.results)
        record, divergence = issue.find(doc, args.case, args.category)
    except (results.ResultsError, issue.IssueError) as exc:
        return _fail(str(exc))
    if args.format == "issue":
        print(issue.markdown(doc, record, divergence), end="")
    else:
        print(divergence["reproducer"], end="")
    return EXIT_OK


def cmd_diff(args) -> int:
    """Exit 0 when nothing got worse, 1 when a divergence was added or got worse, 2 for bad input."""
    from parity import diff, results, summary

    try:
        d = diff.diff(results.read(Path(args.old)), results.read(Path(args.new)))
        if args.html:
            diff.write_html(d, Path(args.html), (args.old, args.new))
        if args.markdown:
            _write_text(args.markdown, summary.diff_markdown(d))
    except results.ResultsError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename}: {exc.strerror}")
    print("\n".join(diff.text_lines(d)))
    return d.exit_status


if __name__ == "__main__":
    sys.exit(main())
