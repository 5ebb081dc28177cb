import { relations } from 'drizzle-orm';
import { categories } from './categories';
import { tags } from './tags';
import { listings, listingPhotos, listingTags, users } from './listings';
import { offers } from '../trade/offers';
import { conversations } from '../messaging/conversations';

export const categoriesRelations = relations(categories, ({ one, many }) => ({
  parent: one(categories, {
    fields: [categories.parentId],
    references: [categories.id],
    relationName: 'category_tree',
  }),
  children: many(categories, { relationName: 'category_tree' }),
  listings: many(listings),
}));

export const tagsRelations = relations(tags, ({ many }) => ({
  listingTags: many(listingTags),
}));

export const listingTagsRelations = relations(listingTags, ({ one }) => ({
  listing: one(listings, { fields: [listingTags.listingId], references: [listings.id] }),
  tag: one(tags, { fields: [listingTags.tagId], references: [tags.id] }),
}));

export const listingsRelations = relations(listings, ({ one, many }) => ({
  seller: one(users, { fields: [listings.sellerId], references: [users.id] }),
  category: one(categories, { fields: [listings.categoryId], references: [categories.id] }),
  photos: many(listingPhotos),
  tags: many(listingTags),
  offers: many(offers),
  conversations: many(conversations),
}));

export const listingPhotosRelations = relations(listingPhotos, ({ one }) => ({
  listing: one(listings, { fields: [listingPhotos.listingId], references: [listings.id] }),
}));
