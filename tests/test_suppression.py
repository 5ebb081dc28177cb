"""Suppression comments (`// schemafix-ignore`, `// schemafix-ignore-file`) and SF100
unused-suppression: a pure step on the diagnostics, applied before fixes are chosen."""

from __future__ import annotations

from support import run

from codemod import suppression
from codemod.model import Diagnostic

RIGHT = "export const a = 1;\nexport const b = 2;\n"


def codes(outcome):
    return [(d.code, d.path, d.line) for d in outcome.remaining]


def test_comment_on_the_line_above_suppresses_the_diagnostic_and_its_fix():
    files = {"right.ts": RIGHT, "main.ts": "// schemafix-ignore SF001\nimport { a } from './wrong';\nuse(a);\n"}
    outcome = run(files)
    assert outcome.final == outcome.original and outcome.fixed == [] and codes(outcome) == []


def test_comment_at_the_end_of_the_line_suppresses_it():
    files = {"right.ts": RIGHT, "main.ts": "import { a } from './wrong'; // schemafix-ignore SF001 -- legacy\nuse(a);\n"}
    outcome = run(files)
    assert outcome.final == outcome.original and codes(outcome) == []


def test_a_suppression_covers_only_its_line():
    files = {"right.ts": RIGHT,
             "main.ts": "// schemafix-ignore SF001\nimport { a } from './wrong';\nimport { b } from './gone';\nuse(a, b);\n"}
    outcome = run(files)
    # SF001 fixes both imports of the file in one fix, which would change line 2 too: the
    # unsuppressed diagnostic is reported, not fixed, and says why
    assert outcome.final == outcome.original
    (d,) = outcome.remaining
    assert (d.code, d.line, d.fix) == ("SF001", 3, None)
    assert d.notes[-1] == "not fixed: the fix also changes line 2, where SF001 is suppressed"
    other = run({"right.ts": RIGHT, "main.ts": files["main.ts"].replace("// schemafix-ignore SF001\n", ""),
                 "x.ts": "// schemafix-ignore SF001\nimport { a } from './wrong';\nuse(a);\n"})
    assert b"import { a, b } from './right';" in other.final["main.ts"]  # other files are not held back
    assert other.final["x.ts"] == other.original["x.ts"]


def test_file_level_suppression_with_several_codes_and_no_code():
    body = "import { a } from './wrong';\nuse(a);\n"
    for header in ("// schemafix-ignore-file SF002, SF001\n", "/* license */\n// schemafix-ignore-file\n"):
        outcome = run({"right.ts": RIGHT, "main.ts": header + body})
        assert outcome.final == outcome.original and codes(outcome) == [], header


def test_file_level_comment_below_the_code_does_not_count():
    files = {"right.ts": RIGHT, "main.ts": "import { a } from './wrong';\n// schemafix-ignore-file SF001\nuse(a);\n"}
    outcome = run(files)
    assert b"'./right'" in outcome.final["main.ts"]
    (unused,) = outcome.remaining
    assert unused.code == "SF100" and "counts only above the first line of code" in unused.message


def test_other_codes_are_not_suppressed():
    files = {"right.ts": RIGHT, "main.ts": "// schemafix-ignore SF004\nimport { a } from './wrong';\nuse(a);\n"}
    outcome = run(files)
    assert b"'./right'" in outcome.final["main.ts"]
    (unused,) = outcome.remaining
    assert (unused.code, unused.line, unused.column) == ("SF100", 1, 1)
    assert unused.message == "unused suppression of SF004 on line 2"


def test_unused_suppression_of_a_rule_that_did_not_run_is_not_reported():
    files = {"right.ts": RIGHT, "main.ts": "// schemafix-ignore SF004\nexport const x = 1;\n"}
    assert codes(run(files, select="SF001,SF100")) == []
    assert codes(run(files)) == [("SF100", "main.ts", 1)]
    assert codes(run(files, select="SF004")) == []  # SF100 itself not selected


def test_apply_is_a_pure_function_of_diagnostics_and_sources():
    d = Diagnostic("SF003", "x.ts", 2, 1, "dup")
    sources = {"x.ts": b"// schemafix-ignore SF00\nconst a = 1;\n"}
    assert suppression.apply([d], sources, ["x.ts"], lambda code: True) == []
    assert suppression.apply([d], {"x.ts": b"const a = 1;\n"}, ["x.ts"], lambda code: True) == [d]


def test_parse_reads_codes_prefixes_and_reasons():
    (s,) = suppression.parse("x.ts", b"  const a = 1; // schemafix-ignore sf001,SF2 because\n")
    assert (s.codes, s.target, s.column) == (("SF001", "SF2"), 1, 16)
    assert suppression.parse("x.ts", b"// schemafix-ignored SF001\n") == []
