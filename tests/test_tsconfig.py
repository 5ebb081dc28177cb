"""tsconfig.json as TypeScript reads it: JSONC, extends chains, paths, baseUrl, include."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cli, discovery
from codemod.tsconfig import ConfigError, load
from support import write_tree as make


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paths_of(config) -> dict:
    return {pattern: [Path(t) for t in targets] for pattern, targets in config.paths}


def test_jsonc_comments_and_trailing_commas(tmp_path):
    cfg = write(tmp_path, "tsconfig.json", """\ufeff{
      // line comment
      /* block comment */
      "compilerOptions": {
        "baseUrl": ".", // after a value
        "paths": { "@db/*": ["./schema/*",], },  /* "//" inside strings must survive: */
        "moduleResolution": "bundler",
      },
      "include": ["schema/**/*.ts", "http://not-a-comment/**",],
    }""")
    config = load(cfg)
    assert config.base_url == tmp_path.resolve()
    assert paths_of(config) == {"@db/*": [tmp_path.resolve() / "schema/*"]}
    assert config.include == (str(tmp_path.resolve() / "schema/**/*.ts"),
                              str(tmp_path.resolve() / "http:/not-a-comment/**"))


@pytest.mark.parametrize("spec", ["./base.json", "./base", "configs/../base.json"], ids=["with-json", "without-json", "dotted"])
def test_extends_relative(tmp_path, spec):
    write(tmp_path, "base.json", '{"compilerOptions": {"moduleResolution": "node16", "baseUrl": "src"}}')
    if not spec.startswith("."):
        spec = "./" + spec
        (tmp_path / "configs").mkdir()
    cfg = write(tmp_path, "tsconfig.json", json.dumps({"extends": spec}))
    config = load(cfg)
    assert config.base_url == tmp_path.resolve() / "src"  # relative to the config that says it


def test_child_overrides_parent(tmp_path):
    write(tmp_path, "base.json", '{"compilerOptions": {"baseUrl": "src", "paths": {"a/*": ["x/*"]}}}')
    cfg = write(tmp_path, "tsconfig.json",
                '{"extends": "./base.json", "compilerOptions": {"paths": {"b/*": ["y/*"]}}}')
    config = load(cfg)
    assert config.base_url == tmp_path.resolve() / "src"  # inherited
    assert list(paths_of(config)) == ["b/*"]  # paths replaced, not merged


@pytest.mark.parametrize("layout", ["package-json-file", "package-tsconfig-json", "scoped-file"])
def test_extends_package_from_node_modules(tmp_path, layout):
    spec = {"package-json-file": "@tsconfig/strictest/tsconfig.json",
            "package-tsconfig-json": "my-config",
            "scoped-file": "@org/cfg/base"}[layout]
    target = {"package-json-file": "node_modules/@tsconfig/strictest/tsconfig.json",
              "package-tsconfig-json": "node_modules/my-config/tsconfig.json",
              "scoped-file": "node_modules/@org/cfg/base.json"}[layout]
    write(tmp_path, target, '{"compilerOptions": {"baseUrl": "."}}')
    cfg = write(tmp_path, "app/tsconfig.json", json.dumps({"extends": spec}))  # node_modules found walking up
    assert load(cfg).base_url == (tmp_path / target).parent.resolve()


def test_array_extends_later_wins(tmp_path):
    write(tmp_path, "a.json", '{"compilerOptions": {"paths": {"a/*": ["x/*"]}, "baseUrl": "a"}}')
    write(tmp_path, "b.json", '{"compilerOptions": {"paths": {"b/*": ["y/*"]}}}')
    cfg = write(tmp_path, "tsconfig.json", '{"extends": ["./a.json", "./b.json"]}')
    config = load(cfg)
    assert list(paths_of(config)) == ["b/*"]  # b is later
    assert config.base_url == tmp_path.resolve() / "a"  # only a sets it


def test_paths_relative_to_base_url(tmp_path):
    write(tmp_path, "configs/base.json", '{"compilerOptions": {"paths": {"@/*": ["./lib/*"]}}}')
    cfg = write(tmp_path, "tsconfig.json",
                '{"extends": "./configs/base.json", "compilerOptions": {"baseUrl": "./src"}}')
    # With a baseUrl anywhere in the chain, paths are relative to it.
    assert paths_of(load(cfg)) == {"@/*": [tmp_path.resolve() / "src/lib/*"]}


def test_paths_relative_to_defining_config_without_base_url(tmp_path):
    write(tmp_path, "configs/base.json", '{"compilerOptions": {"paths": {"@/*": ["./lib/*"]}}}')
    cfg = write(tmp_path, "tsconfig.json", '{"extends": "./configs/base.json"}')
    assert paths_of(load(cfg)) == {"@/*": [tmp_path.resolve() / "configs/lib/*"]}


def test_paths_string_target_accepted(tmp_path):
    cfg = write(tmp_path, "tsconfig.json", '{"compilerOptions": {"paths": {"x": "./x.ts"}}}')
    assert paths_of(load(cfg)) == {"x": [tmp_path.resolve() / "x.ts"]}


def test_include_exclude_files(tmp_path):
    cfg = write(tmp_path, "tsconfig.json",
                '{"include": ["src/**/*"], "exclude": ["src/gen"], "files": ["main.ts"]}')
    config = load(cfg)
    root = tmp_path.resolve()
    assert config.include == (str(root / "src/**/*"),)
    assert config.exclude == (str(root / "src/gen"),)
    assert config.files == (str(root / "main.ts"),)


def test_include_inherited_relative_to_parent(tmp_path):
    write(tmp_path, "configs/base.json", '{"include": ["../src"], "exclude": ["gen"]}')
    cfg = write(tmp_path, "tsconfig.json", '{"extends": "./configs/base.json", "exclude": ["out"]}')
    config = load(cfg)
    root = tmp_path.resolve()
    assert config.include == (str(root / "src"),)
    assert config.exclude == (str(root / "out"),)  # the child's own wins


def test_no_include_means_none(tmp_path):
    cfg = write(tmp_path, "tsconfig.json", "{}")
    config = load(cfg)
    assert (config.include, config.exclude, config.files, config.base_url, config.paths) == (None, None, None, None, ())



# --- ${configDir} (TypeScript 5.5+) ------------------------------------------------------
# tsc replaces a leading ``${configDir}`` with the folder of the tsconfig it compiles (the
# leaf of the extends chain), wherever in the chain the setting is written; checked against
# tsc 5.9 (`tsc --showConfig`, `--listFilesOnly`).


def test_config_dir_in_a_base_names_the_folder_of_the_config_compiled(tmp_path):
    write(tmp_path, "base/tsconfig.json", json.dumps({
        "compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]},
                            "rootDirs": ["${configDir}/src", "${configDir}/gen"]},
        "include": ["${configDir}/src/**/*.ts"], "exclude": ["${configDir}/src/legacy"],
        "files": ["${configDir}/main.ts"]}))
    cfg = write(tmp_path, "pkg/tsconfig.json", '{"extends": "../base/tsconfig.json"}')
    config = load(cfg)
    pkg = tmp_path.resolve() / "pkg"
    assert paths_of(config) == {"@/*": [pkg / "src/*"]}
    assert config.root_dirs == (str(pkg / "src"), str(pkg / "gen"))
    assert (config.include, config.exclude, config.files) == (
        (str(pkg / "src/**/*.ts"),), (str(pkg / "src/legacy"),), (str(pkg / "main.ts"),))


def test_config_dir_base_url_and_the_paths_relative_to_it(tmp_path):
    write(tmp_path, "base/tsconfig.json",
          '{"compilerOptions": {"baseUrl": "${configDir}/src", "paths": {"@/*": ["./*"]}}}')
    config = load(write(tmp_path, "pkg/tsconfig.json", '{"extends": "../base/tsconfig.json"}'))
    pkg = tmp_path.resolve() / "pkg"
    assert config.base_url == pkg / "src"
    assert paths_of(config) == {"@/*": [pkg / "src/*"]}


@pytest.mark.parametrize("written, named", [
    ("${configDir}", "pkg"),
    ("${configDir}/src", "pkg/src"),
    ("${configDir}src", "pkg/src"),  # the template becomes "./"
    ("${CONFIGDIR}/src", "pkg/${CONFIGDIR}/src"),  # tsc: starts with it (any case), replaces only the exact one
    ("x/${configDir}/src", "base/x/${configDir}/src"),  # not at the start: plain text, from the base
], ids=["alone", "folder", "no-slash", "other-case", "not-leading"])
def test_config_dir_as_tsc_reads_it(tmp_path, written, named):
    write(tmp_path, "base/tsconfig.json", json.dumps({"include": [written]}))
    config = load(write(tmp_path, "pkg/tsconfig.json", '{"extends": "../base/tsconfig.json"}'))
    assert config.include == (str(tmp_path.resolve() / named),)


def test_config_dir_in_the_compiled_config_itself(tmp_path):
    cfg = write(tmp_path, "pkg/tsconfig.json", json.dumps({
        "include": ["${configDir}/src"], "compilerOptions": {"paths": {"@/*": ["${configDir}/src/*"]}}}))
    config = load(cfg)
    pkg = tmp_path.resolve() / "pkg"
    assert config.include == (str(pkg / "src"),)
    assert paths_of(config) == {"@/*": [pkg / "src/*"]}


def test_config_dir_is_the_compiled_config_even_two_bases_up(tmp_path):
    write(tmp_path, "shared/root.json", '{"include": ["${configDir}/lib"]}')
    write(tmp_path, "shared/node.json", '{"extends": "./root.json"}')
    config = load(write(tmp_path, "apps/api/tsconfig.json", '{"extends": "../../shared/node.json"}'))
    assert config.include == (str(tmp_path.resolve() / "apps/api/lib"),)


@pytest.mark.parametrize("text", [
    pytest.param('{"compilerOptions": {', id="truncated"),
    pytest.param('{"a": 1 "b": 2}', id="missing-comma"),
    pytest.param("[1, 2]", id="not-an-object"),
    pytest.param('{"compilerOptions": 3}', id="compilerOptions-not-object"),
    pytest.param('{"compilerOptions": {"paths": ["x"]}}', id="paths-not-object"),
    pytest.param('{"compilerOptions": {"paths": {"x": [1]}}}', id="paths-target-not-string"),
    pytest.param('{"include": "src"}', id="include-not-list"),
])
def test_malformed_is_config_error(tmp_path, text):
    cfg = write(tmp_path, "tsconfig.json", text)
    with pytest.raises(ConfigError) as info:
        load(cfg)
    assert "\n" not in str(info.value)
    assert "tsconfig.json" in str(info.value)


def test_non_utf8_is_config_error(tmp_path):
    cfg = tmp_path / "tsconfig.json"
    cfg.write_bytes(b'{"x": "\xff"}')
    with pytest.raises(ConfigError):
        load(cfg)


@pytest.mark.parametrize("spec", ["./nope.json", "./nope", "no-such-package", "./.svelte-kit/tsconfig.json"])
def test_missing_extends_is_a_warning_and_leaves_the_config_incomplete(tmp_path, spec):
    cfg = write(tmp_path, "tsconfig.json", json.dumps({"extends": spec, "compilerOptions": {"paths": {"a/*": ["x/*"]}}}))
    loaded = load(cfg)
    assert loaded.incomplete and loaded.paths == (("a/*", (str(tmp_path / "x/*"),)),)
    assert len(loaded.warnings) == 1 and repr(spec) in loaded.warnings[0] and "\n" not in loaded.warnings[0]
    assert not load(write(tmp_path, "ok.json", "{}")).incomplete


def test_extends_a_workspace_package(tmp_path):
    """`@acme/tsconfig/base.json` where tooling/typescript is the workspace package
    `@acme/tsconfig` (not linked into node_modules: the install has not run)."""
    write(tmp_path, "tooling/typescript/base.json", '{"compilerOptions": {"paths": {"~/*": ["./src/*"]}}}')
    write(tmp_path, "tooling/typescript/tsconfig.json", '{"compilerOptions": {"baseUrl": "."}}')
    cfg = write(tmp_path, "apps/web/tsconfig.json", '{"extends": "@acme/tsconfig/base.json"}')
    packages = {"@acme/tsconfig": tmp_path / "tooling/typescript"}
    loaded = load(cfg, packages)
    assert not loaded.incomplete and loaded.paths[0][0] == "~/*"
    assert load(write(tmp_path, "apps/api/tsconfig.json", '{"extends": "@acme/tsconfig"}'), packages).base_url \
        == tmp_path / "tooling/typescript"
    assert load(cfg).incomplete  # without the workspace: not found


def test_self_extends_cycle(tmp_path):
    cfg = write(tmp_path, "tsconfig.json", '{"extends": "./tsconfig.json"}')
    with pytest.raises(ConfigError, match="cycle") as info:
        load(cfg)
    assert "\n" not in str(info.value)


def test_two_file_cycle(tmp_path):
    write(tmp_path, "a.json", '{"extends": "./tsconfig.json"}')
    cfg = write(tmp_path, "tsconfig.json", '{"extends": "./a.json"}')
    with pytest.raises(ConfigError, match="cycle") as info:
        load(cfg)
    assert "\n" not in str(info.value)


def test_diamond_is_not_a_cycle(tmp_path):
    write(tmp_path, "common.json", '{"compilerOptions": {"baseUrl": "."}}')
    write(tmp_path, "a.json", '{"extends": "./common.json"}')
    write(tmp_path, "b.json", '{"extends": "./common.json"}')
    cfg = write(tmp_path, "tsconfig.json", '{"extends": ["./a.json", "./b.json"]}')
    assert load(cfg).base_url == tmp_path.resolve()



# --- symlinks: the path tsc names a config by ---------------------------------------------
# tsc resolves a relative `extends` and the config it compiles lexically (a symlink on the
# way is not followed), and a package `extends` found in node_modules to its real path, as
# it resolves any package; checked against tsc 5.9 (`--showConfig`, `--listFilesOnly`).


def linked_toolchain(tmp_path: Path, extends: str) -> Path:
    """pnpm's layout: pkg/node_modules/@t/tsconfig links to toolchain/tsconfig, whose
    base.json names the package's sources from where the link puts it."""
    write(tmp_path, "toolchain/tsconfig/package.json", '{"name": "@t/tsconfig"}')
    write(tmp_path, "toolchain/tsconfig/base.json", json.dumps({
        "extends": "./strict.json", "include": ["../../../src/**/*.ts"],
        "compilerOptions": {"rootDirs": ["../../../src", "../../../gen"]}}))
    write(tmp_path, "toolchain/tsconfig/strict.json",
          '{"compilerOptions": {"baseUrl": "../../..", "paths": {"@/*": ["src/*"]}}}')
    (tmp_path / "pkg/node_modules/@t").mkdir(parents=True)
    (tmp_path / "pkg/node_modules/@t/tsconfig").symlink_to("../../../toolchain/tsconfig", target_is_directory=True)
    return write(tmp_path, "pkg/tsconfig.json", json.dumps({"extends": extends}))


def test_a_relative_extends_through_a_symlink_is_read_from_the_link(tmp_path):
    """Seen (pnpm): `extends: "./node_modules/@t/tsconfig/base.json"`, a link; its
    `../../../src` is pkg/src for tsc, and was the toolchain's neighbour for schemafix."""
    config = load(linked_toolchain(tmp_path, "./node_modules/@t/tsconfig/base.json"))
    pkg = tmp_path.resolve() / "pkg"
    assert config.include == (str(pkg / "src/**/*.ts"),)
    assert config.root_dirs == (str(pkg / "src"), str(pkg / "gen"))
    assert config.base_url == pkg  # strict.json, extended from the link's folder
    assert paths_of(config) == {"@/*": [pkg / "src/*"]}


def test_a_package_extends_through_a_symlink_is_read_from_its_real_place(tmp_path):
    config = load(linked_toolchain(tmp_path, "@t/tsconfig/base.json"))
    assert config.include == (str(tmp_path.resolve().parent / "src/**/*.ts"),)  # tsc: TS18003, no inputs
    assert config.base_url == tmp_path.resolve().parent


def test_a_tsconfig_that_is_a_symlink_is_read_from_the_link(tmp_path):
    write(tmp_path, "shared/tsconfig.json", '{"include": ["src"], "compilerOptions": {"baseUrl": "src"}}')
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/tsconfig.json").symlink_to("../shared/tsconfig.json")
    config = load(tmp_path / "pkg/tsconfig.json")
    pkg = tmp_path.resolve() / "pkg"
    assert (config.path, config.include, config.base_url) == (pkg / "tsconfig.json", (str(pkg / "src"),), pkg / "src")


def test_an_extends_symlink_loop_is_a_cycle(tmp_path):
    """cfg/link -> cfg: base.json extends ./link/base.json, itself (tsc follows the link
    until the system refuses, ELOOP); one line, no traceback."""
    write(tmp_path, "cfg/base.json", '{"extends": "./link/base.json"}')
    (tmp_path / "cfg/link").symlink_to(".", target_is_directory=True)
    cfg = write(tmp_path, "tsconfig.json", '{"extends": "./cfg/base.json"}')
    with pytest.raises(ConfigError, match="cycle") as info:
        load(cfg)
    assert "\n" not in str(info.value) and "link/base.json" in str(info.value)


@pytest.mark.parametrize("target", ["base.json", "nowhere.json"], ids=["itself", "missing"])
def test_an_extends_symlink_to_nothing_is_a_warning(tmp_path, target):
    (tmp_path / "base.json").symlink_to(target)
    config = load(write(tmp_path, "tsconfig.json", '{"extends": "./base.json"}'))
    assert config.incomplete and len(config.warnings) == 1
    assert "\n" not in config.warnings[0] and "'./base.json', a symlink to nothing" in config.warnings[0]


def test_missing_tsconfig(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "tsconfig.json")


def test_null_base_url_unsets_the_inherited_one(tmp_path):
    (tmp_path / "base.json").write_text('{"compilerOptions": {"baseUrl": "src"}}')
    (tmp_path / "tsconfig.json").write_text('{"extends": "./base.json", "compilerOptions": {"baseUrl": null}}')
    assert load(tmp_path / "tsconfig.json").base_url is None


def test_non_string_base_url_is_a_config_error(tmp_path):
    (tmp_path / "tsconfig.json").write_text('{"compilerOptions": {"baseUrl": 3}}')
    with pytest.raises(ConfigError, match="baseUrl must be a string"):
        load(tmp_path / "tsconfig.json")


@pytest.mark.parametrize(("config", "inside", "outside"), [
    ({"include": ["src"]}, ["src/a.ts", "src/x/b.ts"], ["drizzle/relations.ts", "srcx/a.ts"]),
    ({"include": ["src/*.ts"]}, ["src/a.ts"], ["src/x/b.ts"]),
    ({"include": ["**/*.ts"], "exclude": ["drizzle"]}, ["a.ts", "src/b.ts"], ["drizzle/meta.ts"]),
    ({"exclude": ["legacy/**/*"]}, ["a.ts"], ["legacy/old.ts"]),
    ({"files": ["main.ts"]}, ["main.ts"], ["other.ts"]),
    ({}, ["anything/at/all.ts"], []),
], ids=["folder", "one-level-glob", "include-minus-exclude", "exclude-only", "files", "default"])
def test_in_program_follows_files_include_exclude(tmp_path, config, inside, outside):
    from codemod.tsconfig import in_program

    (tmp_path / "tsconfig.json").write_text(json.dumps(config))
    check = in_program(load(tmp_path / "tsconfig.json"), tmp_path)
    assert all(check(p) for p in inside) and not any(check(p) for p in outside)


def test_in_program_asks_one_pattern_as_it_asked_each_glob(tmp_path):
    """Several include and exclude globs are matched as one pattern each: on random globs
    and paths, the answer is the one matching each glob on its own gives."""
    import random

    from codemod.tsconfig import _glob_regex, in_program

    rng = random.Random(14)
    seen = {True: 0, False: 0}
    segments = ["src", "db", "schema", "*", "**", "*.ts", "a?.ts", "x.ts", "legacy", "gen-*"]
    names = ["src", "db", "schema", "legacy", "gen-a", "a1.ts", "x.ts", "b.ts", "ab.ts"]
    for round_ in range(300):
        include = ["/".join(rng.choice(segments) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
        exclude = ["/".join(rng.choice(segments) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 2))]
        (tmp_path / "tsconfig.json").write_text(json.dumps({"include": include, "exclude": exclude}))
        check = in_program(load(tmp_path / "tsconfig.json"), tmp_path)
        inc = [_glob_regex(g) for g in include]
        exc = [_glob_regex(g) for g in exclude]
        for _ in range(20):
            path = "/".join(rng.choice(names) for _ in range(rng.randint(1, 4)))
            expected = any(r.fullmatch(path) for r in inc) and not any(r.fullmatch(path) for r in exc)
            assert check(path) == expected, (include, exclude, path)
            seen[expected] += 1
    assert min(seen.values()) > 500


# --- the runs tsc makes of such configs --------------------------------------------------


def schemafix(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


TABLE = ("import { pgTable, text } from 'drizzle-orm/pg-core';\n"
         "export const users = pgTable('users', { id: text('id') });\n")


@pytest.mark.parametrize("base_include, own_include",
                         [(["${configDir}/src/**/*.ts"], None), (None, ["${configDir}/src"])],
                         ids=["in-the-base", "in-the-package"])
def test_a_config_dir_include_reads_the_package(tmp_path, base_include, own_include):
    """Seen: a shared base with `include: ["${configDir}/src/**/*.ts"]` left every file
    out of the program (exit 2, "none of them in the program"); tsc lists them."""
    base = {"compilerOptions": {"module": "NodeNext", "moduleResolution": "NodeNext"}}
    own = {"extends": "../base/tsconfig.json"}
    for config, include in ((base, base_include), (own, own_include)):
        if include is not None:
            config["include"] = include
    make(tmp_path, {"base/tsconfig.json": json.dumps(base), "pkg/tsconfig.json": json.dumps(own),
                    "pkg/package.json": '{"name": "pkg", "type": "module"}',
                    "pkg/src/schema/users.ts": TABLE, "pkg/src/schema/index.ts": 'export * from "./users.js";\n',
                    "pkg/src/db.ts": "import { users } from './schema/user.js';\nexport const u = users;\n"})
    result = schemafix("--check", str(tmp_path / "pkg/src"))
    assert result.exit_code == 1, result.output
    assert "src/db.ts:1:23: SF001" in result.stderr and "none of them in the program" not in result.stderr


def test_a_config_dir_alias_is_checked(tmp_path):
    """Seen: `paths: {"@/*": ["${configDir}/src/*"]}` in the base; a broken
    `import { users } from '@/schema/user'` went unreported (tsc: TS2307)."""
    make(tmp_path, {
        "base/tsconfig.json": json.dumps({"compilerOptions": {"module": "esnext", "moduleResolution": "bundler",
                                                              "paths": {"@/*": ["${configDir}/src/*"]}}}),
        "pkg/tsconfig.json": '{"extends": "../base/tsconfig.json", "include": ["src"]}',
        "pkg/package.json": '{"name": "pkg"}',
        "pkg/src/schema/users.ts": TABLE,
        "pkg/src/db.ts": "import { users } from '@/schema/user';\nexport const u = users;\n",
    })
    result = schemafix(str(tmp_path / "pkg"))
    assert result.exit_code == 1, result.output
    assert "src/db.ts:1:23: SF001" in result.stderr
    assert "+import { users } from '@/schema/users';" in result.stdout



def test_a_base_linked_by_pnpm_reads_the_package(tmp_path):
    """Seen: exit 2, "none of them in the program"; tsc lists pkg/src/*."""
    linked_toolchain(tmp_path, "./node_modules/@t/tsconfig/base.json")
    make(tmp_path, {"pkg/package.json": '{"name": "pkg", "type": "module"}', "pkg/src/users.ts": TABLE,
                    "pkg/src/index.ts": "import { users } from './user.js';\nexport const all = [users];\n",
                    "pkg/gen/env.d.ts": "export {};\n"})  # the rootDirs' generated folder
    result = schemafix("--check", str(tmp_path / "pkg"))
    assert result.exit_code == 1, result.output
    assert "src/index.ts:1:23: SF001" in result.stderr and "none of them in the program" not in result.stderr


def _tsc_program(project: Path) -> set[str]:
    """The files ``tsc --listFilesOnly -p project`` lists, relative to ``project``
    (TypeScript's own lib files left out)."""
    import subprocess

    from support import node_modules

    tsc = node_modules() / ".bin" / "tsc"
    out = subprocess.run([str(tsc), "--listFilesOnly", "-p", str(project)], capture_output=True, text=True,
                         timeout=300).stdout
    return {Path(os.path.relpath(line, project)).as_posix() for line in out.splitlines()
            if line.endswith(".ts") and "/node_modules/typescript/" not in line}


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["config-dir-in-base", "config-dir-own", "relative-link", "package-link",
                                    "linked-tsconfig"])
def test_the_program_is_the_one_tsc_lists(tmp_path, layout):
    """The files schemafix reads are the ones tsc compiles, for each layout above."""
    files = {"pkg/src/a.ts": "export const a = 1;\n", "pkg/src/deep/b.ts": "export const b = 1;\n",
             "pkg/other/c.ts": "export const c = 1;\n", "base/src/d.ts": "export const d = 1;\n"}
    if layout.startswith("config-dir"):
        include = {"include": ["${configDir}/src/**/*.ts"]}
        files["base/tsconfig.json"] = json.dumps(include if layout == "config-dir-in-base" else {})
        files["pkg/tsconfig.json"] = json.dumps({"extends": "../base/tsconfig.json",
                                                 **(include if layout == "config-dir-own" else {})})
    elif layout.endswith("-link"):
        linked_toolchain(tmp_path, "./node_modules/@t/tsconfig/base.json" if layout == "relative-link"
                         else "@t/tsconfig/base.json")
    else:
        files["shared/tsconfig.json"] = '{"include": ["src"]}'
        (tmp_path / "pkg").mkdir()
        (tmp_path / "pkg/tsconfig.json").symlink_to("../shared/tsconfig.json")
    make(tmp_path, files)
    pkg = tmp_path / "pkg"
    read = {Path(os.path.relpath(pkg.resolve() / rel, pkg)).as_posix()
            for rel in discovery.load([pkg], root=pkg).sources}
    expected = set() if layout == "package-link" else {"src/a.ts", "src/deep/b.ts"}  # package: tsc TS18003
    assert read == _tsc_program(pkg) == expected
