"""Tables written with a namespace import of drizzle's module (`import * as pg from
'drizzle-orm/pg-core'; pg.pgTable(...)`) are tables to every rule that reads tables
(SF007-SF009 check and fix their relations); a healthy project of them gets no edit and
no report. Judged by tsc and drizzle's relations normalisation (tests/node/relations-dump.mjs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_fix, check_noop, db_project_on_disk, diagnostics, run

from codemod.project import Project
from rewriters._tables import tables

NS_TABLES = """import * as pg from 'drizzle-orm/pg-core';

export const customers = pg.pgTable('customers', {
  id: pg.serial('id').primaryKey(),
  name: pg.text('name'),
});

export const orders = pg.pgTable('orders', {
  id: pg.serial('id').primaryKey(),
  customerId: pg.integer('customer_id').notNull().references(() => customers.id),
});
"""
NS_RELATIONS = """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ many }) => ({}));
"""
NS_INVERSE = ("relations(orders, ({ many, one }) => ({ customer: one(customers, { fields: [orders.customerId], "
              "references: [customers.id] }) }));")
NS_PROJECT = {"db/schema.ts": NS_TABLES, "db/relations.ts": NS_RELATIONS,
              "db/index.ts": "export * from './schema';\nexport * from './relations';\n"}
NS_HEALTHY = {**NS_PROJECT, "db/relations.ts": NS_RELATIONS.replace("relations(orders, ({ many }) => ({}));",
                                                                    NS_INVERSE)}


def test_tables_of_a_namespace_import_are_read():
    built = Project.build(Path("/project"), {p: t.encode() for p, t in NS_PROJECT.items()})
    found = tables(built)
    assert {k: t.columns for k, t in found.items()} == {("db/schema.ts", "customers"): ("id", "name"),
                                                        ("db/schema.ts", "orders"): ("id", "customerId")}
    assert found[("db/schema.ts", "orders")].references_to(("db/schema.ts", "customers"))


def test_a_missing_inverse_between_tables_of_a_namespace_import_is_added():
    check_fix(NS_PROJECT, {"db/relations.ts": NS_HEALTHY["db/relations.ts"]}, select="SF008")


def test_a_healthy_project_of_namespace_tables_gets_no_edit_and_no_report():
    assert diagnostics(NS_HEALTHY) == []
    check_noop(NS_HEALTHY)



# --- the compiler's and drizzle's word (runs node) -----------------------------------

_on_disk = db_project_on_disk


@pytest.mark.slow
def test_drizzle_resolves_the_inverse_added_between_namespace_tables(tmp_path):
    from support import relations_dump, tsc

    before = _on_disk(tmp_path / "a", NS_PROJECT)
    assert tsc(before) == []
    assert list(relations_dump(before / "db/index.ts")["broken"]) == ["customers.orders"]
    after = _on_disk(tmp_path / "b", {p: t.decode() for p, t in run(NS_PROJECT, select="SF008").final.items()})
    assert tsc(after) == []
    dump = relations_dump(after / "db/index.ts")
    assert dump["broken"] == {} and dump["relations"]["orders"] == ["customer"]
