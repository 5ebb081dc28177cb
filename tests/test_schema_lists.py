"""SF005: a relations() declaration that the schema handed to drizzle() leaves off its
named re-export list, beside a table the list takes (survey l: SF008 declared a missing
inverse in such a module, and drizzle still threw after `--apply`)."""

from __future__ import annotations

import pytest
from support import check_fix, check_noop, diagnostics, node_modules, relations_dump, run, tsc, error_codes, write_tree

USERS = ("import { pgTable, integer } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
         "import { posts } from './posts.sql';\n"
         "export const users = pgTable('users', { id: integer('id').primaryKey() });\n"
         "export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n")
POSTS = ("import { pgTable, integer } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
         "import { users } from './users.sql';\n"
         "export const posts = pgTable('posts', { id: integer('id').primaryKey(), "
         "userId: integer('user_id').references(() => users.id) });\n"
         "export const postsRelations = relations(posts, ({ one }) => ({ "
         "user: one(users, { fields: [posts.userId], references: [users.id] }) }));\n")
CLIENT = ("import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './public';\n"
          "export const db = drizzle('postgres://localhost/app', { schema });\n")
LISTS = "export { users, usersRelations } from './users.sql';\nexport { posts } from './posts.sql';\n"
PROJECT = {"db/users.sql.ts": USERS, "db/posts.sql.ts": POSTS, "db/public.ts": LISTS, "db/client.ts": CLIENT}


def test_a_relations_declaration_left_off_the_schemas_list_is_added_to_it():
    outcome = check_fix(PROJECT, {"db/public.ts": LISTS.replace("{ posts }", "{ posts, postsRelations }")},
                        select="SF005")
    [d] = outcome.fixed
    assert d.path == "db/posts.sql.ts" and d.message == (
        "db/posts.sql.ts exports `postsRelations`, the relations of `posts`, but the schema drizzle() receives "
        "(db/public.ts) takes `posts` by name and not `postsRelations`: relational queries on it have none of these "
        "relations")
    assert d.notes == ("listed by db/public.ts:2",)


def test_the_inverse_sf008_declares_in_a_listed_module_reaches_the_schema():
    files = {**PROJECT, "db/posts.sql.ts": POSTS.split("export const postsRelations")[0]}
    outcome = run(files)
    assert outcome.final["db/public.ts"] == LISTS.replace("{ posts }", "{ posts, postsRelations }").encode()
    assert {d.code for d in outcome.fixed} == {"SF005", "SF008"} and not outcome.remaining


def test_a_list_in_a_module_the_schema_reexports_whole_is_the_one_extended():
    files = {**PROJECT, "db/public.ts": "export * from './lists';\n", "db/lists.ts": LISTS}
    check_fix(files, {"db/lists.ts": LISTS.replace("{ posts }", "{ posts, postsRelations }")}, select="SF005")


@pytest.mark.parametrize("public, where", [
    pytest.param(LISTS + "export { posts as allPosts } from './posts.sql';\n",
                 "db/public.ts:2; db/public.ts:3", id="two-lists"),
    pytest.param("import { users, usersRelations } from './users.sql';\nimport { posts } from './posts.sql';\n"
                 "export { users, usersRelations, posts };\n",
                 "no `export { … } from` statement of the schema names the module", id="imported-then-exported"),
])
def test_without_one_list_naming_the_module_it_is_reported(public, where):
    [d] = diagnostics({**PROJECT, "db/public.ts": public}, select="SF005")
    assert d.fix is None and d.notes == (f"add `postsRelations` where the schema lists the module's names ({where})",)


@pytest.mark.parametrize("public", [
    pytest.param("export * from './users.sql';\nexport * from './posts.sql';\n", id="export-star"),
    pytest.param(LISTS.replace("{ posts }", "{ posts, postsRelations }"), id="listed"),
    pytest.param("export { users, usersRelations } from './users.sql';\n", id="its-table-not-listed-either"),
])
def test_a_schema_giving_drizzle_the_relations_or_not_their_table_is_left_alone(public):
    outcome = check_noop({**PROJECT, "db/public.ts": public}, select="SF005")
    assert not [d for d in outcome.remaining if "by name and not" in d.message]


def test_without_a_drizzle_call_nothing_is_said():
    files = {p: t for p, t in PROJECT.items() if p != "db/client.ts"}
    check_noop(files, select="SF005")


@pytest.mark.slow
def test_drizzle_and_tsc_judge_the_inverse_added_to_a_listed_module(tmp_path):
    root = write_tree(tmp_path / "app", {
        **PROJECT, "db/posts.sql.ts": POSTS.split("export const postsRelations")[0],
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext", '
                         '"moduleResolution": "bundler", "skipLibCheck": true}, "include": ["db"]}'})
    (root / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    assert "not enough information" in relations_dump(root / "db" / "public.ts")["broken"]["users.posts"]
    from click.testing import CliRunner

    from codemod.cli import main

    assert CliRunner().invoke(main, ["--apply", "--no-cache", str(root)]).exit_code == 0
    dump = relations_dump(root / "db" / "public.ts")
    assert dump["broken"] == {} and dump["relations"]["posts"] == ["user"]
    assert error_codes(tsc(root)) == {}
    assert CliRunner().invoke(main, ["--check", "--no-cache", str(root)]).exit_code == 0


# --- review: three safe fixes that broke what worked ----------------------------------------

OTHER_RELATIONS = ("import { relations } from 'drizzle-orm';\nimport { users } from './users.sql';\n"
                   "import { posts } from './posts.sql';\n"
                   "export const NAME = relations(posts, ({ one }) => ({ "
                   "user: one(users, { fields: [posts.userId], references: [users.id] }) }));\n")


@pytest.mark.parametrize("name", [
    # the schema exports `postsRelations` from another module: appending it again was TS2300,
    # and it was appended once per pass, ten times
    pytest.param("postsRelations", id="the-name-exported-from-another-module"),
    # the schema holds relations of `posts` under another name: two relations() of one table
    # made drizzle throw "multiple relations between posts and users"
    pytest.param("postsAuthorRelations", id="the-table-has-relations-in-the-schema"),
])
def test_a_relations_declaration_the_schema_needs_no_more_is_left_alone(name):
    files = {**PROJECT, "db/relations.ts": OTHER_RELATIONS.replace("NAME", name),
             "db/public.ts": LISTS + f"export {{ {name} }} from './relations';\n"}
    outcome = run(files, select="SF005")
    assert outcome.final == outcome.original and outcome.converged
    assert not [d for d in outcome.remaining if "by name and not" in d.message]


def test_a_partial_schema_whose_tables_the_relations_point_past_is_left_alone():
    """A second database's schema takes `users` alone; `usersRelations` has `many(posts)`,
    which that schema does not hold: adding it made drizzle throw 'Table "posts" not found
    in schema'."""
    files = {**PROJECT, "db/public.ts": "export * from './users.sql';\nexport * from './posts.sql';\n",
             "db/auth.ts": "export { users } from './users.sql';\n",
             "db/client.ts": CLIENT + "import * as authSchema from './auth';\n"
                                      "export const auth = drizzle('postgres://localhost/auth', { schema: authSchema });\n"}
    outcome = run(files, select="SF005")
    assert outcome.final == outcome.original
    assert not [d for d in outcome.remaining if "by name and not" in d.message]


@pytest.mark.parametrize("listed, after", [
    pytest.param("export {\n  posts, // the table\n} from './posts.sql';\n",
                 "export {\n  posts, // the table\n  postsRelations,\n} from './posts.sql';\n", id="trailing-comma"),
    pytest.param("export {\n  posts // the table\n} from './posts.sql';\n",
                 "export {\n  posts, // the table\n  postsRelations\n} from './posts.sql';\n", id="no-trailing-comma"),
])
def test_a_name_added_to_a_list_leaves_the_last_names_comment_with_it(listed, after):
    """Review: `type UserRow, // the row` became `type UserRow,` and `usersRelations, // the row`."""
    public = LISTS.replace("export { posts } from './posts.sql';\n", listed)
    check_fix({**PROJECT, "db/public.ts": public},
              {"db/public.ts": LISTS.replace("export { posts } from './posts.sql';\n", after)}, select="SF005")
