import { relations } from 'drizzle-orm';
import { offers, orders } from './offers';
import { shipments } from './shipments';
import { users } from '../user/users';
import { userAddresses } from '../user/profiles';
import { listings } from '@db/catalog/listings';
import { invoices } from '../billing/invoices';

export const ordersRelations = relations(orders, ({ one }) => ({
  listing: one(listings, { fields: [orders.listingId], references: [listings.id] }),
  buyer: one(users, { fields: [orders.buyerId], references: [users.id] }),
  buyer: one(users, { fields: [orders.buyerId], references: [users.id] }),
  seller: one(users, { fields: [orders.sellerId], references: [users.id] }),
  offer: one(offers, { fields: [orders.offerId], references: [offers.id] }),
  shippingAddress: one(userAddresses, {
    fields: [orders.shippingAddressId],
    references: [userAddresses.id],
  }),
}));

export const shipmentsRelations = relations(shipments, ({ one }) => ({
  order: one(orders, { fields: [shipments.orderId], references: [orders.id] }),
}));

export const offersRelations = relations(offers, ({ one }) => ({
  listing: one(listings, { fields: [offers.listingId], references: [listings.id] }),
  buyer: one(users, { fields: [offers.buyerId], references: [users.id] }),
}));

// Back-relations (many side)

export const ordersRelations = relations(orders, ({ many }) => ({
  shipments: many(shipments),
  invoices: many(invoices),
}));
