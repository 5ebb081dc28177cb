"""SF011's re-export fixes: which orphan modules get one."""

from __future__ import annotations

from pathlib import Path


from support import diagnostics


def table(name: str, var: str | None = None) -> str:
    return ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
            f"export const {var or name} = pgTable('{name}', {{ id: serial('id') }});\n")


def relations(name: str, table_module: str = "users", table_name: str = "users") -> str:
    return ("import { relations } from 'drizzle-orm';\n"
            f"import {{ {table_name} }} from './{table_module}';\n"
            f"export const {name} = relations({table_name}, () => ({{}}));\n")


BARREL = "export * from './user/users';\n"


def fixes_of(found) -> dict[str, tuple[str, tuple] | None]:
    return {d.path: (d.fix.title, tuple((e.path, e.start, e.content) for e in d.fix.edits)) if d.fix else None
            for d in found if d.code == "SF011"}


def test_orphans_colliding_together_get_one_fix_each():
    """a and b bring `posts` from two modules: each alone is fine, together they are not,
    so each gets its own fix; d collides with the barrel's `users` and gets none."""
    files = {"schema/index.ts": BARREL, "schema/user/users.ts": table("users"),
             "schema/user/a.ts": table("posts"), "schema/user/b.ts": table("posts"),
             "schema/user/c.ts": table("comments"), "schema/user/d.ts": table("users")}
    found = fixes_of(diagnostics(files, select="SF011"))
    end = len(BARREL)
    assert found == {
        "schema/user/a.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/a';\n"),)),
        "schema/user/b.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/b';\n"),)),
        "schema/user/c.ts": ("Re-export 1 module from index.ts",
                             (("schema/index.ts", end, b"export * from './user/c';\n"),)),
        "schema/user/d.ts": None,
    }


def test_a_collision_in_the_barrel_above_keeps_the_module_out():
    """The module goes to the domain barrel, where it collides with nothing, but the schema
    barrel above re-exports both the domain barrel and another `tags`."""
    files = {"schema/index.ts": "export * from './user';\nexport * from './tags';\n",
             "schema/tags.ts": table("tags"),
             "schema/user/index.ts": BARREL.replace("./user/", "./"), "schema/user/users.ts": table("users"),
             "schema/user/labels.ts": table("labels", "tags"), "schema/user/posts.ts": table("posts"),
             "schema/user/posts-relations.ts": relations("postsRelations")}
    found = fixes_of(diagnostics(files, select="SF011", barrel=["schema/index.ts", "schema/user/index.ts"]))
    assert found["schema/user/labels.ts"] is None
    assert found["schema/user/posts.ts"] == found["schema/user/posts-relations.ts"]
    assert found["schema/user/posts.ts"][0] == "Re-export 2 modules from index.ts"
