import {
  boolean,
  char,
  index,
  integer,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { users } from './users';

export const profiles = pgTable('profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  displayName: varchar('display_name', { length: 80 }).notNull(),
  bio: text('bio'),
  avatarUrl: text('avatar_url'),
  city: varchar('city', { length: 120 }),
  countryCode: char('country_code', { length: 2 }),
  ratingAverage: numeric('rating_average', { precision: 3, scale: 2 }),
  ratingCount: integer('rating_count').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const userAddresses = pgTable(
  'user_addresses',
  {
    id: serial('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: varchar('label', { length: 40 }).notNull().default('home'),
    recipientName: varchar('recipient_name', { length: 120 }).notNull(),
    line1: varchar('line1', { length: 200 }).notNull(),
    line2: varchar('line2', { length: 200 }),
    city: varchar('city', { length: 120 }).notNull(),
    postalCode: varchar('postal_code', { length: 20 }).notNull(),
    countryCode: char('country_code', { length: 2 }).notNull(),
    isDefault: boolean('is_default').notNull().default(false),
  },
  (table) => [index('user_addresses_user_idx').on(table.userId)],
);
