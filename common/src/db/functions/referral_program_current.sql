-- The referral program in force (docs/referral-rules.md, "The program's
-- settings"): the highest version of referral_program. Every rule that uses a
-- number reads it here, once per call, inside its own transaction: every
-- process applies a new version from the moment it commits.
CREATE OR REPLACE FUNCTION referral_program_current() RETURNS referral_program
LANGUAGE sql STABLE AS $$
  SELECT * FROM referral_program p ORDER BY p.version DESC LIMIT 1;
$$;
