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
import { invoiceStatusEnum, refundStatusEnum } from '../core/enums';
import { users } from '../user/users';
import { orders } from '../trade/orders';
import { chatMessages } from '../messaging/chatMessages';

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: varchar('number', { length: 32 }).notNull().unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    status: invoiceStatusEnum('status').notNull().default('draft'),
    amountCents: integer('amount_cents').notNull(),
    feeCents: integer('fee_cents').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull().default('EUR'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (table) => [index('invoices_customer_idx').on(table.customerId)],
);

export const refunds = pgTable('refunds', {
  id: uuid('id').primaryKey().defaultRandom(),
  invoiceId: uuid('invoice_id')
    .notNull()
    .references(() => invoices.id),
  requestedById: uuid('requested_by_id')
    .notNull()
    .references(() => users.id),
  requestMessageId: uuid('request_message_id').references(() => chatMessages.id, {
    onDelete: 'set null',
  }),
  amountCents: integer('amount_cents').notNull(),
  reason: text('reason').notNull(),
  status: refundStatusEnum('status').notNull().default('requested'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp('processed_at', { withTimezone: true }),
});
