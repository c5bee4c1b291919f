"""``parity diff OLD.json NEW.json``: what changed between two runs (a library upgrade, a harness change).

Cases are matched by id (op, backend, device, dtype, surface). Within a case, the divergences
that *occurred* (new, known; a crash or timeout counts as one) are matched by category:

- **added**: occurs in NEW, not in OLD;
- **removed**: occurred in OLD, not in NEW (fixed upstream, or the harness changed; when NEW
  still declares it, the declaration is now stale);
- **changed**: occurs in both, with another status (known -> new when a declaration went away or
  stopped matching) or another detail (a different error message, other error sizes).

A stale entry (declared, not seen) is not a divergence and is never matched itself. An entry is
**worse** when it is added, or changed to a worse status, and its NEW status fails a CI gate
as new, crash or timeout; and when it stays known but **grew**: more differing elements, or a
larger error (a declaration is no licence for a divergence to get bigger). A case that was
checked in OLD and is ``unsupported`` or ``skipped`` in NEW is **no longer checked**, also worse:
a function that disappeared must not turn the gate green. Divergences of cases run by only one
of the two are listed apart and not counted: they were not compared. A divergence marked
``nondeterministic`` (on either side: its declaration says the library's outcome varies from run to
run on the same input) is matched by its status alone: which samples show it, its detail and its
size vary between two runs of the same code. Exit status: 0 when nothing is worse, 1 when something
is, 2 for bad input.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parity.report import entries
from parity.taxonomy import CASE_FAULTS, STATUSES

OCCURRED = (*CASE_FAULTS, "new", "known")
GATING = (*CASE_FAULTS, "new")
#: Case statuses of a case that was not checked at all.
UNCHECKED = ("unsupported", "skipped")
#: How a divergence's size is measured, in the order the note names them.
SIZES = (("elements_total", "more differing elements"), ("count", "more differing elements"),
         ("max_abs_err", "larger absolute error"), ("max_rel_err", "larger relative error"),
         ("max_ulp", "larger ULP error"))
#: What decides whether a divergence that occurs in both runs changed: its status, its detail, its sizes.
COMPARED = ("status", "detail", *dict.fromkeys(key for key, _ in SIZES))
#: A divergence field: its outcome varies from run to run (see the module's docstring).
NONDETERMINISTIC = "nondeterministic"


@dataclass
class Change:
    kind: str  # added, removed, changed
    record: dict[str, Any]  # the NEW record (the OLD one for removed)
    category: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    worse: bool = False
    note: str = ""

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def status(self) -> str:
        return (self.new or self.old)["status"]

    def describe(self) -> str:
        return (self.new or self.old).get("detail", "")


@dataclass
class Diff:
    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    only_old: list[dict[str, Any]] = field(default_factory=list)
    only_new: list[dict[str, Any]] = field(default_factory=list)
    status_changes: collections.Counter = field(default_factory=collections.Counter)
    compared: int = 0
    unchecked: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (OLD, NEW) records
    #: further warnings of the caller's (``parity baseline diff``: other options or versions than the baseline's)
    notes: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def worse(self) -> list[Change]:
        return [c for c in self.changes if c.worse]

    @property
    def exit_status(self) -> int:
        return 1 if self.worse or self.unchecked else 0

    def library_changes(self) -> list[tuple[str, str, str]]:
        """(library, OLD version, NEW version) for each library whose version differs."""
        a, b = self.old["run"].get("libraries", {}), self.new["run"].get("libraries", {})
        return [(k, a.get(k, "-"), b.get(k, "-")) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]

    def warnings(self) -> list[str]:
        out = []
        for key, what in (("seed", "seeds"), ("max_examples", "example counts"), ("surface", "surfaces")):
            a, b = self.old["run"].get(key), self.new["run"].get(key)
            if a != b:
                out.append(f"the runs used different {what} ({a} and {b}): some differences may come from other "
                           f"inputs, not from a change in behaviour")
        return out + self.notes

    def headline(self) -> str:
        added, removed, changed = (self.of_kind(k) for k in ("added", "removed", "changed"))
        lost = f"; {len(self.unchecked)} cases no longer checked (unsupported or skipped)" if self.unchecked else ""
        return (f"{len(added)} added, {len(removed)} removed, {len(changed)} changed divergences; "
                f"{len(self.worse)} worse (new, crash, timeout or grown) in {self.compared} cases compared{lost}")


def _occurred(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_cat: dict[str, list[dict]] = collections.defaultdict(list)
    for d in entries(record):
        if d["status"] in OCCURRED:
            by_cat[d["category"]].append(d)
    for group in by_cat.values():
        group.sort(key=lambda d: STATUSES.index(d["status"]))
    return by_cat


def _varies(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a.get(NONDETERMINISTIC) or b.get(NONDETERMINISTIC))


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in (COMPARED[:1] if _varies(a, b) else COMPARED))


def _worse(old_status: str | None, new_status: str) -> bool:
    return new_status in GATING and (old_status is None or STATUSES.index(new_status) < STATUSES.index(old_status))


def grown(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How a divergence that occurs in both runs got bigger: its sizes that increased."""
    out = []
    for key, label in SIZES:
        a, b = old.get(key), new.get(key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > a and label not in out:
            out.append(label)
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> Diff:
    result = Diff(old, new)
    old_records = {r["id"]: r for r in old["records"]}
    new_records = {r["id"]: r for r in new["records"]}
    result.only_old = [r for i, r in old_records.items() if i not in new_records]
    result.only_new = [r for i, r in new_records.items() if i not in old_records]
    for cid, nrec in new_records.items():
        orec = old_records.get(cid)
        if orec is None:
            continue
        result.compared += 1
        if orec["status"] != nrec["status"]:
            result.status_changes[(orec["status"], nrec["status"])] += 1
            if nrec["status"] in UNCHECKED and orec["status"] not in UNCHECKED:
                result.unchecked.append((orec, nrec))
        before, after = _occurred(orec), _occurred(nrec)
        stale_now = {d["category"] for d in nrec.get("divergences", []) if d["status"] == "stale"}
        for cat in dict.fromkeys([*before, *after]):
            olds, news = before.get(cat, []), after.get(cat, [])
            for o, n in zip(olds, news):
                if _same(o, n):
                    continue
                notes = []
                if o["status"] != n["status"]:
                    notes.append(f"{o['status']} -> {n['status']}")
                if o.get("detail") != n.get("detail"):
                    notes.append("detail changed")
                elif any(o.get(k) != n.get(k) for k in ("max_abs_err", "max_rel_err", "max_ulp")):
                    notes.append("error size changed")
                elif o.get("elements_total") != n.get("elements_total") or o.get("count") != n.get("count"):
                    notes.append("number of differing elements changed")
                more = grown(o, n) if n["status"] in OCCURRED and o["status"] in OCCURRED and not _varies(o, n) else []
                if more:
                    notes.append("grew: " + ", ".join(more))
                result.changes.append(Change("changed", nrec, cat, o, n, _worse(o["status"], n["status"]) or bool(more),
                                             "; ".join(notes)))
            for n in news[len(olds):]:
                result.changes.append(Change("added", nrec, cat, None, n, _worse(None, n["status"])))
            for o in olds[len(news):]:
                note = "its declaration is now stale" if cat in stale_now else ""
                result.changes.append(Change("removed", orec, cat, o, None, False, note))
    order = {"added": 0, "changed": 1, "removed": 2}
    result.changes.sort(key=lambda c: (order[c.kind], not c.worse, STATUSES.index(c.status), c.id, c.category))
    return result


def text_lines(d: Diff, limit: int = 200) -> list[str]:
    """The diff as plain text, one line per change."""
    lines = [f"parity diff: {d.headline()}"]
    for lib, a, b in d.library_changes():
        lines.append(f"  library {lib}: {a} -> {b}")
    lines += [f"  warning: {w}" for w in d.warnings()]
    if d.only_old or d.only_new:
        lines.append(f"  not compared: {len(d.only_old)} cases only in OLD, {len(d.only_new)} only in NEW")
    for kind, mark in (("added", "+"), ("changed", "~"), ("removed", "-")):
        changes = d.of_kind(kind)
        if not changes:
            continue
        lines.append(f"{kind.capitalize()} ({len(changes)}):")
        for c in changes[:limit]:
            flag = "WORSE " if c.worse else ""
            moved = kind == "changed" and c.old["status"] != c.new["status"]
            status = f"{c.old['status']}->{c.new['status']}" if moved else c.status
            lines.append(f"  {mark} {flag}{status:14} {c.id:44} {c.category:13} {c.describe()[:100]}"
                         + (f"  ({c.note})" if c.note and (kind != "changed" or "grew" in c.note) else ""))
            if kind == "changed" and c.old.get("detail") != c.new.get("detail"):
                lines.append(f"      was: {c.old.get('detail', '')[:140]}")
        if len(changes) > limit:
            lines.append(f"  ... and {len(changes) - limit} more")
    if d.unchecked:
        lines.append(f"No longer checked ({len(d.unchecked)}):")
        lines += [f"  - WORSE {o['status']}->{n['status']:10} {n['id']:44} {(n.get('reason') or '')[:100]}"
                  for o, n in d.unchecked[:limit]]
    if d.status_changes:
        lines.append("Case status changes: " + ", ".join(f"{a} -> {b}: {n}"
                                                          for (a, b), n in sorted(d.status_changes.items())))
    return lines


def render_html(d: Diff, sources: tuple[str, str] = ("OLD", "NEW")) -> str:
    from parity.report import _ENV, CATEGORY_COLOURS, STATUS_COLOURS

    return _ENV.get_template("diff.html.j2").render(
        d=d, sources=sources, kinds=[(k, d.of_kind(k)) for k in ("added", "changed", "removed")],
        status_colours=STATUS_COLOURS, category_colours=CATEGORY_COLOURS)


def write_html(d: Diff, path: Path, sources: tuple[str, str] = ("OLD", "NEW")) -> None:
    from parity.results import write_atomic

    write_atomic(Path(path), render_html(d, sources))
