"""The pytest plugin: one pytest item per case; only pytest hooks live here.

``pytest --parity-backend torch`` adds one item per (op, backend, device, dtype) to whatever
else pytest collects; ``parity run`` registers its own :class:`ParityPlugin` around a
:class:`~parity.session.RunSession`. The controller (or the single process) owns the session:
records arrive in ``pytest_runtest_logreport`` and the outputs are written at session finish.
Under pytest-xdist the controller hands each worker the run's options and its cases through
``workerinput``; a worker runs cases with an :class:`~parity.execute.Executor`, guarded as
:mod:`parity.isolation` describes, and attaches each record to its report. ``parity run`` (not its
-q or -v) also shows the records on a :mod:`parity.progress` display, in place of pytest's dots.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from parity.options import OptionsError, RunOptions, add_arguments
from parity.taxonomy import fails

RECORD_KEY = "parity_record"
_PLUGIN = pytest.StashKey["ParityPlugin"]()


def pytest_addoption(parser):
    group = parser.getgroup("array-parity", "array-parity: compare array libraries with NumPy")
    add_arguments(group.addoption, prefix="--parity-")
    group.addoption("--parity-out", default=None, help="directory for results.json and report.html")
    group.addoption("--parity-all-backends", action="store_true", help="every available CPU backend")
    group.addoption("--parity-only", action="store_true", help="run only parity cases, deselect other tests")
    group.addoption("--parity-resume", action="store_true",
                    help="keep the records already in the output folder's records.jsonl and run only the rest")


def pytest_configure(config):
    if any(isinstance(p, ParityPlugin) for p in config.pluginmanager.get_plugins()):
        return  # `parity run` registered its own
    from parity.selection import SelectionError

    try:
        if "parity_options" in getattr(config, "workerinput", {}):
            plugin = ParityPlugin.for_worker(config.workerinput)
        elif (options := RunOptions.from_pytest(config)) is not None:
            from parity.session import RunSession

            plugin = ParityPlugin(RunSession(options), only=config.getoption("--parity-only"))
            plugin.session.start(store_options=False)
        else:
            return
    except (OptionsError, SelectionError) as exc:
        raise pytest.UsageError(f"array-parity: {exc}") from None
    config.pluginmanager.register(plugin, "array-parity")


class ParityPlugin:
    """The session's hooks on the controller (``session`` given) or a worker's (``cases`` given)."""

    def __init__(self, session=None, *, only=False, cases=(), executor=None, progress=False, lean=False):
        self.session, self.only, self.progress = session, only, progress
        self.lean = lean  # `parity run`'s reports (pytest_runtest_protocol)
        self.display = None  # the live progress display (parity.progress), on the controller when asked for
        self.cases = list(session.pending if session else cases)
        self._executor = executor
        self.fault_dir: Path | None = None
        self.workers = 0

    @classmethod
    def for_worker(cls, workerinput: dict) -> ParityPlugin:
        from parity.case import Case
        from parity.execute import Executor, process_settled
        from parity.isolation import Guard, set_memory_limit
        from parity.selection import for_options

        options = RunOptions.from_json(json.loads(workerinput["parity_options"]))
        guard = None
        if workerinput.get("parity_fault_dir"):
            guard = Guard(Path(workerinput["parity_fault_dir"]), workerinput["workerid"], options.case_timeout)
            set_memory_limit(options.memory_bytes, workerinput.get("workercount", 1))
        executor = Executor(for_options(options), options, guard)
        process_settled()
        return cls(only=workerinput["parity_only"], cases=[Case(*c) for c in json.loads(workerinput["parity_cases"])],
                   executor=executor, lean=workerinput.get("parity_lean", False))

    @property
    def executor(self):
        if self._executor is None:  # in-process (-n 0): no guard
            from parity.execute import Executor

            self._executor = Executor(self.session.selection, self.session.options)
        return self._executor

    @pytest.hookimpl(trylast=True)  # after pytest's terminal reporter, which the progress display writes through
    def pytest_configure(self, config):
        config.stash[_PLUGIN] = self
        if self.session is None:
            return
        self.workers = getattr(config.option, "numprocesses", None) or 0
        if self.progress and (reporter := config.pluginmanager.get_plugin("terminalreporter")):
            from parity.progress import display

            self.display = display(self.cases, self.workers or 1, reporter.write_line, config.get_terminal_writer(),
                                   earlier=self.session.resumed.values())
        if self.workers:  # workers report what they were doing here
            out = self.session.out
            self.fault_dir = out / ".workers" if out else Path(tempfile.mkdtemp(prefix="array-parity-workers-"))
            if out:
                shutil.rmtree(self.fault_dir, ignore_errors=True)
                self.fault_dir.mkdir(parents=True)

    def pytest_collection_modifyitems(self, session, config, items):
        if self.only:
            items.clear()
        items.extend(ParityItem.from_parent(session, name=case.id, case=case) for case in self.cases)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node):
        """xdist, controller side: every worker (also a replacement) gets the options and the same cases."""
        node.workerinput["parity_options"] = json.dumps(self.session.options.to_json())
        # one JSON text: execnet's serializer, written in Python, took 0.1 s a worker for 10,000 lists
        node.workerinput["parity_cases"] = json.dumps([[c.op, c.backend, c.device, c.dtype, c.surface]
                                                       for c in self.cases])
        node.workerinput["parity_only"], node.workerinput["parity_lean"] = self.only, self.lean
        if self.fault_dir:
            node.workerinput["parity_fault_dir"] = str(self.fault_dir)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        """xdist, controller side: keep a dead worker's exit status, which names a killing signal."""
        if error and self.fault_dir:
            from parity.isolation import keep_exit_status

            keep_exit_status(node.gateway, self.fault_dir)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """The record travels on the call's report only (pytest copies an item's properties into each)."""
        report = yield
        if call.when == "call" and isinstance(item, ParityItem):
            item.user_properties[:] = [p for p in item.user_properties if p[0] != RECORD_KEY]
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """`parity run` sends a case's call report, a setup's or teardown's only if it failed (pytest's route: all)."""
        if not (self.lean and isinstance(item, ParityItem)):
            return None
        from _pytest.runner import runtestprotocol
        item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        for report in runtestprotocol(item, log=False, nextitem=nextitem):
            if report.when == "call" or not report.passed:
                item.ihook.pytest_runtest_logreport(report=report)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
        return True

    def pytest_runtest_logstart(self, nodeid, location):
        if self.display:  # the bars appear when the first case starts, after xdist's start-up lines
            self.display.start()

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report, config):
        """With the display on, a case's dot is blanked; category and word stay for pytest's summary."""
        result = yield
        if self.display and result and result[1] and report.nodeid.rsplit("::", 1)[-1] in self.session.cases:
            return result[0], "", result[2]
        return result

    def pytest_runtest_logreport(self, report):
        if self.session is None:
            return
        props = dict(report.user_properties)
        if RECORD_KEY in props and report.when == "call":
            record = json.loads(props[RECORD_KEY])
            self.session.add(record, checked=True, text=props[RECORD_KEY])  # validated: parity.execute.sealed
            if self.display:
                self.display.add(record)
            return
        # a crashed xdist worker's report is made by the controller, without the item's properties
        cid = props.get("parity_case") or report.nodeid.rsplit("::", 1)[-1]
        if report.failed and cid in self.session.cases and cid not in self.session.records:
            from parity.isolation import lost_fault

            self.session.lost(cid, lost_fault(report.longrepr, self.fault_dir, cid, self.session.options.case_timeout))
            if self.display:
                self.display.add(self.session.records[cid])

    def pytest_sessionfinish(self, session, exitstatus):
        if self.session is None:
            return
        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        if self.display:  # its last line or frame comes before pytest's summary
            self.display.close(interrupted=interrupted)
        if self.fault_dir:
            shutil.rmtree(self.fault_dir, ignore_errors=True)
        self.session.finish(interrupted=interrupted, workers=self.workers)

    def pytest_unconfigure(self, config):
        if self.display:  # a session that ended before its finish: give the terminal back all the same
            self.display.close(interrupted=True)
        if self._executor is not None and self.session is None:  # an xdist worker: its process ends next
            from parity.execute import process_ends

            process_ends()

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        doc = self.session.document if self.session else None
        if doc is None:
            return
        from parity import report

        terminalreporter.section("array-parity")
        for line in report.closing_lines(doc, self.session.out):
            terminalreporter.write_line(line)


class ParityItem(pytest.Item):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.user_properties.append(("parity_case", case.id))

    def runtest(self):
        executor = self.config.stash[_PLUGIN].executor
        record, text = executor.sealed(self.case)
        self.user_properties.append((RECORD_KEY, text))
        if fails(record, gate := executor.options.gate):
            raise ParityFailure(record, gate)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ParityFailure):
            return excinfo.value.describe()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, self.name


class ParityFailure(Exception):
    def __init__(self, record, gate):
        super().__init__(record["id"])
        self.record, self.gate = record, gate

    def describe(self) -> str:
        from parity import report

        return report.failure_text(self.record, self.gate)
