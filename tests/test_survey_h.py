"""Findings of survey h (a helper's survey of 16 more public projects, 2026-12-01,
session 34), each reduced to a small project written for this file."""

from __future__ import annotations

from support import diagnostics, fixed

BROKEN = "export function f( {\n}\nexport type Status = 'up';\n"  # tree-sitter loses every export after it
USE = "import type {{ Status }} from '{0}';\nexport const s: Status = 'up';\n"


def sf001(files: dict[str, str]) -> list:
    return [d for d in diagnostics(files) if d.code == "SF001"]


def test_a_name_a_parse_error_may_hide_is_neither_reported_nor_repointed():
    """A statement that does not parse can swallow the declarations after it (an interface
    member tree-sitter misreads, on a public Next.js app): the import was called broken,
    and with another module exporting the name it was repointed there by a safe fix."""
    files = {"src/types.ts": BROKEN, "src/use.ts": USE.format("./types")}
    assert sf001(files) == []
    assert sf001({**files, "src/old-status.ts": "export type Status = 'up' | 'down';\n"}) == []


def test_a_parse_error_in_a_module_a_barrel_reexports_hides_the_barrels_names_too():
    files = {"src/types.ts": BROKEN, "src/index.ts": "export * from './types';\n", "src/use.ts": USE.format("./index"),
             "src/old-status.ts": "export type Status = 'up' | 'down';\n"}
    assert sf001(files) == []


def test_a_named_reexport_of_a_module_that_does_not_parse_is_trusted():
    """A barrel's named line `export { Status } from './types'` of a module whose parse
    error hides `Status`: the barrel's importers were called broken, and repointed by a
    safe fix to another module exporting the name (the line itself was left alone). The
    export map now holds such a module open, as it does an unread one."""
    files = {"src/types.ts": BROKEN, "src/index.ts": "export { Status } from './types';\n",
             "src/use.ts": USE.format("./index"), "src/old-status.ts": "export type Status = 'up' | 'down';\n"}
    assert sf001(files) == []


def test_a_module_that_does_not_parse_is_open_in_the_export_map():
    from pathlib import Path

    from codemod.project import Project
    from support import encode

    files = {"src/types.ts": BROKEN, "src/index.ts": "export * from './types';\n",
             "src/named.ts": "export { Status } from './types';\n", "src/fine.ts": "export const a = 1;\n"}
    exports = Project.build(Path("/p"), encode(files)).exports
    assert {m: exports.is_open(m) for m in sorted(files)} == {
        "src/fine.ts": False, "src/index.ts": True, "src/named.ts": False, "src/types.ts": True}
    assert exports.exports("src/named.ts", "Status") and not exports.exports("src/named.ts", "Other")
    assert not exports.exports("src/fine.ts", "b")


def test_a_name_missing_from_a_module_that_parses_is_still_reported():
    files = {"src/types.ts": "export type Kind = 'a';\n", "src/use.ts": USE.format("./types"),
             "src/old-status.ts": "export type Status = 'up' | 'down';\n"}
    [d] = sf001(files)
    assert "Status is exported by src/old-status.ts" in d.message and d.fix is not None


def test_an_import_of_a_generated_dot_folder_not_there_yet_is_unknown():
    """`@/.source/server` is what fumadocs-mdx generates (git-ignored, absent until the dev
    server runs): a public app's import of `blog` from it was repointed by a safe fix to
    `source.config.ts`, which defines the collection, not the data. A file missing from a
    dot-folder is unknown, through an alias or a relative path."""
    tsconfig = '{"compilerOptions": {"moduleResolution": "bundler", "jsx": "preserve", "paths": {"@/*": ["./*"]}}}'
    config = "export const blog = defineCollections({ type: 'doc', dir: 'content/blog' });\n"
    for specifier in ("@/.source/server", "../../.source/server", "../../.svelte-kit/types/x"):
        files = {"tsconfig.json": tsconfig, "source.config.ts": config,
                 "src/app/page.tsx": f"import {{ blog }} from '{specifier}';\nexport const posts = blog;\n"}
        assert sf001(files) == [], specifier


def test_an_import_into_node_modules_not_installed_is_unknown():
    files = {"tsconfig.json": "{}", "src/pages/signin.ts":
             "import { setCookie } from '../../node_modules/next-auth/next/utils';\nexport const set = setCookie;\n",
             "src/cookies.ts": "export function setCookie() {}\n"}
    assert sf001(files) == []


def test_a_missing_module_of_a_project_is_still_broken():
    files = {"tsconfig.json": "{}", "src/a.ts": "import { setCookie } from './lib/cookie';\nexport const set = setCookie;\n",
             "src/lib/cookies.ts": "export function setCookie() {}\n"}
    [d] = sf001(files)
    assert "setCookie is exported by src/lib/cookies.ts" in d.message


def test_no_module_offers_the_importers_own_names():
    """'did you mean ServerProps?' named the importing file's own export."""
    files = {"tsconfig.json": "{}", "src/analytics.ts": "import type { Server } from './schema';\n"
             "export type ServerProps = { server: Server };\n"}
    [d] = sf001(files)
    assert d.message == "Server is exported by no module; kept where it is"


def test_a_module_whose_tables_a_barrel_of_namespaces_hides_gets_no_list_of_its_relations():
    """`export * as users from './users'`: SF005 added `export { usersRelations } from
    './users'` beside it (a safe fix), leaving the table out (its name is taken by the
    namespace): drizzle saw relations without tables, before and after. A note now."""
    from codemod.model import Severity

    users = ("import { relations } from 'drizzle-orm';\nimport { pgTable, varchar } from 'drizzle-orm/pg-core';\n"
             "import { accounts } from './accounts';\n"
             "export const users = pgTable('users', { id: varchar('id').primaryKey() });\n"
             "export const usersRelations = relations(users, ({ many }) => ({ accounts: many(accounts) }));\n")
    accounts = ("import { relations } from 'drizzle-orm';\nimport { pgTable, serial, varchar } from 'drizzle-orm/pg-core';\n"
                "import { users } from './users';\nexport const accounts = pgTable('accounts', "
                "{ id: serial('id').primaryKey(), userId: varchar('user_id').notNull() });\n"
                "export const accountsRelations = relations(accounts, ({ one }) => ({\n"
                "  user: one(users, { fields: [accounts.userId], references: [users.id] }),\n}));\n")
    files = {"src/schema/users.ts": users, "src/schema/accounts.ts": accounts,
             "src/schema/index.ts": "export * as users from './users';\nexport * as accounts from './accounts';\n",
             "src/db.ts": "import { drizzle } from 'drizzle-orm/postgres-js';\nimport * as schema from './schema';\n"
                          "export const db = drizzle('postgres://x', { schema });\n"}
    found = [d for d in diagnostics(files) if d.code == "SF005"]
    assert [(d.severity, d.fix) for d in found] == [(Severity.INFO, None)] * 2, [d.message for d in found]
    assert "does not re-export src/schema/accounts.ts, and cannot: the names of its table `accounts` are taken" \
        in found[0].message


def test_a_replacement_of_another_spelling_is_not_said_to_have_the_same_file_name():
    files = {"src/schema/index.ts": "export * from './accounts';\nexport * from './users';\n",
             "src/schema/account.ts": "import { pgTable, text } from 'drizzle-orm/pg-core';\n"
                                      "export const accounts = pgTable('accounts', { id: text('id') });\n",
             "src/schema/users/index.ts": "import { pgTable, text } from 'drizzle-orm/pg-core';\n"
                                          "export const users = pgTable('users', { id: text('id') });\n"}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.message.endswith("src/schema/account.ts replaced it (the same name but for case, '-', '_' or a "
                              "plural ending)"), d.message


# --- survey i: refactors simulated on public schemas, judged by tsc ----------------------

USERS = ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
         "export const users = pgTable('users', { id: serial('id').primaryKey() });\n")
POSTS = ("import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\nimport { users } from './users';\n"
         "export const posts = pgTable('posts', { id: serial('id').primaryKey(),\n"
         "  authorId: integer('author_id').notNull().references(() => users.id) });\n")
USERS_RELATIONS = ("import { relations } from 'drizzle-orm';\nimport { posts } from './tables/posts';\n"
                   "import { users } from './tables/users';\n"
                   "export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n")
POST_RELATIONS = ("import {{ relations }} from 'drizzle-orm';\nimport {{ posts }} from '{0}';\nimport {{ users }} from '{1}';\n"
                  "export const postRelations = relations(posts, ({{ one }}) => ({{\n"
                  "  author: one(users, {{ fields: [posts.authorId], references: [users.id] }}),\n}}));\n")


def test_no_inverse_is_added_while_a_relations_declaration_names_an_unknown_table():
    """`git mv post-relations.ts tables/`: its imports broke, so its `relations(posts, …)`
    named no known table, and SF008 added a second `postsRelations` with the inverse it
    already held (tsc: TS2551 on every relational query of posts after --apply). It waits
    for SF001's repoint now, and the run ends with one relations() of posts."""
    files = {"src/schema/tables/users.ts": USERS, "src/schema/tables/posts.ts": POSTS,
             "src/schema/relations.ts": USERS_RELATIONS,
             "src/schema/tables/post-relations.ts": POST_RELATIONS.format("./tables/posts", "./tables/users"),
             "src/schema/index.ts": "export * from './tables/users';\nexport * from './tables/posts';\n"
                                    "export * from './relations';\nexport * from './tables/post-relations';\n"}
    assert [d for d in diagnostics(files) if d.code == "SF008"] == []
    from support import run
    final = run(files).final
    assert b"relations(" not in final["src/schema/tables/posts.ts"]
    assert final["src/schema/tables/post-relations.ts"].decode() == POST_RELATIONS.format("./posts", "./users")


def test_a_stale_export_star_of_a_merged_module_goes_outside_a_schema_barrel_too(tmp_path):
    """With a drizzle config naming `users.ts`, the barrel `index.ts` is no schema barrel
    of SF005's: SF001 saw `export * from './posts'` (posts.ts merged into users.ts) and
    said "no single module replaced it". Git's HEAD shows every name posts.ts exported
    re-exported by the barrel's other lines now: the line goes, as SF005 does it."""
    from click.testing import CliRunner
    from support import git_repo

    from codemod import cli

    config = ("import { defineConfig } from 'drizzle-kit';\n"
              "export default defineConfig({ schema: './src/schema/users.ts', dialect: 'postgresql' });\n")
    root = git_repo(tmp_path, {"drizzle.config.ts": config, "src/schema/users.ts": USERS,
                               "src/schema/posts.ts": POSTS,
                               "src/schema/index.ts": "export * from './users';\nexport * from './posts';\n"})
    (root / "src/schema/users.ts").write_text(USERS + POSTS.split("\n", 2)[2])
    (root / "src/schema/posts.ts").unlink()
    dry = CliRunner().invoke(cli.main, [str(root / "src")], catch_exceptions=False)
    assert "every name src/schema/posts.ts exported in git's HEAD is exported by this file's other lines" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root / "src")], catch_exceptions=False)
    assert (root / "src/schema/index.ts").read_text() == "export * from './users';\n"
    assert CliRunner().invoke(cli.main, ["--check", str(root / "src")], catch_exceptions=False).exit_code == 0


def test_a_relations_module_the_schema_handed_to_drizzle_leaves_out_is_noted():
    """A one-file schema's relations moved into `relations.ts`, which the schema does not
    re-export (karakeep's shape): tsc saw `never` on every relational query; schemafix
    said nothing. A note now, as for a table module left out."""
    from codemod.model import Severity

    config = ("import { defineConfig } from 'drizzle-kit';\n"
              "export default defineConfig({ schema: './src/db/schema.ts', dialect: 'postgresql' });\n")
    relations = ("import { relations } from 'drizzle-orm';\nimport { posts, users } from './schema';\n"
                 "export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n")
    db = ("import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
          "export const db = drizzle('postgres://x', { schema });\n")
    files = {"drizzle.config.ts": config, "src/db/schema.ts": USERS + POSTS.split("\n", 2)[2],
             "src/db/relations.ts": relations, "src/db/index.ts": db}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.severity is Severity.INFO and d.path == "src/db/relations.ts"
    assert "declares relations(), but the schema drizzle() receives (src/db/schema.ts) does not include it" in d.message
    healthy = {**files, "src/db/schema.ts": files["src/db/schema.ts"] + "export * from './relations';\n"}
    assert [d for d in diagnostics(healthy) if d.code == "SF005"] == []


def test_a_domain_folder_moved_with_its_relations_is_followed_by_the_root_line(tmp_path):
    """`mv schema/groups schema/teams` (no git mv) where the folder holds a table module
    and its relations: no one module defines every name the old index exported, so the
    root line was kept (TS2307) and `./teams/relations` appended beside it. The folder's
    new index re-exports every name, each from a module of its own folder: the line
    follows it."""
    from click.testing import CliRunner
    from support import git_repo

    from codemod import cli

    group = ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
             "export const groups = pgTable('groups', { id: serial('id').primaryKey() });\n")
    relations = ("import { relations } from 'drizzle-orm';\nimport { groups } from './group';\n"
                 "export const groupsRelations = relations(groups, () => ({}));\n")
    root = git_repo(tmp_path, {"schema/index.ts": "export * from './users';\nexport * from './groups';\n",
                               "schema/users/index.ts": "export * from './user';\n",
                               "schema/users/user.ts": USERS,
                               "schema/groups/index.ts": "export * from './group';\nexport * from './relations';\n",
                               "schema/groups/group.ts": group, "schema/groups/relations.ts": relations})
    (root / "schema/groups").rename(root / "schema/teams")
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == "export * from './users';\nexport * from './teams';\n"
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_stale_config_path_is_reported_when_the_config_is_outside_the_program(tmp_path):
    """`include: ["src"]` leaves `drizzle.config.ts` out of the program (kan, account-book):
    it is read beside the sources, but its stale schema path was dropped with every
    diagnostic on a file that is no target. A run on the whole project reports it (no fix:
    the file is not a source); a run on named files does not."""
    from click.testing import CliRunner
    from support import git_repo

    from codemod import cli

    config = ("import { defineConfig } from 'drizzle-kit';\n"
              "export default defineConfig({ schema: ['./src/schema/users.ts', './src/schema/user-posts.ts'], "
              "dialect: 'postgresql' });\n")
    root = git_repo(tmp_path, {"tsconfig.json": '{"include": ["src"]}', "drizzle.config.ts": config,
                               "src/schema/users.ts": USERS, "src/schema/user-posts.ts": POSTS})
    (root / "src/schema/user-posts.ts").rename(root / "src/schema/userPosts.ts")
    whole = CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False)
    assert whole.exit_code == 1
    assert "drizzle.config.ts:2:" in whole.stderr and "schema './src/schema/user-posts.ts' does not exist" in whole.stderr
    named = CliRunner().invoke(cli.main, ["--check", str(root / "src/schema/users.ts")], catch_exceptions=False)
    assert "drizzle.config.ts" not in named.stderr
# --- survey b (final): imports the resolver misread --------------------------------------


def test_a_missing_module_named_like_an_asset_is_repointed_where_the_project_names_modules_so():
    """sst/console names its table modules `<name>.sql.ts`: after `git mv billing.sql.ts
    usage.sql.ts`, `./billing.sql` was taken for an SQL file (an asset) and never reported,
    where tsc says TS2307. vanilla-extract's `theme.css.ts` likewise."""
    table = "import {{ mysqlTable, varchar }} from 'drizzle-orm/mysql-core';\nexport const {0} = mysqlTable('{0}', {{}});\n"
    for kind in ("sql", "css"):
        files = {"tsconfig.json": "{}", f"src/billing/usage.{kind}.ts": table.format("usage"),
                 "src/billing/index.ts": f"import {{ usage }} from './billing.{kind}';\nexport const t = usage;\n"}
        assert fixed(files, select="SF001")["src/billing/index.ts"].startswith(
            f"import {{ usage }} from './usage.{kind}';\n"), kind


def test_a_missing_asset_stays_an_asset_where_no_module_is_named_like_it():
    files = {"tsconfig.json": "{}", "src/billing/usage.ts": "export const usage = 1;\n",
             "src/billing/theme.css.ts": "export const vars = 1;\n",
             "src/billing/index.ts": "import { usage } from './billing.sql';\nimport data from './data.json';\n"
                                     "export const t = [usage, data];\n"}
    assert sf001(files) == []


def test_export_then_a_line_comment_then_the_declaration_exports_it():
    """`export // builds the note body` and `const buildNote = …` on the next line: tsc
    exports it; the grammar reads two statements, and an import of it was "exported by
    no module" (a public Next.js app)."""
    from codemod.facts import gather_facts

    utils = ("export // builds the note body\nconst buildNote = (text: string) => ({ text })\n"
             "export\nfunction buildTask() {}\nexport /* c */ const plain = 1\n")
    assert sorted(e.name for e in gather_facts("src/utils.ts", utils.encode()).exports) == [
        "buildNote", "buildTask", "plain"]
    files = {"src/utils.ts": utils, "src/note.ts": "import { buildNote, buildTask } from './utils';\n"
                                                   "export const n = [buildNote('hi'), buildTask];\n",
             "src/other.ts": "export const buildNote = 1;\n"}
    assert sf001(files) == []
    assert sorted(e.name for e in gather_facts("a.ts", b"const x = 1\nexport {}\n").exports) == []


# --- survey j -------------------------------------------------------------------------------

def test_a_config_path_naming_a_folder_beside_a_file_of_that_name_is_the_folder():
    """A T3 app: `schema: './src/db/schema'`, a folder of table modules beside
    `src/db/schema.ts` (its `pgTableCreator`). drizzle-kit globs the path: the folder.
    Resolved as an import, it named `schema.ts`, and every table module got a note that
    the schema left it out (20 on the public app)."""
    config = ("import { type Config } from 'drizzle-kit';\n"
              "export default { schema: './src/db/schema', dialect: 'postgresql' } satisfies Config;\n")
    creator = ("import { pgTableCreator } from 'drizzle-orm/pg-core';\n"
               "export const createTable = pgTableCreator((name) => `app_${name}`);\n")
    users = ("import { serial } from 'drizzle-orm/pg-core';\nimport { createTable } from '../schema';\n"
             "export const users = createTable('users', { id: serial('id').primaryKey() });\n")
    files = {"drizzle.config.ts": config, "src/db/schema.ts": creator, "src/db/schema/users.ts": users}
    assert [d for d in diagnostics(files) if d.code == "SF005"] == []
    with_index = {**files, "src/db/schema/index.ts": "export * from './users';\n"}
    assert [d for d in diagnostics(with_index) if d.code == "SF005"] == []


def test_json_on_a_path_that_one_referenced_project_holds_is_one_document(tmp_path):
    """A Vite/Cloudflare template: a solution tsconfig references `tsconfig.node.json`
    (the config) and `tsconfig.app.json` (`src`). Text mode checks `src/db` in the one
    that holds it; `--format json` stopped with "these paths span 2 projects" (exit 2)."""
    import json

    from click.testing import CliRunner
    from support import write_tree

    from codemod import cli

    write_tree(tmp_path, {
        "tsconfig.json": '{ "files": [], "references": [{ "path": "./tsconfig.node.json" }, '
                         '{ "path": "./tsconfig.app.json" }] }',
        "tsconfig.node.json": '{ "include": ["drizzle.config.ts"], "compilerOptions": { "composite": true } }',
        "tsconfig.app.json": '{ "include": ["src/**/*"] }',
        "drizzle.config.ts": "export default { schema: './src/db/schema.ts', dialect: 'sqlite' };\n",
        "src/db/schema.ts": "import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';\n"
                            "export const users = sqliteTable('users', { id: integer('id').primaryKey() });\n"})
    result = CliRunner().invoke(cli.main, ["--format", "json", "--check", str(tmp_path / "src/db")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["exit_code"] == 0


# --- survey k -------------------------------------------------------------------------------

def test_a_paths_target_naming_a_folder_with_a_package_json_is_its_entry(tmp_path):
    """`"@shared/zod": ["../shared/zod"]`, a workspace folder whose package.json names
    `src/index.ts`: TypeScript loads the folder from its `types`/`typings`/`main` field;
    16 imports of it on a public app were "exported by no module"."""
    from click.testing import CliRunner
    from support import write_tree

    from codemod import cli

    write_tree(tmp_path, {
        "app/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@shared/zod": ["../shared/zod"]}},'
                             ' "include": ["src"]}',
        "app/package.json": '{"name": "app"}',
        "app/src/auth.ts": "import { usuarioSchema } from '@shared/zod';\nexport const s = usuarioSchema;\n",
        "shared/zod/package.json": '{"name": "@shared/zod", "main": "src/index.ts"}',
        "shared/zod/src/index.ts": "export const usuarioSchema = { kind: 'usuario' };\n"})
    result = CliRunner().invoke(cli.main, ["--check", str(tmp_path / "app/src")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (tmp_path / "shared/zod/package.json").write_text('{"name": "@shared/zod", "main": "src/gone.ts"}')
    result = CliRunner().invoke(cli.main, ["--check", str(tmp_path / "app/src")], catch_exceptions=False)  # cached: asked again
    assert result.exit_code == 1 and "usuarioSchema is exported by no module" in result.stderr


def test_a_namespace_import_of_a_moved_folder_follows_its_index_as_export_star_does(tmp_path):
    """`mv src/db/schema src/db/tables`: `export * from './schema/index'` followed the
    folder, `import * as schema from './schema/index'` in the next file was left broken
    ("candidates: ..."). Both follow the folder's new index now."""
    from click.testing import CliRunner
    from support import git_repo

    from codemod import cli

    table = ("import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\n"
             "export const {0} = pgTable('{0}', {{ id: serial('id').primaryKey() }});\n")
    root = git_repo(tmp_path, {"src/db/schema/users.ts": table.format("users"),
                               "src/db/schema/posts.ts": table.format("posts"),
                               "src/db/schema/index.ts": "export * from './users';\nexport * from './posts';\n",
                               "src/db/index.ts": "export * from './schema/index';\n",
                               "src/db/client.ts": "import * as schema from './schema/index';\n"
                                                   "export const tables = schema;\n"})
    (root / "src/db/schema").rename(root / "src/db/tables")
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "src/db/client.ts").read_text().startswith("import * as schema from './tables';\n")
    assert (root / "src/db/index.ts").read_text() == "export * from './tables';\n"
    assert "SF001" not in CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).stderr


def test_a_namesake_whose_parse_error_may_hide_a_default_export_is_no_match_for_a_default_import():
    """The export map holds a module that does not parse open (any name may come from it),
    which must keep imports of it from being called broken, not make it a default import's
    repoint: `import users from './db/Users'` was repointed by a safe fix to `db/users.ts`,
    which has no default export (the parse error is in a later interface)."""
    files = {"src/db/users.ts": "export const users = 1;\nexport interface X { a: ; }\n",
             "src/app.ts": "import users from './db/Users';\nexport { users };\n"}
    [d] = sf001(files)
    assert d.fix is None, d
    # a default export that is read still makes the namesake the match
    [d] = sf001({**files, "src/db/users.ts": files["src/db/users.ts"] + "export default users;\n"})
    assert d.fix is not None, d
