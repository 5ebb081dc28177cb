"""Modules whose tables are written through a schema (``auth.table(...)``,
``pgSchema('auth').table(...)``), by a ``pgTableCreator`` result, or with a namespace
import (``pg.pgTable``) are table modules to SF005, SF011 and to where a new
relations() goes (``_barrels.defines_tables`` agrees with ``_tables``): the barrel that
misses one gets its line, a healthy project of them gets no edit and no report, and a
module holding only a creator is no table module. What the file alone tells is a
summary; a creator or schema imported from another module is looked up in the project.
Judged by tsc and drizzle's relations normalisation (tests/node/relations-dump.mjs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_fix, check_noop, db_project_on_disk, diagnostics, fixed, run

from codemod.project import Project
from rewriters._barrels import defines_tables
from rewriters._tables import tables

COLUMNS = """{
  id: serial('id').primaryKey(),
  userId: integer('user_id').references(() => users.id),
  label: text('label'),
}"""
USER_COLUMNS = """{
  id: serial('id').primaryKey(),
  name: text('name'),
}"""
COLUMN_IMPORTS = "serial, integer, text"


def _module(style: str, name: str, columns: str, *, uses_users: bool) -> str:
    """A module defining table ``name`` in ``style``."""
    users = "import { users } from './users';\n" if uses_users else ""
    table = name
    if style == "schema-variable":
        head = f"import {{ pgSchema, {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n{users}\n" \
               "const audit = pgSchema('audit');\n"
        call = f"audit.table('{table}', {columns})"
    elif style == "inline-schema":
        head = f"import {{ pgSchema, {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n{users}"
        call = f"pgSchema('audit').table('{table}', {columns})"
    elif style == "local-creator":
        head = f"import {{ pgTableCreator, {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n{users}\n" \
               "const createTable = pgTableCreator((n) => `app_${n}`);\n"
        call = f"createTable('{table}', {columns})"
    elif style == "imported-schema":
        head = f"import {{ {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n" \
               f"import {{ audit }} from './audit-schema';\n{users}"
        call = f"audit.table('{table}', {columns})"
    elif style == "imported-creator":
        head = f"import {{ {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n" \
               f"import {{ createTable }} from './create-table';\n{users}"
        call = f"createTable('{table}', {columns})"
    elif style == "namespace":
        head = f"import * as pg from 'drizzle-orm/pg-core';\n" \
               f"import {{ {COLUMN_IMPORTS} }} from 'drizzle-orm/pg-core';\n{users}"
        call = f"pg.pgTable('{table}', {columns})"
    else:
        raise AssertionError(style)
    return f"{head}\nexport const {name} = {call};\n"


SHARED = {
    "imported-schema": {"db/audit-schema.ts": "import { pgSchema } from 'drizzle-orm/pg-core';\n\n"
                                              "export const audit = pgSchema('audit');\n"},
    "imported-creator": {"db/create-table.ts": "import { pgTableCreator } from 'drizzle-orm/pg-core';\n\n"
                                               "export const createTable = pgTableCreator((n) => `app_${n}`);\n"},
}
STYLES = ["schema-variable", "inline-schema", "local-creator", "imported-schema", "imported-creator", "namespace"]

RELATIONS = """import { relations } from 'drizzle-orm';
import { users } from './users';
import { posts } from './posts';
import { tags } from './tags';
import { auditLogs } from './audit-logs';

export const usersRelations = relations(users, ({ many }) => ({
  posts: many(posts),
  tags: many(tags),
  auditLogs: many(auditLogs),
}));

export const postsRelations = relations(posts, ({ one }) => ({
  user: one(users, { fields: [posts.userId], references: [users.id] }),
}));

export const tagsRelations = relations(tags, ({ one }) => ({
  user: one(users, { fields: [tags.userId], references: [users.id] }),
}));

export const auditLogsRelations = relations(auditLogs, ({ one }) => ({
  user: one(users, { fields: [auditLogs.userId], references: [users.id] }),
}));
"""
LINES = "export * from './users';\nexport * from './posts';\nexport * from './tags';\nexport * from './relations';\n"


def project(style: str, barrel: str = LINES) -> dict[str, str]:
    """Four table modules in ``style`` (users, posts, tags, auditLogs), their relations,
    and a barrel (by default re-exporting all but audit-logs.ts)."""
    return {
        **SHARED.get(style, {}),
        "db/users.ts": _module(style, "users", USER_COLUMNS, uses_users=False),
        "db/posts.ts": _module(style, "posts", COLUMNS, uses_users=True),
        "db/tags.ts": _module(style, "tags", COLUMNS, uses_users=True),
        "db/audit-logs.ts": _module(style, "auditLogs", COLUMNS, uses_users=True),
        "db/relations.ts": RELATIONS,
        "db/index.ts": barrel,
    }


HEALTHY_LINES = LINES + "export * from './audit-logs';\n"


@pytest.mark.parametrize("style", STYLES)
def test_every_style_of_table_module_is_one_to_the_barrel_summary(style):
    files = project(style)
    built = Project.build(Path("/project"), {p: t.encode() for p, t in files.items()})
    found = {p for p, f in built.files.items() if defines_tables(built, f)}
    assert found == {"db/users.ts", "db/posts.ts", "db/tags.ts", "db/audit-logs.ts"}
    # as _tables reads them
    assert {m for m, _ in tables(built)} == found


@pytest.mark.parametrize("style", STYLES)
def test_a_table_module_of_any_style_the_barrel_misses_is_added(style):
    """The barrel reaches three table modules and misses the fourth, which the relations
    import: before, a module of schema or creator tables was no table module (nothing
    added; with every table so written, the barrel reached "no table" either)."""
    check_fix(project(style), {"db/index.ts": HEALTHY_LINES}, select="SF005")


@pytest.mark.parametrize("style", STYLES)
def test_a_healthy_project_of_any_style_gets_no_edit_and_no_report(style):
    """The creator's and the schema's own modules are imported by the tables and not
    re-exported: no table module (a module holding only `pgTableCreator(...)` was one, and
    with the tables now counted SF005 would have added it to the barrel)."""
    files = project(style, HEALTHY_LINES)
    assert diagnostics(files) == []
    check_noop(files)


def test_a_module_of_only_a_creator_is_no_table_module():
    files = SHARED["imported-creator"]
    built = Project.build(Path("/project"), {p: t.encode() for p, t in files.items()})
    assert not defines_tables(built, built.files["db/create-table.ts"])


def test_a_table_in_a_doc_comment_or_inside_a_function_is_no_table_of_the_summary():
    text = ("import { pgSchema } from 'drizzle-orm/pg-core';\n\nconst audit = pgSchema('audit');\n\n"
            "/** export const x = audit.table('x', {}); */\nexport function make() {\n"
            "  return audit.table('x', {});\n}\n")
    built = Project.build(Path("/project"), {"db/x.ts": text.encode()})
    assert not defines_tables(built, built.files["db/x.ts"])


def test_a_schema_enum_is_table_like_as_pg_enum_is():
    text = ("import { pgSchema } from 'drizzle-orm/pg-core';\n\nconst audit = pgSchema('audit');\n\n"
            "export const level = audit.enum('level', ['info', 'warn']);\n")
    built = Project.build(Path("/project"), {"db/x.ts": text.encode()})
    assert defines_tables(built, built.files["db/x.ts"])


@pytest.mark.parametrize("style", ["schema-variable", "imported-creator"])
def test_an_orphan_module_of_schema_tables_is_reported_as_tables(style):
    """SF011 (SF005 off): a module of schema tables nothing imports is a table module
    drizzle never sees (a warning with an unsafe fix), not a module that may be dead code."""
    files = project(style, HEALTHY_LINES)
    files["db/archive.ts"] = _module(style, "archive", COLUMNS, uses_users=True)
    found = [d for d in diagnostics(files, select="SF011") if d.path == "db/archive.ts"]
    assert len(found) == 1 and "defines tables" in found[0].message
    assert run(files, select="SF011", unsafe=True).final["db/index.ts"].decode() == \
        HEALTHY_LINES + "export * from './archive';\n"


# --- where a new relations() goes --------------------------------------------------------

ACCOUNTS = """import { relations } from 'drizzle-orm';
import { pgSchema, serial, integer, text } from 'drizzle-orm/pg-core';
import { invoices } from './invoices';

const auth = pgSchema('auth');

export const users = auth.table('users', {
  id: serial('id').primaryKey(),
  name: text('name'),
});

export const sessions = auth.table('sessions', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
});

export const usersRelations = relations(users, ({ many }) => ({
  sessions: many(sessions),
  invoices: many(invoices),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
"""
INVOICES = """import { pgTable, serial, integer } from 'drizzle-orm/pg-core';
import { users } from './accounts';

export const invoices = pgTable('invoices', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
});
"""
INVOICES_RELATIONS = """
export const invoicesRelations = relations(invoices, ({ one }) => ({
  user: one(users, { fields: [invoices.userId], references: [users.id] }),
}));
"""
HOME = {"db/accounts.ts": ACCOUNTS, "db/invoices.ts": INVOICES,
        "db/index.ts": "export * from './accounts';\nexport * from './invoices';\n"}


def test_a_new_relations_goes_beside_its_table_when_the_other_side_keeps_relations_beside_schema_tables():
    """accounts.ts keeps the relations of its two `auth.table` tables beside them; the
    missing side of `usersRelations.invoices` goes into invoices.ts, the invoices' own
    module (before: into accounts.ts, taken for a module of relations and no table)."""
    after = fixed(HOME, select="SF008")
    assert after["db/accounts.ts"] == ACCOUNTS
    assert after["db/invoices.ts"] == INVOICES.replace(
        "import { users } from './accounts';\n",
        "import { users } from './accounts';\nimport { relations } from 'drizzle-orm';\n") + INVOICES_RELATIONS


# --- the compiler's and drizzle's word (runs node) -----------------------------------

_on_disk = db_project_on_disk


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
def test_drizzle_sees_the_table_module_the_barrel_now_adds(tmp_path, style):
    from support import relations_dump, tsc

    before = _on_disk(tmp_path / "a", project(style))
    assert tsc(before) == []
    assert relations_dump(before / "db/index.ts")["broken"] != {}  # auditLogs' relations without their table
    outcome = run(project(style))
    assert set(outcome.changed) == {"db/index.ts"}
    assert run(outcome.final).final == outcome.final  # a second run changes nothing
    after = _on_disk(tmp_path / "b", {p: t.decode() for p, t in outcome.final.items()})
    assert tsc(after) == []
    dump = relations_dump(after / "db/index.ts")
    assert dump["broken"] == {}
    assert dump["relations"] == {"auditLogs": ["user"], "posts": ["user"], "tags": ["user"],
                                 "users": ["auditLogs", "posts", "tags"]}


@pytest.mark.slow
def test_drizzle_and_tsc_judge_the_new_relations_beside_its_table(tmp_path):
    from support import relations_dump, tsc

    before = _on_disk(tmp_path / "a", HOME)
    assert tsc(before) == []
    assert list(relations_dump(before / "db/index.ts")["broken"]) == ["users.invoices"]
    after = _on_disk(tmp_path / "b", fixed(HOME, select="SF008"))
    assert tsc(after) == []
    dump = relations_dump(after / "db/index.ts")
    assert dump["broken"] == {} and dump["relations"]["invoices"] == ["user"]


# --- a package entry that reaches no table module is not the schema barrel ---------------

HELPERS = ("import { pgSchema } from 'drizzle-orm/pg-core';\nexport const app = pgSchema('app');\n"
           "export const ping = () => 1;\n")
SCHEMA_TABLE = ("import {{ serial }} from 'drizzle-orm/pg-core';\nimport {{ app }} from '../helpers';\n"
                "export const {0} = app.table('{0}', {{ id: serial('id') }});\n")
REPO = "import {{ {0} }} from '../schema/{0}';\nexport const {0}Repo = () => {0};\n"


def test_a_package_entry_reaching_no_table_module_is_not_taken_for_the_schema_barrel():
    """A package's `src/index.ts` re-exports its helpers and repositories; the tables are
    `app.table(...)` of a schema imported from a helper module, each imported by its
    repository, and drizzle gets them by a config glob (seen on a public monorepo once
    such tables were read as tables): SF005 used to list every table module as "not
    reached" by the entry. Where no barrel reaches a table module and some module defines
    one, the barrels are package entries: nothing to complete."""
    files = {"src/helpers.ts": HELPERS, "src/schema/projects.ts": SCHEMA_TABLE.format("projects"),
             "src/schema/issues.ts": SCHEMA_TABLE.format("issues"),
             "src/repositories/projects.ts": REPO.format("projects"),
             "src/repositories/issues.ts": REPO.format("issues"),
             "src/index.ts": "export { ping } from './helpers';\nexport * from './repositories/projects';\n"
                             "export * from './repositories/issues';\n"}
    check_noop(files)
    assert [d for d in diagnostics(files) if d.code == "SF005"] == []


def test_a_barrel_whose_every_line_is_stale_is_still_the_schema_barrel():
    """The escape: a barrel whose tables all moved reaches none of them, but its lines that
    lead nowhere make it the barrel to mend."""
    files = {"src/helpers.ts": HELPERS, "src/schema/projects.ts": SCHEMA_TABLE.format("projects"),
             "src/schema/index.ts": "export * from './project';\n",
             "src/app.ts": "import { projects } from './schema';\nexport const all = projects;\n"}
    check_fix(files, {"src/schema/index.ts": "export * from './projects';\n"})
