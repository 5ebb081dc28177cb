import { index, integer, pgTable, primaryKey, serial, uuid, varchar } from 'drizzle-orm/pg-core';
import { listings } from './listings';

export const tags = pgTable('tags', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 60 }).notNull().unique(),
  label: varchar('label', { length: 80 }).notNull(),
});

export const listingTags = pgTable(
  'listing_tags',
  {
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.listingId, table.tagId] }),
    index('listing_tags_tag_idx').on(table.tagId),
  ],
);
