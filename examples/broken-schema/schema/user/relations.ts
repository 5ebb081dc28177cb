import { relations } from 'drizzle-orm';
import { users } from './users';
import { profiles, userAddresses } from './profiles';
import { sessions, verificationTokens } from './sessions';
import { listings } from '../catalog/listings';

export const usersRelations = relations(users, ({ one, many }) => ({
  profile: one(profiles),
  addresses: many(userAddresses),
  sessions: many(sessions),
  verificationTokens: many(verificationTokens),
  listings: many(listings),
}));

export const profilesRelations = relations(profiles, ({ one }) => ({
  user: one(users, { fields: [profiles.userId], references: [users.id] }),
}));

export const userAddressesRelations = relations(userAddresses, ({ one }) => ({
  user: one(users, { fields: [userAddresses.userId], references: [users.id] }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));

export const verificationTokensRelations = relations(verificationTokens, ({ one }) => ({
  user: one(users, { fields: [verificationTokens.userId], references: [users.id] }),
}));
