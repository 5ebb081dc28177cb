"""Start-up: most of a warm run (one that reuses the cached outcome) is Python starting
and importing schemafix, so what such a run does not need is imported where it is used:
the tree-sitter grammar, the process pool, json5 (tried only when a JSON file is not plain
JSON), tempfile (only writes), the TOML reader (only a config file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from codemod import tsconfig
from support import write_tree as make


@pytest.mark.parametrize("text", ['{"compilerOptions": {"strict": true, "paths": {"@/*": ["./src/*"]}}}',
                                  '{"a": 1, "a": 2}', '[1, 2.5, -3e2, null, "\\u00e9"]'])
def test_plain_json_reads_as_json5_reads_it(text):
    import json5

    assert tsconfig.loads(text) == json5.loads(text)


def test_an_escaped_surrogate_pair_is_one_character_with_or_without_comments():
    """JSON and TypeScript read ``"\\ud83d\\ude00"`` as one character; json5 left two lone
    surrogates: a tsconfig ``paths`` key must not depend on whether the file has a comment."""
    plain = tsconfig.loads('{"paths": {"\\ud83d\\ude00/*": ["./x/*"]}}')
    commented = tsconfig.loads('{\n  // emoji\n  "paths": {"\\ud83d\\ude00/*": ["./x/*"],},\n}')
    assert plain == commented == {"paths": {"\U0001F600/*": ["./x/*"]}}
    assert tsconfig.loads('{"a": "\\ud83d",}') == {"a": "\ud83d"}  # a lone one stays as it is


def test_json_with_comments_and_trailing_commas_falls_back_to_json5():
    assert tsconfig.loads('{\n  // strict\n  "a": [1, 2,],\n}') == {"a": [1, 2]}
    with pytest.raises(ValueError):
        tsconfig.loads("{ not json")


def test_a_warm_run_loads_neither_the_grammar_nor_a_process_pool(tmp_path):
    """Start-up is most of a warm run: one that reuses the cached outcome imports no
    tree-sitter grammar, no process pool, no json5 (plain-JSON tsconfig), no tempfile
    (it writes nothing) and no TOML reader (no config file)."""
    root = make(tmp_path / "proj", {"tsconfig.json": '{"include": ["schema"]}',
                                    "schema/users.ts": "export const u = 1;\n",
                                    "schema/main.ts": "import { u } from './wrong';\nexport const m = u;\n"})
    heavy = ["tree_sitter_typescript", "multiprocessing", "concurrent.futures", "json5", "tempfile", "tomllib",
             "importlib.resources"]
    script = ("import sys\nfrom codemod import cli\nsys.argv = ['schemafix', '--check', sys.argv[1]]\n"
              "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
              f"print({heavy!r} and [m for m in {heavy!r} if m in sys.modules], file=sys.__stdout__)\n")
    env = {**os.environ, "SCHEMAFIX_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SCHEMAFIX_NO_CACHE", None)
    cold = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, env=env)
    warm = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, env=env)
    assert "SF001" in cold.stderr and warm.stderr == cold.stderr
    assert "tree_sitter_typescript" in json.loads(cold.stdout.replace("'", '"'))  # the cold run parsed
    assert json.loads(warm.stdout.replace("'", '"')) == []
