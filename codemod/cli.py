"""The ``schemafix`` command.

``schemafix [PATHS]`` is a dry run (a unified diff on stdout, diagnostics and a
summary on stderr); ``--apply`` writes, ``--check`` only reports. Exit codes:
0 nothing to do (or all applied), 1 fixes pending or problems left for a human,
2 usage error, bad input that stops the run, or an internal error.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__, discovery, engine, formats, locking, scope, writeback
from . import config as config_mod
from .diff import colourise, project_diff
from .model import Problem
from .progress import Progress
from .project import Project
from .report import Mode, Report, text_lines
from .rules import Option, Settings, all_options, all_rules

EXIT_OK, EXIT_FIXABLE, EXIT_ERROR = 0, 1, 2


class _DefaultGroup(click.Group):
    """`schemafix PATHS...` runs the `fix` command; named commands still work."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["fix", *args]
        return super().parse_args(ctx, args)


def _codes(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def _use_colour(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
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
@click.option("--apply", "mode", flag_value=Mode.APPLY.value, help="Write the fixes in place (atomically).")
@click.option("--check", "mode", flag_value=Mode.CHECK.value,
              help="Write nothing, print no diff; exit 1 if anything would change.")
@click.option("--diff", "mode", flag_value=Mode.DIFF.value, default=True, help="Print a unified diff (the default).")
@click.option("--unsafe", is_flag=True, default=None, help="Also apply fixes that may change meaning.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes (comma-separated, prefixes allowed).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes.")
@click.option("--root", type=click.Path(path_type=Path), help="Project root (default: nearest tsconfig.json, package.json or git root).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out files and folders matching this .gitignore-style pattern; repeatable.")
@click.option("--include", multiple=True, metavar="GLOB", help="Only edit and report files matching this pattern; repeatable.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (default: nearest .schemafix.toml, schemafix.toml or pyproject.toml [tool.schemafix]).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True)
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def fix_command(paths, mode, unsafe, select, ignore, root, exclude, include, config_file, fmt, color, debug,
                **rule_flags):
    """Fix PATHS (default: the current folder). Dry run unless --apply."""
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
    if len(groups) > 1 and fmt in ("json", "sarif"):
        _fail(f"--format {fmt} takes one project at a time; these paths span {len(groups)} projects "
              f"({', '.join(_project_name(g) for g in groups)}): pass --root or one project's paths")
    codes = []
    for group, group_paths in groups.items():
        codes.append(_fix_project(group, group_paths, opts, mode, fmt, color, debug, several=len(groups) > 1))
    sys.exit(max(codes))


def _project_name(group: discovery.ProjectRef) -> str:
    if group.tsconfig is None or group.tsconfig == group.root / "tsconfig.json":
        return str(group.root)
    return str(group.tsconfig)


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
                 debug: bool, several: bool = False) -> int:
    """Analyse the project ``group`` (found once, by ``_group_by_root``), fix, write
    (--apply) and print; the exit code."""
    root = group.root
    if mode is Mode.APPLY:
        _lock_root(root)
    try:
        ws = discovery.load(paths, root=root, exclude=tuple(opts["exclude"]), include=tuple(opts["include"]),
                            tsconfig=group.tsconfig, nested=group.nested)
    except discovery.InputError as exc:
        _fail(str(exc))
    except Exception as exc:  # a bug in discovery or tsconfig reading: one line, exit 2
        _fail(f"internal error: {type(exc).__name__}: {exc}; nothing was written", debug)
    ws = scope.with_barrels_above(ws)
    if several:
        if not ws.targets and not ws.outside_program:
            return EXIT_OK  # a monorepo root holding no file of its own
        click.echo(f"schemafix: project {_project_name(group)}", err=True)
    for warning in ws.warnings:
        click.echo(f"schemafix: warning: {warning}", err=True)
    if not ws.targets and ws.outside_program and any(p.is_dir() for p in paths):
        config = ws.config.path or root / "tsconfig.json"
        message = (f"{', '.join(map(str, paths))}: {ws.outside_program} TypeScript file(s), none of them in the "
                   f"program of {config} (its files / include / exclude); nothing was checked")
        if not several:
            _fail(message)
        click.echo(f"schemafix: warning: {message}", err=True)
        return EXIT_OK
    if not ws.targets:
        click.echo(f"schemafix: warning: no TypeScript files found under {', '.join(map(str, paths))}", err=True)
    if ws.targets and ws.config.path is None:
        click.echo(f"schemafix: warning: {root}: no tsconfig.json; path aliases are not resolved", err=True)
    options = {}
    for key, opt in all_options().items():
        value = opts[key]
        options[key] = tuple(_root_relative(ws.root, Path(v), key) for v in value) if opt.paths else value
    settings = Settings(select=_codes(tuple(opts["select"])) or None, ignore=_codes(tuple(opts["ignore"])),
                        unsafe=opts["unsafe"], options=options)
    progress = Progress(sys.stderr, enabled=fmt == "text")
    try:
        outcome = engine.run(ws.root, ws.sources, config=ws.config, targets=ws.targets, settings=settings,
                             opaque=ws.skipped, project=analyse(ws, progress), named=ws.named)
    except engine.InternalError as exc:
        _fail(f"internal error: {exc}; nothing was written", debug)
    except RecursionError:
        _fail("internal error: input nested too deeply; nothing was written", debug)
    except Exception as exc:  # a bug: one line (--debug shows the traceback), never a half-written tree
        _fail(f"internal error: {type(exc).__name__}: {exc}; nothing was written", debug)
    finally:
        progress.close()
    outcome.problems[:0] = ws.problems
    report = Report(outcome, mode)
    if mode is Mode.APPLY:
        written, held = writeback.write_back(ws, outcome)
        report = Report(outcome.held_back(held), mode, written,
                        [Problem(rel, why) for rel, why in sorted(held.items())])

    if fmt == "json":
        click.echo(formats.json_document(report))
    elif fmt == "sarif":
        click.echo(formats.sarif_document(report, ws.root))
    elif fmt == "github":
        for line in formats.github_lines(report, ws.root):
            click.echo(line)
        click.echo(report.summary(), err=True)
    else:
        if mode is Mode.DIFF:
            diff = project_diff(outcome.original, outcome.final)
            if diff:
                # click strips ANSI codes when the stream is not a terminal unless told otherwise.
                use = _use_colour(color, sys.stdout)
                click.echo(colourise(diff) if use else diff, nl=False, color=use)
        colour = _use_colour(color, sys.stderr)
        for line in text_lines(report, colour=colour):
            click.echo(line, err=True, color=colour)
        click.echo(report.summary(), err=True)
    return report.exit_code


def _options(cli_values: dict, start: Path, config_file: Path | None) -> dict:
    try:
        merged, _path = config_mod.effective(cli_values, start, config_file)
    except config_mod.ConfigError as exc:
        _fail(str(exc))
    return {key: value.value for key, value in merged.items()}


@main.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False))
def config_command(path: Path | None, config_file: Path | None) -> None:
    """Print the effective configuration for PATH and where each value came from."""
    try:
        merged, found = config_mod.effective({}, path or Path("."), config_file)
    except config_mod.ConfigError as exc:
        _fail(str(exc))
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


@main.command("rules")
def rules_command() -> None:
    """List every rule with its code, whether its fix is safe, and what it does."""
    for r in all_rules():
        fix = str(r.fix) if r.fix is not None else "report-only"
        click.echo(f"{r.code}  {r.name:<28} {fix:<12} {r.summary}")


@main.command("exports")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path))
def exports_command(path: Path | None, root: Path | None) -> None:
    """Print the export map of the project containing PATH as JSON."""
    project = _project(path or Path("."), root)
    click.echo(json.dumps(project.exports.as_json(), indent=2, sort_keys=False))


@main.command("explain")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path))
def explain_command(file: Path, root: Path | None) -> None:
    """List each import of FILE and where it resolves."""
    if not file.is_file():
        _fail(f"{file}: not a file")
    project = _project(file, root)
    rel = file.resolve().relative_to(project.root).as_posix()
    source = project.files.get(rel)
    if source is None:
        _fail(f"{file}: not a TypeScript source of the project at {project.root}")
    for site in source.facts.imports:
        res = project.resolver.resolve(rel, site.specifier)
        where = res.path if res.path else res.status
        via = f" (via {res.alias})" if res.alias else ""
        click.echo(f"{rel}:{site.line}: {site.kind} {site.specifier!r} -> {res.status} {where}{via}")
        for entry in site.entries:
            if entry.imported == "*":
                continue
            if res.ok:
                binding = project.exports.names(res.path).get(entry.imported)
                found = f"defined in {binding.origin}" if binding else "NOT EXPORTED"
            else:
                definers = sorted(project.exports.definers.get(entry.imported, ()))
                found = "defined in " + ", ".join(definers) if definers else "exported by no module"
            click.echo(f"    {entry.imported}: {found}")


def _project(path: Path, root: Path | None) -> Project:
    try:
        ws = discovery.load([path], root=root)
    except discovery.InputError as exc:
        _fail(str(exc))
    for p in ws.problems:
        click.echo(f"{p.path}: {p.message}", err=True)
    return analyse(ws)


def analyse(ws: discovery.Workspace, progress=None) -> Project:
    """The one way every command builds the project from what discovery found: files
    that exist but were not read are opaque (imports of them resolve, any name may come
    from them), and so are files on disk outside the analysed ones (``ws.surroundings``)."""
    return Project.build(ws.root, ws.sources, ws.config, progress=progress, opaque=ws.skipped,
                         surroundings=ws.surroundings)


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


if __name__ == "__main__":  # pragma: no cover
    main()
