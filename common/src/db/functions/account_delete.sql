-- Deletes an account (docs/referral-rules.md, "Deleting an account"): the
-- person's data is erased, the facts stay. The user row stays as an
-- anonymous tombstone (no name, e-mail, picture, fingerprints; a code that
-- can never be entered), so every referral and ledger row that names it
-- stays true: quotas still add up, the referrer's cap still counts the
-- place, and nothing can be redeemed or rewarded twice. The normalised
-- e-mail's hash goes to erased_identity: that person is never referred or
-- rewarded again. Sign-in links, sessions and address history are removed.
-- Audited in account_deletion. result_code: 'ok' or 'not_found' (no such
-- account, or already deleted).
CREATE OR REPLACE FUNCTION account_delete(
  p_user_id text, p_requested_by text, p_actor_id text, p_actor_email text, p_reason text
) RETURNS TABLE (result_code text) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_user "user"%ROWTYPE;
BEGIN
  PERFORM referral_lock_people(p_user_id, NULL);
  SELECT * INTO v_user FROM "user" u WHERE u.id = p_user_id AND u.deleted_at IS NULL;
  IF NOT FOUND THEN
    result_code := 'not_found'; RETURN NEXT; RETURN;
  END IF;
  IF v_user.email IS NOT NULL THEN
    INSERT INTO erased_identity (email_hash) VALUES (erased_email_hash(v_user.email)) ON CONFLICT DO NOTHING;
  END IF;
  UPDATE "user" u SET
      name = NULL, email = NULL, "emailVerified" = NULL, image = NULL,
      referral_code = 'deleted-' || gen_random_uuid(),
      signup_ip_hash = NULL, signup_user_agent_hash = NULL, signup_network_hash = NULL, external_id = NULL,
      deleted_at = now()
    WHERE u.id = p_user_id;
  DELETE FROM account a WHERE a."userId" = p_user_id;
  DELETE FROM session s WHERE s."userId" = p_user_id;
  DELETE FROM user_address_history h WHERE h.user_id = p_user_id;
  INSERT INTO account_deletion (user_id, requested_by, actor_id, actor_email, reason)
    VALUES (p_user_id, p_requested_by, p_actor_id, p_actor_email, p_reason);
  result_code := 'ok';
  RETURN NEXT;
END;
$$;
