"""SF002: the same top-level declaration written twice in one file."""

from __future__ import annotations

import pytest
from support import check_fix, check_noop, diagnostics

from codemod.model import Applicability


def fix(before: str, after: str, **kwargs):
    return check_fix({"a.ts": before}, {"a.ts": after}, select="SF002", **kwargs)


CASES = [
    pytest.param(
        "export const a = 1;\nexport const b = 2;\n\nexport const a = 1;\n",
        "export const a = 1;\nexport const b = 2;\n",
        id="const-at-end",
    ),
    pytest.param(
        "const a = { x: 1, y: [1, 2] };\n\nconst b = 2;\n\nconst a = {\n  x: 1,\n  y: [1, 2,],\n};\n\nconst c = 3;\n",
        "const a = { x: 1, y: [1, 2] };\n\nconst b = 2;\n\nconst c = 3;\n",
        id="identical-ignoring-whitespace-and-trailing-commas",
    ),
    pytest.param(
        "function f(a: number) {\n  return a;\n}\n\n// f again\nfunction f(a: number) {\n  return a;\n}\n\nf(1);\n",
        "function f(a: number) {\n  return a;\n}\n\nf(1);\n",
        id="function-with-its-comment-block",
    ),
    pytest.param(
        "class A {}\n\nclass A {}\n",
        "class A {}\n",
        id="class",
    ),
    pytest.param(
        "let x = 1;\nlet x = 1;\nlet x = 1;\nuse(x);\n",
        "let x = 1;\nuse(x);\n",
        id="three-copies",
    ),
    pytest.param(
        "const a = 1;\r\n\r\nconst a = 1;\r\n",
        "const a = 1;\r\n",
        id="crlf",
    ),
]


@pytest.mark.parametrize("before, after", CASES)
def test_identical_later_declaration_is_removed(before, after):
    outcome = fix(before, after)
    assert {d.code for d in outcome.fixed} == {"SF002"}
    assert all(d.fix.applicability == Applicability.SAFE for d in outcome.fixed)


def test_different_code_is_reported_only():
    source = "export const a = 1;\n\nexport const a = 2;\n"
    check_noop({"a.ts": source}, select="SF002", unsafe=True)
    [d] = diagnostics({"a.ts": source}, select="SF002")
    assert d.fix is None and d.line == 3
    assert "lines 1, 3" in d.message


def test_a_report_keeps_no_tree():
    """The rule reads the declarations' code from a tree it does not keep: a file whose
    declarations are only reported (not edited) would hold its tree to the end of the
    run (9 of 242 MB traced at 4,993 files)."""
    from pathlib import Path

    from codemod.engine import _collect
    from codemod.project import Project
    from codemod.rules import Context, Settings, all_rules

    project = Project.build(Path("/p"), {"a.ts": b"export const a = 1;\n\nexport const a = 2;\n",
                                         "b.ts": b"export const b = 1;\nexport const b = 1;\n"})
    settings = Settings(select=frozenset({"SF002"}))
    found = _collect([r for r in all_rules() if settings.enabled(r.code)], Context(project, settings),
                     frozenset(project.files))
    assert [(d.path, d.fix is None) for d in found] == [("a.ts", True), ("b.ts", False)]
    assert project.files["a.ts"]._tree is None and project.files["b.ts"]._tree is None
    project.files["b.ts"].tree  # a rule's tree is kept, and read again from there
    assert project.files["b.ts"].passing_tree() is project.files["b.ts"]._tree


def test_comments_make_declarations_different():
    source = "const a = 1;\nconst a = /* two */ 1;\n"
    check_noop({"a.ts": source}, select="SF002")
    assert [d.fix for d in diagnostics({"a.ts": source}, select="SF002")] == [None]


def test_relations_duplicates_belong_to_sf003():
    source = (
        "import { relations } from 'drizzle-orm';\n"
        "export const aRelations = relations(a, ({ one }) => ({ b: one(b) }));\n"
        "export const aRelations = relations(a, ({ one }) => ({ b: one(b) }));\n"
    )
    assert diagnostics({"a.ts": source}, select="SF002") == []
    assert [d.code for d in diagnostics({"a.ts": source}, select="SF002,SF003")] == ["SF003"]


NOOP = [
    pytest.param("const a = 1;\nconst b = 1;\n", id="healthy"),
    pytest.param("function f(a: string): void;\nfunction f(a: number): void;\nfunction f(a: any) {}\n",
                 id="overloads"),
    pytest.param("interface I { a: 1 }\ninterface I { a: 1 }\n", id="interface-merging"),
    pytest.param("namespace N { const a = 1; }\nnamespace N { const a = 1; }\n", id="namespace-merging"),
    pytest.param("function g() { const a = 1; }\nfunction h() { const a = 1; }\n", id="nested-scopes"),
]


@pytest.mark.parametrize("source", NOOP)
def test_noop(source):
    check_noop({"a.ts": source}, select="SF002")
    assert diagnostics({"a.ts": source}, select="SF002") == []


def test_var_redeclaration_is_legal_and_left_alone():
    """`var` may be declared again; removing the second one would change the result."""
    check_noop({"a.ts": "var count = 0;\ncount += 5;\nvar count = 0;\nexport const value = count;\n"},
               select="SF002")
