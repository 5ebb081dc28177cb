"""Each file's relations() declarations as rows of plain data: which table each is for
(SF006 groups them by it; SF005 asks whether a module it would add repeats a table's
relations the schema has)."""

from __future__ import annotations

from codemod.project import Project, SourceFile, carry_between_runs, decode_by_file, encode_by_file, read_by_file

from ._drizzle import RelationsDecl, relations_declarations
from ._relations_merge_plan import table_identity
from ._tables import identity

_Row = tuple[str, str, bool, str, int]  # (table's module, table's name, exported, declared name, line)

# Each file's relations() declarations as SF006 groups them: path -> one ``_Row`` per
# declaration, in file order (none for a file that does not parse). A declaration's
# table depends only on its file and the files it reaches through imports
# (``Project.carried``): the rows are carried from pass to pass and kept between runs,
# so a commit hook looks up the tables of the files an edit may affect only (table
# identities of 21,725 declarations at 19,813 files).
_ROWS = ("sf006-rows",)


def _rows(project: Project) -> dict[str, tuple[_Row, ...]]:
    return read_by_file(project, _ROWS, lambda file: () if file.has_error else tuple(
        (*_table_key(file, project, d), d.exported, d.name, d.line) for d in relations_declarations(file, project)))


def _decode_file_rows(rows) -> tuple[_Row, ...]:
    if type(rows) is not tuple:
        raise TypeError("not a file's SF006 rows")
    for row in rows:
        if not (type(row) is tuple and len(row) == 5 and type(row[0]) is str and type(row[1]) is str
                and type(row[2]) is bool and type(row[3]) is str and type(row[4]) is int):
            raise TypeError("not an SF006 row")
    return rows


carry_between_runs(_ROWS[0], encode_by_file, lambda kept: decode_by_file(kept, _decode_file_rows))


def _table_key(file: SourceFile, project, decl: RelationsDecl) -> tuple[str, str]:
    """``table_identity``, with a package table told apart by its package: two tables
    named ``users`` from ``@acme/auth-db`` and ``@acme/blog-db`` are two tables."""
    key = table_identity(file, project, decl)
    if key[0] == "" and decl.table_kind == "identifier":
        package = identity(project, file, decl.table)
        if package is not None and package[0] not in project.files:
            return (package[0], key[1])
    return key


def relations_rows(project: Project) -> dict[str, tuple[_Row, ...]]:
    """path -> one ``_Row`` per relations() declaration of the file, once per snapshot."""
    return project.memo(_ROWS, lambda: _rows(project))
