-- Whether an e-mail address is at a throwaway-address service: its domain, or
-- any domain it is under, is in disposable_email_domain (loaded by migrate()
-- from the npm package disposable-email-domains, its list and its wildcard
-- list). So `x@anything.33mail.com` matches the listed `33mail.com`.
-- docs/referral-rules.md, "Fraud review".
CREATE OR REPLACE FUNCTION is_disposable_email(p_email text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT position('@' IN coalesce(p_email, '')) > 0 AND EXISTS (
    SELECT 1
    FROM (SELECT string_to_array(split_part(lower(p_email), '@', 2), '.') AS labels) d
    CROSS JOIN LATERAL generate_subscripts(d.labels, 1) AS i
    WHERE EXISTS (SELECT 1 FROM disposable_email_domain x WHERE x.domain = array_to_string(d.labels[i:], '.'))
  );
$$;
