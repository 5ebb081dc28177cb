"""What schemafix cannot see is never broken: assets, files outside the analysed root,
packages (installed or not, workspace or not), package.json ``imports``, tsconfig
``extends`` it cannot find; and a folder of several projects is analysed one project
at a time (issue 11 §2, §6, §7)."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cli, discovery
from codemod.resolve import EXTERNAL, FILE, MISSING, OPAQUE, Package, Resolution, Resolver, Surroundings
from codemod.tsconfig import TsConfig
from support import write_tree as make


def schemafix(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_untouched_and_clean(root: Path, *args: str) -> None:
    """A healthy project: no diagnostic, no edit, exit 0."""
    before = tree(root)
    result = schemafix("--apply", *args, str(root))
    assert result.exit_code == 0, result.output
    assert "SF0" not in result.stderr, result.stderr
    assert tree(root) == before


ALIASES = TsConfig(paths=(("@/*", ("/p/src/*",)), ("~/*", ("/p/src/*",))), base_url=Path("/p"))


# --- 1. assets --------------------------------------------------------------------------


@pytest.mark.parametrize("specifier", ["./styles.css?url", "@/styles.css?url", "./logo.svg?react", "./schema.sql?raw",
                                       "./worker.ts?worker", "@/styles.css", "~/assets/logo.svg", "@/data.json"])
def test_assets_and_queries_are_external(specifier):
    assert Resolver(Path("/p"), ["src/a.ts"], ALIASES).resolve("src/a.ts", specifier).status == EXTERNAL


def test_an_aliased_module_that_is_missing_is_still_missing():
    assert Resolver(Path("/p"), ["src/a.ts"], ALIASES).resolve("src/a.ts", "@/gone").status == MISSING


# --- 2. files on disk outside the analysed ones -----------------------------------------


def on_disk(*paths: str) -> Surroundings:
    return Surroundings(exists=lambda p: p in paths)


@pytest.mark.parametrize("importer, specifier, found", [
    ("a.ts", "@acme/server/db", "../../packages/server/src/db/index.ts"),
    ("a.ts", "./.generated/client", ".generated/client.d.ts"),
    ("a.ts", "../shared/types", "../shared/types.ts"),
    ("a.ts", "./legacy.js", "legacy.js"),
    ("a.ts", "./assets/script.lua", "assets/script.lua"),  # seen: a `declare module "*.lua"` asset
    ("a.ts", "@acme/server/assets/pricing.riv", "../../packages/server/src/assets/pricing.riv"),
    ("a.ts", "./legacy", "legacy.js"),
])
def test_a_file_on_disk_is_opaque(importer, specifier, found):
    config = TsConfig(paths=(("@acme/server/*", ("/w/packages/server/src/*",)),))
    r = Resolver(Path("/w/apps/web"), ["a.ts"], config, surroundings=on_disk(found))
    assert r.resolve(importer, specifier) .status == OPAQUE
    assert r.resolve(importer, specifier).path == found
    absent = Resolver(Path("/w/apps/web"), ["a.ts"], config).resolve(importer, specifier)
    # a dot-folder's file not there (generated, not yet) is unknown; any other is missing
    assert absent.status == (OPAQUE if specifier.startswith("./.") else MISSING) and absent.path is None


def test_an_alias_outside_the_root_is_not_repointed_to_a_lookalike(tmp_path):
    """`@acme/server/db` leads outside the analysed root; an in-project server/db/index.ts
    also exports `db`. Today's bug: a SAFE repoint to the wrong module."""
    make(tmp_path, {
        "packages/server/src/db/index.ts": "export const db = {} as const;\n",
        "apps/web/tsconfig.json": json.dumps({"compilerOptions": {
            "paths": {"@acme/server/*": ["../../packages/server/src/*"]}}}),
        "apps/web/server/db/index.ts": "export const db = { local: true };\n",
        "apps/web/app/page.ts": "import { db } from '@acme/server/db';\nexport const page = db;\n",
    })
    assert_untouched_and_clean(tmp_path / "apps/web")


def test_surroundings_are_carried_to_the_next_snapshot():
    from codemod.project import Project
    around = on_disk("gen.ts")
    first = Project.build(Path("/p"), {"a.ts": b"import { g } from './gen';\n"}, surroundings=around)
    assert Project.build(Path("/p"), first.sources, previous=first).resolver.resolve("a.ts", "./gen").status == OPAQUE


# --- 3. packages ------------------------------------------------------------------------


@pytest.mark.parametrize("specifier", ["drizzle-orm", "drizzle-orm/pg-core", "@acme/db", "@acme/db/schema",
                                       "drizzle-dbml-generator"])
def test_a_package_under_a_catch_all_alias_is_external(specifier):
    config = TsConfig(paths=(("*", ("/p/src/*",)),))
    assert Resolver(Path("/p"), ["src/a.ts"], config).resolve("src/a.ts", specifier).status == EXTERNAL


def test_a_prefix_alias_owns_its_names_unless_the_package_is_declared():
    config = TsConfig(paths=(("@db/*", ("/p/src/*",)),))
    assert Resolver(Path("/p"), ["src/a.ts"], config).resolve("src/a.ts", "@db/catalog/x").status == MISSING
    declared = Surroundings(dependencies=frozenset({"@db/catalog"}))
    assert Resolver(Path("/p"), ["src/a.ts"], config, surroundings=declared).resolve(
        "src/a.ts", "@db/catalog/x").status == EXTERNAL


@pytest.mark.parametrize("specifier", ["@/x", "~/x", "#x", "$lib/x"])
def test_aliases_are_not_package_names(specifier):
    from codemod.resolve import package_name
    assert package_name(specifier) is None


WORKSPACE = {
    "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - \"packages/*\"\n",
    "packages/db/package.json": json.dumps({"name": "@acme/db", "exports": {
        ".": "./src/index.ts", "./schema": {"types": "./src/schema/index.ts", "default": "./dist/schema.js"}}}),
    "packages/db/src/index.ts": "export * from './schema';\nexport const db = 1;\n",
    "packages/db/src/schema/index.ts": "export const users = 1;\n",
    "packages/ui/package.json": json.dumps({"name": "@acme/ui"}),
    "packages/ui/src/index.ts": "export const Button = 1;\n",
    "apps/web/package.json": json.dumps({"name": "@acme/web", "dependencies": {"@acme/db": "workspace:*"}}),
    "apps/web/tsconfig.json": json.dumps({"compilerOptions": {"paths": {"*": ["./src/*"]}}}),
    "apps/web/src/users.ts": "export const users = 2;\n",
    "apps/web/src/page.ts": ("import { users } from '@acme/db/schema';\nimport { db } from '@acme/db';\n"
                             "import { Button } from '@acme/ui';\nimport { sql } from 'drizzle-orm';\n"
                             "export const page = [users, db, Button, sql];\n"),
}


def test_workspace_packages_resolve_to_their_folder_installed_or_not(tmp_path):
    make(tmp_path, WORKSPACE)
    ws = discovery.load([tmp_path / "apps/web"])
    assert set(ws.surroundings.packages) == {"@acme/db", "@acme/ui", "@acme/web"}
    r = Resolver(ws.root, ws.sources, ws.config, surroundings=ws.surroundings)
    got = {s: r.resolve("src/page.ts", s) for s in ("@acme/db", "@acme/db/schema", "@acme/ui")}
    assert {s: (g.status, g.path) for s, g in got.items()} == {
        "@acme/db": (EXTERNAL, "../../packages/db/src/index.ts"),
        "@acme/db/schema": (EXTERNAL, "../../packages/db/src/schema/index.ts"),
        "@acme/ui": (EXTERNAL, "../../packages/ui/src/index.ts"),
    }
    assert_untouched_and_clean(tmp_path / "apps/web")


@pytest.mark.parametrize("manifest", [{"workspaces": ["packages/*", "apps/*"]},
                                      {"workspaces": {"packages": ["packages/*", "apps/*"]}}])
def test_package_json_workspaces(tmp_path, manifest):
    files = {k: v for k, v in WORKSPACE.items() if k != "pnpm-workspace.yaml"}
    make(tmp_path, {**files, "package.json": json.dumps(manifest)})
    assert set(discovery.surroundings(tmp_path / "apps/web")[0].packages) == {"@acme/db", "@acme/ui", "@acme/web"}


def test_pnpm_workspace_flow_style_and_negation(tmp_path):
    make(tmp_path, {**WORKSPACE, "pnpm-workspace.yaml": "packages: ['packages/*', '!packages/ui']\n"})
    assert set(discovery.surroundings(tmp_path)[0].packages) == {"@acme/db"}


SERVER = Package("@acme/server", "/w/packages/server", {".": "./src/index.ts"})
OWN_ALIAS = TsConfig(paths=(("@acme/server/*", ("/w/packages/server/src/*",)),))


def test_an_alias_named_after_the_projects_own_package_that_finds_no_file_is_missing():
    """dokploy's server package: `@acme/server/*` -> `./src/*` in @acme/server's own
    tsconfig. tsc tries the paths, then the package's `exports` (its own name) and
    node_modules, which lead back into the package: TS2307. It was taken for an import of
    the workspace package, never reported."""
    around = Surroundings(packages={"@acme/server": SERVER, "@acme/db": Package("@acme/db", "/w/packages/db")})
    for root in ("/w/packages/server", "/w/packages/server/src"):  # the package's folder, or a project inside it
        r = Resolver(Path(root), [], OWN_ALIAS, surroundings=around)
        importer = posixpath.relpath("/w/packages/server/src/a.ts", root)
        assert r.resolve(importer, "@acme/server/db/gone") == Resolution(MISSING, None, "@acme/server/*"), root
    here = Resolver(Path("/w/packages/server"), ["src/db/x.ts"], OWN_ALIAS, surroundings=around)
    assert here.resolve("src/a.ts", "@acme/server/db/x").path == "src/db/x.ts"
    assert here.resolve("src/a.ts", "@acme/server").status == EXTERNAL  # no pattern matches: the package


def test_an_alias_named_after_another_package_or_found_by_the_packages_exports_is_the_package():
    """tsc falls back to node_modules when the paths find nothing: another workspace
    package (`@acme/server/*` written in apps/web, into apps/web) may have the file, and so
    may the project's own `exports` (`"./*": "./dist/*.js"` beside a build, what tsc then
    reads): the package's import, as before."""
    into_web = TsConfig(paths=(("@acme/server/*", ("/w/apps/web/src/server/*",)),))
    around = Surroundings(packages={"@acme/server": SERVER})
    got = Resolver(Path("/w/apps/web"), [], into_web, surroundings=around).resolve("src/a.ts", "@acme/server/db/gone")
    assert (got.status, got.path) == (EXTERNAL, "../../packages/server")
    built = Package("@acme/server", "/w/packages/server", {".": "./src/index.ts", "./*": "./dist/*.js"})
    around = Surroundings(exists=lambda p: p == "dist/db/gone.d.ts", packages={"@acme/server": built})
    r = Resolver(Path("/w/packages/server"), [], OWN_ALIAS, surroundings=around)
    got = r.resolve("src/a.ts", "@acme/server/db/gone")
    assert (got.status, got.path) == (EXTERNAL, "dist/db/gone.d.ts")


def test_a_renamed_module_reached_through_the_packages_own_alias_is_repointed(tmp_path):
    make(tmp_path, {
        "package.json": json.dumps({"name": "mono", "private": True, "workspaces": ["packages/*"]}),
        "packages/server/package.json": json.dumps({"name": "@acme/server", "exports": {".": "./src/index.ts"}}),
        "packages/server/tsconfig.json": json.dumps({"compilerOptions": {"paths": {"@acme/server/*": ["./src/*"]}},
                                                     "include": ["src"]}),
        "packages/server/src/index.ts": "export * from './db/schema/webServerSettings';\n",
        "packages/server/src/db/schema/webServerSettings.ts": "export const webServerSettings = 1;\n",
        "packages/server/src/utils/web-server.ts": ("import { webServerSettings } from "
                                                    "'@acme/server/db/schema/web-server-settings';\n"
                                                    "export const table = webServerSettings;\n"),
    })
    result = schemafix("--apply", str(tmp_path / "packages/server"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "packages/server/src/utils/web-server.ts").read_text().startswith(
        "import { webServerSettings } from '@acme/server/db/schema/webServerSettings';\n")


# --- 4. package.json imports ------------------------------------------------------------


def test_package_json_imports_resolve_like_paths(tmp_path):
    make(tmp_path, {
        "package.json": json.dumps({"name": "api", "imports": {"#schema/*": "./src/db/schema/*",
                                                               "#*": {"types": "./src/*", "default": "./dist/*"}}}),
        "tsconfig.json": "{}",
        "src/db/schema/index.ts": "export * from './users';\n",
        "src/db/schema/users.ts": "export const users = 1;\n",
        "src/db/posts.ts": "export const posts = 1;\n",
        "src/main.ts": ("import * as schema from '#schema/index.ts';\nimport { posts } from '#db/posts';\n"
                        "import { users } from '#schema/gone';\nexport const all = [schema, posts, users];\n"),
    })
    ws = discovery.load([tmp_path])
    r = Resolver(ws.root, ws.sources, ws.config, surroundings=ws.surroundings)
    assert (r.resolve("src/main.ts", "#schema/index.ts").status, r.resolve("src/main.ts", "#schema/index.ts").path) \
        == (FILE, "src/db/schema/index.ts")
    assert r.resolve("src/main.ts", "#db/posts").path == "src/db/posts.ts"
    assert r.resolve("src/main.ts", "#schema/gone").status == MISSING
    result = schemafix(str(tmp_path))
    assert "import { users } from '#schema/users';" in result.stdout, result.output


# --- 5. tsconfig extends that cannot be found ------------------------------------------


def test_an_incomplete_tsconfig_leaves_unresolvable_aliases_opaque(tmp_path):
    """`$lib/...` and `~/...` come from the .svelte-kit tsconfig the dev server writes."""
    make(tmp_path, {
        "tsconfig.json": json.dumps({"extends": "./.svelte-kit/tsconfig.json",
                                     "compilerOptions": {"paths": {"~/*": ["./src/lib/*"]}}}),
        "src/lib/server/users.ts": "export const users = 1;\n",
        "src/lib/db.ts": "export const users = 2;\n",
        "src/routes/page.ts": ("import { users } from '~/server/schema/users';\n"
                               "import { db } from '$lib/server/db';\nexport const p = [users, db];\n"),
    })
    result = schemafix("--apply", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and ".svelte-kit/tsconfig.json" in result.stderr
    assert "SF0" not in result.stderr
    r = Resolver(Path("/p"), ["a.ts"], TsConfig(paths=(("~/*", ("/p/x/*",)),), incomplete=True))
    assert r.resolve("a.ts", "~/gone").status == OPAQUE and r.resolve("a.ts", "./gone").status == MISSING


def test_extends_through_the_workspace(tmp_path):
    make(tmp_path, {
        "package.json": json.dumps({"private": True, "workspaces": ["apps/*", "tooling/*"]}),
        "tooling/typescript/package.json": json.dumps({"name": "@acme/tsconfig"}),
        "tooling/typescript/base.json": json.dumps({"compilerOptions": {"paths": {"~/*": ["./src/*"]}}}),
        "apps/api/package.json": json.dumps({"name": "@acme/api"}),
        "apps/api/tsconfig.json": json.dumps({"extends": "@acme/tsconfig/base.json",
                                              "compilerOptions": {"paths": {"~/*": ["./src/*"]}}}),
        "apps/api/src/a.ts": "export const a = 1;\n",
    })
    ws = discovery.load([tmp_path / "apps/api"])
    assert not ws.warnings and not ws.config.incomplete


# --- 6. include --------------------------------------------------------------------------


@pytest.mark.parametrize("include", [["."], ["./"], ["src"], ["src/"]])
def test_include_naming_a_folder_includes_everything_below(tmp_path, include):
    make(tmp_path, {"tsconfig.json": json.dumps({"include": include}), "src/right.ts": "export const a = 1;\n",
                    "src/main.ts": "import { a } from './wrong';\nexport const b = a;\n"})
    result = schemafix("--check", str(tmp_path))
    assert result.exit_code == 1 and "SF001" in result.stderr, result.output


def test_paths_whose_files_are_all_outside_the_program_is_an_error(tmp_path):
    make(tmp_path, {"tsconfig.json": json.dumps({"include": ["app"]}), "src/right.ts": "export const a = 1;\n",
                    "src/main.ts": "import { a } from './wrong';\nexport const b = a;\n"})
    result = schemafix("--check", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "none of them in the program" in result.stderr and "Nothing to fix" not in result.output


def test_a_file_named_outside_the_program_is_said_to_be_so(tmp_path):
    """A commit hook names `mock.ts`, which the tsconfig's include leaves out: a warning
    that says so (it said "no TypeScript files found under mock.ts"), exit 0."""
    make(tmp_path, {"tsconfig.json": json.dumps({"include": ["src"]}), "src/a.ts": "export const a = 1;\n",
                    "mock.ts": "import { a } from './src/gone';\nexport const b = a;\n"})
    result = schemafix("--check", str(tmp_path / "mock.ts"))
    assert result.exit_code == 0, result.output
    assert "mock.ts: not in the program of" in result.stderr and "no TypeScript files" not in result.stderr


def test_an_empty_tree_is_still_a_warning(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "README.md": "hi\n"})
    result = schemafix("--check", str(tmp_path))
    assert result.exit_code == 0 and "no TypeScript files found" in result.stderr


# --- 7. one project at a time -----------------------------------------------------------


MONOREPO = {
    "package.json": json.dumps({"private": True}),
    "packages/db/tsconfig.json": "{}",
    "packages/db/src/users.ts": "export const users = 1;\n",
    "packages/db/src/index.ts": "import { users } from './user';\nexport const all = [users];\n",  # broken
    "apps/web/tsconfig.json": "{}",
    "apps/web/src/page.ts": "import { users } from '../../../packages/db/src/user';\nexport const p = users;\n",
}


def test_a_monorepo_folder_is_fixed_one_project_at_a_time(tmp_path):
    """The broken import in packages/db is fixed within packages/db; apps/web's broken
    import into packages/db is reported, never repointed into another project."""
    make(tmp_path, MONOREPO)
    before = (tmp_path / "apps/web/src/page.ts").read_text()
    result = schemafix("--apply", str(tmp_path))
    assert f"schemafix: project {tmp_path / 'packages/db'}" in result.stderr
    assert f"schemafix: project {tmp_path / 'apps/web'}" in result.stderr
    assert (tmp_path / "packages/db/src/index.ts").read_text().startswith("import { users } from './users';")
    assert (tmp_path / "apps/web/src/page.ts").read_text() == before
    assert result.exit_code == 1 and "src/page.ts:1:23: SF001 users is exported by no module" in result.stderr
    assert f"schemafix: project {tmp_path}\n" not in result.stderr  # the root holds no file of its own


def test_a_solution_style_tsconfig_follows_its_references(tmp_path):
    make(tmp_path, {
        "tsconfig.json": json.dumps({"files": [], "references": [{"path": "./tsconfig.app.json"},
                                                                 {"path": "./tsconfig.node.json"}]}),
        "tsconfig.app.json": json.dumps({"include": ["src"], "compilerOptions": {"paths": {"@/*": ["./src/*"]}}}),
        "tsconfig.node.json": json.dumps({"include": ["vite.config.ts"]}),
        "vite.config.ts": "export default {};\n",
        "src/db/users.ts": "export const users = 1;\n",
        "src/main.ts": "import { users } from '@/db/user';\nexport const m = users;\n",
    })
    result = schemafix("--check", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "SF001" in result.stderr and "no TypeScript files found" not in result.stderr
    alone = schemafix("--check", str(tmp_path / "src/main.ts"))
    assert alone.exit_code == 1 and "SF001" in alone.stderr, alone.output


def test_a_folder_without_tsconfig_warns_that_aliases_are_not_resolved(tmp_path):
    make(tmp_path, {"package.json": "{}", "a.ts": "export const a = 1;\n"})
    result = schemafix("--check", str(tmp_path))
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "no tsconfig.json" in line] == [
        f"schemafix: warning: {tmp_path}: no tsconfig.json; path aliases are not resolved"]
