"""The compiler and drizzle judge SF005: after `schemafix --apply`, tsc reports no export
collision (TS2308), drizzle's relational config (tests/node/relations-dump.mjs) holds
every relation, and a second run has nothing to do."""

from __future__ import annotations

import re
import subprocess

import pytest
from click.testing import CliRunner
from support import REPO, commit_all, copy_project, error_codes, node_modules, relations_dump, tsc, write_tree

from codemod.cli import main

pytestmark = pytest.mark.slow  # tsc and drizzle-orm under node (support.node_modules)

HEALTHY = REPO / "tests" / "fixtures" / "healthy-example"
RELATIONS_LINE = re.compile(r"^export \* from '\./\w+/relations';\n", re.M)


def schemafix(*args: str):
    return CliRunner().invoke(main, ["fix", *args], catch_exceptions=False)


def test_healthy_example_barrel_restored(tmp_path):
    project = copy_project(HEALTHY, tmp_path / "healthy")
    barrel = project / "schema" / "index.ts"
    wanted = relations_dump(barrel)
    assert any(wanted["relations"].values()), "the healthy example should have relations"

    text = barrel.read_text()
    stripped, removed = RELATIONS_LINE.subn("", text)
    assert removed == 7
    barrel.write_text(stripped)
    broken = relations_dump(barrel)
    assert not any(broken["relations"].values()), "without the relations lines drizzle sees none"

    applied = schemafix(str(project), "--apply", "--select", "SF005")
    assert applied.exit_code == 0, applied.output
    assert barrel.read_text().startswith(stripped)  # existing lines untouched, new ones appended

    assert "TS2308" not in error_codes(tsc(project))
    assert tsc(project) == []
    got = relations_dump(barrel)
    relation_exports = {n for n in wanted["exports"] if n.endswith("Relations")}
    assert relation_exports and relation_exports <= set(got["exports"])
    assert got == wanted

    again = schemafix(str(project), "--select", "SF005")
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert set(barrel.read_text().splitlines()) == set(text.splitlines())


def test_broken_example_barrel_gets_every_relations_module(tmp_path):
    """SF005 alone on the broken example: the barrel reaches all seven relations modules
    and no compiler error is added (the others belong to SF001/SF003)."""
    project = copy_project(REPO / "examples" / "broken-schema", tmp_path / "broken")
    before = error_codes(tsc(project))
    applied = schemafix(str(project), "--apply", "--select", "SF005")
    assert applied.exit_code == 0, applied.output
    after = error_codes(tsc(project))
    assert "TS2308" not in after
    assert after == before
    barrel = (project / "schema" / "index.ts").read_text()
    assert len(RELATIONS_LINE.findall(barrel)) == 7


USER_BACK_RELATIONS = (
    "  addresses: many(userAddresses),\n"
    "  sessions: many(sessions),\n"
    "  verificationTokens: many(verificationTokens),\n"
    "  listings: many(listings),\n"
)
USER_LINKS = (
    "import { relations } from 'drizzle-orm';\n"
    "import { users } from '../user/users';\n"
    "import { userAddresses } from '../user/profiles';\n"
    "import { sessions, verificationTokens } from '../user/sessions';\n"
    "import { listings } from '../catalog/listings';\n"
    "\n"
    "export const usersRelations = relations(users, ({ many }) => ({\n"
    + USER_BACK_RELATIONS +
    "}));\n"
)


def test_same_table_relations_in_two_modules_merged(tmp_path):
    """The `users` back-relations live in a second `usersRelations` in social/user-links.ts,
    which the barrel does not export (exporting both would be TS2308). SF005 moves them
    into user/relations.ts (adding the `listings` import it now needs) and deletes the
    second declaration — a safe fix since issue 12: lossless, into the module the project
    keeps relations in. tsc is clean and drizzle sees the same relations as in the
    untouched healthy example."""
    wanted = relations_dump(copy_project(HEALTHY, tmp_path / "healthy") / "schema" / "index.ts")
    project = copy_project(HEALTHY, tmp_path / "split")
    user_rel = project / "schema" / "user" / "relations.ts"
    text = user_rel.read_text()
    assert USER_BACK_RELATIONS in text
    split = text.replace(USER_BACK_RELATIONS, "").replace("import { listings } from '../catalog/listings';\n", "")
    user_rel.write_text(split)
    (project / "schema" / "social" / "user-links.ts").write_text(USER_LINKS)
    barrel = project / "schema" / "index.ts"
    assert relations_dump(barrel)["relations"]["users"] == ["profile"]

    applied = schemafix(str(project), "--apply")
    assert applied.exit_code == 0, applied.output
    assert tsc(project) == []
    assert user_rel.read_text().replace("import { listings } from '../catalog/listings';\n", "") == \
        text.replace("import { listings } from '../catalog/listings';\n", "")
    got = relations_dump(barrel)
    assert got["relations"]["users"] == wanted["relations"]["users"]
    assert got == wanted

    again = schemafix(str(project))
    assert again.exit_code == 0, again.output
    assert again.stdout == ""


PG = "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
MODS_TABLE = "export const mods = pgTable('mods', { id: serial('id').primaryKey(), authorId: integer('author_id') });\n"
MODS_RELATIONS = ("export const modsRelations = relations(mods, ({ one }) => ({\n"
                  "  author: one(users, { fields: [mods.authorId], references: [users.id] }),\n}));\n")
RELATIONS_HEAD = ("import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                  "import { mods } from './{0}';\n\n"
                  "export const usersRelations = relations(users, ({ many }) => ({\n  mods: many(mods),\n}));\n\n")


def test_a_git_mv_with_a_duplicated_relations_ends_as_export_star(tmp_path):
    """`git mv schema/addons.ts schema/mods.ts` left the barrel's `export * from './addons'`
    stale, and the move brought a copy of `modsRelations`, which relations.ts also
    declares twice. After `--apply` the line is `export * from './mods'` (not a named list
    that a table added to mods.ts later would miss), tsc has nothing to say, and a
    second run changes nothing."""
    project = tmp_path / "moved"
    write_tree(project, {
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "skipLibCheck": true,'
                         ' "moduleResolution": "bundler", "module": "esnext", "target": "es2022"},'
                         ' "include": ["schema"]}\n',
        "schema/users.ts": PG + "export const users = pgTable('users', { id: serial('id').primaryKey() });\n",
        "schema/addons.ts": PG + MODS_TABLE,
        "schema/relations.ts": RELATIONS_HEAD.replace("{0}", "addons") + MODS_RELATIONS,
        "schema/index.ts": "export * from './users';\nexport * from './addons';\nexport * from './relations';\n",
    })
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    commit_all(project)
    subprocess.run(["git", "mv", "schema/addons.ts", "schema/mods.ts"], cwd=project, check=True, timeout=60)
    (project / "schema/mods.ts").write_text(PG + "import { relations } from 'drizzle-orm';\n"
                                            "import { users } from './users';\n\n" + MODS_TABLE + "\n" + MODS_RELATIONS)
    (project / "schema/relations.ts").write_text(RELATIONS_HEAD.replace("{0}", "mods") + MODS_RELATIONS + "\n"
                                                 + MODS_RELATIONS)
    assert {"TS2307", "TS2451"} <= set(error_codes(tsc(project)))

    applied = schemafix(str(project), "--apply")
    assert applied.exit_code == 0, applied.output
    barrel = (project / "schema" / "index.ts").read_text()
    assert barrel == "export * from './users';\nexport * from './mods';\nexport * from './relations';\n"
    assert (project / "schema" / "relations.ts").read_text().count("export const modsRelations") == 1
    assert "modsRelations" not in (project / "schema" / "mods.ts").read_text()
    assert tsc(project) == []
    assert relations_dump(project / "schema" / "index.ts")["relations"]["mods"] == ["author"]

    again = schemafix(str(project))
    assert again.exit_code == 0, again.output
    assert again.stdout == ""


def test_a_stale_star_line_beside_a_named_list_keeps_the_merged_table_in_the_schema(tmp_path):
    """users.ts merged into posts.ts; the barrel's `export * from './users'` is stale and
    `export { posts } from './posts'` lists posts alone. The safe run leaves the line (its
    removal took `users` out of drizzle's schema: TS2339 on `db.query.users`); the unsafe
    fix repoints it, after which tsc has nothing to say, drizzle sees both tables, and a
    second run changes nothing."""
    project = tmp_path / "merged"
    write_tree(project, {
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "skipLibCheck": true,'
                         ' "moduleResolution": "bundler", "module": "esnext", "target": "es2022"}}\n',
        "schema/posts.ts": PG + "export const posts = pgTable('posts', { id: serial('id').primaryKey() });\n"
                                "export const users = pgTable('users', { id: serial('id').primaryKey() });\n",
        "schema/index.ts": "export * from './users';\nexport { posts } from './posts';\n",
        "db.ts": "import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
                 "export const db = drizzle('postgres://x', { schema });\n"
                 "export const q = () => db.query.users.findMany();\n",
        "repo.ts": "import { users } from './schema';\nexport const table = users;\n",
    })
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    assert "TS2307" in error_codes(tsc(project))

    safe = schemafix(str(project), "--apply")
    assert safe.exit_code == 1, safe.output
    assert (project / "schema" / "index.ts").read_text() == "export * from './users';\nexport { posts } from './posts';\n"

    applied = schemafix(str(project), "--apply", "--unsafe")
    assert applied.exit_code == 0, applied.output
    assert (project / "schema" / "index.ts").read_text() == "export * from './posts';\nexport { posts } from './posts';\n"
    assert tsc(project) == []
    assert {"posts", "users"} <= set(relations_dump(project / "schema" / "index.ts")["exports"])
    again = schemafix(str(project), "--unsafe")
    assert again.exit_code == 0, again.output
    assert again.stdout == ""


def test_a_merge_without_git_is_judged_by_tsc_and_drizzle(tmp_path):
    """users.ts and posts.ts merged into tables.ts by hand: the barrel's lines and the
    relations module's imports still name the old files (TS2307 four times). One run
    repoints the imports and re-exports tables.ts in place of the two lines; tsc is clean,
    drizzle holds both relations, and a second run has nothing to do."""
    project = write_tree(tmp_path / "app", {
        "db/tables.ts": "import { pgTable, integer } from 'drizzle-orm/pg-core';\n"
                        "export const users = pgTable('users', { id: integer('id').primaryKey() });\n"
                        "export const posts = pgTable('posts', { id: integer('id').primaryKey(), "
                        "authorId: integer('author_id').references(() => users.id) });\n",
        "db/relations.ts": "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                           "import { posts } from './posts';\n"
                           "export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n"
                           "export const postsRelations = relations(posts, ({ one }) => ({ author: one(users, "
                           "{ fields: [posts.authorId], references: [users.id] }) }));\n",
        "db/index.ts": "export * from './users';\nexport * from './posts';\nexport * from './relations';\n",
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext", '
                         '"moduleResolution": "bundler", "skipLibCheck": true}, "include": ["db"]}'})
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    assert error_codes(tsc(project)) == {"TS2307": 4}
    applied = schemafix(str(project), "--apply", "--no-cache")
    assert applied.exit_code == 0, applied.output
    assert (project / "db" / "index.ts").read_text() == "export * from './tables';\nexport * from './relations';\n"
    assert error_codes(tsc(project)) == {}
    dump = relations_dump(project / "db" / "index.ts")
    assert dump["broken"] == {} and "author" in dump["relations"]["posts"] and "posts" in dump["relations"]["users"]
    again = schemafix(str(project), "--check", "--no-cache")
    assert again.exit_code == 0, again.output
