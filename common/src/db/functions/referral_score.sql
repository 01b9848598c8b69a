-- Scores a referral that is about to complete (docs/referral-rules.md, "Fraud
-- review"; the signals and weights: docs/security.md, "Fraud signals").
-- p_program: the program version that scores (its signal_weights,
-- velocity_window_minutes, velocity_max_referrals, address_history_days).
--
-- Addresses: the friend's (sign-up, and address history: sign-ins, landing
-- pages opened signed in) are compared with the referrer's, from the last
-- addressHistoryDays: the same address is `same_ip`, else the same /24 or /64
-- is `same_network`. A friend with no known address or user agent fires
-- `missing_address` / `missing_user_agent`. Velocity looks at the burst the
-- referral was created in, not at when the friend finishes signing up.
CREATE OR REPLACE FUNCTION referral_score(p_referrer_id text, p_referred_id text, p_program referral_program)
RETURNS TABLE (score integer, signals text[]) LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_referrer "user"%ROWTYPE;
  v_referred "user"%ROWTYPE;
  v_created timestamptz;
  v_weights jsonb := p_program.signal_weights;
  v_since timestamptz := now() - make_interval(days => p_program.address_history_days);
  v_velocity interval := make_interval(mins => p_program.velocity_window_minutes);
  v_same_ip boolean;
  v_same_network boolean;
  v_same_user_agent boolean;
  v_has_address boolean;
  v_has_user_agent boolean;
BEGIN
  SELECT * INTO v_referrer FROM "user" u WHERE u.id = p_referrer_id;
  SELECT * INTO v_referred FROM "user" u WHERE u.id = p_referred_id;
  SELECT r.created_at INTO v_created FROM referral r WHERE r.referred_id = p_referred_id;
  score := 0;
  signals := '{}';

  IF normalize_email(v_referrer.email) = normalize_email(v_referred.email) THEN
    signals := signals || 'email_match'::text;
  END IF;
  IF is_disposable_email(v_referred.email) THEN
    signals := signals || 'disposable_domain'::text;
  END IF;

  WITH friend AS (
    SELECT v_referred.signup_ip_hash AS ip, v_referred.signup_network_hash AS network, v_referred.signup_user_agent_hash AS agent
    UNION ALL
    SELECT h.ip_hash, h.network_hash, h.user_agent_hash FROM user_address_history h
      WHERE h.user_id = p_referred_id AND h.created_at > v_since
  ), referrer AS (
    SELECT v_referrer.signup_ip_hash AS ip, v_referrer.signup_network_hash AS network, v_referrer.signup_user_agent_hash AS agent
    UNION ALL
    SELECT h.ip_hash, h.network_hash, h.user_agent_hash FROM user_address_history h
      WHERE h.user_id = p_referrer_id AND h.created_at > v_since
  )
  SELECT
    EXISTS (SELECT 1 FROM friend f JOIN referrer r ON r.ip = f.ip),
    EXISTS (SELECT 1 FROM friend f JOIN referrer r ON r.network = f.network),
    EXISTS (SELECT 1 FROM friend f JOIN referrer r ON r.agent = f.agent),
    EXISTS (SELECT 1 FROM friend f WHERE f.ip IS NOT NULL),
    EXISTS (SELECT 1 FROM friend f WHERE f.agent IS NOT NULL)
  INTO v_same_ip, v_same_network, v_same_user_agent, v_has_address, v_has_user_agent;

  IF v_same_ip THEN
    signals := signals || 'same_ip'::text;
  ELSIF v_same_network THEN
    signals := signals || 'same_network'::text;
  END IF;
  IF v_same_user_agent THEN
    signals := signals || 'same_user_agent'::text;
  END IF;
  IF NOT v_has_address THEN
    signals := signals || 'missing_address'::text;
  END IF;
  IF NOT v_has_user_agent THEN
    signals := signals || 'missing_user_agent'::text;
  END IF;

  -- Some window of velocityWindowMinutes that holds this referral's creation holds more than
  -- velocityMaxReferrals of the referrer's referrals. (Such a window can always be slid to start
  -- at one of them, so trying each start is enough; a referrer has few referrals: the cap.)
  IF EXISTS (
    SELECT 1 FROM referral a
    WHERE a.referrer_id = p_referrer_id AND a.status::text <> 'rejected'
      AND a.created_at BETWEEN v_created - v_velocity AND v_created
      AND (SELECT count(*) FROM referral b
            WHERE b.referrer_id = p_referrer_id AND b.status::text <> 'rejected'
              AND b.created_at BETWEEN a.created_at AND a.created_at + v_velocity)
          > p_program.velocity_max_referrals
  ) THEN
    signals := signals || 'velocity'::text;
  END IF;

  SELECT coalesce(sum(coalesce((v_weights ->> s)::integer, 0)), 0) INTO score FROM unnest(signals) AS s;
  RETURN NEXT;
END;
$$;
