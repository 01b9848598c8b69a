-- Completes a referral with both rewards (docs/referral-rules.md, "When the
-- rewards arrive"): status completed, completed_at now, one ledger row each
-- (exactly once: quota_grant_apply's unique key), and the webhook event.
-- The rewards are those of the program version the referral was redeemed
-- under (referral.program_version), whenever it completes: what the landing
-- page promised (docs/referral-rules.md, "The program's settings").
-- Called by referral_finish (a clean score) and referral_decide (approve),
-- with both users' rows locked.
CREATE OR REPLACE FUNCTION referral_complete(p_referred_id text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referral referral%ROWTYPE;
  v_terms referral_program%ROWTYPE;
BEGIN
  UPDATE referral r SET status = 'completed', completed_at = now()
    WHERE r.referred_id = p_referred_id
    RETURNING * INTO v_referral;
  SELECT * INTO v_terms FROM referral_program p WHERE p.version = v_referral.program_version;
  PERFORM quota_grant_apply(v_referral.referrer_id, v_terms.reward_referrer, 'referral_referrer', p_referred_id, NULL, v_terms.version);
  PERFORM quota_grant_apply(p_referred_id, v_terms.reward_referred, 'referral_referred', p_referred_id, NULL, v_terms.version);
  PERFORM webhook_enqueue('referral.completed', p_referred_id);
END;
$$;
