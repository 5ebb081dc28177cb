"""The compiler judges SF001: after `schemafix --apply` on the example, tsc reports no
module-resolution or missing-export error, and a second run has nothing to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, copy_project, error_codes, node_modules, tsc

pytestmark = pytest.mark.slow  # tsc under node (support.node_modules)

IMPORT_ERRORS = {"TS2307", "TS2305", "TS2724", "TS2614", "TS2459"}


def schemafix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codemod.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_example_imports_compile_after_apply(tmp_path):
    project = copy_project(REPO / "examples" / "broken-schema", tmp_path / "example")
    before = error_codes(tsc(project))
    assert IMPORT_ERRORS & set(before), f"the example should start broken: {before}"

    applied = schemafix(".", "--apply", "--select", "SF001", cwd=project)
    assert applied.returncode == 0, applied.stderr
    after = error_codes(tsc(project))
    assert not IMPORT_ERRORS & set(after), after

    again = schemafix(".", "--select", "SF001", cwd=project)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""


# --- a named barrel line repointed in the same run: its importers wait for it ----------

PG = "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
TSCONFIG = ('{"compilerOptions": {"strict": true, "noEmit": true, "skipLibCheck": true, "moduleResolution": '
            '"bundler", "module": "esnext", "target": "es2022"}, "include": ["schema", "src"]}\n')
NAMED_BARREL = "export { users } from './users';\nexport { posts } from './posts';\n"
REPO_TS = "import { users } from '../schema/index';\n\nexport const findUser = () => users.id;\n"


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=project,
                   check=True, capture_output=True, timeout=60)


@pytest.mark.parametrize("refactor", ["git mv", "merge"])
def test_importers_of_a_named_barrel_line_being_repointed_are_left_alone(tmp_path, refactor):
    """Seen on qzpay and solaire-starter-kit: a schema barrel that re-exports by name
    (`export { users } from './users'`). After `git mv schema/users.ts schema/accounts.ts`
    SF001 repointed the line and, in the same run, appended `export * from './accounts'`
    for an importer of the barrel (making `internalOnly` public); after users.ts was
    merged into posts.ts it repointed the importer past the barrel. Now the importers
    wait for the line's fix: tsc has no import error, the barrel keeps exactly its named
    list, the importer is untouched, and a second run changes nothing."""
    project = tmp_path / refactor.replace(" ", "-")
    users = "export const users = pgTable('users', { id: serial('id').primaryKey() });\n"
    posts = "export const posts = pgTable('posts', { id: serial('id').primaryKey() });\n"
    files = {"tsconfig.json": TSCONFIG, "schema/users.ts": PG + users + "export const internalOnly = 1;\n",
             "schema/posts.ts": PG + posts, "schema/index.ts": NAMED_BARREL, "src/repo.ts": REPO_TS}
    for rel, text in files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    assert tsc(project) == []
    _git(project, "init", "-q")
    (project / ".git" / "info" / "exclude").write_text("node_modules\n")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "before the refactor")
    if refactor == "git mv":
        _git(project, "mv", "schema/users.ts", "schema/accounts.ts")
        wanted = "export { users } from './accounts';\nexport { posts } from './posts';\n"
    else:
        (project / "schema/posts.ts").write_text(PG + posts + users)
        _git(project, "rm", "-q", "schema/users.ts")
        wanted = "export { posts, users } from './posts';\n"
    assert "TS2307" in error_codes(tsc(project))

    applied = schemafix(".", "--apply", cwd=project)
    assert applied.returncode == 0, applied.stderr
    assert not IMPORT_ERRORS & set(error_codes(tsc(project))), tsc(project)
    assert tsc(project) == []
    assert (project / "schema" / "index.ts").read_text() == wanted
    assert (project / "src" / "repo.ts").read_text() == REPO_TS

    again = schemafix(".", cwd=project)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
