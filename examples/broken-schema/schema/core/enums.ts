import { pgEnum } from 'drizzle-orm/pg-core';

export const userRoleEnum = pgEnum('user_role', ['member', 'seller', 'moderator', 'admin']);

export const listingStatusEnum = pgEnum('listing_status', [
  'draft',
  'active',
  'reserved',
  'sold',
  'archived',
]);

export const listingConditionEnum = pgEnum('listing_condition', [
  'new',
  'like_new',
  'good',
  'fair',
  'for_parts',
]);

export const orderStatusEnum = pgEnum('order_status', [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'disputed',
]);

export const invoiceStatusEnum = pgEnum('invoice_status', ['draft', 'open', 'paid', 'void']);

export const refundStatusEnum = pgEnum('refund_status', [
  'requested',
  'approved',
  'rejected',
  'processed',
]);

export const creditTransactionTypeEnum = pgEnum('credit_transaction_type', [
  'top_up',
  'purchase',
  'refund',
  'payout',
  'adjustment',
]);

export const notificationChannelEnum = pgEnum('notification_channel', ['email', 'push', 'in_app']);

export const reportReasonEnum = pgEnum('report_reason', [
  'spam',
  'scam',
  'prohibited_item',
  'harassment',
  'other',
]);
