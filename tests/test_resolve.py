"""The resolver: specifier -> project file, and file -> specifier (round-trips)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemod import tsconfig
from codemod.resolve import EXTERNAL, FILE, FOLDER, MISSING, Resolver
from codemod.tsconfig import TsConfig

ROOT = Path("/p")

FILES = [
    "src/a.ts",
    "src/b.tsx",
    "src/c.d.ts",
    "src/d/index.ts",
    "src/e.mts",
    "src/f.cts",
    "src/g.ts",
    "src/g/index.ts",
    "src/h/index.tsx",
    "src/only-folder/x.ts",
    "src/x.ts",
    "lib/x.ts",
    "lib/y.ts",
]


def resolver(config: TsConfig | None = None, files=FILES) -> Resolver:
    return Resolver(ROOT, files, config)


@pytest.mark.parametrize("specifier, status, path", [
    pytest.param("./a", FILE, "src/a.ts", id="probe-.ts"),
    pytest.param("./b", FILE, "src/b.tsx", id="probe-.tsx"),
    pytest.param("./c", FILE, "src/c.d.ts", id="probe-.d.ts"),
    pytest.param("./d", FILE, "src/d/index.ts", id="folder-index.ts"),
    pytest.param("./d/", FILE, "src/d/index.ts", id="folder-trailing-slash"),
    pytest.param("./h", FILE, "src/h/index.tsx", id="folder-index.tsx"),
    pytest.param("./g", FILE, "src/g.ts", id="file-wins-over-folder-index"),
    pytest.param("./a.ts", FILE, "src/a.ts", id="explicit-.ts"),
    pytest.param("./a.js", FILE, "src/a.ts", id=".js-to-.ts"),
    pytest.param("./b.js", FILE, "src/b.tsx", id=".js-to-.tsx"),
    pytest.param("./b.jsx", FILE, "src/b.tsx", id=".jsx-to-.tsx"),
    pytest.param("./e.mjs", FILE, "src/e.mts", id=".mjs-to-.mts"),
    pytest.param("./f.cjs", FILE, "src/f.cts", id=".cjs-to-.cts"),
    pytest.param("../src/a", FILE, "src/a.ts", id="parent-relative"),
    pytest.param("./only-folder", FOLDER, "src/only-folder", id="folder-without-index"),
    pytest.param("./nowhere", MISSING, None, id="missing"),
    pytest.param("./a.mjs", MISSING, None, id=".mjs-does-not-find-.ts"),
    pytest.param("react", EXTERNAL, None, id="bare-package"),
    pytest.param("@scope/pkg/sub", EXTERNAL, None, id="scoped-package"),
])
def test_relative_and_bare(specifier, status, path):
    res = resolver().resolve("src/i.ts", specifier)
    assert (res.status, res.path) == (status, path)
    assert res.ok is (status == FILE)


def test_bare_specifier_not_probed_without_base_url():
    # `src/a` would exist relative to the root, but without baseUrl it is a package name.
    assert resolver().resolve("src/i.ts", "src/a").status == EXTERNAL


PATHS = TsConfig(
    paths=(
        ("@/*", ("/p/missing/*", "/p/src/*")),  # several targets: first existing wins
        ("@/lib/*", ("/p/lib/*",)),  # longer prefix than "@/*"
        ("exact", ("/p/src/a.ts",)),
        ("@two/*", ("/p/lib/*", "/p/src/*")),
    ),
)


@pytest.mark.parametrize("specifier, status, path, alias", [
    pytest.param("@/a", FILE, "src/a.ts", "@/*", id="second-target-when-first-missing"),
    pytest.param("@two/x", FILE, "lib/x.ts", "@two/*", id="first-existing-target-wins"),
    pytest.param("@two/a", FILE, "src/a.ts", "@two/*", id="falls-through-to-next-target"),
    pytest.param("@/lib/x", FILE, "lib/x.ts", "@/lib/*", id="longest-prefix-pattern"),
    pytest.param("@/x", FILE, "src/x.ts", "@/*", id="shorter-pattern-otherwise"),
    pytest.param("@/d", FILE, "src/d/index.ts", "@/*", id="alias-to-folder-index"),
    pytest.param("@/a.js", FILE, "src/a.ts", "@/*", id="alias-with-.js"),
    pytest.param("@/only-folder", FOLDER, "src/only-folder", "@/*", id="alias-folder-without-index"),
    pytest.param("@/nope", MISSING, None, "@/*", id="alias-missing-keeps-pattern"),
    pytest.param("exact", FILE, "src/a.ts", "exact", id="exact-pattern"),
    pytest.param("react", EXTERNAL, None, None, id="unmatched-bare-stays-external"),
])
def test_paths(specifier, status, path, alias):
    res = resolver(PATHS).resolve("src/i.ts", specifier)
    assert (res.status, res.path, res.alias) == (status, path, alias)


def test_longest_prefix_wins_regardless_of_declaration_order():
    # "@/lib/*" listed after "@/*" (and vice versa) must win for "@/lib/y".
    for order in (PATHS.paths, tuple(reversed(PATHS.paths))):
        res = resolver(TsConfig(paths=order)).resolve("src/i.ts", "@/lib/y")
        assert (res.path, res.alias) == ("lib/y.ts", "@/lib/*")


def test_base_url():
    res = resolver(TsConfig(base_url=Path("/p/src"))).resolve("lib/x.ts", "d")
    assert (res.status, res.path, res.alias) == (FILE, "src/d/index.ts", "baseUrl")


def test_base_url_miss_is_external():
    assert resolver(TsConfig(base_url=Path("/p/src"))).resolve("lib/x.ts", "react").status == EXTERNAL


def test_paths_from_a_real_tsconfig(tmp_path):
    (tmp_path / "tsconfig.json").write_text("""{
      // aliases, as projects write them
      "compilerOptions": {
        "baseUrl": ".",
        "paths": { "@db/*": ["./gen/*", "./schema/*"], },
      },
    }""")
    config = tsconfig.load(tmp_path / "tsconfig.json")
    r = Resolver(tmp_path, ["schema/users.ts", "gen/users.ts", "schema/posts.ts"], config)
    assert r.resolve("app.ts", "@db/users").path == "gen/users.ts"
    assert r.resolve("app.ts", "@db/posts").path == "schema/posts.ts"
    assert r.resolve("app.ts", "schema/posts").alias == "baseUrl"


# --- specifier_for: file -> specifier, checked by resolving it back -----------------

@pytest.mark.parametrize("importer, target, kwargs, expected", [
    pytest.param("src/i.ts", "src/a.ts", {}, "./a", id="sibling"),
    pytest.param("src/deep/i.ts", "src/a.ts", {}, "../a", id="parent"),
    pytest.param("src/i.ts", "lib/x.ts", {}, "../lib/x", id="cousin"),
    pytest.param("src/i.ts", "src/b.tsx", {}, "./b", id="tsx"),
    pytest.param("src/i.ts", "src/c.d.ts", {}, "./c", id="d.ts"),
    pytest.param("src/i.ts", "src/a.ts", {"extension": ".js"}, "./a.js", id="js-style"),
    pytest.param("src/i.ts", "src/e.mts", {"extension": ".js"}, "./e.mjs", id="js-style-mts"),
    pytest.param("src/i.ts", "src/a.ts", {"extension": ".ts"}, "./a.ts", id="ts-style"),
    pytest.param("src/i.ts", "src/e.mts", {}, "./e.mjs", id="mts-needs-an-extension"),
    pytest.param("src/i.ts", "src/f.cts", {}, "./f.cjs", id="cts-needs-an-extension"),
    pytest.param("src/i.ts", "src/d/index.ts", {}, "./d", id="index-folder-form"),
    pytest.param("src/i.ts", "src/d/index.ts", {"extension": ".js"}, "./d/index.js", id="index-js-style"),
    pytest.param("src/i.ts", "src/g/index.ts", {}, "./g/index", id="index-when-folder-form-is-shadowed"),
    pytest.param("src/i.ts", "src/a.ts", {"alias": "@/*"}, "@/a", id="alias-style"),
    pytest.param("src/i.ts", "lib/x.ts", {"alias": "@/lib/*"}, "@/lib/x", id="alias-longer-pattern"),
    pytest.param("src/i.ts", "src/d/index.ts", {"alias": "@/*"}, "@/d", id="alias-index-folder"),
    pytest.param("src/i.ts", "lib/x.ts", {"alias": "@/*"}, "../lib/x", id="alias-not-reaching-falls-back"),
])
def test_specifier_for_round_trips(importer, target, kwargs, expected):
    r = resolver(PATHS)
    spec = r.specifier_for(importer, target, **kwargs)
    assert spec == expected
    assert r.resolve(importer, spec).path == target


def test_specifier_for_every_file_round_trips():
    r = resolver(PATHS)
    for importer in FILES:
        for target in FILES:
            for extension in ("", ".js", ".ts"):
                spec = r.specifier_for(importer, target, extension=extension)
                assert r.resolve(importer, spec).path == target, (importer, target, extension, spec)


def test_a_file_that_exists_but_was_not_read_resolves_as_opaque():
    from codemod.resolve import OPAQUE, Resolver

    r = Resolver(Path("/p"), ["a.ts"], opaque=["gen/audit.ts"])
    res = r.resolve("a.ts", "./gen/audit")
    assert (res.status, res.path, res.ok) == (OPAQUE, "gen/audit.ts", False)


@pytest.mark.parametrize(("files", "spec", "status"), [
    (["a.ts"], "./data.json", "external"),  # JSON module / asset: the bundler's business
    (["a.ts"], "./styles.module.css", "external"),
    (["a.ts", "styles.css.ts"], "./styles.css", "file"),  # vanilla-extract: `.css.ts` wins
    (["a.ts", "users.schema.ts"], "./users.schema", "file"),  # a dotted name is not an asset
    (["a.ts"], "./users.schema", "missing"),
    # a project naming its modules `<name>.sql.ts` (sst/console) or `<name>.css.ts`: a missing
    # `./usage.sql` is a missing module (tsc: TS2307), not an asset
    (["a.ts", "billing/billing.sql.ts"], "./usage.sql", "missing"),
    (["a.ts", "ui/theme.css.ts"], "./styles.css", "missing"),
    (["a.ts", "ui/Button.CSS.tsx"], "./styles.css", "missing"),
    (["a.ts", "billing.sql.ts"], "./data.json", "external"),  # other kinds stay assets
    (["a.ts", "styles.d.css.ts"], "./other.css", "external"),  # `allowArbitraryExtensions`: an asset's declaration
    (["a.ts", "styles.css.d.ts"], "./other.css", "external"),  # typed-css-modules: likewise
    (["a.ts", "sql.ts", "css/index.ts"], "./usage.sql", "external"),  # `sql.ts` is no `<name>.sql.ts`
])
def test_assets_are_not_modules_of_ours(files, spec, status):
    from codemod.resolve import Resolver

    assert Resolver(Path("/p"), files).resolve("a.ts", spec).status == status


def test_an_asset_on_disk_stays_external_where_modules_are_named_like_it():
    """vanilla-extract's `theme.css.ts` beside a real `reset.css`: the stylesheet there is an
    asset as before (through an alias, a file found on disk, as before). Only one that is
    not on disk is missing."""
    from codemod.resolve import OPAQUE, Surroundings

    config = TsConfig(paths=(("@/*", ("/p/*",)),))
    around = Surroundings(exists=lambda path: path == "reset.css")
    r = Resolver(Path("/p"), ["a.ts", "theme.css.ts"], config, surroundings=around)
    got = {spec: r.resolve("a.ts", spec).status for spec in ("./reset.css", "@/reset.css", "./gone.css", "@/gone.css")}
    assert got == {"./reset.css": EXTERNAL, "@/reset.css": OPAQUE, "./gone.css": MISSING, "@/gone.css": MISSING}


def test_module_kinds_are_read_once_per_resolver():
    r = Resolver(Path("/p"), ["a.ts", "db/billing.sql.ts"], opaque=["ui/theme.css.tsx"])
    assert r.module_kinds() == {"sql", "css"}
    assert r.module_kinds() is r.module_kinds()


def test_probing_a_plain_base_first_answers_what_trying_every_candidate_answers():
    """``_probe`` tries ``base + ".ts"`` before building the candidate list (most imports
    name a sibling without extension): the answer is the first candidate's, always."""
    from codemod import resolve as r

    files = ["a.ts", "a.tsx", "a/index.ts", "b.js.ts", "b.ts", "c.d.ts", "c.ts", "d.mts", "e/.js.ts", "f.ts.ts",
             "g.tsx", "g/index.ts", "h/index.ts", ".js.ts"]
    resolver = Resolver(Path("/p"), files, opaque=["o.ts", "o2/index.ts"])
    bases = ["a", "b", "b.js", "c", "c.d", "c.js", "d", "d.mjs", "e/", "e/.js", "f.ts", "f", "g", "h", "o", "o2",
             "missing", ".js", "a.ts", "a.tsx", "b.mjs"]

    def tried(base: str, folder_only: bool) -> r.Resolution:
        for candidate in r._candidates(base, folder_only):
            if candidate in resolver.files:
                return r.Resolution(r.FILE, candidate)
            if candidate in resolver.opaque:
                return r.Resolution(r.OPAQUE, candidate)
        return r.Resolution(r.FOLDER, base) if base in resolver.folders else r.Resolution(r.MISSING)

    for base in bases:
        for folder_only in (False, True):
            assert resolver._probe(base, folder_only) == tried(base, folder_only), (base, folder_only)
