"""Read tsconfig.json the way TypeScript does: JSONC, `extends` chains, paths, baseUrl.

tsconfig files are JSON with comments and trailing commas; ``json5`` reads that
dialect exactly, where a regex that strips comments breaks on `"@db/*"` globs and
`//` inside strings. A path setting is relative to the config that writes it, unless
it starts with ``${configDir}`` (TypeScript 5.5+): that names the folder of the config
being compiled, the leaf of the ``extends`` chain.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping


MAX_EXTENDS_DEPTH = 32
CONFIG_DIR = "${configDir}"


class ConfigError(Exception):
    """A tsconfig that cannot be used: malformed, missing, or cyclic."""


@dataclass(frozen=True)
class TsConfig:
    path: Path | None = None  # the tsconfig itself; None when the project has none
    base_url: Path | None = None  # absolute
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()  # pattern -> absolute target patterns
    include: tuple[str, ...] | None = None  # absolute glob patterns
    exclude: tuple[str, ...] | None = None
    files: tuple[str, ...] | None = None
    references: tuple[str, ...] = ()  # absolute paths of the referenced projects (folders or tsconfig files)
    # ``rootDirs``: folders whose contents TypeScript merges into one virtual folder for
    # relative imports (SvelteKit's `./$types`, React Router's `./+types/x`), absolute
    root_dirs: tuple[str, ...] = ()
    out_dir: str | None = None  # ``outDir``, absolute (where the extends chain sets it, ``${configDir}`` too)
    root_dir: str | None = None  # ``rootDir``, absolute
    # An ``extends`` that could not be found (an uninstalled base, a framework file written
    # by its dev server): the aliases it would define are unknown. tsc warns and goes on.
    incomplete: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def solution(self) -> bool:
        """A solution-style tsconfig: no files of its own, only references."""
        return bool(self.references) and self.files == () and not self.include


def load(path: Path, packages: Mapping[str, Path] | None = None) -> TsConfig:
    """Load ``path`` and everything it extends. Raises ConfigError with a one-line reason.
    ``packages`` (workspace package name -> folder) resolves ``extends`` of a workspace
    package (``@acme/tsconfig/base.json``); an ``extends`` that is found nowhere is a
    warning and leaves the config ``incomplete``. ``path`` is taken as given, as tsc takes
    it: a tsconfig that is a symlink is read from the link's folder."""
    merged: dict = {}
    chain: list[Path] = []
    warnings: list[str] = []
    _load_into(Path(os.path.abspath(path)), merged, chain, (), packages or {}, warnings)
    leaf = chain[0].parent  # what ``${configDir}`` names
    opts = merged.get("compilerOptions", {})
    base_url = opts.get("baseUrl")
    paths_base = opts.get("__pathsBase")
    raw_paths = opts.get("paths") or {}
    if not isinstance(raw_paths, dict):
        raise ConfigError(f"{chain[0]}: compilerOptions.paths must be an object")
    target_root = base_url[1] if base_url else paths_base
    paths = []
    for pattern, targets in raw_paths.items():
        if isinstance(targets, str):
            targets = [targets]
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ConfigError(f"{chain[0]}: paths[{pattern!r}] must be a list of strings")
        paths.append((pattern, tuple(_anchored(t, target_root, leaf) for t in targets)))
    raw_roots = opts.get("rootDirs") or []
    if not isinstance(raw_roots, list) or not all(isinstance(r, str) for r in raw_roots):
        raise ConfigError(f"{chain[0]}: compilerOptions.rootDirs must be a list of strings")
    roots_base = opts.get("__rootDirsBase")
    root_dirs = tuple(_anchored(r, roots_base, leaf) for r in raw_roots) if roots_base else ()
    return TsConfig(
        path=chain[0],
        base_url=base_url[1] if base_url else None,
        paths=tuple(paths),
        include=_globs(merged.get("include"), leaf),
        exclude=_globs(merged.get("exclude"), leaf),
        files=_globs(merged.get("files"), leaf),
        references=_references(chain[0], merged.get("references")),
        root_dirs=root_dirs,
        out_dir=opts.get("outDir"),
        root_dir=opts.get("rootDir"),
        incomplete=bool(warnings),
        warnings=tuple(warnings),
    )


def _references(path: Path, value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(os.path.normpath(path.parent / r["path"]) for r in value
                 if isinstance(r, dict) and isinstance(r.get("path"), str))


def _globs(value, leaf: Path):
    if value is None:
        return None
    base, items = value
    return tuple(_anchored(item, base, leaf) for item in items)


def config_dir_relative(value: str) -> str | None:
    """``value`` relative to the folder of the config being compiled when it starts with
    ``${configDir}``, else None. tsc asks whether the value starts with the template in any
    case, then replaces the first exact ``${configDir}`` with ``./``: ``${CONFIGDIR}/src``
    is a folder of that name beside the compiled config (tsc 5.9, ``--showConfig``)."""
    if value[:len(CONFIG_DIR)].upper() != CONFIG_DIR.upper():
        return None
    return value.replace(CONFIG_DIR, "./", 1)


def _anchored(value: str, here: Path, leaf: Path) -> str:
    """The absolute path a path setting ``value`` names, written in a config in ``here``:
    relative to ``here``, or, when it starts with ``${configDir}``, to ``leaf`` (the folder
    of the config being compiled, wherever in the ``extends`` chain the setting is)."""
    rel = config_dir_relative(value)
    return os.path.normpath(here / value) if rel is None else os.path.normpath(leaf / rel)


def loads(text: str):
    """JSON with comments and trailing commas (tsconfig, package.json). Plain JSON is
    tried first: it means the same in both, and ``json5``, written in Python, took
    ~15 ms of a warm run on one small tsconfig read twice."""
    try:
        return json.loads(text)
    except ValueError:
        import json5  # here: a project whose JSON files are plain never loads it

        return _paired(json5.loads(text))


def _paired(value):
    """``value`` with each escaped surrogate pair (``"\\ud83d\\ude00"``) one character, as
    JSON and TypeScript read it (json5 leaves two lone surrogates)."""
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return value
    if isinstance(value, list):
        return [_paired(v) for v in value]
    if isinstance(value, dict):
        return {_paired(k): _paired(v) for k, v in value.items()}
    return value


def _read(path: Path) -> dict:
    try:
        data = loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: tsconfig not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read tsconfig ({exc})") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: malformed tsconfig ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: tsconfig must be a JSON object")
    return data


def _load_into(path: Path, merged: dict, chain: list[Path], seen: tuple[Path, ...],
               packages: Mapping[str, Path], warnings: list[str]) -> None:
    """Merge ``path`` under what ``merged`` already holds (children win over parents)."""
    again = _same_file(path, seen)
    if again is not None:
        cycle = " -> ".join(str(p) for p in (*seen, path))
        through = "" if again == path else f" (a symlink back to {again})"
        raise ConfigError(f"tsconfig extends itself in a cycle: {cycle}{through}")
    if len(seen) > MAX_EXTENDS_DEPTH:
        raise ConfigError(f"{path}: tsconfig extends chain deeper than {MAX_EXTENDS_DEPTH}")
    data = _read(path)
    chain.append(path)
    here = path.parent
    if not seen and isinstance(data.get("references"), list):  # references are not inherited
        merged["references"] = data["references"]
    for key in ("include", "exclude", "files"):
        if key in data and key not in merged:
            if not isinstance(data[key], list):
                raise ConfigError(f"{path}: {key} must be a list")
            merged[key] = (here, [str(x) for x in data[key]])
    opts = data.get("compilerOptions") or {}
    if not isinstance(opts, dict):
        raise ConfigError(f"{path}: compilerOptions must be an object")
    target = merged.setdefault("compilerOptions", {})
    for key, value in opts.items():
        if key in target:
            continue
        if key == "baseUrl" and value is not None:  # null unsets an inherited baseUrl
            if not isinstance(value, str):
                raise ConfigError(f"{path}: compilerOptions.baseUrl must be a string")
            target[key] = (value, Path(_anchored(value, here, chain[0].parent)))
        elif key in ("outDir", "rootDir"):  # paths relative to the config writing them, as baseUrl
            target[key] = _anchored(value, here, chain[0].parent) if isinstance(value, str) else None
        else:
            target[key] = value
        if key == "paths":
            target.setdefault("__pathsBase", here)
        if key == "rootDirs":
            target.setdefault("__rootDirsBase", here)
    parents = data.get("extends")
    if parents is None:
        return
    if isinstance(parents, str):
        parents = [parents]
    # With several parents, later ones win: merge them last-first under the child.
    for parent in reversed(parents):
        if not isinstance(parent, str):
            raise ConfigError(f"{path}: extends must be a string or a list of strings")
        found = _find_extended(here, parent, packages)
        if found is None:
            warnings.append(f"{path}: extends {parent!r}, {_why_missing(here, parent, packages)}; the aliases "
                            "it defines are unknown, so imports through them are not checked")
            continue
        _load_into(found, merged, chain, (*seen, path), packages, warnings)


def _same_file(path: Path, seen: tuple[Path, ...]) -> Path | None:
    """The config of ``seen`` that ``path`` is, symlinks followed (through a link back to
    its own folder, a base names itself by ever longer paths), or None."""
    real = os.path.realpath(path)
    return next((p for p in seen if os.path.realpath(p) == real), None)


def _find_extended(here: Path, spec: str, packages: Mapping[str, Path]) -> Path | None:
    """The config ``extends: spec`` names, by the path tsc names it by (its own relative
    paths start from there): a relative or absolute ``spec`` as written, normalised without
    following symlinks (a base reached through pnpm's node_modules link is read from the
    link); a package by its real path, as tsc resolves a package import (tsc 5.9)."""
    for candidate, real in _extended_candidates(here, spec, packages):
        if candidate.is_file():
            return candidate.resolve() if real else Path(os.path.normpath(candidate))
    return None


def _extended_candidates(here: Path, spec: str, packages: Mapping[str, Path]) -> list[tuple[Path, bool]]:
    """Where ``extends: spec`` may be, in tsc's order, each with whether tsc names it by
    its real path."""
    if spec.startswith((".", "/")) or os.path.isabs(spec):
        return [(here / spec, False), (here / f"{spec}.json", False)]
    candidates = []  # a package: node_modules/<spec>, <spec>.json or <spec>/tsconfig.json, walking up
    for folder in (here, *here.parents):
        base = folder / "node_modules" / spec
        candidates += [base, Path(f"{base}.json"), base / "tsconfig.json"]
    parts = spec.split("/")
    cut = 2 if spec.startswith("@") else 1
    package = packages.get("/".join(parts[:cut]))
    if package is not None:  # a workspace package, linked or not
        base = Path(package, *parts[cut:])
        candidates += [base, Path(f"{base}.json"), base / "tsconfig.json"]
    return [(c, True) for c in candidates]


def _why_missing(here: Path, spec: str, packages: Mapping[str, Path]) -> str:
    """Why ``extends: spec`` was not found, for the warning: a symlink to nothing, or no
    file at all."""
    if any(os.path.islink(c) for c, _ in _extended_candidates(here, spec, packages)):
        return "a symlink to nothing (its target is missing, or the link loops)"
    return "which does not exist (not installed, or generated by a dev server)"


def in_program(config: TsConfig, root: Path) -> "Callable[[str], bool]":
    """A predicate on root-relative paths: is the file part of the TypeScript program by
    the config's ``files`` / ``include`` / ``exclude``? (TypeScript also pulls in files
    that program files import; those are treated as existing but unread.)"""
    if config.path is None or (config.include is None and config.files is None):
        include = [re.compile(".*")] if config.exclude else None
    else:
        include = [_glob_regex(_rel(p, root)) for p in (config.include or ())]
    if include is None:
        return lambda rel: True
    files = {_rel(p, root) for p in (config.files or ())}
    exclude = [_glob_regex(_rel(p, root)) for p in (config.exclude or ())]
    # one pattern each, asked once per file (19,813 files: 30 -> 15 ms)
    included = _either(include).fullmatch
    excluded = _either(exclude).fullmatch

    def check(rel: str) -> bool:
        return rel in files or (included(rel) is not None and excluded(rel) is None)

    return check


def _either(patterns: list[re.Pattern]) -> re.Pattern:
    """A pattern that matches all of a text where one of ``patterns`` does (an empty
    list matches nothing)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


def _rel(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _glob_regex(pattern: str) -> re.Pattern:
    """TypeScript's include/exclude globs: ``*`` and ``?`` stay within one path segment,
    ``**/`` spans folders, and a last segment without ``*``, ``?`` or ``.`` names a folder
    (everything below it)."""
    parts = [p for p in pattern.split("/") if p not in ("", ".")]
    if not parts or not any(ch in parts[-1] for ch in "*?."):
        parts += ["**", "*"]  # a folder (`src`, `.`, the root itself): every file below it
    regex = ""
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            regex += ".*" if last else "(?:[^/]+/)*"
            continue
        regex += re.escape(part).replace(r"\*", "[^/]*").replace(r"\?", "[^/]") + ("" if last else "/")
    return re.compile(regex)
