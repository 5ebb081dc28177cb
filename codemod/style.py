"""A file's own style (quotes, semicolons, line endings, indent, import extensions) and
helpers for edits that remove whole statements without leaving blank-line debris.

Rewriters use these so new text looks like the text around it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .facts import IMPORT, REEXPORT
from .lines import end_of_line, start_of_line
from .project import SourceFile

EXTENSION_RE = re.compile(r"\.(?:m|c)?(js|ts)x?$")


def extension_of(specifier: str) -> str:
    """The extension style a specifier is written in: "", ".js" or ".ts"."""
    m = EXTENSION_RE.search(specifier)
    return "." + m.group(1) if m else ""


@dataclass(frozen=True)
class Style:
    quote: str = "'"
    semicolon: bool = True
    newline: str = "\n"
    indent: str = "  "
    extension: str = ""  # "", ".js" or ".ts": how relative imports name files

    def string(self, value: str) -> str:
        return f"{self.quote}{value}{self.quote}"

    @property
    def end(self) -> str:
        return ";" if self.semicolon else ""


def detect(file: SourceFile, *, fallback: Style | None = None) -> Style:
    """The style of ``file``'s import/export statements (majority vote), else ``fallback``."""
    fallback = fallback or Style()
    data = file.data
    quotes: Counter[str] = Counter()
    semis: Counter[bool] = Counter()
    exts: Counter[str] = Counter()
    for site in file.facts.imports:
        if site.kind not in (IMPORT, REEXPORT):
            continue
        quotes[chr(data[site.spec_start])] += 1
        semis[data[site.start:site.end].rstrip().endswith(b";")] += 1
        if site.specifier.startswith("."):
            exts[extension_of(site.specifier)] += 1
    if not semis:
        for stmt in file.tree.root_node.named_children:
            if stmt.type in ("lexical_declaration", "export_statement", "expression_statement"):
                semis[data[stmt.start_byte:stmt.end_byte].rstrip().endswith(b";")] += 1
    indent = fallback.indent
    m = re.search(rb"\n(\t|  +)\S", data)  # the first indented line sets the unit
    if m:
        indent = m.group(1).decode() if m.group(1) == b"\t" or len(m.group(1)) in (2, 4) else indent
    return Style(
        quote=quotes.most_common(1)[0][0] if quotes else fallback.quote,
        semicolon=semis.most_common(1)[0][0] if semis else fallback.semicolon,
        newline=file.newline.decode(),
        indent=indent,
        extension=exts.most_common(1)[0][0] if exts else fallback.extension,
    )


def removal_span(file: SourceFile, start: int, end: int, *, with_comments: bool = False) -> tuple[int, int]:
    """The bytes to delete to remove the statement at [start, end).

    When the statement stands alone on its lines, the whole lines go, and so does
    one blank line next to it when that would otherwise leave two blank lines in a
    row (or a blank line at the top or bottom of the file). With
    ``with_comments``, a comment block directly above it (no blank line between)
    goes too. Otherwise only the statement and the spaces after it go.
    """
    data = file.data
    line_start = start_of_line(data, start)
    line_end = end_of_line(data, end)
    before, after = data[line_start:start], data[end:line_end]
    if before.strip() or (after.strip() and not after.strip().startswith((b"//", b"/*"))):
        # Shares its line with other code: remove just the statement and spaces after it.
        stop = end
        while stop < len(data) and data[stop:stop + 1] in (b" ", b"\t"):
            stop += 1
        return start, stop
    if with_comments:
        line_start = _comment_block_start(data, line_start)
    # Blank-line debris: if the lines on both sides are blank (or file edge), eat one.
    prev_blank = line_start == 0 or blank_line_before(data, line_start)
    next_blank = line_end >= len(data) or _is_blank_line_at(data, line_end)
    if prev_blank and next_blank and line_end < len(data):
        line_end = end_of_line(data, line_end)
    elif prev_blank and next_blank and line_start > 0:
        line_start = start_of_line(data, line_start - 1)
    return line_start, line_end


def _is_blank_line_at(data: bytes, pos: int) -> bool:
    return not data[pos:end_of_line(data, pos)].strip()


def blank_line_before(data: bytes, line_start: int) -> bool:
    """Is the line above the one starting at ``line_start`` blank?"""
    prev_start = start_of_line(data, line_start - 1)
    return not data[prev_start:line_start].strip()


def _comment_block_start(data: bytes, line_start: int) -> int:
    """Walk up over comment lines that sit directly above ``line_start``."""
    pos = line_start
    in_block = False
    while pos > 0:
        prev = start_of_line(data, pos - 1)
        line = data[prev:pos].strip()
        if in_block:
            pos = prev
            if line.startswith(b"/*"):
                in_block = False
            continue
        if line.startswith(b"//") or (line.startswith(b"/*") and line.endswith(b"*/")):
            pos = prev
        elif line.endswith(b"*/"):
            in_block = True
            pos = prev
            if line.startswith(b"/*"):
                in_block = False
        else:
            break
    return pos
