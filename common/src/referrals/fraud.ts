import {
  FRAUD_SCORE_THRESHOLD,
  FRAUD_SIGNAL_WEIGHTS,
  FRAUD_VELOCITY_MAX_REFERRALS,
  FRAUD_VELOCITY_WINDOW_MINUTES,
  type FraudSignal,
} from '../constants';

/** The fraud rules as the database functions take them (`p_fraud`, migration 0003). */
export const FRAUD_CONFIG = JSON.stringify({
  threshold: FRAUD_SCORE_THRESHOLD,
  weights: FRAUD_SIGNAL_WEIGHTS,
  velocityWindowMinutes: FRAUD_VELOCITY_WINDOW_MINUTES,
  velocityMaxReferrals: FRAUD_VELOCITY_MAX_REFERRALS,
});

/** Each signal in plain words, for operators. */
export const FRAUD_SIGNAL_DESCRIPTIONS: Record<FraudSignal, string> = {
  email_match: "The friend's e-mail address is the referrer's own (ignoring case, +tags and Gmail dots).",
  disposable_domain: "The friend's e-mail address is from a throwaway e-mail service.",
  same_ip: 'Both accounts signed up from the same network address.',
  same_user_agent: 'Both accounts signed up with the same browser.',
  velocity: `The referrer received more than ${FRAUD_VELOCITY_MAX_REFERRALS} referrals within ${FRAUD_VELOCITY_WINDOW_MINUTES} minutes.`,
};
