import { relations } from 'drizzle-orm';
import { notifications, notificationPreferences, pushSubscriptions } from './notifications';
import { users } from '@db/users';

export const notificationsRelations = relations(notifications, ({ one }) => ({
  user: one(users, { fields: [notifications.userId], references: [users.id] }),
}));

export const notificationPreferencesRelations = relations(notificationPreferences, ({ one }) => ({
  user: one(users, { fields: [notificationPreferences.userId], references: [users.id] }),
}));
