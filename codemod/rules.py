"""The rule registry and the context a rewriter reads.

A rewriter is a function ``check(ctx) -> Iterable[Diagnostic]`` registered with
``@rule(...)`` in its own module under ``rewriters/``. It reads ``ctx`` and emits
diagnostics with fixes; it never writes files.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .model import Applicability, Diagnostic, Fix, Severity
from .project import Project, SourceFile


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    unsafe: bool = False
    barrels: tuple[str, ...] = ()  # explicit barrel files, relative to the root
    barrel_all: bool = False
    extension: str | None = None  # None: detect; "", ".js" or ".ts": force the import extension style
    max_passes: int = 10

    @property
    def bar(self) -> Applicability:
        return Applicability.UNSAFE if self.unsafe else Applicability.SAFE

    def enabled(self, code: str) -> bool:
        if self.select is not None and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    fix: Applicability | None  # the best applicability its fixes can have; None: report only
    check: Callable[["Context"], Iterable[Diagnostic]]
    doc: str = ""


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, fix: Applicability | None):
    """Register ``check`` under ``code``; its docstring is the rule's documentation."""

    def register(check: Callable[["Context"], Iterable[Diagnostic]]):
        if code in _RULES:
            raise RuntimeError(f"rule {code} registered twice")
        _RULES[code] = Rule(code, name, summary, fix, check, inspect.cleandoc(check.__doc__ or ""))
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, in code order (importing every module of ``rewriters``)."""
    import rewriters

    for info in pkgutil.iter_modules(rewriters.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"rewriters.{info.name}")
    return [_RULES[c] for c in sorted(_RULES)]


@dataclass
class Context:
    project: Project
    settings: Settings = field(default_factory=Settings)
    targets: frozenset[str] | None = None  # files to report on; None: all
    editable: frozenset[str] | None = None  # files fixes may touch; None: all that parse
    def memo(self, key: str, compute: Callable[[], object]):
        """Compute a whole-project fact once per pass (see ``Project.memo``)."""
        return self.project.memo(("ctx", key, self.settings), compute)

    def files(self) -> list[SourceFile]:
        """The files to check, in path order."""
        return [f for p, f in sorted(self.project.files.items()) if self.targets is None or p in self.targets]

    def can_edit(self, path: str) -> bool:
        if self.editable is not None:
            return path in self.editable
        f = self.project.files.get(path)
        return f is not None and not f.facts.has_error

    def diagnostic(self, code: str, file: SourceFile, offset: int, message: str, *, fix: Fix | None = None,
                   end: int | None = None, severity: Severity = Severity.ERROR,
                   notes: tuple[str, ...] = ()) -> Diagnostic:
        line, column = file.position(offset)
        end_line = end_column = None
        if end is not None:
            end_line, end_column = file.position(end)
        start, stop = file.line_span(offset, offset)
        source = file.data[start:stop].decode("utf-8", "replace").rstrip("\r\n")
        return Diagnostic(code, file.path, line, column, message, fix, severity, end_line, end_column, notes, source)
