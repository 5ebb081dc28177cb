"""The one import editor: how every rewriter writes, extends and re-renders import
statements (LibCST's ``AddImportsVisitor`` idea). No rule owns it.

- ``specifier_for`` spells a new specifier in the importing file's own style: the
  ``extension`` option when the user forces one, else the style of the specifier it
  replaces, else how the file's (or the project's) working relative imports name files;
- ``render`` writes a statement in the layout of the one it replaces (quotes,
  semicolon, braces padding, one name per line, trailing comma);
- ``append_names`` adds names to an existing statement's braces;
- ``add_imports`` gives a file the imports it lacks: names are merged into an import
  of the same module when there is one, else new statements follow the last import.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from codemod.facts import IMPORT, ImportEntry, ImportSite
from codemod.model import Edit
from codemod.project import SourceFile
from codemod.rules import Context, Option
from codemod.style import EXTENSION_RE, detect, extension_of

IMPORT_EXTENSION = Option(
    "extension", "auto", "Extension style of new import specifiers (default: as the file or project does).",
    choices=("auto", "none", ".js", ".ts"))


def forced_extension(ctx: Context) -> str | None:
    """The extension style the user forces ("", ".js" or ".ts"), or None: detect it."""
    value = ctx.option(IMPORT_EXTENSION.key)
    return None if value == "auto" else "" if value == "none" else value


def specifier_for(ctx: Context, file: SourceFile, target: str, *, like: str | None = None,
                  alias: str | None = None) -> str:
    """How ``file`` should name project file ``target`` (``like``: the specifier the new one
    replaces, whose extension style wins over the file's; ``alias``: the tsconfig paths
    pattern to write it through)."""
    extension = forced_extension(ctx)
    if extension is None:
        extension = extension_of(like) if like and EXTENSION_RE.search(like) else _extension_style(ctx, file)
    if target == file.path:
        raise ValueError(f"an import of {file.path} in itself")  # callers never ask: a self-import is a bug
    spec = ctx.project.resolver.specifier_for(file.path, target, extension=extension, alias=alias)
    return _no_dot_folder(ctx, file, target, spec, extension)


_DOT_FOLDER = re.compile(r"^(?:\./)*\.{1,2}/?$|/\.{1,2}/?$")


def _no_dot_folder(ctx: Context, file: SourceFile, target: str, spec: str, extension: str) -> str:
    """``./.``, ``.``, ``./``, ``./..`` name a folder by its dots: write its index file
    instead (``./index``, ``../index``)."""
    if not _DOT_FOLDER.search(spec):
        return spec
    folder = posixpath.normpath(spec)  # "." or "..", "../..", "@/x/.." ...
    stem = posixpath.basename(target)
    for suffix in (".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts"):
        if stem.endswith(suffix):
            ext = ("" if not extension else suffix if extension == ".ts" else
                   ".mjs" if suffix.endswith(".mts") else ".cjs" if suffix.endswith(".cts") else ".js")
            stem = stem[: -len(suffix)] + ext
            break
    explicit = ("./" if folder == "." else folder + "/") + stem
    return explicit if ctx.project.resolver.resolve(file.path, explicit).path == target else spec


def _extension_style(ctx: Context, file: SourceFile) -> str:
    """How this file's working relative imports name files ("", ".js" or ".ts"); when
    it has none, how the project's do. Ties go to no extension. Once per file and
    snapshot: every specifier a fix writes asks it (3,369 times for 449 files, each a
    resolution of every relative import of the file, in a cold run at 4,993 files)."""
    if ctx.project.files.get(file.path) is file:
        return ctx.project.memo(("import-extension-style", file.path), lambda: _style_of(ctx, file))
    return _style_of(ctx, file)


def _style_of(ctx: Context, file: SourceFile) -> str:
    counts = _extension_counts(ctx, file)
    if not any(counts.values()):
        counts = project_extension_counts(ctx)
    return max(sorted(counts), key=lambda k: (counts[k], k == ""))


def project_extension_counts(ctx: Context) -> dict[str, int]:
    """How many of the project's working relative imports name files in each style ("",
    ".js", ".ts")."""
    return ctx.memo("import-editor-project-extension-style", lambda: _project_extension_counts(ctx))


def _extension_counts(ctx: Context, file: SourceFile) -> dict[str, int]:
    counts = {"": 0, ".js": 0, ".ts": 0}
    for site in file.facts.imports:
        if site.specifier.startswith(".") and ctx.project.resolver.resolve(file.path, site.specifier).ok:
            counts[extension_of(site.specifier)] += 1
    return counts


def _project_extension_counts(ctx: Context) -> dict[str, int]:
    total = {"": 0, ".js": 0, ".ts": 0}
    for other in ctx.project.files.values():
        for key, n in _extension_counts(ctx, other).items():
            total[key] += n
    return total


# --- one statement -----------------------------------------------------------------------


@dataclass
class ImportLayout:
    """How an import statement is written, so a rewritten one looks the same."""

    multiline: bool = False
    indent: str = "  "
    trailing_comma: bool = False
    padded: bool = True  # `{ a }` rather than `{a}`
    quote: str = "'"
    semicolon: bool = True


def layout_of(file: SourceFile, site: ImportSite) -> ImportLayout:
    data = file.data
    stmt_text = data[site.start:site.end]
    layout = ImportLayout(quote=chr(data[site.spec_start]), semicolon=stmt_text.rstrip().endswith(b";"))
    clause = site.braces
    if clause is not None:
        text = data[clause[0]:clause[1]]
        layout.multiline = b"\n" in text
        layout.trailing_comma = text[:-1].rstrip().endswith(b",")
        layout.padded = text.startswith(b"{ ") or layout.multiline or text == b"{}"
        if layout.multiline:
            m = re.search(rb"\n([ \t]+)\S", text)
            layout.indent = m.group(1).decode() if m else "  "
    return layout


def entry_text(file: SourceFile, site: ImportSite, entry: ImportEntry) -> str:
    """The entry as written (``a``, ``a as b``), with ``type`` when it is type-only in
    a statement that is not."""
    text = file.data[entry.start:entry.end].decode("utf-8")
    if entry.type_only and not site.type_only and not text.startswith("type "):
        text = "type " + text
    return text


def render(site: ImportSite, head: list[str], named: list[str], spec: str, layout: ImportLayout,
           type_only: bool, nl: str) -> str:
    """An ``import``/``export … from`` statement of ``site``'s kind: ``head`` (default or
    namespace bindings) then ``{ named }``, in ``layout``."""
    keyword = "import" if site.kind == IMPORT else "export"
    parts = list(head)
    if named:
        if layout.multiline:
            body = "".join(f"{layout.indent}{n},{nl}" for n in named[:-1])
            body += f"{layout.indent}{named[-1]}{',' if layout.trailing_comma else ''}{nl}"
            parts.append("{" + nl + body + "}")
        elif layout.padded:
            parts.append("{ " + ", ".join(named) + " }")
        else:
            parts.append("{" + ", ".join(named) + "}")
    type_kw = " type" if type_only else ""
    semi = ";" if layout.semicolon else ""
    return f"{keyword}{type_kw} {', '.join(parts)} from {layout.quote}{spec}{layout.quote}{semi}"


def existing_import(ctx: Context, file: SourceFile, kind: str, target: str, type_only: bool,
                    skip: set[int] = frozenset(), *, package: bool = False) -> ImportSite | None:
    """A statement of ``kind`` with braces that already imports from ``target`` (a project
    path, or with ``package`` a package name, matched as written), skipping the
    statements starting at ``skip``; a type-only statement only for type-only names."""
    for site in file.facts.imports:
        if site.kind != kind or site.start in skip:
            continue
        if package:
            if site.specifier != target:
                continue
        elif ctx.project.resolver.resolve(file.path, site.specifier).path != target:
            continue
        if site.braces is None:
            continue
        if site.type_only and not type_only:
            continue
        return site
    return None


def append_names(file: SourceFile, site: ImportSite, names: list[str]) -> Edit:
    """Insert ``names`` after the last name in the braces of an existing statement."""
    start, end = site.braces
    specs = [e.end for e in site.entries if start < e.start < end]  # the names between the braces
    layout = layout_of(file, site)
    nl = file.newline.decode()
    if not specs:  # `import {} from` — fill the braces
        inner = " " + ", ".join(names) + " "
        return Edit(file.path, start + 1, end - 1, inner.encode())
    at = max(specs)
    if layout.multiline:
        line_end = file.data.find(b"\n", at, end)
        rest = file.data[at:line_end].removesuffix(b"\r") if line_end >= 0 else b""
        tail = _COMMENTED_TAIL.match(rest)
        if tail is not None:  # `a, // why` or `a // why`: the comment stays with its name
            lines = "".join(f"{nl}{layout.indent}{n}," for n in names)
            if tail.group(1) is None:  # no trailing comma: none after the last new name either
                return Edit(file.path, at, at + len(rest), (b"," + rest + lines[:-1].encode()))
            return Edit.insert(file.path, at + len(rest), lines.encode())
        text = "".join(f",{nl}{layout.indent}{n}" for n in names)
    else:
        text = "".join(f", {n}" for n in names)
    return Edit.insert(file.path, at, text.encode())


# what follows a list's last name on its line when a comment does: an optional comma, the comment
_COMMENTED_TAIL = re.compile(rb"[ \t]*(,)?[ \t]*(?://[^\n]*|/\*.*?\*/[ \t]*)$")


# --- imports a file lacks ------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """A name ``file`` must import: ``imported`` from ``module`` (a project path, or a
    package name when ``package``), bound as ``local``."""

    module: str
    imported: str
    local: str
    type_only: bool = False
    package: bool = False

    @property
    def text(self) -> str:
        name = self.imported if self.imported == self.local else f"{self.imported} as {self.local}"
        return ("type " if self.type_only else "") + name


def add_imports(ctx: Context, file: SourceFile, wanted: list[Wanted]) -> list[Edit]:
    """Edits that import every ``wanted`` name into ``file``: into a value import with
    braces of the same module when the file has one, else as new statements after the
    file's last import (before its first declaration), in the file's style."""
    style = detect(file)
    nl = style.newline
    data = file.data
    by_module: dict[tuple[bool, str], list[Wanted]] = {}
    for w in wanted:
        if not w.package and w.module == file.path:
            continue  # the file's own name: bound already, never imported from itself
        by_module.setdefault((w.package, w.module), []).append(w)
    edits: list[Edit] = []
    lines = []
    for (package, module), names in by_module.items():
        texts = [w.text for w in names]
        site = existing_import(ctx, file, IMPORT, module, False, package=package)  # a value import
        if site is not None:
            edits.append(append_names(file, site, texts))
            continue
        spec = module if package else specifier_for(ctx, file, module)
        lines.append(f"import {{ {', '.join(texts)} }} from {style.string(spec)}{style.end}")
    if lines:
        first_decl = file.facts.declarations[0].start if file.facts.declarations else len(data)
        sites = [s for s in file.facts.imports if s.kind == IMPORT and s.start < first_decl]
        text = "".join(line + nl for line in lines)
        at = 0
        if sites:
            at = file.line_span(sites[-1].start, sites[-1].end)[1]
            if at == len(data) and data and not data.endswith(b"\n"):
                text = nl + text[: -len(nl)]
        edits.append(Edit.insert(file.path, at, text.encode()))
    return edits
