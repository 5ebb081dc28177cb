import { char, index, integer, pgTable, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { creditTransactionTypeEnum } from '../core/enums';
import { users } from '../user/users';
import { invoices } from './payments';

export const userCredits = pgTable('user_credits', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  balanceCents: integer('balance_cents').notNull().default(0),
  currency: char('currency', { length: 3 }).notNull().default('EUR'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const creditTransactions = pgTable(
  'credit_transactions',
  {
    id: serial('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => userCredits.userId, { onDelete: 'cascade' }),
    type: creditTransactionTypeEnum('type').notNull(),
    amountCents: integer('amount_cents').notNull(),
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('credit_transactions_user_idx').on(table.userId, table.createdAt)],
);
