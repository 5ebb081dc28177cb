"""Configuration: ``[tool.schemafix]`` in pyproject.toml, or ``schemafix.toml`` /
``.schemafix.toml`` (a TypeScript project has no pyproject). Command-line flags win
over the file, the file over the defaults; every effective value remembers where it
came from (``schemafix config``). Unknown keys are an error naming the key.

The keys are the core ones below plus every option a rule declares (``rules.Option``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .rules import Option, all_options

FILE_NAMES = (".schemafix.toml", "schemafix.toml", "pyproject.toml")

# The settings of schemafix itself; rules add their own (``keys()``).
CORE = (
    Option("root", None, "project root, relative to the config file"),
    Option("include", [], "globs (root-relative, .gitignore syntax) of files to edit and report"),
    Option("exclude", [], "globs or names of files and folders to leave out entirely"),
    Option("select", [], "rule codes (or prefixes) to run; empty: all"),
    Option("ignore", [], "rule codes (or prefixes) to skip"),
    Option("unsafe", False, "also apply fixes that may change meaning"),
)


def keys() -> dict[str, Option]:
    """Every config key: the core ones, then the rules' options."""
    out = {o.key: o for o in CORE}
    for key, opt in all_options().items():
        if key in out:
            raise RuntimeError(f"a rule declares the option {key!r}, which is a core setting")
        out[key] = opt
    return out


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Value:
    value: Any
    source: str  # "default", a config file path, or "command line"


def find(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a pyproject only if it has
    ``[tool.schemafix]``); the search stops at the repository root."""
    folder = start.resolve()
    folder = folder if folder.is_dir() else folder.parent
    for here in (folder, *folder.parents):
        for name in FILE_NAMES:
            candidate = here / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        if (here / ".git").exists():
            return None
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "schemafix" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # let load() report the parse error with its location


def _read_toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):  # imported here: most projects have no config file to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML ({exc})") from None


def load(path: Path) -> dict[str, Any]:
    """The validated table of ``path`` (keys as written, values checked)."""
    data = _read_toml(path)
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("schemafix", {})
        where += " [tool.schemafix]"
    known = keys()
    out = {}
    for key, value in data.items():
        if key not in known:
            close = [k for k in known if k.replace("-", "_") == key.replace("-", "_")]
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(known)}"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        opt = known[key]
        kind = str if opt.default is None else opt.kind
        if kind is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{where}: {key!r} must be {'a list of strings' if kind is list else kind.__name__}")
        if opt.choices and value not in opt.choices:
            raise ConfigError(f"{where}: {key!r} must be one of {', '.join(opt.choices)}")
        if key == "root":
            value = str((path.parent / value).resolve())
        if opt.paths:
            value = [str((path.parent / v).resolve()) for v in value]
        out[key] = value
    return out


def effective(cli: dict[str, Any], start: Path, explicit: Path | None = None) -> tuple[dict[str, Value], Path | None]:
    """Merge defaults, the config file found from ``start`` (or ``explicit``), and the
    command-line values that were given (``None`` / empty means not given)."""
    path = explicit or find(start)
    from_file = load(path) if path is not None else {}
    merged = {key: Value(opt.default, "default") for key, opt in keys().items()}
    for key, value in from_file.items():
        merged[key] = Value(value, str(path))
    for key, value in cli.items():
        if value is None or value == () or value == []:
            continue
        merged[key] = Value(list(value) if isinstance(value, tuple) else value, "command line")
    return merged, path
