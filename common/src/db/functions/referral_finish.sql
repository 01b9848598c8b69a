-- A pending referral whose friend has finished onboarding (docs/referral-rules.md,
-- "When the rewards arrive"): scored, then completed with both rewards
-- (exactly once: the ledger's unique key), or held for review. A friend who
-- deleted an account before (is_erased_email) is never rewarded again: the
-- referral is rejected. The caller holds both users' row locks.
-- The score uses the program in force now (review protects the program as it
-- is today); the rewards are those of the referral's own version.
CREATE OR REPLACE FUNCTION referral_finish(p_referred_id text) RETURNS referral_status
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referrer_id text;
  v_program referral_program%ROWTYPE;
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
        status_reason = 'deleted_account'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.rejected', p_referred_id);
    RETURN 'rejected';
  END IF;
  v_program := referral_program_current();
  SELECT s.score, s.signals INTO v_score, v_signals FROM referral_score(v_referrer_id, p_referred_id, v_program) s;
  IF v_score >= v_program.fraud_threshold THEN
    UPDATE referral r SET status = 'held', risk_score = v_score, signals = v_signals,
        scored_program_version = v_program.version, status_reason = 'under_review'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.held', p_referred_id);
    RETURN 'held';
  END IF;
  UPDATE referral r SET risk_score = v_score, signals = v_signals, scored_program_version = v_program.version
    WHERE r.referred_id = p_referred_id;
  PERFORM referral_complete(p_referred_id);
  RETURN 'completed';
END;
$$;
