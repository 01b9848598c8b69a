-- The row locks every change to a referral starts with (docs/architecture.md,
-- "A redemption, from the click to both rewards"): the user, the owner of
-- p_code (when given), and the user's referrer (when they have one), all in
-- one statement in id order, so two changes never wait on each other in a
-- circle. Redeeming serialises on the referrer, so the cap cannot be raced,
-- and on the user, so two codes at once, a loop, or onboarding finishing
-- meanwhile cannot be either. Everything read after this sees what committed
-- before the locks were granted.
CREATE OR REPLACE FUNCTION referral_lock_people(p_user_id text, p_code text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM "user" u
    WHERE u.id = p_user_id
       OR u.referral_code = p_code
       OR u.id = (SELECT r.referrer_id FROM referral r WHERE r.referred_id = p_user_id)
    ORDER BY u.id
    FOR NO KEY UPDATE;
END;
$$;
