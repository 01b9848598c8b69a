-- Redeems p_code for p_user_id (docs/referral-rules.md, "How redeeming a code
-- works", steps 2-8). result_code is 'ok' or the error code of the first rule
-- that fails, in that order. One statement, so one round trip and one
-- transaction; inside a VOLATILE PL/pgSQL function each statement takes a
-- fresh snapshot (READ COMMITTED), so everything after the row locks sees all
-- that committed before they were granted: checks and writes cannot be raced.
-- The numbers are the program's (referral_program_current), read once, after
-- the row locks; the referral records that version: its rewards are the ones
-- it pays, whenever it completes.
--
-- result_event: the change, as referral_event describes it, for the caller to
-- announce with pg_notify once the call has committed (a rolled-back change
-- is never announced; NOTIFY inside the transaction would serialise every
-- redemption on PostgreSQL's global notify lock).
CREATE OR REPLACE FUNCTION referral_redeem(p_user_id text, p_code text) RETURNS TABLE (
  result_code text,
  result_status referral_status,
  result_quota integer,
  result_referrer_name text,
  result_event json
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_user "user"%ROWTYPE;
  v_referrer "user"%ROWTYPE;
  v_program referral_program%ROWTYPE;
BEGIN
  PERFORM referral_lock_people(p_user_id, p_code);
  v_program := referral_program_current();

  -- A deleted account is nobody (its session may outlive it).
  SELECT * INTO v_user FROM "user" u WHERE u.id = p_user_id AND u.deleted_at IS NULL;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;
  result_quota := v_user.quota;

  -- 2. The owner of the code is the referrer. After a regeneration that
  -- committed while we waited, the old code finds nobody.
  SELECT * INTO v_referrer FROM "user" u WHERE u.referral_code = p_code AND u.deleted_at IS NULL;
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
  -- 6. New accounts only; and a person who deleted an account before is not new.
  IF v_user.created_at < now() - make_interval(days => v_program.redeem_window_days) OR is_erased_email(v_user.email) THEN
    result_code := 'not_eligible'; RETURN NEXT; RETURN;
  END IF;
  -- 7. The cap (referral_places_left).
  IF referral_places_left(v_referrer.id, v_program.max_referrals_per_referrer) <= 0 THEN
    result_code := 'code_exhausted'; RETURN NEXT; RETURN;
  END IF;

  -- 8. Pending; completed (or held) at once if the user already finished onboarding.
  INSERT INTO referral (referrer_id, referred_id, status, program_version)
    VALUES (v_referrer.id, v_user.id, 'pending', v_program.version)
    ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    -- The unique key on referred_id, behind the check above.
    result_code := 'already_referred'; RETURN NEXT; RETURN;
  END IF;
  PERFORM webhook_enqueue('referral.created', v_user.id);
  result_status := 'pending';

  IF v_user.onboarded_at IS NOT NULL THEN
    result_status := referral_finish(v_user.id);
    SELECT u.quota INTO result_quota FROM "user" u WHERE u.id = v_user.id;
  END IF;

  result_event := referral_event(v_referrer.id, v_user.id);
  result_code := 'ok';
  RETURN NEXT;
END;
$$;
