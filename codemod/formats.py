"""Machine-readable output: JSON, SARIF 2.1.0 and GitHub Actions annotations.

Each is a pure function of a ``Report``; ordering is stable (fixed diagnostics first,
then remaining ones, each sorted by path, line, column, code).

A file a fix deletes: in JSON, the fix lists it under ``deletions`` and its ``files``
entry has ``"deleted": true`` (its diff is a git deletion); in SARIF, its artifact change
removes every byte and has ``properties.deleted`` true.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from . import __version__
from .diff import unified
from .model import Diagnostic, Fix
from .report import PARSE_ERROR, Mode, Report
from .rules import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://pypi.org/project/schemafix/"


def _diagnostic(d: Diagnostic, fixable: bool, report: Report, diffs: dict) -> dict:
    """``fixable``: its fix is applied in this run; ``fixed``: and it was written (--apply).
    ``diffs``: the diffs made so far, by file, bytes before and edits (SF001 gives each
    broken import of a file the file's whole plan: at 4,993 bench files, 3,655 fixes held
    about 450 different diffs)."""
    outcome, show = report.outcome, report.show
    out = {
        "code": d.code,
        "path": show(d.path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "severity": d.severity.value,
        "message": d.message,
        "notes": list(d.notes),
        "fixed": fixable and report.mode is Mode.APPLY,
        "fixable": fixable,
        "fix": None,
    }
    if d.fix is not None:
        out["fix"] = {
            "title": d.fix.title,
            "applicability": str(d.fix.applicability),
            "edits": [
                {"path": show(e.path), "start": e.start, "end": e.end, "content": e.content.decode("utf-8", "replace")}
                for e in d.fix.edits
            ],
            "deletions": [show(x.path) for x in d.fix.deletions],
            "diff": {show(path): _fix_diff(report, path, before, after, d.fix, diffs)
                     for path, (before, after) in outcome.fix_result(d).items()},
        }
    return out


def _fix_diff(report: Report, path: str, before: bytes, after: bytes | None, fix: Fix, diffs: dict) -> str:
    edits = tuple((e.start, e.end, e.content) for e in fix.edits if e.path == path)
    key = (path, id(before), after is None, edits)  # ``before`` is held by the outcome while the report is made
    if key not in diffs:
        diffs[key] = unified(report.diff_show(path), before, after, edits=edits)
    return diffs[key]


class _Items:
    """A list in a document written in pieces (``_pieces``): its items are made and
    encoded one at a time, never all held."""

    def __init__(self, items: Iterable) -> None:
        self.items = items


def _pieces(doc: dict) -> Iterator[str]:
    """The text of ``json.dumps(doc, indent=2, ensure_ascii=False)``, in pieces, where each
    ``_Items`` in ``doc`` stands for the list of its items. The document around them is
    encoded once with a unique token in their place; each item is encoded alone and
    indented to its depth (a JSON string holds no raw newline, so indenting every line is
    exact). The JSON of 19,813 bench files is 115 MB: held whole (its dicts, the
    encoder's pieces, the joined text) it took more memory than the run before it."""
    lazy: dict[str, _Items] = {}
    tag = uuid.uuid4().hex

    def token(o):
        if not isinstance(o, _Items):
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
        key = f"schemafix-items-{tag}-{len(lazy)}"
        lazy[key] = o
        return key

    text = json.dumps(doc, indent=2, ensure_ascii=False, default=token)
    at = 0
    for key, items in lazy.items():
        where = text.index(json.dumps(key), at)
        line = text.rfind("\n", 0, where) + 1
        indent = "\n" + " " * (len(text[line:where]) - len(text[line:where].lstrip(" ")))
        yield text[at:where]
        at = where + len(key) + 2
        inner = indent + "  "
        first = True
        for item in items.items:
            yield ("[" if first else ",") + inner + _indented(item, inner)
            first = False
        yield "[]" if first else indent + "]"
    yield text[at:]


_string = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes for a str (in C)


def _indented(o, newline: str) -> str:
    """``json.dumps(o, indent=2, ensure_ascii=False).replace("\\n", newline)``, several times
    faster: with an indent, json encodes in Python through generators (0.47 s of the
    4,993-file bench's 1.3 s of JSON). ``newline``: a newline and the indent ``o`` is at."""
    if isinstance(o, str):
        return _string(o)
    if o is None or o is True or o is False:
        return "null" if o is None else "true" if o else "false"
    if isinstance(o, int):
        return int.__repr__(o)
    inner = newline + "  "
    if isinstance(o, dict) and all(type(k) is str for k in o):  # json.dumps turns other keys into text
        if not o:
            return "{}"
        return "{" + ",".join(f"{inner}{_string(k)}: {_indented(v, inner)}" for k, v in o.items()) + newline + "}"
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        return "[" + ",".join(inner + _indented(v, inner) for v in o) + newline + "]"
    return json.dumps(o, indent=2, ensure_ascii=False).replace("\n", newline)  # floats, and what raises


def json_pieces(report: Report, project: str | None = None) -> Iterator[str]:
    """``json_document`` in pieces: the CLI writes them as they come. ``project``: the
    project's name, first in the document (one of several, see ``Several``)."""
    r = report.outcome
    diffs: dict = {}
    doc = {
        **({"project": project} if project is not None else {}),
        "schemafix": __version__,
        "mode": report.mode.value,
        "diagnostics": _Items(chain((_diagnostic(d, True, report, diffs) for d in r.fixed),
                                    (_diagnostic(d, False, report, diffs) for d in r.remaining))),
        "problems": [{"path": report.show(p.path), "message": p.message} for p in report.problems],
        "notes": [{"code": PARSE_ERROR, "path": report.show(p.path), "line": p.line, "column": p.column,
                   "severity": "info", "message": p.message} for p in report.parse_notes],
        "files": _Items({"path": report.show(p), "deleted": p not in r.final,
                         "diff": unified(report.diff_show(p), r.original.get(p, b""), r.final.get(p))}
                        for p in r.changed),
        "summary": {
            "fixes": len(r.fixed),
            "files": len(r.changed),
            "hidden_unsafe": len(r.hidden_unsafe),
            "need_human": len(r.need_human) + len(report.problems),
            "written": report.written,
            "exit_code": report.exit_code,
            "text": report.summary(),
        },
    }
    return _pieces(doc)


def json_document(report: Report) -> str:
    return "".join(json_pieces(report))


# --- SARIF ---------------------------------------------------------------------------

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _artifact(path: str) -> dict:
    """A path as shown (relative to the current folder, the ROOT base, or absolute)."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": path, "uriBaseId": "ROOT"}


def _location(path: str, line: int, column: int) -> dict:
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(path),
            "region": {"startLine": line, "startColumn": column},
        }
    }


def _sarif_fix(fix: Fix, show) -> dict:
    changes = []
    for path in sorted({e.path for e in fix.edits}):
        changes.append({
            "artifactLocation": _artifact(show(path)),
            "replacements": [
                {
                    "deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                    "insertedContent": {"text": e.content.decode("utf-8", "replace")},
                }
                for e in fix.edits if e.path == path
            ],
        })
    for x in fix.deletions:  # SARIF has no file deletion: every byte removed, and a property says so
        changes.append({
            "artifactLocation": _artifact(show(x.path)),
            "replacements": [{"deletedRegion": {"byteOffset": 0, "byteLength": len(x.expected)}}],
            "properties": {"deleted": True},
        })
    return {"description": {"text": fix.title}, "artifactChanges": changes}


def _sarif_result(d: Diagnostic, fixed: bool, show, index: dict[str, int]) -> dict:
    result = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _LEVEL[d.severity.value],
        "message": {"text": d.message + ("" if not d.notes else " " + " ".join(d.notes))},
        "locations": [_location(show(d.path), d.line, d.column)],
        "properties": {"fixed": fixed},
    }
    if d.fix is not None:
        result["fixes"] = [_sarif_fix(d.fix, show)]
    return result


def sarif_pieces(report: Report, cwd: Path | None = None) -> Iterator[str]:
    """SARIF 2.1.0 in pieces (see ``_pieces``); paths relative to the current folder
    (``originalUriBaseIds.ROOT``), like every other format."""
    return _pieces({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [_sarif_run(report, cwd)]})


def _sarif_run(report: Report, cwd: Path | None = None, project: str | None = None) -> dict:
    """One SARIF run of ``report`` (its results an ``_Items``); ``project``: the project's
    name, as the run's ``automationDetails.id`` (one of several, see ``Several``)."""
    show = report.show
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    applied = report.mode is Mode.APPLY
    results = _Items(chain((_sarif_result(d, applied, show, index) for d in report.outcome.fixed),
                           (_sarif_result(d, False, show, index) for d in report.outcome.remaining)))
    notifications = [
        {"level": "error", "message": {"text": p.message},
         **({"locations": [_location(show(p.path), 1, 1)]} if p.path else {})}
        for p in report.problems
    ] + [
        {"level": "note", "descriptor": {"id": PARSE_ERROR}, "message": {"text": p.message},
         "locations": [_location(show(p.path), p.line or 1, p.column or 1)]}
        for p in report.parse_notes
    ]
    return {
        **({"automationDetails": {"id": f"schemafix/{project}"}} if project is not None else {}),
        "tool": {"driver": {
            "name": "schemafix",
            "version": __version__,
            "informationUri": INFO_URI,
            "rules": [
                {
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.doc or r.summary},
                    "defaultConfiguration": {"level": "error"},
                    "properties": {"fix": str(r.fix) if r.fix is not None else "report-only"},
                }
                for r in rules
            ],
        }},
        "originalUriBaseIds": {"ROOT": {"uri": (cwd or Path.cwd()).resolve().as_uri() + "/"}},
        "invocations": [{
            "executionSuccessful": report.exit_code != 2,
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
    }


class Several:
    """One document for the several projects of one run (a solution-style tsconfig's
    references, a monorepo's packages), each project's part written as it is done: JSON
    ``{"schemafix", "mode", "projects": [one project's document, with its "project"
    first], "exit_code"}`` (the highest), SARIF one run per project (its
    ``automationDetails.id`` naming it). ``head()``, then ``project(report, name)`` per
    project, then ``tail(exit_code)``."""

    def __init__(self, fmt: str, mode: Mode, cwd: Path | None = None) -> None:
        self.fmt, self.mode, self.cwd, self.count = fmt, mode, cwd, 0

    def head(self) -> str:
        if self.fmt == "sarif":
            return f'{{\n  "$schema": {_string(SARIF_SCHEMA)},\n  "version": "2.1.0",\n  "runs": ['
        return f'{{\n  "schemafix": {_string(__version__)},\n  "mode": {_string(self.mode.value)},\n  "projects": ['

    def project(self, report: Report, name: str) -> Iterator[str]:
        pieces = (_pieces(_sarif_run(report, self.cwd, name)) if self.fmt == "sarif"
                  else json_pieces(report, name))
        yield ("," if self.count else "") + "\n    "
        self.count += 1
        for piece in pieces:  # each line one level deeper (a JSON string holds no raw newline)
            yield piece.replace("\n", "\n    ")

    def tail(self, exit_code: int) -> str:
        end = "\n  ]" if self.count else "]"
        return end + ("\n}" if self.fmt == "sarif" else f',\n  "exit_code": {exit_code}\n}}')


def sarif_document(report: Report, cwd: Path | None = None) -> str:
    return "".join(sarif_pieces(report, cwd))


# --- GitHub Actions ------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: Report) -> list[str]:
    """``::error file=…,line=…,col=…,title=…::message`` for every diagnostic left, with
    paths as every format prints them (``report.show``: relative to the working
    directory, the repository root in Actions)."""
    out = []
    rel = report.show

    for d in report.outcome.remaining:
        fix = f" (fix: {d.fix.title})" if d.fix is not None else ""
        level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
        out.append(f"::{level} file={_escape_property(rel(d.path))},line={d.line},col={d.column},"
                   f"title={_escape_property(d.code)}::{_escape_data(d.message + fix)}")
    pending = list(report.outcome.fixed) if report.mode.value != "apply" else []
    for d in pending:
        out.append(f"::error file={_escape_property(rel(d.path))},line={d.line},col={d.column},"
                   f"title={_escape_property(d.code)}::{_escape_data(d.message + ' (fixable: run schemafix --apply)')}")
    for p in report.problems:
        loc = f" file={_escape_property(rel(p.path))}" if p.path else ""
        out.append(f"::error{loc}::{_escape_data(p.message)}")
    for p in report.parse_notes:
        out.append(f"::notice file={_escape_property(rel(p.path))},line={p.line},col={p.column},"
                   f"title={PARSE_ERROR}::{_escape_data(p.message)}")
    return out
