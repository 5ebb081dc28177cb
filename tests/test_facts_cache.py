"""Each file's facts kept between runs (codemod/facts_cache.py): a run after an edit
gathers the facts of the edited files only and parses the others only when a rule asks
for a tree, with the same output as a run without any cache; a damaged or tampered
shard is a miss; ``schemafix clean`` removes the facts; another version of schemafix
does not read them."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cli, discovery, facts_cache, project as project_mod
from codemod.facts import gather_facts
from codemod.facts_cache import FactsCache
from support import cache_turned_on, record_calls, write_tree

REPO = Path(__file__).resolve().parent.parent
from support import gen_schema  # noqa: E402


@pytest.fixture(autouse=True)
def cache_on(tmp_path_factory, monkeypatch):
    return cache_turned_on(tmp_path_factory, monkeypatch, "facts-under-test")


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    return record_calls(monkeypatch, project_mod, "parse_with_gaps", lambda path, data: path)


def invoke(*args: str):
    result = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def schema(tmp_path: Path, **shape) -> Path:
    generated = gen_schema.generate(**shape)
    return write_tree(tmp_path / "schema", {p: t for p, t in generated.files.items()})


def test_cached_facts_are_the_facts(tmp_path, cache_on):
    example = REPO / "examples" / "broken-schema"
    files = {p.relative_to(example).as_posix(): p.read_bytes() for p in sorted(example.rglob("*.ts"))}
    assert len(files) > 10
    files.update({p: t.encode() for p, t in gen_schema.generate(files=30, domains=4).files.items()
                  if p.endswith(".ts")})
    store = FactsCache(cache_on, "code")
    for path, data in files.items():
        store.put(path, data, gather_facts(path, data))
    store.save()
    again = FactsCache(cache_on, "code")
    assert all(again.get(p, d).facts == gather_facts(p, d) for p, d in files.items())
    assert again.get("other/path.ts", next(iter(files.values()))) is None  # keyed on the path too
    assert FactsCache(cache_on, "another version").get(*next(iter(files.items()))) is None


@pytest.mark.slow  # two runs on a 60-file schema (~1.2 s)
def test_after_an_edit_only_what_rules_need_is_parsed(tmp_path, parses):
    root = schema(tmp_path, files=60, domains=6, healthy=True)
    sources = sorted(str(p.relative_to(root)) for p in root.rglob("*.ts"))
    assert invoke("--check", str(root))[0] == 0
    assert len(parses) >= len(sources)  # the first run parses everything
    table = next(p for p in sources if not p.endswith(("relations.ts", "index.ts", "enums.ts")))
    (root / table).write_text((root / table).read_text() + "// edited\n")
    parses.clear()
    warm = invoke("--check", str(root / table))
    assert table in parses
    parsed = set(parses)
    assert len(parsed) < len(sources) / 2, parsed  # the relations modules, the target, the barrel
    assert warm == invoke("--check", "--no-cache", str(root / table))


@pytest.mark.slow  # two runs on a 60-file schema (~1.2 s)
def test_after_an_edit_no_relations_module_is_parsed_again(tmp_path, parses, monkeypatch):
    """The commit hook's case: every rule reads each file's relations() declarations,
    which used to parse every relations module on every run. Their node-free reading
    is kept in the file's entry (``SourceFile.summary``), so a table module's edit
    parses that module only, and no declarations are read again."""
    from rewriters import _drizzle

    root = schema(tmp_path, files=60, domains=6, healthy=True)
    sources = sorted(str(p.relative_to(root)) for p in root.rglob("*.ts"))
    relations = [p for p in sources if p.endswith("relations.ts")]
    assert len(relations) >= 3
    assert invoke("--check", str(root))[0] == 0
    table = next(p for p in sources if not p.endswith(("relations.ts", "index.ts", "enums.ts")))
    (root / table).write_text((root / table).read_text() + "// edited\n")
    read = record_calls(monkeypatch, _drizzle, "_rows", lambda file, bindings: file.path)
    parses.clear()
    warm = invoke("--check", str(root / table))
    assert not set(parses) & set(relations), parses
    assert parses == [table]  # the barrel above it is reported on, and is known to be one unparsed
    assert read == []
    assert warm == invoke("--check", "--no-cache", str(root / table))


def _props_view(project) -> list:
    """Every field of every relation property, nodes as (type, start, end)."""
    from rewriters._relation_graph import relation_props

    def span(node):
        return None if node is None else (node.type, node.start_byte, node.end_byte)

    def refs(columns):
        return None if columns is None else [(c.qualifier, c.column, c.table, span(c.node)) for c in columns]
    return [(p.file.path, p.decl.name, p.key, p.kind, p.owner, p.target, p.relation_name, p.line, p.explicit,
             span(p.member.node), span(p.member.value), p.member.start, p.member.end, span(p.target_node),
             span(p.config), refs(p.fields), refs(p.references)) for p in relation_props(project)]


def test_a_relations_module_is_parsed_once_for_its_declarations_and_properties(parses):
    """Its declarations and its properties are both summaries of its tree, taken as it
    is parsed for its facts (``_drizzle._relations_alone``): a relations module that
    imports drizzle's relations itself is not parsed again for either."""
    from collections import Counter

    from rewriters._relation_graph import relation_props

    generated = gen_schema.generate(files=60, domains=6, seed=3)
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}
    project = project_mod.Project.build(Path("/p"), sources)
    assert len(relation_props(project)) > 50
    assert any(p.endswith("relations.ts") for p in sources)
    assert Counter(parses) == Counter(list(sources))  # each file once: for its facts


def test_the_relations_graph_of_known_files_parses_none(tmp_path, cache_on, parses):
    """Each relations() property is read once into the file's summaries: a project whose
    files' facts and summaries are known builds its relations graph without a tree; the
    nodes of a property are found, by their spans, when a rule asks for them."""
    from rewriters._relation_graph import relation_props, relations_of

    generated = gen_schema.generate(files=60, domains=6, seed=3)
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}
    store = FactsCache(cache_on, "code")
    first = project_mod.Project.build(tmp_path, sources, facts=store)
    expected = _props_view(first)
    assert len(expected) > 50
    store.save()

    second = project_mod.Project.build(tmp_path, sources, facts=FactsCache(cache_on, "code"))
    parses.clear()
    props = relation_props(second)
    assert parses == []
    assert [(p.file.path, p.key, p.line, p.target) for p in props] == [e[:1] + e[2:3] + e[7:8] + e[5:6]
                                                                       for e in expected]
    assert [(k, t.known) for k, t in relations_of(second).items()] == [
        (k, t.known) for k, t in relations_of(first).items()]
    assert _props_view(second) == expected  # the nodes, found again in trees parsed now
    assert set(parses) == {p for p in sources if p.endswith("relations.ts")}


@pytest.mark.slow  # three runs on a 60-file schema (~1.5 s)
def test_after_a_relations_module_s_edit_only_its_relations_are_read(tmp_path, parses, monkeypatch):
    """The commit hook on a relations module: its properties are read from its tree; every
    other relations module's come from its summary, no node of theirs is looked for."""
    from rewriters._drizzle import RelationsDecl

    root = schema(tmp_path, files=60, domains=6, healthy=True)
    relations = sorted(str(p.relative_to(root)) for p in root.rglob("relations.ts"))
    assert len(relations) >= 3 and invoke("--check", str(root))[0] == 0
    edited = relations[1]
    (root / edited).write_text((root / edited).read_text() + "// edited\n")
    walked = record_calls(monkeypatch, RelationsDecl._nodes, "func", lambda decl: decl.file.path)
    parses.clear()
    warm = invoke("--check", str(root / edited))
    assert edited in parses
    assert set(walked) == {edited}, set(walked)
    assert {p for p in parses if not p.endswith("index.ts")} == {edited}, parses  # SF005 reads its barrels' trees
    assert warm == invoke("--check", "--no-cache", str(root / edited))


def test_a_summary_is_kept_with_the_file_s_facts(cache_on):
    data = b"export const a = 1;\n"
    store = FactsCache(cache_on, "code")
    entry = store.put("a.ts", data, gather_facts("a.ts", data))
    store.save()
    later = FactsCache(cache_on, "code")
    entry = later.get("a.ts", data)
    assert entry._summaries == {} and entry.summary(("kind", "input")) == (False, None)
    entry.keep(("kind", "input"), (("a", 1, True, None),))  # a summary alone rewrites the shard
    later.save()
    again = FactsCache(cache_on, "code").get("a.ts", data)
    assert again.summary(("kind", "input")) == (True, (("a", 1, True, None),))
    assert FactsCache(cache_on, "code").get("a.ts", data + b"//\n") is None  # other bytes, no summary

    file = project_mod.SourceFile.known("a.ts", data, again.facts, again)
    assert file.summary(("kind", "input"), lambda: pytest.fail("kept: not computed again")) == (("a", 1, True, None),)
    assert file.summary(("kind", "other input"), lambda: 7) == 7
    assert again.summary(("kind", "other input")) == (True, 7)
    assert file.summary(("kind", "from the tree"), lambda: file.tree.root_node.type) == "program"
    assert file._tree is None  # parsed for the summary alone: not kept
    tree = file.tree
    assert file.summary(("kind", "again"), lambda: file.tree.root_node.child_count) == 1
    assert file.tree is tree  # a rule's tree stays


def test_a_packed_summary_is_held_as_bytes_and_kept_as_any_value(cache_on, monkeypatch):
    """A summary registered with ``packed_summary`` (the relations modules' properties, the
    tables' syntax: ~7 and ~2.4 times their bytes as objects) is held as marshal bytes by
    the file, read as its value, and written to the facts cache as any summary is."""
    monkeypatch.setattr(project_mod, "PACKED", {"packed-kind"})
    data = b"export const a = 1;\n"
    value = (("a", 1, True, None, frozenset({"x"})), ("b", (2, 3), False, "c", frozenset()))
    store = FactsCache(cache_on, "code")
    entry = store.put("a.ts", data, gather_facts("a.ts", data))
    file = project_mod.SourceFile.known("a.ts", data, entry.facts, entry)
    assert file.summary(("packed-kind", "input"), lambda: value) == value
    assert file.summary(("plain-kind",), lambda: value) is value
    held = file._own[("packed-kind", "input")]
    assert type(held) is project_mod.PackedSummary and type(held.blob) is bytes
    assert file.summary(("packed-kind", "input"), lambda: pytest.fail("held: not computed again")) == value
    assert file._own[("plain-kind",)] is value
    store.save()
    again = FactsCache(cache_on, "code").get("a.ts", data)
    assert again.summary(("packed-kind", "input")) == (True, value)  # stored as the value, not the holder
    later = project_mod.SourceFile.known("a.ts", data, again.facts, again)
    assert later.summary(("packed-kind", "input"), lambda: pytest.fail("kept: not computed again")) == value
    assert type(later._own[("packed-kind", "input")]) is project_mod.PackedSummary


def test_the_relations_properties_and_the_table_syntax_are_held_packed():
    from codemod.rules import all_rules
    all_rules()  # the rules register what is taken as a file is parsed
    files = {p: t.encode() for p, t in gen_schema.generate(files=30, domains=4).files.items() if p.endswith(".ts")}
    project = project_mod.Project.build(Path("/p"), files)
    held = {key[0]: type(value) for f in project.files.values() for key, value in f._own.items()}
    assert held["drizzle-relation-props"] is project_mod.PackedSummary
    assert held["drizzle-table-syntax"] is project_mod.PackedSummary


@pytest.mark.slow  # three runs on a broken schema
def test_a_broken_schema_gives_the_same_with_and_without_cached_facts(tmp_path):
    root = schema(tmp_path, files=60, domains=6)
    first = invoke("--diff", str(root))
    assert first[0] == 1
    relations = next(root.rglob("relations.ts"))
    relations.write_text(relations.read_text() + "// edited\n")
    assert invoke("--diff", str(root)) == invoke("--diff", "--no-cache", str(root))
    assert invoke("--diff", str(relations)) == invoke("--diff", "--no-cache", str(relations))


def test_a_damaged_or_tampered_shard_is_a_miss(tmp_path, cache_on):
    store = FactsCache(cache_on, "code")
    store.put("a.ts", b"export const a = 1;\n", gather_facts("a.ts", b"export const a = 1;\n"))
    store.save()
    shard = next(store.path.iterdir())
    raw = shard.read_bytes()
    shard.write_bytes(raw[:-3])  # truncated: the checksum fails
    assert FactsCache(cache_on, "code").get("a.ts", b"export const a = 1;\n") is None

    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))
    payload = pickle.dumps({b"k": Evil()})
    import hashlib
    shard.write_bytes(facts_cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert FactsCache(cache_on, "code").get("a.ts", b"export const a = 1;\n") is None
    assert not (tmp_path / "pwned").exists()


def test_clean_removes_the_facts_and_nothing_else(tmp_path, cache_on):
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n",
                                       "b.ts": "import { a } from './a';\nexport const b = a;\n"})
    assert invoke("--check", str(root))[0] == 0
    folders = [p for p in cache_on.iterdir() if p.name.startswith(facts_cache.PREFIX)]
    assert len(folders) == 1 and any(folders[0].iterdir())
    (cache_on / "someone-elses.txt").write_text("keep me")
    assert CliRunner().invoke(cli.main, ["clean", str(cache_on)]).exit_code == 0
    assert not any(p.name.startswith(facts_cache.PREFIX) for p in cache_on.iterdir())
    assert (cache_on / "someone-elses.txt").read_text() == "keep me"


def test_another_version_s_facts_are_removed_when_written(cache_on):
    old = FactsCache(cache_on, "old version")
    old.put("a.ts", b"x\n", gather_facts("a.ts", b"x\n"))
    old.save()
    new = FactsCache(cache_on, "new version")
    new.put("a.ts", b"x\n", gather_facts("a.ts", b"x\n"))
    new.save(prune=True)
    assert [p.name for p in cache_on.iterdir() if p.name.startswith(facts_cache.PREFIX)] == [new.path.name]


def test_no_cache_writes_no_facts(tmp_path, cache_on):
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n"})
    assert invoke("--check", "--no-cache", str(root))[0] == 0
    assert not any(p.name.startswith(facts_cache.PREFIX) for p in cache_on.iterdir()) if cache_on.exists() else True


def test_folders_that_only_look_like_facts_are_never_removed(tmp_path, cache_on):
    """Review finding: a folder named facts-* in a shared cache folder (or a project
    used as --cache-dir) was taken for schemafix's by its file names and deleted by
    any run, and by `schemafix clean`. Only folders of shards with schemafix's header
    are, and another version's only when the folder is schemafix's cache."""
    mine = {"facts-notes": {"01.txt": "x", "02.md": "x"}, "facts-photos": {"ab": "not a shard"},
            "facts-fixtures": {"01.ts": "export const a = 1;\n"}}
    for name, files in mine.items():
        write_tree(cache_on / name, files)
    (cache_on / "facts-empty").mkdir()
    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n"})
    assert invoke("--check", str(root))[0] == 0
    assert CliRunner().invoke(cli.main, ["clean", str(cache_on)]).exit_code == 0
    for name, files in mine.items():
        assert {p.name for p in (cache_on / name).iterdir()} == set(files), name
    assert (cache_on / "facts-empty").is_dir()


def test_another_version_s_facts_stay_outside_schemafix_s_cache_folder(tmp_path):
    folder = tmp_path / "shared"
    old = FactsCache(folder, "old version")
    old.put("a.ts", b"x\n", gather_facts("a.ts", b"x\n"))
    old.save()
    new = FactsCache(folder, "new version")
    new.put("a.ts", b"x\n", gather_facts("a.ts", b"x\n"))
    new.save()  # not told the folder is schemafix's cache: nothing else goes
    assert sorted(p.name for p in folder.iterdir()) == sorted([old.path.name, new.path.name])


def test_a_file_name_that_is_not_utf8_is_a_key_like_any(tmp_path, cache_on):
    store = FactsCache(cache_on, "code")
    name = b"caf\xe9.ts".decode("utf-8", "surrogateescape")
    store.put(name, b"export const c = 1;\n", gather_facts(name, b"export const c = 1;\n"))
    store.save()
    assert FactsCache(cache_on, "code").get(name, b"export const c = 1;\n") is not None


def test_a_lasting_value_is_kept_under_its_key_and_never_trusted_damaged(cache_on):
    store = FactsCache(cache_on, "code")
    assert store.lasting(("kind", "digest")) == (False, None)
    store.keep_lasting(("kind", "digest"), (("a.ts", "kebab"),))
    store.save()
    assert FactsCache(cache_on, "code").lasting(("kind", "digest")) == (True, (("a.ts", "kebab"),))
    assert FactsCache(cache_on, "code").lasting(("kind", "other digest")) == (False, None)
    assert FactsCache(cache_on, "another version").lasting(("kind", "digest")) == (False, None)
    kept = store.path / facts_cache.LASTING
    kept.write_bytes(kept.read_bytes()[:-2])
    assert FactsCache(cache_on, "code").lasting(("kind", "digest")) == (False, None)
    many = FactsCache(cache_on, "code")
    for i in range(facts_cache.LASTING_CAP + 5):
        many.keep_lasting(("kind", i), i)
    many.save()
    again = FactsCache(cache_on, "code")
    assert again.lasting(("kind", 0)) == (False, None)  # the oldest went
    assert again.lasting(("kind", facts_cache.LASTING_CAP + 4)) == (True, facts_cache.LASTING_CAP + 4)


@pytest.mark.slow  # four runs on a 60-file schema
def test_file_naming_outliers_are_kept_for_the_same_set_of_paths_only(tmp_path, monkeypatch):
    """SF010's outliers are a function of the set of paths: a run after an edit takes
    them from the last run; adding a file computes them again."""
    from rewriters import file_naming

    root = schema(tmp_path, files=60, domains=6, healthy=True)
    sources = sorted(str(p.relative_to(root)) for p in root.rglob("*.ts"))
    table = next(p for p in sources if not p.endswith(("relations.ts", "index.ts", "enums.ts")))
    folder = (root / table).parent
    (folder / "fooBar.ts").write_text("export const fooBar = 1;\n")  # camel among the folder's names
    (folder / "baz-qux.ts").write_text("export const bazQux = 1;\n")
    named = [str(folder / "baz-qux.ts"), str(folder / "fooBar.ts")]
    first = invoke("--check", *named)
    assert "SF010" in first[1]
    computed = record_calls(monkeypatch, file_naming, "settled_outliers", lambda paths: len(paths))
    (root / table).write_text((root / table).read_text() + "// edited\n")
    assert invoke("--check", *named) == first
    assert computed == []
    (folder / "quux-corge.ts").write_text("export const q = 1;\n")
    warm = invoke("--check", *named)
    assert len(computed) == 1
    assert warm == invoke("--check", "--no-cache", *named)


def test_an_older_format_s_facts_are_removed_too(tmp_path, cache_on):
    """Review finding: a facts folder written by a release with another shard format was
    not schemafix's by its header any more, so it was never pruned, and `schemafix
    clean` left it (and the cache folder, without its .gitignore) behind."""
    from codemod import sealed

    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a.ts": "export const a = 1;\n"})
    old = cache_on / (facts_cache.PREFIX + "0123456789abcdef01234567")
    old.mkdir()
    (old / "00").write_bytes(sealed.seal(b"schemafix-facts 1\n", {}))
    (old / facts_cache.LASTING).write_bytes(sealed.seal(b"schemafix-facts 1\n", {}))
    assert facts_cache.is_ours(old)
    assert invoke("--check", str(root))[0] == 0
    assert not old.exists()  # pruned when this version's facts were written
    old.mkdir()
    (old / "00").write_bytes(sealed.seal(b"schemafix-facts 1\n", {}))
    assert CliRunner().invoke(cli.main, ["clean", str(cache_on)]).exit_code == 0
    assert not old.exists()
    (old.parent / "facts-notes").mkdir(parents=True)
    (old.parent / "facts-notes" / "00").write_bytes(b"schemafix-facts of my own\n")  # not a version number
    assert not facts_cache.is_ours(old.parent / "facts-notes")


def test_a_property_s_nodes_all_come_from_the_file_s_one_tree(tmp_path, cache_on):
    """Review finding: with its declarations known and its properties not (an entry written
    before them), the properties' summary was computed through the snapshot's
    declarations, which kept nodes of a tree parsed for the summary alone: a property's
    declaration and its column references then lay in two different trees."""
    from rewriters._relation_graph import relation_props

    generated = gen_schema.generate(files=40, domains=4, seed=5)
    sources = {p: t.encode() for p, t in generated.files.items() if p.endswith(".ts")}
    store = FactsCache(cache_on, "code")
    project_mod.Project.build(tmp_path, sources, facts=store)
    relation_props(project_mod.Project.build(tmp_path, sources, facts=store))
    for shard in store._shards.values():
        for entry in shard.values():
            for key in [k for k in entry._summaries if k[0] == "drizzle-relation-props"]:
                del entry._summaries[key]
    project = project_mod.Project.build(tmp_path, sources, facts=store)
    props = [p for p in relation_props(project) if p.fields]
    assert len(props) > 10

    def root(node):
        while node.parent is not None:
            node = node.parent
        return node

    for prop in props:
        tree = prop.file.tree.root_node
        assert root(prop.decl.call) == tree and root(prop.fields[0].node) == tree, prop.where


def test_a_run_on_an_edited_file_reads_the_facts_of_a_few_files(tmp_path, cache_on, monkeypatch):
    """Each entry's facts stay packed until a rule asks for them: the commit hook's run on
    one edited file of a healthy schema reads the facts of the files its edit may affect
    (those importing or re-exporting it, transitively), not of every file; its output is
    a run's without any cache."""
    root = schema(tmp_path, files=120, domains=6, healthy=True)
    assert invoke("--check", str(root))[0] == 0
    module = next(p for p in sorted(root.rglob("*.ts")) if "index" not in p.name and "relations" not in p.name)
    module.write_text(module.read_text() + "// edited\n")
    read = record_calls(monkeypatch, facts_cache, "_unpack_facts", lambda entry: entry.path)
    warm = invoke("--check", str(module))
    project = discovery.load([root]).project()  # with the tsconfig's aliases, as the run
    edited = module.relative_to(root).as_posix()
    affected = project.exports.reverse_closure({edited}) | set(project.exports.site_targets(edited))
    assert read and set(read) <= affected, set(read) - affected
    assert len(affected) < len(project.files) / 4
    assert warm == invoke("--check", "--no-cache", str(module))


def test_a_tampered_entry_is_gathered_again_and_runs_nothing(tmp_path, cache_on):
    """A shard whose checksum holds but whose packed facts rebuild another type (or are no
    pickle): the file's facts are gathered again and written back; no code runs."""
    data = b"import { b } from './b';\nexport const a = b;\n"
    store = FactsCache(cache_on, "code")
    store.put("a.ts", data, gather_facts("a.ts", data))
    store.save()
    shard_file = next(p for p in store.path.iterdir() if len(p.name) == 2)

    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    from codemod import sealed
    for packed in (pickle.dumps(Evil()), b"not a pickle", pickle.dumps(("a tuple", "not facts"))):
        raw = {key: (path, error, packed, {}) for key, (path, error, _, _) in facts_cache._load(shard_file).items()}
        shard_file.write_bytes(sealed.seal(facts_cache.MAGIC, raw))  # its checksum holds
        later = FactsCache(cache_on, "code")
        entry = later.get("a.ts", data)
        assert entry is not None and entry.facts is None
        file = project_mod.SourceFile.known("a.ts", data, None, entry)
        assert file.facts == gather_facts("a.ts", data)
        later.save()
        assert FactsCache(cache_on, "code").get("a.ts", data).facts == gather_facts("a.ts", data)  # written back
    assert not (tmp_path / "pwned").exists()


def test_a_file_is_hashed_once_a_run(tmp_path, cache_on, monkeypatch):
    """The facts' keys rest on the content hash discovery keeps for each file: building
    the run's snapshot hashes no file again, and finds the same entries as hashing
    would."""
    import hashlib

    root = schema(tmp_path, files=40, domains=3)
    ws = discovery.load([root])
    first = ws.project(facts=FactsCache(cache_on, "code"))
    first._store.save()
    hashed = record_calls(monkeypatch, facts_cache, "content_digest", lambda data: len(data))
    again = ws.project(facts=FactsCache(cache_on, "code"))
    monkeypatch.undo()
    assert hashed == []
    assert len(hashlib.sha256(b"").hexdigest()) == len(next(iter(ws.hashes.values())))  # the same digest kind
    assert all(f._entry is not None and f._entry.key == facts_cache.file_key(p, f.data) for p, f in again.files.items())
    assert {p: f.facts for p, f in again.files.items()} == {p: f.facts for p, f in first.files.items()}


def test_a_summary_is_any_plain_value_bytes_too_and_is_written_back_as_it_was_read(cache_on, monkeypatch):
    """A shard holds a summary packed or as it is; bytes there always mean packed, so a
    bytes value is packed too (it was taken for a packed one, and lost). A summary read
    from a shard is written back as it was read, not packed again."""
    from codemod import sealed

    path, data = "a.ts", b"export const a = 1;\n"
    store = FactsCache(cache_on, "code")
    entry = store.put(path, data, gather_facts(path, data))
    values = {("short-bytes",): b"xy", ("long",): tuple(range(100)), ("small",): (1, 2)}
    for key, value in values.items():
        entry.keep(key, value)
    assert all(entry.summary(key) == (True, value) for key, value in values.items())
    store.save()
    again = FactsCache(cache_on, "code").get(path, data)
    assert all(again.summary(key) == (True, value) for key, value in values.items())
    expected = sealed.pack(tuple(range(100)))
    packs = record_calls(monkeypatch, sealed, "pack", lambda value: value)
    again.keep(("new",), "x")  # its shard is written again
    assert again.packed()[3][("long",)] == expected and packs == []


def test_a_kept_summary_is_packed_when_its_shard_is_written(cache_on, monkeypatch):
    """``keep`` holds the value alone; it is packed as the shard is written, so a cold run
    does not hold every file's summaries twice (as objects and packed) until it saves."""
    from codemod import sealed

    path, data = "a.ts", b"export const a = 1;\n"
    store = FactsCache(cache_on, "code")
    entry = store.put(path, data, gather_facts(path, data))
    packs = record_calls(monkeypatch, sealed, "pack", lambda value: value)
    big = tuple(("name", i) for i in range(50))
    entry.keep(("big",), big)
    assert packs == [] and entry.summary(("big",)) == (True, big)
    store.save()
    assert big in packs  # packed as written
    again = FactsCache(cache_on, "code").get(path, data)
    assert type(again._summaries[("big",)]) is bytes and again.summary(("big",)) == (True, big)


def test_lasting_values_asked_every_run_do_not_rewrite_the_file(cache_on):
    """Two rules ask their lasting value every run, in turn: neither moves to the end of
    the order (and so rewrites the file) while it is among the last few used; one further
    back does, and the oldest still go first."""
    store = FactsCache(cache_on, "code")
    for i in range(facts_cache.LASTING_CAP):
        store.keep_lasting(("kind", i), i)
    store.save()
    kept = store.path / facts_cache.LASTING
    written = kept.stat().st_mtime_ns, kept.read_bytes()
    for _ in range(3):  # three runs, each asking the last two in turn
        run = FactsCache(cache_on, "code")
        assert run.lasting(("kind", facts_cache.LASTING_CAP - 2)) == (True, facts_cache.LASTING_CAP - 2)
        assert run.lasting(("kind", facts_cache.LASTING_CAP - 1)) == (True, facts_cache.LASTING_CAP - 1)
        run.save()
        assert (kept.stat().st_mtime_ns, kept.read_bytes()) == written
    old = FactsCache(cache_on, "code")
    assert old.lasting(("kind", 0)) == (True, 0)  # far back: moved to the end, the file rewritten
    old.keep_lasting(("kind", "new"), 1)
    old.save()
    again = FactsCache(cache_on, "code")
    assert again.lasting(("kind", 0)) == (True, 0) and again.lasting(("kind", 1)) == (False, None)


def test_kept_file_naming_rows_of_another_shape_are_computed_again(tmp_path, monkeypatch):
    """Review finding: SF010's kept outliers were taken whatever their shape, and a kept
    value holding a row of one field crashed the rule (exit 2); it is computed again and
    kept in its place."""
    from rewriters import file_naming

    root = write_tree(tmp_path / "p", {"tsconfig.json": "{}", "a/user-credits.ts": "export const a = 1;\n",
                                       "a/refund-items.ts": "export const b = 1;\n",
                                       "a/userPromotions.ts": "export const c = 1;\n"})
    first = invoke("--check", str(root))
    assert "SF010" in first[1]
    real = FactsCache.lasting
    computed = record_calls(monkeypatch, file_naming, "settled_outliers", lambda paths: len(paths))
    with monkeypatch.context() as forged:
        forged.setattr(FactsCache, "lasting", lambda self, key: (
            (True, ((1,),)) if key[0] == "sf010-outliers" else real(self, key)))
        (root / "a/refund-items.ts").write_text("export const b = 2;\n")  # the run cache misses
        assert invoke("--check", str(root)) == first
    assert len(computed) == 1
    (root / "a/refund-items.ts").write_text("export const b = 3;\n")
    assert invoke("--check", str(root)) == first and len(computed) == 1  # the value kept in its place
