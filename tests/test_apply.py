"""Applying fixes: the splice, the left-to-right selection, and the engine's invariants
(revert on an introduced parse error, fixpoint with a cap, broken files never edited)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod import engine
from codemod.apply import apply_fixes, select, splice
from codemod.model import Applicability, Edit, Fix, Severity
from codemod.rules import Rule, Settings
from support import only_edits_changed


def fix(title: str, *edits: Edit, applicability=Applicability.SAFE) -> Fix:
    return Fix(title, tuple(edits), applicability)


# --- splice ------------------------------------------------------------------------

def test_splice_replace_insert_delete():
    data = b"0123456789"
    out = splice(data, [Edit("a", 1, 3, b"AB"), Edit("a", 5, 5, b"+"), Edit("a", 7, 9)])
    assert out == b"0AB34+569"


def test_splice_unsorted_input():
    data = b"abcdef"
    assert splice(data, [Edit("a", 4, 5, b"E"), Edit("a", 0, 1, b"A")]) == b"AbcdEf"


def test_splice_rejects_overlap_and_out_of_range():
    with pytest.raises(ValueError):
        splice(b"abcdef", [Edit("a", 0, 3, b"x"), Edit("a", 2, 4, b"y")])
    with pytest.raises(ValueError):
        splice(b"abc", [Edit("a", 2, 9, b"x")])


def test_splice_non_ascii_byte_offsets():
    text = "const é = 'ü✓';\nimport { a } from './wrong';\n"
    data = text.encode("utf-8")
    start = data.index(b"'./wrong'")
    # A character offset would be 3 bytes short here (é, ü, ✓ take 2+2+3 bytes).
    assert start != text.index("'./wrong'")
    out = splice(data, [Edit("a", start, start + len(b"'./wrong'"), b"'./right'")])
    assert out.decode("utf-8") == text.replace("./wrong", "./right")


@pytest.mark.parametrize("data", [
    pytest.param(b"import { a } from './wrong';\r\nconst x = 1;\r\n", id="crlf"),
    pytest.param(b"\xef\xbb\xbfimport { a } from './wrong';\nconst x = 1;\n", id="bom"),
    pytest.param(b"import { a } from './wrong';\nconst x = 1;", id="no-trailing-newline"),
    pytest.param(b"\xef\xbb\xbfimport { a } from './wrong';\r\nconst x = 1;", id="bom-crlf-no-newline"),
])
def test_bytes_outside_edits_kept(data):
    start = data.index(b"'./wrong'")
    edits = [Edit("a.ts", start, start + 9, b"'./right'"), Edit("a.ts", len(data), len(data), b"")]
    out = apply_fixes({"a.ts": data}, [fix("f", *edits)]).sources["a.ts"]
    assert out == data.replace(b"./wrong", b"./right")
    assert only_edits_changed(data, out, edits)
    assert out.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert out.count(b"\r\n") == data.count(b"\r\n")
    assert out.endswith(b"\n") == data.endswith(b"\n")


# --- select: one left-to-right walk -------------------------------------------------

def test_overlapping_fix_deferred():
    a = fix("a", Edit("x.ts", 0, 5, b"A"))
    b = fix("b", Edit("x.ts", 3, 8, b"B"))
    applied, deferred = select([b, a])
    assert applied == [a] and deferred == [b]
    result = apply_fixes({"x.ts": b"0123456789"}, [a, b])
    assert result.sources["x.ts"] == b"A56789"
    assert result.deferred == (b,)


def test_contained_fix_deferred():
    outer = fix("outer", Edit("x.ts", 0, 10, b"O"))
    inner = fix("inner", Edit("x.ts", 2, 3, b"I"))
    assert select([inner, outer]) == ([outer], [inner])


def test_adjacent_ranges_apply_together():
    a = fix("a", Edit("x.ts", 0, 2, b"A"))
    b = fix("b", Edit("x.ts", 2, 4, b"B"))
    assert apply_fixes({"x.ts": b"012345"}, [a, b]).sources["x.ts"] == b"AB45"


def test_identical_edits_deduplicated():
    same = Edit("x.ts", 0, 0, b"import { a } from './a';\n")
    a = fix("a", same)
    b = fix("b", same, Edit("x.ts", 5, 6, b"B"))
    result = apply_fixes({"x.ts": b"01234567"}, [a, b])
    assert result.sources["x.ts"] == b"import { a } from './a';\n01234B67"
    assert set(result.applied) == {a, b} and result.deferred == ()


@pytest.mark.parametrize("second", [
    pytest.param(Edit("x.ts", 4, 4, b"2"), id="same-point"),
    pytest.param(Edit("x.ts", 4, 6, b"R"), id="insert-at-start-of-replace"),
])
def test_zero_width_insert_at_same_point_deferred(second):
    first = fix("first", Edit("x.ts", 4, 4, b"1"))
    other = fix("other", second)
    applied, deferred = select([first, other])
    assert len(applied) == 1 and len(deferred) == 1


def test_insert_at_end_of_replace_deferred():
    replace = fix("replace", Edit("x.ts", 2, 4, b"R"))
    insert = fix("insert", Edit("x.ts", 4, 4, b"I"))
    assert select([replace, insert]) == ([replace], [insert])


@pytest.mark.parametrize("insert_first", [True, False], ids=["insert-taken-first", "range-taken-first"])
def test_insert_inside_a_removed_range_is_deferred(insert_first):
    """Review finding: a fix inserting at 345 (SF007 adding a declaration at the end of a
    file) was taken first, then a fix removing 269..346 around it (SF003 merging the last
    declaration away): the range was not checked against taken inserts, and splicing the
    pass crashed the run ("edit 345..345 out of order"). Either order: one waits."""
    insert = fix("insert", Edit("x.ts", 0, 1, b"I"), Edit("x.ts", 5, 5, b"+"))
    remove = fix("remove", Edit("x.ts", 3, 8, b""))
    fixes = [insert, remove] if insert_first else [remove, insert]
    applied, deferred = select(fixes)
    assert len(applied) == 1 and len(deferred) == 1
    apply_fixes({"x.ts": b"0123456789"}, fixes)  # splices without error


def test_multi_file_fix_all_or_nothing():
    first = fix("first", Edit("a.ts", 0, 1, b"Z"), Edit("b.ts", 0, 3, b"B"))
    both = fix("both", Edit("a.ts", 3, 4, b"A"), Edit("b.ts", 2, 5, b"X"))  # overlaps `first` in b.ts only
    result = apply_fixes({"a.ts": b"aaaaa", "b.ts": b"bbbbb"}, [both, first])
    assert result.sources == {"a.ts": b"Zaaaa", "b.ts": b"Bbb"}  # no half of `both` in a.ts
    assert result.deferred == (both,)


def test_fixes_in_different_files_do_not_conflict():
    a = fix("a", Edit("a.ts", 0, 1, b"A"))
    b = fix("b", Edit("b.ts", 0, 1, b"B"))
    assert select([a, b]) == ([a, b], [])


def test_fix_rejects_its_own_overlapping_edits():
    with pytest.raises(ValueError):
        fix("bad", Edit("x.ts", 0, 3), Edit("x.ts", 2, 4))


# --- the engine --------------------------------------------------------------------

ROOT = Path("/project")


def make_rule(check, code="SF999") -> Rule:
    return Rule(code, "test-rule", "a rule defined by the test", Applicability.SAFE, check)


def replace_rule(path: str, old: bytes, new: bytes, code="SF999") -> Rule:
    """Replace the first ``old`` in ``path`` with ``new`` while ``old`` is there."""

    def check(ctx):
        for f in ctx.files():
            at = f.data.find(old)
            if f.path == path and at >= 0 and ctx.can_edit(f.path):
                edit = Edit(f.path, at, at + len(old), new)
                yield ctx.diagnostic(code, f, at, "replace", fix=Fix("replace", (edit,)))

    return make_rule(check, code)


def run(sources: dict[str, bytes], rules, **settings):
    return engine.run(ROOT, sources, rules=rules, settings=Settings(**settings))


def test_engine_applies_fix():
    out = run({"a.ts": b"const a = 1;\n"}, [replace_rule("a.ts", b"1", b"2")])
    assert out.final["a.ts"] == b"const a = 2;\n"
    assert out.converged and out.problems == [] and len(out.fixed) == 1


def test_engine_reverts_a_fix_that_breaks_parsing():
    src = b"export const a = 1;\n"
    out = run({"a.ts": src}, [replace_rule("a.ts", b"= 1;", b"= (;")])
    assert out.final["a.ts"] == src
    assert out.changed == []
    assert out.fixed == []
    assert len(out.problems) == 1
    assert out.problems[0].path == "a.ts" and "syntax error" in out.problems[0].message


def test_engine_revert_keeps_other_files_fixes():
    rules = [replace_rule("a.ts", b"= 1;", b"= (;", "SF998"), replace_rule("b.ts", b"1", b"2", "SF999")]
    out = run({"a.ts": b"const a = 1;\n", "b.ts": b"const b = 1;\n"}, rules)
    assert out.final == {"a.ts": b"const a = 1;\n", "b.ts": b"const b = 2;\n"}
    assert [d.code for d in out.fixed] == ["SF999"]


def test_engine_multi_file_fix_reverted_as_a_whole():
    # One fix edits a.ts (fine) and b.ts (breaks it): neither half may be kept.
    def check(ctx):
        if b"1" in ctx.project.files["a.ts"].data:
            edits = (Edit("a.ts", 10, 11, b"2"), Edit("b.ts", 10, 11, b"("))
            yield ctx.diagnostic("SF999", ctx.project.files["a.ts"], 10, "both", fix=Fix("both", edits))

    sources = {"a.ts": b"const a = 1;\n", "b.ts": b"const b = 1;\n"}
    out = run(sources, [make_rule(check)])
    assert out.final == sources  # MULTI-FILE REVERT: fails until engine.run reverts the whole fix
    assert out.problems


def test_engine_fixpoint_cap_reports_not_converged():
    def check(ctx):  # always finds something to insert
        f = ctx.project.files["a.ts"]
        yield ctx.diagnostic("SF999", f, 0, "again", fix=Fix("again", (Edit("a.ts", 0, 0, b"// x\n"),)))

    out = run({"a.ts": b"const a = 1;\n"}, [make_rule(check)], max_passes=3)
    assert not out.converged
    assert out.passes == 3
    assert out.final["a.ts"] == b"// x\n" * 3 + b"const a = 1;\n"
    assert any("did not settle" in p.message for p in out.problems)


def test_engine_file_with_syntax_error_edited_away_from_it():
    # issue 11 §1: a file with a parse error is edited wherever the edit does not touch
    # a statement that does not parse; the error is one note, not a problem.
    broken = b"const a = 1;\nconst b = (;\n"
    out = run({"a.ts": broken, "b.ts": b"const a = 1;\n"},
              [replace_rule("a.ts", b"a = 1", b"a = 2", "SF998"), replace_rule("b.ts", b"1", b"2")])
    assert out.final["a.ts"] == b"const a = 2;\nconst b = (;\n"
    assert out.final["b.ts"] == b"const a = 2;\n"
    assert [(p.path, p.line, p.severity) for p in out.problems] == [("a.ts", 2, Severity.INFO)]
    assert out.problems[0].message == "parse error in statement: const b = (;"


def test_engine_never_applies_a_fix_touching_a_broken_statement():
    def check(ctx):  # ignores ctx.can_edit on purpose
        f = ctx.project.files["ok.ts"]
        edits = (Edit("ok.ts", 0, 0, b"// x\n"), Edit("bad.ts", 3, 3, b"y"))
        yield ctx.diagnostic("SF999", f, 0, "both", fix=Fix("both", edits))

    sources = {"ok.ts": b"const a = 1;\n", "bad.ts": b"const = ;\n"}
    out = run(sources, [make_rule(check)])
    assert out.final == sources
    assert out.fixed == []
    [d] = out.remaining
    assert d.fix is None and "not fixed: the fix would change a statement that does not parse" in d.notes[0]


def test_engine_unsafe_fix_needs_unsafe():
    def check(ctx):
        f = ctx.project.files["a.ts"]
        if b"1" in f.data:
            yield ctx.diagnostic("SF999", f, 10, "u", fix=Fix("u", (Edit("a.ts", 10, 11, b"2"),), Applicability.UNSAFE))

    src = {"a.ts": b"const a = 1;\n"}
    assert run(src, [make_rule(check)]).final == src
    assert run(src, [make_rule(check)]).hidden_unsafe
    assert run(src, [make_rule(check)], unsafe=True).final == {"a.ts": b"const a = 2;\n"}


def test_engine_display_only_never_applied():
    def check(ctx):
        f = ctx.project.files["a.ts"]
        yield ctx.diagnostic("SF999", f, 10, "d", fix=Fix("d", (Edit("a.ts", 10, 11, b"2"),),
                                                          Applicability.DISPLAY_ONLY))

    src = {"a.ts": b"const a = 1;\n"}
    out = run(src, [make_rule(check)], unsafe=True)
    assert out.final == src and len(out.remaining) == 1


def test_engine_deferred_fix_applied_in_next_pass():
    # Two rules whose fixes overlap: the second lands in pass 2, on the re-parsed file.
    rules = [replace_rule("a.ts", b"const a", b"let a", "SF998"), replace_rule("a.ts", b"const a = 1", b"const a = 2")]
    out = run({"a.ts": b"const a = 1;\n"}, rules)
    assert out.final["a.ts"] == b"let a = 1;\n"  # second rule no longer matches after the first
    assert out.passes == 2 and out.converged


def test_engine_crashing_rule_is_an_internal_error():
    def check(ctx):
        raise KeyError("boom")

    with pytest.raises(engine.InternalError, match="SF999"):
        run({"a.ts": b"const a = 1;\n"}, [make_rule(check)])


def test_engine_does_not_repoint_imports_of_an_opaque_file():
    """A file that exists but was not read (``opaque``) has unknown exports: imports of
    it must not be "repaired" to another module that happens to export the name."""
    from codemod import engine

    sources = {"a.ts": b"import { x } from './b';\nuse(x);\n", "c.ts": b"export const x = 1;\n"}
    outcome = engine.run(Path("/p"), sources, opaque=frozenset({"b.ts"}))
    assert outcome.final == sources
    assert outcome.remaining == [] and outcome.problems == []
    assert engine.run(Path("/p"), sources).final["a.ts"] == b"import { x } from './c';\nuse(x);\n"
