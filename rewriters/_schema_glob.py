"""Table modules a drizzle config's ``schema`` glob leaves out (SF005).

When ``drizzle.config.ts`` names its schema by a glob (``schema: './src/**/*.table.ts'``),
drizzle-kit reads the files the glob matches, and nothing else: a table split into a file
named otherwise (``documents-tags.ts`` beside ``documents.table.ts``) is not in the
schema, and the next ``drizzle-kit generate`` writes a ``DROP TABLE`` for it. Such a
module is reported (a note: it may belong to another database on purpose) when it
defines a table, enum, view or sequence and is linked to the schema: it imports a
module the glob matches, or one of those imports it.
"""

from __future__ import annotations

from typing import Iterator

from codemod.model import Diagnostic, Severity
from codemod.rules import Context

from . import _barrels
from ._schema_entry import _configured, drizzle_configs, glob_matches, schema_globs

CODE = "SF005"


def outside_schema_globs(ctx: Context) -> Iterator[Diagnostic]:
    project = ctx.project
    resolve = project.resolver.resolve
    for config in drizzle_configs(project):
        globs = schema_globs(config)
        if not globs:
            continue
        matched = {p for p in project.files if any(glob_matches(p, g) for g in globs)} | _configured(project, config)
        if not matched:
            continue  # the glob names files outside what was analysed
        imported = {res.path for m in sorted(matched) for s in project.files[m].facts.imports
                    if (res := resolve(m, s.specifier)).ok}
        shown = " or ".join(repr(g) for g in globs)
        for path, file in sorted(project.files.items()):
            if path in matched or _barrels.skipped(path, "") or file.has_error or path == config.path:
                continue
            linked = path in imported or any((res := resolve(path, s.specifier)).ok and res.path in matched
                                             for s in file.facts.imports)
            if not linked or not _barrels.defines_tables(project, file):
                continue
            yield ctx.diagnostic(
                CODE, file, 0, f"{path} defines tables, but {config.path}'s schema {shown} does not match it: "
                "drizzle-kit does not see them (its next generate would drop them)",
                severity=Severity.INFO,
                notes=("rename the file to match, or add it to the config's `schema` (if it belongs to another "
                       "database, leave it)",))
