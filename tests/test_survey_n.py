"""Findings of survey n (eight public repositories and refactors on copies of them,
judged by tsc, 2026-12-01), each reduced to a small project written for this file."""

from __future__ import annotations

from pathlib import Path

from codemod import tsconfig
from codemod.project import Project
from codemod.rules import Context, Settings, all_rules


def on_disk(root: Path, files: dict[str, str], select: str) -> list:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    sources = {rel: text.encode() for rel, text in files.items() if rel.endswith((".ts", ".tsx"))}
    project = Project.build(root, sources, tsconfig.load(root / "tsconfig.json"))
    ctx = Context(project, Settings(select=frozenset({select})))
    return [d for r in all_rules() if ctx.settings.enabled(r.code) for d in r.check(ctx)]


def test_a_hand_written_declaration_file_imported_by_its_own_name_is_not_build_output(tmp_path):
    """A mobile app kept each API client's types in `x.d.ts` beside `x.ts` and imported
    them as './x.d' (no `.js` anywhere): SF012 called all 24 build output, and
    `--unsafe` would delete them (tracked), breaking every import of the types."""
    files = {"tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}',
             "src/api/songs.d.ts": "export type SongT = { id: string };\n",
             "src/api/songs.ts": "import type { SongT } from './songs.d';\nexport const get = (): SongT[] => [];\n",
             "src/api/index.ts": "export * from './songs.d';\nexport { get } from './songs';\n",
             "src/ui/avatar.d.ts": "export type AvatarProps = { size: number };\n",
             "src/ui/avatar.tsx": "import type { AvatarProps } from '@/ui/avatar.d.ts';\nexport const A = (p: AvatarProps) => null;\n"}
    assert on_disk(tmp_path, files, "SF012") == []


def test_a_declaration_file_nothing_imports_by_name_is_still_build_output(tmp_path):
    files = {"tsconfig.json": "{}",
             "src/api/songs.d.ts": "export declare const get: () => string[];\n",
             "src/api/songs.ts": "export const get = (): string[] => [];\n",
             "src/api/index.ts": "export { get } from './songs';\n"}
    [d] = on_disk(tmp_path, files, "SF012")
    assert "songs.d.ts" in d.message


def test_a_name_the_imported_module_still_binds_unexported_is_not_repointed_safely():
    """A server's `lib/env.ts` stopped exporting `env` (now `createEnv`; it imports
    `env` from 'node:process' itself) while a declaration file still imported `env`
    from it: SF001 repointed the import to the client's `lib/env.ts`, the one module
    exporting an `env`, an unrelated value (tsc's error only changed). The module named
    still binds the name without exporting it: the import may mean that binding, so the
    move is an unsafe fix, not a safe one."""
    from support import run
    files = {"src/server/env.ts": "import { env } from 'node:process';\nexport function createEnv() { return env; }\n",
             "src/client/env.ts": "export const env = { MODE: 'x' };\n",
             "src/server/types.ts": "import type { env } from './env';\nexport type E = typeof env;\n"}
    outcome = run(files, select="SF001")
    assert outcome.final == outcome.original
    [d] = [d for d in outcome.remaining if d.code == "SF001"]
    assert d.fix is not None and d.fix.applicability.name == "UNSAFE", d
    files["src/server/env.ts"] = "const env = {};\nexport function createEnv() { return env; }\n"
    outcome = run(files, select="SF001")
    assert outcome.final == outcome.original
    assert run(files, select="SF001", unsafe=True).final["src/server/types.ts"].startswith(b"import type { env } from '../client/env';")


def test_a_name_moved_out_of_a_module_that_imports_it_back_is_still_repointed_safely():
    from support import fixed
    files = {"src/schema/users.ts": "import { posts } from './posts';\nexport const users = 1;\nexport const all = [users, posts];\n",
             "src/schema/posts.ts": "export const posts = 2;\n",
             "src/app.ts": "import { users, posts } from './schema/users';\nconsole.log(users, posts);\n"}
    out = fixed(files)
    assert "import { posts } from './schema/posts';" in out["src/app.ts"], out["src/app.ts"]


def test_a_node_builtin_under_a_catch_all_paths_pattern_is_a_package():
    """An Electron app's tsconfig maps `"*": ["./*"]`: tsc tries `./node:fs`, finds no
    file and falls back to node's built-ins, as for any package. SF001 said every
    `import fs from 'node:fs'` does not resolve (706 reports on a healthy project)."""
    from codemod.tsconfig import TsConfig
    from support import diagnostics
    files = {"src/a.ts": "export const a = 1;\n",
             "src/b.ts": ("import fs from 'node:fs';\nimport { test } from 'bun:test';\n"
                          "import { env } from 'cloudflare:workers';\nimport { a } from '@/a';\n"
                          "export const x = [fs, test, env, a];\n")}
    config = TsConfig(paths=(("*", ("/project/*",)), ("@/*", ("/project/src/*",))))
    assert [d for d in diagnostics(files, config=config) if d.code == "SF001"] == []
    # an alias that finds no file is still broken
    files["src/b.ts"] = "import { a } from '@/gone';\nexport const x = a;\n"
    [d] = [d for d in diagnostics(files, config=config) if d.code == "SF001"]
    assert d.fix is not None


def test_a_file_in_two_referenced_programs_is_checked_in_the_first_one_only(tmp_path, monkeypatch):
    """A Vite/Electron app's solution tsconfig references tsconfig.app.json (with `@/*`)
    and tsconfig.node.json (without it), and both include `src`: schemafix checked `src`
    in both programs and, in the second, rewrote 4,158 `@/…` imports of a healthy app
    that type-checks with the first. As in an editor (tsserver), a file belongs to the
    first referenced project whose program holds it."""
    from click.testing import CliRunner

    from codemod import cli
    from support import write_tree
    write_tree(tmp_path, {
        "tsconfig.json": '{"files": [], "references": [{"path": "./tsconfig.app.json"}, {"path": "./tsconfig.node.json"}]}',
        "tsconfig.app.json": '{"compilerOptions": {"paths": {"*": ["./*"], "@/*": ["./src/*"]}}, "include": ["src"]}',
        "tsconfig.node.json": '{"compilerOptions": {"paths": {"*": ["./*"]}}, "include": ["src", "vite.config.ts"]}',
        "src/a.ts": "export const a = 1;\n",
        "src/b.ts": "import { a } from '@/a';\nexport const b = a;\n",
        "vite.config.ts": "import { gone } from './src/gone';\nexport default gone;\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["--check", "--no-cache", "src"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # a file only the second program holds is still checked there
    result = CliRunner().invoke(cli.main, ["--check", "--no-cache", "."], catch_exceptions=False)
    assert "vite.config.ts:1" in result.output and "src/b.ts" not in result.output, result.output


def test_a_staged_rename_is_followed_through_a_tsconfig_alias_too(tmp_path):
    """`git mv lib/db/schema.ts lib/db/tables.ts` in a Next app: the relative imports
    followed git's rename, but an `@/lib/db/schema` import of a type that another module
    defines too (`Message`) was left as an unsafe fix. Git's rename is the same evidence
    whichever way the specifier names the file."""
    from click.testing import CliRunner

    from codemod import cli
    from support import git, git_repo
    table = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"
    root = git_repo(tmp_path, {
        "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./*"]}}}',
        "lib/db/schema.ts": table.format("messages") + "export type Message = { id: number };\n",
        "lib/ai/types.ts": "export type Message = { role: string };\n",
        "lib/chat.ts": "import type { Message } from '@/lib/db/schema';\nexport const m: Message[] = [];\n"})
    git("mv", "lib/db/schema.ts", "lib/db/tables.ts", cwd=root)
    dry = CliRunner().invoke(cli.main, ["--no-cache", str(root)], catch_exceptions=False)
    assert "git saw the file renamed to lib/db/tables.ts" in dry.stderr, dry.stderr
    CliRunner().invoke(cli.main, ["--apply", "--no-cache", str(root)], catch_exceptions=False)
    assert (root / "lib/chat.ts").read_text().startswith("import type { Message } from '@/lib/db/tables';\n")
