-- What erased_identity keeps of a deleted account's e-mail address: the
-- SHA-256 (hex) of the address as one mailbox (normalize_email), so the same
-- person cannot come back as a "new" friend with a +tag or Gmail dots.
-- docs/referral-rules.md, "Deleting an account".
CREATE OR REPLACE FUNCTION erased_email_hash(p_email text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_email IS NULL OR btrim(p_email) = '' THEN NULL
    ELSE encode(sha256(convert_to('erased-email:' || normalize_email(btrim(p_email)), 'UTF8')), 'hex') END;
$$;
