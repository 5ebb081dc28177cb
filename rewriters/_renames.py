"""Renaming one exported top-level name across the project: its module's uses, every
import and re-export of it (through barrels too), ``ns.name`` through namespace imports.

``plan_rename(ctx, path, old, new)`` returns the edits, or why the rename is blocked
(``new`` already taken where the export would be visible, or a file to edit that may
not be edited). Nothing here decides *whether* to rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codemod.facts import IMPORT, REEXPORT
from codemod.model import Edit
from codemod.parsing import text as node_text
from codemod.parsing import walk
from codemod.project import SourceFile
from codemod.rules import Context

# Nodes that bind or reference a name (a value or a type): what "taken" looks at.
_NAMES = ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern", "type_identifier")


@dataclass(frozen=True)
class RenamePlan:
    edits: tuple[Edit, ...] = ()
    blocked: str | None = None  # why it cannot be renamed


def plan_rename(ctx: Context, path: str, old: str, new: str) -> RenamePlan:
    project = ctx.project
    exports = project.exports
    if new in exports.names(path) or new in exports.ambiguous(path) or _binds(project.files[path], new):
        return RenamePlan(blocked=f"`{new}` is already taken in {path}")
    # Modules that export `old` as this very binding (barrels reaching it): they will export `new`.
    for module in sorted(project.files):
        if module == path:
            continue
        binding = exports.names(module).get(old)
        if binding is not None and (binding.origin, binding.name) == (path, old):
            if new in exports.names(module) or new in exports.ambiguous(module):
                return RenamePlan(blocked=f"{module}, which re-exports it, already exports `{new}`")
    edits: list[Edit] = list(_uses(project.files[path], old, new, skip=_site_spans(project.files[path])))
    for importer, file in sorted(project.files.items()):
        own: list[Edit] = []
        unaliased = False
        for site in file.facts.imports:
            if site.kind not in (IMPORT, REEXPORT):
                continue
            target = project.resolver.resolve(importer, site.specifier)
            if not target.ok or target.path not in project.files:
                continue
            if not exports.names(target.path).get(old) or (
                    (exports.names(target.path)[old].origin, exports.names(target.path)[old].name) != (path, old)):
                continue
            for entry in site.entries:
                if entry.imported == old:
                    own.append(_entry_edit(file, entry.start, entry.end, old, new))
                    unaliased |= site.kind == IMPORT and entry.local == old
                elif entry.imported == "*" and site.kind == IMPORT and entry.local:
                    own.extend(_member_uses(file, entry.local, old, new))
        if unaliased:
            if _binds(file, new):
                return RenamePlan(blocked=f"`{new}` is already taken in {importer}, which imports it")
            own.extend(_uses(file, old, new, skip=_site_spans(file)))
        if own and not ctx.can_edit(importer):
            return RenamePlan(blocked=f"{importer} imports it and cannot be edited")
        edits.extend(own)
    if not ctx.can_edit(path):
        return RenamePlan(blocked=f"{path} cannot be edited")
    return RenamePlan(tuple(sorted(edits)))


def _binds(file: SourceFile, name: str) -> bool:
    return any(n.type in _NAMES and node_text(n) == name for n in walk(file.tree.root_node))


def _site_spans(file: SourceFile) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in file.facts.imports if s.kind in (IMPORT, REEXPORT)]


def _uses(file: SourceFile, old: str, new: str, *, skip: list[tuple[int, int]]) -> list[Edit]:
    """Every reference to ``old`` outside import and re-export statements, renamed; a
    shorthand property ``{ old }`` keeps its key (``{ old: new }``)."""
    out = []
    for n in walk(file.tree.root_node):
        if n.type not in _NAMES[:3] or node_text(n) != old:
            continue
        if any(a <= n.start_byte < b for a, b in skip):
            continue
        parent = n.parent
        if parent is not None and parent.type == "export_specifier" and parent.child_by_field_name("alias") == n:
            continue  # `export { x as old }`: an exported name, not a reference
        text = new if n.type == "identifier" else f"{old}: {new}"
        out.append(Edit(file.path, n.start_byte, n.end_byte, text.encode()))
    return out


def _entry_edit(file: SourceFile, start: int, end: int, old: str, new: str) -> Edit:
    """``old`` (``type old``, ``old as x``) in an import or export specifier → ``new``."""
    m = re.search(rb"(?<![\w$])" + re.escape(old.encode()) + rb"(?![\w$])", file.data[start:end])
    assert m is not None, (file.path, start, old)
    return Edit(file.path, start + m.start(), start + m.end(), new.encode())


def _member_uses(file: SourceFile, namespace: str, old: str, new: str) -> list[Edit]:
    out = []
    for n in walk(file.tree.root_node):
        if n.type != "member_expression":
            continue
        obj, prop = n.child_by_field_name("object"), n.child_by_field_name("property")
        if (obj is not None and obj.type == "identifier" and node_text(obj) == namespace
                and prop is not None and prop.type == "property_identifier" and node_text(prop) == old):
            out.append(Edit(file.path, prop.start_byte, prop.end_byte, new.encode()))
    return out
