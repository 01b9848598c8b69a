CREATE OR REPLACE FUNCTION referral_score(p_referrer_id text, p_referred_id text, p_fraud jsonb)
RETURNS TABLE (score integer, signals text[]) LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_referrer "user"%ROWTYPE;
  v_referred "user"%ROWTYPE;
  v_weights jsonb := p_fraud -> 'weights';
BEGIN
  SELECT * INTO v_referrer FROM "user" u WHERE u.id = p_referrer_id;
  SELECT * INTO v_referred FROM "user" u WHERE u.id = p_referred_id;
  score := 0;
  signals := '{}';
  IF normalize_email(v_referrer.email) = normalize_email(v_referred.email) THEN
    signals := signals || 'email_match'::text;
  END IF;
  IF EXISTS (SELECT 1 FROM disposable_email_domain d WHERE d.domain = split_part(lower(v_referred.email), '@', 2)) THEN
    signals := signals || 'disposable_domain'::text;
  END IF;
  IF v_referred.signup_ip_hash IS NOT NULL AND v_referred.signup_ip_hash = v_referrer.signup_ip_hash THEN
    signals := signals || 'same_ip'::text;
  END IF;
  IF v_referred.signup_user_agent_hash IS NOT NULL AND v_referred.signup_user_agent_hash = v_referrer.signup_user_agent_hash THEN
    signals := signals || 'same_user_agent'::text;
  END IF;
  IF (SELECT count(*) FROM referral r
        WHERE r.referrer_id = p_referrer_id
          AND r.status::text <> 'rejected'
          AND r.created_at > now() - make_interval(mins => (p_fraud ->> 'velocityWindowMinutes')::integer))
     > (p_fraud ->> 'velocityMaxReferrals')::integer THEN
    signals := signals || 'velocity'::text;
  END IF;
  SELECT coalesce(sum((v_weights ->> s)::integer), 0) INTO score FROM unnest(signals) AS s;
  RETURN NEXT;
END;
$$;
