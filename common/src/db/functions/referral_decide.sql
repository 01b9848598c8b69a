-- An operator's decision on one referral, audited (docs/reviewing-referrals.md,
-- "What each decision does"):
--   approve  held -> completed, both rewards (exactly once);
--   reject   pending or held -> rejected, no rewards;
--   revoke   completed -> rejected, both rewards clawed back (exactly once).
-- result_code: 'ok'; 'not_found' (no such referral), 'wrong_status' (already
-- decided, or not in a state the action applies to), 'own_referral' (the
-- operator is the referrer or the friend): nothing changed.
CREATE OR REPLACE FUNCTION referral_decide(
  p_referred_id text,
  p_action text,
  p_actor_id text,
  p_actor_email text,
  p_reason text
) RETURNS TABLE (result_code text, result_status referral_status, result_event json)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referral referral%ROWTYPE;
  v_to referral_status;
  v_amount integer;
  v_user text;
BEGIN
  PERFORM referral_lock_people(p_referred_id, NULL);
  SELECT * INTO v_referral FROM referral r WHERE r.referred_id = p_referred_id FOR UPDATE;
  IF NOT FOUND THEN
    result_code := 'not_found'; RETURN NEXT; RETURN;
  END IF;
  result_status := v_referral.status;
  -- Nobody decides their own referral, as the referrer or as the friend.
  IF p_actor_id IS NOT NULL AND p_actor_id IN (v_referral.referrer_id, v_referral.referred_id) THEN
    result_code := 'own_referral'; RETURN NEXT; RETURN;
  END IF;

  IF p_action = 'approve' AND v_referral.status::text = 'held' THEN
    v_to := 'completed';
    UPDATE referral r SET decided_at = now(), status_reason = NULL WHERE r.referred_id = p_referred_id;
    PERFORM referral_complete(p_referred_id);
  ELSIF p_action = 'reject' AND v_referral.status::text IN ('pending', 'held') THEN
    v_to := 'rejected';
    UPDATE referral r SET status = v_to, decided_at = now(),
        status_reason = 'rejected_after_review'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.rejected', p_referred_id);
  ELSIF p_action = 'revoke' AND v_referral.status::text = 'completed' THEN
    v_to := 'rejected';
    UPDATE referral r SET status = v_to, decided_at = now(),
        status_reason = 'revoked_after_review'
      WHERE r.referred_id = p_referred_id;
    -- Take back exactly what this referral granted each of the two.
    FOR v_user, v_amount IN
      SELECT g.user_id, sum(g.amount)::integer FROM quota_grant g
        WHERE g.referral_id = p_referred_id AND g.reason IN ('referral_referrer', 'referral_referred')
        GROUP BY g.user_id
    LOOP
      PERFORM quota_grant_apply(v_user, -v_amount, 'clawback', p_referred_id, p_reason, v_referral.program_version);
    END LOOP;
    PERFORM webhook_enqueue('referral.rejected', p_referred_id);
  ELSE
    result_code := 'wrong_status'; RETURN NEXT; RETURN;
  END IF;

  INSERT INTO referral_decision (referral_id, referrer_id, action, from_status, to_status, actor_id, actor_email, reason)
    VALUES (p_referred_id, v_referral.referrer_id, p_action, v_referral.status, v_to, p_actor_id, p_actor_email, p_reason);
  result_status := v_to;
  result_event := referral_event(v_referral.referrer_id, p_referred_id);
  result_code := 'ok';
  RETURN NEXT;
END;
$$;
