import {
  type AnyPgColumn,
  boolean,
  integer,
  pgTable,
  serial,
  varchar,
} from 'drizzle-orm/pg-core';

export const categories = pgTable('categories', {
  id: serial('id').primaryKey(),
  parentId: integer('parent_id').references((): AnyPgColumn => categories.id, {
    onDelete: 'set null',
  }),
  slug: varchar('slug', { length: 80 }).notNull().unique(),
  name: varchar('name', { length: 120 }).notNull(),
  position: integer('position').notNull().default(0),
  isVisible: boolean('is_visible').notNull().default(true),
});
