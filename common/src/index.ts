export * from './constants';
export * from './errors';
export * from './referrals/index';
export * from './auth/ws-token';
export * from './config/auth-settings';
export * from './users/users';
export * from './protocol/messages';
export type { QuotaGrantReason, ReferralStatus } from './db/schema';
