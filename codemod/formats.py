"""Machine-readable output: JSON, SARIF 2.1.0 and GitHub Actions annotations.

Each is a pure function of a ``Report``; ordering is stable (fixed diagnostics first,
then remaining ones, each sorted by path, line, column, code).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import __version__
from .diff import unified
from .engine import Outcome
from .model import Diagnostic, Fix
from .report import Report
from .rules import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://pypi.org/project/schemafix/"


def _diagnostic(d: Diagnostic, fixed: bool, outcome: Outcome) -> dict:
    out = {
        "code": d.code,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "severity": d.severity.value,
        "message": d.message,
        "notes": list(d.notes),
        "fixed": fixed,
        "fix": None,
    }
    if d.fix is not None:
        out["fix"] = {
            "title": d.fix.title,
            "applicability": str(d.fix.applicability),
            "edits": [
                {"path": e.path, "start": e.start, "end": e.end, "content": e.content.decode("utf-8", "replace")}
                for e in d.fix.edits
            ],
            "diff": {path: unified(path, before, after)
                     for path, (before, after) in outcome.fix_result(d).items()},
        }
    return out


def json_document(report: Report) -> str:
    r = report.outcome
    doc = {
        "schemafix": __version__,
        "mode": report.mode.value,
        "diagnostics": [_diagnostic(d, True, r) for d in r.fixed] + [_diagnostic(d, False, r) for d in r.remaining],
        "problems": [{"path": p.path, "message": p.message} for p in report.problems],
        "files": [{"path": p, "diff": unified(p, r.original[p], r.final[p])} for p in r.changed],
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
    return json.dumps(doc, indent=2, ensure_ascii=False)


# --- SARIF ---------------------------------------------------------------------------

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _location(path: str, line: int, column: int) -> dict:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "ROOT"},
            "region": {"startLine": line, "startColumn": column},
        }
    }


def _sarif_fix(fix: Fix) -> dict:
    changes = []
    for path in fix.paths:
        changes.append({
            "artifactLocation": {"uri": path, "uriBaseId": "ROOT"},
            "replacements": [
                {
                    "deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                    "insertedContent": {"text": e.content.decode("utf-8", "replace")},
                }
                for e in fix.edits if e.path == path
            ],
        })
    return {"description": {"text": fix.title}, "artifactChanges": changes}


def sarif_document(report: Report, root: Path) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for d, fixed in [*((d, True) for d in report.outcome.fixed), *((d, False) for d in report.outcome.remaining)]:
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity.value],
            "message": {"text": d.message + ("" if not d.notes else " " + " ".join(d.notes))},
            "locations": [_location(d.path, d.line, d.column)],
            "properties": {"fixed": fixed},
        }
        if d.fix is not None:
            result["fixes"] = [_sarif_fix(d.fix)]
        results.append(result)
    notifications = [
        {"level": "error", "message": {"text": p.message},
         **({"locations": [_location(p.path, 1, 1)]} if p.path else {})}
        for p in report.problems
    ]
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
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
            "originalUriBaseIds": {"ROOT": {"uri": root.resolve().as_uri() + "/"}},
            "invocations": [{
                "executionSuccessful": report.exit_code != 2,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


# --- GitHub Actions ------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: Report, root: Path, cwd: Path | None = None) -> list[str]:
    """``::error file=…,line=…,col=…,title=…::message`` for every diagnostic left, with
    paths relative to the working directory (the repository root in Actions)."""
    cwd = (cwd or Path.cwd()).resolve()
    out = []

    def rel(path: str) -> str:
        return os.path.relpath(root.resolve() / path, cwd) if path else ""

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
    return out
