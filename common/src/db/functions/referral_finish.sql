CREATE OR REPLACE FUNCTION referral_finish(
  p_referred_id text, p_reward_referrer integer, p_reward_referred integer, p_fraud jsonb
) RETURNS referral_status LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referrer_id text;
  v_score integer;
  v_signals text[];
  v_status referral_status;
BEGIN
  SELECT r.referrer_id INTO v_referrer_id FROM referral r
    WHERE r.referred_id = p_referred_id AND r.status::text = 'pending'
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT s.score, s.signals INTO v_score, v_signals FROM referral_score(v_referrer_id, p_referred_id, p_fraud) s;
  IF v_score >= (p_fraud ->> 'threshold')::integer THEN
    UPDATE referral r SET status = 'held', risk_score = v_score, signals = v_signals,
        status_reason = 'Under review: we check some referrals by hand before the rewards are added.'
      WHERE r.referred_id = p_referred_id;
    v_status := 'held';
    PERFORM webhook_enqueue('referral.held', p_referred_id);
  ELSE
    UPDATE referral r SET status = 'completed', completed_at = now(), risk_score = v_score, signals = v_signals
      WHERE r.referred_id = p_referred_id;
    PERFORM quota_grant_apply(v_referrer_id, p_reward_referrer, 'referral_referrer', p_referred_id, NULL);
    PERFORM quota_grant_apply(p_referred_id, p_reward_referred, 'referral_referred', p_referred_id, NULL);
    v_status := 'completed';
    PERFORM webhook_enqueue('referral.completed', p_referred_id);
  END IF;
  RETURN v_status;
END;
$$;
