-- Trust and operations (DESIGN.md §9): the quota ledger, fraud scoring at
-- completion, operator decisions, and the webhook outbox, all inside the same
-- one-statement functions as before, so each change and its ledger rows, audit
-- row and outbox events commit or roll back together.
--
-- Never edit this migration; add one with CREATE OR REPLACE.

-- 1. The ledger for existing data, so that from here on, for every user,
--    quota = 1000 (DEFAULT_QUOTA) + sum(quota_grant.amount).
--    Rewards of completed referrals (500 each, the rule when they were granted);
--    then whatever else made a quota differ (e.g. a manual UPDATE) as an adjustment.
INSERT INTO quota_grant (user_id, amount, reason, referral_id, note, created_at)
  SELECT r.referrer_id, 500, 'referral_referrer'::quota_grant_reason, r.referred_id, 'backfilled', r.completed_at
  FROM referral r WHERE r.status = 'completed'
  UNION ALL
  SELECT r.referred_id, 500, 'referral_referred'::quota_grant_reason, r.referred_id, 'backfilled', r.completed_at
  FROM referral r WHERE r.status = 'completed';
--> statement-breakpoint
INSERT INTO quota_grant (user_id, amount, reason, note)
  SELECT u.id, u.quota - 1000 - coalesce(g.total, 0), 'admin_adjustment', 'backfilled: quota before the ledger'
  FROM "user" u
  LEFT JOIN (SELECT user_id, sum(amount) AS total FROM quota_grant GROUP BY user_id) g ON g.user_id = u.id
  WHERE u.quota <> 1000 + coalesce(g.total, 0);
--> statement-breakpoint

-- 2. An e-mail address as one mailbox: lower case, no +tag, and for Gmail no dots.
CREATE OR REPLACE FUNCTION normalize_email(p_email text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_email IS NULL OR position('@' IN p_email) = 0 THEN lower(p_email)
    ELSE (
      WITH parts AS (
        SELECT split_part(lower(p_email), '@', 1) AS local,
               split_part(lower(p_email), '@', 2) AS domain
      )
      SELECT CASE WHEN domain IN ('gmail.com', 'googlemail.com')
                  THEN replace(split_part(local, '+', 1), '.', '') || '@gmail.com'
                  ELSE split_part(local, '+', 1) || '@' || domain END
      FROM parts
    )
  END;
$$;
--> statement-breakpoint

-- 3. Writes one ledger row and moves the quota by it, unless that grant
--    (referral, user, reason) already exists: then nothing, and FALSE.
CREATE OR REPLACE FUNCTION quota_grant_apply(
  p_user_id text, p_amount integer, p_reason quota_grant_reason, p_referral_id text, p_note text
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO quota_grant (user_id, amount, reason, referral_id, note)
    VALUES (p_user_id, p_amount, p_reason, p_referral_id, p_note)
    ON CONFLICT ON CONSTRAINT quota_grant_once DO NOTHING;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;
  UPDATE "user" u SET quota = u.quota + p_amount WHERE u.id = p_user_id;
  RETURN TRUE;
END;
$$;
--> statement-breakpoint

-- 4. The state of one referral, as webhooks and live updates describe it.
--    Referral ids are the referred user's id (unique per referral).
CREATE OR REPLACE FUNCTION referral_json(p_referred_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', r.referred_id,
    'referrerId', r.referrer_id,
    'referredId', r.referred_id,
    'status', r.status,
    'riskScore', r.risk_score,
    'signals', to_jsonb(r.signals),
    'statusReason', r.status_reason,
    'createdAt', r.created_at,
    'completedAt', r.completed_at
  )
  FROM referral r WHERE r.referred_id = p_referred_id;
$$;
--> statement-breakpoint

-- 5. The outbox: one event in this transaction; the backend delivers it.
CREATE OR REPLACE FUNCTION webhook_enqueue(p_type text, p_referred_id text) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO webhook_event (type, referral_id, payload)
    VALUES (p_type, p_referred_id, jsonb_build_object('referral', referral_json(p_referred_id)));
$$;
--> statement-breakpoint

-- 6. Scores a referral that is about to complete. p_fraud (from
--    common/src/constants.ts): { threshold, weights: { email_match,
--    disposable_domain, same_ip, same_user_agent, velocity },
--    velocityWindowMinutes, velocityMaxReferrals }.
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
--> statement-breakpoint

-- 7. A pending referral whose friend has finished onboarding: scored, then
--    completed with both rewards (exactly once: the ledger's unique key), or
--    held for review. The caller holds both users' row locks.
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
--> statement-breakpoint

-- The functions of 0001 take a new last parameter (the fraud settings): the
-- old signatures are dropped here and defined again at the end as wrappers.
DROP FUNCTION IF EXISTS referral_redeem(text, text, integer, integer, integer, integer);
--> statement-breakpoint
DROP FUNCTION IF EXISTS referral_complete_onboarding(text, integer, integer);
--> statement-breakpoint

-- 8. Redeems p_code for p_user_id (DESIGN.md §4, steps 2-8), as in 0001, with
--    the cap counting pending + held + completed, the outbox, and completion
--    through referral_finish (scored, ledgered).
CREATE FUNCTION referral_redeem(
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
--> statement-breakpoint

-- 9. Onboarding finished: onboarded_at (once), and the pending referral, if
--    any, finished through referral_finish.
CREATE FUNCTION referral_complete_onboarding(
  p_user_id text,
  p_reward_referrer integer,
  p_reward_referred integer,
  p_fraud jsonb
) RETURNS TABLE (
  result_code text,
  result_onboarded_at timestamptz,
  result_quota integer,
  result_referred boolean,
  result_referrer_name text,
  result_reward_granted boolean,
  result_status referral_status,
  result_event json
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referrer_id text;
BEGIN
  PERFORM 1 FROM "user" u
    WHERE u.id = p_user_id
       OR u.id = (SELECT r.referrer_id FROM referral r WHERE r.referred_id = p_user_id)
    ORDER BY u.id
    FOR NO KEY UPDATE;

  UPDATE "user" u SET onboarded_at = coalesce(u.onboarded_at, now())
    WHERE u.id = p_user_id
    RETURNING u.onboarded_at INTO result_onboarded_at;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;

  result_status := referral_finish(p_user_id, p_reward_referrer, p_reward_referred, p_fraud);
  result_reward_granted := result_status IS NOT NULL AND result_status::text = 'completed';

  SELECT r.referrer_id, referrer.name, r.status INTO v_referrer_id, result_referrer_name, result_status
    FROM referral r JOIN "user" referrer ON referrer.id = r.referrer_id
    WHERE r.referred_id = p_user_id;
  result_referred := FOUND;
  IF result_referred THEN
    result_event := referral_event(v_referrer_id, p_user_id);
  END IF;
  SELECT u.quota INTO result_quota FROM "user" u WHERE u.id = p_user_id;

  result_code := 'ok';
  RETURN NEXT;
END;
$$;
--> statement-breakpoint

-- 10. An operator's decision on one referral, audited:
--     approve  held -> completed, both rewards (exactly once);
--     reject   pending or held -> rejected, no rewards;
--     revoke   completed -> rejected, both rewards clawed back (exactly once).
--     result_code: 'ok', 'not_found', or 'wrong_status' (nothing changed).
CREATE OR REPLACE FUNCTION referral_decide(
  p_referred_id text,
  p_action text,
  p_actor_id text,
  p_actor_email text,
  p_reason text,
  p_reward_referrer integer,
  p_reward_referred integer
) RETURNS TABLE (result_code text, result_status referral_status, result_event json)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referral referral%ROWTYPE;
  v_to referral_status;
  v_amount integer;
  v_user text;
BEGIN
  -- Both users first, in id order, as every other function does.
  PERFORM 1 FROM "user" u
    WHERE u.id = p_referred_id
       OR u.id = (SELECT r.referrer_id FROM referral r WHERE r.referred_id = p_referred_id)
    ORDER BY u.id
    FOR NO KEY UPDATE;
  SELECT * INTO v_referral FROM referral r WHERE r.referred_id = p_referred_id FOR UPDATE;
  IF NOT FOUND THEN
    result_code := 'not_found'; RETURN NEXT; RETURN;
  END IF;
  result_status := v_referral.status;

  IF p_action = 'approve' AND v_referral.status::text = 'held' THEN
    v_to := 'completed';
    UPDATE referral r SET status = v_to, completed_at = now(), decided_at = now(), status_reason = NULL
      WHERE r.referred_id = p_referred_id;
    PERFORM quota_grant_apply(v_referral.referrer_id, p_reward_referrer, 'referral_referrer', p_referred_id, NULL);
    PERFORM quota_grant_apply(p_referred_id, p_reward_referred, 'referral_referred', p_referred_id, NULL);
    PERFORM webhook_enqueue('referral.completed', p_referred_id);
  ELSIF p_action = 'reject' AND v_referral.status::text IN ('pending', 'held') THEN
    v_to := 'rejected';
    UPDATE referral r SET status = v_to, decided_at = now(),
        status_reason = 'Not credited: after a review, this referral did not meet the program''s rules.'
      WHERE r.referred_id = p_referred_id;
    PERFORM webhook_enqueue('referral.rejected', p_referred_id);
  ELSIF p_action = 'revoke' AND v_referral.status::text = 'completed' THEN
    v_to := 'rejected';
    UPDATE referral r SET status = v_to, decided_at = now(),
        status_reason = 'Revoked: after a review, the rewards of this referral were taken back.'
      WHERE r.referred_id = p_referred_id;
    -- Take back exactly what this referral granted each of the two.
    FOR v_user, v_amount IN
      SELECT g.user_id, sum(g.amount)::integer FROM quota_grant g
        WHERE g.referral_id = p_referred_id AND g.reason IN ('referral_referrer', 'referral_referred')
        GROUP BY g.user_id
    LOOP
      PERFORM quota_grant_apply(v_user, -v_amount, 'clawback', p_referred_id, p_reason);
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

--> statement-breakpoint

-- 11. The signatures of migration 0001, kept for a rolling upgrade: processes
--     of the previous release, still running while this one starts, call
--     these. They run the new rules with the fraud settings of this release.
CREATE OR REPLACE FUNCTION referral_redeem(
  p_user_id text, p_code text, p_max_referrals integer, p_window_days integer,
  p_reward_referrer integer, p_reward_referred integer
) RETURNS TABLE (
  result_code text, result_status referral_status, result_quota integer, result_referrer_name text, result_event json
) LANGUAGE sql VOLATILE AS $$
  SELECT * FROM referral_redeem(p_user_id, p_code, p_max_referrals, p_window_days, p_reward_referrer, p_reward_referred,
    '{"threshold":100,"weights":{"email_match":100,"disposable_domain":100,"same_ip":100,"same_user_agent":50,"velocity":100},"velocityWindowMinutes":10,"velocityMaxReferrals":3}'::jsonb);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION referral_complete_onboarding(
  p_user_id text, p_reward_referrer integer, p_reward_referred integer
) RETURNS TABLE (
  result_code text, result_onboarded_at timestamptz, result_quota integer, result_referred boolean,
  result_referrer_name text, result_reward_granted boolean, result_event json
) LANGUAGE sql VOLATILE AS $$
  SELECT c.result_code, c.result_onboarded_at, c.result_quota, c.result_referred, c.result_referrer_name,
         c.result_reward_granted, c.result_event
  FROM referral_complete_onboarding(p_user_id, p_reward_referrer, p_reward_referred,
    '{"threshold":100,"weights":{"email_match":100,"disposable_domain":100,"same_ip":100,"same_user_agent":50,"velocity":100},"velocityWindowMinutes":10,"velocityMaxReferrals":3}'::jsonb) c;
$$;
