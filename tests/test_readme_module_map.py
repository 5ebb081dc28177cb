"""The README's module map names every module of codemod/ and rewriters/, and only those."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_module_map_matches_the_code():
    text = (REPO / "README.md").read_text()
    section = text[text.index("## How it works"):text.index("## Known limitations")]
    listed = set(re.findall(r"^\| `((?:codemod|rewriters)/[\w/]+\.py)` \|", section, re.M))
    actual = {p.relative_to(REPO).as_posix() for pkg in ("codemod", "rewriters") for p in (REPO / pkg).glob("*.py")
              if p.name != "__init__.py"}
    assert listed == actual, f"missing from the README: {sorted(actual - listed)}; gone: {sorted(listed - actual)}"
