"""Findings of survey g (helper g): the SF005 checks new in "Unreleased" (a drizzle
config's `schema` that names nothing, table modules a config's glob or the schema handed
to `drizzle()` leaves out) run on public projects and on shapes drawn from them, each
reduced to a small schema written for this file. Each was xfail(strict) until its fix landed."""

from __future__ import annotations

from click.testing import CliRunner
from support import diagnostics, git_repo

from codemod import cli

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"
REF = ("import {{ pgTable, serial, integer }} from 'drizzle-orm/pg-core';\nimport {{ {1} }} from '{2}';\n"
       "export const {0} = pgTable('{0}', {{ id: serial('id'), ref: integer('ref').references(() => {1}.id) }});\n")


def config(schema: str) -> str:
    return ("import { defineConfig } from 'drizzle-kit';\n"
            f"export default defineConfig({{ schema: {schema}, dialect: 'postgresql' }});\n")


def sf005(files: dict[str, str]) -> list:
    return [d for d in diagnostics(files) if d.code == "SF005"]


# --- a config reading build output (drizzle-kit run after `tsc`; dist/ is not committed) ---

def test_a_config_naming_the_emitted_schema_gets_nothing():
    for tsconfig in ('{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}',
                     '{"compilerOptions": {"outDir": "./dist", "rootDir": "./src"}}',
                     '{"compilerOptions": {"outDir": "dist"}, "include": ["src"]}'):
        files = {"package.json": "{}", "tsconfig.json": tsconfig, "drizzle.config.ts": config("'./dist/schema.js'"),
                 "src/schema.ts": TABLE.format("users")}
        assert sf005(files) == [], tsconfig


def test_a_config_naming_the_emitted_schema_below_root_dir_dot_gets_nothing():
    files = {"package.json": "{}",
             "tsconfig.json": '{"compilerOptions": {"outDir": "build", "rootDir": "."}, "include": ["src"]}',
             "drizzle.config.ts": config("'./build/src/schema.js'"), "src/schema.ts": TABLE.format("users")}
    assert sf005(files) == []


# --- globs other than `*` --------------------------------------------------------------

def test_brace_and_question_mark_patterns_are_globs():
    for spec in ("'./src/db/{users,posts}.ts'", "'./src/db/schema?.ts'"):
        files = {"drizzle.config.ts": config(spec), "src/db/users.ts": TABLE.format("users"),
                 "src/db/posts.ts": REF.format("posts", "users", "./users"),
                 "src/db/schema1.ts": TABLE.format("accounts")}
        assert sf005(files) == [], spec


def test_a_schema_array_of_a_glob_and_a_file_covers_both():
    files = {"drizzle.config.ts": config("['./src/db/*.table.ts', './src/auth.ts']"),
             "src/db/users.table.ts": TABLE.format("users"),
             "src/auth.ts": REF.format("sessions", "users", "./db/users.table")}
    assert sf005(files) == []


# --- the safe fix for a moved schema -------------------------------------------------------

def test_a_moved_schema_is_followed_to_itself_not_to_the_client_that_re_exports_it(tmp_path):
    client = ("import {{ drizzle }} from 'drizzle-orm/node-postgres';\nimport * as schema from '{0}';\n"
              "export * from '{0}';\nexport const db = drizzle(process.env.DATABASE_URL!, {{ schema }});\n")
    root = git_repo(tmp_path, {"package.json": "{}", "drizzle.config.ts": config("'./src/db/schema.ts'"),
                               "src/db/schema.ts": TABLE.format("users"),
                               "src/db/index.ts": client.format("./schema")})
    (root / "src/db/tables").mkdir()
    (root / "src/db/schema.ts").rename(root / "src/db/tables/schema.ts")
    (root / "src/db/index.ts").write_text(client.format("./tables/schema"))
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "drizzle.config.ts").read_text() == config("'./src/db/tables/schema.ts'")
