// The states of a payout, in the order a payout goes through them.
export const payoutStatuses = ['requested', 'sent', 'failed'] as const;
