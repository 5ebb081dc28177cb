"""Fixes that move code out of a file take along the imports only that code used
(rewriters/_unused_imports.py): SF005's cross-module merge of two relations() of one
table, SF007's move of a relation to the table that has its column. Left behind, they
fail a project with `"noUnusedLocals": true` (TS6133, TS6192) and lint."""

from __future__ import annotations

import json

import pytest
from support import DB_TSCONFIG, check_fix, db_project_on_disk, run

PG = "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"

USERS = ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n\n"
         "export const users = pgTable('users', { id: serial('id').primaryKey() });\n")
POSTS = PG + """import { users } from '../user/users';

export const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id),
});

export const tags = pgTable('tags', {
  id: serial('id').primaryKey(),
  ownerId: integer('owner_id').notNull().references(() => users.id),
});
"""
USER_RELATIONS = """import { relations } from 'drizzle-orm';
import { users } from './users';
import { posts } from '../post/posts';

export const usersRelations = relations(users, ({ many }) => ({
  posts: many(posts),
}));
"""
# a second usersRelations outside relations.ts: SF005 merges it into user/relations.ts
EXTRA = """import { relations } from 'drizzle-orm';
import { users } from '../user/users';
import { posts, tags } from './posts';

export type Tag = typeof tags.$inferSelect;

export const usersRelations = relations(users, ({ many }) => ({
  posts: many(posts),
  tags: many(tags),
}));
"""
BARREL = "export * from './user/users';\nexport * from './post/posts';\nexport * from './post/extra';\n"


def merge(extra: str = EXTRA) -> dict[str, str]:
    return {"db/user/users.ts": USERS, "db/user/relations.ts": USER_RELATIONS, "db/post/posts.ts": POSTS,
            "db/post/extra.ts": extra, "db/index.ts": BARREL}


MERGED = USER_RELATIONS.replace("import { posts }", "import { posts, tags }").replace(
    "  posts: many(posts),\n", "  posts: many(posts),\n  tags: many(tags),\n")


def test_a_merge_removes_the_imports_only_the_deleted_declaration_used():
    """`relations`, `users` and `posts` were used by the declaration alone: they go (a
    whole statement, or a name out of a statement); `tags`, still used by a type, stays."""
    check_fix(merge(), {
        "db/user/relations.ts": MERGED,
        "db/post/extra.ts": "import { tags } from './posts';\n\nexport type Tag = typeof tags.$inferSelect;\n",
        "db/index.ts": BARREL + "export * from './user/relations';\n",
    }, select="SF005")


@pytest.mark.parametrize("use", [
    "export { users };\n",
    "export default users;\n",
    "export type Users = typeof users;\n",
    "export const count = (u: typeof users.$inferSelect) => u.id;\n",
    "export function first() {\n  return users;\n}\n",
    "export const byName = { users };\n",
])
def test_an_import_still_used_elsewhere_in_the_file_is_kept(use):
    after = run(merge(EXTRA + "\n" + use), select="SF005").final["db/post/extra.ts"].decode()
    assert "import { users } from '../user/users';\n" in after
    assert "relations" not in after and "posts," not in after and "usersRelations" not in after
    assert after.endswith(use)


def test_an_import_unused_before_the_fix_is_left_alone():
    """Only what the fix itself leaves unused is the fix's business."""
    extra = EXTRA.replace("import { posts, tags }", "import { posts, tags, type Tags }")
    after = run(merge(extra), select="SF005").final["db/post/extra.ts"].decode()
    assert after.startswith("import { tags, type Tags } from './posts';\n")


def test_side_effect_imports_and_imports_the_merge_does_not_touch_stay():
    extra = "import './setup';\n" + EXTRA.replace("export type Tag = typeof tags.$inferSelect;\n\n", "")
    after = run({**merge(extra), "db/post/setup.ts": "export {};\n"}, select="SF005").final
    assert after["db/post/extra.ts"].decode() == "import './setup';\n"


def test_a_file_left_without_import_or_export_stays_a_module():
    """The barrel still has `export * from './post/extra'`: a file that is no module
    there would be TS2306, so `export {};` takes the last import's place."""
    extra = EXTRA.replace("export type Tag = typeof tags.$inferSelect;\n\n", "")
    after = run(merge(extra), select="SF005").final
    assert after["db/post/extra.ts"].decode() == "export {};\n"
    semicolonless = extra.replace(";\n", "\n")
    assert run(merge(semicolonless), select="SF005").final["db/post/extra.ts"].decode() == "export {}\n"


def test_imports_removed_from_the_top_of_the_file_leave_no_blank_line_first():
    extra = EXTRA.replace("export type Tag = typeof tags.$inferSelect;\n", "export const label = 'extra';\n").replace(
        "  tags: many(tags),\n", "").replace("posts, tags", "posts")
    after = run(merge(extra), select="SF005").final["db/post/extra.ts"].decode()
    assert after == "export const label = 'extra';\n"


def test_an_aliased_and_a_multi_line_import_lose_only_their_unused_names():
    extra = EXTRA.replace("import { relations }", "import { relations as defineRelations }").replace(
        "= relations(users,", "= defineRelations(users,").replace(
        "import { posts, tags } from './posts';", "import {\n  posts,\n  tags,\n} from './posts';")
    after = run(merge(extra), select="SF005").final["db/post/extra.ts"].decode()
    assert after == "import {\n  tags,\n} from './posts';\n\nexport type Tag = typeof tags.$inferSelect;\n"


def test_braces_with_comments_are_left_as_they_are():
    extra = EXTRA.replace("import { posts, tags }", "import { posts /* the feed */, tags }")
    after = run(merge(extra), select="SF005").final["db/post/extra.ts"].decode()
    assert after.startswith("import { posts /* the feed */, tags } from './posts';\n\nexport type Tag")


# --- SF007 -------------------------------------------------------------------------------

ORGS = PG + """
export const orgs = pgTable('orgs', { id: serial('id').primaryKey() });

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  orgId: integer('org_id').notNull().references(() => orgs.id),
});
"""
ORG_RELATIONS = """import { relations } from 'drizzle-orm';
import { orgs, teams } from './orgs';

export const orgsRelations = relations(orgs, ({ many }) => ({
  teams: many(teams),
}));

export const teamsRelations = relations(teams, ({ one }) => ({
}));
"""
# `org` is on users, which has no orgId: it belongs to teams (SF007 moves it)
WRONG = USER_RELATIONS.replace("import { posts } from '../post/posts';\n",
                               "import { posts } from '../post/posts';\nimport { orgs } from '../org/orgs';\n").replace(
    "({ many }) => ({\n  posts: many(posts),\n",
    "({ one, many }) => ({\n  posts: many(posts),\n"
    "  org: one(orgs, { fields: [users.orgId], references: [orgs.id] }),\n")


def test_a_relation_moved_to_another_module_takes_its_table_import_along():
    files = {"db/user/users.ts": USERS, "db/post/posts.ts": POSTS, "db/org/orgs.ts": ORGS,
             "db/org/relations.ts": ORG_RELATIONS, "db/user/relations.ts": WRONG}
    check_fix(files, {
        "db/user/relations.ts": USER_RELATIONS.replace("({ many })", "({ one, many })"),
        "db/org/relations.ts": ORG_RELATIONS.replace(
            "({ one }) => ({\n",
            "({ one }) => ({\n  org: one(orgs, { fields: [teams.orgId], references: [orgs.id] }),\n"),
    }, select="SF007")


def test_a_moved_relations_target_still_named_in_the_file_keeps_its_import():
    wrong = WRONG.replace("  posts: many(posts),\n", "  posts: many(posts),\n  orgs: many(orgs),\n")
    files = {"db/user/users.ts": USERS, "db/post/posts.ts": POSTS, "db/org/orgs.ts": ORGS,
             "db/org/relations.ts": ORG_RELATIONS, "db/user/relations.ts": wrong}
    after = run(files, select="SF007").final["db/user/relations.ts"].decode()
    assert "import { orgs } from '../org/orgs';\n" in after and "org: one" not in after


# --- SF003, SF004: code deleted inside one file ---------------------------------------------

TABLES = """import { pgTable, serial, integer } from 'drizzle-orm/pg-core';

export const users = pgTable('users', { id: serial('id').primaryKey() });
export const accounts = pgTable('accounts', { id: serial('id').primaryKey() });
export const invoices = pgTable('invoices', { id: serial('id').primaryKey(), userId: integer('user_id') });
"""


def test_an_in_file_merge_drops_the_namespace_import_only_the_later_declaration_called():
    before = """import { relations } from 'drizzle-orm';
import * as orm from 'drizzle-orm';
import { invoices, users } from './tables';

export const invoicesRelations = relations(invoices, ({ one }) => ({
  customer: one(users, { fields: [invoices.userId], references: [users.id] }),
}));

export const invoicesRelations = orm.relations(invoices, ({ many }) => ({
  lines: many(users),
}));
"""
    after = """import { relations } from 'drizzle-orm';
import { invoices, users } from './tables';

export const invoicesRelations = relations(invoices, ({ one, many }) => ({
  customer: one(users, { fields: [invoices.userId], references: [users.id] }),
  lines: many(users),
}));
"""
    check_fix({"db/tables.ts": TABLES, "db/relations.ts": before}, {"db/relations.ts": after}, select="SF003")


def test_removing_the_earlier_of_two_different_values_of_a_key_drops_its_only_import():
    before = """import { relations } from 'drizzle-orm';
import { invoices, users, accounts } from './tables';

export const invoicesRelations = relations(invoices, ({ one }) => ({
  customer: one(users, { fields: [invoices.userId], references: [users.id] }),
  customer: one(accounts, { fields: [invoices.userId], references: [accounts.id] }),
}));
"""
    after = """import { relations } from 'drizzle-orm';
import { invoices, accounts } from './tables';

export const invoicesRelations = relations(invoices, ({ one }) => ({
  customer: one(accounts, { fields: [invoices.userId], references: [accounts.id] }),
}));
"""
    check_fix({"db/tables.ts": TABLES, "db/relations.ts": before}, {"db/relations.ts": after}, select="SF004",
              unsafe=True)


# --- the compiler's word: noUnusedLocals (runs node) -----------------------------------------


@pytest.mark.slow
def test_after_apply_a_no_unused_locals_project_compiles_and_a_second_run_changes_nothing(tmp_path):
    from click.testing import CliRunner
    from support import relations_dump, tsc

    from codemod.cli import main

    files = {**merge(), "db/org/orgs.ts": ORGS, "db/org/relations.ts": ORG_RELATIONS, "db/user/relations.ts": WRONG,
             "db/index.ts": BARREL + "export * from './org/orgs';\nexport * from './org/relations';\n"}
    root = db_project_on_disk(tmp_path / "p", files)
    config = {**DB_TSCONFIG, "include": ["db/**/*.ts"]}
    config["compilerOptions"] = {**config["compilerOptions"], "noUnusedLocals": True}
    (root / "tsconfig.json").write_text(json.dumps(config))
    assert {e["code"] for e in tsc(root)} == {"TS2339"}  # users.orgId: the relation on the wrong table

    applied = CliRunner().invoke(main, ["fix", str(root), "--apply"], catch_exceptions=False)
    assert applied.exit_code == 0, applied.output
    assert tsc(root) == []
    assert relations_dump(root / "db/index.ts")["broken"] == {}
    fixed = {p: (root / p).read_text() for p in files}
    assert "import { orgs }" not in fixed["db/user/relations.ts"]
    assert fixed["db/post/extra.ts"].startswith("import { tags } from './posts';\n")

    again = CliRunner().invoke(main, ["fix", str(root), "--apply"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert {p: (root / p).read_text() for p in files} == fixed
