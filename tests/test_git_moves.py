"""Issue 12 §1.0: the renames git saw are the strongest evidence of where a file went."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from codemod import cli
from codemod.git_moves import follow, parse_name_status, renames

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"})


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "app"
    for name, text in {"tsconfig.json": "{}", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "-qm", "init", cwd=root)
    return root


def test_parse_name_status_keeps_source_renames_only():
    out = b"R100\0a/old.ts\0a/new.ts\0M\0b.ts\0R090\0x.css\0y.css\0C100\0c.ts\0d.ts\0R100\0../o.ts\0n.ts\0"
    assert parse_name_status(out) == {"a/old.ts": "a/new.ts"}


def test_follow_probes_the_files_a_specifier_could_name():
    moves = {"schema/user.ts": "schema/auth/users.ts", "lib/index.ts": "lib2/index.ts"}
    assert follow(moves, "schema/relations.ts", "./user") == "schema/auth/users.ts"
    assert follow(moves, "schema/relations.ts", "./user.js") == "schema/auth/users.ts"
    assert follow(moves, "app.ts", "./lib") == "lib2/index.ts"
    assert follow(moves, "app.ts", "drizzle-orm") is None and follow({}, "a.ts", "./user") is None


def test_no_git_means_no_renames(tmp_path):
    assert renames(tmp_path) == {}


def test_a_staged_rename_decides_a_tie_safely(tmp_path):
    """Two modules define `users`: without git that is a tie (reported); after `git mv`,
    the import follows the file git saw renamed."""
    root = repo(tmp_path, {"schema/user.ts": TABLE.format("users"), "legacy/users.ts": TABLE.format("users"),
                           "schema/relations.ts": "import { users } from './user';\nexport const r = users;\n"})
    (root / "schema/auth").mkdir()
    git("mv", "schema/user.ts", "schema/auth/accounts.ts", cwd=root)
    assert renames(root) == {"schema/user.ts": "schema/auth/accounts.ts"}
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "git saw the file renamed to schema/auth/accounts.ts" in dry.stderr
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/relations.ts").read_text() == \
        "import { users } from './auth/accounts';\nexport const r = users;\n", result.stderr


def test_a_stale_barrel_line_follows_a_staged_rename(tmp_path):
    root = repo(tmp_path, {"schema/users.ts": TABLE.format("users"), "schema/certificate.ts": TABLE.format("certs"),
                           "schema/index.ts": "export * from './users';\nexport * from './certificate';\n"})
    git("mv", "schema/certificate.ts", "schema/diplomas.ts", cwd=root)
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "git saw the file renamed" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == "export * from './users';\nexport * from './diplomas';\n"
