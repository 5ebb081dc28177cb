"""SF001: an export renamed in its own module, with git's HEAD as the evidence.

`export const userAccounts = pgTable(…)` became `export const accounts = pgTable(…)` and
every `import { userAccounts } from './users'` broke. Surveys saw it reported only ("did
you mean accounts?"), though git's HEAD shows the same statement under the old name. The
import now takes the new name under the old one, so the file's own uses stay bound; any
doubt (no git, the statement changed too, two candidates, a module still defining the old
name) leaves the report as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import cache_turned_on, db_project_on_disk, error_codes, git, git_repo, tsc

from codemod import cli
from codemod.fingerprints import of_bytes

USERS = ("import { pgTable, serial, text } from 'drizzle-orm/pg-core';\n"
         "export const userAccounts = pgTable('user_accounts', {\n  id: serial('id').primaryKey(),\n"
         "  name: text('name'),\n});\n"
         "export type UserRow = typeof userAccounts.$inferSelect;\n")
POSTS = ("import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
         "import { relations } from 'drizzle-orm';\n"
         "import { userAccounts } from './users';\n"
         "export const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n"
         "  authorId: integer('author_id').references(() => userAccounts.id),\n});\n"
         "export const postsRelations = relations(posts, ({ one }) => ({\n"
         "  author: one(userAccounts, { fields: [posts.authorId], references: [userAccounts.id] }),\n}));\n")
FILES = {
    "src/schema/users.ts": USERS,
    "src/schema/posts.ts": POSTS,
    "src/schema/index.ts": "export * from './users';\nexport * from './posts';\n",
    "src/app/view.ts": ("import type { UserRow } from '../schema/users';\n"
                        "import { userAccounts as ua } from '../schema/users';\n"
                        "export const show = (row: UserRow) => [row.name, ua];\n"),
    "src/app/public.ts": "export { userAccounts } from '../schema/users';\n",
    "src/app/list.ts": "import { posts, userAccounts } from '../schema';\nexport const all = [posts, userAccounts];\n",
}


def renamed(root: Path, old: str, new: str) -> None:
    path = root / "src/schema/users.ts"
    path.write_text(path.read_text().replace(old, new))


def run(root: Path, *args: str):
    outcome = CliRunner().invoke(cli.main, [*args, str(root)], catch_exceptions=False)
    return outcome


def sf001(root: Path) -> list[dict]:
    out = run(root, "--format", "json").stdout
    found = [d for d in json.loads(out[out.index("{"):])["diagnostics"] if d["code"] == "SF001"]
    return [{**d, "path": Path(d["path"]).relative_to(root).as_posix()} for d in found]


def test_a_const_renamed_in_its_module_is_imported_under_its_new_name(tmp_path):
    root = git_repo(tmp_path, FILES)
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    (root / "src/schema/users.ts").write_text(
        (root / "src/schema/users.ts").read_text().replace("typeof userAccounts", "typeof accounts"))
    found = sf001(root)
    assert {d["path"] for d in found} == {"src/schema/posts.ts", "src/app/view.ts", "src/app/public.ts",
                                          "src/app/list.ts"}, found
    assert all(d["fix"]["applicability"] == "safe" for d in found), found
    assert "exports userAccounts as accounts now" in found[0]["message"], found[0]["message"]
    assert run(root, "--apply").exit_code == 0
    assert "import { accounts as userAccounts } from './users';\n" in (root / "src/schema/posts.ts").read_text()
    view = (root / "src/app/view.ts").read_text()
    assert "import { accounts as ua } from '../schema/users';" in view and "import type { UserRow }" in view
    assert (root / "src/app/public.ts").read_text() == "export { accounts as userAccounts } from '../schema/users';\n"
    assert (root / "src/app/list.ts").read_text().startswith(  # through the barrel's `export *` lines
        "import { posts, accounts as userAccounts } from '../schema';\n")
    assert sf001(root) == [] and run(root, "--check").exit_code == 0


def test_only_files_changed_since_head_are_read_for_the_evidence(tmp_path, monkeypatch):
    """A broken import of a name defined nowhere, in a project with no change since HEAD
    (a typo, a name deleted in an earlier commit), asks git once for the changed files and
    reads no file of HEAD: the bench's broken trees asked 906 questions before, one git
    call each."""
    from codemod import disk as disk_mod

    files = {**FILES, "src/app/typo.ts": "import { userAcounts } from '../schema';\nexport const t = userAcounts;\n"}
    root = git_repo(tmp_path, files)
    asked = []
    real = disk_mod.answer
    monkeypatch.setattr(disk_mod, "answer", lambda at, question: asked.append(question[0]) or real(at, question))
    found = [d for d in sf001(root) if d["path"] == "src/app/typo.ts"]
    assert found and "did you mean userAccounts" in found[0]["message"], found
    assert asked.count(disk_mod.CHANGED) == 1 and disk_mod.DECLARED_BEFORE not in asked, asked


def test_a_rename_staged_for_a_commit_is_followed_through_the_barrel(tmp_path):
    """As a pre-commit hook sees it: the rename is staged, so the work tree equals the index
    and only HEAD holds the old name."""
    root = git_repo(tmp_path, FILES)
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    renamed(root, "typeof userAccounts", "typeof accounts")
    git("add", "-A", cwd=root)
    assert run(root, "--apply").exit_code == 0
    assert (root / "src/app/list.ts").read_text().startswith(
        "import { posts, accounts as userAccounts } from '../schema';\n")
    assert sf001(root) == []


def test_a_cached_run_is_not_reused_once_head_holds_the_rename(tmp_path, tmp_path_factory, monkeypatch):
    """The evidence is git's HEAD (the disk question `git-declared-before`): committing the
    rename, with the importer still broken, takes the evidence away, and the cached
    result of the run before must not be served."""
    folder = cache_turned_on(tmp_path_factory, monkeypatch, "renamed-exports-cache")
    root = git_repo(tmp_path, FILES)
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    renamed(root, "typeof userAccounts", "typeof accounts")
    assert any(d.get("fix") for d in sf001(root) if d["path"] == "src/schema/posts.ts")
    assert any(folder.iterdir())  # the run kept its result
    git("commit", "-qam", "rename", cwd=root)
    found = [d for d in sf001(root) if d["path"] == "src/schema/posts.ts"]
    assert found and all(d.get("fix") is None and "did you mean accounts" in d["message"] for d in found), found


def test_a_barrel_reaching_more_modules_than_are_read_is_only_reported(tmp_path, monkeypatch):
    from rewriters import _renamed_exports

    monkeypatch.setattr(_renamed_exports, "MOST_READ", 1)  # the barrel reaches users.ts and posts.ts, both changed
    root = git_repo(tmp_path, FILES)
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    (root / "src/schema/posts.ts").write_text((root / "src/schema/posts.ts").read_text() + "// edited\n")
    found = {d["path"]: d for d in sf001(root)}
    assert "exports userAccounts as accounts now" not in found["src/app/list.ts"]["message"]  # through the barrel: not read
    assert found["src/schema/posts.ts"]["fix"]["applicability"] == "safe"  # the module itself: read


def test_a_renamed_type_keeps_its_type_marker(tmp_path):
    files = {**FILES, "src/app/view.ts": ("import { type UserRow, userAccounts } from '../schema/users';\n"
                                          "export const show = (row: UserRow) => [row.name, userAccounts];\n")}
    root = git_repo(tmp_path, files)
    renamed(root, "export type UserRow", "export type AccountRow")
    run(root, "--apply")
    assert (root / "src/app/view.ts").read_text().startswith(
        "import { type AccountRow as UserRow, userAccounts } from '../schema/users';\n")


@pytest.mark.parametrize("case", ["no-git", "changed-too", "two-alike", "defined-elsewhere", "kept-old-name"])
def test_without_certain_evidence_the_import_is_only_reported(tmp_path, case):
    files = dict(FILES)
    if case == "defined-elsewhere":
        files["src/schema/legacy.ts"] = ""
    root = git_repo(tmp_path, files, commit=case != "no-git")
    new = {"changed-too": "export const accounts = pgTable('accounts'",
           "two-alike": "export const accounts = pgTable('user_accounts'"}.get(case)
    renamed(root, "export const userAccounts = pgTable('user_accounts'",
            new or "export const accounts = pgTable('user_accounts'")
    if case == "two-alike":  # a second declaration that reads the same
        path = root / "src/schema/users.ts"
        path.write_text(path.read_text() + "export const members = pgTable('user_accounts', {\n"
                        "  id: serial('id').primaryKey(),\n  name: text('name'),\n});\n")
    if case == "defined-elsewhere":  # the name lives on in another module: SF001's usual candidates
        (root / "src/schema/legacy.ts").write_text(USERS.replace("export type UserRow = typeof userAccounts"
                                                                 ".$inferSelect;\n", ""))
    if case == "kept-old-name":  # HEAD declared the new name too: no rename of one into the other
        git("checkout", "-q", "--", ".", cwd=root)
        path = root / "src/schema/users.ts"
        path.write_text(path.read_text() + "export const accounts = 1;\n")
        git("commit", "-qam", "accounts", cwd=root)
        path.write_text(path.read_text().replace("export const accounts = 1;\n", "").replace(
            "export const userAccounts = pgTable", "export const accounts = pgTable"))
    found = [d for d in sf001(root) if d["path"] == "src/schema/posts.ts"]
    assert found and all("exports userAccounts as accounts now" not in d["message"] for d in found), found
    if case != "defined-elsewhere":
        assert all(d.get("fix") is None for d in found), found


def test_fingerprints_leave_out_the_name_and_layout_only():
    a = of_bytes("a.ts", b"export const users = pgTable('u', {\n  id: serial('id'),\n});\n"
                         b"export function f(a: number) { return a }\nexport function f2() {}\n"
                         b"export const x = 1, y = 2;\nexport interface I { a: 1 }\nexport interface I { b: 2 }\n")
    b = of_bytes("b.ts", b"export const people = pgTable('u', { id: serial('id'), });\n")
    assert a["users"] == b["people"] != of_bytes("c.ts", b"export const users = pgTable('v', {});\n")["users"]
    assert set(a) == {"users", "f", "f2"}  # two declarators, and a name declared twice: left out
    one = of_bytes("d.ts", b"export const people = pgTable('user accounts', { id: serial('id') });\n")
    two = of_bytes("e.ts", b"export const people = pgTable('user  accounts', { id: serial('id') });\n")
    assert one["people"] != two["people"]  # a string's bytes are not layout: another table


@pytest.mark.slow
def test_the_compiler_agrees(tmp_path):
    """tsc: TS2724 (no exported member; did you mean) before; clean after, and a second run changes nothing."""
    root = db_project_on_disk(tmp_path / "app", {k.replace("src/schema/", "db/"): v for k, v in FILES.items()
                                                  if k.startswith("src/schema/")})
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "init", cwd=root)
    path = root / "db/users.ts"
    path.write_text(path.read_text().replace("export const userAccounts = pgTable", "export const accounts = pgTable")
                    .replace("typeof userAccounts", "typeof accounts"))
    assert error_codes(tsc(root)) == {"TS2724": 1}  # has no exported member 'userAccounts'; did you mean 'accounts'?
    assert run(root, "--apply").exit_code == 0
    assert tsc(root) == []
    assert run(root, "--check").exit_code == 0


ACCOUNTS_B = ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
              "export const accounts = pgTable('ledger_accounts', { id: serial('id').primaryKey() });\n")


@pytest.mark.parametrize("barrel", ["export * from './users';\nexport * from './posts';\nexport * from './ledger';\n",
                                    "export * from './users';\nexport * from './posts';\n"
                                    "export { accounts } from './ledger';\n"],
                         ids=["ambiguous-ts2308", "shadowed-by-a-named-line"])
def test_through_a_barrel_the_new_name_must_come_from_the_renaming_module(tmp_path, barrel):
    """users.ts renamed userAccounts -> accounts, but the barrel's `accounts` is not that
    one (two `export *` lines bring it, or a named line takes ledger.ts's): importing
    `accounts` from the barrel would bind ledger's table, or nothing."""
    files = {**{k: v for k, v in FILES.items() if k != "src/app/public.ts"},  # no re-exporter of the old name
             "src/schema/ledger.ts": ACCOUNTS_B, "src/schema/index.ts": barrel}
    root = git_repo(tmp_path, files)
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    renamed(root, "typeof userAccounts", "typeof accounts")
    found = [d for d in sf001(root) if d["path"] == "src/app/list.ts"]
    assert found and all("exports userAccounts as accounts now" not in d["message"] and d.get("fix") is None for d in found), found


def test_a_renamed_name_is_written_in_place_keeping_the_comments_in_the_braces(tmp_path):
    """Only the entry's text changes: re-rendering the statement from its names (as a move
    does) would drop the comments in its braces, which SF001 never does."""
    importer = ("import {\n  // the accounts table\n  userAccounts,\n  type UserRow, // a row\n"
                "} from '../schema/users';\nexport const x = (r: UserRow) => [r, userAccounts];\n")
    root = git_repo(tmp_path, {**FILES, "src/app/rows.ts": importer})
    renamed(root, "export const userAccounts = pgTable", "export const accounts = pgTable")
    renamed(root, "typeof userAccounts", "typeof accounts")
    assert run(root, "--apply").exit_code == 0
    assert (root / "src/app/rows.ts").read_text() == importer.replace(
        "  userAccounts,", "  accounts as userAccounts,")
