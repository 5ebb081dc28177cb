import {
  char,
  index,
  integer,
  pgTable,
  serial,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { orderStatusEnum } from '../core/enums';
import { users } from '../user/users';
import { userAddresses } from '../user/profiles';
import { listings } from '@db/catalog/listings';
import { offers } from './offers';

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id),
    buyerId: uuid('buyer_id')
      .notNull()
      .references(() => users.id),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    offerId: uuid('offer_id').references(() => offers.id, { onDelete: 'set null' }),
    shippingAddressId: integer('shipping_address_id').references(() => userAddresses.id, {
      onDelete: 'set null',
    }),
    status: orderStatusEnum('status').notNull().default('pending'),
    totalCents: integer('total_cents').notNull(),
    currency: char('currency', { length: 3 }).notNull().default('EUR'),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    index('orders_buyer_idx').on(table.buyerId),
    index('orders_seller_idx').on(table.sellerId),
  ],
);

export const shipments = pgTable('shipments', {
  id: serial('id').primaryKey(),
  orderId: uuid('order_id')
    .notNull()
    .references(() => orders.id, { onDelete: 'cascade' }),
  carrier: varchar('carrier', { length: 40 }).notNull(),
  trackingNumber: varchar('tracking_number', { length: 64 }),
  shippedAt: timestamp('shipped_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
});
