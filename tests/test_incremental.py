"""Snapshots built from a previous one (``Project.build(previous=)``): the resolver is
shared when the paths, config, opaque files and surroundings are the same, the export
map is derived from the previous one (only the changed files and those reaching them
are solved again), ``Project.carried`` hands rules the previous snapshot's memos, and no
snapshot keeps its base's base alive."""

from __future__ import annotations

import gc
import posixpath
import weakref
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.exportmap import ExportMap
from codemod.model import Edit, Fix
from codemod.project import Project
from codemod.resolve import Surroundings
from codemod.rules import Context
from codemod.tsconfig import TsConfig

ROOT = Path("/p")

# A small project with every shape the export map handles: barrels with `export *`, a
# nested barrel, an `export *` cycle (users <-> posts), named re-exports, `import {a}
# from; export {a}`, a module open through `export * from 'drizzle-orm'` and one
# `export *`-ing it, a missing module, a require, a namespace re-export.
BASE = {
    "schema/index.ts": ["export * from './users';", "export * from './posts';", "export * from './nested';",
                        "export { helper } from './util';"],
    "schema/nested/index.ts": ["export * from './a';", "export * from './b';"],
    "schema/nested/a.ts": ["export const a = 1;", "export const shared = 1;"],
    "schema/nested/b.ts": ["export const b = 1;", "export const shared = 2;"],
    "schema/users.ts": ["export const users = 1;", "export * from './posts';"],
    "schema/posts.ts": ["export const posts = 1;", "export * from './users';"],
    "schema/util.ts": ["import { a } from './nested/a';", "export { a };", "export function helper() {}"],
    "schema/open.ts": ["export * from 'drizzle-orm';"],
    "schema/usesopen.ts": ["export * from './open';", "export { anything } from './open';"],
    "schema/ghost.ts": ["export * from './missing';", "export const g = 1;"],
    "app/main.ts": ["import { users } from '../schema';", "import { x } from './missing';",
                    "const u = require('../schema/util');", "export * as all from '../schema';"],
}
MODULES = sorted(BASE)
TARGETS = MODULES + ["drizzle-orm", "schema/missing.ts"]
NAMES = ["a", "b", "shared", "users", "posts", "helper", "g", "anything"]
TEMPLATES = [
    "export * from '{t}';",
    "export type * from '{t}';",
    "export {{ {n} }} from '{t}';",
    "export {{ {n} as {n}2 }} from '{t}';",
    "import {{ {n} }} from '{t}';\nexport {{ {n} }};",
    "import {{ {n} }} from '{t}';",
    "export const {n} = 1;",
    "export type {n} = string;",
    "const r = require('{t}');",
    "export * as ns from '{t}';",
]


def specifier(module: str, target: str) -> str:
    if not target.endswith(".ts"):
        return target
    rel = posixpath.relpath(target[:-3], posixpath.dirname(module) or ".")
    return rel if rel.startswith("../") else "./" + rel


def encode(files: dict[str, list[str]]) -> dict[str, bytes]:
    return {p: ("\n".join(lines) + "\n").encode() for p, lines in files.items()}


def view(m: ExportMap, modules) -> dict:
    """Everything the map answers, dict orders included."""
    return {
        "json": m.as_json(),
        "names": {p: list(m.names(p).items()) for p in modules},
        "ambiguous": {p: m.ambiguous(p) for p in modules},
        "open": {p: m.is_open(p) for p in modules},
        "reach": {p: m.reexports_from(p) for p in modules},
        "definers": dict(m.definers),
        "reexporters": dict(m.reexporters),
    }


def warm(m: ExportMap, how: int) -> None:
    """Compute some of the map's lazy parts (what the base had computed varies)."""
    if how & 1:
        m.is_open(MODULES[0])
    if how & 2:
        m.reexports_from("schema/index.ts")
        m.reexports_from("schema/nested/a.ts")
    if how & 4:
        _ = m.definers


edit = st.tuples(
    st.sampled_from(MODULES),
    st.sampled_from(["add", "remove", "replace"]),
    st.integers(0, 20),
    st.sampled_from(TEMPLATES),
    st.sampled_from(TARGETS),
    st.sampled_from(NAMES),
)


def apply(files: dict[str, list[str]], edits) -> dict[str, list[str]]:
    files = {p: list(lines) for p, lines in files.items()}
    for module, op, at, template, target, name in edits:
        lines = files[module]
        line = template.format(t=specifier(module, target), n=name)
        if op == "add":
            lines.insert(at % (len(lines) + 1), line)
        elif lines:
            if op == "remove":
                del lines[at % len(lines)]
            else:
                lines[at % len(lines)] = line
    return files


@pytest.mark.slow  # hypothesis
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.lists(edit, min_size=0, max_size=3), st.integers(0, 7)), min_size=1, max_size=3))
def test_derived_map_equals_a_fresh_one(steps):
    files = BASE
    project = Project.build(ROOT, encode(files))
    for edits, how in steps:
        warm(project.exports, how)
        files = apply(files, edits)
        after = Project.build(ROOT, encode(files), previous=project)
        derived = after.exports
        assert derived.affected is not None  # derived, not rebuilt
        fresh = Project.build(ROOT, encode(files)).exports
        assert view(derived, MODULES) == view(fresh, MODULES)
        sources = encode(files)
        assert after.affected == fresh.reverse_closure(p for p in MODULES if sources[p] != project.files[p].data)
        project = after


def chain_project() -> dict[str, bytes]:
    return encode({
        "leaf.ts": ["export const leaf = 1;"],
        "mid.ts": ["export * from './leaf';"],
        "other.ts": ["export const other = 1;"],
        "index.ts": ["export * from './mid';"],
        "app.ts": ["import { leaf } from './index';"],
        "unrelated.ts": ["export const u = 1;"],
    })


def computed(monkeypatch) -> set[str]:
    seen: set[str] = set()
    original = ExportMap._compute

    def counting(self, module):
        seen.add(module)
        return original(self, module)

    monkeypatch.setattr(ExportMap, "_compute", counting)
    return seen


def test_preview_of_a_barrel_line_recomputes_the_barrel_and_what_is_above_it(monkeypatch):
    project = Project.build(ROOT, chain_project())
    before = project.exports
    seen = computed(monkeypatch)
    end = len(project.files["index.ts"].data)
    after = Context(project).preview([Fix("add other", (Edit("index.ts", end, end, b"export * from './other';\n"),))])
    assert set(after.exports.names("index.ts")) == {"leaf", "other"}
    assert seen == {"index.ts", "app.ts"}
    assert after.affected == {"index.ts", "app.ts"}
    assert project.exports is before  # the current snapshot is not touched


def test_changed_leaf_recomputes_its_reverse_closure_only(monkeypatch):
    sources = chain_project()
    project = Project.build(ROOT, sources)
    _ = project.exports
    seen = computed(monkeypatch)
    after = Project.build(ROOT, {**sources, "leaf.ts": b"export const leaf2 = 1;\n"}, previous=project)
    assert set(after.exports.names("index.ts")) == {"leaf2"}
    assert seen == {"leaf.ts", "mid.ts", "index.ts", "app.ts"}


def test_without_the_behaviour_every_module_is_computed(monkeypatch):
    project = Project.build(ROOT, chain_project())
    seen = computed(monkeypatch)
    _ = project.exports
    assert seen == {"leaf.ts", "mid.ts", "other.ts", "index.ts", "app.ts", "unrelated.ts"}


def test_resolver_shared_when_the_paths_are_the_same():
    sources = chain_project()
    project = Project.build(ROOT, sources)
    resolver = project.resolver
    same = Project.build(ROOT, {**sources, "leaf.ts": b"export const x = 1;\n"}, previous=project)
    assert same.resolver is resolver
    assert same.exports.affected is None or "leaf.ts" in same.exports.affected


def test_resolver_fresh_when_paths_config_or_surroundings_differ():
    sources = chain_project()
    project = Project.build(ROOT, sources)
    _ = project.exports
    added = Project.build(ROOT, {**sources, "new.ts": b"export const n = 1;\n",
                                 "index.ts": b"export * from './mid';\nexport * from './new';\n"}, previous=project)
    deleted = Project.build(ROOT, {p: d for p, d in sources.items() if p != "other.ts"}, previous=project)
    config = Project.build(ROOT, sources, TsConfig(paths=(("@/*", ("/p/*",)),)), previous=project)
    around = Project.build(ROOT, sources, previous=project, surroundings=Surroundings(dependencies=frozenset({"x"})))
    opaque = Project.build(ROOT, sources, previous=project, opaque=frozenset({"gen.ts"}))
    for p in (added, deleted, config, around, opaque):
        assert p.resolver is not project.resolver
        assert p.carried(("anything",)) is None and p.affected is None
        assert p.exports.affected is None  # built from scratch
        assert p.exports.as_json() == Project.build(ROOT, p.sources, p.config, opaque=p.opaque,
                                                    surroundings=p.surroundings).exports.as_json()
    assert set(added.exports.names("index.ts")) == {"leaf", "n"}
    assert deleted.resolver.resolve("index.ts", "./other").status == "missing"


def test_carried():
    sources = chain_project()
    first = Project.build(ROOT, sources)
    assert first.carried(("k",)) is None  # no base
    first.memo(("k",), lambda: "value")
    second = Project.build(ROOT, {**sources, "mid.ts": b"export * from './other';\n"}, previous=first)
    assert second.carried(("never",)) is None  # the base never computed it
    assert second.carried(("k",)) == ("value", frozenset({"mid.ts", "index.ts", "app.ts"}))
    first.carried(("later",))  # a kind rules carry…
    first.memo(("later",), lambda: 2)  # …computed by the base after this snapshot was built: not kept
    assert second.carried(("later",)) is None
    unchanged = Project.build(ROOT, sources, previous=first)
    assert unchanged.carried(("k",)) == ("value", frozenset())
    moved = Project.build(ROOT, {**sources, "new.ts": b""}, previous=first)
    assert moved.carried(("k",)) is None  # the set of paths changed


def test_carried_without_an_export_map_in_the_base():
    sources = chain_project()
    first = Project.build(ROOT, sources)
    first.memo(("k",), lambda: 1)
    second = Project.build(ROOT, {**sources, "leaf.ts": b"export const z = 1;\n"}, previous=first)
    assert second.carried(("k",)) == (1, frozenset({"leaf.ts", "mid.ts", "index.ts", "app.ts"}))


def test_no_snapshot_keeps_its_base_s_base_alive():
    sources = chain_project()
    project = Project.build(ROOT, sources)
    first = weakref.ref(project)
    for n in range(3):  # engine-style: each pass builds the next snapshot from the current one
        _ = project.exports
        project.memo(("k",), lambda n=n: n)
        Context(project).preview([Fix("x", (Edit("leaf.ts", 0, 0, b"//\n"),))])  # a rule's preview mid-pass
        current = project
        project = Project.build(ROOT, {**sources, "leaf.ts": f"export const v{n} = 1;\n".encode()},
                                previous=project)
        if n == 0:
            gc.collect()
            assert first() is not None  # the engine still holds it here (it is `current`)
        del current
    gc.collect()
    assert first() is None
    assert project.carried(("k",))[0] == 2


def test_a_snapshot_alive_does_not_keep_its_base_alive():
    sources = chain_project()
    first = Project.build(ROOT, sources)
    _ = first.exports
    ref = weakref.ref(first)
    second = Project.build(ROOT, {**sources, "leaf.ts": b"export const a = 1;\n"}, previous=first)
    third = Project.build(ROOT, {**sources, "leaf.ts": b"export const b = 1;\n"}, previous=second)
    del first
    gc.collect()
    assert ref() is None  # second and third are alive: neither holds the first
    assert set(second.exports.names("index.ts")) == {"a"}
    assert set(third.exports.names("index.ts")) == {"b"}


# Two `export *` cycles whose answer the old whole-project sweep took from the order it
# happened to visit files in: `cycle` has two self-consistent answers for `x` (a.ts
# imports it from the barrel and re-exports it; index gets it from a.ts and b.ts);
# `ring` never settles (each of a, b, c brings its own `x` and every other one's).
CYCLES = {
    "cycle": {"a.ts": "import { x } from './index';\nexport { x };\n", "b.ts": "export const x = 1;\n",
              "index.ts": "export * from './a';\nexport * from './b';\n"},
    "ring": {"a.ts": "export * from './b';\nexport * from './ca';\n",
             "b.ts": "export * from './c';\nexport * from './cb';\n",
             "c.ts": "export * from './a';\nexport * from './cc';\n",
             "ca.ts": "export const x = 1;\n", "cb.ts": "export const x = 1;\n", "cc.ts": "export const x = 1;\n"},
}


@pytest.mark.parametrize("shape", sorted(CYCLES))
def test_a_cycle_s_answer_does_not_depend_on_unrelated_files(shape):
    """What a module on an `export *` cycle exports depends on the cycle's own files
    only: not on an importer sorting first, nor on how many other files the project has
    (the old sweep's cap was the project's file count, so a ring's answer flipped with
    its parity)."""
    cycle = CYCLES[shape]
    answers = set()
    for importer in (False, True):
        for extra in range(4):
            files = dict(cycle)
            if importer:
                files["0.ts"] = "import { x } from './index';\nconsole.log(x);\n"
            files.update({f"z{i}.ts": f"export const y{i} = 1;\n" for i in range(extra)})
            project = Project.build(ROOT, {p: t.encode() for p, t in files.items()})
            m = project.exports
            answers.add(repr([(p, sorted(m.names(p).items()), sorted((n, sorted(map(repr, bs)))
                                                                    for n, bs in m.ambiguous(p).items()))
                              for p in sorted(cycle)]))
    assert len(answers) == 1


def test_the_engine_lets_a_snapshot_s_base_go_before_building_the_next(monkeypatch):
    """When the engine builds the next pass's snapshot from the current one, the current
    one no longer holds its own base: two generations of memos (and of the trees of the
    files that changed) are alive at a time, not three."""
    from codemod import engine

    from support import gen_schema
    generated = gen_schema.generate(files=30, domains=4)  # three passes: fixes in the second too
    files = {p: t for p, t in generated.files.items() if p.endswith(".ts")}
    seen = []
    real = Project.build.__func__

    def build(cls, root, sources, *args, previous=None, **kwargs):
        if previous is not None:
            seen.append(previous._base is None)
        return real(cls, root, sources, *args, previous=previous, **kwargs)
    monkeypatch.setattr(Project, "build", classmethod(build))
    outcome = engine.run(ROOT, {p: t.encode() for p, t in files.items()})
    assert outcome.passes >= 3 and len(seen) >= 2
    assert all(seen)


def test_a_base_keeps_only_what_rules_carry_and_nothing_of_a_changed_file():
    """The memos a snapshot keeps of its base are those rules ask ``carried`` for, less
    the ones keyed (kind, path) for a changed path: the old version of a changed file
    (and its tree) is freed with the base, though the base's other memos held it."""
    sources = chain_project()
    first = Project.build(ROOT, sources)
    old_mid = weakref.ref(first.files["mid.ts"])
    first.carried(("per-file", "mid.ts"))
    first.memo(("per-file", "mid.ts"), lambda: first.files["mid.ts"])  # carried, about the changed file
    first.memo(("per-file", "app.ts"), lambda: first.files["app.ts"])  # carried, about an unchanged one
    first.memo(("not-carried",), lambda: [first.files["mid.ts"]])  # no rule carries it
    second = Project.build(ROOT, {**sources, "mid.ts": b"export * from './other';\n"}, previous=first)
    assert second.carried(("per-file", "app.ts"))[0] is second.files["app.ts"]
    assert second.carried(("per-file", "mid.ts")) is None and second.carried(("not-carried",)) is None
    del first
    gc.collect()
    assert old_mid() is None


def test_a_module_taken_off_a_cycle_gets_its_names_in_a_fresh_map_s_order():
    """On a cycle, a module's names keep the order of the sweep that found them; once an
    edit breaks the cycle, an unchanged module whose targets answer as before is
    computed again (not taken from the base map): its names' order is a fresh map's,
    which named barrel lines are written in."""
    files = encode({
        "z.ts": ["export * from './b';", "export * from './c';", "export const y = 1;"],
        "b.ts": ["import { y } from './z';", "export * from './d';"],
        "c.ts": ["export * from './w';", "export * from './d';"],
        "d.ts": ["export const X = 1;"],
        "w.ts": ["export const W = 1;"],
    })
    first = Project.build(ROOT, files)
    first.exports.is_open("z.ts")  # the base knows which modules are open: derive may take modules as they were
    edited = dict(files, **{"b.ts": b"export * from './d';\n"})
    derived = Project.build(ROOT, edited, previous=first).exports
    fresh = Project.build(ROOT, edited).exports
    assert derived.affected is not None
    assert list(derived.names("z.ts")) == list(fresh.names("z.ts")) == ["y", "X", "W"]
