"""Tree hygiene: SF010 file-naming, SF011 orphan-module, SF012 stale-build-output."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from codemod import tsconfig
from codemod.model import Applicability, Deletion
from codemod.project import Project
from codemod.rules import Context, Settings, all_rules
from rewriters._naming import outliers, restyle, singular, styles_of

from support import check_fix, check_noop, diagnostics, run

def table(name: str) -> str:
    return ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
            f"export const {name} = pgTable('{name}', {{ id: serial('id') }});\n")


def on_disk(root: Path, files: dict[str, str | bytes], select: str, **options) -> list:
    """First-pass diagnostics of a project written to ``root`` (rules that read the disk)."""
    sources = {}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode()
        path.write_bytes(data)
        if rel.endswith((".ts", ".tsx", ".mts", ".cts")):
            sources[rel] = data
    config = tsconfig.load(root / "tsconfig.json") if "tsconfig.json" in files else None  # as discovery does
    project = Project.build(root, sources, config)
    ctx = Context(project, Settings(select=frozenset({select}), options=options))
    return sorted((d for r in all_rules() if ctx.settings.enabled(r.code) for d in r.check(ctx)),
                  key=lambda d: d.sort_key())


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def git_init(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")


# --- SF010 naming styles --------------------------------------------------------------


def test_name_styles():
    assert styles_of("users") == {"kebab", "camel", "snake"}
    assert styles_of("user-credits") == {"kebab"}
    assert styles_of("userCredits") == {"camel"}
    assert styles_of("user_credits") == {"snake"}
    assert styles_of("UserCredits") == set() and styles_of("[id]") == set() and styles_of("0001_init") == set()
    assert restyle("userPromotions", "kebab") == "user-promotions"
    assert restyle("user-promotions", "camel") == "userPromotions"
    assert restyle("oauth2Tokens", "snake") == "oauth2_tokens"


@pytest.mark.parametrize("plural, one", [
    ("users", "user"), ("categories", "category"), ("addresses", "address"), ("matches", "match"),
    ("boxes", "box"), ("statuses", "status"), ("orderStatuses", "orderStatus"), ("houses", "house"),
    ("courses", "course"), ("responses", "response"), ("ties", "tie"), ("class", "class"),
    ("ads", "ads"), ("user", "user"), ("certificates", "certificate"),
    # singular words ending in s stay, and lose only "es" in the plural (SF005 compares
    # singular(a) == singular(b): status.ts must meet statuses.ts)
    ("status", "status"), ("bonus", "bonus"), ("bonuses", "bonus"), ("campuses", "campus"),
    ("aliases", "alias"), ("canvases", "canvas"), ("analyses", "analysis"), ("analysis", "analysis"),
    ("series", "series"), ("species", "species"),
    # the common -e plurals are not cut to the stem
    ("fuses", "fuse"), ("abuses", "abuse"), ("movies", "movie"), ("cookies", "cookie"), ("caches", "cache"),
    ("niches", "niche"), ("databases", "database"), ("heroes", "hero"), ("shoes", "shoe"), ("menus", "menu"),
])
def test_singular(plural, one):
    # one function for SF005 (a module found by its singular name) and SF008 (a new
    # one() named after its table)
    assert singular(plural) == one
    assert singular(one) == one  # a singular stays: both sides of SF005's match meet


def test_camel_name_among_kebab_siblings_is_reported_with_its_new_name():
    files = {"schema/billing/user-credits.ts": table("userCredits"),
             "schema/billing/refund-items.ts": table("refundItems"),
             "schema/billing/payouts.ts": table("payouts"),
             "schema/billing/userPromotions.ts": table("userPromotions")}
    [d] = diagnostics(files, select="SF010")
    assert d.path == "schema/billing/userPromotions.ts" and d.fix is None
    assert "'user-promotions.ts'" in d.message and "kebab-case" in d.message and "2 of 3" in d.message


def test_even_split_falls_back_to_the_project_style():
    files = {"a/user-credits.ts": "", "a/userPromotions.ts": "", "b/listing-photos.ts": "",
             "b/listing-tags.ts": ""}
    [d] = diagnostics(files, select="SF010")
    assert d.path == "a/userPromotions.ts" and "project" in d.message


@pytest.mark.parametrize("files", [
    {"m/chatMessages.ts": "", "m/relations.ts": "", "m/attachments.ts": ""},  # one multi-word name: its own style
    {"c/Button.tsx": "", "c/useButton.ts": "", "c/IconButton.tsx": ""},  # PascalCase is never measured
    {"d/0001_init.ts": "", "d/0002-more.ts": "", "d/[id].ts": ""},  # names in no style
    {"e/user-credits.ts": "", "e/userPromotions.ts": ""},  # an even split and no project style
])
def test_consistent_or_unmeasurable_folders_are_not_reported(files):
    assert diagnostics(files, select="SF010") == []


def test_the_rest_of_the_name_is_kept():
    [o] = outliers(["s/a-b.ts", "s/c-d.ts", "s/eF.test.ts"])
    assert o.new_path == "s/e-f.test.ts"


def test_a_taken_new_name_is_said():
    files = {"s/a-b.ts": "", "s/c-d.ts": "", "s/userPromotions.ts": "", "s/user-promotions.tsx": ""}
    [d] = diagnostics(files, select="SF010")
    assert "already exists" in d.message


# --- SF011 orphan modules ---------------------------------------------------------------


BARREL = "export * from './user/users';\n"


def test_orphan_table_module_is_added_to_the_schema_barrel_with_unsafe():
    """Nothing imports the module: it may have been taken out of the barrel on purpose,
    and putting it back has drizzle-kit create its table (seen in a public monorepo)."""
    before = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
              "schema/user/sessions.ts": table("sessions")}
    [d] = check_noop(before, select="SF011").remaining
    assert d.fix.applicability is Applicability.UNSAFE
    outcome = check_fix(before, {"schema/index.ts": BARREL + "export * from './user/sessions';\n"}, select="SF011",
                        unsafe=True)
    assert [d.code for d in outcome.fixed] == ["SF011"]


def test_orphan_relations_module_is_added_to_the_schema_barrel():
    before = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
              "schema/user/relations.ts": "import { relations } from 'drizzle-orm';\n"
                                          "import { users } from './users';\n"
                                          "export const usersRelations = relations(users, () => ({}));\n"}
    outcome = check_fix(before, {"schema/index.ts": BARREL + "export * from './user/relations';\n"},
                        select="SF011")
    assert [d.fix.applicability for d in outcome.fixed] == [Applicability.SAFE]


def test_orphan_table_module_is_not_added_when_a_name_would_be_ambiguous():
    before = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
              "schema/user/old.ts": table("users")}
    check_noop(before, select="SF011")
    [d] = diagnostics(before, select="SF011")
    assert d.path == "schema/user/old.ts" and d.fix is None and "ambiguous" in d.message


def test_orphan_relations_module_is_left_to_sf005():
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "schema/user/relations.ts": "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                                         "export const usersRelations = relations(users, () => ({}));\n"}
    [d] = diagnostics(files, select="SF011,SF005")
    assert d.code == "SF005"
    only = diagnostics(files, select="SF011")
    assert [d.code for d in only] == ["SF011"] and only[0].fix is not None


def test_orphan_without_tables_is_reported_never_deleted():
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "schema/migrations/performance-indices.ts": "export const indices = ['a'];\n"}
    outcome = run(files, select="SF011")
    assert outcome.final == outcome.original
    [d] = diagnostics(files, select="SF011")
    assert d.path == "schema/migrations/performance-indices.ts" and d.fix is None and "delete" in d.message


@pytest.mark.parametrize("path", [
    "src/user.test.ts", "src/__tests__/user.ts", "src/types.d.ts", "vite.config.ts", "scripts/seed.ts",
    "src/app/page.tsx", "pages/about.tsx", "src/main.ts", "src/server.ts", "index.ts", "src/index.ts",
    "drizzle.config.ts",
])
def test_entry_conventions_are_never_orphans(path):
    assert diagnostics({path: "export const x = 1;\n", "src/lib.ts": "export const y = 1;\n",
                        "src/uses.ts": "import { y } from './lib';\nexport const z = y;\n",
                        "src/main2.ts": "import { z } from './uses';\nconsole.log(z);\n"},
                       select="SF011", entry=["src/main2.ts"]) == []


def test_entry_option_and_imports_make_modules_reached():
    files = {"src/index.ts": "export * from './lib';\n",
             "src/start.ts": "import { y } from './lib';\nexport const s = y;\n", "src/lib.ts": "export const y = 1;\n"}
    [d] = diagnostics(files, select="SF011")
    assert d.path == "src/start.ts"
    assert diagnostics(files, select="SF011", entry=["src/start.ts"]) == []


def test_dynamic_import_and_unresolved_specifiers_count_as_imports():
    files = {"src/index.ts": "export * from './main';\n",
             "src/main.ts": "export const load = () => import('./lazy');\nrequire('./gone/legacy');\n",
             "src/lazy.ts": "export const lazy = 1;\n", "src/legacy.ts": "export const l = 1;\n"}
    assert diagnostics(files, select="SF011") == []


def test_package_json_entries_and_drizzle_globs_are_entry_points(tmp_path):
    files = {"package.json": '{"main": "./dist/lib.js", "bin": {"x": "./dist/tool.js"}}',
             "src/index.ts": "export * from './users';\n", "src/users.ts": table("users"),
             "src/lib.ts": "export const a = 1;\n", "src/tool.ts": "export const b = 1;\n",
             "drizzle.config.ts": "export default { schema: './src/gen/*.ts' };\n",
             "src/gen/posts.ts": table("posts"), "src/dead.ts": "export const d = 1;\n"}
    found = on_disk(tmp_path, files, "SF011")
    assert [d.path for d in found] == ["src/dead.ts"]


@pytest.mark.parametrize("pattern", ["./src/gen/{posts,tags}.ts", "./src/gen/post?.ts", "./src/gen/[p]osts.ts"])
def test_a_drizzle_glob_without_a_star_names_entry_points_too(tmp_path, pattern):
    """drizzle-kit globs every schema path (`?`, `[ab]`, `{a,b}` as well as `*`); SF011
    took only a `*` for a glob, so the tables it names were orphans."""
    files = {"src/index.ts": "export * from './users';\n", "src/users.ts": table("users"),
             "drizzle.config.ts": f"export default {{ schema: '{pattern}' }};\n",
             "src/gen/posts.ts": table("posts"), "src/dead.ts": "export const d = 1;\n"}
    assert [d.path for d in on_disk(tmp_path, files, "SF011")] == ["src/dead.ts"]


def test_tsconfig_files_are_entry_points(tmp_path):
    (tmp_path / "tsconfig.json").write_text('{"files": ["src/start.ts"]}')
    from codemod.tsconfig import load
    config = load(tmp_path / "tsconfig.json")
    files = {"src/index.ts": "export * from './lib';\n", "src/lib.ts": "export const y = 1;\n",
             "src/start.ts": "export const s = 1;\n"}
    assert [d.path for d in run(files, select="SF011", root=tmp_path).remaining] == ["src/start.ts"]
    outcome = run(files, select="SF011", config=config, root=tmp_path)
    assert outcome.remaining == []


# --- SF012 stale build output ------------------------------------------------------------


def test_build_output_beside_the_source_is_reported_with_gits_view(tmp_path):
    git_init(tmp_path)
    files = {".gitignore": "*.js.map\n", "src/users.ts": table("users"), "src/users.js": "exports.x = 1;\n",
             "src/users.js.map": "{}", "src/users.d.ts": "export declare const users: any;\n",
             "src/index.ts": "export * from './users';\n"}
    on_disk(tmp_path, files, "SF012")
    git(tmp_path, "add", "src/users.js")
    [d] = on_disk(tmp_path, files, "SF012")
    assert d.code == "SF012" and d.path == "src/users.ts"
    assert "users.js: tracked by git" in d.message
    assert "users.js.map: ignored by git" in d.message
    assert "users.d.ts: neither tracked nor ignored" in d.message
    # the unsafe fix deletes what git can bring back, and only that
    assert d.fix.applicability == Applicability.UNSAFE and d.fix.edits == ()
    assert d.fix.deletions == (Deletion("src/users.js", b"exports.x = 1;\n"), Deletion("src/users.js.map", b"{}"))
    assert all(p.exists() for p in (tmp_path / "src").iterdir())  # a rule deletes nothing


def test_tracked_output_with_uncommitted_changes_is_not_deleted(tmp_path):
    git_init(tmp_path)
    files = {"src/users.ts": table("users"), "src/users.js": "exports.x = 1;\n"}
    on_disk(tmp_path, files, "SF012")
    git(tmp_path, "add", "src/users.js")
    files["src/users.js"] = "exports.x = 2;\n"  # rebuilt by hand, not committed
    [d] = on_disk(tmp_path, files, "SF012")
    assert "users.js: tracked by git with changes not committed" in d.message and d.fix is None


@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_output_git_is_told_to_ignore_changes_of_is_not_deleted(tmp_path, flag):
    """`git ls-files --modified` does not list a file flagged skip-worktree or
    assume-unchanged, though its bytes may be a local override git cannot restore (a
    review deleted one with --apply --unsafe)."""
    git_init(tmp_path)
    files = {"src/users.ts": table("users"), "src/users.js": "exports.x = 1;\n"}
    on_disk(tmp_path, files, "SF012")
    git(tmp_path, "add", "src/users.js")
    git(tmp_path, "update-index", flag, "src/users.js")
    files["src/users.js"] = "exports.x = 2; // my local override\n"
    [d] = on_disk(tmp_path, files, "SF012")
    assert "users.js: tracked by git with changes not committed" in d.message and d.fix is None


def test_symlinked_output_is_reported_not_deleted(tmp_path):
    git_init(tmp_path)
    (tmp_path / "elsewhere.js").write_text("exports.x = 1;\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "users.js").symlink_to(tmp_path / "elsewhere.js")
    git(tmp_path, "add", "src/users.js", "elsewhere.js")
    [d] = on_disk(tmp_path, {"src/users.ts": table("users")}, "SF012")
    assert "users.js: a symlink: schemafix does not delete it" in d.message and d.fix is None


def test_ambient_declaration_without_js_twin_is_not_build_output(tmp_path):
    files = {"src/env.ts": "export const e = 1;\n", "src/env.d.ts": "declare module 'x' {}\n"}
    assert on_disk(tmp_path, files, "SF012") == []
    files["src/env.d.ts"] = "export declare const e: number;\n"
    [d] = on_disk(tmp_path, files, "SF012")
    assert "env.d.ts: not in a git work tree" in d.message


# --- SF012 --unsafe: deleting what git can bring back, end to end ------------------------------

OUTPUT = {"tsconfig.json": "{}", "src/users.ts": table("users"), "src/index.ts": "export * from './users';\n",
          "src/users.js": "export const users = pgTable('users', {});\n",
          "src/users.d.ts": "export declare const users: any;\n"}


def schemafix(*args: str):
    from click.testing import CliRunner

    from codemod import cli
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def output_project(root: Path, *, track: bool = True, ignore: str | None = None, repo: bool = True) -> Path:
    """OUTPUT written to ``root``: in a git repository with everything committed (the build
    output too, or not with ``track=False``), ``ignore`` as its .gitignore."""
    for rel, text in {**OUTPUT, **({".gitignore": ignore} if ignore else {})}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    if repo:
        git_init(root)
        git(root, "add", ".")
        if not track:
            git(root, "rm", "-q", "--cached", "--ignore-unmatch", "src/users.js", "src/users.d.ts")
        git(root, "commit", "-qm", "init")
    return root


def test_apply_unsafe_deletes_tracked_output_and_git_can_restore_it(tmp_path, monkeypatch):
    root = output_project(tmp_path)
    monkeypatch.chdir(root)
    result = schemafix("--apply", "--unsafe", "--show-fixes", ".")
    assert "src/users.ts:1:1: SF012 [fixed] Delete users.js, users.d.ts" in result.stderr
    assert "Fixed 1 problem in 2 files." in result.stderr and result.exit_code == 0
    assert not (root / "src/users.js").exists() and not (root / "src/users.d.ts").exists()
    assert git(root, "status", "--porcelain") == " D src/users.d.ts\n D src/users.js\n"
    again = schemafix("--unsafe", ".")
    assert again.exit_code == 0 and again.stdout == "" and "SF012" not in again.stderr
    git(root, "checkout", "--", "src")
    assert (root / "src/users.js").read_text() == OUTPUT["src/users.js"]


def test_apply_unsafe_deletes_ignored_output(tmp_path, monkeypatch):
    root = output_project(tmp_path, track=False, ignore="*.js\n*.d.ts\n")
    monkeypatch.chdir(root)
    assert schemafix("--apply", "--unsafe", ".").exit_code == 0
    assert sorted(p.name for p in (root / "src").iterdir()) == ["index.ts", "users.ts"]


@pytest.mark.parametrize("case", ["untracked", "no-git"])
def test_output_git_cannot_bring_back_is_never_deleted(tmp_path, monkeypatch, case):
    root = output_project(tmp_path, track=False, repo=case != "no-git")
    monkeypatch.chdir(root)
    result = schemafix("--apply", "--unsafe", ".")
    why = "neither tracked nor ignored by git" if case == "untracked" else "not in a git work tree"
    assert f"users.js, users.d.ts: {why}" in result.stderr
    assert result.exit_code == 1 and "Fixed 0 problems in 0 files; 1 problem needs a human." in result.stderr
    assert (root / "src/users.js").exists() and (root / "src/users.d.ts").exists()


def test_tracked_output_left_out_with_exclude_is_not_deleted(tmp_path, monkeypatch):
    root = output_project(tmp_path)
    monkeypatch.chdir(root)
    result = schemafix("--apply", "--unsafe", "--exclude", "*.d.ts", ".")
    assert "users.d.ts: left out of the analysis" in result.stderr
    assert not (root / "src/users.js").exists() and (root / "src/users.d.ts").exists()


def test_an_ambient_declaration_is_never_deleted(tmp_path, monkeypatch):
    root = output_project(tmp_path)
    (root / "src/users.js").unlink()
    (root / "src/users.d.ts").write_text("declare module 'legacy-users' { export const x: number; }\n")
    git(root, "commit", "-qam", "hand-written declarations")
    monkeypatch.chdir(root)
    result = schemafix("--apply", "--unsafe", ".")
    assert result.exit_code == 0 and "SF012" not in result.stderr
    assert (root / "src/users.d.ts").exists()


def test_dry_run_and_check_delete_nothing(tmp_path, monkeypatch):
    root = output_project(tmp_path)
    monkeypatch.chdir(root)
    before = sorted((root / "src").iterdir())
    dry = schemafix(".")  # without --unsafe: shown as an unsafe fix, no diff
    assert dry.exit_code == 1 and dry.stdout == "" and "SF012 [unsafe fix: --unsafe]" in dry.stderr
    assert "Nothing to fix; 1 more with --unsafe." in dry.stderr
    dry = schemafix("--unsafe", ".")
    assert dry.exit_code == 1 and "diff --git a/src/users.js b/src/users.js\ndeleted file mode 100644\n" in dry.stdout
    check = schemafix("--check", "--unsafe", ".")
    assert check.exit_code == 1 and check.stdout == "" and "1 fix in 2 files" in check.stderr
    assert schemafix("--check", ".").exit_code == 1
    assert sorted((root / "src").iterdir()) == before and git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("tool", [["git", "apply"], ["patch", "-p1", "-s"]], ids=["git-apply", "patch"])
@pytest.mark.parametrize("where", ["project", "parent"])
def test_the_deletion_diff_applies_like_apply(tmp_path, monkeypatch, tool, where):
    root = output_project(tmp_path / "repo")
    cwd = root if where == "project" else tmp_path
    monkeypatch.chdir(cwd)
    diff = schemafix("--unsafe", "." if where == "project" else "repo").stdout
    prefix = "" if where == "project" else "repo/"
    assert f"--- a/{prefix}src/users.js\n+++ /dev/null\n" in diff
    done = subprocess.run(tool, input=diff, text=True, cwd=cwd, capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(root, "status", "--porcelain") == " D src/users.d.ts\n D src/users.js\n"


@pytest.mark.parametrize("out_dir", ["lib", "${configDir}/lib"])
def test_out_dir_is_not_a_source_folder(tmp_path, out_dir):
    files = {"tsconfig.json": json.dumps({"compilerOptions": {"outDir": out_dir}}), "lib/a.ts": "export const a = 1;\n",
             "lib/a.js": "", "src/b.ts": "export const b = 1;\n"}
    assert on_disk(tmp_path, files, "SF012") == []


def test_an_out_dir_written_in_an_extended_base_counts_too(tmp_path):
    """Review: outDir was read from the root tsconfig.json's own text; a base it extends
    writing `"outDir": "${configDir}/lib"` (which names the leaf's folder) was not seen, so
    the build output there was reported as stale files beside their sources."""
    files = {"tsconfig.json": json.dumps({"extends": "./config/base.json"}),
             "config/base.json": json.dumps({"compilerOptions": {"outDir": "${configDir}/lib"}}),
             "lib/a.ts": "export const a = 1;\n", "lib/a.js": "", "src/b.ts": "export const b = 1;\n"}
    assert on_disk(tmp_path, files, "SF012") == []
    config = tsconfig.load(tmp_path / "tsconfig.json")
    assert (config.out_dir, config.root_dir) == (str(tmp_path / "lib"), None)


def test_module_exporting_nothing_is_a_script_not_an_orphan():
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "schema/user/seed.ts": "import { users } from './users';\nconsole.log(users);\n"}
    assert diagnostics(files, select="SF011") == []


def test_modules_outside_the_schema_tree_are_not_checked():
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "lib/util.ts": "export const u = 1;\n"}
    assert diagnostics(files, select="SF011") == []


def test_outliers_settle_once_the_project_style_does():
    """An evenly split folder follows the project's style, which renaming other folders'
    outliers may decide: reported (and renamed) in the same run, so a second run finds none."""
    paths = ["w/a-b.ts", "w/cD.ts",  # an even split: the project decides
             "x/e-f.ts", "x/g-h.ts", "x/iJ.ts",  # a kebab folder with one camel outlier
             "z/kL.ts"]  # the project is tied 3:3 until x/iJ.ts is renamed
    from rewriters._naming import settled_outliers
    assert outliers(paths) == [outliers(paths)[0]] and outliers(paths)[0].path == "x/iJ.ts"
    found = {o.path: o.new_path for o in settled_outliers(paths)}
    assert found == {"x/iJ.ts": "x/i-j.ts", "w/cD.ts": "w/c-d.ts"}
    renamed = [found.get(p, p) for p in paths]
    assert outliers(renamed) == []


def test_a_module_and_its_tests_count_once_for_their_folders_style():
    """Seen on a public monorepo: `proxy-reader.ts`, `proxy-reader.spec.ts` and
    `proxy-reader.integration.spec.ts` made "3 of 4 multi-word names" kebab-case beside
    one camelCase name; they are one name. An even split then follows the project."""
    paths = ["a/proxy-reader.ts", "a/proxy-reader.spec.ts", "a/proxy-reader.integration.spec.ts",
             "a/validationSchemas.ts"]
    assert outliers(paths) == []  # one stem each way, and the project is tied too
    [o] = outliers([*paths, "b/user-credits.ts", "b/refund-items.ts"])
    assert o.path == "a/validationSchemas.ts" and o.evidence == \
        "the names in a are split evenly; the project's names are kebab-case"


def test_many_orphan_table_modules_go_into_the_barrel_in_one_pass():
    """More orphans than the engine's passes: one shared fix per barrel."""
    names = [f"t{i}" for i in range(12)]
    before = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
              **{f"schema/user/{n}.ts": table(n) for n in names}}
    lines = "".join(f"export * from './user/{n}';\n" for n in sorted(names))
    outcome = check_fix(before, {"schema/index.ts": BARREL + lines}, select="SF011", unsafe=True)
    assert len(outcome.fixed) == 12


def test_orphans_that_collide_with_each_other_are_added_one_at_a_time():
    before = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
              "schema/user/a.ts": table("posts"), "schema/user/b.ts": table("posts")}
    outcome = run(before, select="SF011", unsafe=True)
    barrel = outcome.final["schema/index.ts"].decode()
    assert barrel.count("export * from") == 2  # one of them, never both
    assert [d.path for d in outcome.remaining] == ["schema/user/b.ts"]
