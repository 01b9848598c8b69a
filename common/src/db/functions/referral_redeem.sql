CREATE OR REPLACE FUNCTION referral_redeem(
  p_user_id text,
  p_code text,
  p_max_referrals integer,
  p_window_days integer,
  p_reward_referrer integer,
  p_reward_referred integer,
  p_fraud jsonb
) RETURNS TABLE (
  result_code text,
  result_status referral_status,
  result_quota integer,
  result_referrer_name text,
  result_event json
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_user "user"%ROWTYPE;
  v_referrer "user"%ROWTYPE;
BEGIN
  PERFORM 1 FROM "user" u
    WHERE u.referral_code = p_code OR u.id = p_user_id
    ORDER BY u.id
    FOR NO KEY UPDATE;

  SELECT * INTO v_user FROM "user" u WHERE u.id = p_user_id;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;
  result_quota := v_user.quota;

  SELECT * INTO v_referrer FROM "user" u WHERE u.referral_code = p_code;
  IF NOT FOUND THEN
    result_code := 'code_not_found'; RETURN NEXT; RETURN;
  END IF;
  result_referrer_name := v_referrer.name;

  IF v_referrer.id = v_user.id THEN
    result_code := 'self_referral'; RETURN NEXT; RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM referral r WHERE r.referred_id = v_user.id) THEN
    result_code := 'already_referred'; RETURN NEXT; RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM referral r WHERE r.referrer_id = v_user.id AND r.referred_id = v_referrer.id) THEN
    result_code := 'referral_loop'; RETURN NEXT; RETURN;
  END IF;
  IF v_user.created_at < now() - make_interval(days => p_window_days) THEN
    result_code := 'not_eligible'; RETURN NEXT; RETURN;
  END IF;
  -- The cap: every referral of the referrer counts, except rejected ones.
  IF (SELECT count(*) FROM referral r
        WHERE r.referrer_id = v_referrer.id AND r.status::text <> 'rejected') >= p_max_referrals THEN
    result_code := 'code_exhausted'; RETURN NEXT; RETURN;
  END IF;

  INSERT INTO referral (referrer_id, referred_id, status) VALUES (v_referrer.id, v_user.id, 'pending')
    ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    result_code := 'already_referred'; RETURN NEXT; RETURN;
  END IF;
  PERFORM webhook_enqueue('referral.created', v_user.id);
  result_status := 'pending';

  -- Completed (or held) at once if the user already finished onboarding.
  IF v_user.onboarded_at IS NOT NULL THEN
    result_status := referral_finish(v_user.id, p_reward_referrer, p_reward_referred, p_fraud);
    SELECT u.quota INTO result_quota FROM "user" u WHERE u.id = v_user.id;
  END IF;

  result_event := referral_event(v_referrer.id, v_user.id);
  result_code := 'ok';
  RETURN NEXT;
END;
$$;
