-- How many places under the cap a referrer's referrals take (docs/referral-rules.md,
-- "The cap"): every referral of theirs (pending, held, completed; over all the
-- codes they ever had), except rejected ones, which free their place.
CREATE OR REPLACE FUNCTION referral_places_used(p_referrer_id text) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM referral r WHERE r.referrer_id = p_referrer_id AND r.status::text <> 'rejected';
$$;
