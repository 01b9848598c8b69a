-- The two referral operations that move quota, as one statement each, and the
-- description of a change that the application announces after it commits.
--
-- A single call is one round trip and one atomic transaction, however the
-- client sends it. Inside a VOLATILE PL/pgSQL function each statement takes a
-- fresh snapshot (READ COMMITTED), so everything after the row locks sees all
-- that was committed before the locks were granted: checks and writes cannot
-- be raced. The rules' numbers are parameters, passed from
-- common/src/constants.ts by the only callers, common/src/referrals/*.ts.
-- To change a function, add a migration with CREATE OR REPLACE; never edit this one.
--
-- Live updates: each function returns, with its result, the change it made
-- (result_event, JSON). The caller announces it with pg_notify on the channel
-- 'referral_events' once the call has committed, so a rolled-back change is
-- never announced. (NOTIFY inside the transaction would take PostgreSQL's
-- global notify lock until the commit's WAL flush, serialising every
-- redemption: measured at 0.43 of pgbench against 1.2-1.4 without it.)
--
-- Payload (JSON, well under NOTIFY's 8000-byte limit):
--   { "referral": { "referrerId", "referredId", "referredName", "status", "createdAt", "completedAt" },
--     "quotas": [ { "userId", "quota" }, { "userId", "quota" } ] }
CREATE OR REPLACE FUNCTION referral_event(p_referrer_id text, p_referred_id text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'referral', json_build_object(
      'referrerId', r.referrer_id,
      'referredId', r.referred_id,
      'referredName', referred.name,
      'status', r.status,
      'createdAt', r.created_at,
      'completedAt', r.completed_at
    ),
    'quotas', json_build_array(
      json_build_object('userId', referrer.id, 'quota', referrer.quota),
      json_build_object('userId', referred.id, 'quota', referred.quota)
    )
  )
  FROM referral r
  JOIN "user" referrer ON referrer.id = r.referrer_id
  JOIN "user" referred ON referred.id = r.referred_id
  WHERE r.referrer_id = p_referrer_id AND r.referred_id = p_referred_id;
$$;
--> statement-breakpoint

-- Redeems p_code for p_user_id (DESIGN.md §4, steps 2-8). result_code is 'ok'
-- or the error code of the first rule that fails, in the order of §4.
CREATE OR REPLACE FUNCTION referral_redeem(
  p_user_id text,
  p_code text,
  p_max_referrals integer,
  p_window_days integer,
  p_reward_referrer integer,
  p_reward_referred integer
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
  -- Serialise on both people, in id order (two redemptions never wait on each
  -- other in a circle): the referrer, so the cap cannot be raced; the user, so
  -- two codes at once, a loop, or onboarding finishing meanwhile cannot be either.
  PERFORM 1 FROM "user" u
    WHERE u.referral_code = p_code OR u.id = p_user_id
    ORDER BY u.id
    FOR NO KEY UPDATE;

  SELECT * INTO v_user FROM "user" u WHERE u.id = p_user_id;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;
  result_quota := v_user.quota;

  -- 2. The owner of the code is the referrer. After a regeneration that
  -- committed while we waited, the old code finds nobody.
  SELECT * INTO v_referrer FROM "user" u WHERE u.referral_code = p_code;
  IF NOT FOUND THEN
    result_code := 'code_not_found'; RETURN NEXT; RETURN;
  END IF;
  result_referrer_name := v_referrer.name;

  -- 3.
  IF v_referrer.id = v_user.id THEN
    result_code := 'self_referral'; RETURN NEXT; RETURN;
  END IF;
  -- 4.
  IF EXISTS (SELECT 1 FROM referral r WHERE r.referred_id = v_user.id) THEN
    result_code := 'already_referred'; RETURN NEXT; RETURN;
  END IF;
  -- 5.
  IF EXISTS (SELECT 1 FROM referral r WHERE r.referrer_id = v_user.id AND r.referred_id = v_referrer.id) THEN
    result_code := 'referral_loop'; RETURN NEXT; RETURN;
  END IF;
  -- 6.
  IF v_user.created_at < now() - make_interval(days => p_window_days) THEN
    result_code := 'not_eligible'; RETURN NEXT; RETURN;
  END IF;
  -- 7. The cap belongs to the referrer: every referral of theirs counts, whichever code it used.
  IF (SELECT count(*) FROM referral r WHERE r.referrer_id = v_referrer.id) >= p_max_referrals THEN
    result_code := 'code_exhausted'; RETURN NEXT; RETURN;
  END IF;

  -- 8. Pending, or completed at once if the user already finished onboarding.
  INSERT INTO referral (referrer_id, referred_id, status, completed_at)
    VALUES (
      v_referrer.id,
      v_user.id,
      CASE WHEN v_user.onboarded_at IS NULL THEN 'pending' ELSE 'completed' END::referral_status,
      CASE WHEN v_user.onboarded_at IS NULL THEN NULL ELSE now() END
    )
    ON CONFLICT DO NOTHING
    RETURNING referral.status INTO result_status;
  IF NOT FOUND THEN
    -- The unique key on referred_id, behind the check above.
    result_code := 'already_referred'; result_status := NULL; RETURN NEXT; RETURN;
  END IF;

  IF result_status = 'completed' THEN
    UPDATE "user" u SET quota = u.quota + p_reward_referrer WHERE u.id = v_referrer.id;
    UPDATE "user" u SET quota = u.quota + p_reward_referred WHERE u.id = v_user.id
      RETURNING u.quota INTO result_quota;
  END IF;

  result_event := referral_event(v_referrer.id, v_user.id);
  result_code := 'ok';
  RETURN NEXT;
END;
$$;
--> statement-breakpoint

-- Marks p_user_id's sign-up as completed (onboarded_at, set once) and
-- completes their pending referral, if any: status 'completed', completed_at,
-- both rewards, exactly once (the status = 'pending' guard).
CREATE OR REPLACE FUNCTION referral_complete_onboarding(
  p_user_id text,
  p_reward_referrer integer,
  p_reward_referred integer
) RETURNS TABLE (
  result_code text,
  result_onboarded_at timestamptz,
  result_quota integer,
  result_referred boolean,
  result_referrer_name text,
  result_reward_granted boolean,
  result_event json
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_referrer_id text;
BEGIN
  -- The user and their referrer (if there is one yet), in id order, like a
  -- redemption: a redemption of this user in flight finishes first, and its
  -- referral is then seen below.
  PERFORM 1 FROM "user" u
    WHERE u.id = p_user_id
       OR u.id = (SELECT r.referrer_id FROM referral r WHERE r.referred_id = p_user_id)
    ORDER BY u.id
    FOR NO KEY UPDATE;

  UPDATE "user" u SET onboarded_at = coalesce(u.onboarded_at, now())
    WHERE u.id = p_user_id
    RETURNING u.onboarded_at, u.quota INTO result_onboarded_at, result_quota;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;

  UPDATE referral r SET status = 'completed', completed_at = now()
    WHERE r.referred_id = p_user_id AND r.status = 'pending'
    RETURNING r.referrer_id INTO v_referrer_id;
  result_reward_granted := FOUND;
  IF result_reward_granted THEN
    UPDATE "user" u SET quota = u.quota + p_reward_referrer WHERE u.id = v_referrer_id;
    UPDATE "user" u SET quota = u.quota + p_reward_referred WHERE u.id = p_user_id
      RETURNING u.quota INTO result_quota;
    result_event := referral_event(v_referrer_id, p_user_id);
  END IF;

  SELECT referrer.name INTO result_referrer_name
    FROM referral r JOIN "user" referrer ON referrer.id = r.referrer_id
    WHERE r.referred_id = p_user_id;
  result_referred := FOUND;

  result_code := 'ok';
  RETURN NEXT;
END;
$$;
