"""SF001's plans and how they are written: per broken statement, the names that stay,
the names that move and where, the names dropped; ``plan_edits`` turns the plans of one
file into edits through the import editor (one statement per target, names merged into
an existing import of the target, the statement's own layout kept)."""

from __future__ import annotations

from dataclasses import dataclass, field

from codemod.facts import IMPORT, ImportEntry, ImportSite
from codemod.model import Applicability, Edit
from codemod.project import SourceFile
from codemod.resolve import Resolution
from codemod.rules import Context
from codemod.style import removal_span

from ._import_editor import (
    append_names,
    entry_text,
    existing_import,
    layout_of,
    render,
    specifier_for,
)


@dataclass
class Move:
    entry: ImportEntry
    target: str
    applicability: Applicability


@dataclass
class SitePlan:
    site: ImportSite
    resolution: Resolution
    stay: list[ImportEntry] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    removed: list[ImportEntry] = field(default_factory=list)
    declared_here: dict[str, int] = field(default_factory=dict)  # removed names the file declares: name -> line
    # removed names imported alike before: name -> (line, specifier) of the earlier import
    repeated: dict[str, tuple[int, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # names we cannot fix, with why
    new_specifier: tuple[str, Applicability] | None = None  # whole-site repoint
    barrel_lines: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (barrel, module) -> names
    evidence: str = ""  # what decided a whole-site repoint, when it is not the file name
    specifier_only: bool = False  # every name goes to one new module: replace just the string
    dropped: str = ""  # why the whole statement goes (a stale `export *` of a module merged away)
    # names of ``stay`` that their module exports under a new name (``_renamed_exports``): entry -> that name
    renamed: dict[ImportEntry, str] = field(default_factory=dict)
    # names moved to a newcomer of that name while the module named holds HEAD's declaration
    # under a new name (the move unsafe): name -> that new name
    held_there: dict[str, str] = field(default_factory=dict)

    @property
    def touched(self) -> bool:
        return bool(self.moves or self.removed or self.new_specifier or self.dropped or self.renamed)


def plan_level(plan: SitePlan) -> Applicability:
    levels = [m.applicability for m in plan.moves]
    if plan.new_specifier:
        levels.append(plan.new_specifier[1])
    return min(levels, default=Applicability.SAFE)



@dataclass
class _Statement:
    """A statement written in place of a broken one: ``target`` None keeps its specifier."""

    target: str | None
    type_only: bool
    names: list[str]


def _specifier(ctx: Context, file: SourceFile, plan: SitePlan, target: str) -> str:
    alias = plan.resolution.alias if plan.resolution.alias not in (None, "baseUrl") else None
    return specifier_for(ctx, file, target, like=plan.site.specifier, alias=alias)


def _has_head(site: ImportSite) -> bool:
    """Does ``site`` bind a default or a namespace (`import d, { … }` / `import * as ns`)?"""
    return site.kind == IMPORT and any(site.is_default_binding(e) or e.imported == "*" for e in site.entries)


def _text(file: SourceFile, plan: SitePlan, entry: ImportEntry) -> str:
    """``entry`` as written, or under the new name its module exports it by
    (``{ accounts as userAccounts }``: the name the file binds, or re-exports, stays)."""
    text = entry_text(file, plan.site, entry)
    new = plan.renamed.get(entry)
    if new is None:
        return text
    kept = entry.local or entry.imported
    return ("type " if text.startswith("type ") else "") + (new if new == kept else f"{new} as {kept}")


def _renamed_in_place(file: SourceFile, plan: SitePlan) -> list[Edit]:
    """Each renamed entry rewritten where it stands (the statement around it untouched)."""
    return [Edit(file.path, e.start, e.end, _text(file, plan, e).encode()) for e in plan.renamed]


def plan_edits(ctx: Context, file: SourceFile, plans: list[SitePlan], level: Applicability) -> list[Edit]:
    """All edits for one file: each broken statement is rewritten in place; names for a
    target that the file already imports are merged into that statement."""
    nl = file.newline.decode()
    touched = {p.site.start for p in plans}
    edits: list[Edit] = []
    merges: dict[int, tuple[ImportSite, list[str]]] = {}  # existing statement -> names to add
    # (kind, target, type_only) -> the names of the new statement for it, written in place of
    # the first broken statement that moves a name there
    new_statement_names: dict[tuple[str, str, bool], list[str]] = {}
    replacements: dict[int, list[_Statement]] = {}  # site.start -> the statements written in its place
    in_place: set[int] = set()  # site.start of the statements edited name by name
    for plan in plans:
        site = plan.site
        block: list[_Statement] = []
        replacements[site.start] = block
        if plan.dropped:
            continue  # no statement in its place: it is removed below
        if plan.new_specifier and plan.new_specifier[1] >= level:
            spec = _specifier(ctx, file, plan, plan.new_specifier[0])
            quote = chr(file.data[site.spec_start])
            edits.append(Edit(file.path, site.spec_start, site.spec_end, f"{quote}{spec}{quote}".encode()))
            edits += _renamed_in_place(file, plan)
            continue
        moves = [m for m in plan.moves if m.applicability >= level]
        if plan.renamed and not moves and not plan.removed:
            # only names taken under their new names: each written in place, so the
            # statement's layout and the comments in its braces stay
            edits += _renamed_in_place(file, plan)
            in_place.add(site.start)
            continue
        if plan.specifier_only and moves:
            spec = _specifier(ctx, file, plan, moves[0].target)
            quote = chr(file.data[site.spec_start])
            edits.append(Edit(file.path, site.spec_start, site.spec_end, f"{quote}{spec}{quote}".encode()))
            continue
        kept = list(plan.stay) + [m.entry for m in plan.moves if m.applicability < level]
        # the default / namespace binding stays in the statement whatever its braces lose
        if kept or (not moves and not plan.removed) or _has_head(site):
            block.append(_Statement(None, site.type_only, [_text(file, plan, e) for e in kept]))
        for move in moves:
            type_only = site.type_only
            key = (site.kind, move.target, type_only)
            text = entry_text(file, site, move.entry)
            existing = existing_import(ctx, file, site.kind, move.target, type_only, touched)
            if existing is not None:
                if move.entry.type_only and not existing.type_only and not text.startswith("type "):
                    text = "type " + text  # `import type { T }` merged into `import { a }`
                names = merges.setdefault(existing.start, (existing, []))[1]
                present = {file.data[e.start:e.end].decode() for e in existing.entries}
                if text not in present and text not in names:
                    names.append(text)
                continue
            if key in new_statement_names:
                if text not in new_statement_names[key]:
                    new_statement_names[key].append(text)
                continue
            names = [text]
            new_statement_names[key] = names
            block.append(_Statement(move.target, type_only, names))
    for plan in plans:
        site = plan.site
        block = replacements[site.start]
        if (plan.new_specifier and plan.new_specifier[1] >= level) or (plan.specifier_only and block == []) \
                or site.start in in_place:
            continue
        layout = layout_of(file, site)
        head = [e.local for e in site.entries if site.is_default_binding(e)]
        head += [f"* as {e.local}" for e in site.entries if e.imported == "*" and e.local and site.kind == IMPORT]
        statements = []
        for stmt in block:
            target, type_only, names = stmt.target, stmt.type_only, stmt.names
            if target is None:
                if not names and not head:
                    continue
                statements.append(render(site, head, names, site.specifier, layout, type_only, nl))
            elif names:
                statements.append(render(site, [], names, _specifier(ctx, file, plan, target), layout,
                                          type_only, nl))
        if statements:
            edits.append(Edit(file.path, site.start, site.end, nl.join(statements).encode()))
        else:
            start, end = removal_span(file, site.start, site.end)
            edits.append(Edit.delete(file.path, start, end))
    for existing, names in merges.values():
        if names:
            edits.append(append_names(file, existing, names))
    return edits
