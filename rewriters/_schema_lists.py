"""Relations a schema's named re-export list leaves out (SF005).

A module handed to ``drizzle(…, { schema })`` that takes its names by list
(``export { posts } from './posts.sql'``) gives drizzle exactly those names. A
``relations()`` declaration its module exports beside a table the list takes, but that
the list leaves out, is not in the schema: relational queries on that table have none of
its relations, and a ``many()`` pointing at the table from elsewhere throws "There is not
enough information to infer relation" on the first query. It is what SF008 leaves behind
when it declares a missing inverse in such a module, and what a hand-written list misses
when a relations() is added later. The fix adds the name to the one list that re-exports
that module's names into the schema (the list or the modules ``export *`` lines bring
into it); with several such lists, or none (the names come through an import and a local
export), it is reported.
"""

from __future__ import annotations

from typing import Iterator

from codemod.facts import REEXPORT, ImportSite
from codemod.model import Applicability, Diagnostic, Fix
from codemod.rules import Context

from . import _barrels
from ._drizzle import RelationsDecl, relations_declarations
from ._import_editor import append_names
from ._relation_graph import relations_of
from ._schema_entry import handed_to_drizzle
from ._tables import identity

CODE = "SF005"


def relations_left_off(ctx: Context) -> Iterator[Diagnostic]:
    project = ctx.project
    exports = project.exports
    files = project.files
    for schema in handed_to_drizzle(project):
        if schema not in files:
            continue
        names = exports.names(schema)
        taken: dict[str, set[str]] = {}  # module -> the names of it the schema exports (as named there)
        for binding in names.values():
            taken.setdefault(binding.origin, set()).add(binding.name)
        lists = held = None
        for module in sorted(taken):
            file = files.get(module)
            if file is None or file.has_error:
                continue
            for decl in relations_declarations(file, project):
                if not decl.exported or decl.name in names or decl.table_kind != "identifier":
                    continue  # (the name is the schema's already, from here or from another module)
                table = identity(project, file, decl.table)
                if table is None or table[1] not in taken.get(table[0], ()):
                    continue  # its table is not in the schema either: not this check's business
                if held is None:
                    held = _relations_held(project, taken)
                if table in held or not _points_into(project, file, decl, taken):
                    # the schema has relations of that table already (two for one table: SF006's,
                    # and adding one breaks what works), or the relations name a table the schema
                    # leaves out (a partial schema: drizzle would throw "not found in schema")
                    continue
                if lists is None:
                    lists = _named_lists(ctx, schema)
                yield _diagnose(ctx, schema, module, decl, lists.get(module, []))


def _relations_held(project, taken: dict[str, set[str]]) -> set:
    """The tables (identities) a relations() exported into the schema is declared for."""
    out = set()
    for module, names in taken.items():
        file = project.files.get(module)
        if file is None:
            continue
        for decl in relations_declarations(file, project):
            if decl.name in names and decl.table_kind == "identifier":
                table = identity(project, file, decl.table)
                if table is not None:
                    out.add(table)
    return out


def _points_into(project, file, decl, taken: dict[str, set[str]]) -> bool:
    """Does every relation of ``decl`` point at a table the schema holds (all read)?"""
    entry = relations_of(project).get(identity(project, file, decl.table))
    if entry is None or not entry.known:
        return False
    props = [p for p in entry.props if p.file is file and p.decl.name == decl.name]
    return all(p.target is not None and p.target[1] in taken.get(p.target[0], ()) for p in props)


def _named_lists(ctx: Context, schema: str) -> dict[str, list[tuple[str, ImportSite]]]:
    """module -> the `export { … } from` statements naming it, in the modules ``schema``
    brings in whole (itself and what its `export *` lines reach): (file, site)."""
    project = ctx.project
    out: dict[str, list[tuple[str, ImportSite]]] = {}
    for path in _barrels.reach(project, schema, star_only=True):
        file = project.files.get(path)
        if file is None:
            continue
        for site, target in zip(file.facts.imports, project.exports.site_targets(path)):
            if site.kind == REEXPORT and not site.star and target is not None and site.named and not site.type_only:
                out.setdefault(target, []).append((path, site))
    return out


def _diagnose(ctx: Context, schema: str, module: str, decl: RelationsDecl,
              lists: list[tuple[str, ImportSite]]) -> Diagnostic:
    project = ctx.project
    file = project.files[module]
    name, table = decl.name, decl.table
    head = (f"{module} exports `{name}`, the relations of `{table}`, but the schema drizzle() receives ({schema}) "
            f"takes `{table}` by name and not `{name}`: relational queries on it have none of these relations")
    if len(lists) != 1:
        where = ("; ".join(f"{path}:{site.line}" for path, site in lists) if lists
                 else "no `export { … } from` statement of the schema names the module")
        return ctx.diagnostic(CODE, file, decl.start, head, notes=(f"add `{name}` where the schema lists the "
                                                                  f"module's names ({where})",))
    path, site = lists[0]
    fix = None
    if ctx.can_edit(path):
        fix = Fix(f"Add {name} to the list of {path}", (append_names(project.files[path], site, [name]),),
                  Applicability.SAFE)
    return ctx.diagnostic(CODE, file, decl.start, head, fix=fix,
                          notes=(f"listed by {path}:{site.line}",))
