-- The outbox (docs/webhooks.md): one event, written in the transaction of the
-- change it describes; the backend delivers it.
CREATE OR REPLACE FUNCTION webhook_enqueue(p_type text, p_referred_id text) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO webhook_event (type, referral_id, payload)
    VALUES (p_type, p_referred_id, jsonb_build_object('referral', referral_json(p_referred_id)));
$$;
