"""Findings of survey d (helper d, 2026-12): refactors simulated on listed public Drizzle
projects (domain folders moved or merged, relations moved between files, tables split or
renamed) and new public projects, each reduced to a small schema written for this file.
Each was xfail(strict) until its fix landed."""

from __future__ import annotations

from support import TABLE, check_noop, cli_run, git, git_repo as repo, run


def text(outcome, path: str) -> str:
    return outcome.final[path].decode()


# --- a domain folder's barrel: merged into another domain, or moved under a new name -------

DOMAINS = {
    "schema/index.ts": "export * from './users';\nexport * from './groups';\n",
    "schema/users/index.ts": "export * from './user';\n",
    "schema/users/user.ts": TABLE.format("users"),
    "schema/groups/index.ts": "export * from './group';\n",
    "schema/groups/group.ts": TABLE.format("groups"),
}


def test_a_domain_barrel_merged_into_another_loses_its_stale_root_line(tmp_path):
    """Seen simulated on openstatus (per-domain index.ts): `monitor_groups/*` moved into
    `monitors/` (git mv and plain mv alike), `monitors/index.ts` given the lines, the old
    index deleted. git's HEAD says what `./groups` exported; every name is still reached
    through `./users`, so the root line can go (as for a module merged into one the barrel
    reaches)."""
    root = repo(tmp_path, DOMAINS)
    git("mv", "schema/groups/group.ts", "schema/users/group.ts", cwd=root)
    git("rm", "-q", "schema/groups/index.ts", cwd=root)
    (root / "schema/users/index.ts").write_text("export * from './user';\nexport * from './group';\n")
    cli_run("--apply", str(root))
    assert (root / "schema/index.ts").read_text() == "export * from './users';\n"
    assert cli_run("--check", str(root)).exit_code == 0


def test_a_domain_folder_moved_under_a_new_name_without_git_mv_is_followed_by_the_barrel(tmp_path):
    """Seen simulated on openstatus: `mv monitor_tags monitors/tags` (not staged). With
    `git mv` the line is repointed to './monitors/tags'; with a plain mv it was kept and
    `export * from "./tags/monitor_tag"` appended to `monitors/index.ts` instead."""
    root = repo(tmp_path, DOMAINS)
    (root / "schema/users/labels").mkdir()
    for name in ("index.ts", "group.ts"):
        (root / "schema/users/labels" / name).write_text((root / "schema/groups" / name).read_text())
        (root / "schema/groups" / name).unlink()
    (root / "schema/groups").rmdir()
    cli_run("--apply", str(root))
    assert (root / "schema/index.ts").read_text() == "export * from './users';\nexport * from './users/labels';\n"
    assert (root / "schema/users/index.ts").read_text() == DOMAINS["schema/users/index.ts"]


# --- a table module that falls out of drizzle.config's schema glob -------------------------

GLOB_CONFIG = ("import { defineConfig } from 'drizzle-kit';\n"
               "export default defineConfig({ schema: './src/**/*.table.ts', dialect: 'sqlite' });\n")
SQLITE = "import {{ sqliteTable, text }} from 'drizzle-orm/sqlite-core';\n{0}"


def test_a_table_module_outside_the_config_schema_glob_is_reported():
    """Seen simulated on papra (`**/*.table.ts` glob, no barrel): `documentsTagsTable` split
    out of `tags.table.ts` into `documents/documents-tags.ts`. Every importer is repointed
    (right), but nothing says the new module is not part of drizzle-kit's schema: its
    next `generate` writes a DROP TABLE. A barrel missing a table module the folder imports
    gets SF005; a glob missing one deserves at least a note."""
    files = {
        "drizzle.config.ts": GLOB_CONFIG,
        "src/users/users.table.ts": SQLITE.format("export const usersTable = sqliteTable('users', { id: text('id').primaryKey() });\n"),
        "src/posts/posts.table.ts": SQLITE.format(
            "import { usersTable } from '../users/users.table';\n"
            "export const postsTable = sqliteTable('posts', { id: text('id').primaryKey(), "
            "userId: text('user_id').references(() => usersTable.id) });\n"),
        "src/posts/post-tags.ts": SQLITE.format(
            "import { postsTable } from './posts.table';\n"
            "export const postTagsTable = sqliteTable('post_tags', { postId: text('post_id').references(() => postsTable.id) });\n"),
        "src/posts/posts.repository.ts": "import { postTagsTable } from './post-tags';\nimport { postsTable } from './posts.table';\n"
                                         "export const all = [postTagsTable, postsTable];\n",
    }
    outcome = check_noop(files)
    [d] = [d for d in outcome.remaining if d.code == "SF005"]
    assert d.path == "src/posts/post-tags.ts" and d.severity.name == "INFO", d
    assert "drizzle.config.ts's schema 'src/**/*.table.ts' does not match it" in d.message, d.message


def test_table_modules_the_glob_matches_or_nothing_links_get_no_note():
    """The healthy side: every table module named `*.table.ts`, and a table module that
    neither imports a schema module nor is imported by one (a test fixture's own table)."""
    files = {
        "drizzle.config.ts": GLOB_CONFIG,
        "src/users/users.table.ts": SQLITE.format("export const usersTable = sqliteTable('users', { id: text('id').primaryKey() });\n"),
        "src/posts/post-tags.table.ts": SQLITE.format(
            "import { usersTable } from '../users/users.table';\n"
            "export const postTagsTable = sqliteTable('post_tags', { userId: text('user_id').references(() => usersTable.id) });\n"),
        "src/scratch/fixture.ts": SQLITE.format("export const scratch = sqliteTable('scratch', { id: text('id') });\n"),
    }
    outcome = check_noop(files)
    assert [d for d in outcome.remaining if d.code == "SF005"] == []


# --- SF001: a wrong specifier beside the module that defines the name -----------------------


def test_an_import_beside_the_defining_module_is_not_repointed_to_its_own_folder_index():
    """Seen simulated on openstatus (per-domain index.ts): `pageRelations` moved out of
    `pages/page.ts` into a new `pages/relations.ts` whose `import { page } from "./pages"`
    was a slip. SF001 wrote `from "./index"`: the folder's own barrel, which (after SF005's
    fix) re-exports `relations.ts` itself. tsc accepts the cycle, but a CommonJS loader
    (drizzle-kit's) that enters `relations.ts` first sees an empty barrel. Nothing moved:
    the module defining `page` is `./page`."""
    files = {
        "schema/index.ts": "export * from './pages';\n",
        "schema/pages/index.ts": "export * from './page';\n",
        "schema/pages/page.ts": TABLE.format("page"),
        "schema/pages/relations.ts": "import { relations } from 'drizzle-orm';\nimport { page } from './pages';\n"
                                     "export const pageRelations = relations(page, () => ({}));\n",
    }
    outcome = run(files)
    assert "from './page';" in text(outcome, "schema/pages/relations.ts"), text(outcome, "schema/pages/relations.ts")


# --- drizzle() given an object spreading namespace imports --------------------------------

SPREAD_DB = ("import { drizzle } from 'drizzle-orm/node-postgres';\n"
             "import * as usersSchema from './schema/users';\nimport * as postsSchema from './schema/posts';\n"
             "const schema = { ...usersSchema, ...postsSchema };\n"
             "export const db = drizzle(process.env.DATABASE_URL!, { schema });\n")
POSTS = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
         "import { users } from './users';\nimport { comments } from './comments';\n"
         "export const posts = pgTable('posts', { id: serial('id'), userId: integer('user_id').references(() => users.id) });\n"
         "export const postsRelations = relations(posts, ({ many }) => ({ comments: many(comments) }));\n")
COMMENTS = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
            "import { posts } from './posts';\n"
            "export const comments = pgTable('comments', { id: serial('id'), postId: integer('post_id').references(() => posts.id) });\n"
            "export const commentsRelations = relations(comments, ({ one }) => ({\n"
            "  post: one(posts, { fields: [comments.postId], references: [posts.id] }),\n}));\n")


def test_a_split_module_missing_from_a_spread_schema_object_is_reported():
    """Seen simulated on figrid (Remix, `db = drizzle(connection, { schema })` with
    `schema = { ...eventsSchema, ... }` of `import * as` lines, no barrel): `event_instances`
    split out of `events.server.ts`; every importer was repointed, and the run ended with
    "Nothing to fix", though `grids` relations `many(event_instances)` and the app's
    `with: { event_instances: … }` now name a table drizzle was never given."""
    files = {
        "db.ts": SPREAD_DB,
        "schema/users.ts": TABLE.format("users"),
        "schema/posts.ts": POSTS,
        "schema/comments.ts": COMMENTS,
        "repo.ts": "import { comments } from './schema/comments';\nexport const t = comments;\n",
    }
    outcome = check_noop(files)
    [d] = [d for d in outcome.remaining if d.code == "SF005"]
    assert d.path == "schema/comments.ts" and d.severity.name == "INFO", d
    assert "the schema drizzle receives (schema/posts.ts, schema/users.ts) does not include it" in d.message


def test_a_spread_schema_object_holding_every_table_module_gets_no_note():
    files = {"db.ts": SPREAD_DB.replace("const schema = { ...usersSchema, ...postsSchema };",
                                        "import * as commentsSchema from './schema/comments';\n"
                                        "const schema = { ...usersSchema, ...postsSchema, ...commentsSchema };"),
             "schema/users.ts": TABLE.format("users"), "schema/posts.ts": POSTS, "schema/comments.ts": COMMENTS}
    assert [d for d in check_noop(files).remaining if d.code == "SF005"] == []


def test_a_schema_object_with_a_table_given_by_name_is_not_read_as_the_whole_schema():
    """`{ ...usersSchema, ...postsSchema, comments }`: `comments` is in the schema by name;
    an object holding anything but namespace spreads is not read, so no note."""
    files = {"db.ts": SPREAD_DB.replace("const schema = { ...usersSchema, ...postsSchema };",
                                        "import { comments } from './schema/comments';\n"
                                        "const schema = { ...usersSchema, ...postsSchema, comments };"),
             "schema/users.ts": TABLE.format("users"), "schema/posts.ts": POSTS, "schema/comments.ts": COMMENTS}
    assert [d for d in check_noop(files).remaining if d.code == "SF005"] == []


def test_a_named_schema_file_and_a_second_config_for_another_database_get_no_note():
    """Seen on a public monorepo once the note existed: `db/schema.ts` (no index) re-exports
    its tables by name, and `drizzle.config.events.ts` names a second database's schema
    file. Neither the tables re-exported by name nor the other database's table are left
    out of a schema; `drizzle.config.<name>.ts` is a drizzle config too."""
    files = {
        "drizzle.config.ts": "import { defineConfig } from 'drizzle-kit';\n"
                             "export default defineConfig({ schema: './db/schema.ts', dialect: 'postgresql' });\n",
        "drizzle.config.events.ts": "import { defineConfig } from 'drizzle-kit';\n"
                                    "export default defineConfig({ schema: './models/events-neon.ts', dialect: 'postgresql' });\n",
        "db/schema.ts": "export { users } from '../models/users';\nexport { posts } from '../models/posts';\n",
        "models/users.ts": TABLE.format("users"),
        "models/posts.ts": TABLE.format("posts"),
        "models/events-neon.ts": TABLE.format("events") + "import { users } from './users';\nexport const seen = users;\n",
    }
    assert [d for d in check_noop(files).remaining if d.code == "SF005"] == []
