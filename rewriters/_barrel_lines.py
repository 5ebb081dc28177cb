"""The lines SF005 appends to a barrel, written the way the barrel writes its own."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace

from codemod.exportmap import Binding
from codemod.facts import REEXPORT, TYPE
from codemod.model import Edit, Fix
from codemod.project import Project
from codemod.rules import Context
from codemod.style import detect
from codemod.wording import plural

from . import _barrels
from ._import_editor import forced_extension


@dataclass
class Addition:
    """One module to append to barrel ``target``."""

    module: str
    target: str
    kind: str  # "relations" or "tables"
    brought: dict[str, Binding]
    colliding: dict[str, list[Binding]] = field(default_factory=dict)  # name -> the other bindings
    names: list[str] | None = None  # None: `export *`; else a named re-export of these
    notes: list[str] = field(default_factory=list)
    merged: set[str] = field(default_factory=set)  # colliding names a merge resolves (now or next pass)


def reexport_fix(ctx: Context, target: str, adds: list[Addition]) -> Fix | None:
    """One fix appending ``adds`` to barrel ``target`` in its own style: quotes, semicolons,
    extension style (or ``--extension``), the tsconfig alias most of its lines use, after
    the last re-export, under ``// Tables`` / ``// Relations`` headings when the file
    groups its lines under comment headings (at the end of its own group of that kind,
    when it has one)."""
    if not ctx.can_edit(target):
        return None
    file = ctx.project.files[target]
    # the barrel's style and layout are facts of its bytes, its alias of the snapshot:
    # read once, however many modules are added to it one fix at a time
    style = file.memo("barrel-line-style", lambda: detect(file))
    forced = forced_extension(ctx)
    if forced is not None:
        style = replace(style, extension=forced)
    alias = ctx.project.memo(("barrel-alias-style", target), lambda: _alias_style(ctx.project, target))
    lay = file.memo("barrel-layout", lambda: _barrels.layout(file))
    nl = style.newline

    def line(a: Addition) -> str:
        spec = style.string(ctx.project.resolver.specifier_for(target, a.module, extension=style.extension,
                                                                alias=alias))
        if a.names is None:
            return f"export * from {spec}{style.end}"
        listed = ", ".join(("type " if a.brought[n].kind == TYPE else "") + n for n in a.names)
        return f"export {{ {listed} }} from {spec}{style.end}"

    end = len(file.data) if lay.last_reexport_end is None else lay.last_reexport_end
    blocks: dict[int, list[str]] = {}
    for kind, heading in (("tables", "// Tables"), ("relations", "// Relations")):
        lines = [line(a) for a in adds if a.kind == kind]
        if not lines:
            continue
        pos = end
        group_end = lay.relations_group_end if kind == "relations" else lay.tables_group_end
        if group_end is not None:
            pos, heading = group_end, None  # the end of the barrel's own group of that kind
        elif not lay.grouped:
            heading = None
        block = ""
        if heading:
            block += (nl if lay.blank_between_groups else "") + heading + nl
        block += nl.join(lines) + nl
        blocks.setdefault(pos, []).append(block)
    edits = []
    for pos, parts in blocks.items():
        content = "".join(parts)
        if pos == len(file.data) and file.data and not file.data.endswith(b"\n"):
            content = nl + content[: -len(nl)]
        edits.append(Edit.insert(target, pos, content.encode("utf-8")))
    n = len(adds)
    return Fix(f"Re-export {n} {plural(n, 'module')} from {posixpath.basename(target)}", tuple(edits))

def _alias_style(project: Project, target: str) -> str | None:
    """A tsconfig paths alias when most re-exports of ``target`` use one."""
    aliases = []
    for s in project.files[target].facts.imports:
        if s.kind == REEXPORT:
            aliases.append(project.resolver.resolve(target, s.specifier).alias)
    if not aliases:
        return None
    best = max(set(aliases), key=aliases.count)
    return best if best not in (None, "baseUrl") and 2 * aliases.count(best) > len(aliases) else None
