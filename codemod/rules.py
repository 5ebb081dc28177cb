"""The rule registry and the context a rewriter reads.

A rewriter is a function ``check(ctx) -> Iterable[Diagnostic]`` registered with
``@rule(...)`` in its own module under ``rewriters/``. It reads ``ctx`` and emits
diagnostics with fixes; it never writes files.

A rule declares everything the rest of schemafix needs to know about it, so that no
rule names another rule and adding one touches neither the engine, the config module
nor the CLI:

- ``options``: its settings (``Option``); the config keys and the ``fix`` command's
  flags are generated from them, and ``ctx.option(key)`` reads the effective value;
- ``claims``: the places it answers for (``Claim``s, e.g. SF005 claims the stale
  re-export lines of the barrels it completes); another rule that reaches one of them
  leaves it alone (``ctx.claimed``), and when the claiming rule is not enabled, nobody
  has claimed it;
- ``fixes``: for a rule that claims more than its fixes of a pass settle (SF005 claims
  every module a barrel misses, and adds some, lists others), whether this pass's fixes
  settle a claimed place (``ctx.fixed_by_claimant``), asked only when another rule needs
  to know.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping

from .apply import apply_fixes
from .model import Applicability, Diagnostic, Fix, Severity
from .project import Project, SourceFile


@dataclass(frozen=True)
class Option:
    """A setting a rule declares. ``key`` is the config key and, as ``--key``, the flag
    of the ``fix`` command; the kind (flag, string or list) follows from ``default``."""

    key: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    paths: bool = False  # a list of files: relative to the config file or the current folder on input,
    #                      relative to the project root in Settings

    @property
    def kind(self) -> type:
        return list if isinstance(self.default, (list, tuple)) else type(self.default)


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    unsafe: bool = False
    max_passes: int = 10
    options: Mapping[str, Any] = field(default_factory=dict)  # rule options by key; absent: the default

    def __post_init__(self) -> None:
        frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in dict(self.options).items()))
        object.__setattr__(self, "options", _FrozenOptions(frozen))

    @property
    def minimum_applicability(self) -> Applicability:
        """The least safe fix that is applied: SAFE, or UNSAFE with --unsafe."""
        return Applicability.UNSAFE if self.unsafe else Applicability.SAFE

    def enabled(self, code: str) -> bool:
        if self.select is not None and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)

    def option(self, key: str) -> Any:
        if key in self.options:
            return self.options[key]
        declared = all_options()
        if key not in declared:
            raise KeyError(f"no rule declares the option {key!r}")
        default = declared[key].default
        return tuple(default) if isinstance(default, list) else default


class _FrozenOptions(dict):
    """A read-only, hashable mapping (Settings is part of memo keys)."""

    def __init__(self, items: tuple):
        super().__init__(items)
        self._items = items

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._items)

    def _read_only(self, *_a, **_k):
        raise TypeError("Settings.options is read-only")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _read_only  # type: ignore


@dataclass(frozen=True)
class Claim:
    """A place a rule answers for: the statement starting at byte ``start`` of ``path``
    (``what="statement"``), or the module ``path`` as a whole (``what="module"``, e.g.
    adding it to a barrel)."""

    path: str
    start: int = 0
    what: str = "statement"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    fix: Applicability | None  # the best applicability its fixes can have; None: report only
    check: Callable[["Context"], Iterable[Diagnostic]]
    doc: str = ""
    options: tuple[Option, ...] = ()
    claims: Callable[["Context"], Iterable[Claim]] | None = None
    fixes: Callable[["Context", Claim], bool] | None = None  # see the module docstring


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, summary: str, fix: Applicability | None, *,
         options: Iterable[Option] = (), claims: Callable[["Context"], Iterable[Claim]] | None = None,
         fixes: Callable[["Context", Claim], bool] | None = None):
    """Register ``check`` under ``code``; its docstring is the rule's documentation.

    ``options`` are the settings the rule reads with ``ctx.option``; ``claims(ctx)``
    names the places the rule answers for, which other rules then leave alone;
    ``fixes(ctx, claim)`` says whether this pass's fixes settle one of them."""

    def register(check: Callable[["Context"], Iterable[Diagnostic]]):
        if code in _RULES:
            raise RuntimeError(f"rule {code} registered twice")
        _RULES[code] = Rule(code, name, summary, fix, check, inspect.cleandoc(check.__doc__ or ""),
                            tuple(options), claims, fixes)
        return check

    return register


def unregister(code: str) -> None:
    """Remove a rule (tests register throwaway rules)."""
    _RULES.pop(code, None)


_rewriters_imported = False


def all_rules() -> list[Rule]:
    """Every registered rule, in code order (importing every module of ``rewriters``,
    once: listing the package on every call cost ~0.4 ms, and options are read often)."""
    global _rewriters_imported
    if not _rewriters_imported:
        import rewriters

        for info in pkgutil.iter_modules(rewriters.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"rewriters.{info.name}")
        _rewriters_imported = True
    return [_RULES[c] for c in sorted(_RULES)]


def all_options() -> dict[str, Option]:
    """Every option some rule declares, by key. Rules may share one ``Option`` (the
    same object, e.g. the import style every import-writing rule honours); two different
    declarations of one key are a bug."""
    out: dict[str, Option] = {}
    for r in all_rules():
        for opt in r.options:
            if out.setdefault(opt.key, opt) != opt:
                raise RuntimeError(f"option {opt.key!r} declared differently by two rules")
    return out


@dataclass
class Context:
    project: Project
    settings: Settings = field(default_factory=Settings)
    targets: frozenset[str] | None = None  # files to report on; None: all
    editable: frozenset[str] | None = None  # files fixes may touch; None: all that parse
    claims: Mapping[Claim, str] = field(default_factory=dict)  # claimed place -> the claiming rule's code
    rule: str | None = None  # the code of the rule this context is handed to
    deleted: frozenset[str] = frozenset()  # files fixes of earlier passes deleted (still on disk until --apply)

    def option(self, key: str) -> Any:
        """The effective value of a rule option (see ``Option``)."""
        return self.settings.option(key)

    def claimed(self, path: str, start: int = 0, what: str = "statement") -> bool:
        """Does another enabled rule answer for the statement at ``start`` of ``path`` (or,
        with ``what="module"``, for the module ``path``)?"""
        owner = self.claims.get(Claim(path, start, what))
        return owner is not None and owner != self.rule

    def fixed_by_claimant(self, path: str, start: int = 0, what: str = "statement") -> bool:
        """Does another enabled rule claim this place (``claimed``) and settle it with this
        pass's fixes? A claiming rule that declares no ``fixes`` settles all it claims."""
        claim = Claim(path, start, what)
        owner = self.claims.get(claim)
        if owner is None or owner == self.rule:
            return False
        fixes = _RULES[owner].fixes
        return fixes is None or fixes(replace(self, rule=owner), claim)

    def preview(self, fixes: Iterable[Fix]) -> Project | None:
        """The project as it would be with ``fixes`` applied together, for a rule that
        must verify its own fix (e.g. that it adds no export collision); None when they
        cannot all be applied together. Nothing is written and the engine's state is
        not touched."""
        fixes = list(fixes)
        result = apply_fixes(self.project.sources, fixes)
        if len(result.applied) != len(fixes):
            return None
        return Project.build(self.project.root, result.sources, previous=self.project)

    def memo(self, key: str, compute: Callable[[], object]):
        """Compute a whole-project fact once per pass (see ``Project.memo``)."""
        return self.project.memo(("ctx", key, self.settings), compute)

    def files(self) -> list[SourceFile]:
        """The files to check, in path order."""
        paths = self.project.memo(("sorted-paths",), lambda: sorted(self.project.files))  # once per snapshot
        files = self.project.files
        return [files[p] for p in paths if self.targets is None or p in self.targets]

    def can_edit(self, path: str) -> bool:
        if self.editable is not None:
            return path in self.editable
        f = self.project.files.get(path)
        return f is not None  # the engine holds back fixes that touch a statement that does not parse

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
