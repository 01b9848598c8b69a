-- An e-mail address as one mailbox: lower case, no +tag, and for Gmail no
-- dots (docs/referral-rules.md, "Fraud review": email_match).
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
