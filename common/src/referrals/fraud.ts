import {
  ADDRESS_HISTORY_DAYS,
  FRAUD_SCORE_THRESHOLD,
  FRAUD_SIGNAL_WEIGHTS,
  FRAUD_VELOCITY_MAX_REFERRALS,
  FRAUD_VELOCITY_WINDOW_MINUTES,
  type FraudSignal,
} from '../constants';

/** The fraud rules as the database functions take them (`p_fraud` of referral_score, common/src/db/functions). */
export const FRAUD_CONFIG = JSON.stringify({
  threshold: FRAUD_SCORE_THRESHOLD,
  weights: FRAUD_SIGNAL_WEIGHTS,
  velocityWindowMinutes: FRAUD_VELOCITY_WINDOW_MINUTES,
  velocityMaxReferrals: FRAUD_VELOCITY_MAX_REFERRALS,
  addressHistoryDays: ADDRESS_HISTORY_DAYS,
});

/** Each signal in plain words, for operators. */
export const FRAUD_SIGNAL_DESCRIPTIONS: Record<FraudSignal, string> = {
  email_match: "The friend's e-mail address is the referrer's own (ignoring case, +tags and Gmail dots).",
  disposable_domain: "The friend's e-mail address is from a throwaway e-mail service (or one of its subdomains).",
  same_ip: `The friend used a network address the referrer used in the last ${ADDRESS_HISTORY_DAYS} days (signing up, signing in, or opening a landing page).`,
  same_network: `The friend used the same network as the referrer in the last ${ADDRESS_HISTORY_DAYS} days (the same /24 for IPv4, /64 for IPv6), not the same address.`,
  same_user_agent: 'Both accounts used the same browser.',
  velocity: `The referral is one of more than ${FRAUD_VELOCITY_MAX_REFERRALS} the referrer received within ${FRAUD_VELOCITY_WINDOW_MINUTES} minutes.`,
  missing_address: "No network address is known for the friend's sign-up.",
  missing_user_agent: "The friend's browser sent no user agent.",
};
