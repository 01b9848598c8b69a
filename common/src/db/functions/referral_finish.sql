-- A pending referral whose friend has finished onboarding (docs/referral-rules.md,
-- "When the rewards arrive"): scored, then completed with both rewards
-- (exactly once: the ledger's unique key), or held for review. A friend who
-- deleted an account before (is_erased_email) is never rewarded again: the
-- referral is rejected. The caller holds both users' row locks.
CREATE OR REPLACE FUNCTION referral_finish(
  p_referred_id text, p_reward_referrer integer, p_reward_referred integer, p_fraud jsonb
) RETURNS referral_status LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referrer_id text;
  v_score integer;
  v_signals text[];
BEGIN
  SELECT r.referrer_id INTO v_referrer_id FROM referral r
    WHERE r.referred_id = p_referred_id AND r.status::text = 'pending'
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF (SELECT is_erased_email(u.email) FROM "user" u WHERE u.id = p_referred_id) THEN
    UPDATE referral r SET status = 'rejected', decided_at = now(),
        status_reason = 'Not credited: this person already had an account that was deleted.'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.rejected', p_referred_id);
    RETURN 'rejected';
  END IF;
  SELECT s.score, s.signals INTO v_score, v_signals FROM referral_score(v_referrer_id, p_referred_id, p_fraud) s;
  IF v_score >= (p_fraud ->> 'threshold')::integer THEN
    UPDATE referral r SET status = 'held', risk_score = v_score, signals = v_signals,
        status_reason = 'Under review: we check some referrals by hand before the rewards are added.'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.held', p_referred_id);
    RETURN 'held';
  END IF;
  UPDATE referral r SET risk_score = v_score, signals = v_signals WHERE r.referred_id = p_referred_id;
  PERFORM referral_complete(p_referred_id, v_referrer_id, p_reward_referrer, p_reward_referred);
  RETURN 'completed';
END;
$$;
