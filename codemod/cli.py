"""The ``schemafix`` command.

``schemafix [PATHS]`` is a dry run (a unified diff on stdout, diagnostics and a
summary on stderr); ``--apply`` writes, ``--check`` only reports. Exit codes:
0 nothing to do (or all applied), 1 fixes pending or problems left for a human,
2 usage error, bad input that stops the run, or an internal error.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import click

from . import __version__, cache, discovery, engine, formats, locking, scope, writeback
from . import config as config_mod
from .diff import colourise, project_diff
from .facts_cache import FactsCache
from .model import Problem, Severity
from .progress import Progress
from .project import Project
from .report import (
    PARSE_ERROR,
    Mode,
    Report,
    diff_path,
    shown_path,
    statistics,
    text_lines,
)
from .resolve import EXTERNAL, FILE, package_name
from .rules import Option, Settings, all_options, all_rules

EXIT_OK, EXIT_FIXABLE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
_WRITTEN = "schemafix.written"  # click context meta: the files --apply wrote so far in this command
MODE_FLAGS = ("--apply", "--fix", "--check", "--diff")


class _DefaultGroup(click.Group):
    """`schemafix PATHS...` runs the `fix` command; named commands still work."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["fix", *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx, formatter):
        """``schemafix --help`` lists the fix command's options too: they are what
        ``schemafix [PATHS]`` takes."""
        fix = self.commands.get("fix")
        if fix is not None:
            sub = click.Context(fix, info_name="fix", parent=ctx)
            records = [r for p in fix.get_params(sub) if isinstance(p, click.Option)
                       and p is not fix.get_help_option(sub) and (r := p.get_help_record(sub)) is not None]
            with formatter.section("Options of `schemafix [PATHS]` (the fix command)"):
                formatter.write_dl(records)
        super().format_options(ctx, formatter)


def _codes(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def _echo_pieces(pieces, end: str = "\n") -> None:
    """A document and ``end``, written about a MiB at a time as its pieces come (the
    JSON of 19,813 bench files is 115 MB: made whole, it doubled the peak memory)."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            click.echo("".join(held), nl=False)
            held, size = [], 0
    held.append(end)
    click.echo("".join(held), nl=False)


def _use_colour(choice: str, stream) -> bool:
    """--color always/never, else FORCE_COLOR (set, not "0"), else NO_COLOR, else a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _fail(message: str, debug: bool = False) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"schemafix: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="schemafix")
def main() -> None:
    """Repair TypeScript schema folders: broken imports, duplicate relations, barrels.

    Run `schemafix [PATHS]` for a dry run (a unified diff), `--apply` to write.
    """


class _FixCommand(click.Command):
    """The ``fix`` command: its fixed options, then one per rule option (``rules.Option``),
    generated when the command line is parsed, so a rule registered later has its flags."""

    def parse_args(self, ctx, args):
        """Two modes at once (``--check --apply``) are a usage error, not "the last wins"."""
        cut = args.index("--") if "--" in args else len(args)
        given = {"--apply" if a == "--fix" else a for a in args[:cut] if a in MODE_FLAGS}
        if len(given) > 1:
            raise click.UsageError(f"{' and '.join(sorted(given))} cannot be combined: choose one mode", ctx=ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        """Ctrl-C: exit 130 with one line (writes stop between files, see ``_write``),
        naming the files --apply wrote before it, if any (a monorepo's earlier projects);
        --exit-zero: 1 becomes 0."""
        written = ctx.meta.setdefault(_WRITTEN, [])
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            if written:  # a project of a monorepo was fixed before the one Ctrl-C stopped
                click.echo(f"schemafix: interrupted; written: {', '.join(written)}; nothing else was written",
                           err=True)
            else:
                click.echo("schemafix: interrupted; nothing was written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except SystemExit as exc:
            if ctx.params.get("exit_zero") and exc.code == EXIT_FIXABLE:
                sys.exit(EXIT_OK)
            raise

    def get_params(self, ctx):
        params = super().get_params(ctx)
        taken = {name for p in params for name in p.opts}
        extra = [_rule_flag(opt) for key, opt in sorted(all_options().items()) if f"--{key}" not in taken]
        help_option = self.get_help_option(ctx)
        return [p for p in params if p is not help_option] + extra + ([help_option] if help_option else [])


def _rule_flag(opt: Option) -> click.Option:
    name = "rule_option_" + opt.key.replace("-", "_")
    if opt.kind is bool:
        return click.Option([f"--{opt.key}", name], is_flag=True, default=None, help=opt.help)
    if opt.kind is list:
        return click.Option([f"--{opt.key}", name], multiple=True, metavar=opt.metavar or "VALUE", help=opt.help)
    kind = click.Choice(list(opt.choices)) if opt.choices else str
    return click.Option([f"--{opt.key}", name], type=kind, default=None, metavar=opt.metavar, help=opt.help)


@main.command("fix", cls=_FixCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--apply", "--fix", "mode", flag_value=Mode.APPLY.value,
              help="Write the fixes in place (atomically). --fix is the same.")
@click.option("--check", "mode", flag_value=Mode.CHECK.value,
              help="Write nothing, print no diff; exit 1 if anything would change.")
@click.option("--diff", "mode", flag_value=Mode.DIFF.value, default=True,
              help="Dry run: print a unified diff on stdout, write nothing (the default).")
@click.option("--unsafe", "--unsafe-fixes", "unsafe", is_flag=True, default=None,
              help="Also apply fixes that may change meaning. --unsafe-fixes is the same.")
@click.option("-q", "--quiet", is_flag=True, help="On stderr, only the summary and errors (no diagnostics).")
@click.option("--statistics", is_flag=True, help="A count per rule instead of each diagnostic.")
@click.option("--show-fixes", is_flag=True, help="With --apply: one line per fixed diagnostic.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when fixes are pending or problems remain (2 still means an error).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes (comma-separated, prefixes allowed).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes.")
@click.option("--root", type=click.Path(path_type=Path), help="Project root (default: nearest tsconfig.json, package.json or git root).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out files and folders matching this .gitignore-style pattern; repeatable.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only edit and report files matching this pattern; repeatable.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (default: nearest .schemafix.toml, schemafix.toml or pyproject.toml [tool.schemafix]).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="Output format: text, one JSON document, SARIF 2.1.0, GitHub annotations.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the diff and diagnostics (auto: a terminal; FORCE_COLOR / NO_COLOR honoured).")
@click.option("--no-cache", is_flag=True,
              help=f"Neither read nor write the cache (also: {cache.ENV_OFF}=1).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help=f"Cache folder (default: {cache.FOLDER}/ at the project root; also: {cache.ENV_DIR}).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def fix_command(paths, mode, unsafe, select, ignore, root, exclude, include, config_file, fmt, color, debug,
                **rule_flags):
    """Fix PATHS (default: the current folder). Dry run unless --apply."""
    with _collector_for_a_run():
        ui = _Ui(**{k: bool(rule_flags.pop(k)) for k in ("quiet", "statistics", "show_fixes", "exit_zero")})
        no_cache, cache_dir = rule_flags.pop("no_cache"), rule_flags.pop("cache_dir")
        ui = replace(ui, cache=False if no_cache else cache_dir.resolve() if cache_dir else True)
        mode = Mode(mode)
        paths = list(paths) or [Path(".")]
        for p in paths:
            if not os.path.lexists(p):
                _fail(f"{p}: no such file or folder")
        cli_values = {"root": str(root.resolve()) if root else None, "include": include, "exclude": exclude,
                      "select": select, "ignore": ignore, "unsafe": unsafe}
        for key, opt in all_options().items():
            value = rule_flags.get("rule_option_" + key.replace("-", "_"))
            cli_values[key] = tuple(str(Path(v).resolve()) for v in value) if opt.paths and value else value
        opts = _options(cli_values, paths[0], config_file)
        known = {r.code for r in all_rules()}
        for code in _codes(tuple(opts["select"])) | _codes(tuple(opts["ignore"])):
            if not any(k.startswith(code) for k in known):
                _fail(f"unknown rule code {code!r} (see `schemafix rules`)")
        groups = _group_by_root(paths, opts)
        # several projects: one JSON or SARIF document holding each project's part
        several = formats.Several(fmt, mode) if len(groups) > 1 and fmt in ("json", "sarif") else None
        if several is not None:
            click.echo(several.head(), nl=False)
        codes = [EXIT_OK]
        try:
            for group, group_paths in groups.items():
                codes.append(_fix_project(group, group_paths, opts, mode, fmt, color, debug,
                                          several=len(groups) > 1, ui=ui, document=several))
                if codes[-1] == EXIT_INTERRUPTED:
                    break
        except SystemExit as stop:  # a project that cannot be read (its error is on stderr): the document still ends
            codes.append(stop.code if isinstance(stop.code, int) else 2)
            raise
        finally:
            if several is not None:
                click.echo(several.tail(max(codes)))
        sys.exit(max(codes))


@contextmanager
def _collector_for_a_run():
    """The cyclic collector off for one run, then back as it was. The analysis builds
    millions of objects and no reference cycle (a whole run on 19,813 files leaves none;
    a snapshot is freed without the collector, see ``tests/support.py``), so every
    collection is work for nothing: with Python's default thresholds it took ~28% of a
    run; collecting young objects only (200,000 allocations between collections, as mypy
    does) still took 2.1 of 24 s at 19,813 files and 0.13 of 1.2 s in a commit hook
    there, each collection scanning the 200,000 objects just read back from the cache."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Ui:
    """How the fix command talks: the flags that change the output, not the fixes."""

    quiet: bool = False
    statistics: bool = False
    show_fixes: bool = False
    exit_zero: bool = False
    cache: Path | bool = True  # False: --no-cache; a path: --cache-dir


def _project_name(group: discovery.ProjectRef) -> str:
    if group.tsconfig is None or group.tsconfig == group.root / "tsconfig.json":
        return str(group.root)
    return str(group.tsconfig)


def _shown_name(group: discovery.ProjectRef) -> str:
    """``_project_name`` as paths are shown: relative to the current folder when below it."""
    name = _project_name(group)
    rel = os.path.relpath(name)
    return name if rel == ".." or rel.startswith("../") else rel


def _group_by_root(paths: list[Path], opts: dict) -> dict[discovery.ProjectRef, list[Path]]:
    """Paths by project (pre-commit passes a monorepo's staged files in one call; a
    monorepo's folder holds one tsconfig project per package; a solution-style tsconfig
    names its projects in ``references``); with an explicit root, one group."""
    if opts["root"]:
        return {discovery.ProjectRef(Path(opts["root"]), None, False): paths}
    groups: dict[discovery.ProjectRef, list[Path]] = {}
    for p in paths:
        try:
            for ref, sub in discovery.projects(p):
                groups.setdefault(ref, []).append(sub)
        except discovery.InputError as exc:
            _fail(str(exc))
    return groups


def _fix_project(group: discovery.ProjectRef, paths: list[Path], opts: dict, mode: Mode, fmt: str, color: str,
                 debug: bool, several: bool = False, ui: _Ui = _Ui(), document: formats.Several | None = None) -> int:
    """Analyse the project ``group`` (found once, by ``_group_by_root``), fix, write
    (--apply) and print; the exit code. ``document``: the JSON or SARIF document of
    several projects that this one's part goes into."""
    root = group.root
    _kept_to_the_end()  # the project before's objects go now, not with the end of the process
    if mode is Mode.APPLY:
        _lock_root(root)
    try:
        ws = discovery.load(paths, root=root, exclude=tuple(opts["exclude"]), include=tuple(opts["include"]),
                            tsconfig=group.tsconfig, nested=group.nested, earlier=group.earlier)
    except discovery.InputError as exc:
        _fail(str(exc))
    except Exception as exc:  # a bug in discovery or tsconfig reading: one line, exit 2
        _fail(f"internal error: {type(exc).__name__}: {exc}; nothing was written", debug)
    ws = scope.with_barrels_above(ws)
    if several:
        if not ws.targets and not ws.outside_program:
            return EXIT_OK  # a monorepo root holding no file of its own
        _say(ui, f"schemafix: project {_project_name(group)}")
    for warning in ws.warnings:
        _say(ui, f"schemafix: warning: {warning}")
    if not ws.targets and ws.outside_program and any(p.is_dir() for p in paths):
        config = ws.config.path or root / "tsconfig.json"
        message = (f"{', '.join(map(str, paths))}: {ws.outside_program} TypeScript file(s), none of them in the "
                   f"program of {config} (its files / include / exclude); nothing was checked")
        if not several:
            _fail(message)
        _say(ui, f"schemafix: warning: {message}")
        return EXIT_OK
    if not ws.targets and ws.outside_program:  # files named one by one (a commit hook's): a warning
        config = ws.config.path or root / "tsconfig.json"
        _say(ui, f"schemafix: warning: {', '.join(map(str, paths))}: not in the program of {config} (its files / "
                 "include / exclude); not checked")
    elif not ws.targets:
        _say(ui, f"schemafix: warning: no TypeScript files found under {', '.join(map(str, paths))}")
    if ws.targets and ws.config.path is None:
        _say(ui, f"schemafix: warning: {root}: no tsconfig.json; path aliases are not resolved")
    options = {}
    for key, opt in all_options().items():
        value = opts[key]
        options[key] = tuple(_root_relative(ws.root, Path(v), key) for v in value) if opt.paths else value
    settings = Settings(select=_codes(tuple(opts["select"])) or None, ignore=_codes(tuple(opts["ignore"])),
                        unsafe=opts["unsafe"], options=options)
    progress = Progress(sys.stderr, enabled=fmt == "text" and not ui.quiet)
    store, slot, key, facts = _cache_for(ws, settings, ui)
    try:
        outcome = store.load(slot, key, ws.sources, ws.surroundings.disk) if store is not None else None
        if outcome is None:
            outcome = engine.run(ws.root, ws.sources, config=ws.config, targets=ws.targets, settings=settings,
                                 opaque=ws.opaque, project=ws.project(progress, facts), named=ws.named,
                                 rules=_with_progress(engine.all_rules(), settings, progress))
            if store is not None:
                store.store(slot, key, outcome, ws.surroundings.disk.answers, ws.sources)
                facts.save(prune=cache.is_cache_folder(store.path))
    except engine.InternalError as exc:
        _fail(f"internal error: {exc}; nothing was written", debug)
    except RecursionError:
        _fail("internal error: input nested too deeply; nothing was written", debug)
    except Exception as exc:  # a bug: one line (--debug shows the traceback), never a half-written tree
        _fail(f"internal error: {type(exc).__name__}: {exc}; nothing was written", debug)
    finally:
        progress.close()
    _kept_to_the_end(ws, outcome, facts)  # the outcome holds the last snapshot
    outcome.problems[:0] = ws.problems
    if not settings.enabled(PARSE_ERROR):
        outcome.problems = [p for p in outcome.problems if p.severity is not Severity.INFO]
    show, diff_show = shown_path(ws.root), diff_path(ws.root)
    report = Report(outcome, mode, show=show, diff_show=diff_show)
    interrupted = False
    if mode is Mode.APPLY:
        written, held, interrupted = _write(ws, outcome)
        context = click.get_current_context(silent=True)
        if context is not None:  # what a later Ctrl-C reports as written (``_FixCommand.invoke``)
            context.meta.setdefault(_WRITTEN, []).extend(map(show, written))
        report = Report(outcome.held_back(held), mode, written,
                        [Problem(rel, why) for rel, why in sorted(held.items()) if why != writeback.INTERRUPTED],
                        show=show, diff_show=diff_show)
        if interrupted:
            left = [show(rel) for rel, why in sorted(held.items()) if why == writeback.INTERRUPTED]
            click.echo(f"schemafix: interrupted; written: {', '.join(map(show, written)) or 'none'}; "
                       f"not written: {', '.join(left)}", err=True)
            return EXIT_INTERRUPTED

    if document is not None:
        _echo_pieces(document.project(report, _shown_name(group)), end="")
    elif fmt == "json":
        _echo_pieces(formats.json_pieces(report))
    elif fmt == "sarif":
        _echo_pieces(formats.sarif_pieces(report))
    elif fmt == "github":
        for line in formats.github_lines(report):
            click.echo(line)
        click.echo(report.summary(), err=True)
    else:
        if mode is Mode.DIFF:
            diff = project_diff(outcome.original, outcome.final, diff_show)
            if diff:
                # click strips ANSI codes when the stream is not a terminal unless told otherwise.
                use = _use_colour(color, sys.stdout)
                click.echo(colourise(diff) if use else diff, nl=False, color=use)
        colour = _use_colour(color, sys.stderr)
        if ui.statistics:
            lines = statistics(report, {r.code: r.name for r in all_rules()})
        else:
            lines = text_lines(report, colour=colour, show_fixes=ui.show_fixes)
        if lines and not ui.quiet:  # one write: 19,254 diagnostics echoed one by one took ~0.1 s
            click.echo("\n".join(lines), err=True, color=colour)
        click.echo(report.summary(), err=True)
    return report.exit_code


def _cache_for(ws: discovery.Workspace, settings: Settings, ui: _Ui):
    """The cache to read and write for this run (None: off), its slot, the run's key,
    and the per-file facts kept in the same folder (None: off)."""
    where = cache.folder(ws.root, ui.cache if isinstance(ui.cache, Path) else None) if ui.cache else None
    if where is None or not ws.targets or ws.hashes.keys() != ws.sources.keys():
        return None, "", "", None
    rules = [r for r in engine.all_rules() if settings.enabled(r.code)]
    try:
        code = cache.code_identity()
        key = cache.run_key(code=code, root=ws.root, config=ws.config, hashes=ws.hashes,
                            targets=ws.targets, named=ws.named, opaque=ws.opaque, surroundings=ws.surroundings,
                            settings=settings, rules=rules)
        slot = cache.slot_name(ws.root, ws.config.path, settings, ws.targets)
    except (TypeError, ValueError, OSError):  # an input the key cannot hold: run without the cache
        return None, "", "", None
    return cache.RunCache(where), slot, key, FactsCache(where, cache.digest(code))


def _say(ui: _Ui, message: str) -> None:
    """A line on stderr that --quiet leaves out (warnings, project names)."""
    if not ui.quiet:
        click.echo(message, err=True)


def _write(ws: discovery.Workspace, outcome) -> tuple[list[str], dict[str, str], bool]:
    """--apply's writes. Ctrl-C stops them between files (never inside a file, nor
    inside a fix spanning several files); (written, held, interrupted)."""
    hits: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: hits.append(1))
    except ValueError:  # not the main thread: Ctrl-C cannot arrive here anyway
        previous = None
    try:
        written, held = writeback.write_back(ws, outcome, stop=lambda: bool(hits))
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return written, held, bool(hits)


def _with_progress(rules: list, settings: Settings, progress: Progress) -> list:
    """The rules, each reporting to the progress bar when it runs: "pass N" and the rule."""
    enabled = [r for r in rules if settings.enabled(r.code)]
    passes = [0]

    def wrap(i: int, r):
        def check(ctx):
            if i == 0:
                passes[0] += 1
            progress.stage(f"pass {passes[0]}", i, len(enabled), f"rules ({r.code} {r.name})")
            return list(r.check(ctx))

        return replace(r, check=check)

    return [wrap(i, r) for i, r in enumerate(enabled)]


def _options(cli_values: dict, start: Path, config_file: Path | None) -> dict:
    try:
        merged, _path = config_mod.effective(cli_values, start, config_file)
    except config_mod.ConfigError as exc:
        _fail(str(exc))
    return {key: value.value for key, value in merged.items()}


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file to read instead of the one found from PATH.")
def config_command(path: Path | None, config_file: Path | None) -> None:
    """Print the project root detected for PATH, the effective configuration and where
    each value came from."""
    path = path or Path(".")
    if not os.path.lexists(path):
        _fail(f"{path}: no such file or folder")
    try:
        merged, found = config_mod.effective({}, path, config_file)
    except config_mod.ConfigError as exc:
        _fail(str(exc))
    if merged["root"].value:
        click.echo(f"# project root: {merged['root'].value}  (root, from {merged['root'].source})")
    else:
        try:
            refs = discovery.projects(path)
        except discovery.InputError as exc:
            _fail(str(exc))
        for ref in dict.fromkeys(ref for ref, _ in refs):
            click.echo(f"# project root: {_project_name(ref)}  (detected: nearest tsconfig.json, package.json "
                       f"or git root)")
    click.echo(f"# config file: {found if found else '(none found)'}")
    for key, value in merged.items():
        click.echo(f"{key} = {json.dumps(value.value)}  # {value.source}")


def _root_relative(root: Path, path: Path, key: str) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        _fail(f"--{key} {path}: outside the project root {root}")


def _lock_root(root: Path) -> None:
    """Hold the project's apply lock until this command ends (click closes the resource
    on any exit, sys.exit included), so concurrent ``--apply`` runs take turns: the second
    one analyses the tree the first one wrote."""
    notice = f"schemafix: waiting for another schemafix --apply on {root} to finish"
    try:
        click.get_current_context().with_resource(
            locking.apply_lock(root, on_wait=lambda: click.echo(notice, err=True)))
    except discovery.InputError as exc:
        _fail(str(exc))


@main.command("clean")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def clean_command(path: Path | None) -> None:
    """Empty the cache folders (.schemafix_cache) at and below PATH (default: the current
    folder), and the one SCHEMAFIX_CACHE_DIR names. Only schemafix's files are removed."""
    folders = cache.clean(path or Path("."))
    named = os.environ.get(cache.ENV_DIR)
    if named and cache.is_cache_folder(Path(named)) and Path(named).resolve() not in {f.resolve() for f in folders}:
        folders += cache.clean(Path(named))
    for folder in folders:
        click.echo(f"removed {folder}")
    if not folders:
        click.echo("no cache folder found", err=True)


@main.command("rules")
def rules_command() -> None:
    """List every rule with its code, whether its fix is safe, and what it does."""
    for r in all_rules():
        fix = str(r.fix) if r.fix is not None else "report-only"
        click.echo(f"{r.code}  {r.name:<28} {fix:<12} {r.summary}")


@main.command("exports")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path), help="Project root (default: found from PATH).")
def exports_command(path: Path | None, root: Path | None) -> None:
    """Print the export map of the project containing PATH as JSON."""
    project = _project(path or Path("."), root)
    click.echo(json.dumps(project.exports.as_json(), indent=2, sort_keys=False))


@main.command("explain")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path), help="Project root (default: found from FILE).")
def explain_command(file: Path, root: Path | None) -> None:
    """List each import of FILE and where it resolves."""
    if not file.is_file():
        _fail(f"{file}: not a file")
    project = _project(file, root)
    rel = file.resolve().relative_to(project.root).as_posix()
    source = project.files.get(rel)
    if source is None:
        _fail(f"{file}: not a TypeScript source of the project at {project.root}")
    show = shown_path(project.root)
    for site in source.facts.imports:
        res = project.resolver.resolve(rel, site.specifier)
        package = package_name(site.specifier) if res.status == EXTERNAL else None
        if package:
            where = f"package {package}"  # one word for what it is, then what it names
        elif res.status == FILE:
            where = show(res.path)
        else:
            where = res.status + (f" {show(res.path)}" if res.path else "")
        via = f" (via {res.alias})" if res.alias else ""
        click.echo(f"{show(rel)}:{site.line}: {site.kind} {site.specifier!r} -> {where}{via}")
        for entry in site.entries:
            if entry.imported == "*":
                continue
            if res.status == EXTERNAL:
                found = "from the package" if package else "outside the project"
            elif res.ok:
                binding = project.exports.names(res.path).get(entry.imported)
                origin = binding and (show(binding.origin) if binding.origin in project.files else binding.origin)
                found = f"defined in {origin}" if binding else "NOT EXPORTED"
            else:
                definers = sorted(project.exports.definers.get(entry.imported, ()))
                found = "defined in " + ", ".join(map(show, definers)) if definers else "exported by no module"
            click.echo(f"    {entry.imported}: {found}")


def _project(path: Path, root: Path | None) -> Project:
    try:
        ws = discovery.load([path], root=root)
    except discovery.InputError as exc:
        _fail(str(exc))
    for p in ws.problems:
        click.echo(f"{p.path}: {p.message}", err=True)
    return ws.project()


@main.command("rename")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--style", type=click.Choice(["kebab", "camel", "snake"]),
              help="Rename every file under PATHS to this style (default: only the files SF010 reports).")
@click.option("--apply", "do_apply", is_flag=True, help="Rename (git mv in a git work tree) and rewrite the imports.")
@click.option("--force", is_flag=True, help="Go ahead even when files involved have uncommitted changes.")
@click.option("--root", type=click.Path(path_type=Path), help="Project root.")
def rename_command(paths, style, do_apply, force, root) -> None:
    """Rename misnamed files and rewrite every import, barrel line and tsconfig entry naming them."""
    from . import rename

    sys.exit(rename.main(list(paths), style=style, apply=do_apply, force=force, root=root))


_TO_THE_END: list | None = None  # what a run built, while ``entry`` ends the process (None: freed)


def _kept_to_the_end(*values) -> None:
    """Under ``entry``, keep ``values`` until the process ends: freeing what a run built,
    object by object, took 0.05-0.1 s of a commit hook at 19,813 files, for nothing.
    Called with none as a project's run starts: a run over a monorepo's packages frees
    each package's before the next one is analysed (its peak memory stays that of one)."""
    if _TO_THE_END is not None:
        _TO_THE_END[:] = [values] if values else []


def entry() -> None:
    """The ``schemafix`` command: ``main``, then the process ends at once, its output
    flushed, leaving what the run built for the OS to take back (as mypy ends); the
    cycle collector stays off to the end (switched back on, its first collection would
    scan all of it). In-process callers, the tests among them, call ``main``."""
    global _TO_THE_END
    _TO_THE_END = []
    gc.disable()
    try:
        main()
    except SystemExit as exc:  # click's standalone mode always ends in one
        code = exc.code
    else:
        code = None
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what SystemExit does with a message
        code = 1
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the process was started with that descriptor closed
                stream.flush()
    except (OSError, ValueError):  # a closed pipe (`schemafix | head`): Python's own way out
        sys.exit(code)
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    entry()
