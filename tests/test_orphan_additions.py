"""SF011's re-export fixes: which orphan modules get one, and how many previews it costs."""

from __future__ import annotations

import posixpath
import random
from pathlib import Path

import pytest

from codemod.project import Project
from codemod.rules import Context, Settings
from rewriters import _barrel_additions, orphan_module
from rewriters._barrel_additions import reexport_modules

from support import check_fix, diagnostics, encode, record_calls


def table(name: str, var: str | None = None) -> str:
    return ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
            f"export const {var or name} = pgTable('{name}', {{ id: serial('id') }});\n")


def relations(name: str, table_module: str = "users", table_name: str = "users") -> str:
    return ("import { relations } from 'drizzle-orm';\n"
            f"import {{ {table_name} }} from './{table_module}';\n"
            f"export const {name} = relations({table_name}, () => ({{}}));\n")


BARREL = "export * from './user/users';\n"


def fixes_of(found) -> dict[str, tuple[str, tuple] | None]:
    return {d.path: (d.fix.title, tuple((e.path, e.start, e.content) for e in d.fix.edits)) if d.fix else None
            for d in found if d.code == "SF011"}


def test_orphans_colliding_together_get_one_fix_each():
    """a and b bring `posts` from two modules: each alone is fine, together they are not,
    so each gets its own fix; d collides with the barrel's `users` and gets none."""
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "schema/user/a.ts": table("posts"), "schema/user/b.ts": table("posts"),
             "schema/user/c.ts": table("comments"), "schema/user/d.ts": table("users")}
    found = fixes_of(diagnostics(files, select="SF011"))
    end = len(BARREL)
    assert found == {
        "schema/user/a.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/a';\n"),)),
        "schema/user/b.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/b';\n"),)),
        "schema/user/c.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/c';\n"),)),
        "schema/user/d.ts": None,
    }


def test_a_collision_in_the_barrel_above_keeps_the_module_out():
    """The module goes to the domain barrel, where it collides with nothing, but the schema
    barrel above re-exports both the domain barrel and another `tags`."""
    files = {"schema/index.ts": "export * from './user';\nexport * from './tags';\n",
             "schema/tags.ts": table("tags"),
             "schema/user/index.ts": BARREL.replace("./user/", "./"), "schema/user/users.ts": table("users"),
             "schema/user/labels.ts": table("labels", "tags"), "schema/user/posts.ts": table("posts"),
             "schema/user/posts-relations.ts": relations("postsRelations")}
    found = fixes_of(diagnostics(files, select="SF011", barrel=["schema/index.ts", "schema/user/index.ts"]))
    assert found["schema/user/labels.ts"] is None
    assert found["schema/user/posts.ts"] == found["schema/user/posts-relations.ts"]
    assert found["schema/user/posts.ts"][0] == "Re-export 2 modules from index.ts"


def test_many_orphans_without_collision_cost_one_preview(monkeypatch):
    names = [f"t{i}" for i in range(15)]
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             **{f"schema/user/{n}.ts": table(n) for n in names},
             **{f"schema/user/{n}-relations.ts": relations(f"{n}Relations") for n in names}}
    calls = record_calls(monkeypatch, Context, "preview")
    project = Project.build(Path("/project"), encode(files))
    found = list(orphan_module.check(Context(project, Settings(select=frozenset({"SF011"})))))
    assert len(calls) == 1
    assert len(found) == 30 and len({d.fix for d in found}) == 1
    tables = "".join(f"export * from './user/{n}';\n" for n in sorted(names))
    rels = "".join(f"export * from './user/{n}-relations';\n" for n in sorted(names))
    monkeypatch.undo()
    check_fix(files, {"schema/index.ts": BARREL + tables + rels}, select="SF011", unsafe=True)


# --- the shortcut past the preview gives the preview's answers ---------------------------

_NAMES = ["users", "posts", "tags", "Post", "usersRelations", "extra"]
_MODULES = [f"schema/m{i}.ts" for i in range(5)] + [f"schema/d/n{i}.ts" for i in range(4)]
_BARRELS = ["schema/index.ts", "schema/d/index.ts"]


def _spec(importer: str, target: str) -> str:
    rel = posixpath.relpath(target, posixpath.dirname(importer))
    rel = rel if rel.startswith(".") else "./" + rel
    return rel[:-3] if rel.endswith(".ts") else rel


def _random_project(rng: random.Random) -> dict[str, str]:
    files: dict[str, list[str]] = {p: [] for p in _MODULES + _BARRELS}
    for path in _MODULES:
        for _ in range(rng.randint(0, 3)):
            other = rng.choice([m for m in _MODULES + _BARRELS if m != path])
            name, alias = rng.choice(_NAMES), rng.choice(_NAMES)
            files[path].append(rng.choice([
                f"export const {name} = 1;",
                f"export type {name} = {{ a: 1 }};",
                f"export * from '{_spec(path, other)}';",
                f"export type * from '{_spec(path, other)}';",
                f"export {{ {name} }} from '{_spec(path, other)}';",
                f"export {{ {name} as {alias} }} from '{_spec(path, other)}';",
                f"export {{ type {name} }} from '{_spec(path, other)}';",
                f"import {{ {name} }} from '{_spec(path, other)}';\nexport {{ {name} }};",
                f"import {{ {name} as local_{name} }} from '{_spec(path, other)}';\nexport {{ local_{name} as {alias} }};",
                f"import {{ {name} }} from '{_spec(path, other)}';\nexport const x_{name} = {name};",
                "export * from 'drizzle-orm';",
                f"export * as {name} from '{_spec(path, other)}';",
            ]))
        if not files[path]:
            files[path].append(f"export const {rng.choice(_NAMES)} = 1;")
    for barrel in _BARRELS:
        folder_modules = [m for m in _MODULES + _BARRELS if m != barrel and m.startswith(barrel[:-len("index.ts")])]
        for target in rng.sample(folder_modules, rng.randint(1, 4)):
            files[barrel].append(rng.choice([f"export * from '{_spec(barrel, target)}';"] * 3 + [
                f"export type * from '{_spec(barrel, target)}';",
                f"export {{ {rng.choice(_NAMES)} }} from '{_spec(barrel, target)}';"]))
    return {p: "\n".join(lines) + "\n" for p, lines in files.items()}


def _compare(files: dict[str, str], shortcuts: list[int]) -> None:
    project = Project.build(Path("/project"), encode(files))
    ctx = Context(project, Settings(select=frozenset({"SF011"})))
    for barrel in _BARRELS:
        modules = sorted(m for m in _MODULES if m != barrel)
        fast = reexport_modules(ctx, barrel, modules)
        exact = reexport_modules(ctx, barrel, modules, preview_all=True)
        assert fast == exact, (barrel, files)
        shortcut = _barrel_additions._Shortcut(project, barrel)
        for m in modules:
            if shortcut.cannot_collide(m):
                shortcuts[0] += 1
                assert exact[m] is not None, (barrel, m, files)


CASES = {
    "barrel above a barrel, collision only above": {
        "schema/index.ts": "export * from './d';\nexport * from './m0';\n",
        "schema/m0.ts": "export const tags = 1;\n", "schema/m1.ts": "export const tags = 2;\n",
        "schema/d/index.ts": "export * from './n0';\n", "schema/d/n0.ts": "export const users = 1;\n",
        "schema/d/n1.ts": "export const tags = 3;\n", "schema/d/n2.ts": "export const posts = 3;\n"},
    "export type * of a nested barrel": {
        "schema/index.ts": "export type * from './d';\n", "schema/d/index.ts": "export * from './n0';\n",
        "schema/d/n0.ts": "export type Post = { a: 1 };\n", "schema/d/n1.ts": "export const Post = 1;\n",
        "schema/m0.ts": "export { type Post } from './d/n0';\n"},
    "module already partly re-exported by name": {
        "schema/index.ts": "export { users } from './m0';\n", "schema/m0.ts": "export const users = 1;\nexport const posts = 1;\n",
        "schema/m1.ts": "export const posts = 2;\n", "schema/d/index.ts": "export * from './n0';\n",
        "schema/d/n0.ts": "export const tags = 1;\n"},
    "renamed re-export of the barrel": {
        "schema/index.ts": "export * from './m0';\n", "schema/m0.ts": "export const users = 1;\n",
        "schema/m1.ts": "export const posts = 1;\n", "schema/m2.ts": "export { posts as tags } from './index';\n",
        "schema/m3.ts": "export * from './m2';\nexport * from './m4';\n", "schema/m4.ts": "export const tags = 1;\n",
        "schema/d/index.ts": "export * from '../m3';\n"},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shortcut_agrees_with_the_preview_on_chosen_cases(name):
    _compare(CASES[name], [0])


def test_shortcut_agrees_with_the_preview_on_random_projects():
    shortcuts = [0]
    for seed in range(15):
        _compare(_random_project(random.Random(seed)), shortcuts)
    assert shortcuts[0] > 10  # the shortcut is taken, not only refused


@pytest.mark.slow
def test_shortcut_agrees_with_the_preview_on_many_random_projects():
    shortcuts = [0]
    for seed in range(15, 300):
        _compare(_random_project(random.Random(seed)), shortcuts)
    assert shortcuts[0] > 200
