"""SF006: relations for one table (or one relations export name) defined in two modules."""

from __future__ import annotations

from typing import Iterable

from codemod.model import Diagnostic
from codemod.project import SourceFile
from codemod.rules import Context, rule

from ._drizzle import RelationsDecl, relations_declarations
from ._relation_graph import reported_files_declare_relations
from ._relations_merge_plan import table_identity
from ._tables import identity


@rule("SF006", "relations-in-two-modules", "Relations for one table, or one relations export, in two modules",
      fix=None)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds ``relations()`` for the same table, or relations exports with the same name,
    defined in more than one module. Report only.

    Drizzle merges the relations of one table at runtime, but a barrel that does
    ``export *`` from both modules gets an ambiguous name (TypeScript drops it, TS2308)
    and relational-query types see only one of them. Moving code between files is left
    to whoever decides what the barrel exports.
    """
    project = ctx.project
    if not reported_files_declare_relations(ctx):
        return  # each diagnostic lands on a declaration in a file reported on: there is none
    by_table: dict[tuple[str, str], list[tuple[SourceFile, RelationsDecl]]] = {}
    by_name: dict[str, list[tuple[SourceFile, RelationsDecl]]] = {}
    for path, file in sorted(project.files.items()):
        if file.has_error:
            continue
        for decl in relations_declarations(file, project):
            by_table.setdefault(_table_key(file, project, decl), []).append((file, decl))
            if decl.exported:
                by_name.setdefault(decl.name, []).append((file, decl))
    targets = {f.path for f in ctx.files()}
    for (_origin, table), found in sorted(by_table.items()):
        yield from _each(ctx, found, targets, lambda d: f"{d.line} ({d.name})", lambda places: (
            f"relations for table '{table}' are also defined in {places}; drizzle merges them at runtime, but "
            "relational-query types see only one declaration: keep one table's relations in one module"))
    for name, found in sorted(by_name.items()):
        yield from _each(ctx, found, targets, lambda d: f"{d.line}", lambda places: (
            f"relations export '{name}' is also defined in {places}; a barrel that does `export *` from both "
            "modules makes the name ambiguous and drops it (TS2308)"))


def _table_key(file: SourceFile, project, decl: RelationsDecl) -> tuple[str, str]:
    """``table_identity``, with a package table told apart by its package: two tables
    named ``users`` from ``@acme/auth-db`` and ``@acme/blog-db`` are two tables."""
    key = table_identity(file, project, decl)
    if key[0] == "" and decl.table_kind == "identifier":
        package = identity(project, file, decl.table)
        if package is not None and package[0] not in project.files:
            return (package[0], key[1])
    return key


def _each(ctx: Context, found: list[tuple[SourceFile, RelationsDecl]], targets: set[str], where, message):
    """One diagnostic per declaration of ``found`` in a target file, when ``found`` spans
    two modules or more, naming the declarations in the other modules."""
    if len({f.path for f, _ in found}) < 2:
        return
    for file, decl in found:
        if file.path in targets:
            places = ", ".join(f"{f.path}:{where(d)}" for f, d in found if f.path != file.path)
            yield ctx.diagnostic("SF006", file, decl.start, message(places), end=decl.end)
