"""Imports a fix leaves unused: when a fix moves or deletes code of a file (SF005's
cross-module merge, SF007's move of a relation), the import bindings only that code
used would stay behind, and a project with ``"noUnusedLocals": true`` fails on them
(TS6133, TS6192), as lint does. ``left_unused`` gives the edits that remove them.

Only a binding the file used before the fix and uses nowhere after it goes: every
identifier of the file outside its import statements counts as a use (values, types,
JSX, ``typeof x``, ``export { x }``, ``export default x``; a shadowing local name too,
which keeps the import: a kept unused import is harmless, a removed used one is not).
Side-effect imports, ``import x = require()``, statements the fix edits itself and
braces holding comments are left as they are. A file that would be left with no import
or export at all gets ``export {};`` where its last import was, so it stays a module
(a barrel's ``export *`` of it would otherwise fail with TS2306).
"""

from __future__ import annotations

import re
from typing import Iterable

from codemod.apply import splice
from codemod.facts import IMPORT, ImportEntry, ImportSite
from codemod.lines import end_of_line
from codemod.model import Edit
from codemod.parsing import blank, parse, walk
from codemod.project import SourceFile
from codemod.style import blank_line_before, removal_span

from ._import_editor import entry_text, layout_of, render

_USES = frozenset({"identifier", "type_identifier", "shorthand_property_identifier",
                   "shorthand_property_identifier_pattern"})
_MODULE_STATEMENTS = frozenset({"import_statement", "export_statement"})


def left_unused(file: SourceFile, edits: Iterable[Edit]) -> list[Edit]:
    """Edits removing the import bindings of ``file`` that ``edits`` (one fix's edits, of
    any files) leave unused, never overlapping them; [] when there are none."""
    mine = [e for e in edits if e.path == file.path]
    if not mine or file.has_error:
        return []
    candidates = [(site, e) for site in file.facts.imports if _removable(site, mine)
                  for e in site.entries if e.imported != "=" and _local(e)]
    if not candidates:
        return []
    # Words, not a tree: a name written anywhere outside the import statements (a comment,
    # a string, a property) counts as a use, which only ever keeps an import. The trees
    # were walked before: 1.2 s of a 19,813-file run, most of it for fixes that leave
    # every import used.
    bare = _without_imports(file)
    names = {_local(e) for _site, e in candidates}
    written_before = _written(bytes(bare), names)
    candidates = [(site, e) for site, e in candidates if _local(e) in written_before]
    if not candidates:
        return []
    written_after = _written(splice(bytes(bare), mine), names)
    gone: dict[int, set[ImportEntry]] = {}
    for site, e in candidates:
        if _local(e) not in written_after:
            gone.setdefault(site.start, set()).add(e)
    if not gone:
        return []
    after = parse(file.path, splice(file.data, mine))
    if after.root_node.has_error:
        return []  # cannot tell what the fixed file uses: keep everything
    used_before, used_after = _used_names(file.passing_tree().root_node), _used_names(after.root_node)
    gone = {start: {e for e in entries if _local(e) in used_before and _local(e) not in used_after}
            for start, entries in gone.items()}  # the tree has the last word on what the words let go
    gone = {start: entries for start, entries in gone.items() if entries}
    if not gone:
        return []
    out: list[Edit] = []
    emptied: list[ImportSite] = []
    for site in file.facts.imports:
        if site.start not in gone:
            continue
        kept = [e for e in site.entries if e not in gone[site.start]]
        if not kept:
            emptied.append(site)
            continue
        edit = _rewritten(file, site, kept)
        if edit is not None and not _overlaps(edit, mine):
            out.append(edit)
    if emptied and not _still_a_module(after.root_node, file, emptied):
        last = emptied.pop()
        semicolon = ";" if layout_of(file, last).semicolon else ""
        out.append(Edit(file.path, last.start, last.end, f"export {{}}{semicolon}".encode()))
    taken = mine + out
    for start, end in _deletions(file, emptied):
        edit = Edit.delete(file.path, start, end)
        if not _overlaps(edit, taken):
            out.append(edit)
            taken.append(edit)
    return out


def _without_imports(file: SourceFile) -> bytearray:
    """The file's bytes with its import statements blanked (newlines kept: offsets hold)."""
    bare = bytearray(file.data)
    for site in file.facts.imports:
        if site.kind == IMPORT:
            bare[site.start:site.end] = blank(bare[site.start:site.end])
    return bare


_WORD = re.compile(rb"[\w$]+")


def _written(text: bytes, names: set[str]) -> set[str]:
    """Those of ``names`` written as a whole word in ``text``."""
    words = set(_WORD.findall(text))
    return {name for name in names if name.encode() in words}


def _local(entry: ImportEntry) -> str | None:
    return entry.local or (entry.imported if entry.imported not in ("*", "default", "=") else None)


def _removable(site: ImportSite, edits: list[Edit]) -> bool:
    """An import statement with bindings that none of ``edits`` touches."""
    if site.kind != IMPORT or not site.entries:
        return False
    return not any(e.start <= site.end and site.start <= e.end for e in edits)


def _used_names(root) -> set[str]:
    """Every name the tree reads outside its top-level import statements."""
    names: set[str] = set()
    for child in root.children:
        if child.type == "import_statement":
            continue
        for n in walk(child):
            if n.type in _USES:
                names.add(n.text.decode())
    return names


def _rewritten(file: SourceFile, site: ImportSite, kept: list[ImportEntry]) -> Edit | None:
    """``site`` written with only the ``kept`` entries, in its own layout."""
    named = [e for e in kept if e in site.named]
    if site.braces_comment and len(named) != len(site.named):
        return None  # re-rendering the braces would lose their comments
    head = [e.local for e in kept if site.is_default_binding(e)]
    head += [f"* as {e.local}" for e in kept if e.imported == "*" and e.local]
    if not head and not named:
        return None
    text = render(site, head, [entry_text(file, site, e) for e in named], site.specifier, layout_of(file, site),
                  site.type_only, file.newline.decode())
    return Edit(file.path, site.start, site.end, text.encode())


def _deletions(file: SourceFile, sites: list[ImportSite]) -> list[tuple[int, int]]:
    """The spans deleting ``sites``: each with its line when it stands alone; statements
    on neighbouring lines go as one span, which also takes the blank line after them when
    they stood at the top of the file or after a blank line (no blank-line debris)."""
    data = file.data
    spans: list[list[int]] = []
    for site in sorted(sites, key=lambda s: s.start):
        s, e = removal_span(file, site.start, site.end)
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    for span in spans:
        s, e = span
        whole = (s == 0 or data[s - 1:s] == b"\n") and (e == len(data) or data[e - 1:e] == b"\n")
        if whole and (s == 0 or blank_line_before(data, s)) and e < len(data) \
                and not data[e:end_of_line(data, e)].strip():
            span[1] = end_of_line(data, e)
    return [(s, e) for s, e in spans]


def _overlaps(edit: Edit, edits: list[Edit]) -> bool:
    return any(e.start < edit.end and edit.start < e.end or edit.start < e.start < edit.end for e in edits)


def _still_a_module(after_root, file: SourceFile, emptied: list[ImportSite]) -> bool:
    """Does the fixed file keep an import or export statement once ``emptied`` go? The
    import statements of ``after_root`` are matched to the file's by their text."""
    going = [file.data[s.start:s.end] for s in emptied]
    for child in after_root.children:
        if child.type not in _MODULE_STATEMENTS:
            continue
        if child.type == "import_statement" and child.text in going:
            going.remove(child.text)
            continue
        return True
    return False
