"""``schemafix rename``: rename misnamed files (SF010's outliers, or every file to one
style) and rewrite, in the same change, every specifier and tsconfig entry naming them.

A specifier keeps its own form: only its last segment changes (``'./userPromotions.js'``
-> ``'./user-promotions.js'``, ``'@db/billing/userPromotions'`` ->
``'@db/billing/user-promotions'``), so its extension and alias style stay. A specifier
whose last segment is not the file's name (a package ``exports`` map, say) cannot be
rewritten that way: the rename is refused.

The plan is computed in memory; the dry run prints it as a git diff with ``rename
from``/``rename to`` headers; ``apply`` renames with ``git mv`` in a git work tree (the
history follows) or on disk otherwise, then writes the edited files atomically.
Refused, naming the files: two files that would get one name, a name taken already
(also up to case on a case-insensitive filesystem), a case-only rename on such a
filesystem, and (unless forced) uncommitted changes to any file involved.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import discovery
from .diff import unified
from .naming import STYLES, renamed, settled_outliers
from .project import Project
from .writes import write_atomic

SOURCE_EXTS = (".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts")
_DRIZZLE_CONFIG = re.compile(r"^drizzle(\.[\w-]+)?\.config(\.[\w-]+)?\.[mc]?[jt]s$")
_RELATIVE_STRING = re.compile(rb"(['\"`])(\.{1,2}/[^'\"`\n$]*)\1")
# `import(`@db/x`)`: a template literal with no substitution is an import the facts do not list.
_TEMPLATE_IMPORT = re.compile(rb"(?<![\w$.])import\s*\(\s*(`)([^`\n$]+)`")
_SPEC_EXTS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")


@dataclass
class Plan:
    renames: dict[str, str] = field(default_factory=dict)  # old -> new, root-relative
    contents: dict[str, bytes] = field(default_factory=dict)  # path (old name) -> new bytes
    originals: dict[str, bytes] = field(default_factory=dict)  # path (old name) -> bytes read
    refusals: list[str] = field(default_factory=list)

    def involved(self) -> set[str]:
        return set(self.renames) | set(self.renames.values()) | set(self.contents)


def plan(project: Project, targets: frozenset[str] | None, style: str | None, *,
         case_insensitive: bool | None = None, extra: dict[str, bytes] | None = None) -> Plan:
    """What renaming would change. ``targets``: the files that may be renamed (None: all);
    ``style``: rename every one of them to it (None: only SF010's outliers). ``extra``:
    non-source files that may name the renamed files (``tsconfig.json``), by path."""
    if style is not None and style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    paths = [p for p in project.files if not p.endswith((".d.ts", ".d.mts", ".d.cts"))]
    if style is None:
        wanted = {o.path: o.new_path for o in settled_outliers(paths)}
    else:
        wanted = {p: renamed(p, style) for p in paths}
    wanted = {old: new for old, new in sorted(wanted.items())
              if new != old and (targets is None or old in targets)}
    out = Plan()
    if case_insensitive is None:
        case_insensitive = filesystem_ignores_case(project.root)
    _check_names(project, wanted, case_insensitive, out)
    if out.refusals:
        return out
    out.renames = wanted
    _rewrite_specifiers(project, wanted, out)
    if not out.refusals:
        _verify(project, out)
    for path, original in sorted((extra or {}).items()):
        data = out.contents.get(path, original)
        new = _rewrite_path_strings(path, data, wanted)
        if new != data:
            out.originals.setdefault(path, original)
            out.contents[path] = new
    return out


def _fold(path: str, case_insensitive: bool) -> str:
    return path.lower() if case_insensitive else path


def _module(path: str) -> str:
    for ext in SOURCE_EXTS:
        if path.endswith(ext):
            return path[:-len(ext)]
    return path


def _check_names(project: Project, wanted: dict[str, str], case_insensitive: bool, out: Plan) -> None:
    by_new: dict[str, list[str]] = {}
    for old, new in wanted.items():
        by_new.setdefault(_fold(new, case_insensitive), []).append(old)
        by_new_module = _fold(_module(new), case_insensitive)
        by_new.setdefault("module:" + by_new_module, []).append(old)
    for key, olds in sorted(by_new.items()):
        if len(olds) > 1:
            out.refusals.append(f"{' and '.join(olds)} would both be named {wanted[olds[0]]}"
                                if not key.startswith("module:") else
                                f"{' and '.join(olds)} would both be imported as {_module(wanted[olds[0]])}")
    staying = {p for p in (*project.files, *project.opaque) if p not in wanted}
    existing = {_fold(p, case_insensitive): p for p in staying}
    modules = {_fold(_module(p), case_insensitive): p for p in staying}
    for old, new in wanted.items():
        if case_insensitive and old.lower() == new.lower():
            out.refusals.append(f"{old} -> {new} differs only by case, on a case-insensitive filesystem")
            continue
        clash = existing.get(_fold(new, case_insensitive)) or modules.get(_fold(_module(new), case_insensitive))
        if clash is None and os.path.lexists(project.root / new):
            clash = new
        if clash is not None:
            how = " (up to case, on a case-insensitive filesystem)" if clash != new and clash.lower() == new.lower() \
                else ""
            out.refusals.append(f"{old} would be renamed to {new}, but {clash} exists{how}")


def _rewrite_specifiers(project: Project, wanted: dict[str, str], out: Plan) -> None:
    for path, file in sorted(project.files.items()):
        edits: list[tuple[int, int, bytes]] = []
        for site in file.facts.imports:
            res = project.resolver.resolve(path, site.specifier)
            if not res.ok or res.path not in wanted:
                continue
            if res.alias is not None and "*" not in res.alias:
                continue  # an alias naming the file itself: its tsconfig entry is rewritten instead
            new_spec = _respecified(site.specifier, res.path, wanted[res.path])
            if new_spec is None:
                out.refusals.append(f"{path}:{site.line}: cannot rewrite '{site.specifier}' "
                                    f"(it does not end with the name of {res.path})")
                continue
            quote = file.data[site.spec_start:site.spec_start + 1]
            edits.append((site.spec_start, site.spec_end, quote + new_spec.encode() + quote))
        taken = {(site.spec_start, site.spec_end) for site in file.facts.imports}
        for m in (*_RELATIVE_STRING.finditer(file.data), *_TEMPLATE_IMPORT.finditer(file.data)):
            # Other strings that name the file the way an import would: vi.mock('./x'),
            # jest.mock, a config's path.
            if (m.start(1), m.end()) in taken:
                continue
            spec = m.group(2).decode("utf-8", "replace")
            res = project.resolver.resolve(path, spec)
            if res.ok and res.path in wanted and (new_spec := _respecified(spec, res.path, wanted[res.path])):
                quote = m.group(1)
                edits.append((m.start(1), m.end(), quote + new_spec.encode() + quote))
        if edits:
            data = file.data
            for start, end, content in sorted(set(edits), reverse=True):
                data = data[:start] + content + data[end:]
            out.originals[path] = file.data
            out.contents[path] = data


def _verify(project: Project, p: Plan) -> None:
    """Every import that found a file before finds the same file (renamed) after."""
    sources = {p.renames.get(path, path): p.contents.get(path, file.data) for path, file in project.files.items()}
    after = Project.build(project.root, sources, project.config, previous=project, opaque=project.opaque,
                          surroundings=project.surroundings)  # files neither renamed nor edited are not parsed again
    for path, file in sorted(project.files.items()):
        new_file = after.files[p.renames.get(path, path)]
        for site, new_site in zip(file.facts.imports, new_file.facts.imports):
            res = project.resolver.resolve(path, site.specifier)
            if not res.ok or (res.alias is not None and "*" not in res.alias and res.path in p.renames):
                continue
            now = after.resolver.resolve(new_file.path, new_site.specifier)
            if not now.ok or now.path != p.renames.get(res.path, res.path):
                p.refusals.append(f"{path}:{site.line}: '{site.specifier}' would no longer find "
                                  f"{p.renames.get(res.path, res.path)}")


def _respecified(specifier: str, old: str, new: str) -> str | None:
    """``specifier`` with its last segment naming ``new`` instead of ``old`` (its own
    extension kept); None when its last segment is not ``old``'s name."""
    head, sep, last = specifier.rpartition("/")
    old_name, new_name = posixpath.basename(old), posixpath.basename(new)
    old_module, new_module = _module(old_name), _module(new_name)
    if last == old_module:
        return head + sep + new_module
    for ext in _SPEC_EXTS:
        if last == old_module + ext:
            return head + sep + new_module + ext
    return None


def _rewrite_path_strings(path: str, data: bytes, wanted: dict[str, str]) -> bytes:
    """Quoted strings naming a renamed file, with or without its extension, relative to
    ``path``'s folder: a tsconfig's ``paths`` targets, ``files`` and ``include``, a
    package.json's ``main``/``exports``, a drizzle config's ``schema`` (files at the root)."""
    base = posixpath.dirname(path)
    text = data.decode("utf-8", "surrogateescape")
    for old, new in wanted.items():
        rel_old = posixpath.relpath(old, base or ".")
        rel_new = posixpath.relpath(new, base or ".")
        for a, b in ((rel_old, rel_new), (_module(rel_old), _module(rel_new))):
            for prefix in ("", "./"):
                text = re.sub(r'(["\'])' + re.escape(prefix + a) + r'\1',
                              lambda m, b=b, prefix=prefix: m.group(1) + prefix + b + m.group(1), text)
    return text.encode("utf-8", "surrogateescape")


# -- rendering and applying --------------------------------------------------------------


def render(p: Plan) -> str:
    """The plan as a git diff: each rename as ``rename from``/``rename to`` headers (with
    its edits as hunks), each other edited file as a plain file diff."""
    out = []
    paths = sorted(set(p.renames) | set(p.contents))
    for old in paths:
        new = p.renames.get(old, old)
        before = p.originals.get(old, b"")
        after = p.contents.get(old, before)
        out.append(f"diff --git a/{old} b/{new}\n")
        if new != old:
            out.append(f"similarity index {_similarity(before, after)}%\nrename from {old}\nrename to {new}\n")
        hunks = unified(old, before, after)
        if hunks:
            lines = hunks.split("\n", 2)
            out.append(f"--- a/{old}\n+++ b/{new}\n{lines[2]}")
    return "".join(out)


def _similarity(before: bytes, after: bytes) -> int:
    if before == after:
        return 100
    import difflib
    return max(50, int(difflib.SequenceMatcher(None, before, after).ratio() * 100))


def in_git_work_tree(root: Path) -> bool:
    try:
        proc = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and proc.stdout.strip() == b"true"


def uncommitted(root: Path, paths: set[str]) -> list[str]:
    """The paths among ``paths`` that git shows as changed, staged or untracked."""
    if not paths:
        return []
    proc = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *sorted(paths)],
                          cwd=root, capture_output=True, timeout=30, check=False)
    if proc.returncode != 0:
        return sorted(paths)
    # Paths in porcelain output are relative to the repository's top, which may be above root.
    return sorted(entry[3:] for entry in proc.stdout.decode("utf-8", "replace").split("\0") if len(entry) > 3)


def apply_plan(root: Path, p: Plan) -> list[str]:
    """Rename (``git mv`` in a git work tree, else on disk), then write the edited files.
    Returns the paths written or renamed."""
    root = Path(root)
    tracked = _tracked(root) if p.renames and in_git_work_tree(root) else set()
    done = []
    for old, new in sorted(p.renames.items()):
        if old in tracked:
            subprocess.run(["git", "mv", "--", old, new], cwd=root, check=True, capture_output=True, timeout=30)
        else:
            os.rename(root / old, root / new)
        done.append(new)
    for old, data in sorted(p.contents.items()):
        target = p.renames.get(old, old)
        write_atomic(root / target, data, expect=discovery.digest(p.originals[old]))
        if target not in done:
            done.append(target)
    return done


def _tracked(root: Path) -> set[str]:
    """The files under ``root`` that git tracks, relative to it (one ``git ls-files`` for
    every file renamed; empty when git fails)."""
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, timeout=30, check=False)
    if proc.returncode != 0:
        return set()
    return {p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p}


def filesystem_ignores_case(root: Path) -> bool:
    """Is the filesystem holding ``root`` case-insensitive (macOS, Windows defaults)?"""
    try:
        with tempfile.NamedTemporaryFile(prefix=".schemafix-Case", dir=root) as probe:
            return os.path.exists(os.path.join(os.path.dirname(probe.name),
                                               os.path.basename(probe.name).swapcase()))
    except OSError:
        return False


def path_files(root: Path) -> dict[str, bytes]:
    """``tsconfig*.json`` and ``package.json`` at the root, by name (they may name a
    renamed file: ``paths``, ``files``, ``include``, ``main``, ``exports``)."""
    out = {}
    for entry in sorted(os.listdir(root)):
        if (re.match(r"^(tsconfig(\.[\w-]+)?|package)\.json$", entry) or _DRIZZLE_CONFIG.match(entry)) \
                and os.path.isfile(root / entry):
            out[entry] = (root / entry).read_bytes()
    return out


def load(paths: list[Path], root: Path | None) -> tuple[discovery.Workspace, Project]:
    ws = discovery.load(paths, root=root)
    project = ws.project()
    return ws, project


def main(paths: list[Path], *, style: str | None, apply: bool, force: bool, root: Path | None) -> int:
    """The ``rename`` command; returns the exit code (0 nothing to do or done, 1 renames
    pending or refused, 2 bad input)."""
    import click

    try:
        ws, project = load(paths or [Path(".")], root)
    except discovery.InputError as exc:
        click.echo(f"schemafix: error: {exc}", err=True)
        return 2
    p = plan(project, ws.targets, style, extra=path_files(ws.root))
    if apply and not p.refusals and not force and in_git_work_tree(ws.root):
        dirty = uncommitted(ws.root, p.involved())
        if dirty:
            p.refusals.append(f"uncommitted changes to {', '.join(dirty)} (commit them, or use --force)")
    for reason in p.refusals:
        click.echo(f"schemafix rename: refused: {reason}", err=True)
    if p.refusals:
        return 1
    if ws.opaque and p.renames:
        click.echo(f"schemafix rename: note: {len(ws.opaque)} source "
                   f"{'file was' if len(ws.opaque) == 1 else 'files were'} not read (.gitignore, --exclude, "
                   "outside the tsconfig, unreadable): imports in them are not rewritten", err=True)
    if not p.renames:
        click.echo("Nothing to rename.", err=True)
        return 0
    if not apply:
        click.echo(render(p), nl=False)
        click.echo(f"{len(p.renames)} {'file' if len(p.renames) == 1 else 'files'} to rename, "
                   f"{len(p.contents)} to edit; run with --apply to do it.", err=True)
        return 1
    from .locking import apply_lock
    from .writes import FileChangedError

    try:
        with apply_lock(ws.root):
            done = apply_plan(ws.root, p)
    except (OSError, subprocess.CalledProcessError, FileChangedError) as exc:
        click.echo(f"schemafix rename: error: {exc}", err=True)
        return 2
    click.echo(f"Renamed {len(p.renames)} {'file' if len(p.renames) == 1 else 'files'}; "
               f"{len(done)} changed.", err=True)
    return 0
