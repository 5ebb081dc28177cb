"""Turn an engine outcome into what the user sees: diagnostic lines, a summary, an exit code."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field

from . import __version__
from .diff import unified
from .engine import Outcome
from .model import Applicability, Diagnostic, Problem


class Mode(enum.Enum):
    DIFF = "diff"  # default: show the diff, write nothing
    CHECK = "check"  # write nothing, show nothing but the summary
    APPLY = "apply"  # write the fixes


@dataclass
class Report:
    outcome: Outcome
    mode: Mode
    written: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # files changed on disk since analysis

    @property
    def problems(self) -> list[Problem]:
        return self.outcome.problems + self.skipped

    @property
    def exit_code(self) -> int:
        o = self.outcome
        if self.problems or o.need_human or o.hidden_unsafe:
            return 1
        if self.mode is not Mode.APPLY and o.changed:
            return 1
        return 0

    def summary(self) -> str:
        o = self.outcome
        fixes, files = len(o.fixed), len(o.changed)
        if self.mode is Mode.APPLY:
            head = f"Fixed {fixes} {_plural(fixes, 'problem')} in {len(self.written)} {_plural(len(self.written), 'file')}"
        elif fixes:
            head = f"{fixes} {_plural(fixes, 'fix', 'fixes')} in {files} {_plural(files, 'file')}"
        else:
            head = "Nothing to fix"
        parts = [head]
        if o.hidden_unsafe:
            parts.append(f"{len(o.hidden_unsafe)} more with --unsafe")
        human = len(o.need_human) + len(self.problems)
        if human:
            parts.append(f"{human} {_plural(human, 'problem')} {'needs' if human == 1 else 'need'} a human")
        if self.mode is not Mode.APPLY and fixes:
            parts.append("run with --apply to write them")
        return "; ".join(parts) + "."


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return word if n == 1 else (plural or word + "s")


def diagnostic_line(d: Diagnostic, *, fixed: bool = False, unsafe_enabled: bool = False) -> str:
    mark = ""
    if fixed:
        mark = " [fixed]"
    elif d.fix is not None and d.fix.applicability == Applicability.UNSAFE and not unsafe_enabled:
        mark = " [unsafe fix: --unsafe]"
    text = f"{d.path}:{d.line}:{d.column}: {d.code}{mark} {d.message}"
    return "\n".join([text, *(f"  note: {n}" for n in d.notes)])


def problem_line(p: Problem) -> str:
    return f"{p.path}: {p.message}" if p.path else f"schemafix: {p.message}"


def text_lines(report: Report) -> list[str]:
    o = report.outcome
    lines = [diagnostic_line(d, fixed=True) for d in o.fixed]
    lines += [diagnostic_line(d, unsafe_enabled=o.unsafe_enabled) for d in o.remaining]
    lines += [problem_line(p) for p in report.problems]
    return lines


def _diagnostic_json(d: Diagnostic, fixed: bool, sources: dict[str, bytes]) -> dict:
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
        }
    return out


def json_document(report: Report) -> str:
    o = report.outcome
    doc = {
        "schemafix": __version__,
        "mode": report.mode.value,
        "diagnostics": [_diagnostic_json(d, True, o.original) for d in o.fixed]
        + [_diagnostic_json(d, False, o.final) for d in o.remaining],
        "problems": [{"path": p.path, "message": p.message} for p in report.problems],
        "files": [{"path": p, "diff": unified(p, o.original[p], o.final[p])} for p in o.changed],
        "summary": {
            "fixes": len(o.fixed),
            "files": len(o.changed),
            "hidden_unsafe": len(o.hidden_unsafe),
            "need_human": len(o.need_human) + len(report.problems),
            "written": report.written,
            "exit_code": report.exit_code,
            "text": report.summary(),
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
