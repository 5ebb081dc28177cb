"""Turn an engine outcome into what the user sees: diagnostic lines, a summary, an exit code."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import click

from .engine import Outcome
from .model import Diagnostic, Problem, Severity
from .wording import plural


class Mode(enum.Enum):
    DIFF = "diff"  # default: show the diff, write nothing
    CHECK = "check"  # write nothing, show nothing but the summary
    APPLY = "apply"  # write the fixes


@dataclass
class Report:
    outcome: Outcome
    mode: Mode
    written: list[str] = field(default_factory=list)
    unwritten: list[Problem] = field(default_factory=list)  # files --apply could not write, and why

    @property
    def problems(self) -> list[Problem]:
        """Problems that need a human (parse notes are not among them)."""
        return [p for p in self.outcome.problems + self.unwritten if p.severity is not Severity.INFO]

    @property
    def parse_notes(self) -> list[Problem]:
        """Statements that do not parse: shown, never failing the run by themselves."""
        return [p for p in self.outcome.problems if p.severity is Severity.INFO]

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
            head = f"Fixed {fixes} {plural(fixes, 'problem')} in {len(self.written)} {plural(len(self.written), 'file')}"
        elif fixes:
            head = f"{fixes} {plural(fixes, 'fix', 'fixes')} in {files} {plural(files, 'file')}"
        else:
            head = "Nothing to fix"
        parts = [head]
        if o.hidden_unsafe:
            parts.append(f"{len(o.hidden_unsafe)} more with --unsafe")
        human = len(o.need_human) + len(self.problems)
        if human:
            parts.append(f"{human} {plural(human, 'problem')} {'needs' if human == 1 else 'need'} a human")
        notes = len(o.notes) + len(self.parse_notes)
        if notes:
            parts.append(f"{notes} {plural(notes, 'note')}")
        if self.mode is not Mode.APPLY and fixes:
            parts.append("run with --apply to write them")
        return "; ".join(parts) + "."


def _style(text: str, colour: bool, **style) -> str:
    return click.style(text, **style) if colour else text


def render_diagnostic(d: Diagnostic, *, state: str = "", colour: bool = False) -> str:
    """ruff-style: ``path:line:col: CODE [mark] message``, the source line with a caret
    under the column, notes, and the fix title."""
    mark = {"fixed": " [fixed]", "fixable": " [*]", "unsafe": " [unsafe fix: --unsafe]"}.get(state, "")
    if d.severity is Severity.INFO and not mark:
        mark = " info:"
    head = (f"{_style(f'{d.path}:{d.line}:{d.column}:', colour, bold=True)} "
            f"{_style(d.code, colour, fg='red', bold=True)}{_style(mark, colour, fg='cyan')} {d.message}")
    lines = [head]
    if d.source:
        gutter = " " * len(str(d.line))
        width = 1
        if d.end_line == d.line and d.end_column and d.end_column > d.column:
            width = d.end_column - d.column
        source = d.source.expandtabs(1)
        lines += [f"{gutter} |", f"{d.line} | {source}",
                  f"{gutter} | {' ' * (d.column - 1)}{_style('^' * width, colour, fg='red', bold=True)}"]
    lines += [f"  = note: {n}" for n in d.notes]
    if d.fix is not None:
        lines.append(f"  = fix ({d.fix.applicability}): {d.fix.title}")
    return "\n".join(lines)


def problem_line(p: Problem) -> str:
    if p.path and p.line is not None:
        return f"{p.path}:{p.line}:{p.column}: {p.message}"
    return f"{p.path}: {p.message}" if p.path else f"schemafix: {p.message}"


def text_lines(report: Report, *, colour: bool = False) -> list[str]:
    o = report.outcome
    fixed_state = "fixed" if report.mode is Mode.APPLY else "fixable"
    lines = [render_diagnostic(d, state=fixed_state, colour=colour) for d in o.fixed]
    unsafe = {id(d) for d in o.hidden_unsafe}
    lines += [render_diagnostic(d, state="unsafe" if id(d) in unsafe else "", colour=colour) for d in o.remaining]
    lines += [problem_line(p) for p in report.problems + report.parse_notes]
    return lines
