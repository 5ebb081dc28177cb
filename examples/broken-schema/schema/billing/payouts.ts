import { char, integer, pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { users } from '../user/users';
import { payoutStatuses } from './payout_statuses';

export const payouts = pgTable('payouts', {
  id: uuid('id').primaryKey().defaultRandom(),
  sellerId: uuid('seller_id')
    .notNull()
    .references(() => users.id),
  amountCents: integer('amount_cents').notNull(),
  currency: char('currency', { length: 3 }).notNull().default('EUR'),
  ibanLast4: char('iban_last4', { length: 4 }).notNull(),
  status: varchar('status', { length: 16, enum: payoutStatuses })
    .notNull()
    .default('requested'),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});
