-- Onboarding finished (docs/referral-rules.md, "When the rewards arrive"):
-- onboarded_at (set once), and the pending referral, if any, finished through
-- referral_finish (scored, then completed with rewards, held, or rejected).
-- Exactly once: referral_finish only touches a referral still pending.
CREATE OR REPLACE FUNCTION referral_complete_onboarding(p_user_id text) RETURNS TABLE (
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
  PERFORM referral_lock_people(p_user_id, NULL);

  UPDATE "user" u SET onboarded_at = coalesce(u.onboarded_at, now())
    WHERE u.id = p_user_id AND u.deleted_at IS NULL
    RETURNING u.onboarded_at INTO result_onboarded_at;
  IF NOT FOUND THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;

  result_status := referral_finish(p_user_id);
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
