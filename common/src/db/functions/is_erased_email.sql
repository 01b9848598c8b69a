-- Whether an e-mail address belongs to a deleted account: such a person can
-- never be referred or rewarded again. docs/referral-rules.md, "Deleting an account".
CREATE OR REPLACE FUNCTION is_erased_email(p_email text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT p_email IS NOT NULL AND EXISTS (SELECT 1 FROM erased_identity e WHERE e.email_hash = erased_email_hash(p_email));
$$;
