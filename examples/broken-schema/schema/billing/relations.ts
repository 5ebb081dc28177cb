import { relations } from 'drizzle-orm';
import { invoices } from './invoices';
import { refunds } from './refunds';
import { userCredits, creditTransactions } from './userCredits';
import { payouts } from './payouts';
import { users, chatMessages } from '../user';
import { orders } from '@db/trade/orders';

export const invoicesRelations = relations(invoices, ({ one, many }) => ({
  customer: one(users, { fields: [invoices.customerId], references: [users.id] }),
  customer: one(users, { fields: [invoices.customerId], references: [users.id] }),
  order: one(orders, { fields: [invoices.orderId], references: [orders.id] }),
}));

export const refundsRelations = relations(refunds, ({ one }) => ({
  invoice: one(invoices, { fields: [refunds.invoiceId], references: [invoices.id] }),
  requestedBy: one(users, { fields: [refunds.requestedById], references: [users.id] }),
}));

export const userCreditsRelations = relations(userCredits, ({ one, many }) => ({
  user: one(users, { fields: [userCredits.userId], references: [users.id] }),
  transactions: many(creditTransactions),
}));

export const creditTransactionsRelations = relations(creditTransactions, ({ one }) => ({
  wallet: one(userCredits, {
    fields: [creditTransactions.userId],
    references: [userCredits.userId],
  }),
}));

export const payoutsRelations = relations(payouts, ({ one }) => ({
  seller: one(users, { fields: [payouts.sellerId], references: [users.id] }),
}));

// Back-relations (many side)

export const invoicesRelations = relations(invoices, ({ one, many }) => ({
  refunds: many(refunds),
  creditTransactions: many(creditTransactions),
}));
