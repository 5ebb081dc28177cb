"""Which fixes the engine holds back, and why: a fix that would change a statement that
does not parse, or a file the run may not edit (not a target, generated, frozen after a
pass broke it), loses its fix and gains a note saying why — what is shown as fixable is
what gets applied. Also the notes for statements that do not parse, and the check that
a pass made no new statement stop parsing."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Mapping

from .facts import FileFacts, ParseError
from .model import Applicability, Diagnostic, Problem, Severity
from .project import Project, SourceFile

# --- statements that do not parse ---------------------------------------------------
# A file with a parse error is still edited, away from the statements that do not
# parse: a fix that would change one of them is held back (its diagnostic says so),
# and a pass is reverted for a file only if it makes a statement stop parsing.
# Known grammar gaps (see parsing.py) are masked before parsing and are not errors.


def parse_notes(facts: FileFacts) -> list[Problem]:
    """One note per top-level statement that does not parse (never fails a run)."""
    return [Problem(facts.path, f"parse error in statement: {e.statement}", e.line, e.column, Severity.INFO)
            for e in facts.parse_errors]


def blocking_parse_error(project: Project, fix) -> ParseError | None:
    """The statement that does not parse which ``fix`` would change, if any."""
    for edit in fix.edits:
        f = project.files.get(edit.path)
        for err in f.facts.parse_errors if f is not None else ():
            if err.touches(edit.start, edit.end):
                return err
    return None


def hold_back_unparsed(diagnostics: list[Diagnostic], project: Project) -> list[Diagnostic]:
    """Diagnostics whose fix would change a statement that does not parse lose the
    fix, and a note says why (what is shown as fixable is what gets applied)."""
    out = []
    for d in diagnostics:
        err = blocking_parse_error(project, d.fix) if d.fix is not None else None
        if err is not None:
            d = replace(d, fix=None, notes=d.notes + (
                f"not fixed: the fix would change a statement that does not parse "
                f"({err.line}:{err.column}: {err.statement})",))
        out.append(d)
    return out


# --- files a fix may not touch ------------------------------------------------------------
# What is shown as fixable is what gets applied (issue 11 §8): a fix that would touch a
# file the run may not edit is dropped from its diagnostic, and a note says why.


def hold_back_uneditable(diagnostics: list[Diagnostic], editable: set[str], targets: frozenset[str],
                         generated: Mapping[str, str], project: Project | None = None) -> list[Diagnostic]:
    """Diagnostics whose fix would edit or delete a generated file (not named by the
    user), a file that is not among the files being fixed, or one a pass broke and left
    unchanged, lose the fix; a note says which file and why. Deleting a file that is not
    an analysed source of ``project`` (build output beside one, a ``.d.ts`` left out as
    git-ignored) is the deleting rule's to judge."""
    out = []
    for d in diagnostics:
        if d.fix is not None and d.fix.applicability > Applicability.DISPLAY_ONLY:
            others = {p for p in d.fix.deleted_paths if project is not None and p not in project.files}
            blocked = [p for p in d.fix.paths if p not in others and (p not in editable or p in generated)]
            if blocked:
                d = replace(d, fix=None, notes=d.notes + (_why_not_editable(d.path, blocked[0], targets,
                                                                            generated),))
        out.append(d)
    return out


def _why_not_editable(where: str, path: str, targets: frozenset[str], generated: Mapping[str, str]) -> str:
    if path in generated:
        which = "this is a generated file" if path == where else f"{path} is a generated file"
        return f"not fixed: {which} ({generated[path]}); pass it by name to edit it"
    if path not in targets:
        return f"not fixed: the fix would also edit {path}, which is not among the files being fixed"
    return f"not fixed: {path} was left unchanged (a fix would have broken its syntax)"


def new_parse_error(before: SourceFile, after: SourceFile) -> ParseError | None:
    """A statement of ``after`` that does not parse and is not one of ``before``'s
    unparsable statements, unchanged (compared by text: edits elsewhere move them)."""
    old = Counter(before.data[e.start:e.end] for e in before.facts.parse_errors)
    for err in after.facts.parse_errors:
        key = after.data[err.start:err.end]
        if old[key] > 0:
            old[key] -= 1
        else:
            return err
    return None
