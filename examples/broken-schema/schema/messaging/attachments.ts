import { integer, pgTable, serial, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { chatMessages } from './chatMessages';

export const messageAttachments = pgTable('message_attachments', {
  id: serial('id').primaryKey(),
  messageId: uuid('message_id')
    .notNull()
    .references(() => chatMessages.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  fileName: varchar('file_name', { length: 255 }).notNull(),
  mimeType: varchar('mime_type', { length: 100 }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
});
