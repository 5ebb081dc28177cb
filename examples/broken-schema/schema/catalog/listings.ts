import {
  char,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { listingConditionEnum, listingStatusEnum } from '../core/enums';
import { users } from '../user/users';
import { categories } from './categories';

export const listings = pgTable(
  'listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    title: varchar('title', { length: 140 }).notNull(),
    description: text('description').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: char('currency', { length: 3 }).notNull().default('EUR'),
    condition: listingConditionEnum('condition').notNull(),
    status: listingStatusEnum('status').notNull().default('draft'),
    city: varchar('city', { length: 120 }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('listings_seller_idx').on(table.sellerId),
    index('listings_category_status_idx').on(table.categoryId, table.status),
  ],
);
