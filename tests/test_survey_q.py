"""Findings of survey q (a helper's refactors simulated on public schemas, judged by tsc,
2026-12-01, session 36), each reduced to a small project written for this file."""

from __future__ import annotations

from support import git, git_repo
from test_renamed_exports import run

REL = "import { relations } from 'drizzle-orm';\n"
PORTALS = ("import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';\n"
           "export const portals = mysqlTable('portals', {\n  id: int('id').primaryKey(),\n"
           "  slug: varchar('slug', { length: 64 }),\n});\n")
SESSIONS = (REL + "import { mysqlTable, int } from 'drizzle-orm/mysql-core';\n"
            "import { portals } from './portals';\n"
            "export const portalSessions = mysqlTable('portal_sessions', {\n  id: int('id').primaryKey(),\n"
            "  portalId: int('portal_id'),\n});\n"
            "export const portalSessionsRelations = relations(portalSessions, ({ one }) => ({\n"
            "  portal: one(portals, { fields: [portalSessions.portalId], references: [portals.id] }),\n}));\n")
PORTAL_FILES = {"src/schema/portals.ts": PORTALS, "src/schema/portal_sessions.ts": SESSIONS,
                "src/schema/index.ts": "export * from './portals';\nexport * from './portal_sessions';\n"}


def _rename_portals(root, statement="export const developerPortals = mysqlTable('portals'"):
    git("mv", "src/schema/portals.ts", "src/schema/developer_portals.ts", cwd=root)
    path = root / "src/schema/developer_portals.ts"
    path.write_text(path.read_text().replace("export const portals = mysqlTable('portals'", statement))
    git("add", "-A", cwd=root)


def test_a_file_renamed_with_its_export_renamed_both_staged_is_followed(tmp_path):
    """`git mv portals.ts developer_portals.ts`, `portals` renamed `developerPortals`, and
    both staged (`git add -A`, as before a commit): git's staged rename was dropped because
    the index's new file no longer exported `portals`, so the import and the barrel line
    were reported (TS2307 stayed), though the unstaged change was followed. A name exported
    under a new name in the same declaration keeps the rename."""
    root = git_repo(tmp_path, PORTAL_FILES)
    _rename_portals(root)
    assert run(root, "--apply").exit_code in (0, 1)
    assert "import { developerPortals as portals } from './developer_portals';\n" in (
        root / "src/schema/portal_sessions.ts").read_text()
    assert (root / "src/schema/index.ts").read_text() == (
        "export * from './developer_portals';\nexport * from './portal_sessions';\n")
    assert run(root, "--check").exit_code == 0


def test_a_staged_rename_whose_declaration_changed_too_is_still_dropped(tmp_path):
    """The table's SQL name changed as well: no evidence it is the same table; the import
    is left (reported) as before."""
    root = git_repo(tmp_path, PORTAL_FILES)
    _rename_portals(root, "export const developerPortals = mysqlTable('developer_portals'")
    run(root, "--apply")
    assert "from './portals'" in (root / "src/schema/portal_sessions.ts").read_text()
