"""tree-sitter parsers and the bundled .scm queries.

One parser per grammar (TypeScript for .ts/.mts/.cts/.d.ts, TSX for .tsx); queries
are compiled once per grammar and run with a ``QueryCursor`` (tree-sitter >= 0.25).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")


@lru_cache(maxsize=None)
def language_for(path: str) -> Language:
    if path.endswith(".tsx"):
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_typescript.language_typescript())


@lru_cache(maxsize=None)
def _parser(language: Language) -> Parser:
    return Parser(language)


def parse(path: str, data: bytes) -> Tree:
    return _parser(language_for(path)).parse(data)


@lru_cache(maxsize=None)
def query(language: Language, name: str) -> Query:
    source = resources.files("codemod").joinpath(f"queries/{name}.scm").read_text("utf-8")
    return Query(language, source)


def captures(path: str, name: str, node: Node, *, top_level: bool = False) -> dict[str, list[Node]]:
    """Run query ``name`` over ``node``; captures sorted by position. With ``top_level``
    matches may only start at ``node`` itself (patterns rooted at ``program``), which
    spares the cursor a walk over every node of a large file."""
    cursor = QueryCursor(query(language_for(path), name))
    if top_level:
        cursor.set_max_start_depth(0)
    found = cursor.captures(node)
    return {key: sorted(nodes, key=lambda n: n.start_byte) for key, nodes in found.items()}


def walk(node: Node):
    """Every node under ``node`` (itself included), in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def first_error(tree: Tree) -> Node | None:
    """The first ERROR or MISSING node, or None when the tree parsed cleanly."""
    if not tree.root_node.has_error:
        return None
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if (node.is_error or node.is_missing) and not _is_require_alias_quirk(node):
            return node
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return None


def _is_require_alias_quirk(node: Node) -> bool:
    """tree-sitter-typescript 0.23 parses `export import x = require('m');` as an
    import alias missing its `;` followed by `('m');`. That MISSING node is the
    grammar's gap, not the file's."""
    parent = node.parent
    return (
        node.is_missing
        and parent is not None
        and parent.type == "import_alias"
        and parent.named_children[-1].type == "identifier"
        and parent.named_children[-1].text == b"require"
    )


def text(node: Node) -> str:
    return node.text.decode("utf-8", "surrogateescape") if node.text is not None else ""


def string_value(node: Node) -> str:
    """The value of a string literal node (no escapes are processed: specifiers have none)."""
    raw = text(node)
    return raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"`" else raw
