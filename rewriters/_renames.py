"""Renaming one exported top-level name across the project: its module's uses, every
import and re-export of it (through barrels too), ``ns.name`` through namespace imports.

``plan_rename(ctx, path, old, new)`` returns the edits, or why the rename is blocked
(``new`` already taken where the export would be visible, or a file to edit that may
not be edited); ``rename_blocked(ctx, path, old, new)`` only the why, building no edit.
Nothing here decides *whether* to rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from tree_sitter import Node

from codemod.facts import IMPORT, REEXPORT, ImportEntry
from codemod.model import Edit
from codemod.parsing import text as node_text
from codemod.parsing import walk
from codemod.project import SourceFile
from codemod.rules import Context

from ._disk import package_entries

# Nodes that bind or reference a name (a value or a type): what "taken" looks at.
_NAMES = ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern", "type_identifier")


@dataclass(frozen=True)
class RenamePlan:
    edits: tuple[Edit, ...] = ()
    blocked: str | None = None  # why it cannot be renamed


@dataclass(frozen=True)
class _Importer:
    """A file that imports or re-exports the export being renamed."""

    path: str
    file: SourceFile
    entries: tuple[ImportEntry, ...]  # the import/re-export entries naming it (``old``, ``old as x``)
    namespaces: tuple[str, ...]  # local names of namespace imports of a module exporting it
    unaliased: bool  # imports it under its own name (its uses in the file are renamed too)


def rename_blocked(ctx: Context, path: str, old: str, new: str) -> str | None:
    """Why export ``old`` of ``path`` cannot be renamed to ``new`` (``plan_rename``'s
    ``blocked``), or None; no edit is built."""
    return _blocked(ctx, path, old, new, _importers(ctx, path, old))


def plan_rename(ctx: Context, path: str, old: str, new: str) -> RenamePlan:
    """The edits that rename export ``old`` of ``path`` to ``new`` everywhere, or why not."""
    project = ctx.project
    importers = _importers(ctx, path, old)
    blocked = _blocked(ctx, path, old, new, importers)
    if blocked is not None:
        return RenamePlan(blocked=blocked)
    edits: list[Edit] = list(_uses(project.files[path], old, new, skip=_site_spans(project.files[path])))
    for imp in importers:
        edits += [_entry_edit(imp.file, entry.start, entry.end, old, new) for entry in imp.entries]
        for namespace in imp.namespaces:
            edits += _member_uses(imp.file, namespace, old, new)
        if imp.unaliased:
            edits += _uses(imp.file, old, new, skip=_site_spans(imp.file))
    return RenamePlan(tuple(sorted(edits)))


def _importers(ctx: Context, path: str, old: str) -> list[_Importer]:
    """Every file that imports or re-exports ``old`` of ``path`` (through barrels too),
    in path order."""
    project = ctx.project
    exports = project.exports
    out = []
    for importer, file in sorted(project.files.items()):
        entries, namespaces = [], []
        unaliased = False
        for site in file.facts.imports:
            if site.kind not in (IMPORT, REEXPORT):
                continue
            target = project.resolver.resolve(importer, site.specifier)
            if not target.ok or target.path not in project.files:
                continue
            binding = exports.names(target.path).get(old)
            if not binding or (binding.origin, binding.name) != (path, old):
                continue
            for entry in site.entries:
                if entry.imported == old:
                    entries.append(entry)
                    unaliased |= site.kind == IMPORT and entry.local == old
                elif entry.imported == "*" and site.kind == IMPORT and entry.local:
                    namespaces.append(entry.local)
        if entries or namespaces:
            out.append(_Importer(importer, file, tuple(entries), tuple(namespaces), unaliased))
    return out


def exporters(project, path: str, name: str) -> frozenset[str]:
    """The modules exporting ``name`` of ``path`` as that very binding: itself, and the
    barrels reaching it (a module where two ``export *`` bring it ambiguously does not)."""
    exports = project.exports
    return frozenset(m for m in exports.reverse_closure([path])
                     if (b := exports.names(m).get(name)) is not None and (b.origin, b.name) == (path, name))


def _blocked(ctx: Context, path: str, old: str, new: str, importers: list[_Importer]) -> str | None:
    project = ctx.project
    exports = project.exports
    if new in exports.names(path) or new in exports.ambiguous(path) or _binds(project.files[path], new):
        return f"`{new}` is already taken in {path}"
    # Modules that export `old` as this very binding (barrels reaching it): they will export `new`.
    exporting = exporters(project, path, old)
    for module in sorted(exporting - {path}):
        if new in exports.names(module) or new in exports.ambiguous(module):
            return f"{module}, which re-exports it, already exports `{new}`"
    for entry in sorted(exporting & package_entries(project)):
        return f"{entry}, a package's entry point, exports it: code outside the project may import `{old}`"
    for imp in importers:
        if imp.unaliased and _binds(imp.file, new):
            return f"`{new}` is already taken in {imp.path}, which imports it"
        edited = imp.entries or any(next(_members(imp.file, ns, old), None) for ns in imp.namespaces)
        if edited and not ctx.can_edit(imp.path):
            return f"{imp.path} imports it and cannot be edited"
    if not ctx.can_edit(path):
        return f"{path} cannot be edited"
    return None


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
    return [Edit(file.path, prop.start_byte, prop.end_byte, new.encode()) for prop in _members(file, namespace, old)]


def _members(file: SourceFile, namespace: str, old: str) -> Iterator[Node]:
    """The ``old`` of every ``namespace.old`` in ``file``."""
    for n in walk(file.tree.root_node):
        if n.type != "member_expression":
            continue
        obj, prop = n.child_by_field_name("object"), n.child_by_field_name("property")
        if (obj is not None and obj.type == "identifier" and node_text(obj) == namespace
                and prop is not None and prop.type == "property_identifier" and node_text(prop) == old):
            yield prop
