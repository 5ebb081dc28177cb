"""What a run keeps of the project as a whole for the next one (codemod/facts_cache.py):
the resolver's answers and the export map. A run after an edit takes them back, solving
again only what the edit can change, and gets what a run from scratch gets; an answer
the disk no longer gives, a damaged file or another set of files is never trusted."""

from __future__ import annotations

from pathlib import Path

import pickle

import pytest
from click.testing import CliRunner

from codemod import cli, facts_cache
from codemod.exportmap import ExportMap
from codemod.facts_cache import FactsCache
from codemod.project import Project, SourceFile
from codemod.resolve import Resolver, Surroundings
from support import cache_turned_on, gen_schema, record_calls, write_tree


@pytest.fixture(autouse=True)
def cache_on(tmp_path_factory, monkeypatch):
    return cache_turned_on(tmp_path_factory, monkeypatch, "kept-under-test")


@pytest.fixture(autouse=True)
def adopt_at_once(monkeypatch):
    """Kept answers are read at a resolver's first specifier here (``ADOPT_AFTER``: in
    a real run, once it has resolved 500), so these small projects take them back."""
    from codemod import resolve

    monkeypatch.setattr(resolve, "ADOPT_AFTER", 0)


def invoke(*args: str):
    result = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def sources() -> dict[str, bytes]:
    files = gen_schema.generate(files=120, domains=6).files
    return {p: t.encode() for p, t in files.items() if p.endswith(".ts")}


def build(root: Path, files: dict[str, bytes], folder: Path | None) -> Project:
    store = FactsCache(folder, "code") if folder is not None else None
    project = Project.build(root, files, facts=store)
    project.exports.is_open("schema/index.ts")  # what rules ask of it, so that it is kept as well
    if store is not None:
        store.save()
    return project


def edits(files: dict[str, bytes]) -> list[tuple[str, dict[str, bytes]]]:
    """Edits that change what modules export: a name added, a barrel line removed, an
    import repointed, a comment only."""
    module = next(p for p in files if p.endswith(".ts") and "/relations" not in p and "index" not in p)
    barrel = "schema/index.ts"
    first_line = files[barrel].split(b"\n", 1)[0]
    relations = next(p for p in files if p.endswith("relations.ts"))
    return [
        ("a name added", {**files, module: files[module] + b"\nexport const addedHere = 1;\n"}),
        ("a barrel line removed", {**files, barrel: files[barrel].replace(first_line + b"\n", b"", 1)}),
        ("an import repointed", {**files, relations: files[relations].replace(b"from './", b"from '../", 1)}),
        ("a comment only", {**files, module: files[module] + b"// note\n"}),
    ]


def test_after_an_edit_the_kept_map_is_derived_and_equals_one_built_afresh(tmp_path, cache_on, monkeypatch):
    files = sources()
    first = build(tmp_path, files, cache_on)
    assert first.exports.as_json() == build(tmp_path, files, None).exports.as_json()
    for what, edited in edits(files):
        assert edited != files, what
        restored = record_calls(monkeypatch, ExportMap, "restore")
        kept = build(tmp_path, edited, cache_on)
        assert len(restored) == 1, what  # taken back, not built again
        assert kept.exports.affected is not None and len(kept.exports.affected) < len(files), what
        assert kept.exports.as_json() == build(tmp_path, edited, None).exports.as_json(), what
        assert {m: kept.exports.is_open(m) for m in edited} == {m: False for m in edited}, what
        monkeypatch.undo()


def test_a_kept_map_with_ambiguous_names_keeps_them(tmp_path, cache_on, monkeypatch):
    """The kept map leaves out the modules without ambiguous names (most); those with
    some come back, and an edit that makes a name ambiguous, or no longer, is solved."""
    files = sources()
    tables = sorted(p for p in files if p.startswith("schema/") and p.count("/") == 2
                    and not p.endswith(("relations.ts", "index.ts", "enums.ts")))
    a, b, c = tables[0], tables[1], tables[2]
    files[a] += b"\nexport const twice = 1;\n"
    files[b] += b"\nexport const twice = 2;\n"
    first = build(tmp_path, files, cache_on)
    assert any(first.exports.ambiguous(m) for m in files)
    assert sum(1 for m in files if first.exports.ambiguous(m)) < len(files) / 4
    for what, edited in [("a comment only", {**files, c: files[c] + b"// note\n"}),
                         ("a third export", {**files, c: files[c] + b"\nexport const twice = 3;\n"}),
                         ("no longer twice", {**files, b: files[b].replace(b"export const twice = 2;", b"")})]:
        restored = record_calls(monkeypatch, ExportMap, "restore")
        kept = build(tmp_path, edited, cache_on)
        assert len(restored) == 1, what
        assert kept.exports.as_json() == build(tmp_path, edited, None).exports.as_json(), what
        monkeypatch.undo()


def test_a_map_kept_for_other_files_or_damaged_is_not_taken(tmp_path, cache_on, monkeypatch):
    files = sources()
    build(tmp_path, files, cache_on)
    restored = record_calls(monkeypatch, ExportMap, "restore")
    added = {**files, "schema/extra.ts": b"export const extra = 1;\n"}
    assert build(tmp_path, added, cache_on).exports.as_json() == build(tmp_path, added, None).exports.as_json()
    assert restored == []  # another set of paths: other resolver inputs, nothing to take back
    for damage in (b"", facts_cache.MAGIC + b"0" * 64 + b"\nnot a pickle"):
        kept = list(cache_on.glob(f"facts-*/{facts_cache.EXPORTS}*"))
        assert len(kept) == 2
        for path in kept:
            path.write_bytes(damage)
        got = build(tmp_path, files, cache_on)
        assert got.exports.as_json() == build(tmp_path, files, None).exports.as_json()
    assert restored == []


def test_a_kept_map_of_another_shape_is_built_again(tmp_path, cache_on, monkeypatch):
    """A sealed file of the right format holding the wrong value (say, written by a
    schemafix that kept another state) is a miss, not an error."""
    files = sources()
    build(tmp_path, files, cache_on)
    monkeypatch.setattr(ExportMap, "state", lambda self: ("not", "a", "state"))
    build(tmp_path, {**files, "schema/index.ts": files["schema/index.ts"] + b"// one\n"}, cache_on)
    monkeypatch.undo()
    edited = {**files, "schema/index.ts": files["schema/index.ts"] + b"// two\n"}
    assert build(tmp_path, edited, cache_on).exports.as_json() == build(tmp_path, edited, None).exports.as_json()


def test_resolver_answers_are_taken_only_while_the_disk_agrees(tmp_path):
    root = write_tree(tmp_path / "p", {"vendor/lib.js": "export const x = 1;\n"})
    from codemod import disk

    def resolver() -> Resolver:
        seen = disk.Disk(root)
        return Resolver(root, ["src/a.ts"], surroundings=Surroundings(exists=seen.is_file, disk=seen))

    before = resolver()
    assert before.resolve("src/a.ts", "../vendor/lib").status == "opaque"
    answers = before.answers()
    assert answers[1]["vendor/lib.js"] is True  # it asked the disk, which said yes
    again = resolver()
    assert again.inputs_digest() == before.inputs_digest() and again.adopt(answers)
    assert again.resolve("src/a.ts", "../vendor/lib").status == "opaque"
    (root / "vendor/lib.js").unlink()
    later = resolver()
    assert not later.adopt(answers)
    assert later.resolve("src/a.ts", "../vendor/lib").status == "missing"


def clean_then_removed_beside(root: Path) -> tuple[int, str]:
    """A clean run (the caches keep what it found, ``vendor/lib.js`` on disk), then
    ``vendor/lib.js`` removed and ``src/b.ts`` edited (so the run cache misses): the
    next run's (exit code, output), which a run without any cache prints too."""
    assert invoke("--check", str(root)) == (0, "Nothing to fix.\n")
    (root / "vendor/lib.js").unlink()
    (root / "src/b.ts").write_text("export const b = 2;\n")
    got = invoke("--check", str(root))
    assert got == invoke("--check", "--no-cache", str(root))
    return got


def test_a_file_removed_beside_the_sources_is_seen_after_an_edit(tmp_path):
    """The run cache misses (a source changed) and the kept answers were found with a
    file outside the analysed ones that is gone now: the import is reported as a run
    without any cache reports it."""
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "vendor/lib.js": "export const x = 1;\n",
                                       "src/a.ts": "import { x } from '../vendor/lib';\nexport const a = x;\n",
                                       "src/b.ts": "export const b = 1;\n"})
    code, out = clean_then_removed_beside(root)
    assert code == 1 and "SF001 x is exported by no module" in out


def test_the_resolver_and_map_of_a_run_are_kept_and_cleaned(tmp_path, cache_on):
    files = {p: t for p, t in gen_schema.generate(files=30, domains=3).files.items()}
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", **files})
    assert invoke("--check", "--exit-zero", str(root))[0] == 0
    kept = {p.name.split("-")[0] for p in cache_on.glob("facts-*/*")}
    assert {"resolutions", "exports", "lasting"} <= kept
    assert CliRunner().invoke(cli.main, ["clean", str(cache_on)]).exit_code == 0
    assert not list(cache_on.glob("facts-*"))


def test_a_module_open_through_a_file_removed_since_is_closed_after_an_edit(tmp_path):
    """``export * from`` a JavaScript file beside the sources makes a module open (any
    name may come from it); once the file is gone, the kept map's openness is not."""
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "vendor/lib.js": "export const x = 1;\n",
                                       "src/a.ts": "export * from '../vendor/lib';\n",
                                       "src/c.ts": "import { zzz } from './a';\nexport const c = zzz;\n",
                                       "src/b.ts": "export const b = 1;\n"})
    code, out = clean_then_removed_beside(root)
    assert code == 1 and "SF001 zzz is exported by no module" in out


def test_a_map_kept_again_keeps_the_disk_answers_its_unchanged_modules_rest_on(tmp_path):
    """A map derived from a kept one and kept again (many files changed) still names
    the disk answers its unchanged modules' openness rests on, though this run's
    resolver neither took back the kept answers nor asked them again: once the file is
    gone, the module is closed."""
    from codemod import discovery

    fillers = {f"src/f/f{i}.ts": f"export const f{i} = {i};\n" for i in range(70)}
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "vendor/lib.js": "export const x = 1;\n",
                                       "src/a.ts": "export type * from '../vendor/lib';\n",
                                       "src/c.ts": "import type { zzz } from './a';\nexport type C = zzz;\n",
                                       **fillers})
    folder = tmp_path / "cache"

    def build(store: FactsCache | None) -> Project:
        files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.ts"))}
        project = Project.build(root, files, facts=store, surroundings=discovery.surroundings(root)[0])
        project.exports.is_open("src/f/f0.ts")
        if store is not None:
            store.save()
        return project

    assert build(FactsCache(folder, "code")).exports.is_open("src/a.ts")
    for kept in folder.glob(f"facts-*/{facts_cache.RESOLUTIONS}*"):
        kept.write_bytes(b"")  # this run's resolver takes back nothing
    for path in fillers:
        (root / path).write_text(fillers[path] + "// edited\n")
    assert build(FactsCache(folder, "code")).exports.is_open("src/a.ts")
    (root / "vendor/lib.js").unlink()
    (root / "src/f/f5.ts").write_text("export const f5 = 5;\n// again\n")
    got = build(FactsCache(folder, "code")).exports
    assert not got.is_open("src/a.ts")
    assert got.as_json() == build(None).exports.as_json()


def test_a_map_waiting_to_be_kept_keeps_no_file_of_its_snapshot_alive(tmp_path, cache_on):
    """Review finding: the map a run keeps is written at the end of the run; it read its
    facts through its snapshot's files, so it kept the first pass's files (their bytes,
    memos and the nodes those hold) alive until then. It holds the facts alone."""
    import gc
    import weakref

    files = sources()
    store = FactsCache(cache_on, "code")
    project = Project.build(tmp_path, files, facts=store)
    project.exports.is_open("schema/index.ts")
    first = weakref.ref(project.files["schema/index.ts"])
    del project
    gc.collect()
    assert first() is None
    store.save()
    kept = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    assert kept.exports.as_json() == Project.build(tmp_path, files).exports.as_json()


def test_kept_reexport_edges_of_another_shape_are_a_miss(tmp_path, cache_on):
    """Review finding: the re-export edges kept with the map are read as rules ask, after
    the map is restored; edges of another shape (a file re-sealed by hand) crashed SF005
    in every later run. They are checked when the map is taken back: a miss, built again."""
    from codemod import sealed

    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}",
                                       "schema/users.ts": "export const users = 1;\n",
                                       "schema/posts.ts": "import { users } from './users';\nexport const posts = users;\n",
                                       "schema/index.ts": "export * from './users';\nexport * from './posts';\n"})
    assert invoke("--check", str(root))[0] == 0
    [kept] = cache_on.glob(f"facts-*/{facts_cache.EXPORTS}*")
    keys, asked, state = sealed.unseal(facts_cache.MAGIC, kept.read_bytes(), facts_cache._EXPORTS_ALLOWED)
    assert any(state[2].values())  # the barrel's edges
    for bad in ({m: 5 for m in state[2]}, {m: (("schema/users.ts",),) for m in state[2]}, "edges",
                {m: (("schema/nope.ts", True),) for m in state[2]}):  # a module of no project (second review)
        kept.write_bytes(sealed.seal(facts_cache.MAGIC, (keys, asked, state[:2] + (bad,) + state[3:])))
        (root / "schema/users.ts").write_text((root / "schema/users.ts").read_text() + "// edited\n")
        for target in (root / "schema/users.ts", root):
            assert invoke("--check", str(target)) == invoke("--check", "--no-cache", str(target))


def test_a_kept_map_with_disk_answers_of_another_shape_is_a_miss(tmp_path, cache_on):
    from codemod import sealed

    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n",
                                       "b.ts": "import { a } from './a';\nexport const b = a;\n"})
    assert invoke("--check", str(root)) == (0, "Nothing to fix.\n")
    [kept] = cache_on.glob(f"facts-*/{facts_cache.EXPORTS}*")
    keys, _, state = sealed.unseal(facts_cache.MAGIC, kept.read_bytes(), facts_cache._EXPORTS_ALLOWED)
    kept.write_bytes(sealed.seal(facts_cache.MAGIC, (keys, {1: True}, state)))
    (root / "b.ts").write_text("import { a } from './a';\nexport const b = a + 1;\n")
    assert invoke("--check", str(root)) == (0, "Nothing to fix.\n")


def test_the_values_of_the_projects_used_last_are_kept(tmp_path, cache_on, monkeypatch):
    """Projects sharing a cache folder: the values a run used stay, written again or not;
    the ones used longest ago go first."""
    monkeypatch.setattr(facts_cache, "RESOLUTIONS_CAP", 2)
    roots = {name: write_tree(tmp_path / name, {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n",
                                                "b.ts": "import { a } from './a';\nexport const b = a;\n"})
             for name in "ABC"}

    def run(name: str) -> str:
        (roots[name] / "b.ts").write_text((roots[name] / "b.ts").read_text() + "// run\n")  # no whole-run hit
        store = FactsCache(cache_on, "code")
        project = Project.build(roots[name], {p: (roots[name] / p).read_bytes() for p in ("a.ts", "b.ts")},
                                facts=store)
        project.exports.is_open("a.ts")
        store.save()
        return project.resolver.inputs_digest()

    digests = {name: run(name) for name in "AB"}
    assert run("A") == digests["A"]  # used again, nothing new to write
    digests["C"] = run("C")

    def kept() -> set[str]:
        return {p.name.split("-", 1)[1] for p in cache_on.glob("facts-*/*") if "-" in p.name}

    assert kept() == {digests["A"], digests["C"]}


# --- carried values kept between runs (``project.carry_between_runs``) ------------------


def _tables_view(project: Project) -> list:
    from rewriters import _tables

    return [(k, t.module, t.name, t.line, t.columns, t.complete, t.foreign_keys)
            for k, t in _tables.tables(project).items()]


def _run_tables(root: Path, files: dict[str, bytes], folder: Path | None, around=None) -> Project:
    """A run's first snapshot that reads the tables, as SF007 does, then keeps what rules
    carry and saves (what the engine and the CLI do)."""
    store = FactsCache(folder, "code") if folder is not None else None
    project = Project.build(root, files, facts=store, surroundings=around)
    _tables_view(project)
    project.keep_carried()
    if store is not None:
        store.save()
    return project


def test_after_an_edit_only_the_affected_files_tables_are_read_again(tmp_path, cache_on, monkeypatch):
    from rewriters import _tables

    files = sources()
    first = _run_tables(tmp_path, files, cache_on)
    assert list(cache_on.glob(f"facts-*/{facts_cache.CARRIED}*"))
    module = min((p for p in files if b"pgTable(" in files[p] and "/relations" not in p),
                 key=lambda p: (len(first.exports.reverse_closure([p])), p))
    affected = first.exports.reverse_closure([module])
    edited = {**files, module: files[module] + b"export const zzAdded = pgTable('zz_added', {});\n"}
    reads = record_calls(monkeypatch, _tables, "_read_table", lambda project, file, *rest: file.path)
    kept = _run_tables(tmp_path, edited, cache_on)
    assert module in reads and set(reads) <= affected and len(affected) < len(files) // 4
    monkeypatch.undo()
    assert _tables_view(kept) == _tables_view(_run_tables(tmp_path, edited, None))
    assert (module, "zzAdded") in {row[0] for row in _tables_view(kept)}


def _run_graph(root: Path, files: dict[str, bytes], folder: Path | None) -> tuple[Project, list]:
    """A run's first snapshot that builds the relations graph (SF006, SF007, SF013), then
    keeps what rules carry and saves."""
    from rewriters._relation_graph import relations_of

    store = FactsCache(folder, "code") if folder is not None else None
    project = Project.build(root, files, facts=store)
    graph = [(t, e.known, [(f.path, d.name) for f, d in e.decls],
              [(p.file.path, p.key, p.kind, p.owner, p.target, p.fields, p.references) for p in e.props])
             for t, e in relations_of(project).items()]
    project.keep_carried()
    if store is not None:
        store.save()
    return project, graph


def test_after_a_relations_edit_only_the_affected_files_names_are_looked_up_again(tmp_path, cache_on, monkeypatch):
    """What each name of a file stands for (a table, through imports and the export map)
    is kept between runs: after an edit of one relations module, the names of the files
    the edit may affect are looked up again, no other; the graph is one built afresh."""
    from rewriters import _tables

    files = sources()
    first, _ = _run_graph(tmp_path, files, cache_on)
    relations = sorted(p for p in files if p.endswith("relations.ts"))
    edited_path = relations[1]
    edited = {**files, edited_path: files[edited_path] + b"// edited\n"}
    looked_up = record_calls(monkeypatch, _tables, "_identity", lambda project, file, name: file.path)
    kept, graph = _run_graph(tmp_path, edited, cache_on)
    affected = first.exports.reverse_closure([edited_path])
    assert edited_path in looked_up and set(looked_up) <= affected, set(looked_up) - affected
    assert len(affected) < len(files) // 4
    monkeypatch.undo()
    assert graph == _run_graph(tmp_path, edited, None)[1]
    assert len(graph) > 10 and sum(len(props) for *_, props in graph) > 50


def test_kept_tables_are_not_taken_when_the_disk_changed_or_damaged(tmp_path):
    """A table whose columns come from a spread of a module the resolver found on disk
    (opaque: no columns known) is read again once that file is gone; a damaged or
    foreign-shaped kept file is a miss."""
    from codemod import discovery, sealed

    root = write_tree(tmp_path / "p", {
        "tsconfig.json": "{}", "vendor/cols.js": "export const cols = {};\n",
        "t.ts": "import { pgTable, text } from 'drizzle-orm/pg-core';\nimport { cols } from './vendor/cols';\n"
                "export const t = pgTable('t', { ...cols, name: text('name') });\n",
        "u.ts": "import { pgTable, text } from 'drizzle-orm/pg-core';\n"
                "export const u = pgTable('u', { id: text('id') });\n"})
    folder = tmp_path / "cache"

    def files() -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.ts"))}

    def run(store_folder) -> list:
        return _tables_view(_run_tables(root, files(), store_folder, discovery.surroundings(root)[0]))

    first = run(folder)
    assert not dict((v[0], v) for v in first)[("t.ts", "t")][5]  # the spread's columns are unknown: incomplete
    (root / "vendor/cols.js").unlink()
    (root / "u.ts").write_text((root / "u.ts").read_text() + "// edited\n")
    assert run(folder) == run(None)
    [kept] = [p for p in folder.glob(f"facts-*/{facts_cache.CARRIED}*") if "-" not in p.name[len("carried-"):]]
    for damage in (b"", sealed.seal(facts_cache.MAGIC, ({}, {}, {("drizzle-tables",): "not rows"}))):
        kept.write_bytes(damage)
        (root / "u.ts").write_text((root / "u.ts").read_text() + "// again\n")
        assert run(folder) == run(None)


def test_a_whole_run_after_an_edit_checks_the_imports_of_the_affected_files_only(tmp_path, cache_on, monkeypatch):
    from rewriters import imports

    generated = gen_schema.generate(files=120, domains=6, healthy=True).files
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", **generated})
    assert invoke("--check", str(root))[0] == 0
    project = Project.build(root, {p: t.encode() for p, t in generated.items() if p.endswith(".ts")})
    module = min((p for p in project.files if "/relations" not in p),
                 key=lambda p: (len(project.exports.reverse_closure([p])), p))
    affected = project.exports.reverse_closure([module])
    (root / module).write_text(generated[module] + "// edited\n")
    checked = record_calls(monkeypatch, imports, "_check_file", lambda ctx, file, healthy: file.path)
    code, out = invoke("--check", str(root))
    assert module in checked and set(checked) <= affected and len(affected) < len(project.files) // 4
    monkeypatch.undo()
    assert (code, out) == invoke("--check", "--no-cache", str(root)) and code == 0


def test_kept_carried_values_of_another_shape_are_refused():
    """A sealed file of the right format whose values are not what the kind encodes (a
    string for the healthy paths: ``in`` would match substrings) is not taken."""
    from codemod import sealed
    from codemod.project import KEPT_CARRIED
    from codemod.rules import all_rules

    all_rules()  # the rewriters register their kinds as they are imported (run alone, none is yet)
    decode_healthy = KEPT_CARRIED["sf001-healthy-files"][1]
    decode_tables = KEPT_CARRIED["drizzle-tables"][1]
    assert decode_healthy(("a.ts", "b.ts")) == {"a.ts", "b.ts"}
    for bad in ("a.ts", ["a.ts"], (1,)):
        with pytest.raises(TypeError):
            decode_healthy(bad)
    row = ("t", 1, ("id",), True, ((("uid",), ("u.ts", "u"), ("id",)),))
    encode_tables = KEPT_CARRIED["drizzle-tables"][0]
    # (every path, per file with tables (their names, the rows packed)): a path without rows has none
    kept = encode_tables({"t.ts": (row,), "e.ts": ()})
    assert kept[0] == ("t.ts", "e.ts") and kept[1]["t.ts"][0] == ("t",) and type(kept[1]["t.ts"][1]) is bytes
    from rewriters._tables import Tables

    decoded = decode_tables(kept)
    def view(table):
        return table.module, table.name, table.line, table.columns, table.complete, table.foreign_keys

    assert decoded["e.ts"] == () and view(Tables(decoded)[("t.ts", "t")]) == view(Tables({"t.ts": (row,)})[("t.ts", "t")])
    assert encode_tables(decoded) == kept  # kept again as it was, not unpacked
    packed = kept[1]["t.ts"][1]
    for bad in ("rows", (row,), (("t.ts",), row), (("t.ts",), {"t.ts": row}), (("t.ts",), {"t.ts": (("t",), "rows")}),
                (("t.ts",), {"t.ts": ((1,), packed)}), ((("t.ts", (row,)),),)):
        with pytest.raises(TypeError):
            decode_tables(bad)
    for bad in ((("t.ts",), {"u.ts": (("t",), packed)}), (("t.ts", "t.ts"), {"t.ts": (("t",), packed)})):
        with pytest.raises(ValueError):  # rows of no listed path
            decode_tables(bad)
    for bad in (row[:3] + (1,) + row[4:], row[:4] + (((("uid",), ("u.ts",), ("id",)),),), row[:2] + (["id"],) + row[3:]):
        tables = Tables(decode_tables((("t.ts",), {"t.ts": (("t",), sealed.pack((bad,)))})))
        assert tables[("t.ts", "t")].columns == () and not tables[("t.ts", "t")].complete  # checked as looked up
    for rows in ((), (row, row), (row[:4],), "rows", (("u",) + row[1:],)):  # not what the names announce
        tables = Tables(decode_tables((("t.ts",), {"t.ts": (("t",), sealed.pack(rows))})))
        assert tables[("t.ts", "t")].columns == () and list(tables) == [("t.ts", "t")]
    tables = Tables(decode_tables((("t.ts",), {"t.ts": (("t",), b"not a pickle")})))
    assert tables.get(("t.ts", "t")).columns == () and tables.get(("t.ts", "u")) is None
    assert "drizzle-identities" not in KEPT_CARRIED  # what is read of the names is kept instead
    encode_relations, decode_relations = KEPT_CARRIED["drizzle-relations-rows"]
    decl = ("usersRelations", 3, ("u.ts", "users"), True, ())
    paths, found = encode_relations({"r.ts": (decl,), "e.ts": ()})
    [(path, item)] = found.items()
    assert paths == ("r.ts", "e.ts") and path == "r.ts"  # a file without declarations: its path alone
    assert item[0] == (("u.ts", "users"),) and sealed.unpack(item[1], sealed.BUILTINS) == () and type(item[2]) is bytes
    assert decode_relations((("r.ts",), {path: item}))["r.ts"].rows() == (decl,)
    for bad in ((("r.ts",), {"r.ts": (decl,)}), (("r.ts",), {"r.ts": item[:2]}), (("r.ts",), {"r.ts": (*item[:2], "rows")}),
                (("r.ts",), {"r.ts": ((("u.ts",),), *item[1:])}), (("r.ts",), {"r.ts": list(item)})):
        with pytest.raises(TypeError):
            decode_relations(bad)
    from rewriters._relation_graph import _ones

    one = ("author", ("authorId",), ("u.ts", "users"))
    ones = (one, ("k", "c", None), ("k", ("c",), ("u.ts",)))  # the explicit one()s: checked as read
    assert _ones(decode_relations((("r.ts",), {"r.ts": (item[0], sealed.pack(ones), item[2])}))["r.ts"]) == (one,)
    for bad in (b"not a pickle", sealed.pack("ones")):  # packed as read, a forged value: none
        assert _ones(decode_relations((("r.ts",), {"r.ts": (item[0], bad, item[2])}))["r.ts"]) == ()
    assert decode_relations((("e.ts",), {"e.ts": ((), item[1], item[2])})) == {"e.ts": ()}  # no declaration: nothing to read


def test_a_whole_run_after_a_commit_hook_keeps_the_fuller_healthy_set(tmp_path, cache_on, monkeypatch):
    """A run on one named file keeps SF001's healthy files of that run (one); the next
    whole run, which checks every file, keeps its fuller set, so the run after it checks
    few files again."""
    from rewriters import imports

    generated = gen_schema.generate(files=60, domains=3, healthy=True).files
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", **generated})
    named = next(p for p in generated if p.endswith(".ts") and "/relations" not in p)
    assert invoke("--check", str(root / named))[0] == 0
    project = Project.build(root, {p: t.encode() for p, t in generated.items() if p.endswith(".ts")})
    other = min((p for p in project.files if p != named and "/relations" not in p),
                key=lambda p: (len(project.exports.reverse_closure([p])), p))
    checked = record_calls(monkeypatch, imports, "_check_file", lambda ctx, file, healthy: file.path)
    for edit in ("// one\n", "// two\n"):
        checked.clear()
        (root / other).write_text((root / other).read_text() + edit)
        assert invoke("--check", str(root))[0] == 0
        if edit == "// one\n":
            assert len(set(checked)) > len(generated) // 2  # the kept set had one file
    assert set(checked) == {other}  # the whole run's set was kept: only the edited file is checked


def test_a_run_unpacks_only_the_carried_kinds_it_asks_for(tmp_path, cache_on, monkeypatch):
    """Carried values are kept one kind to a file: a commit hook after a table edit asks
    for SF001's healthy files and reads and unpacks that kind, not the tables and
    relations beside it (0.7 of 20 MB at 19,813 files)."""
    from rewriters import _relation_graph

    files = sources()
    store = FactsCache(cache_on, "code")
    first = Project.build(tmp_path, files, facts=store)
    _relation_graph.relation_props(first)
    _tables_view(first)
    first.keep_carried()
    store.save()
    assert {("drizzle-tables",), ("drizzle-relations-rows",)} <= {k for k in first._memo if len(k) == 1}
    kinds = [p for p in cache_on.glob(f"facts-*/{facts_cache.CARRIED}*-*")]
    # the tables, the relations rows, the declarations, the specifiers each file passes on
    assert len(kinds) == 4 and all(p.read_bytes().startswith(facts_cache.MAGIC) for p in kinds)
    read = record_calls(monkeypatch, facts_cache, "_kind_bytes", lambda main, checksum: checksum)
    again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    assert again._kept_carried(("drizzle-tables",)) is not None
    index = again._kept[1]._packed
    assert again._kept[1].rows(("drizzle-relations-rows",)) > 0  # its size, known without reading it
    assert len(read) == 1 and read[0] is not None
    monkeypatch.undo()
    assert _tables_view(again) == _tables_view(Project.build(tmp_path, files))
    assert len(index) == 4


def test_a_kind_file_gone_or_of_other_bytes_is_a_miss(tmp_path, cache_on):
    """A carried kind's file is named for its checksum and checked against the index the
    main file holds: one a concurrent run removed, or that holds other bytes, is computed
    afresh (and written anew), never taken."""
    files = sources()
    _run_tables(tmp_path, files, cache_on)
    expected = _tables_view(Project.build(tmp_path, files))
    [main] = [p for p in cache_on.glob(f"facts-*/{facts_cache.CARRIED}*") if "-" not in p.name[len("carried-"):]]
    for damage in ("other bytes", "gone"):
        kinds = sorted(main.parent.glob(main.name + "-*"))
        for kind in kinds:
            if damage == "gone":
                kind.unlink()
            else:
                kind.write_bytes(facts_cache.MAGIC + b"\x80\x05N.")
        again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
        assert again._kept_carried(("drizzle-tables",)) is None
        assert _tables_view(again) == expected
        _run_tables(tmp_path, files, cache_on)  # written anew
        assert sorted(main.parent.glob(main.name + "-*"))


def test_a_kept_carried_value_that_does_not_unpack_is_computed_afresh(tmp_path, cache_on):
    from codemod import sealed

    files = sources()
    _run_tables(tmp_path, files, cache_on)
    again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    again._kept_carried(("drizzle-tables",))
    packed = again._kept[1]
    forged = sealed.Packed({("drizzle-tables",): (packed.rows(("drizzle-tables",)),
                                                  pickle.dumps(Path("/etc"), protocol=5))})
    again._kept = (again._kept[0], forged)
    assert again._kept_carried(("drizzle-tables",)) is None
    assert _tables_view(again) == _tables_view(Project.build(tmp_path, files))
    assert forged.rows(("drizzle-tables",)) == 0  # as if never kept: the value computed instead is written
    again.keep_carried()
    assert any(name.startswith(facts_cache.CARRIED) for name in again._store._pending)


def test_kept_answers_are_read_only_when_a_run_resolves_many(tmp_path, monkeypatch):
    """A run that resolves few specifiers (a commit hook) does not read the kept answers
    and leaves them as they are; one that resolves more than ``ADOPT_AFTER`` reads and
    takes them. Either way each specifier resolves as without them."""
    from codemod import disk, resolve

    monkeypatch.setattr(resolve, "ADOPT_AFTER", 3)
    files = {f"src/m{i}.ts": f"import {{ x }} from './m{(i + 1) % 8}';\nexport const x = {i};\n" for i in range(8)}
    root = write_tree(tmp_path / "p", files)
    folder = tmp_path / "cache"

    def resolver() -> Resolver:
        seen = disk.Disk(root)
        return Resolver(root, sorted(files), surroundings=Surroundings(exists=seen.is_file, disk=seen))

    first = resolver()
    store = FactsCache(folder, "code")
    store.attach(first)
    assert not first.on_offer  # nothing kept yet
    fresh = {(p, f"./m{i}"): first.resolve(p, f"./m{i}") for p in sorted(files) for i in range(8)}
    store.save()
    kept = next(folder.glob("facts-*/resolutions-*"))
    written = kept.read_bytes()

    reads = []
    few = resolver()
    store = FactsCache(folder, "code")
    store.attach(few)
    real = few._offered
    few.offer(lambda: reads.append(1) or real())
    assert [few.resolve("src/m0.ts", f"./m{i}") for i in range(3)] == [fresh["src/m0.ts", f"./m{i}"] for i in range(3)]
    assert reads == [] and few.on_offer and few.adopted == 0
    store.save()
    assert kept.read_bytes() == written  # not read, not rewritten

    many = resolver()
    store = FactsCache(folder, "code")
    store.attach(many)
    assert {key: many.resolve(*key) for key in fresh} == fresh
    assert not many.on_offer and many.adopted == 8  # one answer per folder and specifier
    kept.write_bytes(b"damaged")
    damaged = resolver()
    store = FactsCache(folder, "code")
    store.attach(damaged)
    assert {key: damaged.resolve(*key) for key in fresh} == fresh  # resolved afresh
    assert not damaged.on_offer and damaged.adopted == 0
    store.save()
    assert kept.read_bytes() != b"damaged"  # written anew


def test_a_hook_on_a_relations_module_makes_objects_of_its_tables_only(tmp_path, cache_on, monkeypatch):
    """The relations graph's rows are kept between runs (``drizzle-relations-rows``): a run
    on one relations module after its edit reads the relations of the files the edit
    may affect only, makes property objects of the tables that module's relations touch
    only, and reports what a run without any cache reports."""
    from codemod import engine
    from rewriters import _relation_graph

    generated = gen_schema.generate(files=200, domains=10, seed=11).files  # broken: SF007/SF008 to report
    files = {p: t.encode() for p, t in generated.items() if p.endswith(".ts")}
    relations = sorted(p for p in files if p.endswith("relations.ts"))
    store = FactsCache(cache_on, "code")
    whole = Project.build(tmp_path, files, facts=store)
    _relation_graph.relation_props(whole)
    whole.keep_carried()
    store.save()

    named = next(p for p in relations if p.endswith("shop/relations.ts"))  # SF007 reports there
    edited = {**files, named: files[named] + b"// edited\n"}
    read = record_calls(monkeypatch, _relation_graph, "_read_decl", lambda project, file, *rest: file.path)
    made = record_calls(monkeypatch, _relation_graph, "_objects", lambda file, *rest: file.path)
    unpacked = record_calls(monkeypatch, _relation_graph._Kept, "rows", lambda kept: kept.owners)
    select = "SF007,SF008,SF009"
    project = Project.build(tmp_path, edited, facts=FactsCache(cache_on, "code"))
    kept = engine.run(tmp_path, edited, targets=frozenset({named}), project=project, settings=_only(select))
    affected = project.exports.reverse_closure([named])
    assert named in read and set(read) <= affected
    touched = {t for p in _relation_graph.relation_props(whole) if p.file.path == named for t in (p.owner, p.target)}
    holding = {f.path for t in touched for f, _ in _relation_graph.relations_of(whole).get(t, _Empty).decls}
    assert named in made and set(made) <= holding and len(set(made)) < len(relations) - 2, (set(made), holding)
    assert 0 < len(unpacked) < len(set(made))  # kept rows unpacked for those files only (not the edited one)
    monkeypatch.undo()
    fresh = engine.run(tmp_path, edited, targets=frozenset({named}), settings=_only(select))
    assert [d.message for d in kept.remaining] == [d.message for d in fresh.remaining]
    assert [d.message for d in kept.fixed] == [d.message for d in fresh.fixed] and kept.fixed + kept.remaining


class _Empty:
    decls = ()


def _only(select: str):
    from codemod.rules import Settings

    return Settings(select=frozenset(select.split(",")))


def test_kept_declarations_are_checked_as_files_ask_for_them(tmp_path, cache_on, monkeypatch):
    """Each file's relations() declarations are kept between runs; a run checks the
    kept rows of the files it asks about only (a commit hook after a table edit asks two),
    and a row of another shape (a forged cache) is read afresh, never used."""
    from codemod.project import Unchecked
    from rewriters import _drizzle

    files = sources()
    store = FactsCache(cache_on, "code")
    first = Project.build(tmp_path, files, facts=store)
    expected = {p: [(d.name, d.line, d.table) for d in _drizzle.relations_declarations(f, first)]
                for p, f in first.files.items()}
    first.keep_carried()
    store.save()
    relations = sorted(p for p in files if p.endswith("relations.ts"))
    checked = record_calls(monkeypatch, _drizzle, "_checked", lambda rows: rows)
    again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    assert [(d.name, d.line, d.table) for d in _drizzle.relations_declarations(again.files[relations[0]], again)] \
        == expected[relations[0]]
    assert len(checked) == 1
    every = again.memo(_drizzle._DECLARATIONS, dict)
    forged = list(every[relations[1]])
    forged[0] = (forged[0][0], 7, *forged[0][2:])  # a table name where an int belongs
    every[relations[1]] = Unchecked(forged)  # as an earlier run kept it
    got = _drizzle.relations_declarations(again.files[relations[1]], again)
    assert [(d.name, d.line, d.table) for d in got] == expected[relations[1]]
    assert all(type(d.table) is str for d in got) and len(checked) == 2


def test_kept_rows_of_a_file_the_project_lacks_are_left_out(tmp_path, cache_on):
    """Review finding: kept per-file rows are taken for the same set of files only, but a
    forged value could name one more; the relations graph then looked that file up and
    crashed SF007. Rows of files the project lacks are left out, of every kind."""
    from codemod.project import unaffected
    from rewriters import _relation_graph, _tables

    files = sources()
    store = FactsCache(cache_on, "code")
    first = Project.build(tmp_path, files, facts=store)
    expected = [(p.file.path, p.key, p.target) for p in _relation_graph.relation_props(first)]
    _tables_view(first)
    first.keep_carried()
    store.save()
    again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    owner = next(iter(_tables.tables(first)))
    ghost = ("ghostRelations", 1, owner, True, ())
    value, _ = again._kept_carried(_relation_graph._ROWS)
    again._kept_carried = lambda key: ({**value, "schema/ghost.ts": (ghost,)}, frozenset()) \
        if key == _relation_graph._ROWS else None
    assert "schema/ghost.ts" not in unaffected(again, _relation_graph._ROWS)
    assert [(p.file.path, p.key, p.target) for p in _relation_graph.relation_props(again)] == expected


def test_rows_taken_back_unchecked_are_kept_as_plain_tuples():
    """Rows an earlier run kept are taken back as ``Unchecked`` (checked when a rule uses
    them); kept again, they are plain tuples, which the cache's unpickler (builtins
    only) reads: written as the subclass, the whole kept value would be refused."""
    from codemod import sealed
    from codemod.project import Unchecked, decode_by_file, encode_by_file

    taken = decode_by_file((("a.ts", "b.ts"), {"a.ts": ((1, "x"),)}), Unchecked.of)
    assert type(taken["a.ts"]) is Unchecked and taken["b.ts"] == () and type(taken["b.ts"]) is tuple  # nothing to check
    encoded = encode_by_file({**taken, "c.ts": ((2, "y"),)})
    back = sealed.unpack(sealed.pack(encoded), sealed.BUILTINS)
    assert back == (("a.ts", "b.ts", "c.ts"), {"a.ts": ((1, "x"),), "c.ts": ((2, "y"),)})
    assert all(type(rows) is tuple for rows in back[1].values())
    with pytest.raises(Exception):
        sealed.unpack(sealed.pack((("a.ts",), {"a.ts": Unchecked(((1, "x"),))})), sealed.BUILTINS)


def test_a_carried_kind_written_anew_leaves_no_stale_file(tmp_path):
    """Each kind's file is named for its bytes: when a run keeps other values, the files
    its index no longer names are removed (a cache folder does not grow run after run)."""
    store = FactsCache(tmp_path, "code")
    store.path.mkdir(parents=True)
    name = facts_cache.CARRIED + "0" * 32
    first = store._write_kinds(name, {("a",): (1, b"x"), ("b",): (1, b"y")})
    assert len(list(store.path.glob(name + "-*"))) == 2
    second = store._write_kinds(name, {("a",): (1, b"z")})
    [left] = store.path.glob(name + "-*")
    assert second[("a",)][1] != first[("a",)][1] and left.name.endswith(second[("a",)][1][:16])
    assert facts_cache._kind_bytes(store.path / name, second[("a",)][1]) == b"z"
    (store.path / "00").write_bytes(facts_cache.MAGIC)  # a shard: the folder is schemafix's
    assert facts_cache.is_ours(store.path)


def test_after_an_edit_only_the_affected_files_specifiers_are_read_again(tmp_path, cache_on, monkeypatch):
    """The specifiers each file passes drizzle's relations on from (``_passing_modules``)
    and hands ``drizzle()`` as its schema (``schema_modules``) are facts of the file
    alone, kept between runs: after an edit a run reads those of the files the edit may
    affect, not every file's (19,813 summaries: 0.05 s of a commit hook), and answers as
    a run without the cache. A file that newly hands drizzle a schema is found."""
    from rewriters import _drizzle, _schema_entry

    files = {**sources(), "src/db.ts": b"import * as schema from '../schema';\nexport const db = 1;\n"}

    def run(files: dict[str, bytes], folder: Path | None) -> tuple[Project, tuple]:
        store = FactsCache(folder, "code") if folder is not None else None
        project = Project.build(tmp_path, files, facts=store)
        answers = (_drizzle._passing_modules(project), _schema_entry.schema_modules(project))
        project.keep_carried()
        if store is not None:
            store.save()
        return project, answers

    first, _ = run(files, cache_on)
    handing = (b"import * as schema from '../schema';\nimport { drizzle } from 'drizzle-orm/node-postgres';\n"
               b"export const db = drizzle(process.env.URL!, { schema });\n")
    edited = {**files, "src/db.ts": handing}
    affected = first.exports.reverse_closure(["src/db.ts"])
    asked = record_calls(monkeypatch, SourceFile, "summary", lambda file, key, compute: (key, file.path))
    kept, answers = run(edited, cache_on)
    for key in (("drizzle-passed-on",), ("drizzle-schema-handed",)):
        read = [path for k, path in asked if k == key]
        assert "src/db.ts" in read and set(read) <= affected and len(affected) < len(files) // 4, key
    monkeypatch.undo()
    assert answers == run(edited, None)[1]
    assert answers[1] == ["schema/index.ts"]


def test_a_table_lookup_unpacks_the_rows_of_its_file_alone(tmp_path, cache_on, monkeypatch):
    """Tables kept by an earlier run are looked up by file: looking one up unpacks the
    rows of that file only, and no index of every table is made; going through them all
    unpacks every file's, in the order a run without the cache gives."""
    from rewriters import _tables

    files = sources()
    _run_tables(tmp_path, files, cache_on)
    again = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    unpacked = record_calls(monkeypatch, _tables._KeptTables, "rows", lambda kept: kept.names)
    tables = _tables.tables(again)
    some = next(k for k in _tables.tables(Project.build(tmp_path, files)) if "/relations" not in k[0])
    assert some in tables and (some[0], "noSuchTable") not in tables and None not in tables and "x" not in tables
    assert unpacked == []  # membership reads the names alone
    assert tables[some].name == some[1] and unpacked and all(some[1] in names for names in unpacked)
    assert "_index" not in tables.__dict__
    monkeypatch.undo()
    assert _tables_view(again) == _tables_view(Project.build(tmp_path, files))


def test_every_declaration_row_is_each_files_and_kept_rows_are_checked_by_shape(tmp_path, cache_on):
    """SF013 reads every file's declaration rows at once (``every_declaration_row``):
    the same rows ``declaration_rows`` gives file by file, with a cache or without. A
    kept row is taken only when each field has its type (an int is no bool, a bool no
    int; a table's or member's name may be None)."""
    from rewriters import _drizzle

    files = sources()
    first = Project.build(tmp_path, files, facts=FactsCache(cache_on, "code"))
    _drizzle.every_declaration_row(first)
    first.keep_carried()
    first._store.save()
    for project in (Project.build(tmp_path, files, facts=FactsCache(cache_on, "code")), Project.build(tmp_path, files)):
        every = _drizzle.every_declaration_row(project)
        assert every.keys() == project.files.keys() and any(every.values())
        fresh = Project.build(tmp_path, files)
        assert {p: rows for p, rows in every.items() if rows} == {
            p: _drizzle.declaration_rows(fresh, f) for p, f in fresh.files.items() if _drizzle.declaration_rows(fresh, f)}
    row = ("usersRelations", "users", 10, 90, True, 3, 0, 0, "identifier", None)
    assert _drizzle._checked((row, row[:8] + (None, "m")))
    for bad in (row[:4] + (1,) + row[5:], row[:5] + (True,) + row[6:], row[:9], row + (None,), list(row), "row"):
        assert not _drizzle._checked((row, bad))
