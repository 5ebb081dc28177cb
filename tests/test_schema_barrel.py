"""Which barrel SF005 completes: the module the app hands to drizzle as its schema
(issue 11 §5), never a package entry that happens to be the outermost index."""

from __future__ import annotations

import pytest
from support import check_fix, check_noop

from test_barrel import ALL_RELATIONS, SCHEMA, TABLE_LINES, rel, table

# The schema lives in src/db/schema/; src/index.ts is the package entry, barrel-like too.
NESTED = {f"src/db/{p}": text for p, text in SCHEMA.items()}
ENTRY = "export * from './db/client';\nexport * from './db/schema/user/users';\n"
CLIENT = "export const client = {};\n"


def project(**extra: str) -> dict[str, str]:
    return {**NESTED, "src/db/schema/index.ts": TABLE_LINES, "src/index.ts": ENTRY, "src/db/client.ts": CLIENT,
            **extra}


def test_the_barrel_drizzle_config_names_is_completed_not_the_package_entry():
    files = project(**{"drizzle.config.ts": "export default { schema: './src/db/schema', dialect: 'postgresql' };\n"})
    check_fix(files, {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS}, select="SF005")


def test_a_named_drizzle_config_is_read_too():
    """``drizzle.<name>.config.ts`` is a drizzle config for every rule (SF011 read it
    already; the schema barrel is now found by the same reader)."""
    files = project(**{"drizzle.dev.config.ts": "export default { schema: ['./src/db/schema'] };\n"})
    check_fix(files, {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS}, select="SF005")


def test_the_barrel_handed_to_drizzle_is_completed_not_the_package_entry():
    db = ("import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
          "export const db = drizzle(process.env.URL!, { schema });\n")
    check_fix(project(**{"src/db/index.ts": db}), {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS},
              select="SF005")


def test_schema_key_with_a_namespace_of_another_name():
    db = ("import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as tables from './schema';\n"
          "export const db = drizzle({ client, schema: tables });\n")
    check_fix(project(**{"src/db/index.ts": db}), {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS},
              select="SF005")


@pytest.mark.parametrize("db", [
    pytest.param("import { drizzle as connect } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
                 "export const db = connect({ client: pool, schema });\n", id="imported-under-another-name"),
    pytest.param("import * as pg from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
                 "export const db = pg.drizzle(process.env.URL!, { schema });\n", id="through-a-namespace-import"),
])
def test_drizzle_called_by_another_name_hands_the_schema_too(db):
    """Seen (a NodeNext package): ``import { drizzle as createDrizzle }`` then
    ``createDrizzle({ client, schema })``; the package's src/index.ts was completed with
    every relations module instead of the barrel the app hands to drizzle."""
    check_fix(project(**{"src/db/index.ts": db}), {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS},
              select="SF005")


def test_without_evidence_an_index_that_reaches_no_table_is_not_the_schema_barrel():
    """Seen (a package whose drizzle.config.ts is outside the tsconfig's include): the
    package's src/index.ts, re-exporting a version constant, was the outermost barrel and
    got the schema's relations modules; the barrel of the schema is the one reaching tables."""
    files = {f"src/db/{p}": text for p, text in SCHEMA.items()}
    files.update({"src/db/schema/index.ts": TABLE_LINES, "src/index.ts": "export * from './version';\n",
                  "src/version.ts": "export const version = 1;\n"})
    check_fix(files, {"src/db/schema/index.ts": TABLE_LINES + ALL_RELATIONS}, select="SF005")


# The package entry re-exports a table (so it is a schema-like barrel too) and is the
# outermost: without the config's word, it would be taken for the schema barrel.
PACKAGE = {**{f"src/db/{p}": text for p, text in SCHEMA.items()}, "src/db/schema/index.ts": TABLE_LINES,
           "src/index.ts": "export * from './db/schema/user/users';\nexport * from './version';\n",
           "src/version.ts": "export const version = 1;\n"}


def _apply_in(tmp_path, files: dict[str, str], **extra: str) -> dict[str, str]:
    from click.testing import CliRunner
    from codemod.cli import main
    from support import write_tree

    root = write_tree(tmp_path / "pkg", {**files, **extra})
    result = CliRunner().invoke(main, ["--apply", "--select", "SF005", "--no-cache", str(root)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {p: (root / p).read_text() for p in files}


def test_a_drizzle_config_outside_the_tsconfig_include_still_names_the_schema(tmp_path):
    """Seen (a NodeNext package): `include: ["src"]` leaves drizzle.config.ts out of the
    sources; it still says which barrel drizzle gets."""
    after = _apply_in(tmp_path, PACKAGE, **{"tsconfig.json": '{"include": ["src"]}',
                                            "drizzle.config.ts": "export default { schema: './src/db/schema' };\n"})
    assert after["src/db/schema/index.ts"] == TABLE_LINES + ALL_RELATIONS
    assert after["src/index.ts"] == PACKAGE["src/index.ts"]


@pytest.mark.parametrize("tsconfig, schema", [
    ('{"compilerOptions": {"outDir": "build"}}', "./build/src/db/schema/index.js"),
    ('{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}', "./dist/db/schema/index.js"),
    ('{"compilerOptions": {"outDir": "./dist"}}', "./dist/db/schema"),  # rootDir: the sources' common folder
    ('{"compilerOptions": {"outDir": "${configDir}/dist", "rootDir": "${configDir}/src"}}',
     "./dist/db/schema/index.js"),
], ids=["out-dir", "out-and-root-dir", "out-dir-common-root", "config-dir"])
def test_a_drizzle_config_naming_the_build_output_names_its_source(tmp_path, tsconfig, schema):
    """Seen (same package): the config names `./build/src/drizzle/index.js`, what tsc
    emits for src/drizzle/index.ts."""
    after = _apply_in(tmp_path, PACKAGE, **{"tsconfig.json": tsconfig,
                                            "drizzle.config.ts": f"export default {{ schema: '{schema}' }};\n"})
    assert after["src/db/schema/index.ts"] == TABLE_LINES + ALL_RELATIONS
    assert after["src/index.ts"] == PACKAGE["src/index.ts"]


def test_a_single_file_schema_leaves_every_index_alone():
    """t3-style: drizzle gets src/schema.ts (tables and relations in one file); the 2-line
    src/index.ts re-exporting drizzle-orm is the package entry and gains nothing."""
    files = {
        "drizzle.config.ts": "export default { schema: './src/schema.ts' };\n",
        "src/schema.ts": table("posts") + "import { relations } from 'drizzle-orm';\n"
                         "export const postsRelations = relations(posts, () => ({}));\n",
        "src/more.ts": rel(("posts", "./schema")),
        "src/index.ts": "export * from 'drizzle-orm/sql';\nexport { alias } from 'drizzle-orm/pg-core';\n",
    }
    check_noop(files, select="SF005")


def test_without_evidence_an_index_re_exporting_drizzle_orm_is_not_the_schema_barrel():
    files = {
        "src/schema/users.ts": table("users"),
        "src/schema/relations.ts": rel(("users", "./users")),
        "src/schema/index.ts": "export * from './users';\n",
        "src/client.ts": "import * as schema from './schema';\nexport const client = { schema };\n",
        "src/index.ts": "export * from 'drizzle-orm';\nexport * from './client';\n",
    }
    check_fix(files, {"src/schema/index.ts": "export * from './users';\nexport * from './relations';\n"},
              select="SF005")


def test_a_usage_example_in_a_doc_comment_is_not_a_table():
    """Seen (unkey): a customType helper whose doc comment shows `mysqlTable(...)` usage was
    taken for a table module and added to the barrel."""
    from rewriters._barrels import defines_tables
    from support import encode
    from codemod.project import Project
    from pathlib import Path

    helper = ("import { customType } from 'drizzle-orm/mysql-core';\n/**\n * Usage:\n"
              " * export const t = mysqlTable('t', { data: longblob('data') });\n */\n"
              "export const longblob = customType<{ data: string }>({ dataType() { return 'longblob'; } });\n")
    project = Project.build(Path("/p"), encode({"helper.ts": helper, "t.ts": table("t")}))
    assert not defines_tables(project, project.files["helper.ts"]) and defines_tables(project, project.files["t.ts"])
