"""One run on the controller: its cases, the records as they arrive, resume, the document and the outputs.

The pytest plugin feeds a :class:`RunSession` records (from workers, or made here for a worker
that died); the session streams each to ``records.jsonl``, and at the end builds the results
document and writes ``results.json``, ``report.html`` and the reproducers. ``parity run`` takes
its exit status from the session, not from files on disk.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from parity import results
from parity.backends import reported_libraries
from parity.options import OPTIONS_FILE, OptionsError, RunOptions
from parity.selection import for_options
from parity.taxonomy import fails

EXIT_OK, EXIT_DIVERGENCES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class RunSession:
    def __init__(self, options: RunOptions, *, apart: bool = False):
        """Check the options, resolve the selection and the cases (OptionsError, SelectionError).
        ``apart``: the cases run in worker processes (this one never calls the libraries)."""
        options.check()
        self.options = options
        self.selection = for_options(options, apart=apart)
        self.cases = {c.id: c for c in options.cases(self.selection)}
        self.out = options.out_dir
        self.records: dict[str, dict] = {}
        self.checked: set[str] = set()  # records validated where they were made
        self.resumed: dict[str, dict] = {}
        self.log: results.JsonlLog | None = None
        self.scripts: results.ReproducerFolder | None = None  # written as the records come
        self.started = time.time()
        self.document: dict | None = None
        self.interrupted = False

    def start(self, *, store_options: bool = True) -> None:
        """Open the output folder. Resuming: read and check what the interrupted run left there.
        A fresh run: store its options (``run.json``) and take away an earlier run's results, so
        the folder never shows one run's results.json next to another's records.jsonl."""
        if self.out is None:
            return
        if problem := results.unwritable(self.out):
            raise OptionsError(f"{problem}; choose another with --out")
        log = self.out / "records.jsonl"
        if not self.options.resume:
            if store_options:
                self.options.save(self.out)
            for name in ("results.json", "report.html"):
                (self.out / name).unlink(missing_ok=True)
            self.log = results.JsonlLog(log)
            self.scripts = results.ReproducerFolder(self.out)
            return
        try:
            earlier = results.read_log(log)
            if (self.out / "results.json").exists():
                results.read(self.out / "results.json")
        except results.ResultsError as exc:
            raise OptionsError(f"{exc}; move it out of {self.out} to resume, or start afresh with --out") from None
        foreign = next((r["id"] for r in earlier if r["id"] not in self.cases), None)
        if foreign:
            raise OptionsError(f"{log}: holds case {foreign!r}, which the run stored in {self.out / OPTIONS_FILE} "
                               f"does not select; start afresh with --out")
        self.resumed = {r["id"]: r for r in earlier}
        self.records.update(self.resumed)
        self.log = results.JsonlLog(log, earlier)
        self.scripts = results.ReproducerFolder(self.out)
        for record in earlier:
            self.scripts.add(record)

    @property
    def pending(self) -> list:
        """The cases still to run, in selection order."""
        return [c for cid, c in self.cases.items() if cid not in self.resumed]

    def add(self, record: dict, *, checked: bool = False, text: str | None = None) -> None:
        """``checked``: validated where it was made; ``text``: its JSON as it arrived."""
        self.records[record["id"]] = record
        (self.checked.add if checked else self.checked.discard)(record["id"])
        if self.log:
            self.log.append(record, text)
        if self.scripts:
            self.scripts.add(record)

    def lost(self, case_id: str, fault: dict) -> None:
        """A case whose worker died or whose item failed outside the runner: a crash/timeout record."""
        from parity.execute import fault_record

        self.add(fault_record(self.cases[case_id], fault))

    def finish(self, *, interrupted: bool, workers: int) -> dict:
        """Build the document and write the outputs (also of an interrupted run)."""
        self.interrupted = interrupted
        if self.log:
            self.log.close()
        self.document = build_document(self, workers=workers)
        if self.out:
            write_outputs(self.document, self.out, checked=self.checked, scripts=self.scripts)
        return self.document

    def exit_status(self) -> int:
        """0 when every case is parity or known, 1 when one fails the gate (or no results came), 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.document is None:
            return EXIT_DIVERGENCES
        gate = self.options.gate
        return EXIT_DIVERGENCES if any(fails(r, gate) for r in self.document["records"]) else EXIT_OK


def build_document(session: RunSession, *, workers: int) -> dict:
    sel, options = session.selection, session.options
    run = {
        "started": datetime.fromtimestamp(session.started, UTC).isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - session.started, 2),
        "interrupted": session.interrupted,
        "complete": len(session.records) == len(session.cases),
        "cases_selected": len(session.cases),
        "seed": options.seed,
        "max_examples": options.max_examples,
        "surface": sel.surface,
        "ops": [op.name for op in sel.ops],
        "dtypes": sel.dtypes,
        "domain": sel.domain,
        "backends": [b.describe() | {"device": sel.devices[b.name]} for b in sel.backends],
        "unavailable": sel.unavailable,
        "libraries": results.library_versions(reported_libraries(sel.backends)),
        "platform": results.platform_info(),
        "argv": sys.argv,
        "workers": workers,
        "shard": options.shard,
        "resumed": len(session.resumed),
        "case_timeout_s": options.case_timeout,
        "fail_on": list(options.gate),
    }
    return results.document(run, list(session.records.values()))


def write_outputs(doc: dict, out: Path, *, checked=frozenset(), scripts=None) -> None:
    """results.json, report.html and one reproducer script per divergence that has one. ``checked``:
    ids of records validated where they were made; ``scripts``: the run's ReproducerFolder."""
    from parity import report

    results.write(out / "results.json", doc, checked=checked)
    report.write_html(doc, out / "report.html")
    if scripts is not None:
        scripts.close(doc)
    else:
        results.write_reproducers(doc, out)
