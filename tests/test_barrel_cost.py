"""SF005's cost, counted (never timed): work done once per project snapshot stays once.

Each test counts a hot operation over a run whose results other SF005 tests check;
the counts are what the old code exceeded.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from support import diagnostics, record_calls, run
from test_barrel import SCHEMA, TABLE_LINES, table

from rewriters import barrel


def _count_constructions(monkeypatch) -> Counter:
    """(project snapshot, root) -> how many ``_Barrel`` were built for it."""
    built: Counter = Counter()
    real = barrel._Barrel.__init__

    def counted(self, project, root):
        built[(id(project), root)] += 1
        real(self, project, root)

    monkeypatch.setattr(barrel._Barrel, "__init__", counted)
    return built


def test_claims_and_check_share_one_barrel_per_root_and_snapshot(monkeypatch):
    built = _count_constructions(monkeypatch)
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES}
    found = diagnostics(files, select="SF005")  # claims, then check, on one snapshot
    assert any(d.code == "SF005" and d.fix is not None for d in found)
    assert list(built.values()) == [1], built


def test_one_barrel_per_root_and_pass_over_a_whole_run(monkeypatch):
    built = _count_constructions(monkeypatch)
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES,
             "other/index.ts": "export * from './a';\nexport * from './b';\n",
             "other/a.ts": table("a"), "other/b.ts": "export const b = 1;\n"}
    outcome = run(files, select="SF005")
    assert outcome.fixed
    assert {root for _, root in built} == {"schema/index.ts", "other/index.ts"}
    assert set(built.values()) == {1}, built  # one per (snapshot, root), claims and check together


def test_a_snapshot_is_freed_without_the_cycle_collector():
    """The shared ``_Barrel`` lives in its project's memo: it must not hold the project
    (a cycle would keep every pass's snapshot alive until a full collection, which the
    CLI's collector thresholds make rare)."""
    from pathlib import Path

    from support import encode, freed_without_the_collector

    from codemod.project import Project
    from codemod.rules import Context, Settings

    def use() -> Project:
        project = Project.build(Path("/project"), encode({**SCHEMA, "schema/index.ts": TABLE_LINES}))
        ctx = Context(project, Settings(select=frozenset({"SF005"})))
        list(barrel.claims(ctx))
        assert list(barrel.check(ctx))
        return project
    assert freed_without_the_collector(use)


def _by_file(calls: list[tuple]) -> Counter:
    """(path, bytes) -> calls of a function of one file (``record_calls``)."""
    return Counter((file.path, file.data) for (file,) in calls)


def test_file_facts_read_once_per_file_bytes_across_passes(monkeypatch):
    """Whether a module defines tables, and what its imports take by name, are facts of
    the file alone: read once while its bytes last, not once per pass."""
    from rewriters import _barrels

    tables = record_calls(monkeypatch, _barrels, "_defines_tables")
    imports = record_calls(monkeypatch, _barrels, "_read_import_lines")
    files = {**SCHEMA, "schema/index.ts": "export * from './user/users';\nexport * from './post/oldposts';\n"}
    outcome = run(files, select="SF005")
    assert outcome.passes >= 2  # the stale line is repointed, then the rest is added
    tables, imports = _by_file(tables), _by_file(imports)
    assert tables and set(tables.values()) == {1}, tables
    assert imports and set(imports.values()) == {1}, imports  # names taken: the stale line looks for them


def test_existing_collisions_resolve_each_line_once_not_once_per_name(monkeypatch):
    def resolves(n: int) -> int:
        names = [f"n{i}" for i in range(n)]
        body = "".join(f"export const {x} = 1;\n" for x in names)
        files = {**SCHEMA, "schema/a.ts": body, "schema/b.ts": body,
                 "schema/index.ts": TABLE_LINES + "export * from './a';\nexport * from './b';\n"}
        from codemod.resolve import Resolver

        calls = record_calls(monkeypatch, Resolver, "resolve")
        found = diagnostics(files, select="SF005")
        assert sum("exported twice" in d.message for d in found) == n
        monkeypatch.undo()
        return sum(1 for _, importer, _ in calls if importer == "schema/index.ts")

    assert resolves(20) == resolves(5)


def test_pool_scanned_once_per_snapshot_not_once_per_stale_line(monkeypatch):
    """The modules under the barrel's folder are listed once, however many stale lines
    look for their replacement among them."""
    from rewriters import _barrels

    def scans(stale: int) -> int:
        files = {**SCHEMA, "schema/index.ts": TABLE_LINES
                 + "".join(f"export * from './gone/m{i}';\n" for i in range(stale))}
        count = record_calls(monkeypatch, _barrels, "skipped")
        found = diagnostics(files, select="SF005")
        assert sum("does not exist" in d.message for d in found) == stale
        monkeypatch.undo()
        return len(count)

    assert scans(12) == scans(3)


def test_a_barrel_s_style_and_layout_are_read_once_for_many_lines(monkeypatch):
    """Adding modules to one barrel one fix at a time (SF001 per import, SF011 per orphan)
    reads the barrel's style, layout and alias once, not once per module."""
    from codemod.project import Project
    from codemod.rules import Context
    from rewriters import _barrel_lines, _barrels

    styles = record_calls(monkeypatch, _barrel_lines, "detect")
    layouts = record_calls(monkeypatch, _barrels, "layout")
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES}
    project = Project.build(Path("/p"), {p: t.encode() for p, t in files.items()})
    ctx = Context(project)
    modules = sorted(p for p in files if p != "schema/index.ts")
    fixes = [_barrel_lines.reexport_fix(ctx, "schema/index.ts", [_barrel_lines.Addition(m, "schema/index.ts",
                                                                                        "tables", {})])
             for m in modules]
    assert len(modules) >= 3 and all(f is not None for f in fixes)
    assert len(styles) == 1 and len(layouts) == 1


def test_a_barrel_that_reaches_every_module_reads_no_relations_declaration(monkeypatch):
    """Whether a module the barrel misses declares relations is asked of the modules
    with a name the barrel misses only: a healthy barrel reads no declaration (the
    commit hook names one file, and its barrels above are checked too)."""
    read = record_calls(monkeypatch, barrel._Barrel, "decls", lambda self, path: path)
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES + "export * from './user/relations';\n"
             "export * from './post/relations';\nexport * from './tag/relations';\n"}
    assert diagnostics(files, select="SF005") == []
    assert read == []
    files["schema/index.ts"] = TABLE_LINES + "export * from './user/relations';\n"
    assert [d.code for d in diagnostics(files, select="SF005")] == ["SF005"]
    assert sorted(set(read)) == ["schema/post/relations.ts", "schema/tag/relations.ts"]

