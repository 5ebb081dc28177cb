import { integer, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { listings } from './listings';

export const listingPhotos = pgTable('listing_photos', {
  id: serial('id').primaryKey(),
  listingId: uuid('listing_id')
    .notNull()
    .references(() => listings.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  position: integer('position').notNull().default(0),
  width: integer('width'),
  height: integer('height'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
