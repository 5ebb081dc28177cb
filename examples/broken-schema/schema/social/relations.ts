import { relations } from 'drizzle-orm';
import { follows } from './follows';
import { userBlocks } from './userBlocks';
import { sellerReviews } from './sellerReviews';
import { abuseReports } from './abuseReports';
import { savedListings } from './savedListings';
import { users } from '../user/users';
import { listings } from '../catalog/listings';
import { orders } from '../trade/orders';

export const followsRelations = relations(follows, ({ one }) => ({
  follower: one(users, { fields: [follows.followerId], references: [users.id] }),
  followee: one(users, { fields: [follows.followeeId], references: [users.id] }),
}));

export const userBlocksRelations = relations(userBlocks, ({ one }) => ({
  blocker: one(users, { fields: [userBlocks.blockerId], references: [users.id] }),
  blocked: one(users, { fields: [userBlocks.blockedId], references: [users.id] }),
}));

export const sellerReviewsRelations = relations(sellerReviews, ({ one }) => ({
  order: one(orders, { fields: [sellerReviews.orderId], references: [orders.id] }),
  reviewer: one(users, { fields: [sellerReviews.reviewerId], references: [users.id] }),
  seller: one(users, { fields: [sellerReviews.sellerId], references: [users.id] }),
}));

export const abuseReportsRelations = relations(abuseReports, ({ one }) => ({
  reporter: one(users, { fields: [abuseReports.reporterId], references: [users.id] }),
  listing: one(listings, { fields: [abuseReports.listingId], references: [listings.id] }),
  reportedUser: one(users, { fields: [abuseReports.reportedUserId], references: [users.id] }),
  resolvedBy: one(users, { fields: [abuseReports.resolvedById], references: [users.id] }),
}));

export const savedListingsRelations = relations(savedListings, ({ one }) => ({
  user: one(users, { fields: [savedListings.userId], references: [users.id] }),
  listing: one(listings, { fields: [savedListings.listingId], references: [listings.id] }),
}));
