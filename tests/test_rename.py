"""``schemafix rename``: renames misnamed files and rewrites every specifier naming them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cli, rename
from codemod.project import Project, SourceFile
from support import write_tree as write

TSCONFIG = """{
  "compilerOptions": { "strict": true, "module": "nodenext", "moduleResolution": "nodenext", "noEmit": true,
    "paths": { "@db/*": ["./src/schema/*"], "@promo": ["./src/schema/billing/userPromotions.ts"] } },
  "include": ["src"]
}
"""

PROJECT = {
    "tsconfig.json": TSCONFIG,
    "src/schema/index.ts": 'export * from "./billing/user-credits.js";\nexport * from "./billing/refund-items.js";\n'
                           'export * from "./billing/userPromotions.js";\n',
    "src/schema/billing/user-credits.ts": "export const userCredits = 1;\n",
    "src/schema/billing/refund-items.ts": "export const refundItems = 1;\n",
    "src/schema/billing/userPromotions.ts": "export const userPromotions = 1;\n",
    "src/app.ts": 'import { userPromotions } from "@db/billing/userPromotions.js";\n'
                  'import { userPromotions as p2 } from "@promo";\n'
                  'export const lazy = () => import("./schema/billing/userPromotions.js");\n'
                  "export const x = userPromotions + p2;\n",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def committed(root: Path, files: dict[str, str]) -> Path:
    write(root, files)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "init")
    return root


def schemafix(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_dry_run_shows_git_rename_headers_and_writes_nothing(tmp_path):
    root = committed(tmp_path, PROJECT)
    result = schemafix("rename", str(root))
    assert result.exit_code == 1, result.output
    assert "rename from src/schema/billing/userPromotions.ts\nrename to src/schema/billing/user-promotions.ts\n" \
        in result.stdout
    assert '+export * from "./billing/user-promotions.js";' in result.stdout
    assert (root / "src/schema/billing/userPromotions.ts").exists()
    assert git(root, "status", "--porcelain") == ""
    patch = tmp_path / "rename.patch"
    patch.write_text(result.stdout)
    git(root, "apply", "--check", str(patch))


def test_apply_uses_git_mv_and_rewrites_every_specifier_in_its_own_style(tmp_path):
    root = committed(tmp_path, PROJECT)
    result = schemafix("rename", "--apply", str(root))
    assert result.exit_code == 0, result.output
    status = git(root, "status", "--porcelain")
    assert "R  src/schema/billing/userPromotions.ts -> src/schema/billing/user-promotions.ts" in status
    app = (root / "src/app.ts").read_text()
    assert 'from "@db/billing/user-promotions.js"' in app  # alias and .js extension kept
    assert 'import("./schema/billing/user-promotions.js")' in app  # dynamic import
    assert 'from "@promo"' in app  # an alias naming the file: its tsconfig entry changes instead
    assert '"./src/schema/billing/user-promotions.ts"' in (root / "tsconfig.json").read_text()
    assert 'export * from "./billing/user-promotions.js";' in (root / "src/schema/index.ts").read_text()
    again = schemafix("rename", str(root))
    assert again.exit_code == 0 and "Nothing to rename" in again.output


def test_outside_git_the_file_is_renamed_on_disk(tmp_path):
    root = write(tmp_path, PROJECT)
    assert schemafix("rename", "--apply", str(root)).exit_code == 0
    assert (root / "src/schema/billing/user-promotions.ts").exists()
    assert not (root / "src/schema/billing/userPromotions.ts").exists()


def test_uncommitted_changes_to_a_file_involved_are_refused_unless_forced(tmp_path):
    root = committed(tmp_path, PROJECT)
    (root / "src/app.ts").write_text(PROJECT["src/app.ts"] + "// edited\n")
    assert "rename to src/schema/billing/user-promotions.ts" in schemafix("rename", str(root)).stdout  # dry run
    refused = schemafix("rename", "--apply", str(root))
    assert refused.exit_code == 1 and "uncommitted changes to src/app.ts" in refused.output
    assert (root / "src/schema/billing/userPromotions.ts").exists()
    forced = schemafix("rename", "--apply", "--force", str(root))
    assert forced.exit_code == 0, forced.output
    assert (root / "src/app.ts").read_text().endswith("// edited\n")


def test_two_files_that_would_get_one_name_are_refused_naming_both(tmp_path):
    root = write(tmp_path, {"src/a/user_promotions.ts": "export const a = 1;\n",
                            "src/a/userPromotions.ts": "export const b = 1;\n"})
    result = schemafix("rename", "--style", "kebab", "--apply", str(root))
    assert result.exit_code == 1
    assert "src/a/userPromotions.ts and src/a/user_promotions.ts would both be named src/a/user-promotions.ts" \
        in result.output
    assert sorted(p.name for p in (root / "src/a").iterdir()) == ["userPromotions.ts", "user_promotions.ts"]


def test_a_taken_name_is_refused(tmp_path):
    root = write(tmp_path, {"src/a/user-promotions.tsx": "export const a = 1;\n",
                            "src/a/userPromotions.ts": "export const b = 1;\n"})
    result = schemafix("rename", "--style", "kebab", str(root))
    assert result.exit_code == 1 and "but src/a/user-promotions.tsx exists" in result.output


def test_a_name_taken_up_to_case_is_refused_on_a_case_insensitive_filesystem():
    files = {"s/a-b.ts": b"", "s/c-d.ts": b"", "s/userPromotions.ts": b"", "s/User-promotions.ts": b""}
    project = Project.build(Path("/nonexistent"), files)
    assert rename.plan(project, None, None, case_insensitive=False).refusals == []
    [reason] = rename.plan(project, None, None, case_insensitive=True).refusals
    assert "s/userPromotions.ts" in reason and "s/User-promotions.ts" in reason and "case" in reason


def test_style_renames_the_whole_tree(tmp_path):
    root = committed(tmp_path, {"src/a/user-credits.ts": "export const a = 1;\n",
                                "src/a/refund-items.ts": "import { a } from './user-credits';\nexport const b = a;\n",
                                "src/index.ts": "export * from './a/refund-items';\n"})
    result = schemafix("rename", "--style", "snake", "--apply", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "src/a/refund_items.ts").read_text().startswith("import { a } from './user_credits';")
    assert (root / "src/index.ts").read_text() == "export * from './a/refund_items';\n"
    assert [line[:1] for line in git(root, "status", "--porcelain").splitlines()] == ["R", "R", " "]


def test_only_the_paths_given_are_renamed(tmp_path):
    root = write(tmp_path, {"src/a/user-credits.ts": "export const a = 1;\n",
                            "src/b/refund-items.ts": "export const b = 1;\n"})
    assert schemafix("rename", "--style", "camel", "--apply", str(root / "src/a")).exit_code == 0
    assert (root / "src/a/userCredits.ts").exists() and (root / "src/b/refund-items.ts").exists()


@pytest.mark.slow
def test_tsc_reports_no_new_error_after_rename(tmp_path):
    from support import tsc
    root = committed(tmp_path, PROJECT)
    assert tsc(root) == []
    assert schemafix("rename", "--apply", str(root)).exit_code == 0
    assert tsc(root) == []


def test_package_json_and_drizzle_config_paths_follow_the_rename(tmp_path):
    root = committed(tmp_path, {**PROJECT,
                                "package.json": '{"main": "./src/schema/billing/userPromotions.ts"}\n',
                                "drizzle.config.ts": "export default { schema: './src/schema/billing/userPromotions.ts' };\n"})
    assert schemafix("rename", "--apply", str(root)).exit_code == 0
    assert (root / "package.json").read_text() == '{"main": "./src/schema/billing/user-promotions.ts"}\n'
    assert "schema: './src/schema/billing/user-promotions.ts'" in (root / "drizzle.config.ts").read_text()


def test_mocked_paths_follow_the_rename(tmp_path):
    root = committed(tmp_path, {**PROJECT, "src/app.test.ts":
                                "vi.mock('./schema/billing/userPromotions.js');\nvi.mock('./schema/other');\n"})
    assert schemafix("rename", "--apply", str(root)).exit_code == 0
    assert (root / "src/app.test.ts").read_text() == \
        "vi.mock('./schema/billing/user-promotions.js');\nvi.mock('./schema/other');\n"


def test_an_aliased_dynamic_import_in_a_template_literal_follows_the_rename(tmp_path):
    # Found by tests/test_property_rename.py: `import(`@db/...`)` was left naming the old file.
    root = write(tmp_path, {**PROJECT, "src/lazy.ts": "export const l = () => import(`@db/billing/userPromotions.js`);\n"
                                                     "export const r = () => import(`./schema/billing/userPromotions`);\n"})
    assert schemafix("rename", "--apply", str(root)).exit_code == 0
    assert (root / "src/lazy.ts").read_text() == \
        "export const l = () => import(`@db/billing/user-promotions.js`);\n" \
        "export const r = () => import(`./schema/billing/user-promotions`);\n"


def test_apply_asks_git_once_which_files_it_tracks(tmp_path, monkeypatch):
    """One ``git ls-files`` for every file renamed: tracked files move with ``git mv``,
    an untracked one on disk."""
    root = committed(tmp_path, {"src/a/user-credits.ts": "export const a = 1;\n",
                                "src/a/refund-items.ts": "import { a } from './user-credits';\nexport const b = a;\n"})
    write(root, {"src/a/tax-rates.ts": "export const t = 1;\n"})  # not committed
    calls = []
    real_run = subprocess.run

    def run(args, *rest, **kwargs):
        calls.append(args[:2])
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(rename.subprocess, "run", run)
    result = schemafix("rename", "--style", "snake", "--apply", "--force", str(root))
    assert result.exit_code == 0, result.output
    assert calls.count(["git", "ls-files"]) == 1
    status = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(line[:2] for line in status) == ["??", "R ", "RM"]  # refund-items.ts also edited
    assert (root / "src/a/tax_rates.ts").exists()


def test_the_check_after_renaming_parses_only_the_files_that_change(monkeypatch):
    files = {"s/a-b.ts": b"export const a = 1;\n", "s/c.ts": b"import { a } from './a-b';\nexport const c = a;\n",
             "s/d.ts": b"export const d = 1;\n", "s/e-f.ts": b"export const e = 1;\n"}
    project = Project.build(Path("/nonexistent"), files)
    parsed = []
    real_parse = SourceFile.parse

    def parse(cls, path, data):
        parsed.append(path)
        return real_parse(path, data)

    monkeypatch.setattr(SourceFile, "parse", classmethod(parse))
    p = rename.plan(project, None, "camel", case_insensitive=False)
    assert p.refusals == [] and p.renames == {"s/a-b.ts": "s/aB.ts", "s/e-f.ts": "s/eF.ts"}
    assert sorted(parsed) == ["s/aB.ts", "s/c.ts", "s/eF.ts"]  # s/d.ts is reused
