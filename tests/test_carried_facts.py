"""The whole-project drizzle facts (tables, relations declarations, the relations graph)
are read again, in a snapshot built from another, only for the files ``Project.carried``
calls affected: the changed files and every file importing or re-exporting them,
transitively. Everywhere else the earlier snapshot's reading is kept, and every result
equals a reading from scratch."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from codemod import engine, tsconfig
from codemod.project import Project
from rewriters import _drizzle, _relation_graph, _tables
from support import record_calls

from support import gen_schema  # noqa: E402

ROOT = Path("/p")

FILES = {
    "columns.ts": "import { timestamp } from 'drizzle-orm/pg-core';\n"
                  "export const timestamps = { createdAt: timestamp('created_at') };\n",
    "users.ts": "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
                "import { timestamps } from './columns';\n"
                "export const users = pgTable('users', { id: serial('id'), ...timestamps });\n",
    "posts.ts": "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
                "import { users } from './users';\n"
                "export const posts = pgTable('posts', { id: serial('id'),\n"
                "  authorId: integer('author_id').references(() => users.id) });\n",
    "tags.ts": "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
               "export const tags = pgTable('tags', { id: serial('id') });\n",
    "relations.ts": "import { relations } from 'drizzle-orm';\n"
                    "import { users } from './users';\n"
                    "import { posts } from './posts';\n"
                    "export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));\n"
                    "export const postsRelations = relations(posts, ({ one }) => ({\n"
                    "  author: one(users, { fields: [posts.authorId], references: [users.id] }) }));\n",
    "tagRelations.ts": "import { relations } from 'drizzle-orm';\n"
                       "import { tags } from './tags';\n"
                       "export const tagsRelations = relations(tags, () => ({}));\n",
    "index.ts": "export * from './users';\nexport * from './posts';\nexport * from './tags';\n"
                "export * from './relations';\nexport * from './tagRelations';\n",
}


def _build(files: dict[str, str], previous: Project | None = None) -> Project:
    sources = {p: t.encode() for p, t in files.items()}
    if previous is None:
        return Project.build(ROOT, sources)
    return Project.build(ROOT, sources, previous=previous)


def _table_view(project: Project) -> list:
    return [(k, t.module, t.name, t.line, t.columns, t.complete, t.foreign_keys)
            for k, t in _tables.tables(project).items()]


def _graph_view(project: Project) -> list:
    out = []
    for owner, entry in _relation_graph.relations_of(project).items():
        out.append((owner, entry.known, [(f.path, d.name, d.start) for f, d in entry.decls],
                    [(p.file.path, p.key, p.kind, p.target, p.line, p.relation_name,
                      [(c.qualifier, c.column, c.table) for c in p.fields or ()],
                      [(c.qualifier, c.column, c.table) for c in p.references or ()]) for p in entry.props]))
    return out


def _counting(monkeypatch, module, name: str) -> list[str]:
    """The file of each call of ``module.name(project_or_ctx, file, …)``, by path."""
    return record_calls(monkeypatch, module, name, lambda _, file, *rest: file.path)


def test_tables_are_read_again_only_in_affected_files(monkeypatch):
    first = _build(FILES)
    _tables.tables(first)
    reads = _counting(monkeypatch, _tables, "_read_table")
    edited = dict(FILES, **{"tags.ts": FILES["tags.ts"].replace("id: serial('id')", "id: serial('id'), label: serial('l')")})
    second = _build(edited, previous=first)
    assert [t for t in _table_view(second) if t[0] == ("tags.ts", "tags")][0][4] == ("id", "label")
    assert reads == ["tags.ts"]  # index.ts and tagRelations.ts are affected too, but define no table
    assert _table_view(second) == _table_view(_build(edited))


def test_a_table_is_read_again_when_a_file_it_imports_changes(monkeypatch):
    """users.ts keeps its bytes, but the spread it takes from columns.ts gains a column."""
    first = _build(FILES)
    _tables.tables(first)
    reads = _counting(monkeypatch, _tables, "_read_table")
    edited = dict(FILES, **{"columns.ts": FILES["columns.ts"].replace(
        "createdAt: timestamp('created_at')", "createdAt: timestamp('created_at'), updatedAt: timestamp('u')")})
    second = _build(edited, previous=first)
    users = [t for t in _table_view(second) if t[0] == ("users.ts", "users")][0]
    assert users[4] == ("id", "createdAt", "updatedAt")
    assert sorted(reads) == ["posts.ts", "users.ts"]  # posts.ts imports users.ts: affected too
    assert _table_view(second) == _table_view(_build(edited))


def test_relations_are_read_again_only_in_affected_files(monkeypatch):
    first = _build(FILES)
    _relation_graph.relations_of(first)
    reads = _counting(monkeypatch, _relation_graph, "_read_decl")
    declared = record_calls(monkeypatch, _drizzle, "_relations_declarations", lambda file, bindings: file.path)
    edited = dict(FILES, **{"tagRelations.ts": FILES["tagRelations.ts"] + "// touched\n"})
    second = _build(edited, previous=first)
    view = _graph_view(second)
    assert reads == ["tagRelations.ts"]
    # index.ts re-exports it: affected; tagRelations.ts was also read as it was parsed
    # (``_drizzle._relations_alone``), from the same summary
    assert sorted(declared) == ["index.ts", "tagRelations.ts", "tagRelations.ts"]
    assert view == _graph_view(_build(edited))
    # the declarations a rule asks for are the ones the carried graph holds
    kept = _drizzle.relations_declarations(second.files["relations.ts"], second)
    graph = _relation_graph.relations_of(second)
    assert {id(d) for f, d in graph[("users.ts", "users")].decls} <= {id(d) for d in kept}


def test_a_relation_is_read_again_when_its_table_is_renamed():
    """relations.ts keeps its bytes; users.ts no longer exports `users`: its relations
    have no table any more, so nothing may be called missing (known is False)."""
    first = _build(FILES)
    assert _relation_graph.relations_of(first)[("posts.ts", "posts")].known
    edited = dict(FILES, **{"users.ts": FILES["users.ts"].replace("export const users", "export const accounts")})
    second = _build(edited, previous=first)
    graph = _graph_view(second)
    assert graph == _graph_view(_build(edited))
    assert ("users.ts", "users") not in dict((g[0], g) for g in graph)
    assert not _relation_graph.relations_of(second)[("posts.ts", "posts")].known


def test_nothing_is_carried_when_a_file_is_added(monkeypatch):
    first = _build(FILES)
    _tables.tables(first)
    reads = _counting(monkeypatch, _tables, "_read_table")
    edited = dict(FILES, **{"extra.ts": "export const x = 1;\n"})
    second = _build(edited, previous=first)
    view = _table_view(second)
    assert sorted(reads) == ["posts.ts", "tags.ts", "users.ts"]
    assert view == _table_view(_build(edited))


@pytest.mark.parametrize("shape", [dict(files=30, domains=4), dict(files=60, domains=6)])
def test_a_run_gives_what_it_gives_without_carrying(tmp_path, monkeypatch, shape):
    """Every pass of a whole run on a broken schema (imports repointed, relations moved
    and added, barrel lines added): the same fixes, the same result, the same remaining
    diagnostics as with every fact read from scratch in every snapshot."""
    generated = gen_schema.generate(**shape)
    (tmp_path / "tsconfig.json").write_text(generated.files["tsconfig.json"])
    config = tsconfig.load(tmp_path / "tsconfig.json")
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}

    def run() -> tuple:
        outcome = engine.run(tmp_path, sources, config=config)
        view = [(d.code, d.path, d.line, d.message) for d in outcome.fixed]
        return view, outcome.final, [(d.code, d.path, d.line, d.message) for d in outcome.remaining], outcome.passes

    carried = run()
    assert carried[3] >= 2 and len(carried[0]) > 10
    monkeypatch.setattr(Project, "carried", lambda self, key: None)
    assert run() == carried


def test_sf001_checks_again_only_affected_or_unhealthy_files(monkeypatch):
    """A file whose every import was healthy in the snapshot this one was built from,
    and that neither changed nor imports a changed file, is not checked again; a file
    with a broken import is, changed or not."""
    from codemod.rules import Context
    from rewriters import imports

    files = dict(FILES, **{"broken.ts": "import { users } from './user';\nexport const b = users;\n"})
    first = _build(files)
    found = [d.path for d in imports.check(Context(first))]
    assert found == ["broken.ts"]
    checked = _counting(monkeypatch, imports, "_check_file")
    edited = dict(files, **{"tags.ts": files["tags.ts"] + "// touched\n"})
    second = _build(edited, previous=first)
    assert [d.path for d in imports.check(Context(second))] == ["broken.ts"]
    assert sorted(checked) == ["broken.ts", "index.ts", "tagRelations.ts", "tags.ts"]
    # a file a change breaks is checked again though its own bytes did not move
    renamed = dict(edited, **{"users.ts": edited["users.ts"].replace("export const users", "export const accounts")})
    checked.clear()
    third = _build(renamed, previous=second)
    assert sorted(d.path for d in imports.check(Context(third))) == ["broken.ts", "posts.ts", "relations.ts"]
    assert "posts.ts" in checked and "columns.ts" not in checked


def test_sf010_measures_the_folders_once_while_the_paths_stay(monkeypatch):
    from codemod.rules import Context
    from rewriters import file_naming

    files = {"a/user-credits.ts": "export const a = 1;\n", "a/refund-items.ts": "export const b = 1;\n",
             "a/userPromotions.ts": "export const c = 1;\n"}
    measured: list[int] = []
    real = file_naming.settled_outliers
    monkeypatch.setattr(file_naming, "settled_outliers", lambda paths: measured.append(len(paths)) or real(paths))
    first = _build(files)
    assert [d.path for d in file_naming.check(Context(first))] == ["a/userPromotions.ts"]
    second = _build(dict(files, **{"a/user-credits.ts": "export const a = 2;\n"}), previous=first)
    assert [d.path for d in file_naming.check(Context(second))] == ["a/userPromotions.ts"]
    assert measured == [3]
    third = _build(dict(files, **{"a/more-things.ts": "export const d = 1;\n"}), previous=second)
    assert [d.path for d in file_naming.check(Context(third))] == ["a/userPromotions.ts"]
    assert measured == [3, 4]  # a new path: measured again


def test_sf006_looks_up_tables_again_only_in_affected_files(monkeypatch):
    """SF006 groups every relations() declaration by its table: in a snapshot built from
    another, the tables of declarations in files the change cannot affect are carried;
    its diagnostics are those of a snapshot read from scratch, after an unrelated edit
    and after the table a declaration is for is renamed."""
    from codemod.rules import Context
    from rewriters import _relations_rows as sf006_rows
    from rewriters import relations_in_two_modules as sf006

    files = dict(FILES, **{"moreRelations.ts": "import { relations } from 'drizzle-orm';\n"
                                               "import { users } from './users';\n"
                                               "export const usersRelations = relations(users, () => ({}));\n",
                           "index.ts": FILES["index.ts"] + "export * from './moreRelations';\n"})

    def view(project: Project) -> list:
        return [(d.path, d.line, d.message) for d in sf006.check(Context(project))]

    first = _build(files)
    before = view(first)
    assert len(before) == 4  # users' relations in two modules; the export usersRelations twice
    looked = record_calls(monkeypatch, sf006_rows, "_table_key", lambda file, *rest: file.path)
    edited = dict(files, **{"tags.ts": files["tags.ts"] + "// touched\n"})
    second = _build(edited, previous=first)
    got = view(second)
    assert sorted(set(looked)) == ["tagRelations.ts"]  # tags.ts and index.ts declare no relations
    assert got == view(_build(edited)) == before
    looked.clear()
    # users.ts now passes tags on as `users`: the relations of `users` are the tags' (their
    # files keep their bytes), declared in three modules
    renamed = dict(edited, **{"users.ts": "export { tags as users } from './tags';\n"})
    third = _build(renamed, previous=second)
    got = view(third)
    assert {"relations.ts", "moreRelations.ts"} <= set(looked) and "tagRelations.ts" not in looked
    assert got == view(_build(renamed)) != before
    assert any("table 'tags'" in message and "tagRelations.ts" in message for _, _, message in got)


@pytest.mark.slow  # three CLI runs on a 60-file schema
def test_sf006_rows_are_kept_between_runs(tmp_path, tmp_path_factory, monkeypatch):
    """The commit hook's case: after a table module's edit, SF006 looks up the tables of
    the declarations in the files that edit may affect only, and reports what a run
    without any cache reports."""
    from click.testing import CliRunner

    from codemod import cli
    from rewriters import _relations_rows as sf006_rows
    from rewriters import relations_in_two_modules as sf006
    from support import cache_turned_on, write_tree

    cache_turned_on(tmp_path_factory, monkeypatch, "sf006-rows")
    generated = gen_schema.generate(files=60, domains=6, healthy=True)
    root = write_tree(tmp_path / "p", dict(generated.files))
    relations = sorted(p.relative_to(root).as_posix() for p in root.rglob("relations.ts"))
    assert len(relations) >= 3

    def invoke(*args):
        result = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    invoke("--check", str(root))
    domain = relations[0].rsplit("/", 1)[0]
    table = sorted(p.relative_to(root).as_posix() for p in (root / domain).glob("*.ts")
                   if p.name not in ("relations.ts", "index.ts", "enums.ts"))[0]
    (root / table).write_text((root / table).read_text() + "// edited\n")
    looked = record_calls(monkeypatch, sf006_rows, "_table_key", lambda file, *rest: file.path)
    affected: list[frozenset[str]] = []
    real = Project.carried
    monkeypatch.setattr(Project, "carried", lambda self, key: (
        found := real(self, key), key == sf006_rows._ROWS and found is not None and affected.append(found[1]))[0])
    warm = invoke("--check", str(root / relations[0]))
    assert len(affected) == 1 and relations[0] in affected[0]  # kept by the first run
    assert looked and set(looked) <= affected[0], looked  # the files the edit cannot affect: kept
    assert len(set(looked)) < len(relations)
    monkeypatch.undo()
    assert warm == invoke("--check", "--no-cache", str(root / relations[0]))


def test_sf006_rows_not_of_the_file_point_at_nothing(monkeypatch):
    """A carried row that does not match its file's declarations (only a tampered cache
    gives one: a kept value is checksummed) is not reported on, and does not crash."""
    from codemod.rules import Context
    from rewriters import _relations_rows as sf006_rows
    from rewriters import relations_in_two_modules as sf006

    files = dict(FILES, **{"moreRelations.ts": "import { relations } from 'drizzle-orm';\n"
                                               "import { users } from './users';\n"
                                               "export const usersRelations = relations(users, () => ({}));\n",
                           "index.ts": FILES["index.ts"] + "export * from './moreRelations';\n"})
    project = _build(files)
    genuine = [(d.path, d.line, d.message) for d in sf006.check(Context(project))]
    assert len(genuine) == 4
    rows = dict(sf006_rows._rows(project))
    rows["moreRelations.ts"] += (("users.ts", "users", True, "forgedRelations", 9),)  # no such declaration
    rows["relations.ts"] = tuple((*r[:3], "renamed", r[4]) for r in rows["relations.ts"])  # names not the file's
    project._memo[sf006_rows._ROWS] = rows
    got = [(d.path, d.line, d.message) for d in sf006.check(Context(project))]
    assert {(p, line) for p, line, _ in got} <= {(p, line) for p, line, _ in genuine}
    assert all(p == "moreRelations.ts" for p, _, _ in got) and got


def _props_of(props) -> list:
    return [(p.file.path, p.decl.name, p.key, p.kind, p.owner, p.target, p.relation_name, p.line,
             [(c.qualifier, c.column, c.table) for c in p.fields or ()],
             [(c.qualifier, c.column, c.table) for c in p.references or ()]) for p in props]


def test_the_properties_of_some_files_are_those_of_the_whole_graph_in_those_files():
    """``relation_props_in`` (what SF007-SF009 report on: the named files) gives, in the
    same order, what ``relation_props`` gives in those files, and makes objects of the
    tables those files' declarations are for only."""
    generated = gen_schema.generate(files=60, domains=6, seed=7)
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}
    whole = _props_of(_relation_graph.relation_props(Project.build(ROOT, sources)))
    relations = sorted(p for p in sources if p.endswith("relations.ts"))
    assert len(relations) >= 3 and len(whole) > 50
    for paths in ({relations[0]}, set(relations[1:3]), set(relations), {"schema/index.ts"}):
        project = Project.build(ROOT, sources)
        some = _relation_graph.relation_props_in(project, paths)
        assert _props_of(some) == [w for w in whole if w[0] in paths]
        graph = _relation_graph.relations_of(project)
        owners = {p.owner for p in some}
        assert set(graph._made) == owners  # no other table's entry was made
        assert all(graph[o] is graph[o] for o in owners)  # made once: the same objects for every rule


def test_relations_rows_not_of_the_file_make_no_properties():
    """A kept row that does not match its file's declaration, a property row of another
    shape, or packed rows that are not what their index says (only a tampered cache gives
    any: a kept value is checksummed) make no object, and their table's relations are not
    known (nothing may be called missing)."""
    from codemod import sealed

    def plain(rows):  # as this run holds them (packed: ``_Held``) but unpacked
        return {path: _relation_graph._unpacked(found)[0] for path, found in rows.items()}

    def kept(rows):  # as an earlier run kept them: packed, unpacked when objects are made
        return _relation_graph._Kept(_relation_graph._owners(rows), sealed.pack(_relation_graph._ones(rows)),
                                     sealed.pack(rows))

    project = _build(FILES)
    rows = plain(_relation_graph._rows(project))
    first, second = rows["relations.ts"][:2]
    bad = (second[4][0][:3] + ("not a line",) + second[4][0][4:],)
    rows["tagRelations.ts"] = ()
    rows["relations.ts"] = kept(((first[0] + "X", *first[1:]), (*second[:4], bad), *rows["relations.ts"][2:]))
    project._memo[_relation_graph._ROWS] = rows
    graph = _relation_graph.relations_of(project)
    assert not graph[first[2]].known and graph[first[2]].props == []
    assert not graph[second[2]].known and graph[second[2]].props == []
    assert _relation_graph.relation_props(project) == []

    project = _build(FILES)
    rows = plain(_relation_graph._rows(project))
    genuine = kept(rows["relations.ts"])
    assert _relation_graph._Kept(genuine.owners, genuine.ones, genuine.payload).rows() == rows["relations.ts"]
    rows["relations.ts"] = _relation_graph._Kept(genuine.owners[::-1], genuine.ones, genuine.payload)  # another index
    rows["tagRelations.ts"] = kept(rows["tagRelations.ts"])
    project._memo[_relation_graph._ROWS] = rows
    graph = _relation_graph.relations_of(project)
    assert all(not graph[o].known and graph[o].props == [] for o in genuine.owners)
    assert all(p.file.path == "tagRelations.ts" for p in _relation_graph.relation_props(project))


def test_relations_rows_are_held_packed_and_carried_as_they_are():
    """A relations module's rows are held as marshal bytes beside its tables (``_Held``),
    unpacked to what was read; a file without declarations has none; a snapshot built
    from this one takes an unaffected file's packed rows as they are."""
    first = _build(FILES)
    rows = _relation_graph.relations_of(first).rows
    held = rows["relations.ts"]
    assert type(held) is _relation_graph._Held and type(held.blob) is bytes
    assert held.rows() == _relation_graph._read(first, first.files["relations.ts"])
    assert held.owners == (("users.ts", "users"), ("posts.ts", "posts"))
    assert rows["users.ts"] == () and rows["index.ts"] == ()
    edited = dict(FILES, **{"tagRelations.ts": FILES["tagRelations.ts"] + "// touched\n"})
    second = _relation_graph.relations_of(_build(edited, previous=first)).rows
    assert second["relations.ts"] is held
    assert type(second["tagRelations.ts"]) is _relation_graph._Held and second["tagRelations.ts"] is not rows["tagRelations.ts"]


def test_the_explicit_ones_read_from_the_rows_are_those_of_the_properties():
    """SF008 counts how a project names its one() relations from the rows
    (``explicit_ones``), without making every property: the same relations."""
    generated = gen_schema.generate(files=60, domains=6, seed=7)
    project = Project.build(ROOT, {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")})
    expected = [(p.key, tuple(c.column for c in p.fields), p.target)
                for p in _relation_graph.relation_props(project) if p.explicit]
    assert len(expected) > 20
    assert Counter(_relation_graph.explicit_ones(project)) == Counter(expected)


def test_tables_are_made_as_they_are_asked_for():
    """``tables`` is a mapping made from rows: a rule that looks up one table makes one
    object (a commit hook looks at a few of 19,813), the same object every time."""
    project = _build(FILES)
    found = _tables.tables(project)
    assert list(found) == [("posts.ts", "posts"), ("tags.ts", "tags"), ("users.ts", "users")] and not found._made
    users = found[("users.ts", "users")]
    assert users.columns == ("id", "createdAt") and found.get(("users.ts", "users")) is users
    assert list(found._made) == [("users.ts", "users")] and ("x.ts", "x") not in found
    assert _table_view(project) == _table_view(_build(FILES))


def test_a_lookup_of_a_made_table_or_of_no_identity():
    """``get`` and ``in`` answer a table made already from ``_made`` (most lookups), and
    a key that is no identity (unhashable, not a pair) is absent, never an error."""
    found = _tables.tables(_build(FILES))
    users = found[("users.ts", "users")]
    found._by_file = {}  # what is made is answered without the rows
    assert found.get(("users.ts", "users")) is users and ("users.ts", "users") in found
    assert ("posts.ts", "posts") not in found and found.get(("posts.ts", "posts"), 1) == 1
    for key in (["users.ts", "users"], ("users.ts", ["users"]), ("users.ts",), "users", None):
        assert key not in found and found.get(key, "absent") == "absent"


def test_the_inverse_candidates_are_those_of_a_scan_of_the_target_s_relations():
    """``inverse_candidates`` reads the target's relations by target and by relationName,
    indexed once per entry: the same properties, in the same order, as a scan of them all
    (drizzle's ``normalizeRelation``: with a relationName, the target's relations of that
    name but the property itself; without, every relation of the target back to the
    property's table)."""
    generated = gen_schema.generate(files=120, domains=8, seed=3)
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}
    sources["schema/named.ts"] = (
        b"import { relations } from 'drizzle-orm';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
        b"export const people = pgTable('people', { id: serial('id') });\n"
        b"export const notes = pgTable('notes', { id: serial('id'), by: integer('by'), to: integer('to') });\n"
        b"export const peopleRelations = relations(people, ({ many }) => ({\n"
        b"  wrote: many(notes, { relationName: 'by' }), got: many(notes, { relationName: 'to' }),\n"
        b"  again: many(notes, { relationName: 'by' }), loose: many(notes) }));\n"
        b"export const notesRelations = relations(notes, ({ one }) => ({\n"
        b"  author: one(people, { fields: [notes.by], references: [people.id], relationName: 'by' }),\n"
        b"  reader: one(people, { fields: [notes.to], references: [people.id], relationName: 'to' }) }));\n")
    project = Project.build(ROOT, sources)
    graph = _relation_graph.relations_of(project)
    props = _relation_graph.relation_props(project)
    named = [p for p in props if isinstance(p.relation_name, str)]
    assert len(props) > 100 and len(named) == 5
    seen = 0
    for prop in props:
        entry = graph.get(prop.target)
        if entry is None:
            continue
        if isinstance(prop.relation_name, str):
            scan = [q for q in entry.props if q is not prop and q.relation_name == prop.relation_name]
        else:
            scan = [q for q in entry.props if q.target == prop.owner]
        got = _relation_graph.inverse_candidates(project, prop)
        assert [id(q) for q in got] == [id(q) for q in scan], (prop.file.path, prop.key)
        seen += bool(scan)
    assert seen > 50
    entry = graph[props[0].owner]
    assert entry.props_by()[0] is entry.props_by()[0]  # indexed once
    entry.props.append(props[0])  # an entry that grew is indexed again
    assert entry.props_by()[0][props[0].target][-1] is props[0]


def test_a_snapshot_is_freed_without_the_cycle_collector_after_every_rule():
    """No memo value a rule leaves in its project holds that project (the relations graph
    did): a cycle keeps every pass's snapshot alive until a full collection, which the
    CLI's collector thresholds make rare (a cold 4,993-file run: 270 -> 373 MB)."""
    from codemod.rules import Context, all_rules
    from support import freed_without_the_collector

    generated = gen_schema.generate(files=60, domains=6, seed=7)  # broken: every rule has work

    def use() -> Project:
        project = Project.build(ROOT, {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")})
        reported = 0
        for r in all_rules():
            ctx = Context(project, rule=r.code)
            if r.claims is not None:
                list(r.claims(ctx))
            reported += len(list(r.check(ctx)))
        assert reported > 10 and _relation_graph.relations_of(project) and _tables.tables(project)
        return project
    assert freed_without_the_collector(use)
