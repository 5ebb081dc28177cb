#!/usr/bin/env node
// Print what Drizzle actually sees in a schema barrel, as JSON on stdout:
//   {"exports": [sorted export names], "relations": {tableName: [sorted relation names]},
//    "broken": {"table.key" or "relationsExport": error message}}
// "broken" lists what drizzle would throw on: a relations() callback that throws while
// drizzle(client, { schema }) builds its config (e.g. a field naming a missing column),
// and each relation key that normalizeRelation cannot resolve (the first relational query).
//
// Usage: node tests/node/relations-dump.mjs path/to/schema/index.ts
//
// The barrel is bundled with esbuild (which follows the project's tsconfig "paths"),
// then imported, and the relations are computed with drizzle-orm's own
// extractTablesRelationalConfig. drizzle-orm is resolved from the node_modules next
// to this script, so the schema can live anywhere (e.g. a temporary copy).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const barrel = process.argv[2];
if (!barrel) {
  console.error('usage: node relations-dump.mjs <path/to/schema/index.ts>');
  process.exit(2);
}
const entry = path.resolve(barrel);
const ownNodeModules = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules');

// A virtual entry that re-exports the schema together with the two drizzle helpers,
// so the schema and the helpers share one bundled copy of drizzle-orm.
const entrySource = [
  `export * as schema from ${JSON.stringify(entry)};`,
  `export { extractTablesRelationalConfig, createTableRelationsHelpers, normalizeRelation, Relations, is } from 'drizzle-orm';`,
].join('\n');

let result;
try {
  result = await build({
    stdin: { contents: entrySource, resolveDir: path.dirname(entry), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error', // unresolved imports in a broken schema are reported on stderr
    nodePaths: [ownNodeModules],
  });
} catch {
  process.exit(1);
}

// Node cannot import from memory, so write the bundle to a temporary file first.
const dir = mkdtempSync(path.join(tmpdir(), 'relations-dump-'));
let mod;
try {
  const file = path.join(dir, 'bundle.mjs');
  writeFileSync(file, result.outputFiles[0].contents);
  mod = await import(pathToFileURL(file).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const { schema, extractTablesRelationalConfig, createTableRelationsHelpers, normalizeRelation, Relations, is } = mod;
// A relations() whose callback throws makes drizzle(client, { schema }) throw: note it
// and leave it out, so the other relations can still be checked one by one.
const broken = {};
const usable = {};
for (const [name, value] of Object.entries(schema)) {
  if (is(value, Relations)) {
    try {
      value.config(createTableRelationsHelpers(value.table));
    } catch (error) {
      broken[name] = String(error?.message ?? error);
      continue;
    }
  }
  usable[name] = value;
}
// Drizzle merges every relations() export of a table into one config, keyed by the
// table's export name; tables without relations get an empty list.
const { tables, tableNamesMap } = extractTablesRelationalConfig(usable, createTableRelationsHelpers);

const relations = {};
for (const tableName of Object.keys(tables).sort()) {
  relations[tableName] = Object.keys(tables[tableName].relations).sort();
  for (const [key, relation] of Object.entries(tables[tableName].relations)) {
    try {
      normalizeRelation(tables, tableNamesMap, relation);
    } catch (error) {
      broken[`${tableName}.${key}`] = String(error?.message ?? error);
    }
  }
}

console.log(JSON.stringify({ exports: Object.keys(schema).sort(), relations, broken }, null, 2));
