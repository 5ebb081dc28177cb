"""SF004: duplicate keys in one object literal."""

from __future__ import annotations

import pytest
from support import check_fix, check_noop, diagnostics, run

from codemod.model import Applicability


def fix(before: str, after: str, **kwargs):
    return check_fix({"a.ts": before}, {"a.ts": after}, select="SF004", **kwargs)


SAFE_CASES = [
    pytest.param(
        "const o = {\n  a: one(x),\n  a: one(x),\n  b: 2,\n};\n",
        "const o = {\n  a: one(x),\n  b: 2,\n};\n",
        id="identical-adjacent",
    ),
    pytest.param(
        "const o = {\n  a: one(x, { f: [1, 2] }),\n  b: 2,\n  a: one(x,{\n    f: [1, 2,],\n  }),\n};\n",
        "const o = {\n  b: 2,\n  a: one(x,{\n    f: [1, 2,],\n  }),\n};\n",
        id="identical-ignoring-whitespace-and-trailing-commas-drops-the-earlier",
    ),
    pytest.param(
        "const o = { a: 1, b: 2, a: 1 };\n",
        "const o = { b: 2, a: 1 };\n",
        id="one-line-object",
    ),
    pytest.param(
        "const o = { b: 2, a: 1, a: 1 };\n",
        "const o = { b: 2, a: 1 };\n",
        id="one-line-object-middle",
    ),
    pytest.param(
        "const o = {\n  a: 'x',\n  'a': \"x\",\n};\n",
        "const o = {\n  'a': \"x\",\n};\n",
        id="quoted-key-and-quote-style",
    ),
    pytest.param(
        "const o = {\n  a: 1,\n  a: 1,\n  a: 1,\n};\n",
        "const o = {\n  a: 1,\n};\n",
        id="three-copies",
    ),
    pytest.param(
        "const o = {\n  // why a\n  a: 1,\n  b: 2, // about b\n  a: 1,\n};\n",
        "const o = {\n  // why a\n  b: 2, // about b\n  a: 1,\n};\n",
        id="leading-comment-of-the-dropped-one-stays",
    ),
    pytest.param(
        "const o = {\n  a: 1, // about a\n  a: 1,\n};\n",
        "const o = {\n  // about a\n  a: 1,\n};\n",
        id="trailing-comment-of-the-dropped-one-stays",
    ),
    pytest.param(
        "const o = {\n  a,\n  a,\n};\n",
        "const o = {\n  a,\n};\n",
        id="shorthand",
    ),
    pytest.param(
        "f({ outer: { a: 1, a: 1 } });\n",
        "f({ outer: { a: 1 } });\n",
        id="nested-object-anywhere",
    ),
    pytest.param(
        "export const relations = defineRelations(schema, (r) => ({\n"
        "  users: {\n    posts: r.many.posts(),\n    posts: r.many.posts(),\n  },\n}));\n",
        "export const relations = defineRelations(schema, (r) => ({\n"
        "  users: {\n    posts: r.many.posts(),\n  },\n}));\n",
        id="drizzle-1.0-defineRelations",
    ),
]


@pytest.mark.parametrize("before, after", SAFE_CASES)
def test_identical_duplicates_are_removed_safely(before, after):
    fix(before, after)


UNSAFE_CASES = [
    pytest.param(
        "const o = {\n  a: 1,\n  a: 2,\n};\n",
        "const o = {\n  a: 2,\n};\n",
        id="different-values-keep-the-last",
    ),
    pytest.param(
        "const o = { a: 1, ...rest, a: 2 };\n",
        "const o = { ...rest, a: 2 };\n",
        id="spread-between",
    ),
]


@pytest.mark.parametrize("before, after", UNSAFE_CASES)
def test_different_duplicates_need_unsafe(before, after):
    check_noop({"a.ts": before}, select="SF004")
    found = diagnostics({"a.ts": before}, select="SF004")
    assert [d.fix.applicability for d in found] == [Applicability.UNSAFE]
    assert "different value" in found[0].message
    assert found[0].notes  # both definitions shown
    fix(before, after, unsafe=True)


def test_unsafe_hidden_fix_is_reported():
    outcome = run({"a.ts": "const o = { a: 1, a: 2 };\n"}, select="SF004")
    assert [d.code for d in outcome.hidden_unsafe] == ["SF004"]


def test_mixed_identical_then_different_only_identical_is_safe():
    before = "const o = {\n  a: 2,\n  a: 1,\n  a: 2,\n};\n"
    found = diagnostics({"a.ts": before}, select="SF004")
    assert [(d.line, d.fix.applicability) for d in found] == [(2, Applicability.SAFE), (3, Applicability.UNSAFE)]
    fix(before, "const o = {\n  a: 1,\n  a: 2,\n};\n")


def test_diagnostic_points_at_the_earlier_occurrence():
    found = diagnostics({"a.ts": "const o = {\n  k: 1,\n  k: 1,\n};\n"}, select="SF004")
    assert [(d.line, d.column) for d in found] == [(2, 3)]
    assert "line 3" in found[0].message


NOOP = [
    pytest.param("const o = { a: 1, b: 2 };\n", id="healthy"),
    pytest.param("const o = { [k]: 1, [k]: 2 };\n", id="computed-keys"),
    pytest.param("const o = { ...a, ...a };\n", id="spreads"),
    pytest.param("const o = { get a() { return 1; }, set a(v) {} };\n", id="getter-setter"),
    pytest.param("const { a, a: b } = o;\n", id="destructuring-pattern"),
    pytest.param("type T = { a: 1 };\ninterface I { a: 1 }\n", id="types-are-not-objects"),
    pytest.param("const o = { a: { x: 1 }, b: { x: 1 } };\n", id="same-key-in-different-objects"),
]


@pytest.mark.parametrize("source", NOOP)
def test_noop(source):
    check_noop({"a.ts": source}, select="SF004", unsafe=True)
    assert diagnostics({"a.ts": source}, select="SF004") == []


def test_numeric_keys_written_differently_are_the_same_key():
    """`1` and `1.0` (and `'1'`) name one property; the quick pre-check must not miss it."""
    [d] = diagnostics({"a.ts": "export const o = { 1: 'a', 1.0: 'a' };\n"}, select="SF004")
    assert "duplicate key '1'" in d.message


def test_objects_are_scanned_once_per_file_content_not_once_per_pass(monkeypatch):
    """A file the first pass leaves unchanged keeps its scan (a summary taken as it is
    parsed); the file the pass fixed is scanned again in the confirming pass."""
    from codemod import project
    from rewriters import duplicate_keys

    scanned = []
    real = duplicate_keys._repeating
    monkeypatch.setitem(project.EAGER, duplicate_keys._REPEATING,
                        lambda file: scanned.append(file.path) or real(file))
    outcome = run({"a.ts": "export const a = { x: 1, x: 1 };\n", "b.ts": "export const b = { y: 1 };\n",
                   "c.ts": "export const c = { z: 2 };\n"}, select="SF004")
    assert outcome.passes == 2 and outcome.changed == ["a.ts"]
    assert sorted(scanned) == ["a.ts", "a.ts", "b.ts", "c.ts"]


def test_a_file_without_a_repeated_key_is_not_parsed_again(monkeypatch):
    """Parsing lets a file's tree go once its facts and eager summaries are taken (the
    trees were most of a large project's memory); SF004 reads its summary and asks for
    the tree of a file that repeats a key only."""
    from support import record_calls

    from codemod import project as project_mod

    parses = record_calls(monkeypatch, project_mod, "parse_with_gaps", lambda path, data: path)
    outcome = run({"a.ts": "export const a = { x: 1, x: 1 };\n", "b.ts": "export const b = { y: 1 };\n"},
                  select="SF004")
    assert outcome.changed == ["a.ts"]
    assert parses.count("b.ts") == 1  # gathering its facts only
    assert parses.count("a.ts") == 3  # facts, the rule's tree, the fixed file's facts in the confirming pass


def test_a_parsed_file_s_tree_is_parsed_again_when_asked_then_kept():
    from pathlib import Path

    from codemod.project import Project

    project = Project.build(Path("/p"), {"a.ts": b"export const a = { x: 1 };\n"})
    file = project.files["a.ts"]
    assert file._tree is None
    assert file.tree is file.tree and file.tree.root_node.type == "program"


def test_the_files_a_pass_edits_let_their_tree_and_summaries_go_before_the_next_snapshot(monkeypatch):
    """The snapshot a pass's fixes lead to is built while the pass's own is alive: the
    files the fixes edit let their tree, memos and summaries go first (the summaries of
    the edited relations modules were 37 MB of the peak at 19,813 files)."""
    from support import record_builds

    seen = record_builds(monkeypatch, lambda sources, previous: {
        p: (f._tree, f._own) for p, f in previous.files.items() if sources.get(p) != f.data})
    outcome = run({"a.ts": "export const a = { x: 1, x: 1 };\n", "b.ts": "export const b = { y: 1 };\n"},
                  select="SF004")
    assert outcome.changed == ["a.ts"]
    assert [list(s) for s in seen] == [["a.ts"]]
    assert seen[0]["a.ts"] == (None, {})


def test_only_object_literals_of_two_members_or_more_are_read_for_a_repeated_key(monkeypatch):
    """Every file's object literals are looked over as it is parsed: the query hands over
    those that could repeat a key (two named children or more) and no other."""
    from support import record_calls

    from rewriters import duplicate_keys

    read = record_calls(monkeypatch, duplicate_keys, "repeats_a_key", lambda obj: obj.text.decode())
    singles = ", ".join("{ x: 1 }" for _ in range(20))
    source = f"export const a = [{singles}, {{}}];\nexport const b = {{ y: 1, /* c */ }};\nexport const c = {{ y: 1, y: 1 }};\n"
    outcome = run({"a.ts": source}, select="SF004")
    assert outcome.changed == ["a.ts"]
    assert read[:2] == ["{ y: 1, /* c */ }", "{ y: 1, y: 1 }"]


@pytest.mark.parametrize("literal, repeats, looked_again", [
    ("{ a: 1, 'a': 2 }", True, True), ('{ "a": 1, a() {} }', True, True), ("{ a, b, a }", True, True),
    ("{ 1: x, 1.0: y }", True, True), ("{ 1: x, 2: y }", False, True), ("{ a: 1, b: 2 }", False, False),
    ("{ 'a\\x62': 1, ab: 2 }", False, False), ("{ [k]: 1, [k]: 2 }", False, True),
    ("{ get a() { return 1 }, a: 1 }", False, True), ("{ a: 1, b: 2, ...a }", False, False),
    ("{ a: 1, b: { a: 1 } }", False, False),
])
def test_a_repeated_key_is_found_by_raw_bytes_first_and_then_exactly(monkeypatch, literal, repeats, looked_again):
    """The first look compares raw key bytes; only where two meet (or a number key may be
    written two ways) is the object read exactly, and the answer is the exact one."""
    from support import record_calls

    from codemod.parsing import parse_with_gaps
    from rewriters import _objects

    tree, _ = parse_with_gaps("a.ts", f"const o = {literal};\n".encode())
    obj = tree.root_node.named_children[0].named_children[0].child_by_field_name("value")
    exact = _objects._repeats_a_key(obj)
    looked = record_calls(monkeypatch, _objects, "_repeats_a_key", lambda o: o.text.decode())
    assert _objects.repeats_a_key(obj) is exact is repeats
    assert looked == ([literal] if looked_again else [])
