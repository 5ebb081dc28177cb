"""tree-sitter parsers and the bundled .scm queries.

One parser per grammar (TypeScript for .ts/.mts/.cts/.d.ts, TSX for .tsx); queries
are compiled once per grammar and run with a ``QueryCursor`` (tree-sitter >= 0.25).

Grammar gaps. tree-sitter-typescript 0.23.2 rejects some code TypeScript accepts
(``export type *``, ``sql<string[]>`...```, ``$type<import('./x').T>()``,
``import('./x').T<U>`` as tsc writes it in ``.d.ts`` output, ``import('x').T[]`` in a
type, ``using`` as a parameter or variable name, ``&`` in JSX text and in
JSX attribute strings, a member named ``abstract`` / ``accessor``, and a line starting
with ``in_x`` or a member ``in:`` where the previous line has no ``;``).
``parse`` masks exactly those spots with *same-length* substitutions (spaces, newlines
kept, or one letter for one byte, so every byte offset and line number stays right) and
only where the unmasked parse really reports an error there; a mask found from bytes
alone is kept only when the parse of the masked bytes reads the construct there (a real
error next to it stays an error). The tree's structure comes
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
GAP_JSX_ATTRIBUTE_AMPERSAND = "& in a JSX attribute string"
GAP_KEYWORD_MEMBER_NAME = "a member named abstract, accessor, in or instanceof"
GAP_NAME_AFTER_LINE_BREAK = "a name starting with in after a line break"
GAP_IMPORT_TYPE_ARRAY = "[] after an import type's member"
GAP_USING_NAME = "a name using"

# Gaps masked with a letter, not spaces: the masked byte must stay part of the text or
# the name it is in. Each is one byte, and the parse of the masked bytes must confirm
# that the byte is where the gap says (``_CONFIRMS``), or the mask is undone.
_LETTER_MASKED = frozenset({GAP_JSX_AMPERSAND, GAP_JSX_ATTRIBUTE_AMPERSAND, GAP_KEYWORD_MEMBER_NAME,
                            GAP_NAME_AFTER_LINE_BREAK, GAP_USING_NAME})

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
    refused: set[Gap] = set()  # masked, and the parse did not read it as the gap's construct (since the last kept mask)
    for _ in range(_MAX_ROUNDS):
        candidates = [g for g in _find_gaps(path, data, tree) if g not in refused]
        new = [g for g in candidates
               if not any(_inside(g, f) for f in found)  # masked already
               and not any(f != g and _inside(g, f) for f in candidates)  # the outermost of nested ones
               and not any(g.start < f.end and f.start < g.end and not _inside(f, g) for f in found)]
        if not new:
            break
        for g in new:
            masked[g.start:g.end] = _mask(g, masked[g.start:g.end])
        source = bytearray(masked)  # parsed from a buffer the original text is put back into below
        tree = parser.parse(source)
        wrong = _unconfirmed(tree, data, new)
        if wrong:  # put those bytes back: what they are is the file's own error, reported as such
            for g in wrong:
                masked[g.start:g.end] = data[g.start:g.end]
            refused.update(wrong)
            new = [g for g in new if g not in wrong]
            source = bytearray(masked)
            tree = parser.parse(source)
        if new:
            refused.clear()  # the masks kept may be what a refused one lacked: it is tried again
        found = [f for f in found if not any(_inside(f, g) for g in new)] + new  # an outer gap takes in inner ones
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


def _mask(gap: Gap, chunk: bytearray) -> bytes:
    """What ``gap``'s bytes are replaced by (same length): a letter for the one-byte
    gaps of ``_LETTER_MASKED``, spaces for the rest."""
    return b"x" * len(chunk) if gap.kind in _LETTER_MASKED else blank(chunk)


def _unconfirmed(tree: Tree, data: bytes, new: list[Gap]) -> list[Gap]:
    """The gaps of ``new`` that the parse of the masked bytes (``tree``) does not read as
    their construct: a mask found from bytes may sit in code that is wrong for a reason
    of its own, and must not hide that error."""
    checked = [g for g in new if g.kind in _CONFIRMS]
    if not checked:
        return []
    errors = _error_spans(tree)
    return [g for g in checked
            if any(s <= g.end and e >= g.start for s, e in errors) or not _CONFIRMS[g.kind](tree, data, g)]


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
# `using` as a name (a parameter `(using: string) =>`, `using = 1`): the grammar takes it for
# the start of a `using` declaration; one followed by a name is one, and is not matched
_USING_NAME = re.compile(rb"(?<![\w$.])using(?=[ \t]*(?:[:,)=?;\]]|\.[A-Za-z_$]))")
# `import('x').A.B[]` (type arguments between allowed): the `[]` the grammar rejects
_IMPORT_TYPE_ARRAY = re.compile(
    rb"\bimport\s*\(\s*(?:'[^'\r\n]*'|\"[^\"\r\n]*\")\s*\)(?:\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*)+"
    rb"(?:\s*(?P<args><[^;{}\r\n]*>))?\s*(\[\s*\](?:\s*\[\s*\])*)")
# The grammar's html_character_reference; any other `&` in JSX text is an error to it.
_CHAR_REFERENCE = re.compile(rb"&(?:#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,5})|[A-Za-z]{1,30});")
# What reads as one in text (`&frac12;` too): its `;` is no statement's end.
_ENTITY_LIKE = re.compile(rb"&#?[A-Za-z0-9]+;")
_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD = _LETTERS | frozenset(b"$_0123456789")  # the ASCII bytes of a name


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
            gt = _closing(data, lt, angles=True)
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
            # a call's arguments the grammar, reading `<` as less-than, took for a parenthesized
            # expression err where they end (`useState<import('./x').T | null>(\n  null,\n)`)
            stop = (_closing(data, nxt) or nxt) if kind == GAP_IMPORT_TYPE_ARGUMENT else nxt
            if erroneous(lt, stop + 1):
                out.append(Gap(kind, lt, gt + 1))
    if b"]" in data:
        for m in _IMPORT_TYPE_ARRAY.finditer(data):  # the type arguments' mask leaves the error before them
            if erroneous(m.start("args") if m.group("args") else m.start(2), m.end(2)):
                out.append(Gap(GAP_IMPORT_TYPE_ARRAY, m.start(2), m.end(2)))
    if b"using" in data:
        out += [Gap(GAP_USING_NAME, m.start(), m.start() + 1) for m in _USING_NAME.finditer(data)
                if erroneous(m.start(), m.end())]
    if path.endswith(".tsx") and b"&" in data:
        out += _jsx_ampersands(data, tree)
        out += _jsx_attribute_ampersands(data, tree)
    if b"abstract" in data or b"accessor" in data:
        out += _keyword_member_names(data, erroneous)
    out += _names_after_line_break(data, erroneous)
    return out


_JSX_NODES = ("jsx_element", "jsx_fragment", "jsx_text", "jsx_opening_element", "jsx_closing_element",
              "jsx_self_closing_element")


def _jsx_ampersands(data: bytes, tree: Tree) -> list[Gap]:
    """Each `&` in JSX text that is not a character reference (the grammar's `jsx_text`
    takes no `&` at all) where the grammar choked: inside an ERROR node that sits in JSX
    or holds JSX, and in text position (the nearest of ``<>{};`` before it, character
    references passed over, is a tag's `>` or a `}`, and after it a `<` or a `{`). The
    masked parse must then read the byte as JSX text (``_in_jsx_text``): `a > b && c`
    in code passes the byte test and is refused there."""
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
    """Is the `&` at ``i`` no character reference, and in text position?"""
    if _CHAR_REFERENCE.match(data, i):
        return False
    # the nearest tag or brace on each side; a `;` between may be text (`first; then a & b`,
    # `… & fork" will stop it first; "…`) or end a character reference: the masked parse decides
    j = i - 1
    while j >= max(0, floor - 4000) and data[j] not in b"<>{}":
        j -= 1
    k = i
    while k < min(len(data), i + 4000) and (k == i or data[k] not in b"<>{}"):
        ref = _ENTITY_LIKE.match(data, k) if data[k] == 0x26 else None
        k = ref.end() if ref else k + 1
    return (j >= 0 and data[j] in b">}" and data[j - 1:j] != b"="  # not `=>`
            and k < len(data) and data[k] in b"<{")  # text runs on to a tag or an expression


def _in_jsx_text(tree: Tree, data: bytes, gap: Gap) -> bool:
    """Is the masked byte in a JSX element's text?"""
    node = tree.root_node.descendant_for_byte_range(gap.start, gap.end)
    return (node is not None and node.type == "jsx_text" and node.parent is not None
            and node.parent.type in ("jsx_element", "jsx_fragment"))


# A quoted value after `=` (literal first: fast), a JSX attribute's string when a name
# stands before the `=` and the masked parse agrees (JSX strings have no escapes, and
# may span lines).
_ATTRIBUTE_STRING = re.compile(rb"=[ \t\r\n]*(\"[^\"]*\"|'[^']*')")
_ATTRIBUTE_NAME_END = _WORD | frozenset(b"-:")
_REFERENCE_START = _LETTERS | frozenset(b"#")


def _jsx_attribute_ampersands(data: bytes, tree: Tree) -> list[Gap]:
    """The `&`s the grammar rejects in a JSX attribute string (`href="/?a=1&b=2"`,
    `src='/b&w.png'`, `title="R&"`) in the strings that overlap a top-level statement
    that does not parse: after a stray `&` the grammar pairs the quotes otherwise, so its
    error may sit in a later string than the `&`, or in the next statement. Quotes are
    paired from the start of the file, as TypeScript does. The masked parse must read
    each as part of a JSX attribute's string (``_in_jsx_attribute``)."""
    broken = [(c.start_byte, c.end_byte) for c in tree.root_node.children
              if c.has_error or c.is_error or c.is_missing]
    out = []
    for m in _ATTRIBUTE_STRING.finditer(data):
        start, end = m.span(1)
        if (data.find(b"&", start, end) >= 0 and _after_a_name(data, m.start())
                and any(s < end and start < e for s, e in broken)):
            out += (Gap(GAP_JSX_ATTRIBUTE_AMPERSAND, i, i + 1) for i in _stray_ampersands(data, start + 1, end - 1))
    return out


def _after_a_name(data: bytes, i: int) -> bool:
    """Does a name (an attribute's) end right before offset ``i``, blanks aside?"""
    i -= 1
    while i >= 0 and data[i] in b" \t\r\n":
        i -= 1
    return i >= 0 and data[i] in _ATTRIBUTE_NAME_END


def _stray_ampersands(data: bytes, start: int, end: int) -> list[int]:
    """Where in the JSX string content [start, end) the grammar's tokens stop: its
    string fragment takes `&` only with a next byte that is not `#` or a letter (so
    never the `&` right before the closing quote), and a character reference whole."""
    out = []
    i = data.find(b"&", start, end)
    while i >= 0:
        ref = _CHAR_REFERENCE.match(data, i, end)
        if ref is not None:
            i = ref.end()
        elif i + 1 == end or data[i + 1] in _REFERENCE_START:
            out.append(i)
            i += 1
        else:
            i += 2  # `&` and the byte after it: one piece of a fragment
        i = data.find(b"&", i, end)
    return out


def _in_jsx_attribute(tree: Tree, data: bytes, gap: Gap) -> bool:
    """Is the masked byte in the string of a JSX attribute, a string without error?"""
    node = tree.root_node.descendant_for_byte_range(gap.start, gap.end)
    while node is not None and node.type == "string_fragment":
        node = node.parent
    return (node is not None and node.type == "string" and not node.has_error
            and node.parent is not None and node.parent.type == "jsx_attribute")


# `abstract` / `accessor` as a member's name: the grammar takes the modifier keyword
# (an abstract construct signature, an accessor field) and fails at the `:`, `?`, `(`...
_KEYWORD_MEMBER = re.compile(rb"a(?:bstract|ccessor)[ \t]*[?!:(<;,=}]")  # literal first: fast
_MEMBERS = ("property_signature", "method_signature", "public_field_definition", "method_definition",
            "abstract_method_signature")


def _keyword_member_names(data: bytes, erroneous) -> list[Gap]:
    """`interface A { abstract: string }`, `class C { accessor = 1 }`: the first byte
    of such a name where an error touches it or the byte after it (the masked parse
    must read a member's name there, ``_is_member_name``)."""
    return [Gap(GAP_KEYWORD_MEMBER_NAME, m.start(), m.start() + 1) for m in _KEYWORD_MEMBER.finditer(data)
            if (m.start() == 0 or data[m.start() - 1] not in _NOT_BEFORE_A_NAME) and erroneous(m.start(), m.end())]


_NOT_BEFORE_A_NAME = _WORD | frozenset(b".#@")  # part of a longer name, a property access, a private name


def _is_member_name(tree: Tree, data: bytes, gap: Gap) -> bool:
    """Is the masked word the name of a member whose parse has no error? `in` and
    `instanceof` only among type members: in a class, TypeScript reads `x = 1` then
    `in = 2` on the next line as one expression (`1 in ...`), an error."""
    end = _word_end(data, gap.start)
    node = tree.root_node.descendant_for_byte_range(gap.start, end)
    if node is None or node.type != "property_identifier" or (node.start_byte, node.end_byte) != (gap.start, end):
        return False
    member = node.parent
    if member is None or member.type not in _MEMBERS or member.has_error:
        return False
    name = member.child_by_field_name("name")
    if name is None or name.start_byte != gap.start:
        return False
    return data[gap.start:end] not in (b"in", b"instanceof") or (
        member.parent is not None and member.parent.type in ("object_type", "interface_body"))


def _word_end(data: bytes, i: int) -> int:
    """Where the name starting at ``i`` ends (non-ASCII bytes count as its letters)."""
    while i < len(data) and (data[i] in _WORD or data[i] >= 0x80):
        i += 1
    return i


# After a line break (and comments), the grammar's scanner inserts no automatic `;`
# before `in` / `instanceof` followed by anything but a letter, to let `a\nin b` go on:
# so a name starting that way (`in_progress`, `in1`, `instanceof_x`) and a member named
# `in` (`in: 'header'`, `in?:`, `in(`) are read as the previous line's continuation.
# Literal first (the regex engine skips ahead to an `in` fast); ``_starts_line`` checks
# the line break before it.
_IN_WORD = re.compile(rb"in(?:stanceof)?(?:[0-9_$][A-Za-z0-9_$]*(?![\x80-\xff])|(?=[ \t]*[?:(<]))")
# A word that TypeScript joins to the name on the next line (`let`, a class member's
# `static` / `get` / `set`); the masked parse would end the statement there instead.
_JOINS_NEXT_LINE = frozenset({b"let", b"static", b"get", b"set"})


def _names_after_line_break(data: bytes, erroneous) -> list[Gap]:
    """The first byte of each such `in...` word where an error touches the span from the
    start of the last line of code before it to the word's end: the error is often put
    at the end of that line (a MISSING `}`) rather than at the word."""
    out = []
    for m in _IN_WORD.finditer(data):
        start, end = m.span()
        newline = _starts_line(data, start)
        if newline is None:
            continue
        line_start, code_end = _last_code_line(data, newline)
        if erroneous(line_start, end) and _last_word(data[line_start:code_end]) not in _JOINS_NEXT_LINE:
            kind = GAP_KEYWORD_MEMBER_NAME if data[start:end] in (b"in", b"instanceof") else GAP_NAME_AFTER_LINE_BREAK
            out.append(Gap(kind, start, start + 1))
    return out


def _starts_line(data: bytes, i: int) -> int | None:
    """The offset of the line break before ``i`` when only blanks and ``/* */`` comments
    stand between them (what the grammar's scanner skips), else None."""
    j = i - 1
    while j >= 0:
        c = data[j]
        if c == 0x0A:
            return j
        if c in b" \t\r\f\v":
            j -= 1
        elif c == 0x2F and data[j - 1:j] == b"*":  # the end of a `/* */` comment
            opened = data.rfind(b"/*", 0, j - 1)
            if opened < 0:
                return None
            j = opened - 1
        else:
            return None
    return None


def _last_code_line(data: bytes, newline: int) -> tuple[int, int]:
    """(start, end) of the last line before offset ``newline`` with something on it other
    than blanks and a `//` comment (a line comment at its end stays in)."""
    end = newline
    while True:
        while end > 0 and data[end - 1] in b" \t\r\n\f\v":
            end -= 1
        start = data.rfind(b"\n", 0, end) + 1
        if end == 0 or not data[start:end].lstrip().startswith(b"//"):
            return start, end
        end = start


def _last_word(line: bytes) -> bytes:
    """The last word of a line of code, before a trailing `//` comment."""
    cut = line.find(b"//")
    words = re.findall(rb"[A-Za-z_$][A-Za-z0-9_$]*", line if cut < 0 else line[:cut])
    return words[-1] if words else b""


def _is_name(tree: Tree, data: bytes, gap: Gap) -> bool:
    """Is the masked word one name of the masked parse (an identifier, a property's name)?"""
    end = _word_end(data, gap.start)
    node = tree.root_node.descendant_for_byte_range(gap.start, end)
    return (node is not None and (node.start_byte, node.end_byte) == (gap.start, end) and node.is_named
            and node.child_count == 0 and node.type.endswith("identifier")
            and node.parent is not None and not node.parent.is_error)


def _in_a_type(tree: Tree, data: bytes, gap: Gap) -> bool:
    """Does the masked parse read what precedes the `[]` as part of a type (not a value,
    where `x[]` is an error of the file's own)?"""
    node = None
    for at in range(gap.start - 1, max(-1, gap.start - _SCAN_LIMIT), -1):  # the last leaf before it (type
        node = tree.root_node.descendant_for_byte_range(at, at)  # arguments between are masked blank)
        if node is not None and node.child_count == 0 and node.start_byte <= at < node.end_byte:
            break
    while node is not None and not node.type.endswith(("statement", "declarator", "program")):
        if "type" in node.type:
            return True
        node = node.parent
    return node is not None and node.type == "type_alias_declaration"


_CONFIRMS = {
    GAP_IMPORT_TYPE_ARRAY: _in_a_type,
    GAP_USING_NAME: _is_name,
    GAP_JSX_AMPERSAND: _in_jsx_text,
    GAP_JSX_ATTRIBUTE_AMPERSAND: _in_jsx_attribute,
    GAP_KEYWORD_MEMBER_NAME: _is_member_name,
    GAP_NAME_AFTER_LINE_BREAK: _is_name,
}


_OPEN, _CLOSE = b"([{", b")]}"


_SCAN_LIMIT = 4000


def _closing(data: bytes, at: int, limit: int = _SCAN_LIMIT, *, angles: bool = False) -> int | None:
    """The offset of the bracket closing the one at ``at`` (brackets, strings and comments
    skipped), or None when there is none within ``limit`` bytes. With ``angles``, `<` and
    `>` (not `=>`) pair too, as in the type argument list a `<` at ``at`` opens, and a `;`
    right inside angle brackets means there is none (no type argument list)."""
    stack, i = [], at  # closers expected, innermost last
    end = min(len(data), at + limit)
    while i < end:
        c = data[i]
        skipped = _skip_literal(data, i, end)
        if skipped is not None:  # a comment, string or template literal: nothing in it counts
            i = skipped + 1 if c in _QUOTES else skipped
            continue
        if angles and c == 0x3C:  # <
            stack.append(0x3E)
        elif c in _CLOSE or angles and c == 0x3E and data[i - 1] != 0x3D:  # a closer, or > but not =>
            if not stack or stack.pop() != c:
                return None
            if not stack:
                return i
        elif c in _OPEN:
            stack.append(_CLOSE[_OPEN.index(c)])
        elif angles and c == 0x3B and stack and stack[-1] == 0x3E:
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
