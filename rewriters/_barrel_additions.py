"""Adding a module to a barrel, checked: the line is written in the barrel's style
(``_barrel_lines``) and kept only if, with it, no name the barrel exports is exported
twice (TS2308) or comes from somewhere else than before.

Used by SF005 (the schema barrel misses relations or table modules) and by SF001 when
an import from a folder fails because the folder's ``index.ts`` no longer reaches the
module that defines the name: the barrel the importer chose is completed, instead of
the importer being repointed past it.
"""

from __future__ import annotations

import posixpath

from codemod.model import Fix
from codemod.project import Project
from codemod.rules import Context

from . import _barrels
from ._barrel_lines import Addition, reexport_fix
from ._drizzle import relations_declarations


def adds_no_collision(before: Project, after: Project, barrels: list[str]) -> bool:
    """No barrel gained an ambiguous name, and every name it exported still comes from
    the same declaration."""
    for barrel in dict.fromkeys(barrels):
        if not set(after.exports.ambiguous(barrel)) <= set(before.exports.ambiguous(barrel)):
            return False
        new = after.exports.names(barrel)
        for name, b in before.exports.names(barrel).items():
            if name not in new or (new[name].origin, new[name].name) != (b.origin, b.name):
                return False
    return True


def unreached_definer(ctx: Context, barrel: str, name: str) -> str | None:
    """The one module under ``barrel``'s folder that defines ``name`` and that the barrel
    does not reach, when ``barrel`` is a folder index; else None."""
    if not _barrels.is_barrel_name(barrel):
        return None
    folder = posixpath.dirname(barrel)
    reached = ctx.project.exports.reexports_from(barrel)
    definers = [p for p in ctx.project.exports.definers.get(name, ())
                if p != barrel and _barrels.under(p, folder) and not _barrels.skipped(p, folder)]
    if len(definers) != 1 or definers[0] in reached:
        return None
    return definers[0]


def reexport_module(ctx: Context, barrel: str, module: str) -> Fix | None:
    """A checked fix adding ``export * from '<module>'`` to ``barrel``; None when the line
    would make a name ambiguous or rebind one, or the barrel cannot be edited."""
    if not ctx.can_edit(barrel):
        return None
    project = ctx.project
    file = project.files.get(module)
    kind = "relations" if file is not None and relations_declarations(file, project) else "tables"
    brought = {n: b for n, b in project.exports.names(module).items() if n != "default"}
    fix = reexport_fix(ctx, barrel, [Addition(module, barrel, kind, brought)])
    if fix is None:
        return None
    after = ctx.preview([fix])
    # every barrel that re-exports this one (the schema barrel above a domain barrel) must
    # stay free of new collisions too
    above = [p for p in project.files if p != barrel and _barrels.is_barrel_name(p)
             and barrel in project.exports.reexports_from(p)]
    if after is None or not adds_no_collision(project, after, [barrel, *above]):
        return None
    return fix
