"""The whole-project export map: export * chains, cycles, renames, ambiguity, definers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from support import assert_golden

from codemod.cli import main
from codemod.exportmap import Binding
from codemod.project import Project

REPO = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "exports-broken-schema.json"


def export_map(files: dict[str, str]):
    return Project.build(Path("/p"), {p: s.encode() for p, s in files.items()}).exports


def names(files: dict[str, str], module: str) -> dict[str, tuple[str, str, str]]:
    return {n: (b.origin, b.name, b.kind) for n, b in export_map(files).names(module).items()}


def test_export_star_chain():
    files = {
        "index.ts": "export * from './mid';",
        "mid.ts": "export * from './leaf';\nexport const m = 1;",
        "leaf.ts": "export const a = 1;\nexport type T = string;",
    }
    assert names(files, "index.ts") == {
        "a": ("leaf.ts", "a", "value"),
        "T": ("leaf.ts", "T", "type"),
        "m": ("mid.ts", "m", "value"),
    }


def test_export_star_cycle_both_sides_complete():
    files = {
        "a.ts": "export const x = 1;\nexport * from './b';",
        "b.ts": "export const y = 1;\nexport * from './a';",
    }
    m = export_map(files)
    assert set(m.names("a.ts")) == {"x", "y"}
    assert set(m.names("b.ts")) == {"x", "y"}


def test_export_star_three_cycle_every_member_complete():
    files = {
        "a.ts": "export const x = 1;\nexport * from './b';",
        "b.ts": "export const y = 1;\nexport * from './c';",
        "c.ts": "export const z = 1;\nexport * from './a';",
    }
    m = export_map(files)
    for module in files:
        assert set(m.names(module)) == {"x", "y", "z"}, module
        assert m.names(module)["x"].origin == "a.ts"


def test_self_export_star_terminates():
    assert set(names({"a.ts": "export const x = 1;\nexport * from './a';"}, "a.ts")) == {"x"}


def test_default_not_forwarded_by_export_star():
    files = {"index.ts": "export * from './a';", "a.ts": "export default 1;\nexport const b = 2;"}
    assert set(names(files, "index.ts")) == {"b"}


def test_default_forwarded_by_named_reexport():
    files = {"index.ts": "export { default as a, default } from './a';", "a.ts": "export default 1;"}
    assert names(files, "index.ts") == {"a": ("a.ts", "default", "value"), "default": ("a.ts", "default", "value")}


def test_export_star_as_namespace():
    files = {"index.ts": "export * as billing from './billing';", "billing.ts": "export const invoices = 1;"}
    assert names(files, "index.ts") == {"billing": ("index.ts", "billing", "value")}


def test_named_reexport_with_rename():
    files = {"index.ts": "export { a as b } from './a';", "a.ts": "export const a = 1;"}
    assert names(files, "index.ts") == {"b": ("a.ts", "a", "value")}


def test_named_reexport_of_missing_name_is_not_exported():
    files = {"index.ts": "export { nope } from './a';", "a.ts": "export const a = 1;"}
    assert names(files, "index.ts") == {}


def test_type_only_reexport_is_type():
    files = {"index.ts": "export type { A } from './a';\nexport { type B } from './a';",
             "a.ts": "export class A {}\nexport class B {}"}
    assert names(files, "index.ts") == {"A": ("a.ts", "A", "type"), "B": ("a.ts", "B", "type")}


def test_import_then_export_is_a_reexport():
    files = {"index.ts": "import { a } from './a';\nexport { a };", "a.ts": "export const a = 1;"}
    m = export_map(files)
    assert m.names("index.ts")["a"] == Binding("a.ts", "a", "value")
    assert m.definers["a"] == {"a.ts"}
    assert m.reexporters["a"] == {"index.ts"}


def test_import_alias_then_export_rename():
    files = {"index.ts": "import { a as local } from './a';\nexport { local as b };", "a.ts": "export const a = 1;"}
    assert names(files, "index.ts") == {"b": ("a.ts", "a", "value")}


def test_import_of_unresolved_then_export_is_defined_here():
    files = {"index.ts": "import { a } from 'some-package';\nexport { a };"}
    assert names(files, "index.ts") == {"a": ("index.ts", "a", "value")}


def test_ambiguous_names_from_two_export_stars():
    # TS2308: "Module './a' has already exported a member named 'x'".
    files = {
        "index.ts": "export * from './a';\nexport * from './b';",
        "a.ts": "export const x = 1;\nexport const onlyA = 1;",
        "b.ts": "export const x = 2;",
    }
    m = export_map(files)
    assert set(m.names("index.ts")) == {"onlyA"}
    assert {b.origin for b in m.ambiguous("index.ts")["x"]} == {"a.ts", "b.ts"}
    assert m.exports("index.ts", "x")  # still "exported" for import checks


def test_same_origin_through_two_stars_is_not_ambiguous():
    files = {
        "index.ts": "export * from './a';\nexport * from './b';",
        "a.ts": "export * from './leaf';",
        "b.ts": "export * from './leaf';",
        "leaf.ts": "export const x = 1;",
    }
    m = export_map(files)
    assert m.names("index.ts")["x"].origin == "leaf.ts"
    assert m.ambiguous("index.ts") == {}


def test_explicit_export_shadows_star():
    files = {
        "index.ts": "export * from './a';\nexport * from './b';\nexport { x } from './b';",
        "a.ts": "export const x = 1;",
        "b.ts": "export const x = 2;",
    }
    m = export_map(files)
    assert m.names("index.ts")["x"].origin == "b.ts"
    assert m.ambiguous("index.ts") == {}


def test_local_declaration_shadows_star():
    files = {"index.ts": "export * from './a';\nexport const x = 0;", "a.ts": "export const x = 1;"}
    assert names(files, "index.ts")["x"] == ("index.ts", "x", "value")


def test_definers_and_reexporters():
    files = {
        "index.ts": "export * from './users';\nexport * from './posts';",
        "users.ts": "export const users = 1;",
        "posts.ts": "export const posts = 1;\nexport { users } from './users';",
        "copy.ts": "export const users = 2;",
    }
    m = export_map(files)
    assert m.definers["users"] == {"users.ts", "copy.ts"}
    assert m.reexporters["users"] == {"index.ts", "posts.ts"}
    assert m.definers["posts"] == {"posts.ts"}
    assert m.reexporters["posts"] == {"index.ts"}


def test_unknown_module_exports_nothing():
    assert export_map({"a.ts": "export const a = 1;"}).names("nope.ts") == {}


def test_as_json_shape():
    files = {"index.ts": "export * from './a';\nexport * from './b';", "a.ts": "export const x = 1;",
             "b.ts": "export const x = 2;\nexport { x as y };"}
    doc = export_map(files).as_json()
    assert doc["modules"]["b.ts"] == {"x": {"kind": "value", "origin": "b.ts"},
                                      "y": {"kind": "value", "origin": "b.ts"}}  # `y` is what b.ts exports
    assert doc["modules"]["index.ts"]["y"] == {"kind": "value", "origin": "b.ts"}
    files["c.ts"] = "export { x as z } from './a';"
    assert export_map(files).as_json()["modules"]["c.ts"] == {"z": {"kind": "value", "origin": "a.ts", "as": "x"}}
    assert doc["modules"]["index.ts"]["__ambiguous__"] == {"x": ["a.ts", "b.ts"]}
    assert doc["definers"]["x"] == ["a.ts", "b.ts"]


# --- golden: `schemafix exports examples/broken-schema` -----------------------------

def test_exports_golden():
    result = CliRunner().invoke(main, ["exports", str(REPO / "examples" / "broken-schema")])
    assert result.exit_code == 0, result.output
    assert_golden(result.stdout, GOLDEN)


def test_exports_golden_subprocess():
    proc = subprocess.run([sys.executable, "-m", "codemod.cli", "exports", "examples/broken-schema"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_golden(proc.stdout, GOLDEN)


def test_a_barrel_shares_its_targets_bindings_and_makes_new_ones_only_for_a_new_kind():
    """A re-exported name is the target's Binding object itself (the root barrel of a
    schema re-exports every name: one object each, in memory and in the kept map),
    unless the line changes its kind (``export type``), which makes a new one."""
    exports = export_map({
        "index.ts": "export * from './a';\nexport { b } from './b';\nexport type { c } from './b';\n"
                    "export type * from './d';",
        "a.ts": "export const a = 1;\nexport type A = string;",
        "b.ts": "export const b = 1;\nexport const c = 2;",
        "d.ts": "export const d = 1;",
    })
    top, a, b, d = (exports.names(m) for m in ("index.ts", "a.ts", "b.ts", "d.ts"))
    assert top["a"] is a["a"] and top["A"] is a["A"] and top["b"] is b["b"]
    assert top["c"] == Binding("b.ts", "c", "type") and top["c"] is not b["c"]
    assert top["d"] == Binding("d.ts", "d", "type") and d["d"].kind == "value"
