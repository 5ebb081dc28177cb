"""SF005: a drizzle config whose `schema` names a file that is gone (the schema moved and
the config was left, seen on a public React Router app): drizzle-kit finds no schema
there (its `generate` and `push` stop: "No schema files found"). The path follows the one module
exporting every name the old file exported in git's HEAD (safe), or the one file of that
name (unsafe); otherwise it is reported."""

from __future__ import annotations

from click.testing import CliRunner
from support import check_noop, diagnostics, git_repo, run

from codemod import cli

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"
CONFIG = ("import {{ defineConfig }} from 'drizzle-kit';\n"
          "export default defineConfig({{ schema: '{0}', dialect: 'postgresql' }});\n")


def test_a_schema_moved_without_git_mv_is_followed_by_the_config(tmp_path):
    root = git_repo(tmp_path, {"drizzle.config.ts": CONFIG.format("./src/db/schema.ts"),
                               "src/db/schema.ts": TABLE.format("users") + TABLE.format("posts").split("\n", 1)[1]})
    (root / "infra/db").mkdir(parents=True)
    (root / "src/db/schema.ts").rename(root / "infra/db/schema.ts")
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "drizzle.config.ts's schema './src/db/schema.ts' does not exist" in dry.stderr, dry.stderr
    assert "infra/db/schema.ts (it exports every name src/db/schema.ts exported in git's HEAD)" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "drizzle.config.ts").read_text() == CONFIG.format("./infra/db/schema.ts")
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_without_git_the_one_file_of_that_name_is_an_unsafe_fix():
    files = {"drizzle.config.ts": CONFIG.format("./src/db/schema.ts"), "infra/db/schema.ts": TABLE.format("users")}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.fix is not None and d.fix.applicability.name == "UNSAFE"
    assert run(files).final["drizzle.config.ts"].decode() == files["drizzle.config.ts"]
    fixed = run(files, unsafe=True).final["drizzle.config.ts"].decode()
    assert fixed == CONFIG.format("./infra/db/schema.ts")


def test_two_files_of_that_name_are_only_reported():
    files = {"drizzle.config.ts": CONFIG.format("./src/db/schema.ts"), "infra/db/schema.ts": TABLE.format("users"),
             "legacy/schema.ts": TABLE.format("old")}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.fix is None and "does not exist" in d.message


def test_a_config_naming_a_schema_that_exists_gets_nothing():
    for spec in ("./src/db/schema.ts", "src/db/schema.ts", "./src/db"):
        files = {"drizzle.config.ts": CONFIG.format(spec), "src/db/schema.ts": TABLE.format("users"),
                 "src/db/index.ts": "export * from './schema';\n"}
        assert [d for d in check_noop(files).remaining if d.code == "SF005"] == [], spec


def test_what_drizzle_kit_reads_gets_nothing(tmp_path):
    """Seen on public projects once the check existed: a folder with no index (drizzle-kit
    reads every file in it), a path from the package's folder for a config kept deeper
    (drizzle-kit resolves from where it runs), and `migrations: { schema: 'public' }` (a
    database schema's name, not a path)."""
    root = git_repo(tmp_path, {
        "package.json": "{}",
        "drizzle.config.ts": CONFIG.format("./src/schema"),
        "src/schema/users.ts": TABLE.format("users"),
        "src/schema/posts.ts": TABLE.format("posts"),
        "server/db/drizzle.config.ts": (
            "import { defineConfig } from 'drizzle-kit';\n"
            "export default defineConfig({ schema: './server/db/schema/index.ts', dialect: 'postgresql',\n"
            "  migrations: { schema: 'public', table: 'migrations' } });\n"),
        "server/db/schema/index.ts": "export * from './accounts';\n",
        "server/db/schema/accounts.ts": TABLE.format("accounts"),
    })
    result = CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False)
    assert "does not exist: drizzle-kit" not in result.stderr, result.stderr


def test_a_config_below_its_package_gets_a_path_from_the_package_folder(tmp_path):
    """drizzle-kit reads a config's paths from where it runs (the package's folder), so a
    config kept in server/db/ writes './server/db/…'; the new path is written the same way."""
    root = git_repo(tmp_path, {"package.json": "{}",
                               "server/db/drizzle.config.ts": CONFIG.format("./server/db/schema.ts"),
                               "server/db/schema.ts": TABLE.format("users")})
    (root / "server/database").mkdir()
    (root / "server/db/schema.ts").rename(root / "server/database/schema.ts")
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "server/db/drizzle.config.ts").read_text() == CONFIG.format("./server/database/schema.ts")
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_path_without_its_extension_gets_it(tmp_path):
    """drizzle-kit reads `schema` as a glob: './src/db/schema' matches no file when the
    schema is `schema.ts` (a folder merged into one file, or a path written as an import);
    it stops with "No schema files found". The one file it can mean is a safe fix."""
    root = git_repo(tmp_path, {"drizzle.config.ts": CONFIG.format("./src/db/schema"),
                               "src/db/schema/users.ts": TABLE.format("users"),
                               "src/db/schema/posts.ts": TABLE.format("posts")})
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0
    merged = (root / "src/db/schema/users.ts").read_text() + TABLE.format("posts").split("\n", 1)[1]
    for name in ("users.ts", "posts.ts"):
        (root / "src/db/schema" / name).unlink()
    (root / "src/db/schema").rmdir()
    (root / "src/db/schema.ts").write_text(merged)
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "drizzle.config.ts's schema './src/db/schema' names no file: drizzle-kit reads a file only with its " \
           "extension written" in dry.stderr, dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "drizzle.config.ts").read_text() == CONFIG.format("./src/db/schema.ts")
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_path_without_its_extension_that_may_mean_two_files_is_reported():
    files = {"drizzle.config.ts": CONFIG.format("./src/db/schema"), "src/db/schema.ts": TABLE.format("users"),
             "src/db/schema.js": "export const users = 1;\n"}
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.fix is None and d.notes == ("it may mean './src/db/schema.ts', './src/db/schema.js'",)


def test_an_absolute_or_windows_path_is_not_checked():
    """A path of one machine's disk (`/home/me/app/...`, `C:\\app\\...`) says nothing about
    the project: neither an error nor a fix."""
    for spec in ("/home/me/app/src/db/schema.ts", "C:\\\\app\\\\src\\\\db\\\\schema.ts", "C:/app/src/db/schema.ts"):
        files = {"drizzle.config.ts": CONFIG.format(spec), "src/db/schema.ts": TABLE.format("users")}
        assert [d for d in check_noop(files).remaining if d.code == "SF005"] == [], spec


# --- a config naming a folder that moved (survey k: followed for files only) --------------

FOLDER = {"drizzle.config.ts": CONFIG.format("./src/db/schema"), "src/db/schema/users.ts": TABLE.format("users"),
          "src/db/schema/billing/posts.ts": TABLE.format("posts")}


def _moved(tmp_path, extra: dict[str, str] | None = None):
    root = git_repo(tmp_path, FOLDER)
    (root / "src/database").mkdir()
    (root / "src/db/schema").rename(root / "src/database/tables")
    (root / "src/database/tables/posts-table.ts").write_text((root / "src/database/tables/billing/posts.ts").read_text())
    (root / "src/database/tables/billing/posts.ts").unlink()  # and a file renamed inside it
    for rel, text in (extra or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_schema_folder_moved_is_followed_by_the_config(tmp_path):
    root = _moved(tmp_path)
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert ("src/database/tables (it holds the modules defining every name the 2 files of src/db/schema exported "
            "in git's HEAD)") in dry.stderr, dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "drizzle.config.ts").read_text() == CONFIG.format("./src/database/tables")
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_moved_folder_now_holding_another_table_module_is_an_unsafe_fix(tmp_path):
    """drizzle-kit reads every file of the folder: a table module that was not in the old
    one would be created by the next `generate`."""
    root = _moved(tmp_path, {"src/database/tables/audit.ts": TABLE.format("audit")})
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "it also holds src/database/tables/audit.ts, which were not there" in dry.stderr, dry.stderr
    assert "1 more with --unsafe" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", "--unsafe", str(root)], catch_exceptions=False)
    assert (root / "drizzle.config.ts").read_text() == CONFIG.format("./src/database/tables")


def test_a_folder_whose_files_went_to_two_places_is_reported(tmp_path):
    root = git_repo(tmp_path, FOLDER)
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "src/db/schema/users.ts").rename(root / "a/users.ts")
    (root / "src/db/schema/billing/posts.ts").rename(root / "b/posts.ts")
    (root / "src/db/schema/billing").rmdir()
    (root / "src/db/schema").rmdir()
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "drizzle.config.ts's schema './src/db/schema' does not exist" in dry.stderr
    assert "fix (" not in dry.stderr, dry.stderr
