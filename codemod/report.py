"""Turn an engine outcome into what the user sees: diagnostic lines, a summary, an exit code."""

from __future__ import annotations

import enum
import os
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click

from .engine import Outcome
from .model import Diagnostic, Problem, Severity
from .wording import plural

PARSE_ERROR = "SF000"  # the code of a parse note (see rewriters/parse_error.py)


def _same(path: str) -> str:
    return path


def shown_path(root: Path, cwd: Path | None = None) -> Callable[[str], str]:
    """How a root-relative path is printed in diagnostics and every format: relative to
    the current folder when the file is under it (as ruff and tsc print paths), else
    absolute."""
    root, cwd = Path(root).resolve(), (cwd or Path.cwd()).resolve()
    shown: dict[str, str] = {}  # a file has many diagnostics
    try:
        prefix = Path(os.path.relpath(root, cwd)).as_posix()
    except ValueError:  # another drive (Windows)
        prefix = ".."
    inside = prefix != ".." and not prefix.startswith("../")  # the root is at or under the current folder

    def show(path: str) -> str:
        if not path:
            return path
        found = shown.get(path)
        if found is None:
            if inside and posixpath.normpath(path) == path and not path.startswith(("/", "../")) and path != "..":
                found = path if prefix == "." else f"{prefix}/{path}"  # what the general case below gives
            else:
                full = os.path.normpath(root / path)
                rel = os.path.relpath(full, cwd)
                found = full if rel == ".." or rel.startswith("../") else Path(rel).as_posix()
            shown[path] = found
        return found

    return show


def diff_path(root: Path, cwd: Path | None = None) -> Callable[[str], str]:
    """How a path is named in a diff header: relative to the current folder when the file
    is under it (the diff applies there with ``git apply`` and ``patch -p1``), else
    relative to the project root (it applies there)."""
    show = shown_path(root, cwd)
    return lambda path: path if os.path.isabs(show(path)) else show(path)


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
    show: Callable[[str], str] = _same  # a root-relative path as printed (``shown_path``)
    diff_show: Callable[[str], str] = _same  # ... as named in a diff header (``diff_path``)

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


def render_diagnostic(d: Diagnostic, *, state: str = "", colour: bool = False,
                      show: Callable[[str], str] = _same) -> str:
    """ruff-style: ``path:line:col: CODE [mark] message``, the source line with a caret
    under the column, notes, and the fix title."""
    mark = {"fixed": " [fixed]", "fixable": " [*]", "unsafe": " [unsafe fix: --unsafe]"}.get(state, "")
    if d.severity is Severity.INFO and not mark:
        mark = " info:"
    head = (f"{_style(f'{show(d.path)}:{d.line}:{d.column}:', colour, bold=True)} "
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


def fixed_line(d: Diagnostic, *, colour: bool = False, show: Callable[[str], str] = _same) -> str:
    """One line for a diagnostic ``--apply`` fixed: where, the code, what the fix did."""
    what = d.fix.title if d.fix is not None else d.message
    return (f"{_style(f'{show(d.path)}:{d.line}:{d.column}:', colour, bold=True)} "
            f"{_style(d.code, colour, fg='red', bold=True)}{_style(' [fixed]', colour, fg='cyan')} {what}")


def problem_line(p: Problem, show: Callable[[str], str] = _same) -> str:
    code = f"{PARSE_ERROR} info: " if p.severity is Severity.INFO else ""
    if p.path and p.line is not None:
        return f"{show(p.path)}:{p.line}:{p.column}: {code}{p.message}"
    return f"{show(p.path)}: {code}{p.message}" if p.path else f"schemafix: {p.message}"


def text_lines(report: Report, *, colour: bool = False, show_fixes: bool = False) -> list[str]:
    """The diagnostics as text. A dry run shows each pending fix in full (the source line,
    the fix title); after ``--apply`` the fixed ones are listed only with ``show_fixes``,
    one line each."""
    o = report.outcome
    show = report.show
    if report.mode is Mode.APPLY:
        lines = [fixed_line(d, colour=colour, show=show) for d in o.fixed] if show_fixes else []
    else:
        lines = [render_diagnostic(d, state="fixable", colour=colour, show=show) for d in o.fixed]
    unsafe = {id(d) for d in o.hidden_unsafe}
    lines += [render_diagnostic(d, state="unsafe" if id(d) in unsafe else "", colour=colour, show=show)
              for d in o.remaining]
    lines += [problem_line(p, show) for p in report.problems + report.parse_notes]
    return lines


def statistics(report: Report, names: dict[str, str]) -> list[str]:
    """One line per rule code: how many diagnostics, and how many of them are fixed,
    fixable, or fixable with --unsafe (ruff's ``--statistics``)."""
    o = report.outcome
    total = Counter(d.code for d in o.fixed + o.remaining)
    total.update(PARSE_ERROR for _ in report.parse_notes)
    fixed = Counter(d.code for d in o.fixed)
    unsafe = Counter(d.code for d in o.hidden_unsafe)
    lines = []
    for code in sorted(total):
        parts = []
        if fixed[code]:
            parts.append(f"{fixed[code]} {'fixed' if report.mode is Mode.APPLY else 'fixable'}")
        if unsafe[code]:
            parts.append(f"{unsafe[code]} with --unsafe")
        lines.append(f"{total[code]:>5}  {code}  {names.get(code, ''):<28} {', '.join(parts)}".rstrip())
    return lines
