"""Run the rewriters to a fixpoint, in memory.

Each pass: analyse the current bytes, collect diagnostics from every enabled rule,
apply the fixes that may be applied (``apply.apply_fixes``), re-parse. A pass that
makes a statement of a file stop parsing is reverted for that file, which is then
frozen and reported; a file that already had a statement that does not parse is
edited elsewhere (see ``hold_back_unparsed``). The loop stops when no fix applies, or at
``settings.max_passes`` (reported as not converged). Nothing here writes to disk:
the dry run and ``--apply`` see exactly the same result.

A fix may delete whole files (``Deletion``): a deleted source leaves the next pass's
sources, and every deleted file is handed to the rules as ``ctx.deleted`` so that a rule
reading the disk (SF012) does not find it again. The outcome's ``original`` holds the
bytes of every deleted file, sources or not; ``final`` does not hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from . import suppression
from .apply import apply_fixes, preview
from .generated import Markers
from .holdback import (
    hold_back_uneditable,
    hold_back_unparsed,
    new_parse_error,
    parse_notes,
)
from .model import Applicability, Diagnostic, Problem, Severity
from .project import Project
from .rules import Claim, Context, Rule, Settings, all_rules
from .tsconfig import TsConfig


class InternalError(Exception):
    """A rewriter crashed: a bug in schemafix, reported with exit 2."""


@dataclass
class Outcome:
    original: dict[str, bytes]  # the sources analysed, and every file a fix deletes as it was
    final: dict[str, bytes]  # the sources after the fixes; a deleted file is absent
    fixed: list[Diagnostic] = field(default_factory=list)  # diagnostics whose fix was applied
    fixed_bases: list[dict[str, bytes]] = field(default_factory=list)  # the sources each fix was made on
    remaining: list[Diagnostic] = field(default_factory=list)  # found in the last pass, not fixed
    problems: list[Problem] = field(default_factory=list)
    passes: int = 0
    converged: bool = True
    unsafe_enabled: bool = False
    last: Project | None = field(default=None, repr=False, compare=False)  # the snapshot the last pass ran on

    @property
    def changed(self) -> list[str]:
        """Every file the fixes change: edited or deleted."""
        return sorted(p for p in self.original.keys() | self.final.keys() if self.original.get(p) != self.final.get(p))

    @property
    def deleted(self) -> list[str]:
        """The files the fixes delete."""
        return sorted(p for p in self.original if p not in self.final)

    @property
    def hidden_unsafe(self) -> list[Diagnostic]:
        """Remaining diagnostics whose fix --unsafe would apply."""
        if self.unsafe_enabled:
            return []
        return [d for d in self.remaining if d.fix is not None and d.fix.applicability == Applicability.UNSAFE]

    @property
    def need_human(self) -> list[Diagnostic]:
        hidden = set(map(id, self.hidden_unsafe))
        return [d for d in self.remaining if id(d) not in hidden and d.severity is not Severity.INFO]

    @property
    def notes(self) -> list[Diagnostic]:
        """Informational diagnostics: shown, but they never fail a run."""
        return [d for d in self.remaining if d.severity is Severity.INFO]

    def held_back(self, paths) -> Outcome:
        """This outcome as it ends up when ``paths`` could not be written: a new value
        (this one is not changed) where those files keep their original bytes and the
        fixes that touched them count as not applied (they rejoin the remaining ones)."""
        paths = set(paths)
        if not paths:
            return self
        keep = [(d, base) for d, base in zip(self.fixed, self.fixed_bases) if not set(d.fix.paths) & paths]
        unfixed = [d for d in self.fixed if set(d.fix.paths) & paths]
        final = {p: data for p, data in self.final.items() if p not in paths}
        final.update((p, self.original[p]) for p in paths if p in self.original)  # deleted ones come back
        return replace(self, final=dict(sorted(final.items())),
                       fixed=[d for d, _ in keep], fixed_bases=[base for _, base in keep],
                       remaining=sorted(self.remaining + unfixed, key=Diagnostic.sort_key))

    def fix_result(self, d: Diagnostic) -> dict[str, tuple[bytes, bytes]]:
        """What ``d``'s fix alone does, per file: (before, after). A fixed diagnostic's fix
        is taken on the sources of the pass that applied it, a remaining one's on the final
        sources (where it was found)."""
        if getattr(self, "_bases", None) is None or len(self._bases) != len(self.fixed):
            self._bases = {id(f): b for f, b in zip(self.fixed, self.fixed_bases)}  # one lookup per diagnostic
        base = self._bases.get(id(d), self.final)
        expected = {x.path: x.expected for x in d.fix.deletions}  # a deleted file need not be a source
        return {path: (base.get(path, expected.get(path, b"")), after)
                for path, after in preview(base, d.fix).items()}


def run(root: Path, sources: Mapping[str, bytes], *, config: TsConfig | None = None,
        targets: frozenset[str] | None = None, settings: Settings | None = None,
        rules: list[Rule] | None = None, progress: Callable[[int, int], None] | None = None,
        opaque: frozenset[str] = frozenset(), project: Project | None = None,
        named: frozenset[str] = frozenset()) -> Outcome:
    """Fix ``sources`` in memory. ``opaque`` names source files that exist but were not
    read: imports of them resolve, and any name may come from them (see ExportMap).
    ``project``: the project already built from exactly these arguments. ``named``: the
    files the user named one by one; a generated file (see ``generated.py``) is edited
    only when named, else its fixes are shown as not applied, with the marker found."""
    settings = settings or Settings()
    rules = [r for r in (rules if rules is not None else all_rules()) if settings.enabled(r.code)]
    targets = frozenset(sources) if targets is None else targets
    if project is None:
        project = Project.build(root, sources, config, progress=progress, opaque=opaque)
    outcome = Outcome(dict(sources), dict(sources), unsafe_enabled=settings.unsafe)
    editable = set(targets)  # files fixes may touch (a file a pass broke is taken out)
    deleted: set[str] = set()  # files fixes deleted so far, sources or not
    generated = Markers(sources, named)
    for path in sorted(targets):
        outcome.problems += parse_notes(project.files[path].facts)

    for pass_no in range(1, settings.max_passes + 1):
        outcome.passes = pass_no
        ctx = Context(project, settings, targets, frozenset(editable), deleted=frozenset(deleted))
        diagnostics = hold_back_unparsed(_collect(rules, ctx, targets), project)
        project.forget_base()  # the rules have run on this snapshot: the previous one may go
        project.keep_carried()  # what they carry, for the next run (the first snapshot only)
        diagnostics = hold_back_uneditable(diagnostics, editable, targets, generated, project)
        candidates = [
            d for d in diagnostics
            if d.fix is not None and not d.fix.empty and d.fix.applicability >= settings.minimum_applicability
        ]  # fixes touching files the run may not edit were held back above
        if not candidates:
            outcome.remaining = diagnostics
            break
        result = apply_fixes(project.sources, [d.fix for d in candidates])
        sources_now = result.sources
        edited = [p for p, f in project.files.items() if (now := sources_now.get(p)) is not f.data and now != f.data]
        project.let_go(edited)  # what the next snapshot parses anew, and what it cannot take of this one
        next_project = Project.build(project.root, sources_now, previous=project)
        new_errors = {p: err for p in sorted(p for p in edited if p in next_project.files)
                      if (err := new_parse_error(project.files[p], next_project.files[p])) is not None}
        broken = list(new_errors)
        for path, err in new_errors.items():
            outcome.problems.append(Problem(path, f"a fix would introduce a syntax error at line {err.line}; "
                                                  "file left unchanged, please report this"))
            editable.discard(path)
        reverted = _revert_closure(set(broken), result.applied)
        for path in reverted:
            if path in project.files:
                sources_now[path] = project.files[path].data
            result.deleted.pop(path, None)
        for path, data in result.deleted.items():
            outcome.original.setdefault(path, data)  # a source's original bytes are there already
            deleted.add(path)
        if reverted:
            next_project = Project.build(project.root, sources_now, previous=next_project)
        applied = {id(f) for f in result.applied}
        base = project.sources
        for d in candidates:
            if id(d.fix) in applied and not set(d.fix.paths) & reverted:
                outcome.fixed.append(d)
                outcome.fixed_bases.append(base)
        project = next_project
    else:
        outcome.converged = False
        outcome.problems.append(Problem("", f"fixes did not settle after {settings.max_passes} passes; "
                                            "the result shown is the last pass"))
        ctx = Context(project, settings, targets, frozenset(editable), deleted=frozenset(deleted))
        outcome.remaining = hold_back_uneditable(hold_back_unparsed(_collect(rules, ctx, targets), project),
                                                 editable, targets, generated, project)
    outcome.final = project.sources
    outcome.last = project
    return outcome


def _revert_closure(broken: set[str], applied) -> set[str]:
    """The files to revert so that no fix touching a broken file is half-applied: a fix
    is all or nothing, so every file it touched goes back too (and so on)."""
    reverted = set(broken)
    changed = bool(reverted)
    while changed:
        changed = False
        for fix in applied:
            paths = set(fix.paths)
            if paths & reverted and not paths <= reverted:
                reverted |= paths
                changed = True
    return reverted


def _collect(rules: list[Rule], ctx: Context, targets: frozenset[str]) -> list[Diagnostic]:
    """Every enabled rule's diagnostics on ``targets``. The places rules claim are
    gathered first, so a rule can leave alone what another rule answers for."""
    ctx = replace(ctx, claims=_claims(rules, ctx))
    out: list[Diagnostic] = []
    # a run on the whole project also reports what it read beside the sources (a drizzle
    # config the tsconfig's include leaves out): a run on named files does not
    whole = len(targets) == len(ctx.project.files)
    for r in rules:
        found = _guarded(r, lambda: list(r.check(replace(ctx, rule=r.code))))
        out += [d for d in found if d.path in targets or whole and d.path not in ctx.project.files]
    return sorted(suppression.apply(out, ctx.project.sources, targets, ctx.settings.enabled), key=Diagnostic.sort_key)


def _claims(rules: list[Rule], ctx: Context) -> dict[Claim, str]:
    """Claimed place -> the claiming rule (the first in code order, if two claim it)."""
    out: dict[Claim, str] = {}
    for r in rules:
        if r.claims is not None:
            for claim in _guarded(r, lambda: list(r.claims(replace(ctx, rule=r.code)))):
                out.setdefault(claim, r.code)
    return out


def _guarded(r: Rule, call):
    try:
        return call()
    except Exception as exc:  # a rewriter bug must not become a traceback or a half-fix
        raise InternalError(f"rule {r.code} crashed: {type(exc).__name__}: {exc}") from exc
