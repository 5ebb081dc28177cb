import { relations } from 'drizzle-orm';
import { conversations, conversationMembers } from './conversations';
import { chatMessages } from './chat-messages';
import { messageAttachments } from './messageAttachments';
import { users } from '@db/user';
import { listings } from '../catalog/listings';

export const conversationsRelations = relations(conversations, ({ one, many }) => ({
  listing: one(listings, { fields: [conversations.listingId], references: [listings.id] }),
  members: many(conversationMembers),
  messages: many(chatMessages),
}));

export const conversationMembersRelations = relations(conversationMembers, ({ one }) => ({
  conversation: one(conversations, {
    fields: [conversationMembers.conversationId],
    references: [conversations.id],
  }),
  user: one(users, { fields: [conversationMembers.userId], references: [users.id] }),
}));

export const chatMessagesRelations = relations(chatMessages, ({ one, many }) => ({
  conversation: one(conversations, {
    fields: [chatMessages.conversationId],
    references: [conversations.id],
  }),
  sender: one(users, { fields: [chatMessages.senderId], references: [users.id] }),
  attachments: many(messageAttachments),
  requestMessage: one(chatMessages, {
    fields: [chatMessages.requestMessageId],
    references: [chatMessages.id],
  }),
}));

export const messageAttachmentsRelations = relations(messageAttachments, ({ one }) => ({
  message: one(chatMessages, {
    fields: [messageAttachments.messageId],
    references: [chatMessages.id],
  }),
}));
