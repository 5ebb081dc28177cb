"""Property test (issue 16): ``schemafix rename`` on projects whose file names mix
kebab-, camel- and snake-case across folders.

Each generated project is a ``src/schema/<domain>/`` tree with domain barrels and a
schema barrel, a ``src/lib/`` folder and ``src/app.ts``; files name each other through
relative specifiers (with no extension, ``.js`` or ``.ts``), the ``@db/*`` alias, an exact
alias (``@promo``, whose tsconfig entry names the file), folder imports, ``export *``,
named re-exports, side-effect imports, dynamic ``import()`` and ``mock('./x')`` strings;
comments and strings that merely mention a file name are decoys. Every specifier is
generated from the file it names, so the expected text after any renaming is known
independently of the codemod.

After ``schemafix rename --apply`` (SF010's outliers, or ``--style kebab|camel|snake``),
in a git repository or not:

1. every specifier that resolved before resolves after, to the renamed counterpart of
   the same module (``Project.build`` + the resolver, before and after);
2. every file's text is exactly the generated text with the specifiers (and tsconfig
   entries) naming the new files, in their own form (extension and alias kept); nothing
   else changed, and only file names' stems changed, to the same words;
3. a second ``rename`` renames nothing;
4. no two files end up with one name: a plan that would collide is refused, naming the
   files, and the disk is left as it was.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from test_property import _CHOSEN, COMMON, fixed_seed

from codemod import cli, rename
from rewriters._naming import STYLES, renamed, restyle, settled_outliers, split_name, styles_of, words

pytestmark = pytest.mark.slow

PROFILE = settings(max_examples=600 if _CHOSEN == "schemafix-long" else 40, **COMMON)

WORDS = ["user", "credit", "refund", "item", "promo", "audit", "order", "offer", "token", "payout", "review", "tag",
         "oauth2", "v2"]
DOMAINS = ["billing", "catalog", "social", "admin"]
TSCONFIG = """{{
  "compilerOptions": {{ "strict": true, "module": "esnext", "moduleResolution": "bundler", "noEmit": true,
    "allowImportingTsExtensions": true,
    "paths": {{ "@db/*": ["./src/schema/*"]{promo} }} }},
  "include": ["src"]
}}
"""


def module(path: str) -> str:
    for ext in (".ts", ".tsx"):
        if path.endswith(ext):
            return path[:-len(ext)]
    return path


@dataclass(frozen=True)
class Ref:
    """A string naming ``target``: ``rel`` (relative to the file it is in), ``alias``
    (``@db/...``), ``folder`` (a relative folder import of ``target``, an index file) or
    ``root`` (relative to the root, as in a tsconfig). ``ext`` is the specifier's."""
    target: str
    form: str
    ext: str = ""

    def render(self, where: str, names: dict[str, str]) -> str:
        new = names.get(self.target, self.target)
        if self.form == "folder":
            spec = posixpath.relpath(posixpath.dirname(new), posixpath.dirname(where))
            spec = spec if spec.startswith(".") else "./" + spec
            return spec + ("/index" + self.ext if self.ext else "")
        if self.form == "root":
            return "./" + (new if self.ext else module(new))
        if self.form == "alias":
            return "@db/" + posixpath.relpath(module(new), "src/schema") + self.ext
        spec = posixpath.relpath(module(new), posixpath.dirname(where))
        return (spec if spec.startswith(".") else "./" + spec) + self.ext


@dataclass
class Generated:
    files: dict[str, list] = field(default_factory=dict)  # path -> chunks (str | Ref)
    modules: list[str] = field(default_factory=list)  # files others may import
    exports: dict[str, str] = field(default_factory=dict)  # path -> the name it exports

    def render(self, names: dict[str, str] | None = None) -> dict[str, str]:
        """The files' text, each at its new name with every Ref naming the new files."""
        names = names or {}
        out = {}
        for path, chunks in self.files.items():
            new = names.get(path, path)
            out[new] = "".join(c if isinstance(c, str) else c.render(new, names) for c in chunks)
        return out


def _stem(draw, style: str) -> str:
    ws = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=3, unique=True))
    return restyle("-".join(ws), style)


@st.composite
def projects(draw) -> Generated:
    g = Generated()
    domains = draw(st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=3, unique=True))
    folders = [f"src/schema/{d}" for d in domains] + ["src/lib", "scripts"]  # scripts: named by tsconfig include
    counter = iter(range(1000))
    for folder in folders:
        usual = draw(st.sampled_from(STYLES))
        seen: list[tuple[str, ...]] = []
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(["multi"] * 10 + ["one", "pascal", "twin", "test"]))
            style = usual if draw(st.integers(0, 9)) < 7 else draw(st.sampled_from(STYLES))
            if kind == "twin" and seen:  # the same words as a sibling, in another style: they may collide
                stem = restyle("-".join(draw(st.sampled_from(seen))), draw(st.sampled_from(STYLES)))
            elif kind == "one":
                stem = draw(st.sampled_from(WORDS)) + "s"
            elif kind == "pascal":
                stem = "".join(w.capitalize() for w in draw(st.lists(st.sampled_from(WORDS), min_size=2,
                                                                       max_size=2, unique=True)))
            else:
                stem = _stem(draw, style)
            seen.append(tuple(words(stem)))
            path = f"{folder}/{stem}{'.test.ts' if kind == 'test' else '.tsx' if kind == 'pascal' else '.ts'}"
            if path in g.files or any(module(path) == module(p) for p in g.files):
                continue  # the same file twice: not two files
            g.files[path] = []
            if kind != "test":
                g.modules.append(path)
                g.exports[path] = f"v{next(counter)}"
    for domain in domains:  # domain barrels: export * from each module of the domain
        barrel = f"src/schema/{domain}/index.ts"
        g.files[barrel] = [x for m in g.modules if m.startswith(f"src/schema/{domain}/")
                           for x in ("export * from '", Ref(m, "rel", draw(st.sampled_from(["", ".js"]))), "';\n")]
    g.files["src/schema/index.ts"] = [x for d in domains for x in
                                      ("export * from '", Ref(f"src/schema/{d}/index.ts", "folder",
                                                             draw(st.sampled_from(["", ".js"]))), "';\n")]
    g.files["src/app.ts"] = []
    promo = None
    if draw(st.booleans()):
        promo = draw(st.sampled_from(g.modules))
        g.files["src/app.ts"] += [f"import {{ {g.exports[promo]} as promo }} from '@promo';\n"]
    for path, chunks in list(g.files.items()):
        if path.endswith("index.ts"):
            continue
        chunks.insert(0, f"// {posixpath.basename(path)}: see also '{split_name(posixpath.basename(path))[0]}'\n")
        for i in range(draw(st.integers(0, 4)) if g.modules else 0):
            target = draw(st.sampled_from(g.modules))
            if target == path:
                continue
            forms = ["rel"] + (["alias"] if target.startswith("src/schema/") else [])
            exts = ["", ".js", ".ts" if target.endswith(".ts") else ".jsx"]  # `./X.ts` does not find X.tsx
            ref = Ref(target, draw(st.sampled_from(forms)), draw(st.sampled_from(exts)))
            name = g.exports[target]
            how = draw(st.sampled_from(["import", "type", "side", "star", "named", "dynamic", "mock"]))
            if how == "mock":
                ref = Ref(target, "rel", ref.ext)
            q = draw(st.sampled_from(["'", '"', "`"] if how in ("dynamic", "mock") else ["'", '"']))
            chunks += {
                "import": [f"import {{ {name} as i{i} }} from {q}", ref, f"{q};\n"],
                "type": [f"import type {{ {name} as t{i} }} from {q}", ref, f"{q};\n"],
                "side": [f"import {q}", ref, f"{q};\n"],
                "star": [f"export * from {q}", ref, f"{q};\n"],
                "named": [f"export {{ {name} as r{i} }} from {q}", ref, f"{q};\n"],
                "dynamic": [f"export const lazy{i} = () => import({q}", ref, f"{q});\n"],
                "mock": [f"mock({q}", ref, f"{q});\n"],
            }[how]
        if path in g.exports:
            chunks.append(f"export const {g.exports[path]} = '{module(posixpath.basename(path))}';\n")
    promo_entry = [] if promo is None else [', "@promo": ["', Ref(promo, "root", draw(st.sampled_from(["", ".ts"]))),
                                            '"]']
    head, _, tail = TSCONFIG.format(promo="\0").partition("\0")
    scripts = [x for p in g.files if p.startswith("scripts/") for x in (', "', Ref(p, "root", ".ts"), '"')]
    head_, _, tail = tail.partition('"src"')
    g.files["tsconfig.json"] = [head, *promo_entry, head_, '"src"', *scripts, tail]
    if g.modules and draw(st.booleans()):  # a root file outside the tsconfig naming a schema file by path
        g.files["drizzle.config.ts"] = ["export default { schema: '", Ref(draw(st.sampled_from(g.modules)), "root",
                                                                        draw(st.sampled_from(["", ".ts"]))), "' };\n"]
    return g


# --- checks --------------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def on_disk(root: Path) -> dict[str, str]:
    out = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = Path(folder, name)
            out[path.relative_to(root).as_posix()] = path.read_text()
    return out


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def expected_names(paths: list[str], style: str | None) -> dict[str, str]:
    sources = [p for p in paths if p.endswith((".ts", ".tsx")) and not p.endswith(".d.ts")]
    if style is None:
        return {o.path: o.new_path for o in settled_outliers(sources)}
    return {p: renamed(p, style) for p in sources if renamed(p, style) != p}


def resolutions(root: Path) -> dict[str, list[tuple[str, str | None]]]:
    """Every import site of every file: (specifier, the file it resolves to or None)."""
    _, project = rename.load([root], root)
    out = {}
    for path, file in project.files.items():
        out[path] = []
        for site in file.facts.imports:
            res = project.resolver.resolve(path, site.specifier)
            out[path].append((site.specifier, res.path if res.ok else None))
    return out


def run(*args: str):
    return CliRunner().invoke(cli.main, ["rename", *args])


@fixed_seed(20260716)
@PROFILE
@given(projects(), st.sampled_from([None, *STYLES]), st.booleans())
def test_rename_keeps_every_import_resolving_to_the_same_module(tmp_path_factory, generated, style, in_git):
    root = tmp_path_factory.mktemp("rename")
    before = generated.render()
    write(root, before)
    if in_git:
        git(root, "init", "-q")
        git(root, "add", ".")
        git(root, "commit", "-qm", "init")
    names = expected_names(list(before), style)
    note(f"style={style} git={in_git} renames={names}")
    old_sites = resolutions(root)
    for path, sites in old_sites.items():  # the generator's specifiers all resolve
        assert all(found is not None for _, found in sites), (path, sites)

    style_args = ["--style", style] if style else []
    result = run(*style_args, "--apply", str(root))
    note(result.output)

    # 4. Two files that would get one module name: refused, naming both; nothing touched.
    by_module: dict[str, list[str]] = {}
    for path in before:
        by_module.setdefault(module(names.get(path, path)), []).append(path)
    collisions = {m: ps for m, ps in by_module.items() if len(ps) > 1}
    event("collision refused" if collisions else f"{len(names) and 'renamed' or 'nothing to rename'}")
    if collisions:
        assert result.exit_code == 1, result.output
        refusals = [line for line in result.output.splitlines() if "refused" in line]
        for paths in collisions.values():
            assert all(any(p in line for line in refusals) for p in paths), (paths, result.output)
        assert on_disk(root) == before
        return
    assert result.exit_code == 0, result.output

    # Only stems change, to the same words, into the style asked for.
    for old, new in names.items():
        (folder, name), (new_folder, new_name) = posixpath.split(old), posixpath.split(new)
        (stem, rest), (new_stem, new_rest) = split_name(name), split_name(new_name)
        assert (folder, rest, words(stem)) == (new_folder, new_rest, words(new_stem))
        if style is not None:
            assert style in styles_of(new_stem)

    # 2. The text is the generated text naming the new files; nothing else changed.
    after = on_disk(root)
    assert after == generated.render(names)
    if in_git:
        status = git(root, "status", "--porcelain").splitlines()
        for old, new in names.items():
            assert any(line.startswith("R") and line.endswith(f"{old} -> {new}") for line in status), status

    # 1. Every specifier resolves to the renamed counterpart of the module it found before.
    new_sites = resolutions(root)
    assert set(new_sites) == {names.get(p, p) for p in old_sites}
    for path, sites in old_sites.items():
        now = new_sites[names.get(path, path)]
        assert len(now) == len(sites), (path, sites, now)
        for (spec, found), (new_spec, new_found) in zip(sites, now):
            assert new_found == names.get(found, found), (path, spec, found, new_spec, new_found)

    # 3. A second rename has nothing to do.
    again = run(*style_args, str(root))
    assert again.exit_code == 0 and "Nothing to rename" in again.output, again.output
    assert json.loads(after["tsconfig.json"])  # still JSON
