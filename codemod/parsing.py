"""tree-sitter parsers and the bundled .scm queries.

One parser per grammar (TypeScript for .ts/.mts/.cts/.d.ts, TSX for .tsx); queries
are compiled once per grammar and run with a ``QueryCursor`` (tree-sitter >= 0.25).

Grammar gaps. tree-sitter-typescript 0.23.2 rejects some code TypeScript accepts
(``export type *``, ``sql<string[]>`...```, ``$type<import('./x').T>()``,
``import('./x').T<U>`` as tsc writes it in ``.d.ts`` output, ``&`` in JSX text).
``parse`` masks exactly those spots with *same-length* substitutions (spaces; newlines
kept, so every byte offset and line number stays right) and only
where the unmasked parse really reports an error there. The tree's structure comes
from the masked bytes, but its text is the original: the tree is parsed from a
``bytearray`` that is restored to the original bytes afterwards, so ``node.text``
(which py-tree-sitter slices lazily from the source object it keeps) shows what the
file says. Each masked spot is a ``Gap`` (``parse_with_gaps`` returns them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from sys import intern

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")


@lru_cache(maxsize=None)
def language_for(path: str) -> Language:
    import tree_sitter_typescript  # here: it imports ``importlib.resources`` (~6 ms), which a warm run never needs

    if path.endswith(".tsx"):
        return Language(tree_sitter_typescript.language_tsx())
    return Language(tree_sitter_typescript.language_typescript())


@lru_cache(maxsize=None)
def _parser(language: Language) -> Parser:
    return Parser(language)


@dataclass(frozen=True)
class Gap:
    """A spot masked before parsing because the grammar rejects valid TypeScript."""

    kind: str  # one of the GAP_* constants
    start: int  # masked bytes [start, end)
    end: int


GAP_EXPORT_TYPE_STAR = "export type *"
GAP_TAGGED_TEMPLATE = "type arguments of a tagged template"
GAP_IMPORT_TYPE_ARGUMENT = "import type in call type arguments"
GAP_IMPORT_TYPE_MEMBER_ARGUMENTS = "type arguments of an import type's member"
GAP_JSX_AMPERSAND = "& in JSX text"

_MAX_ROUNDS = 4


def parse(path: str, data: bytes) -> Tree:
    """Parse ``data``, masking known grammar gaps (see the module docstring)."""
    return parse_with_gaps(path, data)[0]


def parse_with_gaps(path: str, data: bytes) -> tuple[Tree, tuple[Gap, ...]]:
    """``parse``, and the gaps it masked (empty when nothing was masked)."""
    parser = _parser(language_for(path))
    tree = parser.parse(data)
    if not tree.root_node.has_error:
        return tree, ()
    masked = bytearray(data)
    found: list[Gap] = []
    for _ in range(_MAX_ROUNDS):
        candidates = _find_gaps(path, data, tree)
        new = [g for g in candidates
               if not any(_inside(g, f) for f in found)  # masked already
               and not any(f != g and _inside(g, f) for f in candidates)  # the outermost of nested ones
               and not any(g.start < f.end and f.start < g.end and not _inside(f, g) for f in found)]
        if not new:
            break
        for g in new:
            masked[g.start:g.end] = blank(masked[g.start:g.end])
        found = [f for f in found if not any(_inside(f, g) for g in new)] + new  # an outer gap takes in inner ones
        source = bytearray(masked)  # parsed from a buffer the original text is put back into below
        tree = parser.parse(source)
        if not tree.root_node.has_error:
            break
    if not found:
        return tree, ()
    source[:] = data  # same length: the tree now reads the original text
    return tree, tuple(sorted(found, key=lambda g: g.start))


def code_only(chunk: bytes) -> bytes:
    """``chunk`` with its comments and the insides of its string and template literals
    blanked (same length): an ``import('x')`` written in a comment or a string is not
    one. The quotes stay, so a specifier's own string still starts where it did."""
    out = bytearray(chunk)
    i, n = 0, len(chunk)
    while i < n:
        j = _skip_literal(chunk, i, n)
        if j is None:
            i += 1
        elif chunk[i] in _QUOTES:
            out[i + 1:min(j, n)] = blank(chunk[i + 1:min(j, n)])
            i = j + 1
        else:
            out[i:j] = blank(chunk[i:j])
            i = j
    return bytes(out)


_QUOTES = b"'\"`"


def _skip_literal(data: bytes, i: int, end: int) -> int | None:
    """Where the comment, string or template literal starting at ``i`` ends: after a
    comment (a line comment stops before its newline), at a literal's closing quote (or
    ``end`` or beyond when it is not closed; a backslash escapes the next byte); None when
    none starts at ``i``. Template substitutions are not followed."""
    if data.startswith(b"//", i):
        j = data.find(b"\n", i, end)
        return end if j < 0 else j
    if data.startswith(b"/*", i):
        j = data.find(b"*/", i + 2, end)
        return end if j < 0 else j + 2
    quote = data[i]
    if quote not in _QUOTES:
        return None
    j = i + 1
    while j < end and data[j] != quote:
        j += 2 if data[j] == 0x5C else 1
    return j


def _inside(inner: Gap, outer: Gap) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def blank(chunk: bytearray) -> bytes:
    """Spaces, same length; line breaks kept so rows and columns stay right."""
    return bytes(b if b in b"\r\n" else 0x20 for b in chunk)


def _error_spans(tree: Tree) -> list[tuple[int, int]]:
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            out.append((node.start_byte, node.end_byte))
        stack.extend(c for c in node.children if c.has_error or c.is_missing)
    return out


_EXPORT_TYPE_STAR = re.compile(rb"\bexport[ \t\r\n]+(type)[ \t\r\n]+\*")
_TYPE_ARGS_OPEN = re.compile(rb"[A-Za-z0-9_$]<")
IMPORT_CALL = re.compile(rb"\bimport\s*\(")  # `import(`: an import type or a dynamic import
# `import('x').A.B` right before a `<`: tsc's own .d.ts output writes `import("x").T<...>`.
_IMPORT_TYPE_MEMBER = re.compile(
    rb"\bimport\s*\(\s*(?:'[^'\r\n]*'|\"[^\"\r\n]*\")\s*\)(?:\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*)+$")
_ENTITY = re.compile(rb"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _find_gaps(path: str, data: bytes, tree: Tree) -> list[Gap]:
    """Known gaps in ``data`` at which ``tree`` (the parse so far) has an error."""
    errors = _error_spans(tree)

    def erroneous(start: int, end: int) -> bool:  # an error node touches [start, end]
        return any(s <= end and e >= start for s, e in errors)

    out = []
    for m in _EXPORT_TYPE_STAR.finditer(data):
        if erroneous(m.start(1), m.end(1)):
            out.append(Gap(GAP_EXPORT_TYPE_STAR, m.start(1), m.end(1)))
    if b"<" in data:
        for m in _TYPE_ARGS_OPEN.finditer(data):
            lt = m.end() - 1
            if not erroneous(lt, lt + _SCAN_LIMIT):  # no error anywhere near: nothing to mask
                continue
            gt = _closing_angle(data, lt)
            if gt is None:
                continue
            nxt = gt + 1
            while nxt < len(data) and data[nxt] in b" \t\r\n":
                nxt += 1
            follow = data[nxt:nxt + 1]
            if follow == b"`":
                kind = GAP_TAGGED_TEMPLATE
            elif follow == b"(" and IMPORT_CALL.search(data, lt, gt):
                kind = GAP_IMPORT_TYPE_ARGUMENT
            elif _IMPORT_TYPE_MEMBER.search(data, max(0, lt - 500), lt):
                kind = GAP_IMPORT_TYPE_MEMBER_ARGUMENTS
            else:
                continue
            if erroneous(lt, nxt + 1):
                out.append(Gap(kind, lt, gt + 1))
    if path.endswith(".tsx") and b"&" in data:
        out += _jsx_ampersands(data, tree)
    return out


_JSX_NODES = ("jsx_element", "jsx_fragment", "jsx_text", "jsx_opening_element", "jsx_closing_element",
              "jsx_self_closing_element")


def _jsx_ampersands(data: bytes, tree: Tree) -> list[Gap]:
    """Each bare `&` (not an entity, not `&&` / `&=`) in JSX text that the grammar
    choked on: inside an ERROR node that sits in JSX or holds JSX, and in text
    position (the nearest of ``<>{};`` before it is a tag's `>` or a `}`, and after
    it a `<` or a `{`)."""
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error and (node.parent is not None and node.parent.type in _JSX_NODES
                              or any(c.type in _JSX_NODES for c in node.children)):
            for i in range(node.start_byte, node.end_byte):
                if data[i] == 0x26 and _bare_jsx_ampersand(data, i, node.start_byte):
                    out.append(Gap(GAP_JSX_AMPERSAND, i, i + 1))
        stack.extend(c for c in node.children if c.has_error)
    return sorted(set(out), key=lambda g: g.start)


def _bare_jsx_ampersand(data: bytes, i: int, floor: int) -> bool:
    if _ENTITY.match(data, i) or data[i + 1:i + 2] in (b"&", b"=") or data[i - 1:i] == b"&":
        return False
    j = i - 1
    while j >= max(0, floor - 4000) and data[j] not in b"<>{};":
        j -= 1
    k = i + 1
    while k < min(len(data), i + 4000) and data[k] not in b"<>{};":
        entity = _ENTITY.match(data, k) if data[k] == 0x26 else None
        k = entity.end() if entity else k + 1
    return (j >= 0 and data[j] in b">}" and data[j - 1:j] != b"="  # not `=>`
            and k < len(data) and data[k] in b"<{")  # text runs on to a tag or an expression


_OPEN, _CLOSE = b"([{", b")]}"


_SCAN_LIMIT = 4000


def _closing_angle(data: bytes, lt: int, limit: int = _SCAN_LIMIT) -> int | None:
    """The offset of the `>` that closes the type argument list opened at ``lt``
    (brackets, strings and comments skipped), or None when there is none."""
    stack, i = [], lt  # closers expected, innermost last; a `<` expects a `>` (nested generics too)
    end = min(len(data), lt + limit)
    while i < end:
        c = data[i]
        skipped = _skip_literal(data, i, end)
        if skipped is not None:  # a comment, string or template literal: nothing in it counts
            i = skipped + 1 if c in _QUOTES else skipped
            continue
        if c == 0x3C:  # <
            stack.append(0x3E)
        elif c == 0x3E and data[i - 1] != 0x3D:  # > but not =>
            if not stack or stack.pop() != 0x3E:
                return None
            if not stack:
                return i
        elif c in _OPEN:
            stack.append(_CLOSE[_OPEN.index(c)])
        elif c in _CLOSE:
            if not stack or stack.pop() != c:
                return None
        elif c == 0x3B and stack[-1] == 0x3E:  # ; right inside angle brackets: not a type argument list
            return None
        i += 1
    return None


_QUERIES = Path(__file__).parent / "queries"


@lru_cache(maxsize=None)
def query(language: Language, name: str) -> Query:
    source = (_QUERIES / f"{name}.scm").read_text("utf-8")
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


def node_at(node: Node, start: int, end: int, kind: str | None = None) -> Node | None:
    """The innermost node at or under ``node`` spanning exactly [start, end) (and of type
    ``kind``, when given), or None: how a span kept as plain data finds its node again."""
    found = node.descendant_for_byte_range(start, end)
    while found is not None and not (found.start_byte == start and found.end_byte == end
                                     and (kind is None or found.type == kind)):
        found = found.parent
    return found


def walk(node: Node):
    """Every node under ``node`` (itself included), in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def error_statements(tree: Tree) -> list[tuple[Node, Node]]:
    """(top-level statement, its first ERROR or MISSING node) for every statement of
    the file that does not parse (a top-level ERROR node is its own statement)."""
    if not tree.root_node.has_error:
        return []
    out = []
    for stmt in tree.root_node.children:
        if not (stmt.has_error or stmt.is_error or stmt.is_missing):
            continue
        stack = [stmt]
        while stack:
            node = stack.pop()
            if (node.is_error or node.is_missing) and not _is_require_alias_quirk(node):
                out.append((stmt, node))
                break
            stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return out


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
    """The node's text, interned: the facts and summaries of a project repeat the same
    names and specifiers (187,634 strings of 30,926 values in the facts of 4,993 files),
    and a chunk of files gathered by a worker (``gather.py``) is pickled with one copy of
    each (the run's peak memory at 4,993 files 243 -> 217 MB)."""
    raw = node.text  # sliced from the source on every access: once here (1.3 million calls at 5k files)
    return intern(raw.decode("utf-8", "surrogateescape")) if raw is not None else ""


def string_value(node: Node) -> str:
    """The value of a string literal node (no escapes are processed: specifiers have none)."""
    raw = text(node)
    return intern(raw[1:-1]) if len(raw) >= 2 and raw[0] in "'\"`" else raw
