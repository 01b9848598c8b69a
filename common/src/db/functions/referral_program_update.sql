-- An operator's change to the program (docs/reviewing-referrals.md,
-- "Changing the program"): a new version, complete (every setting, the ones left
-- as they were included), with who and why. p_settings is validated by
-- common/src/referrals/program.ts before it comes here; the table's checks
-- stand behind it. Versions are numbered in commit order: the table lock
-- queues two saves, so each new version follows exactly the one before it,
-- and no save is a mix of two. p_expected_version is the version the operator
-- saw (null: whatever is current).
-- result_code: 'ok'; 'conflict' (another version was saved since
-- p_expected_version); 'unchanged' (p_settings is the current version).
CREATE OR REPLACE FUNCTION referral_program_update(
  p_settings jsonb, p_expected_version integer, p_actor_id text, p_actor_email text, p_reason text
) RETURNS TABLE (result_code text, result_version integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_current referral_program%ROWTYPE;
  v_next referral_program%ROWTYPE;
  v_meta text[] := ARRAY['version', 'created_at', 'created_by_id', 'created_by_email', 'reason'];
BEGIN
  -- Self-conflicting, and not in the way of readers (plain SELECTs take ACCESS SHARE).
  LOCK TABLE referral_program IN SHARE ROW EXCLUSIVE MODE;
  v_current := referral_program_current();
  result_version := v_current.version;
  IF p_expected_version IS NOT NULL AND p_expected_version <> v_current.version THEN
    result_code := 'conflict'; RETURN NEXT; RETURN;
  END IF;

  v_next := jsonb_populate_record(v_current, p_settings);
  v_next.version := v_current.version + 1;
  v_next.created_at := now();
  v_next.created_by_id := p_actor_id;
  v_next.created_by_email := p_actor_email;
  v_next.reason := p_reason;
  -- The settings alone, without what says who made a version.
  IF to_jsonb(v_next) - v_meta = to_jsonb(v_current) - v_meta THEN
    result_code := 'unchanged'; RETURN NEXT; RETURN;
  END IF;

  INSERT INTO referral_program SELECT v_next.*;
  result_code := 'ok';
  result_version := v_next.version;
  RETURN NEXT;
END;
$$;
