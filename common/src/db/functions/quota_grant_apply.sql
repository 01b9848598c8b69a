-- Writes one ledger row and moves the quota by it, unless that grant
-- (referral, user, reason) already exists: then nothing, and FALSE
-- (docs/reviewing-referrals.md, "The quota ledger"). p_program_version: the
-- program version whose numbers the row applies.
CREATE OR REPLACE FUNCTION quota_grant_apply(
  p_user_id text, p_amount integer, p_reason quota_grant_reason, p_referral_id text, p_note text, p_program_version integer
) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  INSERT INTO quota_grant (user_id, amount, reason, referral_id, note, program_version)
    VALUES (p_user_id, p_amount, p_reason, p_referral_id, p_note, p_program_version)
    ON CONFLICT ON CONSTRAINT quota_grant_once DO NOTHING;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;
  UPDATE "user" u SET quota = u.quota + p_amount WHERE u.id = p_user_id;
  RETURN TRUE;
END;
$$;
