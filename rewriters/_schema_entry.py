"""Which module the app hands to drizzle as its schema.

The schema barrel is what ``drizzle(client, { schema })`` receives, so that is the
evidence used, strongest first:

1. the file or folder a drizzle config in the project (``drizzle.config.ts``,
   ``drizzle.<name>.config.ts``, any of their extensions; else a ``drizzle.config.*`` in
   the root folder that the sources leave out) names as ``schema``
   (``defineConfig({ schema: './src/db/schema' })``; a folder means its index file; a
   path into the tsconfig's ``outDir`` means the source emitted there);
2. a namespace import handed to ``drizzle(…)``: ``import * as schema from './schema'``
   then ``drizzle(client, { schema })`` (also ``schema: schema``, ``{ ...schema }``;
   drizzle imported under another name, or called as ``pg.drizzle(…)`` of a namespace
   import of a drizzle-orm driver).

``schema_modules`` returns the project paths named that way, or an empty list when
nothing in the project says (the caller then falls back to the layout).

The drizzle configs are read here only: ``drizzle_configs(project)`` lists them,
``config_strings(file)`` gives every string one holds, each with whether it is (in)
the value of its ``schema`` key. SF011 takes the globs among them as entry points.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from typing import Iterator

from tree_sitter import Node

from codemod.facts import IMPORT
from codemod.parsing import string_value, walk
from codemod.project import Project, SourceFile, carry_between_runs, decode_by_file, encode_by_file, read_by_file, strings

from . import _disk

# a file name: drizzle.config.ts, drizzle.<name>.config.ts, drizzle.config.<name>.ts
DRIZZLE_CONFIG = re.compile(r"^drizzle(\.[\w-]+)?\.config(\.[\w-]+)?\.[mc]?[jt]s$")


def schema_modules(project: Project) -> list[str]:
    """The modules drizzle receives as its schema, by the evidence above (sorted; once
    per snapshot; do not mutate the list)."""
    def compute() -> list[str]:
        found: set[str] = set().union(*(modules for _, modules in _configured_by_config(project)))
        return sorted(found) if found else handed_to_drizzle(project)
    return project.memo(("drizzle-schema-modules",), compute)


def configs_naming_schema(project: Project) -> list[SourceFile]:
    """The drizzle configs whose ``schema`` names modules of the project: where
    ``schema_modules`` found them (before any ``drizzle()`` call)."""
    return [file for file, modules in _configured_by_config(project) if modules]


def _configured_by_config(project: Project) -> list[tuple[SourceFile, set[str]]]:
    """Each drizzle config with the modules its ``schema`` names (once per snapshot)."""
    return project.memo(("drizzle-configured",),
                        lambda: [(file, _configured(project, file)) for file in drizzle_configs(project)])


def handed_to_drizzle(project: Project) -> list[str]:
    """The modules a ``drizzle(…, { schema })`` call of the project receives (sorted; do
    not mutate): what relational queries see, where a config names what drizzle-kit reads
    (relations are no business of drizzle-kit's)."""
    def compute() -> list[str]:
        handed = project.memo(_HANDED, lambda: read_by_file(project, _HANDED, _schema_specifiers_of))
        out = set()
        for path, specifiers in handed.items():
            for spec in specifiers or ():
                if spec.startswith(_DEFAULT):
                    module = _module(project, path, spec[len(_DEFAULT):])
                    out.update(_default_spreads(project, module) if module is not None else ())
                elif (module := _module(project, path, spec)) is not None:
                    out.add(module)
        return sorted(out)
    return project.memo(("drizzle-handed-modules",), compute)


# A schema handed to drizzle() as a module's default export, in ``_schema_specifiers``
# (no specifier starts so: a colon is no package name's, and a relative path starts with `.`)
_DEFAULT = "default:"


def _default_spreads(project: Project, module: str) -> tuple[str, ...]:
    """The modules whose namespaces the default export of ``module`` spreads into one object
    (`const schema = { ...users, ...posts }; export default schema`, or `export default {
    ...users }`), when it holds nothing else; () otherwise."""
    def compute() -> tuple[str, ...]:
        file = project.files.get(module)
        if file is None or file.has_error or b"default" not in file.data:
            return ()
        namespaces = _namespace_imports(file)
        spreads = None
        for stmt in file.tree.root_node.named_children:
            value = stmt.child_by_field_name("value") if stmt.type == "export_statement" else None
            if value is None or not any(c.type == "default" for c in stmt.children):
                continue
            if value.type == "identifier":
                spreads = _spread_namespaces(file, namespaces).get(value.text.decode())
            elif value.type == "object":
                spreads = _object_spreads(value, namespaces)
        return tuple(sorted({m for n in spreads or () if (m := _module(project, module, namespaces[n])) is not None}))
    return project.memo(("drizzle-default-schema", module), compute)


def _namespace_imports(file: SourceFile) -> dict[str, str]:
    """``import * as name from 'spec'`` lines of ``file``: name -> spec."""
    return {e.local: site.specifier for site in file.facts.imports if site.kind == IMPORT
            for e in site.entries if e.imported == "*" and e.local}


def _object_spreads(value: Node, namespaces: dict[str, str]) -> tuple[str, ...] | None:
    """The namespaces object literal ``value`` spreads, when it holds nothing else."""
    spreads = [n.text.decode() for m in value.named_children if m.type == "spread_element"
               for n in m.named_children if n.type == "identifier"]
    members = [m for m in value.named_children if m.type != "comment"]
    return tuple(spreads) if spreads and len(spreads) == len(members) and all(n in namespaces for n in spreads) \
        else None


# Each file's ``_schema_specifiers``, by path: a fact of the file alone, carried from pass
# to pass and kept between runs, so that a commit hook reads the summaries of the files
# an edit may affect, not of every file (0.03 s at 19,813).
_HANDED = ("drizzle-schema-specifiers",)
carry_between_runs(_HANDED[0], encode_by_file, lambda kept: decode_by_file(kept, strings))


# The config names drizzle-kit looks for by default, read from the project's root folder
# when the sources leave them out (a tsconfig `include: ["src"]` does).
_ROOT_CONFIGS = tuple(f"drizzle.config.{e}" for e in ("ts", "mts", "cts", "js", "mjs", "cjs"))


def drizzle_configs(project: Project) -> list[SourceFile]:
    """The project's drizzle config files, in path order; then, when no source is one,
    the one in the root folder outside the sources (read from the disk, never edited)."""
    found = [project.files[path] for path in sorted(
        p for p in project.files if "drizzle" in p and DRIZZLE_CONFIG.match(posixpath.basename(p)))]
    return found or project.memo(("drizzle-configs-beside",), lambda: _configs_beside(project))


def _configs_beside(project: Project) -> list[SourceFile]:
    for name in _ROOT_CONFIGS:
        if not _disk.is_file(project, name):  # an existing one is in ``project.opaque``: not read
            continue
        data = _disk.disk(project).read(name)
        if data is not None:
            return [SourceFile(name, data, None, None)]  # its tree parsed when read
    return []


def config_strings(file: SourceFile) -> Iterator[tuple[str, bool]]:
    """Every string literal of a drizzle config, in order, with whether it is the value
    of a ``schema`` key or a string in the array that is."""
    for node, pair in _strings(file):
        yield string_value(node), pair is not None


def _strings(file: SourceFile) -> Iterator[tuple[Node, Node | None]]:
    """Every string literal of a drizzle config, with the ``schema`` pair whose value it is
    (or a string in the array that is), else None."""
    for node in walk(file.tree.root_node):
        if node.type != "string":
            continue
        parent = node.parent
        if parent is not None and parent.type == "array":
            parent = parent.parent
        schema = (parent is not None and parent.type == "pair" and _key(parent) == "schema"
                  and _is_value(parent, node))
        yield node, parent if schema else None


def schema_filter(file: SourceFile) -> frozenset[str] | None:
    """The database schemas a drizzle config's ``schemaFilter`` names (``'public'`` or
    ``['public']``): drizzle-kit's generate and push leave tables in any other schema
    alone. None when the config has none, one not written as string literals or an empty
    list, or when which one holds is not certain: two of them in the file (the last key
    of an object wins; a base object spread into the config), or a spread after it
    (``...shared`` may bring its own)."""
    pairs = [node for node in walk(file.tree.root_node)
             if node.type == "pair" and _key(node) == "schemaFilter" and not _nested(node)]
    if len(pairs) != 1 or any(n.type == "spread_element" and n.start_byte > pairs[0].start_byte
                              for n in pairs[0].parent.named_children):
        return None
    value = pairs[0].child_by_field_name("value")
    items = [value] if value is not None and value.type == "string" else \
        [c for c in value.named_children if c.type != "comment"] if value is not None and value.type == "array" \
        else None
    if not items or any(item.type != "string" for item in items):
        return None
    return frozenset(string_value(item) for item in items)


def glob_matches(path: str, pattern: str) -> bool:
    """Does root-relative ``path`` match a config's root-relative glob ``pattern`` (``**/``
    also matching no folder at all; ``{a,b}`` expanded)?"""
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, p.replace("**/", "")) for p in _braces(pattern))


def schema_paths(file: SourceFile) -> list[tuple[str, int, int]]:
    """The paths (not globs) a drizzle config names as its ``schema``: (path as written,
    the string literal's span, quotes included)."""
    return [(spec, node.start_byte, node.end_byte) for node, pair in _strings(file)
            if pair is not None and not _nested(pair) and (spec := string_value(node)) and not is_glob(spec)]


_GLOB = re.compile(r"[*?\[{]")


def is_glob(spec: str) -> bool:
    """Does drizzle-kit read ``spec`` as a pattern (it globs every entry: ``*``, ``?``,
    ``[ab]``, ``{a,b}``)?"""
    return _GLOB.search(spec) is not None


def _braces(pattern: str) -> list[str]:
    """``pattern`` with each ``{a,b}`` expanded (``src/{a,b}.ts`` -> two patterns)."""
    open_, close = pattern.find("{"), pattern.find("}")
    if open_ < 0 or close < open_:
        return [pattern]
    head, body, tail = pattern[:open_], pattern[open_ + 1:close], pattern[close + 1:]
    return [p for option in body.split(",") for p in _braces(head + option + tail)]


def _nested(pair: Node) -> bool:
    """Is ``pair`` inside an object that is itself a property's value (``migrations: {
    schema: 'public' }``, a database schema's name), not the config's own object?"""
    obj = pair.parent
    holder = obj.parent if obj is not None else None
    while holder is not None and holder.type in ("parenthesized_expression", "satisfies_expression", "as_expression"):
        holder = holder.parent
    return holder is not None and holder.type in ("pair", "array")


def configured_module(project: Project, file: SourceFile, spec: str) -> str | None:
    """The module a config's schema path ``spec`` names (or the source emitted there)."""
    return _module(project, file.path, relative(spec)) or _emitted_from(project, file, spec)


def relative(spec: str) -> str:
    """A config path as a relative specifier (`src/db` -> `./src/db`)."""
    return spec if spec.startswith(".") else "./" + spec


def schema_globs(file: SourceFile) -> list[str]:
    """The globs a drizzle config names as its ``schema``, root-relative."""
    base = posixpath.dirname(file.path)
    return [posixpath.normpath(posixpath.join(base, spec)) for spec, schema in config_strings(file)
            if schema and is_glob(spec)]


def _is_value(pair: Node, node: Node) -> bool:
    """Is ``node`` the value of ``pair``, or a string in the array that is?"""
    value = pair.child_by_field_name("value")
    return value is not None and (value.id == node.id or (value.type == "array" and node.parent.id == value.id))


def _configured(project: Project, file: SourceFile) -> set[str]:
    out = set()
    for spec, schema in config_strings(file):
        if not schema or is_glob(spec):
            continue  # a glob names every file, not a barrel
        folder = _folder_named(project, file, spec)
        if folder is not None:
            out |= folder
            continue
        target = configured_module(project, file, spec)
        if target is not None:
            out.add(target)
    return out


def _folder_named(project: Project, file: SourceFile, spec: str) -> set[str] | None:
    """The modules drizzle-kit reads for a config path without an extension that names a
    folder: it globs the path as written, so `./src/db/schema` is the folder (its files),
    even beside a `schema.ts` that an import of the same path would resolve to (a T3 app's
    `pgTableCreator` module): the folder's index, when it has one, else its files. None
    when the path names no folder."""
    if posixpath.splitext(spec.rstrip("/"))[1]:
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(file.path), spec))
    if base not in project.resolver.folders:
        return None
    index = _module(project, file.path, relative(spec).rstrip("/") + "/")
    if index is not None:
        return {index}
    return {p for p in project.files if posixpath.dirname(p) == base}


def _emitted_from(project: Project, file: SourceFile, spec: str) -> str | None:
    """The source a config's path into the tsconfig's ``outDir`` was emitted from
    (``./build/src/db/index.js`` for src/db/index.ts): below ``rootDir`` when the tsconfig
    sets one, else below the root or ``src/`` (the sources' common folder, as tsc takes)."""
    out = _disk.out_dir(project)
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(file.path), spec))
    if out is None or not rel.startswith(out + "/"):
        return None
    tail = rel[len(out) + 1:]
    root_dir = _disk.root_dir(project)
    bases = [root_dir] if root_dir is not None else [".", "src"]
    for base in bases:
        source = posixpath.normpath(posixpath.join(base, tail))
        if source.startswith("../"):
            continue
        target = _module(project, file.path, "./" + posixpath.relpath(source, posixpath.dirname(file.path) or "."))
        if target is not None:
            return target
    return None


def _schema_specifiers_of(file: SourceFile) -> tuple[str, ...]:
    return file.summary(("drizzle-schema-handed",), lambda: _schema_specifiers(file))


def _schema_specifiers(file: SourceFile) -> tuple[str, ...]:
    """The specifiers of the namespaces ``file`` hands to ``drizzle()`` as its schema (a
    fact of the file alone: a summary, kept with its facts)."""
    if b"drizzle" not in file.data:
        return ()
    namespaces = _namespace_imports(file)
    # `import schema from './schema'`: the module's default export is the schema (an object
    # spreading namespaces there, read by ``_default_spreads``)
    defaults = {e.local: _DEFAULT + site.specifier for site in file.facts.imports if site.kind == IMPORT
                and not site.type_only for e in site.entries if e.imported == "default" and e.local}
    if not namespaces and not defaults:
        return ()
    # drizzle() under any local name (`import { drizzle as connect }`), or through a
    # namespace of a drizzle-orm driver (`pg.drizzle(…)`)
    from_drizzle = [site for site in file.facts.imports if site.kind == IMPORT
                    and (site.specifier == "drizzle-orm" or site.specifier.startswith("drizzle-orm/"))]
    callees = {"drizzle"} | {e.local for site in from_drizzle for e in site.entries
                             if e.imported == "drizzle" and e.local}
    drivers = {e.local for site in from_drizzle for e in site.entries if e.imported == "*" and e.local}
    out: set[str] = set()
    for node in walk(file.tree.root_node):
        if node.type != "call_expression" or not _calls_drizzle(node, callees, drivers):
            continue
        for obj in walk(node.child_by_field_name("arguments")):
            if obj.type != "object":
                continue
            for member in obj.named_children:
                name = None
                if member.type == "shorthand_property_identifier" and member.text.decode() == "schema":
                    name = "schema"
                elif member.type == "pair" and _key(member) == "schema":
                    value = member.child_by_field_name("value")
                    if value is not None and value.type == "identifier":
                        name = value.text.decode()
                    elif value is not None and value.type == "object":
                        out |= {spec for spread in value.named_children if spread.type == "spread_element"
                                for n in spread.named_children if n.type == "identifier"
                                and (spec := namespaces.get(n.text.decode())) is not None}
                if name is not None and name in namespaces:
                    out.add(namespaces[name])
                elif name is not None and name in defaults:
                    out.add(defaults[name])
                elif name is not None:
                    out |= {namespaces[n] for n in _spread_namespaces(file, namespaces).get(name, ())}
    return tuple(sorted(out))


def _spread_namespaces(file: SourceFile, namespaces: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Top-level ``const schema = { ...usersSchema, ...postsSchema }`` of ``file``: each
    name with the namespace imports its object spreads, when it holds nothing else (a
    table given by name besides would be a schema this reading cannot tell whole)."""
    out: dict[str, tuple[str, ...]] = {}
    for stmt in file.tree.root_node.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None or decl.type != "lexical_declaration":
            continue
        for d in decl.named_children:
            value = d.child_by_field_name("value") if d.type == "variable_declarator" else None
            name = d.child_by_field_name("name") if value is not None else None
            if value is None or value.type != "object" or name is None or name.type != "identifier":
                continue
            spreads = _object_spreads(value, namespaces)
            if spreads is not None:
                out[name.text.decode()] = spreads
    return out


def _calls_drizzle(call: Node, callees: set[str], drivers: set[str]) -> bool:
    """Does ``call`` call drizzle(): one of the ``callees`` names, or ``drizzle`` of one of
    the ``drivers`` namespaces?"""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "identifier":
        return fn.text.decode() in callees
    if fn.type == "member_expression":
        obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
        return (obj is not None and obj.type == "identifier" and obj.text.decode() in drivers
                and prop is not None and prop.text.decode() == "drizzle")
    return False


def _module(project: Project, importer: str, spec: str) -> str | None:
    res = project.resolver.resolve(importer, spec)
    return res.path if res.ok else None


def _key(pair: Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "string":
        return string_value(key)
    return key.text.decode() if key.type == "property_identifier" else None
