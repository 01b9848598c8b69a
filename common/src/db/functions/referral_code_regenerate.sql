-- Gives a member a fresh code (docs/referral-rules.md, "Creating a new code
-- (regenerating)"): the column's default, `ref-` + a random UUID. The old
-- code stops working the moment this commits (a redemption holding the old
-- code's row lock finishes first; one that queues after finds nobody).
-- Referrals already made stay, and still count toward the cap. At most the
-- program's regenerations_per_day per UTC day, counted in the user row, so
-- every process sees one count.
-- result_code: 'ok' (result_referral_code, result_left: how many are left
-- today); 'rate_limited' (result_retry_after_seconds: until the next UTC day);
-- 'unauthenticated' (no such account, or deleted).
CREATE OR REPLACE FUNCTION referral_code_regenerate(p_user_id text) RETURNS TABLE (
  result_code text, result_referral_code text, result_left integer, result_retry_after_seconds integer
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_program referral_program%ROWTYPE;
  v_today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  v_program := referral_program_current();
  UPDATE "user" u SET
      referral_code = DEFAULT,
      code_regenerations = CASE WHEN u.code_regenerated_on = v_today THEN u.code_regenerations + 1 ELSE 1 END,
      code_regenerated_on = v_today
    WHERE u.id = p_user_id AND u.deleted_at IS NULL
      AND referral_code_regenerations_left(u.code_regenerated_on, u.code_regenerations, v_program.regenerations_per_day) > 0
    RETURNING u.referral_code,
      referral_code_regenerations_left(u.code_regenerated_on, u.code_regenerations, v_program.regenerations_per_day)
    INTO result_referral_code, result_left;
  IF FOUND THEN
    result_code := 'ok'; RETURN NEXT; RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = p_user_id AND u.deleted_at IS NULL) THEN
    result_code := 'unauthenticated'; RETURN NEXT; RETURN;
  END IF;
  result_code := 'rate_limited';
  result_left := 0;
  result_retry_after_seconds :=
    greatest(1, ceil(extract(epoch FROM (v_today + 1)::timestamp - (now() AT TIME ZONE 'UTC'))))::integer;
  RETURN NEXT;
END;
$$;
