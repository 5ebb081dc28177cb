"""Findings of survey l (a helper's survey of more public projects, 2026-12-01), each
reduced to a small project written for this file."""

from __future__ import annotations

import pytest
from support import check_noop, diagnostics, fixed

USERS = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
         "import { teams } from './teams';\n"
         "export const users = pgTable('users', { id: serial('id').primaryKey(), teamId: integer('team_id') });\n"
         "export const usersRelations = relations(users, ({ one }) => ({\n"
         "  team: one(teams, { fields: [users.teamId], references: [teams.id] }),\n}));\n")
TEAMS = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial } from 'drizzle-orm/pg-core';\n"
         "import { users } from './users';\n"
         "export const teams = pgTable('teams', { id: serial('id').primaryKey() });\n"
         "export const teamsRelations = relations(teams, ({ many }) => ({ users: many(users) }));\n")


def test_a_package_entry_exposing_the_schema_as_a_namespace_is_not_the_schema_barrel():
    """A package's `src/db/index.ts` was `export * as schema from './schema'` beside a
    helper, `src/db/schema.ts` the real aggregate re-exporting every module (the drizzle
    config and the `drizzle()` call live in another package). SF005 took the index for the
    schema barrel and appended an `export *` line per relations module to it, a safe fix
    changing the package's public names while nothing was missing."""
    files = {"package.json": '{"name": "@acme/core", "exports": {"./db": "./src/db/index.ts"}}',
             "tsconfig.json": "{}",
             "src/db/schema/users.ts": USERS, "src/db/schema/teams.ts": TEAMS,
             "src/db/schema.ts": "export * from './schema/users';\nexport * from './schema/teams';\n",
             "src/db/vector.ts": "export const dimensions = 1536;\n",
             "src/db/index.ts": "export * as schema from './schema';\nexport { dimensions } from './vector';\n"}
    assert [d for d in diagnostics(files) if d.code == "SF005"] == []
    check_noop(files)


GROUPS = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
          "import { users } from './users';\n"
          "export const groups = pgTable('groups', { id: serial('id').primaryKey(), ownerId: integer('owner_id') });\n"
          "export const groupsRelations = relations(groups, ({ one }) => ({\n"
          "  owner: one(users, { fields: [groups.ownerId], references: [users.id] }),\n}));\n")
FOLDER_CONFIG = ("import { defineConfig } from 'drizzle-kit';\n"
                 "export default defineConfig({ schema: './src/schema/', dialect: 'postgresql' });\n")
CLIENT = ("import { drizzle } from 'drizzle-orm/postgres-js';\nimport * as schema from './schema';\n"
          "export const db = drizzle('postgres://x', { schema });\n")


def test_a_table_module_drizzle_kit_reads_but_the_drizzle_call_misses_is_noted():
    """A public mysql monorepo: the config names the folder (drizzle-kit reads every file),
    `src/schema.ts` beside it lists all modules but a new one with tables and relations, and
    `drizzle()` receives `src/schema.ts`: `db.query` has none of its tables. Nothing was
    said (its tables count as in the schema, for drizzle-kit reads them); a note now."""
    from codemod.model import Severity

    files = {"drizzle.config.ts": FOLDER_CONFIG, "tsconfig.json": "{}", "src/client.ts": CLIENT,
             "src/schema/users.ts": USERS, "src/schema/teams.ts": TEAMS, "src/schema/groups.ts": GROUPS,
             "src/schema.ts": "export * from './schema/users';\nexport * from './schema/teams';\n"}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert (d.path, d.severity, d.fix) == ("src/schema/groups.ts", Severity.INFO, None)
    assert "receives (src/schema.ts) does not include it" in d.message
    listed = {**files, "src/schema.ts": files["src/schema.ts"] + "export * from './schema/groups';\n"}
    assert [d for d in diagnostics(listed) if d.code == "SF005"] == []


def test_an_import_of_a_generated_dot_folder_itself_is_unknown():
    """`import { docs } from '../../.source'` (fumadocs-mdx's generated folder, whose index
    is absent until the dev server runs) was repointed by a safe fix to `docs.config.ts`,
    which defines the collection, not the data: only a file inside a dot-folder was
    unknown, not the folder itself."""
    tsconfig = '{"compilerOptions": {"moduleResolution": "bundler", "paths": {"@/*": ["./src/*"], "#/*": ["./*"]}}}'
    config = "export const docs = defineDocs({ dir: 'docs' });\n"
    for specifier in ("../../.source", "../../.source/", "#/.source", "../../.contentlayer"):
        files = {"tsconfig.json": tsconfig, "docs.config.ts": config,
                 "src/lib/source.ts": f"import {{ docs }} from '{specifier}';\nexport const pages = docs;\n"}
        assert [d for d in diagnostics(files) if d.code == "SF001"] == [], specifier


def test_a_missing_module_beside_a_dot_folder_is_still_broken():
    files = {"tsconfig.json": "{}", "docs.config.ts": "export const docs = 1;\n",
             "src/lib/source.ts": "import { docs } from '../../docs';\nexport const pages = docs;\n"}
    [d] = [d for d in diagnostics(files) if d.code == "SF001"]
    assert d.fix is not None


def test_a_new_relations_declaration_goes_after_its_table_declared_below_the_last_one():
    """A module declaring `profiles`, then `profilesRelations` (with `many(profileTags)`),
    then the `profileTags` table: SF008 appended `profileTagsRelations` after the last
    relations() of the module, above the table it names, a safe fix whose module then
    throws at load (`relations(profileTags, …)` reads the const before its declaration;
    tsc: TS2448). It goes after the table now."""
    module = ("import { relations } from 'drizzle-orm';\n"
              "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n\n"
              "export const profiles = pgTable('profiles', { id: serial('id').primaryKey() });\n\n"
              "export const profilesRelations = relations(profiles, ({ many }) => ({\n"
              "  tags: many(profileTags),\n}));\n\n"
              "export const profileTags = pgTable('profile_tags', {\n"
              "  id: serial('id').primaryKey(),\n"
              "  profileId: integer('profile_id').notNull().references(() => profiles.id),\n});\n\n"
              "export type Profile = typeof profiles.$inferSelect;\n")
    files = {"tsconfig.json": "{}", "src/db/schema/profiles.ts": module,
             "src/db/schema/index.ts": "export * from './profiles';\n"}
    after = fixed(files, select="SF008")["src/db/schema/profiles.ts"]
    assert "export const profileTagsRelations" in after
    assert after.index("export const profileTags =") < after.index("export const profileTagsRelations")
    assert after.index("export const profilesRelations") < after.index("export const profileTags =")


# --- js-recall: the schema handed to drizzle() as a module's default export ---------------

def _default_schema(spread: str, handed: str = "import schema from './schema/index';\n") -> dict[str, str]:
    table = ("import {{ pgTable, serial, integer }} from 'drizzle-orm/pg-core';\n{0}"
             "export const {1} = pgTable('{1}', {{ id: serial('id').primaryKey(){2} }});\n")
    return {
        "src/schema/users/defs.ts": table.format("", "users", ""),
        "src/schema/sports/defs.ts": table.format("import { users } from '../users/defs';\n", "teams",
                                                  ", ownerId: integer('owner_id').references(() => users.id)"),
        "src/schema/sports/relations.ts": (
            "import { relations } from 'drizzle-orm';\nimport { users } from '../users/defs';\n"
            "import { teams } from './defs';\n"
            "export const teamsRelations = relations(teams, ({ one }) => ({ owner: one(users, "
            "{ fields: [teams.ownerId], references: [users.id] }) }));\n"),
        "src/schema/index.ts": ("import * as usersDefs from './users/defs';\nimport * as sportsDefs from './sports/defs';\n"
                                "import * as sportsRelations from './sports/relations';\n" + spread),
        "src/db.ts": handed + "import { drizzle } from 'drizzle-orm/node-postgres';\n"
                              "export const db = drizzle('postgres://x', { schema });\n",
    }


@pytest.mark.parametrize("spread", [
    pytest.param("const schema = { ...usersDefs, ...sportsDefs };\nexport default schema;\n", id="named-object"),
    pytest.param("export default { ...usersDefs, ...sportsDefs };\n", id="inline-object"),
])
def test_a_relations_module_left_out_of_a_default_exported_schema_is_noted(spread):
    """The object the module exports by default is what drizzle() receives; a relations
    module it does not spread was never mentioned (the default export was not followed)."""
    [d] = [d for d in diagnostics(_default_schema(spread)) if d.code == "SF005"]
    assert d.path == "src/schema/sports/relations.ts" and d.message.startswith(
        "src/schema/sports/relations.ts declares relations(), but the schema drizzle() receives "
        "(src/schema/sports/defs.ts, src/schema/users/defs.ts) does not include it")


@pytest.mark.parametrize("spread", [
    pytest.param("const schema = { ...usersDefs, ...sportsDefs, ...sportsRelations };\nexport default schema;\n",
                 id="all-spread"),
    pytest.param("const schema = { ...usersDefs, ...sportsDefs, teamsRelations: sportsRelations.teamsRelations };\n"
                 "export default schema;\n", id="a-member-besides-the-spreads"),
])
def test_a_default_exported_schema_spreading_the_relations_or_not_read_whole_gets_no_note(spread):
    assert [d for d in diagnostics(_default_schema(spread)) if d.code == "SF005"] == []
