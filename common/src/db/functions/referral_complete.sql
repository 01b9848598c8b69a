-- Completes a referral with both rewards (docs/referral-rules.md, "When the
-- rewards arrive"): status completed, completed_at now, one ledger row each
-- (exactly once: quota_grant_apply's unique key), and the webhook event.
-- Called by referral_finish (a clean score) and referral_decide (approve),
-- with both users' rows locked.
CREATE OR REPLACE FUNCTION referral_complete(
  p_referred_id text, p_referrer_id text, p_reward_referrer integer, p_reward_referred integer
) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  UPDATE referral r SET status = 'completed', completed_at = now()
    WHERE r.referred_id = p_referred_id;
  PERFORM quota_grant_apply(p_referrer_id, p_reward_referrer, 'referral_referrer', p_referred_id, NULL);
  PERFORM quota_grant_apply(p_referred_id, p_reward_referred, 'referral_referred', p_referred_id, NULL);
  PERFORM webhook_enqueue('referral.completed', p_referred_id);
END;
$$;
