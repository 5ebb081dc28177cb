"""A drizzle config's ``schemaFilter`` (SF005's notes on table modules left out of what
drizzle-kit reads).

Seen on oneproject-common (Supabase): ``authUsers.sql.ts`` mirrors ``auth.users`` through
``pgSchema('auth')`` for foreign keys and is left out of the config's schema on purpose
("internal tables are not included in migrations"); the config says ``schemaFilter:
['public']``, so drizzle-kit's generate and push leave the auth schema alone. SF005 said
drizzle-kit would drop those tables. The note stays where the filter names the schema,
where there is no filter, and where one table of the module is in a schema it keeps."""

from __future__ import annotations

import pytest
from support import check_noop

AUTH = ("import { pgSchema, uuid } from 'drizzle-orm/pg-core';\n"
        "const auth = pgSchema('auth');\n"
        "export const authUsers = auth.table('users', { id: uuid('id').primaryKey() });\n")
PROFILES = ("import { pgTable, uuid, text } from 'drizzle-orm/pg-core';\n"
            "import { authUsers } from './authUsers.sql';\n"
            "export const profiles = pgTable('profiles', {\n"
            "  id: uuid('id').primaryKey().references(() => authUsers.id),\n  name: text('name'),\n});\n")


def config(schema: str, schema_filter: str | None) -> str:
    line = f"  schemaFilter: {schema_filter},\n" if schema_filter is not None else ""
    return ("import { defineConfig } from 'drizzle-kit';\n"
            f"export default defineConfig({{\n  dialect: 'postgresql',\n  schema: '{schema}',\n{line}}});\n")


def listed(schema_filter: str | None, auth: str = AUTH) -> dict[str, str]:
    """The config names a barrel of named lines that leaves the auth mirror out."""
    return {
        "drizzle.config.ts": config("./schema/publicTables.ts", schema_filter),
        "schema/publicTables.ts": "export { profiles } from './tables/profiles.sql';\n",
        "schema/tables/authUsers.sql.ts": auth,
        "schema/tables/profiles.sql.ts": PROFILES,
    }


def globbed(schema_filter: str | None) -> dict[str, str]:
    """The config's glob matches `*.sql.ts`; the auth mirror is named otherwise."""
    return {
        "drizzle.config.ts": config("./schema/tables/*.sql.ts", schema_filter),
        "schema/tables/authUsers.ts": AUTH,
        "schema/tables/profiles.sql.ts": PROFILES.replace("'./authUsers.sql'", "'./authUsers'"),
    }


def sf005(files: dict[str, str]) -> list:
    return [d for d in check_noop(files).remaining if d.code == "SF005"]


@pytest.mark.parametrize("files", [listed, globbed], ids=["named-list", "glob"])
@pytest.mark.parametrize("schema_filter", ["['public']", "'public'", "[\n    'public', // ours\n  ]"])
def test_a_mirror_of_a_schema_the_filter_leaves_out_gets_no_note(files, schema_filter):
    assert sf005(files(schema_filter)) == []


@pytest.mark.parametrize("files", [listed, globbed], ids=["named-list", "glob"])
@pytest.mark.parametrize("schema_filter", [None, "['public', 'auth']", "filters", "['public', `auth`]"],
                         ids=["no-filter", "names-auth", "not-literal", "template"])
def test_the_note_stays_when_drizzle_kit_may_read_the_schema(files, schema_filter):
    [d] = sf005(files(schema_filter))
    assert d.severity.name == "INFO" and "authUsers" in d.path, d
    assert "drizzle-kit" in d.message, d.message


AUTH_INLINE = ("import { pgSchema, uuid } from 'drizzle-orm/pg-core';\n"
               "export const authUsers = pgSchema('auth').table('users', { id: uuid('id').primaryKey() });\n")
AUTH_IMPORTED = ("import { uuid } from 'drizzle-orm/pg-core';\nimport { auth } from '../schemas';\n"
                 "export const authUsers = auth.table('users', { id: uuid('id').primaryKey() });\n")
AUTH_NAMESPACE = ("import * as pg from 'drizzle-orm/pg-core';\n"
                  "export const authUsers = pg.pgSchema('auth').table.withRLS('users', { id: pg.uuid('id').primaryKey() });\n")


@pytest.mark.parametrize("auth", [AUTH_INLINE, AUTH_IMPORTED, AUTH_NAMESPACE], ids=["inline", "imported", "namespace"])
def test_the_schema_is_read_however_it_is_written(auth):
    files = {**listed("['public']", auth),
             "schema/schemas.ts": "import { pgSchema } from 'drizzle-orm/pg-core';\nexport const auth = pgSchema('auth');\n"}
    assert sf005(files) == []
    [d] = sf005({**files, "drizzle.config.ts": config("./schema/publicTables.ts", None)})  # read as a table
    assert "authUsers" in d.path, d


@pytest.mark.parametrize("extra", [
    "export const sessions = pgTable('sessions', { id: uuid('id') });\n",  # a public table beside it
    "export const other = pgSchema(name).table('x', { id: uuid('id') });\nconst name = 'auth';\n",  # unreadable
])
def test_the_note_stays_when_one_table_of_the_module_may_be_kept(extra):
    auth = AUTH.replace("{ pgSchema, uuid }", "{ pgSchema, pgTable, uuid }") + extra
    [d] = sf005(listed("['public']", auth))
    assert "authUsers" in d.path, d


SPREAD_BASE = ("import { defineConfig } from 'drizzle-kit';\nconst base = { schemaFilter: ['public'] };\n"
               "export default defineConfig({\n  ...base,\n  dialect: 'postgresql',\n"
               "  schema: './schema/publicTables.ts',\n  schemaFilter: ['public', 'auth'],\n});\n")
TWICE = ("import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n  dialect: 'postgresql',\n"
         "  schema: './schema/publicTables.ts',\n  schemaFilter: ['public'],\n  schemaFilter: ['public', 'auth'],\n});\n")
SPREAD_AFTER = ("import { defineConfig } from 'drizzle-kit';\nimport { shared } from './shared';\n"
                "export default defineConfig({\n  dialect: 'postgresql',\n  schema: './schema/publicTables.ts',\n"
                "  schemaFilter: ['public'],\n  ...shared,\n});\n")


@pytest.mark.parametrize("text", [SPREAD_BASE, TWICE, SPREAD_AFTER, config("./schema/publicTables.ts", "[]")],
                         ids=["base-object-first", "key-twice", "spread-after", "empty"])
def test_a_filter_that_cannot_be_told_for_certain_keeps_the_note(text):
    """The last `schemaFilter` of an object wins, a spread after it may override it, and a
    second object (a base config) may be the one overridden: the first one found is no
    evidence; nor is an empty list."""
    [d] = sf005({**listed("['public']"), "drizzle.config.ts": text})
    assert "authUsers" in d.path, d
