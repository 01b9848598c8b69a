-- The cap, defined once (docs/referral-rules.md, "The cap"): how many more
-- referrals a referrer can have: p_max_referrals less the places their
-- referrals use (referral_places_used), never below 0; none at all for a
-- person who deleted an account before (is_erased_email). Redeem, validate
-- and the member summary all ask these two functions.
CREATE OR REPLACE FUNCTION referral_places_left(p_referrer_id text, p_max_referrals integer) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN is_erased_email(u.email) THEN 0
    ELSE greatest(0, p_max_referrals - referral_places_used(u.id)) END
  FROM "user" u WHERE u.id = p_referrer_id;
$$;
