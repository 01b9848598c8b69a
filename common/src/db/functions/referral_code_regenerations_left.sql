-- How many more times a member may get a new code today (docs/referral-rules.md,
-- "Creating a new code (regenerating)"): the program's regenerations per UTC
-- day less those made today (the user row counts them: the day of the last
-- one, and how many that day). Regenerating and the member summary both ask it.
CREATE OR REPLACE FUNCTION referral_code_regenerations_left(
  p_regenerated_on date, p_regenerations integer, p_per_day integer
) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT greatest(0, p_per_day - CASE WHEN p_regenerated_on = (now() AT TIME ZONE 'UTC')::date THEN p_regenerations ELSE 0 END);
$$;
