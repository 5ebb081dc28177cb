"""``_barrels.is_imported`` (one module: is it imported by another file, maybe from
outside a folder?) answers as membership in ``imported_modules`` (the whole set, built
from every file's imports) on random import graphs of every import kind: static,
type-only, re-exports, ``require``, dynamic ``import()``, a module importing itself,
specifiers that resolve to nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from codemod.project import Project
from rewriters import _barrels
from support import encode

MODULES = ["schema/a/users.ts", "schema/a/posts.ts", "schema/b/tags.ts", "schema/index.ts", "src/app.ts",
           "src/lazy.ts"]
KINDS = [
    "import {{ x }} from '{s}';",
    "import type {{ x }} from '{s}';",
    "export * from '{s}';",
    "export {{ x }} from '{s}';",
    "const m = require('{s}');",
    "const m = await import('{s}');",
    "import '{s}';",
]


def _specifier(importer: str, target: str) -> str:
    import posixpath

    rel = posixpath.relpath(target[:-3], posixpath.dirname(importer))
    return rel if rel.startswith(".") else "./" + rel


@st.composite
def graphs(draw) -> dict[str, str]:
    files = {}
    for m in MODULES:
        lines = ["export const x = 1;"]
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(KINDS))
            target = draw(st.sampled_from(MODULES + ["schema/a/gone.ts"]))
            lines.append(kind.format(s=_specifier(m, target)))
        files[m] = "\n".join(lines) + "\n"
    return files


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_is_imported_is_membership_in_imported_modules(files):
    project = Project.build(Path("/project"), encode(files))
    for outside in (None, "schema", "schema/a", "src"):
        whole = _barrels.imported_modules(project, outside=outside)
        assert {m for m in MODULES if _barrels.is_imported(project, m, outside=outside)} == set(whole) & set(MODULES)
