"""SF013 relations-export-names: the project's naming convention for relations exports
is measured; outliers and case/plural near-duplicates are notes; `--fix-names` renames
an outlier and rewrites its importers (an unsafe fix), unless the name is taken."""

from __future__ import annotations

from codemod.model import Applicability, Severity
from rewriters.relations_export_names import _near_duplicates, pattern_of, same_but_case_or_plural

from support import check_fix, check_noop, diagnostics, run

TABLES = ["users", "posts", "comments", "tags", "likes", "follows", "groups"]


def tables_ts(names=TABLES) -> str:
    out = "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n\n"
    for t in names:
        out += f"export const {t} = pgTable('{t}', {{ id: serial('id').primaryKey() }});\n"
    return out


def relations_ts(names: dict[str, str]) -> str:
    """``names``: table -> the relations export's name."""
    out = "import { relations } from 'drizzle-orm';\n"
    out += f"import {{ {', '.join(names)} }} from './tables';\n\n"
    for table, name in names.items():
        out += f"export const {name} = relations({table}, () => ({{}}));\n"
    return out


def schema(names: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        "schema/tables.ts": tables_ts(list(names)),
        "schema/relations.ts": relations_ts(names),
        "schema/index.ts": "export * from './tables';\nexport * from './relations';\n",
        **extra,
    }


CONVENTIONAL = {t: f"{t}Relations" for t in TABLES}
ONE_OUTLIER = {**CONVENTIONAL, "groups": "groupsRels"}


def sf013(files, **options):
    return [d for d in diagnostics(files, select="SF013", **options)]


def test_pattern_of_and_near_duplicates():
    assert str(pattern_of("usersRelations", "users")) == "<table>Relations"
    assert str(pattern_of("relationsOfUsers", "users")) == "relationsOf<Table>"
    assert pattern_of("userRelations", "users") is None
    assert same_but_case_or_plural("userRelations", "usersRelations")
    assert same_but_case_or_plural("UsersRelations", "usersRelations")
    assert same_but_case_or_plural("addressRelations", "addressesRelations")
    assert not same_but_case_or_plural("postsRelations", "usersRelations")


def test_outlier_is_a_note_with_the_name_it_would_get_and_no_fix_without_the_option():
    [d] = sf013(schema(ONE_OUTLIER))
    assert d.severity is Severity.INFO
    assert d.path == "schema/relations.ts" and d.line == 10
    assert "`groupsRels` breaks the project's naming convention `<table>Relations` (6 of 7" in d.message
    assert "would be `groupsRelations`" in d.message and "--fix-names" in d.message
    assert d.fix is None
    check_noop(schema(ONE_OUTLIER), select="SF013", unsafe=True)  # reported, never fixed without --fix-names


def test_a_note_does_not_fail_the_run():
    outcome = run(schema(ONE_OUTLIER), select="SF013")
    assert [d.severity for d in outcome.remaining] == [Severity.INFO]


def test_fix_names_renames_the_outlier_and_every_importer():
    before = schema(ONE_OUTLIER, **{
        "schema/public.ts": "export { groupsRels } from './relations';\n",
        "schema/local.ts": ("import { groupsRels } from './relations';\n\n"
                            "export const all = { groupsRels };\nconsole.log(groupsRels);\n"),
        "src/aliased.ts": "import { groupsRels as g, usersRelations } from '../schema';\n\nconsole.log(g, usersRelations);\n",
        "src/namespace.ts": "import * as schema from '../schema';\n\nconsole.log(schema.groupsRels, schema.users);\n",
    })
    before["schema/relations.ts"] += "\nexport const byName = { groupsRels, other: groupsRels };\n"
    outcome = check_fix(before, {
        "schema/relations.ts": before["schema/relations.ts"].replace("groupsRels =", "groupsRelations =")
        .replace("{ groupsRels, other: groupsRels }", "{ groupsRels: groupsRelations, other: groupsRelations }"),
        "schema/public.ts": "export { groupsRelations } from './relations';\n",
        "schema/local.ts": ("import { groupsRelations } from './relations';\n\n"
                            "export const all = { groupsRels: groupsRelations };\nconsole.log(groupsRelations);\n"),
        "src/aliased.ts": ("import { groupsRelations as g, usersRelations } from '../schema';\n\n"
                           "console.log(g, usersRelations);\n"),
        "src/namespace.ts": "import * as schema from '../schema';\n\nconsole.log(schema.groupsRelations, schema.users);\n",
    }, select="SF013", fix_names=True, unsafe=True)
    [d] = outcome.fixed
    assert d.fix.applicability is Applicability.UNSAFE


def test_fix_names_without_unsafe_is_shown_but_not_applied():
    outcome = run(schema(ONE_OUTLIER), select="SF013", fix_names=True)
    assert outcome.final == outcome.original
    [d] = outcome.remaining
    assert d.fix is not None and d.fix.applicability is Applicability.UNSAFE


def test_case_and_plural_near_duplicates_are_reported_as_a_pair():
    names = {**CONVENTIONAL}
    files = schema(names)
    files["schema/legacy.ts"] = ("import { relations } from 'drizzle-orm';\nimport { users } from './tables';\n\n"
                                 "export const userRelations = relations(users, () => ({}));\n")
    [d] = sf013(files)
    assert d.path == "schema/legacy.ts" and d.severity is Severity.INFO
    assert "breaks the project's naming convention" in d.message  # `userRelations` is also an outlier
    assert "differs only by case or plural from `usersRelations` (schema/relations.ts:" in d.message
    # its name would be usersRelations, another module's relations export (SF006 would report the pair)
    assert "cannot be renamed: `usersRelations` is already the relations export of schema/relations.ts" in d.message
    check_noop(files, select="SF013", fix_names=True, unsafe=True)


def test_near_duplicates_are_reported_in_a_project_too_small_for_a_convention():
    files = {
        "schema/tables.ts": tables_ts(["users", "posts"]),
        "schema/relations.ts": relations_ts({"users": "usersRelations", "posts": "postsRelations"})
        + "export const UsersRelations = relations(users, () => ({}));\n",
    }
    [d] = sf013(files)
    assert d.message.startswith("relations export `UsersRelations` differs only by case or plural from "
                                "`usersRelations` (schema/relations.ts:4)")
    assert "convention" not in d.message


def test_healthy_schema_is_not_reported():
    assert sf013(schema(CONVENTIONAL)) == []


def test_too_small_project_measures_no_convention():
    names = {"users": "usersRelations", "posts": "postsRelations", "comments": "commentsRels", "tags": "tagsRelations"}
    assert sf013(schema(names)) == []


def test_no_convention_when_under_80_percent_follow_one_pattern():
    names = {**CONVENTIONAL, "groups": "groupsRels", "follows": "followsRels"}  # 5 of 7: 71%
    assert sf013(schema(names)) == []


def test_name_taken_in_the_module_is_reported_not_fixed():
    files = schema(ONE_OUTLIER)
    files["schema/relations.ts"] += "\nconst groupsRelations = 1;\n"
    [d] = sf013(files, fix_names=True)
    assert d.fix is None and "cannot be renamed: `groupsRelations` is already taken in schema/relations.ts" in d.message
    check_noop(files, select="SF013", fix_names=True, unsafe=True)


def test_name_taken_in_a_barrel_reaching_it_is_reported_not_fixed():
    files = schema(ONE_OUTLIER, **{"schema/extra.ts": "export const groupsRelations = 'legacy';\n"})
    files["schema/index.ts"] += "export * from './extra';\n"
    [d] = sf013(files, fix_names=True)
    assert d.fix is None
    assert "schema/index.ts, which re-exports it, already exports `groupsRelations`" in d.message
    check_noop(files, select="SF013", fix_names=True, unsafe=True)


def test_name_taken_in_an_importer_is_reported_not_fixed():
    files = schema(ONE_OUTLIER, **{
        "src/app.ts": "import { groupsRels } from '../schema';\n\nconst groupsRelations = groupsRels;\n"})
    [d] = sf013(files, fix_names=True)
    assert d.fix is None and "`groupsRelations` is already taken in src/app.ts, which imports it" in d.message


def test_aliased_importer_may_already_use_the_new_name():
    files = schema(ONE_OUTLIER, **{
        "src/app.ts": "import { groupsRels as g } from '../schema';\n\nconst groupsRelations = g;\n"})
    [d] = sf013(files, fix_names=True)
    assert d.fix is not None


def test_importer_that_cannot_be_edited_blocks_the_rename():
    files = schema(ONE_OUTLIER, **{"src/app.ts": "import { groupsRels } from '../schema';\nconsole.log(groupsRels);\n"})
    outcome = run(files, select="SF013", fix_names=True, unsafe=True,
                  targets={"schema/relations.ts", "schema/tables.ts", "schema/index.ts"})
    assert outcome.final == outcome.original  # every importer is rewritten, or nothing
    [d] = outcome.remaining
    assert d.fix is None and "cannot be renamed: src/app.ts imports it and cannot be edited" in d.message


def test_two_outliers_that_would_get_one_name_are_not_fixed():
    files = schema({**ONE_OUTLIER, "roles": "rolesRelations", "teams": "teamsRelations"})  # 8 of 10 follow it
    files["schema/more.ts"] = ("import { relations } from 'drizzle-orm';\nimport { groups } from './tables';\n\n"
                               "export const relationsForGroups = relations(groups, () => ({}));\n")
    ds = sf013(files, fix_names=True)
    assert len(ds) == 2 and all(d.fix is None for d in ds)
    assert all("would get that name too" in d.message for d in ds)


def test_an_exported_alias_that_spells_the_old_name_is_not_a_use():
    before = schema(ONE_OUTLIER, **{
        "src/app.ts": ("import { groupsRels } from '../schema';\n\nconst other = 1;\n"
                       "export { other as groupsRels };\nconsole.log(groupsRels);\n")})
    check_fix(before, {
        "schema/relations.ts": before["schema/relations.ts"].replace("groupsRels =", "groupsRelations ="),
        "src/app.ts": ("import { groupsRelations } from '../schema';\n\nconst other = 1;\n"
                       "export { other as groupsRels };\nconsole.log(groupsRelations);\n"),
    }, select="SF013", fix_names=True, unsafe=True)


def test_near_duplicates_index_finds_exactly_the_pairs_a_pairwise_scan_finds():
    """The folded-name index (linear) against the pairwise definition, on names built to
    collide: case, one `s` or `es` anywhere, the same name twice, near misses."""
    import random
    from types import SimpleNamespace

    rng = random.Random(7)
    stems = ["user", "users", "address", "addresses", "status", "bus", "class", "es", "s", "post", "Post"]
    names = [rng.choice(stems) + rng.choice(["", "s", "es", "S"]) + rng.choice(["Relations", "relations", "sRelations"])
             for _ in range(300)]
    exports = [SimpleNamespace(name=n) for n in names]
    pairwise = [(a, b) for i, a in enumerate(exports) for b in exports[i + 1:]
                if a.name != b.name and same_but_case_or_plural(a.name, b.name)]
    assert pairwise and _near_duplicates(exports) == pairwise


def test_a_default_run_plans_no_rename(monkeypatch):
    """Without ``--fix-names`` the note still says whether the outlier could be renamed,
    but no rename is planned (``plan_rename`` builds every importer's edits)."""
    import rewriters.relations_export_names as sf013_module

    def no_planning(*args, **kwargs):
        raise AssertionError("plan_rename called without --fix-names")

    taken = schema(ONE_OUTLIER)
    taken["schema/relations.ts"] += "\nconst groupsRelations = 1;\n"
    monkeypatch.setattr(sf013_module, "plan_rename", no_planning)
    [free] = sf013(schema(ONE_OUTLIER))
    [blocked] = sf013(taken)
    assert free.message.endswith("would be `groupsRelations`; `--fix-names` renames it and rewrites its importers")
    assert blocked.message.endswith(
        "would be `groupsRelations`; it cannot be renamed: `groupsRelations` is already taken in schema/relations.ts")
    assert free.fix is None and blocked.fix is None


def test_the_measures_are_kept_between_runs_for_the_same_names(tmp_path, monkeypatch):
    """The convention and the near-duplicate pairs depend on the exports' names and
    tables alone: a run whose exports are the same (an edit elsewhere) takes them from
    the facts cache; one that renames an export measures again; a kept value of another
    shape is measured again. Each reports what a run without the cache reports."""
    from pathlib import Path

    from codemod.facts_cache import FactsCache
    from codemod.project import Project
    from codemod.rules import Context
    from rewriters import relations_export_names as sf013_mod
    from support import record_calls

    files = schema(CONVENTIONAL)
    files["schema/legacy.ts"] = ("import { relations } from 'drizzle-orm';\nimport { users } from './tables';\n\n"
                                 "export const userRelations = relations(users, () => ({}));\n")

    def view(sources: dict[str, str], store) -> list:
        project = Project.build(Path("/p"), {p: t.encode() for p, t in sources.items()}, facts=store)
        got = [(d.path, d.line, d.message) for d in sf013_mod.check(Context(project))]
        if store is not None:
            store.save()
        return got

    fresh = view(files, None)
    [(_, _, message)] = fresh  # an outlier of the convention, and one of a pair
    assert "breaks the project's naming convention" in message and "differs only by case or plural" in message
    assert view(files, FactsCache(tmp_path, "code")) == fresh
    measured = record_calls(monkeypatch, sf013_mod, "_near_duplicate_indices", lambda exports: len(exports))
    edited = dict(files, **{"schema/tables.ts": files["schema/tables.ts"] + "// touched\n"})
    assert view(edited, FactsCache(tmp_path, "code")) == view(edited, None) == fresh
    assert measured == [len(CONVENTIONAL) + 1]  # the run without the cache; the cached one measured nothing
    measured.clear()
    renamed = dict(edited, **{"schema/legacy.ts": edited["schema/legacy.ts"].replace("userRelations", "UsersRelations")})
    got = view(renamed, FactsCache(tmp_path, "code"))
    assert measured == [len(CONVENTIONAL) + 1] and got == view(renamed, None) != fresh
    real = FactsCache.lasting
    with monkeypatch.context() as forged:  # a kept value of another shape: measured again, kept in its place
        forged.setattr(FactsCache, "lasting", lambda self, key: (
            (True, (("x",), ((5, 1),))) if key[0] == "sf013-measures" else real(self, key)))
        measured.clear()
        assert view(renamed, FactsCache(tmp_path, "code")) == got and len(measured) == 1
    measured.clear()
    assert view(renamed, FactsCache(tmp_path, "code")) == got and measured == []


def test_the_passes_of_a_run_measure_the_names_once(monkeypatch):
    """The next pass's snapshot takes the measures of the one it was built from when its
    exports' names and tables are the same (the key says so), with no store too (a
    `--no-cache` run); a pass whose fixes rename an export measures again."""
    from rewriters import relations_export_names as sf013_mod
    from support import record_calls

    measured = record_calls(monkeypatch, sf013_mod, "_near_duplicate_indices", lambda exports: len(exports))
    files = schema(CONVENTIONAL, **{"schema/more.ts": "import { users } from './gone';\nexport const more = users;\n"})
    outcome = run(files, select="SF001,SF013")
    assert outcome.passes == 2 and [d.code for d in outcome.fixed] == ["SF001"]
    assert measured == [len(CONVENTIONAL)]
    measured.clear()
    outcome = run(schema(ONE_OUTLIER), select="SF013", unsafe=True, fix_names=True)
    assert [d.code for d in outcome.fixed] == ["SF013"] and measured == [len(ONE_OUTLIER)] * 2


def test_fix_names_never_renames_what_a_package_entry_point_exports(tmp_path):
    """Seen in a probe (a pnpm monorepo): `userRelations` of `@acme/db`, whose
    package.json `exports` names `src/schema/index.ts`, was renamed with `--fix-names`
    while another package imported it by package name (TS2724 there). What a package's
    entry point exports is its public surface: reported, not renamed, from the package
    and from the monorepo's root."""
    from click.testing import CliRunner

    from codemod.cli import main
    from support import write_tree

    pkg = {"package.json": '{"name": "@acme/db", "exports": {".": "./src/schema/index.ts"}}', "tsconfig.json": "{}",
           **{f"src/{p}": t for p, t in schema(ONE_OUTLIER).items()}}
    root = write_tree(tmp_path / "mono", {
        "package.json": '{"private": true, "workspaces": ["packages/*"]}',
        "tsconfig.json": "{}",
        **{f"packages/db/{p}": t for p, t in pkg.items()},
        "packages/api/package.json": '{"name": "@acme/api"}',
        "packages/api/src/index.ts": "import { groupsRels } from '@acme/db';\nconsole.log(groupsRels);\n"})
    for cwd, target in ((root / "packages/db", "src"), (root, "packages")):
        result = CliRunner().invoke(main, ["--fix-names", "--unsafe", "--apply", "--no-cache", str(cwd / target)],
                                    catch_exceptions=False)
        assert "src/schema/index.ts, a package's entry point, exports it" in result.output + result.stderr, cwd
        assert "groupsRels" in (root / "packages/db/src/schema/relations.ts").read_text()
